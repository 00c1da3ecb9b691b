-- Stripe webhook events, stored once by event id so redelivered webhooks are processed only once
CREATE TABLE stripe_webhook_events (
    event_id TEXT PRIMARY KEY NOT NULL CHECK (event_id GLOB 'evt_*'),
    event_type TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    received_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    processed_at DATETIME,
    processing_error TEXT
);

CREATE INDEX idx_stripe_webhook_events_unprocessed ON stripe_webhook_events (received_at) WHERE processed_at IS NULL;
