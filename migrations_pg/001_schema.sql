-- Consolidated PostgreSQL schema of the marketplace backend.
--
-- This is the final state of migrations_sqlite/001-064 written once, in idiomatic
-- PostgreSQL. Every table names the SQLite migration that created it; columns that
-- later migrations added are grouped under the migration that added them, and indexes
-- added later carry its number. The in-app messaging tables (message_threads,
-- messages, message_read_receipts) were created in 023 and dropped in 033, so they
-- do not appear here. Seed rows are in 002_seed_data.sql.
--
-- Conventions, i.e. the type mapping schema-parity checks (see parity.toml):
--   INTEGER PRIMARY KEY AUTOINCREMENT   -> BIGSERIAL PRIMARY KEY
--   INTEGER                             -> BIGINT (the *_ns columns are nanoseconds since the epoch)
--   INTEGER 0/1 flag, CHECK (x IN (0,1)) -> BOOLEAN
--   BLOB, DEFAULT (randomblob(16))      -> BYTEA, DEFAULT gen_random_bytes(16) (pgcrypto)
--   REAL                                -> DOUBLE PRECISION
--   DATETIME DEFAULT CURRENT_TIMESTAMP  -> TIMESTAMPTZ DEFAULT now()
--   TEXT *_json                         -> JSONB
--   TEXT CHECK (length(x) <= n)         -> VARCHAR(n)
--   CHECK (x GLOB 'p')                  -> CHECK (x ~ '^regex$') (GLOB is anchored and case-sensitive)
--   UNIQUE COLLATE NOCASE / lower(x)    -> CREATE UNIQUE INDEX ... (lower(x))

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- ============================================================================
-- Era 1 — foundation (001–016)
-- ============================================================================

-- providers: 001_create_providers.sql
CREATE TABLE providers (
    id BIGSERIAL PRIMARY KEY,
    pubkey BYTEA NOT NULL UNIQUE CHECK (length(pubkey) = 32),
    name VARCHAR(128) NOT NULL,
    region TEXT,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    registered_at_ns BIGINT NOT NULL,
    last_seen_at_ns BIGINT,
    -- 049_account_id_columns.sql
    account_id BYTEA  -- REFERENCES accounts, added at the end of this file
);

CREATE INDEX idx_providers_last_seen ON providers (last_seen_at_ns DESC);
CREATE INDEX idx_providers_account ON providers (account_id) WHERE account_id IS NOT NULL;  -- 049

-- provider_profiles: 002_create_provider_profiles.sql; logo_base64 dropped in 061
CREATE TABLE provider_profiles (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL UNIQUE REFERENCES providers (id) ON DELETE CASCADE,
    display_name VARCHAR(100) NOT NULL,
    description TEXT,
    website_url TEXT,
    logo_url TEXT,
    unique_selling_points TEXT,  -- 002 as why_choose_us, renamed in 046
    api_version TEXT NOT NULL DEFAULT 'v1',
    profile_version BIGINT NOT NULL DEFAULT 1 CHECK (profile_version >= 1),
    country_code TEXT CHECK (country_code ~ '^[A-Z][A-Z]$'),
    founded_year BIGINT CHECK (founded_year BETWEEN 1990 AND 2100),
    is_verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- 034_provider_onboarding.sql
    tagline VARCHAR(160),
    support_email TEXT,
    support_hours TEXT,
    support_channels TEXT,
    regions TEXT,
    accepted_payment_methods TEXT,
    refund_policy TEXT,
    sla_guarantee TEXT,
    help_center_url TEXT,
    onboarding_completed_at_ns BIGINT,
    -- 043_auto_accept_rentals.sql
    auto_accept_rentals BOOLEAN NOT NULL DEFAULT FALSE
);

-- provider_check_ins: 003_create_provider_check_ins.sql
CREATE TABLE provider_check_ins (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    memo VARCHAR(256) NOT NULL DEFAULT '',
    nonce BYTEA NOT NULL,
    signature BYTEA NOT NULL CHECK (length(signature) = 64),
    checked_in_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_provider_check_ins_provider_time ON provider_check_ins (provider_id, checked_in_at_ns DESC);

-- accounts: 004_create_accounts.sql; rebuilt in 055 to add the subscription_plans foreign key
CREATE TABLE accounts (
    id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    username VARCHAR(64) NOT NULL CHECK (length(username) >= 3),
    display_name VARCHAR(100),
    bio TEXT,
    avatar_url TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- 018_track_last_login.sql
    last_login_at TIMESTAMPTZ,
    login_count BIGINT NOT NULL DEFAULT 0,
    -- 019_email_verification.sql
    email TEXT,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    email_verified_at TIMESTAMPTZ,
    -- 020_admin_flags.sql
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_suspended BOOLEAN NOT NULL DEFAULT FALSE,
    suspended_reason TEXT,
    -- 055_account_subscription_plan.sql
    subscription_plan_id TEXT NOT NULL DEFAULT 'free',  -- REFERENCES subscription_plans, added at the end of this file
    subscription_status TEXT NOT NULL DEFAULT 'active' CHECK (subscription_status IN ('active', 'trialing', 'past_due', 'canceled')),
    subscription_current_period_end_ns BIGINT,
    subscription_cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE,
    stripe_customer_id TEXT,

    CHECK (username ~ '^[A-Za-z0-9].*$'),

    CHECK (username !~ '^.*[^A-Za-z0-9._-].*$')
);

CREATE UNIQUE INDEX idx_accounts_username_lower ON accounts (lower(username));  -- 016
CREATE UNIQUE INDEX idx_accounts_email_nocase ON accounts (lower(email)) WHERE email IS NOT NULL;  -- 019
CREATE INDEX idx_accounts_last_login ON accounts (last_login_at DESC) WHERE last_login_at IS NOT NULL;  -- 018
CREATE INDEX idx_accounts_subscription_plan ON accounts (subscription_plan_id, subscription_status);  -- 055
CREATE UNIQUE INDEX idx_accounts_stripe_customer ON accounts (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;  -- 055

-- account_public_keys: 005_create_account_public_keys.sql
CREATE TABLE account_public_keys (
    id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    public_key BYTEA NOT NULL UNIQUE CHECK (length(public_key) = 32),
    device_name VARCHAR(64),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    disabled_at TIMESTAMPTZ,
    disabled_by_key_id BYTEA REFERENCES account_public_keys (id) ON DELETE SET NULL
);

CREATE INDEX idx_account_public_keys_account ON account_public_keys (account_id);
CREATE INDEX idx_account_public_keys_disabled_by ON account_public_keys (disabled_by_key_id) WHERE disabled_by_key_id IS NOT NULL;

-- oauth_accounts: 006_create_oauth_accounts.sql
CREATE TABLE oauth_accounts (
    id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    provider TEXT NOT NULL CHECK (provider IN ('google_oauth', 'github')),
    external_id TEXT NOT NULL,
    email TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (provider, external_id)
);

CREATE INDEX idx_oauth_accounts_account ON oauth_accounts (account_id);
CREATE INDEX idx_oauth_accounts_email ON oauth_accounts (email) WHERE email IS NOT NULL;

-- provider_offerings: 007_create_provider_offerings.sql
CREATE TABLE provider_offerings (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    offering_id VARCHAR(64) NOT NULL,
    offer_name VARCHAR(128) NOT NULL,
    description TEXT,
    product_page_url TEXT,
    product_type TEXT NOT NULL DEFAULT 'compute' CHECK (product_type IN ('compute', 'gpu', 'dedicated', 'storage', 'network')),
    visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private', 'unlisted')),
    stock_status TEXT NOT NULL DEFAULT 'in_stock' CHECK (stock_status IN ('in_stock', 'out_of_stock', 'discontinued')),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z][A-Z][A-Z]$'),
    monthly_price DOUBLE PRECISION NOT NULL CHECK (monthly_price >= 0),
    setup_fee DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),
    processor_brand TEXT,
    processor_cores BIGINT CHECK (processor_cores > 0),
    memory_size TEXT,  -- 007 as memory_amount, renamed in 046
    total_ssd_capacity TEXT,
    datacenter_country TEXT NOT NULL CHECK (datacenter_country ~ '^[A-Z][A-Z]$'),
    datacenter_city TEXT NOT NULL,
    min_contract_hours BIGINT NOT NULL DEFAULT 1 CHECK (min_contract_hours >= 1),
    max_contract_hours BIGINT,
    created_at_ns BIGINT NOT NULL,
    -- 014_add_offering_gpu_fields.sql
    gpu_name TEXT,
    gpu_count BIGINT NOT NULL DEFAULT 0 CHECK (gpu_count >= 0),
    gpu_memory_gb BIGINT CHECK (gpu_memory_gb > 0),
    -- 052_offering_provisioner_config.sql
    provisioner_type TEXT CHECK (provisioner_type IN ('proxmox', 'hetzner', 'docker', 'manual')),
    provisioner_config_json JSONB,
    -- 057_usage_billing.sql
    pricing_model TEXT NOT NULL DEFAULT 'flat' CHECK (pricing_model IN ('flat', 'usage')),
    billing_unit TEXT NOT NULL DEFAULT 'hour' CHECK (billing_unit IN ('minute', 'hour', 'day', 'month')),
    price_per_unit DOUBLE PRECISION CHECK (price_per_unit >= 0),
    included_units BIGINT CHECK (included_units >= 0),

    UNIQUE (provider_id, offering_id)
);

