-- Usage-based billing: offerings can be priced per unit consumed, with tiered unit prices
ALTER TABLE provider_offerings ADD COLUMN pricing_model TEXT NOT NULL DEFAULT 'flat' CHECK (pricing_model IN ('flat', 'usage'));
ALTER TABLE provider_offerings ADD COLUMN billing_unit TEXT NOT NULL DEFAULT 'hour' CHECK (billing_unit IN ('minute', 'hour', 'day', 'month'));
ALTER TABLE provider_offerings ADD COLUMN price_per_unit REAL CHECK (price_per_unit >= 0);
ALTER TABLE provider_offerings ADD COLUMN included_units INTEGER CHECK (included_units >= 0);

CREATE TABLE offering_usage_tiers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    offering_id INTEGER NOT NULL REFERENCES provider_offerings (id) ON DELETE CASCADE,
    from_units INTEGER NOT NULL CHECK (from_units >= 0),
    to_units INTEGER,
    price_per_unit REAL NOT NULL CHECK (price_per_unit >= 0),
    UNIQUE (offering_id, from_units),
    CHECK (to_units IS NULL OR to_units > from_units)
);
