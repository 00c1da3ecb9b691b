-- Billing settings per account (invoice address, VAT id, currency), seeded from verified emails
CREATE TABLE billing_settings (
    account_id BLOB PRIMARY KEY NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    billing_name TEXT,
    billing_address TEXT,
    billing_country_code TEXT REFERENCES tax_rates (country_code) ON UPDATE CASCADE ON DELETE SET NULL,
    vat_id TEXT CHECK (length(vat_id) <= 20),
    invoice_email TEXT,
    preferred_currency TEXT NOT NULL DEFAULT 'USD' CHECK (preferred_currency GLOB '[A-Z][A-Z][A-Z]'),
    auto_pay INTEGER NOT NULL DEFAULT 0 CHECK (auto_pay IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_billing_settings_country ON billing_settings (billing_country_code) WHERE billing_country_code IS NOT NULL;

CREATE TRIGGER trg_billing_settings_updated_at
AFTER UPDATE ON billing_settings
FOR EACH ROW
BEGIN
    UPDATE billing_settings SET updated_at = CURRENT_TIMESTAMP WHERE account_id = NEW.account_id;
END;

-- Every account with a verified address gets invoices mailed there by default
INSERT INTO billing_settings (account_id, invoice_email)
SELECT id, email
FROM accounts
WHERE email IS NOT NULL AND email_verified = 1;
