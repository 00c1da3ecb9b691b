-- Agent pools: groups of provisioning agents per location, joined with one-time setup tokens
CREATE TABLE agent_pools (
    pool_id BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)),
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) <= 64),
    location TEXT NOT NULL,
    provisioner_type TEXT NOT NULL CHECK (provisioner_type IN ('proxmox', 'hetzner', 'docker', 'manual')),
    created_at_ns INTEGER NOT NULL,
    UNIQUE (provider_id, name)
);

CREATE TABLE agent_pool_setup_tokens (
    token TEXT PRIMARY KEY NOT NULL CHECK (length(token) <= 64),
    pool_id BLOB NOT NULL REFERENCES agent_pools (pool_id) ON DELETE CASCADE,
    label TEXT,
    created_at_ns INTEGER NOT NULL,
    expires_at_ns INTEGER NOT NULL,
    used_at_ns INTEGER,
    used_by_agent BLOB,
    CHECK (expires_at_ns > created_at_ns)
);

CREATE INDEX idx_agent_pool_setup_tokens_pool ON agent_pool_setup_tokens (pool_id) WHERE used_at_ns IS NULL;

ALTER TABLE provider_agent_delegations ADD COLUMN pool_id BLOB REFERENCES agent_pools (pool_id) ON DELETE SET NULL;
ALTER TABLE contract_sign_requests ADD COLUMN agent_pool_id BLOB REFERENCES agent_pools (pool_id) ON DELETE SET NULL;
