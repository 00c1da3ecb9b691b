-- Notification preferences per account, and Telegram chat links for bot notifications
CREATE TABLE notification_preferences (
    account_id BLOB PRIMARY KEY NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    notify_email INTEGER NOT NULL DEFAULT 1 CHECK (notify_email IN (0, 1)),
    notify_telegram INTEGER NOT NULL DEFAULT 0 CHECK (notify_telegram IN (0, 1)),
    notify_sms INTEGER NOT NULL DEFAULT 0 CHECK (notify_sms IN (0, 1)),
    monthly_sms_limit INTEGER NOT NULL DEFAULT 20 CHECK (monthly_sms_limit BETWEEN 0 AND 1000),
    quiet_hours_start INTEGER CHECK (quiet_hours_start BETWEEN 0 AND 23),
    quiet_hours_end INTEGER CHECK (quiet_hours_end BETWEEN 0 AND 23),
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE telegram_chat_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BLOB NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    chat_id INTEGER NOT NULL UNIQUE,
    telegram_username TEXT,
    link_code TEXT UNIQUE CHECK (length(link_code) <= 16),
    linked_at DATETIME
);
