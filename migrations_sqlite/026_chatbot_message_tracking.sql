-- Chat-bot message tracking: which bot replies went out on which platform, and token usage
CREATE TABLE chatbot_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES support_conversations (id) ON DELETE CASCADE,
    platform TEXT NOT NULL CHECK (platform IN ('telegram', 'chatwoot', 'web')),
    external_message_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    model TEXT,
    prompt_tokens INTEGER CHECK (prompt_tokens >= 0),
    completion_tokens INTEGER CHECK (completion_tokens >= 0),
    escalated_to_human INTEGER NOT NULL DEFAULT 0 CHECK (escalated_to_human IN (0, 1)),
    created_at_ns INTEGER NOT NULL,
    UNIQUE (platform, external_message_id)
);

CREATE INDEX idx_chatbot_messages_conversation ON chatbot_messages (conversation_id, created_at_ns DESC);
