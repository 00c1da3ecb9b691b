-- VAT/sales-tax tracking: rates per country and the tax applied on each invoice
CREATE TABLE tax_rates (
    country_code TEXT PRIMARY KEY NOT NULL CHECK (country_code GLOB '[A-Z][A-Z]'),
    country_name TEXT NOT NULL,
    standard_rate_percent REAL NOT NULL CHECK (standard_rate_percent >= 0 AND standard_rate_percent <= 100),
    reduced_rate_percent REAL CHECK (reduced_rate_percent >= 0 AND reduced_rate_percent <= 100),
    is_eu INTEGER NOT NULL DEFAULT 0 CHECK (is_eu IN (0, 1)),
    reverse_charge_b2b INTEGER NOT NULL DEFAULT 0 CHECK (reverse_charge_b2b IN (0, 1)),
    valid_from TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);

INSERT INTO tax_rates (country_code, country_name, standard_rate_percent, reduced_rate_percent, is_eu, reverse_charge_b2b, valid_from) VALUES
    ('DE', 'Germany', 19.0, 7.0, 1, 1, '2024-01-01'),
    ('FR', 'France', 20.0, 5.5, 1, 1, '2024-01-01'),
    ('NL', 'Netherlands', 21.0, 9.0, 1, 1, '2024-01-01'),
    ('CH', 'Switzerland', 8.1, 2.6, 0, 0, '2024-01-01'),
    ('GB', 'United Kingdom', 20.0, 5.0, 0, 0, '2024-01-01'),
    ('US', 'United States', 0.0, NULL, 0, 0, '2024-01-01');

ALTER TABLE invoices ADD COLUMN tax_rate_percent REAL CHECK (tax_rate_percent >= 0 AND tax_rate_percent <= 100);
ALTER TABLE invoices ADD COLUMN tax_e9s INTEGER NOT NULL DEFAULT 0 CHECK (tax_e9s >= 0);
ALTER TABLE invoices ADD COLUMN buyer_tax_id TEXT;
ALTER TABLE invoices ADD COLUMN reverse_charge INTEGER NOT NULL DEFAULT 0 CHECK (reverse_charge IN (0, 1));
-- SQLite needs a default to add a NOT NULL column; the invoice writer always sets it
ALTER TABLE invoices ADD COLUMN seller_country_code TEXT NOT NULL DEFAULT '';

ALTER TABLE contract_sign_requests ADD COLUMN tax_amount_e9s INTEGER CHECK (tax_amount_e9s >= 0);
ALTER TABLE contract_sign_requests ADD COLUMN customer_tax_id TEXT;
