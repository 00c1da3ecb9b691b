-- Subscription events: the billing history of each account's plan (from Stripe webhooks and the app)
CREATE TABLE subscription_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL CHECK (event_type IN ('created', 'upgraded', 'downgraded', 'renewed', 'canceled', 'payment_failed', 'trial_started', 'trial_ended')),
    old_plan_id TEXT REFERENCES subscription_plans (id) ON UPDATE CASCADE ON DELETE SET NULL,
    new_plan_id TEXT REFERENCES subscription_plans (id) ON UPDATE CASCADE ON DELETE SET NULL,
    stripe_event_id TEXT UNIQUE,
    amount_cents INTEGER,
    metadata_json TEXT,
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_subscription_events_account ON subscription_events (account_id, created_at_ns DESC);

-- Start every existing account's history with the plan it was put on in 055
INSERT INTO subscription_events (account_id, event_type, new_plan_id, created_at_ns)
SELECT id, 'created', subscription_plan_id, CAST((julianday(created_at) - 2440587.5) * 86400000000000 AS INTEGER)
FROM accounts;
