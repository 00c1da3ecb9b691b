-- Account recovery: one-time tokens mailed to the account's contact address
CREATE TABLE account_recovery_tokens (
    token BLOB PRIMARY KEY NOT NULL CHECK (length(token) = 32),
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at DATETIME NOT NULL,
    used_at DATETIME
);

CREATE INDEX idx_account_recovery_tokens_account ON account_recovery_tokens (account_id);
CREATE INDEX idx_account_recovery_tokens_expires ON account_recovery_tokens (expires_at) WHERE used_at IS NULL;
