-- Support desk: conversations between customers and support agents, with SLA due times
CREATE TABLE support_conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL,
    contract_id BLOB REFERENCES contract_sign_requests (contract_id) ON DELETE SET NULL,
    subject TEXT NOT NULL CHECK (length(subject) <= 200),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending_customer', 'pending_agent', 'resolved', 'closed')),
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    channel TEXT NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'email', 'telegram')),
    assigned_agent TEXT,
    first_response_at_ns INTEGER,
    resolved_at_ns INTEGER,
    sla_due_at_ns INTEGER,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_support_conversations_queue ON support_conversations (status, priority, sla_due_at_ns);
CREATE INDEX idx_support_conversations_account ON support_conversations (account_id) WHERE account_id IS NOT NULL;

CREATE TRIGGER trg_support_conversations_updated_at
AFTER UPDATE ON support_conversations
FOR EACH ROW
BEGIN
    UPDATE support_conversations SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE TABLE support_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES support_conversations (id) ON DELETE CASCADE,
    sender_type TEXT NOT NULL CHECK (sender_type IN ('customer', 'agent', 'bot', 'system')),
    sender_account_id BLOB REFERENCES accounts (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    is_internal_note INTEGER NOT NULL DEFAULT 0 CHECK (is_internal_note IN (0, 1)),
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_support_messages_conversation ON support_messages (conversation_id, created_at_ns);
