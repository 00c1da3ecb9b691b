-- Card payments through Stripe: payment status and refunds on contracts; status changes logged automatically
ALTER TABLE contract_sign_requests ADD COLUMN payment_status TEXT NOT NULL DEFAULT 'pending' CHECK (payment_status IN ('pending', 'succeeded', 'failed', 'refunded'));
ALTER TABLE contract_sign_requests ADD COLUMN stripe_payment_intent_id TEXT;
ALTER TABLE contract_sign_requests ADD COLUMN stripe_customer_id TEXT;
ALTER TABLE contract_sign_requests ADD COLUMN refund_amount_e9s INTEGER CHECK (refund_amount_e9s >= 0);
ALTER TABLE contract_sign_requests ADD COLUMN refunded_at_ns INTEGER;

CREATE UNIQUE INDEX idx_contract_sign_requests_payment_intent ON contract_sign_requests (stripe_payment_intent_id) WHERE stripe_payment_intent_id IS NOT NULL;

-- Crypto contracts were paid up front: everything past 'requested' has succeeded
UPDATE contract_sign_requests
SET payment_status = 'succeeded'
WHERE payment_method = 'crypto'
  AND status IN ('accepted', 'provisioning', 'provisioned', 'active');

CREATE TRIGGER trg_contract_status_history
AFTER UPDATE OF status ON contract_sign_requests
FOR EACH ROW
WHEN OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO contract_status_history (contract_id, old_status, new_status, changed_by, changed_at_ns)
    VALUES (
        NEW.contract_id,
        OLD.status,
        NEW.status,
        NEW.status_updated_by,
        COALESCE(NEW.status_updated_at_ns, CAST((julianday('now') - 2440587.5) * 86400000000000 AS INTEGER))
    );
END;
