-- Saved payment methods: cards (tokenised by Stripe) and crypto wallets
CREATE TABLE payment_methods (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    method_type TEXT NOT NULL CHECK (method_type IN ('card', 'crypto')),
    label TEXT CHECK (length(label) <= 64),
    card_brand TEXT CHECK (card_brand IN ('visa', 'mastercard', 'amex', 'discover', 'other')),
    card_last4 TEXT CHECK (card_last4 GLOB '[0-9][0-9][0-9][0-9]'),
    card_exp_month INTEGER CHECK (card_exp_month BETWEEN 1 AND 12),
    card_exp_year INTEGER CHECK (card_exp_year >= 2000),
    stripe_payment_method_id TEXT,
    crypto_network TEXT CHECK (crypto_network IN ('icp', 'ethereum', 'bitcoin', 'solana')),
    wallet_address TEXT,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((method_type = 'card' AND card_last4 IS NOT NULL) OR (method_type = 'crypto' AND wallet_address IS NOT NULL))
);

CREATE UNIQUE INDEX idx_payment_methods_stripe ON payment_methods (stripe_payment_method_id) WHERE stripe_payment_method_id IS NOT NULL;
CREATE INDEX idx_payment_methods_account ON payment_methods (account_id, created_at DESC);
