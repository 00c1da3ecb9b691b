-- Seed rows: exactly the rows the SQLite migrations insert, in the order of those migrations.
-- Where a seed sets an explicit BIGSERIAL id, the sequence is moved past it afterwards, as
-- SQLite's AUTOINCREMENT would be.

-- 022_support_sla_policies.sql
INSERT INTO support_sla_policies (id, priority, first_response_minutes, resolution_minutes, business_hours_only) VALUES
    (1, 'low', 1440, 10080, TRUE),
    (2, 'normal', 480, 4320, TRUE),
    (3, 'high', 120, 1440, FALSE),
    (4, 'urgent', 30, 240, FALSE);
SELECT setval(pg_get_serial_sequence('support_sla_policies', 'id'), (SELECT max(id) FROM support_sla_policies));

-- 038_receipts.sql
INSERT INTO document_sequences (name, next_value) VALUES ('receipt', 1);

-- 040_tax_tracking.sql
INSERT INTO tax_rates (country_code, country_name, standard_rate_percent, reduced_rate_percent, is_eu, reverse_charge_b2b, valid_from) VALUES
    ('DE', 'Germany', 19.0, 7.0, TRUE, TRUE, '2024-01-01'),
    ('FR', 'France', 20.0, 5.5, TRUE, TRUE, '2024-01-01'),
    ('NL', 'Netherlands', 21.0, 9.0, TRUE, TRUE, '2024-01-01'),
    ('CH', 'Switzerland', 8.1, 2.6, FALSE, FALSE, '2024-01-01'),
    ('GB', 'United Kingdom', 20.0, 5.0, FALSE, FALSE, '2024-01-01'),
    ('US', 'United States', 0.0, NULL, FALSE, FALSE, '2024-01-01');

-- 054_subscription_plans.sql
INSERT INTO subscription_plans (id, name, description, monthly_price_cents, yearly_price_cents, trial_days, max_active_contracts, features_json, is_public, sort_order) VALUES
    ('free', 'Free', 'Pay-as-you-go rentals with community support', 0, NULL, 0, 3, '["marketplace","community_support"]', TRUE, 0),
    ('pro', 'Pro', 'Priority support, API access and usage-based billing', 2900, 29000, 14, 50, '["marketplace","priority_support","api_access","usage_billing"]', TRUE, 1),
    ('enterprise', 'Enterprise', 'Dedicated account manager, custom SLAs and invoicing', 49900, 499000, 30, NULL, '["marketplace","priority_support","api_access","usage_billing","custom_sla","invoicing"]', TRUE, 2),
    ('beta_tester', 'Beta tester', 'Pro features for the closed-beta cohort, not sold any more', 0, NULL, 0, 50, '["marketplace","priority_support","api_access"]', FALSE, 9);

-- 059_gateway_config.sql
INSERT INTO gateway_config (id, datacenter, base_domain, public_ip, port_range_start, port_range_end, ports_per_contract, is_enabled)
VALUES (1, 'default', 'gw.example-cloud.net', NULL, 20000, 59999, 10, TRUE);
SELECT setval(pg_get_serial_sequence('gateway_config', 'id'), (SELECT max(id) FROM gateway_config));
