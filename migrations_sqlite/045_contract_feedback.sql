-- Customer engagement: feedback after a contract ends, and offerings saved for later
CREATE TABLE contract_feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BLOB NOT NULL UNIQUE REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    reviewer_pubkey BLOB NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    service_matched_description INTEGER CHECK (service_matched_description IN (0, 1)),
    would_rent_again INTEGER CHECK (would_rent_again IN (0, 1)),
    comment TEXT CHECK (length(comment) <= 2000),
    created_at_ns INTEGER NOT NULL
);

CREATE TABLE saved_offerings (
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    offering_id INTEGER NOT NULL REFERENCES provider_offerings (id) ON DELETE CASCADE,
    saved_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (account_id, offering_id)
);

CREATE INDEX idx_saved_offerings_offering ON saved_offerings (offering_id);
