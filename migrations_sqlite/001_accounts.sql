-- accounts with a case-insensitive username, a flag and a BLOB key
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL COLLATE NOCASE UNIQUE,
    email TEXT NOT NULL,
    display_name TEXT CHECK (length(display_name) <= 40),
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    public_key BLOB NOT NULL DEFAULT (randomblob(16)),
    balance REAL NOT NULL DEFAULT 0.0 CHECK (balance >= 0),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_ns INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_accounts_email ON accounts (lower(email));
