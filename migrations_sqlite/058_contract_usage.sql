-- Contract usage: metered units per billing period (reported to Stripe) and the raw agent events behind them
CREATE TABLE contract_usage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    period_start_ns INTEGER NOT NULL,
    period_end_ns INTEGER NOT NULL,
    units_used REAL NOT NULL DEFAULT 0 CHECK (units_used >= 0),
    units_included REAL NOT NULL DEFAULT 0 CHECK (units_included >= 0),
    overage_units REAL NOT NULL DEFAULT 0 CHECK (overage_units >= 0),
    estimated_charge_cents INTEGER NOT NULL DEFAULT 0,
    reported_to_stripe INTEGER NOT NULL DEFAULT 0 CHECK (reported_to_stripe IN (0, 1)),
    stripe_usage_record_id TEXT,
    created_at_ns INTEGER NOT NULL,
    UNIQUE (contract_id, period_start_ns),
    CHECK (period_end_ns > period_start_ns)
);

CREATE INDEX idx_contract_usage_unreported ON contract_usage (created_at_ns) WHERE stripe_usage_record_id IS NULL;

CREATE TABLE contract_usage_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    event_type TEXT NOT NULL CHECK (event_type IN ('heartbeat', 'start', 'stop', 'resize')),
    units_delta REAL CHECK (units_delta >= 0),
    source TEXT NOT NULL DEFAULT 'agent' CHECK (source IN ('agent', 'provider', 'system')),
    metadata_json TEXT,
    recorded_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_contract_usage_events_contract ON contract_usage_events (contract_id, recorded_at_ns DESC);

ALTER TABLE contract_sign_requests ADD COLUMN usage_reported_until_ns INTEGER;
