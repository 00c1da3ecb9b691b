-- schema-parity regression: default.default.notification_preferences.notify_sms
-- notification_preferences: a row leaving out notify_sms is accepted by SQLite but rejected by PostgreSQL (not-null), which has no default for notify_sms.
-- sqlite:
INSERT INTO "accounts" ("id", "username") VALUES (X'', 'abc');
INSERT INTO "notification_preferences" ("notify_email", "notify_telegram", "monthly_sms_limit", "quiet_hours_start", "quiet_hours_end", "updated_at", "account_id") VALUES (0, 0, 0, NULL, NULL, '1971-01-01 00:00:00', X'') RETURNING "account_id", "notify_email", "notify_telegram", "notify_sms", "monthly_sms_limit", "quiet_hours_start", "quiet_hours_end", "updated_at";
-- postgres:
INSERT INTO "accounts" ("id", "username") VALUES ('\x'::bytea, 'abc');
INSERT INTO "notification_preferences" ("notify_email", "notify_telegram", "monthly_sms_limit", "quiet_hours_start", "quiet_hours_end", "updated_at", "account_id") VALUES (FALSE, FALSE, 0, NULL, NULL, '1971-01-01 00:00:00', '\x'::bytea) RETURNING "account_id", "notify_email", "notify_telegram", "notify_sms", "monthly_sms_limit", "quiet_hours_start", "quiet_hours_end", "updated_at";
