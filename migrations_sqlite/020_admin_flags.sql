-- Admin and suspension flags on accounts, with an audit log of admin actions
ALTER TABLE accounts ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1));
ALTER TABLE accounts ADD COLUMN is_suspended INTEGER NOT NULL DEFAULT 0 CHECK (is_suspended IN (0, 1));
ALTER TABLE accounts ADD COLUMN suspended_reason TEXT;

CREATE TABLE admin_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
    action TEXT NOT NULL CHECK (action IN ('suspend_account', 'unsuspend_account', 'grant_admin', 'revoke_admin', 'delete_offering', 'resend_email', 'refund_contract')),
    target_account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL,
    details TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_admin_actions_created ON admin_actions (created_at DESC);
CREATE INDEX idx_admin_actions_target ON admin_actions (target_account_id) WHERE target_account_id IS NOT NULL;
