-- Email delivery retries with backoff, and a suppression list for bounced or complaining addresses
ALTER TABLE email_queue ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE email_queue ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts > 0);
ALTER TABLE email_queue ADD COLUMN last_error TEXT;
ALTER TABLE email_queue ADD COLUMN next_attempt_at_ns INTEGER;

CREATE INDEX idx_email_queue_retry ON email_queue (next_attempt_at_ns) WHERE next_attempt_at_ns IS NOT NULL;

CREATE TABLE email_suppressions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    reason TEXT NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribe', 'manual')),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
