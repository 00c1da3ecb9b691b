-- Bandwidth history: bytes through the gateway per contract, sampled by the gateway agent
CREATE TABLE bandwidth_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    gateway_slug TEXT NOT NULL,
    provider_id INTEGER REFERENCES providers (id) ON DELETE SET NULL,
    bytes_in INTEGER NOT NULL DEFAULT 0 CHECK (bytes_in >= 0),
    bytes_out INTEGER NOT NULL DEFAULT 0 CHECK (bytes_out >= 0),
    recorded_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_bandwidth_history_contract_time ON bandwidth_history (contract_id, recorded_at_ns DESC);
CREATE INDEX idx_bandwidth_history_provider_time ON bandwidth_history (provider_id, recorded_at_ns DESC);
