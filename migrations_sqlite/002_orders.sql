-- orders with an enum status, a GLOB-checked code and cascading FKs
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'cancelled')),
    code TEXT NOT NULL CHECK (code GLOB '[A-Z][A-Z]-[0-9]*'),
    amount NUMERIC NOT NULL DEFAULT 0,
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 1000),
    meta_json TEXT,
    updated_at DATETIME
);
CREATE INDEX idx_orders_account ON orders (account_id, id DESC);
CREATE INDEX idx_orders_code ON orders (code) WHERE code IS NOT NULL;
