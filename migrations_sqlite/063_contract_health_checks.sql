-- Health checks of rented machines, reported by the provider's agents
CREATE TABLE contract_health_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    checked_at_ns INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('healthy', 'degraded', 'unreachable')),
    latency_ms INTEGER CHECK (latency_ms >= 0),
    details_json TEXT,
    reported_by_agent BLOB
);

CREATE INDEX idx_contract_health_checks_contract_time ON contract_health_checks (contract_id, checked_at_ns DESC);
