-- SLA policies per priority, and SLA tracking on conversations
CREATE TABLE support_sla_policies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    priority TEXT NOT NULL UNIQUE CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    first_response_minutes INTEGER NOT NULL CHECK (first_response_minutes > 0),
    resolution_minutes INTEGER NOT NULL CHECK (resolution_minutes > 0),
    business_hours_only INTEGER NOT NULL DEFAULT 1 CHECK (business_hours_only IN (0, 1)),
    CHECK (resolution_minutes >= first_response_minutes)
);

INSERT INTO support_sla_policies (id, priority, first_response_minutes, resolution_minutes, business_hours_only) VALUES
    (1, 'low', 1440, 10080, 1),
    (2, 'normal', 480, 4320, 1),
    (3, 'high', 120, 1440, 0),
    (4, 'urgent', 30, 240, 0);

ALTER TABLE support_conversations ADD COLUMN sla_policy_id INTEGER REFERENCES support_sla_policies (id) ON DELETE SET NULL;
ALTER TABLE support_conversations ADD COLUMN sla_breached INTEGER NOT NULL DEFAULT 0 CHECK (sla_breached IN (0, 1));

CREATE INDEX idx_support_conversations_sla_due ON support_conversations (sla_due_at_ns) WHERE resolved_at_ns IS NULL;

-- Existing conversations get the policy matching their priority
UPDATE support_conversations
SET sla_policy_id = (SELECT p.id FROM support_sla_policies p WHERE p.priority = support_conversations.priority)
WHERE sla_policy_id IS NULL;
