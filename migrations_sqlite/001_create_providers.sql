-- Providers: the compute suppliers that list offerings, identified by their Ed25519 public key
CREATE TABLE providers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pubkey BLOB NOT NULL UNIQUE CHECK (length(pubkey) = 32),
    name TEXT NOT NULL CHECK (length(name) <= 128),
    region TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    registered_at_ns INTEGER NOT NULL,
    last_seen_at_ns INTEGER
);

CREATE INDEX idx_providers_last_seen ON providers (last_seen_at_ns DESC);
