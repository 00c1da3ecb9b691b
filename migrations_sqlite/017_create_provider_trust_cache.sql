-- Cache of computed provider trust scores so the marketplace listing does not recompute them per request
CREATE TABLE provider_trust_cache (
    pubkey BLOB PRIMARY KEY NOT NULL REFERENCES providers (pubkey) ON DELETE CASCADE ON UPDATE CASCADE,
    trust_score INTEGER NOT NULL CHECK (trust_score BETWEEN 0 AND 100),
    has_critical_flags INTEGER NOT NULL DEFAULT 0 CHECK (has_critical_flags IN (0, 1)),
    completed_contracts INTEGER NOT NULL DEFAULT 0 CHECK (completed_contracts >= 0),
    rejected_contracts INTEGER NOT NULL DEFAULT 0 CHECK (rejected_contracts >= 0),
    avg_response_seconds REAL,
    repeat_customer_ratio REAL CHECK (repeat_customer_ratio >= 0 AND repeat_customer_ratio <= 1),
    flags_json TEXT NOT NULL DEFAULT '[]',
    computed_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_provider_trust_cache_score ON provider_trust_cache (trust_score DESC);
