-- API tokens for the Pro/Enterprise API; only a hash of the secret is stored
CREATE TABLE account_api_tokens (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) <= 64),
    token_prefix TEXT NOT NULL CHECK (token_prefix GLOB 'mk_[a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9]'),
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    scopes_json TEXT NOT NULL DEFAULT '["read"]',
    last_used_at DATETIME,
    expires_at DATETIME,
    revoked_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (account_id, name)
);

CREATE INDEX idx_account_api_tokens_account_active ON account_api_tokens (account_id) WHERE revoked_at IS NULL;
