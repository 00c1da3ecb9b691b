-- Last-login tracking: a timestamp on the account plus a per-login event log
ALTER TABLE accounts ADD COLUMN last_login_at DATETIME;
ALTER TABLE accounts ADD COLUMN login_count INTEGER NOT NULL DEFAULT 0;

CREATE INDEX idx_accounts_last_login ON accounts (last_login_at DESC) WHERE last_login_at IS NOT NULL;

CREATE TABLE login_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    public_key_id BLOB REFERENCES account_public_keys (id) ON DELETE SET NULL,
    method TEXT NOT NULL CHECK (method IN ('key', 'oauth', 'recovery')),
    ip_address TEXT,
    user_agent TEXT,
    logged_in_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_login_events_account_time ON login_events (account_id, logged_in_at DESC);
