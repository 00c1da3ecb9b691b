-- In-app messaging is superseded by the support desk and Telegram notifications: drop its tables
DROP TABLE message_read_receipts;
DROP TABLE messages;
DROP TABLE message_threads;
