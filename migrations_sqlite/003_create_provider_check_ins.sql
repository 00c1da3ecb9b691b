-- Provider check-ins: periodic signed liveness pings from each provider node
CREATE TABLE provider_check_ins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    memo TEXT NOT NULL DEFAULT '' CHECK (length(memo) <= 256),
    nonce BLOB NOT NULL,
    signature BLOB NOT NULL CHECK (length(signature) = 64),
    checked_in_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_provider_check_ins_provider_time ON provider_check_ins (provider_id, checked_in_at_ns DESC);
