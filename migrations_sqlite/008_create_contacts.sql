-- Contact channels for providers (public) and accounts (private)
CREATE TABLE provider_contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    contact_type TEXT NOT NULL CHECK (contact_type IN ('email', 'phone', 'telegram', 'discord', 'matrix')),
    contact_value TEXT NOT NULL,
    is_public INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
    created_at_ns INTEGER NOT NULL,
    UNIQUE (provider_id, contact_type, contact_value)
);

CREATE TABLE account_contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_type TEXT NOT NULL CHECK (contact_type IN ('email', 'phone', 'telegram', 'discord', 'matrix')),
    contact_value TEXT NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_account_contacts_account ON account_contacts (account_id, contact_type);