CREATE INDEX idx_provider_offerings_type_price ON provider_offerings (product_type, monthly_price);
CREATE INDEX idx_provider_offerings_location ON provider_offerings (datacenter_country, datacenter_city);
CREATE INDEX idx_provider_offerings_gpu ON provider_offerings (gpu_name, gpu_count DESC) WHERE gpu_name IS NOT NULL;  -- 014

-- offering_tags: 007_create_provider_offerings.sql
CREATE TABLE offering_tags (
    offering_id BIGINT NOT NULL REFERENCES provider_offerings (id) ON DELETE CASCADE,
    tag VARCHAR(32) NOT NULL,
    PRIMARY KEY (offering_id, tag)
);

CREATE INDEX idx_offering_tags_tag ON offering_tags (tag);

-- provider_contacts: 008_create_contacts.sql
CREATE TABLE provider_contacts (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    contact_type TEXT NOT NULL CHECK (contact_type IN ('email', 'phone', 'telegram', 'discord', 'matrix')),
    contact_value TEXT NOT NULL,
    is_public BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_ns BIGINT NOT NULL,
    UNIQUE (provider_id, contact_type, contact_value)
);

-- account_contacts: 008_create_contacts.sql
CREATE TABLE account_contacts (
    id BIGSERIAL PRIMARY KEY,
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_type TEXT NOT NULL CHECK (contact_type IN ('email', 'phone', 'telegram', 'discord', 'matrix')),
    contact_value TEXT NOT NULL,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_account_contacts_account ON account_contacts (account_id, contact_type);

-- contract_sign_requests: 009_create_contract_sign_requests.sql
CREATE TABLE contract_sign_requests (
    contract_id BYTEA PRIMARY KEY CHECK (length(contract_id) = 32),
    requester_pubkey BYTEA NOT NULL,
    requester_ssh_pubkey TEXT NOT NULL,
    requester_contact TEXT NOT NULL,
    provider_pubkey BYTEA NOT NULL REFERENCES providers (pubkey) ON UPDATE CASCADE ON DELETE RESTRICT,
    offering_id TEXT NOT NULL,
    offering_db_id BIGINT REFERENCES provider_offerings (id) ON DELETE SET NULL,
    region_name TEXT,
    instance_config TEXT,
    operating_system TEXT,
    payment_method TEXT NOT NULL DEFAULT 'crypto' CHECK (payment_method IN ('crypto', 'card')),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z][A-Z][A-Z]$'),
    payment_amount_e9s BIGINT NOT NULL CHECK (payment_amount_e9s >= 0),
    price_per_hour_e9s BIGINT CHECK (price_per_hour_e9s >= 0),
    start_timestamp_ns BIGINT,
    end_timestamp_ns BIGINT,
    duration_hours BIGINT CHECK (duration_hours > 0),
    original_duration_hours BIGINT,
    request_memo VARCHAR(512) NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'pending', 'accepted', 'provisioning', 'provisioned', 'active', 'rejected', 'cancelled', 'expired')),
    status_updated_at_ns BIGINT,
    status_updated_by BYTEA,
    provisioning_instance_details TEXT,
    provisioning_completed_at_ns BIGINT,
    auto_renew BOOLEAN NOT NULL DEFAULT FALSE,
    renewal_count BIGINT NOT NULL DEFAULT 0 CHECK (renewal_count >= 0),
    last_renewed_at_ns BIGINT,
    payment_tx_hash TEXT,
    created_at_ns BIGINT NOT NULL,
    -- 030_contract_payment_status.sql
    payment_status TEXT NOT NULL DEFAULT 'pending' CHECK (payment_status IN ('pending', 'succeeded', 'failed', 'refunded')),
    stripe_payment_intent_id TEXT,
    stripe_customer_id TEXT,
    refund_amount_e9s BIGINT CHECK (refund_amount_e9s >= 0),
    refunded_at_ns BIGINT,
    -- 037_reseller_orders.sql
    reseller_relationship_id BIGINT,  -- REFERENCES reseller_relationships, added at the end of this file
    -- 040_tax_tracking.sql
    tax_amount_e9s BIGINT CHECK (tax_amount_e9s >= 0),
    customer_tax_id TEXT,
    -- 043_auto_accept_rentals.sql
    auto_accepted BOOLEAN NOT NULL DEFAULT FALSE,
    -- 049_account_id_columns.sql
    requester_account_id BYTEA REFERENCES accounts (id) ON DELETE SET NULL,
    provider_account_id BYTEA REFERENCES accounts (id) ON DELETE SET NULL,
    -- 051_termination_tracking.sql
    terminated_at_ns BIGINT,
    termination_reason TEXT CHECK (termination_reason IN ('expired', 'cancelled_by_requester', 'cancelled_by_provider', 'payment_failed', 'abuse', 'provider_offline')),
    terminated_by_account_id BYTEA REFERENCES accounts (id) ON DELETE SET NULL,
    -- 053_agent_pools.sql
    agent_pool_id BYTEA,  -- REFERENCES agent_pools, added at the end of this file
    -- 058_contract_usage.sql
    usage_reported_until_ns BIGINT,
    -- 059_gateway_config.sql
    gateway_slug VARCHAR(32),
    gateway_ssh_port BIGINT CHECK (gateway_ssh_port BETWEEN 1 AND 65535),
    gateway_port_range_start BIGINT,
    gateway_port_range_end BIGINT,

    CHECK (end_timestamp_ns IS NULL OR start_timestamp_ns IS NULL OR end_timestamp_ns > start_timestamp_ns)
);

