-- Notification usage counters per account, channel and month (SMS is metered)
CREATE TABLE notification_usage (
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'telegram', 'sms')),
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    sent_count INTEGER NOT NULL DEFAULT 0 CHECK (sent_count >= 0),
    last_sent_at_ns INTEGER,
    PRIMARY KEY (account_id, channel, period)
);
