-- Reputation changes: every adjustment of a provider's reputation, with the contract that caused it
CREATE TABLE reputation_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    contract_id BLOB REFERENCES contract_sign_requests (contract_id) ON DELETE SET NULL,
    delta INTEGER NOT NULL CHECK (delta <> 0),
    reason TEXT NOT NULL,
    changed_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_reputation_changes_provider ON reputation_changes (provider_id, changed_at_ns DESC);
