-- Ledger: raw token transfers and the payments recorded against each contract
CREATE TABLE token_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_account BLOB NOT NULL,
    to_account BLOB NOT NULL,
    amount_e9s INTEGER NOT NULL CHECK (amount_e9s > 0),
    fee_e9s INTEGER NOT NULL DEFAULT 0 CHECK (fee_e9s >= 0),
    memo TEXT,
    block_height INTEGER,
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_token_transfers_from ON token_transfers (from_account, created_at_ns DESC);
CREATE INDEX idx_token_transfers_to ON token_transfers (to_account, created_at_ns DESC);
CREATE UNIQUE INDEX idx_token_transfers_block ON token_transfers (block_height) WHERE block_height IS NOT NULL;

CREATE TABLE contract_payment_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    pricing_model TEXT NOT NULL CHECK (pricing_model IN ('on_demand', 'reserved')),
    time_period_unit TEXT NOT NULL CHECK (time_period_unit IN ('hour', 'day', 'month', 'year')),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    amount_e9s INTEGER NOT NULL,
    token_transfer_id INTEGER REFERENCES token_transfers (id) ON DELETE SET NULL,
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_contract_payment_entries_contract ON contract_payment_entries (contract_id);
