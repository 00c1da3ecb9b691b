-- Termination tracking: when and why a contract ended early, and who ended it
ALTER TABLE contract_sign_requests ADD COLUMN terminated_at_ns INTEGER;
ALTER TABLE contract_sign_requests ADD COLUMN termination_reason TEXT CHECK (termination_reason IN ('expired', 'cancelled_by_requester', 'cancelled_by_provider', 'payment_failed', 'abuse', 'provider_offline'));
ALTER TABLE contract_sign_requests ADD COLUMN terminated_by_account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL;

CREATE INDEX idx_contract_sign_requests_terminated ON contract_sign_requests (terminated_at_ns DESC) WHERE terminated_at_ns IS NOT NULL;

-- Expired contracts ended at their scheduled end
UPDATE contract_sign_requests
SET terminated_at_ns = end_timestamp_ns,
    termination_reason = 'expired'
WHERE status = 'expired' AND terminated_at_ns IS NULL;
