-- Every account is on a subscription plan. SQLite cannot ADD COLUMN a NOT NULL foreign key, so rebuild accounts (12-step procedure)
PRAGMA foreign_keys = OFF;

BEGIN;

CREATE TABLE accounts_new (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    username TEXT NOT NULL CHECK (length(username) >= 3 AND length(username) <= 64),
    display_name TEXT CHECK (length(display_name) <= 100),
    bio TEXT,
    avatar_url TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_login_at DATETIME,
    login_count INTEGER NOT NULL DEFAULT 0,
    email TEXT,
    email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
    email_verified_at DATETIME,
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    is_suspended INTEGER NOT NULL DEFAULT 0 CHECK (is_suspended IN (0, 1)),
    suspended_reason TEXT,
    subscription_plan_id TEXT NOT NULL DEFAULT 'free' REFERENCES subscription_plans (id) ON UPDATE CASCADE ON DELETE RESTRICT,
    subscription_status TEXT NOT NULL DEFAULT 'active' CHECK (subscription_status IN ('active', 'trialing', 'past_due', 'canceled')),
    subscription_current_period_end_ns INTEGER,
    subscription_cancel_at_period_end INTEGER NOT NULL DEFAULT 0 CHECK (subscription_cancel_at_period_end IN (0, 1)),
    stripe_customer_id TEXT,
    CHECK (username GLOB '[A-Za-z0-9]*'),
    CHECK (username NOT GLOB '*[^A-Za-z0-9._-]*')
);

INSERT INTO accounts_new (
    id, username, display_name, bio, avatar_url, created_at, updated_at,
    last_login_at, login_count, email, email_verified, email_verified_at,
    is_admin, is_suspended, suspended_reason
)
SELECT
    id, username, display_name, bio, avatar_url, created_at, updated_at,
    last_login_at, login_count, email, email_verified, email_verified_at,
    is_admin, is_suspended, suspended_reason
FROM accounts;

DROP TABLE accounts;

ALTER TABLE accounts_new RENAME TO accounts;

CREATE UNIQUE INDEX idx_accounts_username_lower ON accounts (lower(username));
CREATE UNIQUE INDEX idx_accounts_email_nocase ON accounts (email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE INDEX idx_accounts_last_login ON accounts (last_login_at DESC) WHERE last_login_at IS NOT NULL;
CREATE INDEX idx_accounts_subscription_plan ON accounts (subscription_plan_id, subscription_status);
CREATE UNIQUE INDEX idx_accounts_stripe_customer ON accounts (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;

CREATE TRIGGER trg_accounts_updated_at
AFTER UPDATE ON accounts
FOR EACH ROW
BEGIN
    UPDATE accounts SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

PRAGMA foreign_key_check;

COMMIT;

PRAGMA foreign_keys = ON;
