-- Subscription plans for customers (free / pro / enterprise), seeded here
CREATE TABLE subscription_plans (
    id TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z]*' AND length(id) <= 32),
    name TEXT NOT NULL,
    description TEXT,
    stripe_price_id TEXT UNIQUE,
    monthly_price_cents INTEGER NOT NULL DEFAULT 0 CHECK (monthly_price_cents >= 0),
    yearly_price_cents INTEGER CHECK (yearly_price_cents >= 0),
    trial_days INTEGER NOT NULL DEFAULT 0 CHECK (trial_days BETWEEN 0 AND 90),
    max_active_contracts INTEGER CHECK (max_active_contracts > 0),
    features_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(features_json)),
    is_public INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO subscription_plans (id, name, description, monthly_price_cents, yearly_price_cents, trial_days, max_active_contracts, features_json, is_public, sort_order) VALUES
    ('free', 'Free', 'Pay-as-you-go rentals with community support', 0, NULL, 0, 3, '["marketplace","community_support"]', 1, 0),
    ('pro', 'Pro', 'Priority support, API access and usage-based billing', 2900, 29000, 14, 50, '["marketplace","priority_support","api_access","usage_billing"]', 1, 1),
    ('enterprise', 'Enterprise', 'Dedicated account manager, custom SLAs and invoicing', 49900, 499000, 30, NULL, '["marketplace","priority_support","api_access","usage_billing","custom_sla","invoicing"]', 1, 2),
    ('beta_tester', 'Beta tester', 'Pro features for the closed-beta cohort, not sold any more', 0, NULL, 0, 50, '["marketplace","priority_support","api_access"]', 0, 9);
