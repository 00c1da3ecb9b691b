-- Reseller relationships: a provider resells an external provider's machines for a commission
CREATE TABLE reseller_relationships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reseller_provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    external_provider_id INTEGER NOT NULL REFERENCES external_providers (id) ON DELETE CASCADE,
    commission_percent REAL NOT NULL DEFAULT 10 CHECK (commission_percent >= 0 AND commission_percent <= 50),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
    created_at_ns INTEGER NOT NULL,
    updated_at_ns INTEGER,
    UNIQUE (reseller_provider_id, external_provider_id)
);

CREATE INDEX idx_reseller_relationships_external ON reseller_relationships (external_provider_id);
