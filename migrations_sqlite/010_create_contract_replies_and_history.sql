-- Provider replies to sign requests, and the audit trail of contract status changes
CREATE TABLE contract_sign_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL,
    replier_pubkey BLOB NOT NULL,
    accepted INTEGER NOT NULL CHECK (accepted IN (0, 1)),
    reply_memo TEXT NOT NULL DEFAULT '',
    instance_details TEXT,
    replied_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_contract_sign_replies_contract ON contract_sign_replies (contract_id);

CREATE TABLE contract_status_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    old_status TEXT,
    new_status TEXT NOT NULL,
    changed_by BLOB,
    memo TEXT,
    changed_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_contract_status_history_contract ON contract_status_history (contract_id, changed_at_ns DESC);
