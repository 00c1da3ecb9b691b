-- Outbound email queue, drained by the mailer worker
CREATE TABLE email_queue (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    to_addr TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    subject TEXT NOT NULL CHECK (length(subject) <= 255),
    body TEXT NOT NULL,
    is_html INTEGER NOT NULL DEFAULT 0 CHECK (is_html IN (0, 1)),
    email_type TEXT NOT NULL DEFAULT 'general' CHECK (email_type IN ('general', 'recovery', 'verification', 'notification', 'receipt', 'invoice')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at_ns INTEGER NOT NULL,
    sent_at_ns INTEGER
);

CREATE INDEX idx_email_queue_status ON email_queue (status, created_at_ns);