CREATE INDEX idx_contract_sign_requests_requester ON contract_sign_requests (requester_pubkey, created_at_ns DESC);
CREATE INDEX idx_contract_sign_requests_provider_status ON contract_sign_requests (provider_pubkey, status);
CREATE INDEX idx_contract_sign_requests_offering ON contract_sign_requests (offering_db_id) WHERE offering_db_id IS NOT NULL;
CREATE UNIQUE INDEX idx_contract_sign_requests_payment_intent ON contract_sign_requests (stripe_payment_intent_id) WHERE stripe_payment_intent_id IS NOT NULL;  -- 030
CREATE INDEX idx_contract_sign_requests_requester_account ON contract_sign_requests (requester_account_id, created_at_ns DESC) WHERE requester_account_id IS NOT NULL;  -- 049
CREATE INDEX idx_contract_sign_requests_provider_account ON contract_sign_requests (provider_account_id, status) WHERE provider_account_id IS NOT NULL;  -- 049
CREATE INDEX idx_contract_sign_requests_terminated ON contract_sign_requests (terminated_at_ns DESC) WHERE terminated_at_ns IS NOT NULL;  -- 051
CREATE UNIQUE INDEX idx_contract_sign_requests_gateway_slug ON contract_sign_requests (gateway_slug) WHERE gateway_slug IS NOT NULL;  -- 059

