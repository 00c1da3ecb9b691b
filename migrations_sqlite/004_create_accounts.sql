-- User accounts: one per person, reachable through several device keys (see 005)
CREATE TABLE accounts (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    username TEXT NOT NULL CHECK (length(username) >= 3 AND length(username) <= 64),
    display_name TEXT CHECK (length(display_name) <= 100),
    bio TEXT,
    avatar_url TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (username GLOB '[A-Za-z0-9]*'),
    CHECK (username NOT GLOB '*[^A-Za-z0-9._-]*')
);

CREATE INDEX idx_accounts_username ON accounts (username);

CREATE TRIGGER trg_accounts_updated_at
AFTER UPDATE ON accounts
FOR EACH ROW
BEGIN
    UPDATE accounts SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
