-- Receipts for every payment, numbered from a gap-free sequence (bookkeeping forbids holes)
CREATE TABLE document_sequences (
    name TEXT PRIMARY KEY NOT NULL CHECK (name GLOB '[a-z]*'),
    next_value INTEGER NOT NULL DEFAULT 1 CHECK (next_value >= 1),
    updated_at_ns INTEGER
);

INSERT INTO document_sequences (name, next_value) VALUES ('receipt', 1);

CREATE TABLE receipts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_number INTEGER NOT NULL UNIQUE CHECK (receipt_number >= 1),
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE RESTRICT,
    payment_method TEXT NOT NULL CHECK (payment_method IN ('crypto', 'card')),
    amount_e9s INTEGER NOT NULL CHECK (amount_e9s >= 0),
    currency TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    buyer_email TEXT,
    created_at_ns INTEGER NOT NULL,
    emailed_at_ns INTEGER
);

CREATE INDEX idx_receipts_contract ON receipts (contract_id);