-- contract_sign_replies: 010_create_contract_replies_and_history.sql; rebuilt in 031 to add the contract_sign_requests foreign key
CREATE TABLE contract_sign_replies (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    replier_pubkey BYTEA NOT NULL,
    accepted BOOLEAN NOT NULL,
    reply_memo TEXT NOT NULL DEFAULT '',
    instance_details TEXT,
    replied_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_contract_sign_replies_contract ON contract_sign_replies (contract_id);

-- contract_status_history: 010_create_contract_replies_and_history.sql
CREATE TABLE contract_status_history (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    old_status TEXT,
    new_status TEXT NOT NULL,
    changed_by BYTEA,
    memo TEXT,
    changed_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_contract_status_history_contract ON contract_status_history (contract_id, changed_at_ns DESC);

-- payment_methods: 011_create_payment_methods.sql
CREATE TABLE payment_methods (
    id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    method_type TEXT NOT NULL CHECK (method_type IN ('card', 'crypto')),
    label VARCHAR(64),
    card_brand TEXT CHECK (card_brand IN ('visa', 'mastercard', 'amex', 'discover', 'other')),
    card_last4 TEXT CHECK (card_last4 ~ '^[0-9][0-9][0-9][0-9]$'),
    card_exp_month BIGINT CHECK (card_exp_month BETWEEN 1 AND 12),
    card_exp_year BIGINT CHECK (card_exp_year >= 2000),
    stripe_payment_method_id TEXT,
    crypto_network TEXT CHECK (crypto_network IN ('icp', 'ethereum', 'bitcoin', 'solana')),
    wallet_address TEXT,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((method_type = 'card' AND card_last4 IS NOT NULL) OR (method_type = 'crypto' AND wallet_address IS NOT NULL))
);

CREATE UNIQUE INDEX idx_payment_methods_stripe ON payment_methods (stripe_payment_method_id) WHERE stripe_payment_method_id IS NOT NULL;
CREATE INDEX idx_payment_methods_account ON payment_methods (account_id, created_at DESC);

-- email_queue: 012_create_email_queue.sql
CREATE TABLE email_queue (
    id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    to_addr TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    subject VARCHAR(255) NOT NULL,
    body TEXT NOT NULL,
    is_html BOOLEAN NOT NULL DEFAULT FALSE,
    email_type TEXT NOT NULL DEFAULT 'general' CHECK (email_type IN ('general', 'recovery', 'verification', 'notification', 'receipt', 'invoice')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at_ns BIGINT NOT NULL,
    sent_at_ns BIGINT,
    -- 032_email_queue_retries.sql
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts BIGINT NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    last_error TEXT,
    next_attempt_at_ns BIGINT
);

CREATE INDEX idx_email_queue_status ON email_queue (status, created_at_ns);
CREATE INDEX idx_email_queue_retry ON email_queue (next_attempt_at_ns) WHERE next_attempt_at_ns IS NOT NULL;  -- 032

-- account_recovery_tokens: 013_create_account_recovery.sql
CREATE TABLE account_recovery_tokens (
    token BYTEA PRIMARY KEY CHECK (length(token) = 32),
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX idx_account_recovery_tokens_account ON account_recovery_tokens (account_id);
CREATE INDEX idx_account_recovery_tokens_expires ON account_recovery_tokens (expires_at) WHERE used_at IS NULL;

-- token_transfers: 015_create_ledger.sql
CREATE TABLE token_transfers (
    id BIGSERIAL PRIMARY KEY,
    from_account BYTEA NOT NULL,
    to_account BYTEA NOT NULL,
    amount_e9s BIGINT NOT NULL CHECK (amount_e9s > 0),
    fee_e9s BIGINT NOT NULL DEFAULT 0 CHECK (fee_e9s >= 0),
    memo TEXT,
    block_height BIGINT,
    created_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_token_transfers_from ON token_transfers (from_account, created_at_ns DESC);
CREATE INDEX idx_token_transfers_to ON token_transfers (to_account, created_at_ns DESC);
CREATE UNIQUE INDEX idx_token_transfers_block ON token_transfers (block_height) WHERE block_height IS NOT NULL;

-- contract_payment_entries: 015_create_ledger.sql
CREATE TABLE contract_payment_entries (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    pricing_model TEXT NOT NULL CHECK (pricing_model IN ('on_demand', 'reserved')),
    time_period_unit TEXT NOT NULL CHECK (time_period_unit IN ('hour', 'day', 'month', 'year')),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    amount_e9s BIGINT NOT NULL,
    token_transfer_id BIGINT REFERENCES token_transfers (id) ON DELETE SET NULL,
    created_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_contract_payment_entries_contract ON contract_payment_entries (contract_id);

-- ============================================================================
-- Era 2 — integration (017–032)
-- ============================================================================

-- provider_trust_cache: 017_create_provider_trust_cache.sql
CREATE TABLE provider_trust_cache (
    pubkey BYTEA PRIMARY KEY REFERENCES providers (pubkey) ON DELETE CASCADE ON UPDATE CASCADE,
    trust_score BIGINT NOT NULL CHECK (trust_score BETWEEN 0 AND 100),
    has_critical_flags BOOLEAN NOT NULL DEFAULT FALSE,
    completed_contracts BIGINT NOT NULL DEFAULT 0 CHECK (completed_contracts >= 0),
    rejected_contracts BIGINT NOT NULL DEFAULT 0 CHECK (rejected_contracts >= 0),
    avg_response_seconds DOUBLE PRECISION,
    repeat_customer_ratio DOUBLE PRECISION CHECK (repeat_customer_ratio >= 0 AND repeat_customer_ratio <= 1),
    flags_json JSONB NOT NULL DEFAULT '[]'::jsonb,
    computed_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_provider_trust_cache_score ON provider_trust_cache (trust_score DESC);

-- login_events: 018_track_last_login.sql
CREATE TABLE login_events (
    id BIGSERIAL PRIMARY KEY,
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    public_key_id BYTEA REFERENCES account_public_keys (id) ON DELETE SET NULL,
    method TEXT NOT NULL CHECK (method IN ('key', 'oauth', 'recovery')),
    ip_address TEXT,
    user_agent TEXT,
    logged_in_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_login_events_account_time ON login_events (account_id, logged_in_at DESC);

-- email_verification_tokens: 019_email_verification.sql
CREATE TABLE email_verification_tokens (
    token BYTEA PRIMARY KEY CHECK (length(token) = 32),
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX idx_email_verification_tokens_account ON email_verification_tokens (account_id);

-- admin_actions: 020_admin_flags.sql
CREATE TABLE admin_actions (
    id BIGSERIAL PRIMARY KEY,
    admin_account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
    action TEXT NOT NULL CHECK (action IN ('suspend_account', 'unsuspend_account', 'grant_admin', 'revoke_admin', 'delete_offering', 'resend_email', 'refund_contract')),
    target_account_id BYTEA REFERENCES accounts (id) ON DELETE SET NULL,
    details TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_admin_actions_created ON admin_actions (created_at DESC);
CREATE INDEX idx_admin_actions_target ON admin_actions (target_account_id) WHERE target_account_id IS NOT NULL;

-- support_conversations: 021_support_conversations.sql
CREATE TABLE support_conversations (
    id BIGSERIAL PRIMARY KEY,
    account_id BYTEA REFERENCES accounts (id) ON DELETE SET NULL,
    contract_id BYTEA REFERENCES contract_sign_requests (contract_id) ON DELETE SET NULL,
    subject VARCHAR(200) NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending_customer', 'pending_agent', 'resolved', 'closed')),
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    channel TEXT NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'email', 'telegram')),
    assigned_agent TEXT,
    first_response_at_ns BIGINT,
    resolved_at_ns BIGINT,
    sla_due_at_ns BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- 022_support_sla_policies.sql
    sla_policy_id BIGINT,  -- REFERENCES support_sla_policies, added at the end of this file
    sla_breached BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX idx_support_conversations_queue ON support_conversations (status, priority, sla_due_at_ns);
CREATE INDEX idx_support_conversations_account ON support_conversations (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX idx_support_conversations_sla_due ON support_conversations (sla_due_at_ns) WHERE resolved_at_ns IS NULL;  -- 022

-- support_messages: 021_support_conversations.sql
CREATE TABLE support_messages (
    id BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES support_conversations (id) ON DELETE CASCADE,
    sender_type TEXT NOT NULL CHECK (sender_type IN ('customer', 'agent', 'bot', 'system')),
    sender_account_id BYTEA REFERENCES accounts (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    is_internal_note BOOLEAN NOT NULL DEFAULT FALSE,
    created_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_support_messages_conversation ON support_messages (conversation_id, created_at_ns);

-- support_sla_policies: 022_support_sla_policies.sql
CREATE TABLE support_sla_policies (
    id BIGSERIAL PRIMARY KEY,
    priority TEXT NOT NULL UNIQUE CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    first_response_minutes BIGINT NOT NULL CHECK (first_response_minutes > 0),
    resolution_minutes BIGINT NOT NULL CHECK (resolution_minutes > 0),
    business_hours_only BOOLEAN NOT NULL DEFAULT TRUE,
    CHECK (resolution_minutes >= first_response_minutes)
);

-- crypto_escrows: 024_crypto_escrow.sql
CREATE TABLE crypto_escrows (
    contract_id BYTEA PRIMARY KEY REFERENCES contract_sign_requests (contract_id) ON DELETE RESTRICT,
    payer_account BYTEA NOT NULL,
    network TEXT NOT NULL DEFAULT 'icp' CHECK (network IN ('icp', 'ethereum', 'solana')),
    deposit_tx_hash TEXT,
    amount_e9s BIGINT NOT NULL CHECK (amount_e9s > 0),
    released_e9s BIGINT NOT NULL DEFAULT 0 CHECK (released_e9s >= 0),
    refunded_e9s BIGINT NOT NULL DEFAULT 0 CHECK (refunded_e9s >= 0),
    status TEXT NOT NULL DEFAULT 'awaiting_deposit' CHECK (status IN ('awaiting_deposit', 'funded', 'releasing', 'released', 'refunded', 'disputed')),
    funded_at_ns BIGINT,
    created_at_ns BIGINT NOT NULL,
    CHECK (released_e9s + refunded_e9s <= amount_e9s)
);

CREATE UNIQUE INDEX idx_crypto_escrows_deposit_tx ON crypto_escrows (deposit_tx_hash) WHERE deposit_tx_hash IS NOT NULL;
CREATE INDEX idx_crypto_escrows_status ON crypto_escrows (status);

-- payment_releases: 025_payment_releases.sql
CREATE TABLE payment_releases (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES crypto_escrows (contract_id) ON DELETE CASCADE,
    release_type TEXT NOT NULL CHECK (release_type IN ('daily', 'hourly', 'final', 'cancellation')),
    period_start_ns BIGINT NOT NULL,
    period_end_ns BIGINT NOT NULL,
    amount_e9s BIGINT NOT NULL CHECK (amount_e9s > 0),
    provider_pubkey BYTEA NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'released', 'paid_out', 'failed')),
    payout_tx_hash TEXT,
    created_at_ns BIGINT NOT NULL,
    released_at_ns BIGINT,
    CHECK (period_end_ns > period_start_ns)
);

CREATE INDEX idx_payment_releases_contract ON payment_releases (contract_id, period_start_ns);
CREATE INDEX idx_payment_releases_provider_status ON payment_releases (provider_pubkey, status);

-- chatbot_messages: 026_chatbot_message_tracking.sql
CREATE TABLE chatbot_messages (
    id BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES support_conversations (id) ON DELETE CASCADE,
    platform TEXT NOT NULL CHECK (platform IN ('telegram', 'chatwoot', 'web')),
    external_message_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    model TEXT,
    prompt_tokens BIGINT CHECK (prompt_tokens >= 0),
    completion_tokens BIGINT CHECK (completion_tokens >= 0),
    escalated_to_human BOOLEAN NOT NULL DEFAULT FALSE,
    created_at_ns BIGINT NOT NULL,
    UNIQUE (platform, external_message_id)
);

CREATE INDEX idx_chatbot_messages_conversation ON chatbot_messages (conversation_id, created_at_ns DESC);

-- notification_usage: 027_notification_usage.sql
CREATE TABLE notification_usage (
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'telegram', 'sms')),
    period TEXT NOT NULL CHECK (period ~ '^[0-9][0-9][0-9][0-9]-[01][0-9]$'),
    sent_count BIGINT NOT NULL DEFAULT 0 CHECK (sent_count >= 0),
    last_sent_at_ns BIGINT,
    PRIMARY KEY (account_id, channel, period)
);

-- notification_preferences: 028_notification_preferences.sql
CREATE TABLE notification_preferences (
    account_id BYTEA PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    notify_email BOOLEAN NOT NULL DEFAULT TRUE,
    notify_telegram BOOLEAN NOT NULL DEFAULT FALSE,
    notify_sms BOOLEAN NOT NULL DEFAULT FALSE,
    monthly_sms_limit BIGINT NOT NULL DEFAULT 20 CHECK (monthly_sms_limit BETWEEN 0 AND 1000),
    quiet_hours_start BIGINT CHECK (quiet_hours_start BETWEEN 0 AND 23),
    quiet_hours_end BIGINT CHECK (quiet_hours_end BETWEEN 0 AND 23),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- telegram_chat_links: 028_notification_preferences.sql
CREATE TABLE telegram_chat_links (
    id BIGSERIAL PRIMARY KEY,
    account_id BYTEA NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    chat_id BIGINT NOT NULL UNIQUE,
    telegram_username TEXT,
    link_code VARCHAR(16) UNIQUE,
    linked_at TIMESTAMPTZ
);

-- reputation_changes: 029_reputation_changes.sql
CREATE TABLE reputation_changes (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    contract_id BYTEA REFERENCES contract_sign_requests (contract_id) ON DELETE SET NULL,
    delta BIGINT NOT NULL CHECK (delta <> 0),
    reason TEXT NOT NULL,
    changed_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_reputation_changes_provider ON reputation_changes (provider_id, changed_at_ns DESC);

-- email_suppressions: 032_email_queue_retries.sql
CREATE TABLE email_suppressions (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribe', 'manual')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX idx_email_suppressions_email_lower ON email_suppressions (lower(email));

-- ============================================================================
-- Era 3 — provider features (033–048)
-- ============================================================================

-- help_center_articles: 034_provider_onboarding.sql
CREATE TABLE help_center_articles (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    slug TEXT NOT NULL CHECK (slug ~ '^[a-z0-9].*$' AND slug !~ '^.*[^a-z0-9-].*$'),
    title VARCHAR(200) NOT NULL,
    body_markdown TEXT NOT NULL,
    is_published BOOLEAN NOT NULL DEFAULT FALSE,
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at_ns BIGINT NOT NULL,
    updated_at_ns BIGINT,
    UNIQUE (provider_id, slug)
);

CREATE INDEX idx_help_center_articles_provider_order ON help_center_articles (provider_id, sort_order);

-- external_providers: 035_external_providers.sql
CREATE TABLE external_providers (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    website_url TEXT NOT NULL,
    logo_url TEXT,
    data_source TEXT NOT NULL DEFAULT 'scraper' CHECK (data_source IN ('scraper', 'api', 'manual')),
    offerings_count BIGINT NOT NULL DEFAULT 0 CHECK (offerings_count >= 0),
    last_synced_at_ns BIGINT,
    created_at_ns BIGINT NOT NULL
);

CREATE UNIQUE INDEX idx_external_providers_domain_lower ON external_providers (lower(domain));

-- reseller_relationships: 036_reseller_relationships.sql
CREATE TABLE reseller_relationships (
    id BIGSERIAL PRIMARY KEY,
    reseller_provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    external_provider_id BIGINT NOT NULL REFERENCES external_providers (id) ON DELETE CASCADE,
    commission_percent DOUBLE PRECISION NOT NULL DEFAULT 10 CHECK (commission_percent >= 0 AND commission_percent <= 50),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
    created_at_ns BIGINT NOT NULL,
    updated_at_ns BIGINT,
    UNIQUE (reseller_provider_id, external_provider_id)
);

CREATE INDEX idx_reseller_relationships_external ON reseller_relationships (external_provider_id);

-- reseller_orders: 037_reseller_orders.sql
CREATE TABLE reseller_orders (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL UNIQUE REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    reseller_relationship_id BIGINT NOT NULL REFERENCES reseller_relationships (id) ON DELETE RESTRICT,
    external_order_id TEXT,
    external_order_details TEXT,
    base_price_e9s BIGINT NOT NULL CHECK (base_price_e9s >= 0),
    commission_e9s BIGINT NOT NULL CHECK (commission_e9s >= 0),
    total_paid_e9s BIGINT NOT NULL CHECK (total_paid_e9s >= 0),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'failed', 'cancelled')),
    created_at_ns BIGINT NOT NULL,
    fulfilled_at_ns BIGINT
);

CREATE INDEX idx_reseller_orders_relationship_status ON reseller_orders (reseller_relationship_id, status);

-- document_sequences: 038_receipts.sql
CREATE TABLE document_sequences (
    name TEXT PRIMARY KEY CHECK (name ~ '^[a-z].*$'),
    next_value BIGINT NOT NULL DEFAULT 1 CHECK (next_value >= 1),
    updated_at_ns BIGINT
);

-- receipts: 038_receipts.sql
CREATE TABLE receipts (
    id BIGSERIAL PRIMARY KEY,
    receipt_number BIGINT NOT NULL UNIQUE CHECK (receipt_number >= 1),
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE RESTRICT,
    payment_method TEXT NOT NULL CHECK (payment_method IN ('crypto', 'card')),
    amount_e9s BIGINT NOT NULL CHECK (amount_e9s >= 0),
    currency TEXT NOT NULL CHECK (currency ~ '^[A-Z][A-Z][A-Z]$'),
    buyer_email TEXT,
    created_at_ns BIGINT NOT NULL,
    emailed_at_ns BIGINT
);

CREATE INDEX idx_receipts_contract ON receipts (contract_id);

-- invoices: 039_invoices.sql; pdf_blob added in 044 and dropped in 048
CREATE TABLE invoices (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE RESTRICT,
    invoice_number TEXT NOT NULL UNIQUE CHECK (invoice_number ~ '^INV-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]$'),
    invoice_year BIGINT NOT NULL CHECK (invoice_year >= 2024),
    sequence_in_year BIGINT NOT NULL CHECK (sequence_in_year >= 1),
    buyer_name TEXT,
    buyer_address TEXT,
    buyer_country_code TEXT CHECK (buyer_country_code ~ '^[A-Z][A-Z]$'),
    seller_name TEXT NOT NULL,
    seller_address TEXT NOT NULL,
    subtotal_e9s BIGINT NOT NULL CHECK (subtotal_e9s >= 0),
    total_e9s BIGINT NOT NULL CHECK (total_e9s >= 0),
    currency TEXT NOT NULL CHECK (currency ~ '^[A-Z][A-Z][A-Z]$'),
    status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('draft', 'issued', 'paid', 'void')),
    issued_at_ns BIGINT NOT NULL,
    paid_at_ns BIGINT,
    -- 040_tax_tracking.sql
    tax_rate_percent DOUBLE PRECISION CHECK (tax_rate_percent >= 0 AND tax_rate_percent <= 100),
    tax_e9s BIGINT NOT NULL DEFAULT 0 CHECK (tax_e9s >= 0),
    buyer_tax_id TEXT,
    reverse_charge BOOLEAN NOT NULL DEFAULT FALSE,
    seller_country_code TEXT NOT NULL,  -- no default on purpose (accepted difference, see parity.toml)
    -- 044_invoice_pdf.sql
    pdf_generated_at_ns BIGINT,
    -- 048_drop_invoice_pdf.sql
    pdf_object_key TEXT,

    UNIQUE (invoice_year, sequence_in_year)
);

CREATE INDEX idx_invoices_contract ON invoices (contract_id);
CREATE INDEX idx_invoices_issued ON invoices (issued_at_ns DESC);

-- invoice_line_items: 039_invoices.sql
CREATE TABLE invoice_line_items (
    id BIGSERIAL PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL CHECK (line_no >= 1),
    description TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_e9s BIGINT NOT NULL,
    amount_e9s BIGINT NOT NULL,
    UNIQUE (invoice_id, line_no)
);

-- tax_rates: 040_tax_tracking.sql
CREATE TABLE tax_rates (
    country_code TEXT PRIMARY KEY CHECK (country_code ~ '^[A-Z][A-Z]$'),
    country_name TEXT NOT NULL,
    standard_rate_percent DOUBLE PRECISION NOT NULL CHECK (standard_rate_percent >= 0 AND standard_rate_percent <= 100),
    reduced_rate_percent DOUBLE PRECISION CHECK (reduced_rate_percent >= 0 AND reduced_rate_percent <= 100),
    is_eu BOOLEAN NOT NULL DEFAULT FALSE,
    reverse_charge_b2b BOOLEAN NOT NULL DEFAULT FALSE,
    valid_from TEXT NOT NULL CHECK (valid_from ~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$')
);

-- billing_settings: 041_billing_settings.sql
CREATE TABLE billing_settings (
    account_id BYTEA PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    billing_name TEXT,
    billing_address TEXT,
    billing_country_code TEXT REFERENCES tax_rates (country_code) ON UPDATE CASCADE ON DELETE SET NULL,
    vat_id VARCHAR(20),
    invoice_email TEXT,
    preferred_currency TEXT NOT NULL DEFAULT 'USD' CHECK (preferred_currency ~ '^[A-Z][A-Z][A-Z]$'),
    auto_pay BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_billing_settings_country ON billing_settings (billing_country_code) WHERE billing_country_code IS NOT NULL;

-- provider_agent_delegations: 042_agent_delegations.sql
CREATE TABLE provider_agent_delegations (
    id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    agent_pubkey BYTEA NOT NULL UNIQUE CHECK (length(agent_pubkey) = 32),
    label VARCHAR(64),
    permissions_json JSONB NOT NULL DEFAULT '["provision","health_check","heartbeat"]'::jsonb,
    signature BYTEA NOT NULL CHECK (length(signature) = 64),
    expires_at_ns BIGINT,
    revoked_at_ns BIGINT,
    last_heartbeat_at_ns BIGINT,
    created_at_ns BIGINT NOT NULL,
    -- 053_agent_pools.sql
    pool_id BYTEA  -- REFERENCES agent_pools, added at the end of this file
);

CREATE INDEX idx_provider_agent_delegations_active ON provider_agent_delegations (provider_id) WHERE revoked_at_ns IS NULL;

-- contract_feedback: 045_contract_feedback.sql
CREATE TABLE contract_feedback (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL UNIQUE REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    reviewer_pubkey BYTEA NOT NULL,
    rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    service_matched_description BOOLEAN,
    would_rent_again BOOLEAN,
    comment VARCHAR(2000),
    created_at_ns BIGINT NOT NULL,
    -- 049_account_id_columns.sql
    reviewer_account_id BYTEA REFERENCES accounts (id) ON DELETE SET NULL
);

-- saved_offerings: 045_contract_feedback.sql
CREATE TABLE saved_offerings (
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    offering_id BIGINT NOT NULL REFERENCES provider_offerings (id) ON DELETE CASCADE,
    saved_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, offering_id)
);

CREATE INDEX idx_saved_offerings_offering ON saved_offerings (offering_id);

-- provider_payout_accounts: 047_provider_payouts.sql
CREATE TABLE provider_payout_accounts (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    method TEXT NOT NULL CHECK (method IN ('bank_transfer', 'crypto', 'stripe_connect')),
    account_holder TEXT,
    iban TEXT CHECK (iban ~ '^[A-Z][A-Z][0-9][0-9].*$'),
    wallet_address TEXT,
    stripe_account_id TEXT,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_provider_payout_accounts_provider ON provider_payout_accounts (provider_id);

-- provider_payouts: 047_provider_payouts.sql
CREATE TABLE provider_payouts (
    id BIGSERIAL PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE RESTRICT,
    payout_account_id BIGINT REFERENCES provider_payout_accounts (id) ON DELETE SET NULL,
    amount_e9s BIGINT NOT NULL CHECK (amount_e9s > 0),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z][A-Z][A-Z]$'),
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'processing', 'paid', 'failed')),
    period_start_ns BIGINT NOT NULL,
    period_end_ns BIGINT NOT NULL,
    external_reference TEXT,
    created_at_ns BIGINT NOT NULL,
    paid_at_ns BIGINT,
    CHECK (period_end_ns > period_start_ns)
);

CREATE INDEX idx_provider_payouts_provider_created ON provider_payouts (provider_id, created_at_ns DESC);

-- ============================================================================
-- Era 4 — advanced (049–064)
-- ============================================================================

-- agent_pools: 053_agent_pools.sql
CREATE TABLE agent_pools (
    pool_id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    name VARCHAR(64) NOT NULL,
    location TEXT NOT NULL,
    provisioner_type TEXT NOT NULL CHECK (provisioner_type IN ('proxmox', 'hetzner', 'docker', 'manual')),
    created_at_ns BIGINT NOT NULL,
    UNIQUE (provider_id, name)
);

-- agent_pool_setup_tokens: 053_agent_pools.sql
CREATE TABLE agent_pool_setup_tokens (
    token VARCHAR(64) PRIMARY KEY,
    pool_id BYTEA NOT NULL REFERENCES agent_pools (pool_id) ON DELETE CASCADE,
    label TEXT,
    created_at_ns BIGINT NOT NULL,
    expires_at_ns BIGINT NOT NULL,
    used_at_ns BIGINT,
    used_by_agent BYTEA,
    CHECK (expires_at_ns > created_at_ns)
);

CREATE INDEX idx_agent_pool_setup_tokens_pool ON agent_pool_setup_tokens (pool_id) WHERE used_at_ns IS NULL;

-- subscription_plans: 054_subscription_plans.sql
CREATE TABLE subscription_plans (
    id VARCHAR(32) PRIMARY KEY CHECK (id ~ '^[a-z].*$'),
    name TEXT NOT NULL,
    description TEXT,
    stripe_price_id TEXT UNIQUE,
    monthly_price_cents BIGINT NOT NULL DEFAULT 0 CHECK (monthly_price_cents >= 0),
    yearly_price_cents BIGINT CHECK (yearly_price_cents >= 0),
    trial_days BIGINT NOT NULL DEFAULT 0 CHECK (trial_days BETWEEN 0 AND 90),
    max_active_contracts BIGINT CHECK (max_active_contracts > 0),
    features_json JSONB NOT NULL DEFAULT '[]'::jsonb,  -- JSONB rejects invalid JSON: SQLite needs CHECK (json_valid(...)) for that
    is_public BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- subscription_events: 056_subscription_events.sql
CREATE TABLE subscription_events (
    id BIGSERIAL PRIMARY KEY,
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL CHECK (event_type IN ('created', 'upgraded', 'downgraded', 'renewed', 'canceled', 'payment_failed', 'trial_started', 'trial_ended')),
    old_plan_id TEXT REFERENCES subscription_plans (id) ON UPDATE CASCADE ON DELETE SET NULL,
    new_plan_id TEXT REFERENCES subscription_plans (id) ON UPDATE CASCADE ON DELETE SET NULL,
    stripe_event_id TEXT UNIQUE,
    amount_cents BIGINT,
    metadata_json JSONB,
    created_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_subscription_events_account ON subscription_events (account_id, created_at_ns DESC);

-- offering_usage_tiers: 057_usage_billing.sql
CREATE TABLE offering_usage_tiers (
    id BIGSERIAL PRIMARY KEY,
    offering_id BIGINT NOT NULL REFERENCES provider_offerings (id) ON DELETE CASCADE,
    from_units BIGINT NOT NULL CHECK (from_units >= 0),
    to_units BIGINT,
    price_per_unit DOUBLE PRECISION NOT NULL CHECK (price_per_unit >= 0),
    UNIQUE (offering_id, from_units),
    CHECK (to_units IS NULL OR to_units > from_units)
);

-- contract_usage: 058_contract_usage.sql
CREATE TABLE contract_usage (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    period_start_ns BIGINT NOT NULL,
    period_end_ns BIGINT NOT NULL,
    units_used DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (units_used >= 0),
    units_included DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (units_included >= 0),
    overage_units DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (overage_units >= 0),
    estimated_charge_cents BIGINT NOT NULL DEFAULT 0,
    reported_to_stripe BOOLEAN NOT NULL DEFAULT FALSE,
    stripe_usage_record_id TEXT,
    created_at_ns BIGINT NOT NULL,
    UNIQUE (contract_id, period_start_ns),
    CHECK (period_end_ns > period_start_ns)
);

CREATE INDEX idx_contract_usage_unreported ON contract_usage (created_at_ns) WHERE stripe_usage_record_id IS NULL;

-- contract_usage_events: 058_contract_usage.sql
CREATE TABLE contract_usage_events (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    event_type TEXT NOT NULL CHECK (event_type IN ('heartbeat', 'start', 'stop', 'resize')),
    units_delta DOUBLE PRECISION CHECK (units_delta >= 0),
    source TEXT NOT NULL DEFAULT 'agent' CHECK (source IN ('agent', 'provider', 'system')),
    metadata_json JSONB,
    recorded_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_contract_usage_events_contract ON contract_usage_events (contract_id, recorded_at_ns DESC);

-- gateway_config: 059_gateway_config.sql
CREATE TABLE gateway_config (
    id BIGSERIAL PRIMARY KEY,
    datacenter TEXT NOT NULL UNIQUE,
    base_domain TEXT NOT NULL,
    public_ip TEXT,
    port_range_start BIGINT NOT NULL CHECK (port_range_start BETWEEN 1024 AND 65535),
    port_range_end BIGINT NOT NULL CHECK (port_range_end BETWEEN 1024 AND 65535),
    ports_per_contract BIGINT NOT NULL DEFAULT 10 CHECK (ports_per_contract BETWEEN 1 AND 100),
    is_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (port_range_end > port_range_start)
);

-- gateway_port_allocations: 059_gateway_config.sql
CREATE TABLE gateway_port_allocations (
    id BIGSERIAL PRIMARY KEY,
    gateway_id BIGINT NOT NULL REFERENCES gateway_config (id) ON DELETE RESTRICT,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    port_start BIGINT NOT NULL CHECK (port_start BETWEEN 1024 AND 65535),
    port_count BIGINT NOT NULL CHECK (port_count > 0),
    allocated_at_ns BIGINT NOT NULL,
    released_at_ns BIGINT,
    UNIQUE (gateway_id, port_start)
);

CREATE INDEX idx_gateway_port_allocations_contract ON gateway_port_allocations (contract_id);

-- bandwidth_history: 060_bandwidth_history.sql
CREATE TABLE bandwidth_history (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    gateway_slug TEXT NOT NULL,
    provider_id BIGINT REFERENCES providers (id) ON DELETE SET NULL,
    bytes_in BIGINT NOT NULL DEFAULT 0 CHECK (bytes_in >= 0),
    bytes_out BIGINT NOT NULL DEFAULT 0 CHECK (bytes_out >= 0),
    recorded_at_ns BIGINT NOT NULL
);

CREATE INDEX idx_bandwidth_history_contract_time ON bandwidth_history (contract_id, recorded_at_ns DESC);
CREATE INDEX idx_bandwidth_history_provider_time ON bandwidth_history (provider_id, recorded_at_ns DESC);

-- stripe_webhook_events: 062_stripe_webhook_events.sql
CREATE TABLE stripe_webhook_events (
    event_id TEXT PRIMARY KEY CHECK (event_id ~ '^evt_.*$'),
    event_type TEXT NOT NULL,
    payload_json JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at TIMESTAMPTZ,
    processing_error TEXT
);

CREATE INDEX idx_stripe_webhook_events_unprocessed ON stripe_webhook_events (received_at) WHERE processed_at IS NULL;

-- contract_health_checks: 063_contract_health_checks.sql
CREATE TABLE contract_health_checks (
    id BIGSERIAL PRIMARY KEY,
    contract_id BYTEA NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    checked_at_ns BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('healthy', 'degraded', 'unreachable')),
    latency_ms BIGINT CHECK (latency_ms >= 0),
    details_json JSONB,
    reported_by_agent BYTEA
);

CREATE INDEX idx_contract_health_checks_contract_time ON contract_health_checks (contract_id, checked_at_ns DESC);

-- account_api_tokens: 064_account_api_tokens.sql
CREATE TABLE account_api_tokens (
    id BYTEA PRIMARY KEY DEFAULT gen_random_bytes(16),
    account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name VARCHAR(64) NOT NULL,
    token_prefix TEXT NOT NULL CHECK (token_prefix ~ '^mk_[a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9]$'),
    token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    scopes_json JSONB NOT NULL DEFAULT '["read"]'::jsonb,
    last_used_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);

CREATE INDEX idx_account_api_tokens_account_active ON account_api_tokens (account_id) WHERE revoked_at IS NULL;

-- ============================================================================
-- Foreign keys to tables defined further down (columns added by later migrations)
-- ============================================================================

-- 049_account_id_columns.sql
ALTER TABLE providers ADD CONSTRAINT providers_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE SET NULL;
-- 055_account_subscription_plan.sql
ALTER TABLE accounts ADD CONSTRAINT accounts_subscription_plan_id_fkey
    FOREIGN KEY (subscription_plan_id) REFERENCES subscription_plans (id) ON UPDATE CASCADE ON DELETE RESTRICT;
-- 037_reseller_orders.sql
ALTER TABLE contract_sign_requests ADD CONSTRAINT contract_sign_requests_reseller_relationship_id_fkey
    FOREIGN KEY (reseller_relationship_id) REFERENCES reseller_relationships (id) ON DELETE SET NULL;
-- 053_agent_pools.sql
ALTER TABLE contract_sign_requests ADD CONSTRAINT contract_sign_requests_agent_pool_id_fkey
    FOREIGN KEY (agent_pool_id) REFERENCES agent_pools (pool_id) ON DELETE SET NULL;
-- 022_support_sla_policies.sql
ALTER TABLE support_conversations ADD CONSTRAINT support_conversations_sla_policy_id_fkey
    FOREIGN KEY (sla_policy_id) REFERENCES support_sla_policies (id) ON DELETE SET NULL;
-- 053_agent_pools.sql
ALTER TABLE provider_agent_delegations ADD CONSTRAINT provider_agent_delegations_pool_id_fkey
    FOREIGN KEY (pool_id) REFERENCES agent_pools (pool_id) ON DELETE SET NULL;

-- ============================================================================
-- Triggers
-- ============================================================================

-- updated_at maintenance (002, 004 and again after the 055 rebuild, 021, 041).
-- SQLite re-UPDATEs the row in an AFTER UPDATE trigger; here the same triggers set
-- NEW.updated_at before the row is written.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_provider_profiles_updated_at
    BEFORE UPDATE ON provider_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_accounts_updated_at
    BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_support_conversations_updated_at
    BEFORE UPDATE ON support_conversations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_billing_settings_updated_at
    BEFORE UPDATE ON billing_settings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- 030: every change of a contract's status is appended to contract_status_history.
CREATE FUNCTION log_contract_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contract_status_history (contract_id, old_status, new_status, changed_by, changed_at_ns)
    VALUES (
        NEW.contract_id,
        OLD.status,
        NEW.status,
        NEW.status_updated_by,
        COALESCE(NEW.status_updated_at_ns, (extract(epoch FROM clock_timestamp()) * 1000000000)::bigint)
    );
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_contract_status_history
    AFTER UPDATE OF status ON contract_sign_requests
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION log_contract_status_change();
