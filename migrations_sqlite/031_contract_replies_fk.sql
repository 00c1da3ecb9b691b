-- contract_sign_replies was created without a foreign key; rebuild it (SQLite's 12-step procedure) to add one
PRAGMA foreign_keys = OFF;

BEGIN;

CREATE TABLE contract_sign_replies_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    replier_pubkey BLOB NOT NULL,
    accepted INTEGER NOT NULL CHECK (accepted IN (0, 1)),
    reply_memo TEXT NOT NULL DEFAULT '',
    instance_details TEXT,
    replied_at_ns INTEGER NOT NULL
);

-- Orphaned replies (their request was deleted) cannot satisfy the new key
INSERT INTO contract_sign_replies_new (id, contract_id, replier_pubkey, accepted, reply_memo, instance_details, replied_at_ns)
SELECT r.id, r.contract_id, r.replier_pubkey, r.accepted, r.reply_memo, r.instance_details, r.replied_at_ns
FROM contract_sign_replies r
WHERE r.contract_id IN (SELECT contract_id FROM contract_sign_requests);

DROP TABLE contract_sign_replies;

ALTER TABLE contract_sign_replies_new RENAME TO contract_sign_replies;

CREATE INDEX idx_contract_sign_replies_contract ON contract_sign_replies (contract_id);

PRAGMA foreign_key_check;

COMMIT;

PRAGMA foreign_keys = ON;
