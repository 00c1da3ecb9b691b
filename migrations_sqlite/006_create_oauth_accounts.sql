-- OAuth logins (Google, GitHub) linked to an account
CREATE TABLE oauth_accounts (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    provider TEXT NOT NULL CHECK (provider IN ('google_oauth', 'github')),
    external_id TEXT NOT NULL,
    email TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (provider, external_id)
);

CREATE INDEX idx_oauth_accounts_account ON oauth_accounts (account_id);
CREATE INDEX idx_oauth_accounts_email ON oauth_accounts (email) WHERE email IS NOT NULL;
