-- Invoices, numbered per calendar year (INV-2025-000001), with their line items
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE RESTRICT,
    invoice_number TEXT NOT NULL UNIQUE CHECK (invoice_number GLOB 'INV-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'),
    invoice_year INTEGER NOT NULL CHECK (invoice_year >= 2024),
    sequence_in_year INTEGER NOT NULL CHECK (sequence_in_year >= 1),
    buyer_name TEXT,
    buyer_address TEXT,
    buyer_country_code TEXT CHECK (buyer_country_code GLOB '[A-Z][A-Z]'),
    seller_name TEXT NOT NULL,
    seller_address TEXT NOT NULL,
    subtotal_e9s INTEGER NOT NULL CHECK (subtotal_e9s >= 0),
    total_e9s INTEGER NOT NULL CHECK (total_e9s >= 0),
    currency TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('draft', 'issued', 'paid', 'void')),
    issued_at_ns INTEGER NOT NULL,
    paid_at_ns INTEGER,
    UNIQUE (invoice_year, sequence_in_year)
);

CREATE INDEX idx_invoices_contract ON invoices (contract_id);
CREATE INDEX idx_invoices_issued ON invoices (issued_at_ns DESC);

CREATE TABLE invoice_line_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    description TEXT NOT NULL,
    quantity REAL NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_e9s INTEGER NOT NULL,
    amount_e9s INTEGER NOT NULL,
    UNIQUE (invoice_id, line_no)
);
