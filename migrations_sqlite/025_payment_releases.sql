-- Payment releases: escrowed funds released to the provider period by period
CREATE TABLE payment_releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES crypto_escrows (contract_id) ON DELETE CASCADE,
    release_type TEXT NOT NULL CHECK (release_type IN ('daily', 'hourly', 'final', 'cancellation')),
    period_start_ns INTEGER NOT NULL,
    period_end_ns INTEGER NOT NULL,
    amount_e9s INTEGER NOT NULL CHECK (amount_e9s > 0),
    provider_pubkey BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'released', 'paid_out', 'failed')),
    payout_tx_hash TEXT,
    created_at_ns INTEGER NOT NULL,
    released_at_ns INTEGER,
    CHECK (period_end_ns > period_start_ns)
);

CREATE INDEX idx_payment_releases_contract ON payment_releases (contract_id, period_start_ns);
CREATE INDEX idx_payment_releases_provider_status ON payment_releases (provider_pubkey, status);
