-- schema-parity regression: cascade.on_delete.billing_settings.billing_country_code
-- billing_settings(billing_country_code) → tax_rates: deleting the parent row sets the child's reference to NULL on SQLite but refuses (not-null) on PostgreSQL.
-- sqlite:
INSERT INTO "accounts" ("id", "username") VALUES (X'81412d5f0b50f4adb3762d7c62', 'abc');
INSERT INTO "tax_rates" ("country_code", "country_name", "standard_rate_percent", "reduced_rate_percent", "is_eu", "reverse_charge_b2b", "valid_from") VALUES ('AA', '', 0.0, NULL, 0, 0, '0000-00-00') RETURNING "country_code", "country_name", "standard_rate_percent", "reduced_rate_percent", "is_eu", "reverse_charge_b2b", "valid_from";
INSERT INTO "billing_settings" ("billing_name", "billing_address", "vat_id", "invoice_email", "preferred_currency", "auto_pay", "created_at", "updated_at", "billing_country_code", "account_id") VALUES (NULL, NULL, NULL, NULL, 'AAA', 0, '1971-01-01 00:00:00', '1971-01-01 00:00:00', 'AA', X'81412d5f0b50f4adb3762d7c62') RETURNING "account_id", "billing_name", "billing_address", "billing_country_code", "vat_id", "invoice_email", "preferred_currency", "auto_pay", "created_at", "updated_at";
DELETE FROM "tax_rates" WHERE "country_code" = 'AA';
SELECT "billing_country_code" FROM "billing_settings" WHERE "account_id" = X'81412d5f0b50f4adb3762d7c62';
-- postgres:
INSERT INTO "accounts" ("id", "username") VALUES ('\x81412d5f0b50f4adb3762d7c62'::bytea, 'abc');
INSERT INTO "tax_rates" ("country_code", "country_name", "standard_rate_percent", "reduced_rate_percent", "is_eu", "reverse_charge_b2b", "valid_from") VALUES ('AA', '', 0.0, NULL, FALSE, FALSE, '0000-00-00') RETURNING "country_code", "country_name", "standard_rate_percent", "reduced_rate_percent", "is_eu", "reverse_charge_b2b", "valid_from";
INSERT INTO "billing_settings" ("billing_name", "billing_address", "vat_id", "invoice_email", "preferred_currency", "auto_pay", "created_at", "updated_at", "billing_country_code", "account_id") VALUES (NULL, NULL, NULL, NULL, 'AAA', FALSE, '1971-01-01 00:00:00', '1971-01-01 00:00:00', 'AA', '\x81412d5f0b50f4adb3762d7c62'::bytea) RETURNING "account_id", "billing_name", "billing_address", "billing_country_code", "vat_id", "invoice_email", "preferred_currency", "auto_pay", "created_at", "updated_at";
DELETE FROM "tax_rates" WHERE "country_code" = 'AA';
SELECT "billing_country_code" FROM "billing_settings" WHERE "account_id" = '\x81412d5f0b50f4adb3762d7c62'::bytea;
