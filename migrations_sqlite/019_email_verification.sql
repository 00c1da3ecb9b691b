-- Email addresses on accounts, verified through a mailed token
ALTER TABLE accounts ADD COLUMN email TEXT;
ALTER TABLE accounts ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1));
ALTER TABLE accounts ADD COLUMN email_verified_at DATETIME;

CREATE UNIQUE INDEX idx_accounts_email_nocase ON accounts (email COLLATE NOCASE) WHERE email IS NOT NULL;

CREATE TABLE email_verification_tokens (
    token BLOB PRIMARY KEY NOT NULL CHECK (length(token) = 32),
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at DATETIME NOT NULL,
    used_at DATETIME
);

CREATE INDEX idx_email_verification_tokens_account ON email_verification_tokens (account_id);

-- Accounts that signed up through OAuth already have an address the identity provider verified
UPDATE accounts
SET email = (
        SELECT o.email FROM oauth_accounts o
        WHERE o.account_id = accounts.id AND o.email IS NOT NULL
        ORDER BY o.created_at
        LIMIT 1
    ),
    email_verified = 1,
    email_verified_at = CURRENT_TIMESTAMP
WHERE email IS NULL
  AND EXISTS (SELECT 1 FROM oauth_accounts o WHERE o.account_id = accounts.id AND o.email IS NOT NULL);
