-- Provider payouts: where providers get paid, and each payout made
CREATE TABLE provider_payout_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    method TEXT NOT NULL CHECK (method IN ('bank_transfer', 'crypto', 'stripe_connect')),
    account_holder TEXT,
    iban TEXT CHECK (iban GLOB '[A-Z][A-Z][0-9][0-9]*'),
    wallet_address TEXT,
    stripe_account_id TEXT,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_provider_payout_accounts_provider ON provider_payout_accounts (provider_id);

CREATE TABLE provider_payouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE RESTRICT,
    payout_account_id INTEGER REFERENCES provider_payout_accounts (id) ON DELETE SET NULL,
    amount_e9s INTEGER NOT NULL CHECK (amount_e9s > 0),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'processing', 'paid', 'failed')),
    period_start_ns INTEGER NOT NULL,
    period_end_ns INTEGER NOT NULL,
    external_reference TEXT,
    created_at_ns INTEGER NOT NULL,
    paid_at_ns INTEGER,
    CHECK (period_end_ns > period_start_ns)
);

CREATE INDEX idx_provider_payouts_provider_created ON provider_payouts (provider_id, created_at_ns DESC);
