-- In-app messaging between requesters and providers, threaded per contract
CREATE TABLE message_threads (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    contract_id BLOB REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    created_at_ns INTEGER NOT NULL,
    last_message_at_ns INTEGER
);

CREATE INDEX idx_message_threads_contract ON message_threads (contract_id);

CREATE TABLE messages (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    thread_id BLOB NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
    sender_pubkey BLOB NOT NULL,
    body TEXT NOT NULL CHECK (length(body) <= 10000),
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_messages_thread_time ON messages (thread_id, created_at_ns);

CREATE TABLE message_read_receipts (
    message_id BLOB NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    reader_pubkey BLOB NOT NULL,
    read_at_ns INTEGER NOT NULL,
    PRIMARY KEY (message_id, reader_pubkey)
);
