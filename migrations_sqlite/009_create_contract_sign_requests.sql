-- Contract sign requests: a customer asks a provider to rent one of its offerings for a period
CREATE TABLE contract_sign_requests (
    contract_id BLOB PRIMARY KEY NOT NULL CHECK (length(contract_id) = 32),
    requester_pubkey BLOB NOT NULL,
    requester_ssh_pubkey TEXT NOT NULL,
    requester_contact TEXT NOT NULL,
    provider_pubkey BLOB NOT NULL REFERENCES providers (pubkey) ON UPDATE CASCADE ON DELETE RESTRICT,
    offering_id TEXT NOT NULL,
    offering_db_id INTEGER REFERENCES provider_offerings (id) ON DELETE SET NULL,
    region_name TEXT,
    instance_config TEXT,
    operating_system TEXT,
    payment_method TEXT NOT NULL DEFAULT 'crypto' CHECK (payment_method IN ('crypto', 'card')),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    payment_amount_e9s INTEGER NOT NULL CHECK (payment_amount_e9s >= 0),
    price_per_hour_e9s INTEGER CHECK (price_per_hour_e9s >= 0),
    start_timestamp_ns INTEGER,
    end_timestamp_ns INTEGER,
    duration_hours INTEGER CHECK (duration_hours > 0),
    original_duration_hours INTEGER,
    request_memo TEXT NOT NULL DEFAULT '' CHECK (length(request_memo) <= 512),
    status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'pending', 'accepted', 'provisioning', 'provisioned', 'active', 'rejected', 'cancelled', 'expired')),
    status_updated_at_ns INTEGER,
    status_updated_by BLOB,
    provisioning_instance_details TEXT,
    provisioning_completed_at_ns INTEGER,
    auto_renew INTEGER NOT NULL DEFAULT 0 CHECK (auto_renew IN (0, 1)),
    renewal_count INTEGER NOT NULL DEFAULT 0 CHECK (renewal_count >= 0),
    last_renewed_at_ns INTEGER,
    payment_tx_hash TEXT,
    created_at_ns INTEGER NOT NULL,
    CHECK (end_timestamp_ns IS NULL OR start_timestamp_ns IS NULL OR end_timestamp_ns > start_timestamp_ns)
);

CREATE INDEX idx_contract_sign_requests_requester ON contract_sign_requests (requester_pubkey, created_at_ns DESC);
CREATE INDEX idx_contract_sign_requests_provider_status ON contract_sign_requests (provider_pubkey, status);
CREATE INDEX idx_contract_sign_requests_offering ON contract_sign_requests (offering_db_id) WHERE offering_db_id IS NOT NULL;
