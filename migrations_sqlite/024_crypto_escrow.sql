-- Crypto escrow: funds for a contract are held until released to the provider
CREATE TABLE crypto_escrows (
    contract_id BLOB PRIMARY KEY NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE RESTRICT,
    payer_account BLOB NOT NULL,
    network TEXT NOT NULL DEFAULT 'icp' CHECK (network IN ('icp', 'ethereum', 'solana')),
    deposit_tx_hash TEXT,
    amount_e9s INTEGER NOT NULL CHECK (amount_e9s > 0),
    released_e9s INTEGER NOT NULL DEFAULT 0 CHECK (released_e9s >= 0),
    refunded_e9s INTEGER NOT NULL DEFAULT 0 CHECK (refunded_e9s >= 0),
    status TEXT NOT NULL DEFAULT 'awaiting_deposit' CHECK (status IN ('awaiting_deposit', 'funded', 'releasing', 'released', 'refunded', 'disputed')),
    funded_at_ns INTEGER,
    created_at_ns INTEGER NOT NULL,
    CHECK (released_e9s + refunded_e9s <= amount_e9s)
);

CREATE UNIQUE INDEX idx_crypto_escrows_deposit_tx ON crypto_escrows (deposit_tx_hash) WHERE deposit_tx_hash IS NOT NULL;
CREATE INDEX idx_crypto_escrows_status ON crypto_escrows (status);
