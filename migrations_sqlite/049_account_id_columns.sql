-- Identify parties by account instead of by a raw public key: a key can be rotated, the account stays
ALTER TABLE providers ADD COLUMN account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE contract_sign_requests ADD COLUMN requester_account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE contract_sign_requests ADD COLUMN provider_account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE contract_feedback ADD COLUMN reviewer_account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL;

CREATE INDEX idx_providers_account ON providers (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX idx_contract_sign_requests_requester_account ON contract_sign_requests (requester_account_id, created_at_ns DESC) WHERE requester_account_id IS NOT NULL;
CREATE INDEX idx_contract_sign_requests_provider_account ON contract_sign_requests (provider_account_id, status) WHERE provider_account_id IS NOT NULL;
