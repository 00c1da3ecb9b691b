-- Agent delegations: a provider authorises a provisioning agent's key to act on its behalf
CREATE TABLE provider_agent_delegations (
    id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    agent_pubkey BLOB NOT NULL UNIQUE CHECK (length(agent_pubkey) = 32),
    label TEXT CHECK (length(label) <= 64),
    permissions_json TEXT NOT NULL DEFAULT '["provision","health_check","heartbeat"]',
    signature BLOB NOT NULL CHECK (length(signature) = 64),
    expires_at_ns INTEGER,
    revoked_at_ns INTEGER,
    last_heartbeat_at_ns INTEGER,
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX idx_provider_agent_delegations_active ON provider_agent_delegations (provider_id) WHERE revoked_at_ns IS NULL;
