-- Device keys: an account signs in from several devices, each with its own Ed25519 key
CREATE TABLE account_public_keys (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    device_name TEXT CHECK (length(device_name) <= 64),
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    added_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    disabled_at DATETIME,
    disabled_by_key_id BLOB REFERENCES account_public_keys (id) ON DELETE SET NULL
);

CREATE INDEX idx_account_public_keys_account ON account_public_keys (account_id);
CREATE INDEX idx_account_public_keys_disabled_by ON account_public_keys (disabled_by_key_id) WHERE disabled_by_key_id IS NOT NULL;
