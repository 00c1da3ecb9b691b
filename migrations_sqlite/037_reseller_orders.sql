-- Reseller orders: the order a reseller places upstream for a contract it sold
CREATE TABLE reseller_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL UNIQUE REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    reseller_relationship_id INTEGER NOT NULL REFERENCES reseller_relationships (id) ON DELETE RESTRICT,
    external_order_id TEXT,
    external_order_details TEXT,
    base_price_e9s INTEGER NOT NULL CHECK (base_price_e9s >= 0),
    commission_e9s INTEGER NOT NULL CHECK (commission_e9s >= 0),
    total_paid_e9s INTEGER NOT NULL CHECK (total_paid_e9s >= 0),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'failed', 'cancelled')),
    created_at_ns INTEGER NOT NULL,
    fulfilled_at_ns INTEGER
);

CREATE INDEX idx_reseller_orders_relationship_status ON reseller_orders (reseller_relationship_id, status);

ALTER TABLE contract_sign_requests ADD COLUMN reseller_relationship_id INTEGER REFERENCES reseller_relationships (id) ON DELETE SET NULL;
