-- consolidated schema equivalent to ../sqlite under the default mappings
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    display_name VARCHAR(40),
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    public_key BYTEA NOT NULL DEFAULT gen_random_bytes(16),
    balance DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (balance >= 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_ns BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX accounts_username_key ON accounts (lower(username));
CREATE UNIQUE INDEX idx_accounts_email ON accounts (lower(email));

CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'cancelled')),
    code TEXT NOT NULL CHECK (code ~ '^[A-Z][A-Z]-[0-9].*$'),
    amount NUMERIC NOT NULL DEFAULT 0,
    quantity BIGINT NOT NULL DEFAULT 1 CHECK (quantity >= 1 AND quantity <= 1000),
    meta_json JSONB,
    updated_at TIMESTAMPTZ
);
CREATE INDEX idx_orders_account ON orders (account_id, id DESC);
CREATE INDEX idx_orders_code ON orders (code) WHERE code IS NOT NULL;

CREATE TABLE notes (
    id BIGSERIAL PRIMARY KEY,
    body TEXT NOT NULL,
    order_id BIGINT REFERENCES orders(id) ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE FUNCTION orders_set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_orders_updated_at BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_set_updated_at();

CREATE TABLE plans (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    price DOUBLE PRECISION NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
