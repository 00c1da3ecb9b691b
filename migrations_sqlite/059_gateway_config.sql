-- Gateway: public ports are forwarded to rented machines from a configured range per datacenter
CREATE TABLE gateway_config (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    datacenter TEXT NOT NULL UNIQUE,
    base_domain TEXT NOT NULL,
    public_ip TEXT,
    port_range_start INTEGER NOT NULL CHECK (port_range_start BETWEEN 1024 AND 65535),
    port_range_end INTEGER NOT NULL CHECK (port_range_end BETWEEN 1024 AND 65535),
    ports_per_contract INTEGER NOT NULL DEFAULT 10 CHECK (ports_per_contract BETWEEN 1 AND 100),
    is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (port_range_end > port_range_start)
);

INSERT INTO gateway_config (id, datacenter, base_domain, public_ip, port_range_start, port_range_end, ports_per_contract, is_enabled)
VALUES (1, 'default', 'gw.example-cloud.net', NULL, 20000, 59999, 10, 1);

CREATE TABLE gateway_port_allocations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gateway_id INTEGER NOT NULL REFERENCES gateway_config (id) ON DELETE RESTRICT,
    contract_id BLOB NOT NULL REFERENCES contract_sign_requests (contract_id) ON DELETE CASCADE,
    port_start INTEGER NOT NULL CHECK (port_start BETWEEN 1024 AND 65535),
    port_count INTEGER NOT NULL CHECK (port_count > 0),
    allocated_at_ns INTEGER NOT NULL,
    released_at_ns INTEGER,
    UNIQUE (gateway_id, port_start)
);

CREATE INDEX idx_gateway_port_allocations_contract ON gateway_port_allocations (contract_id);

ALTER TABLE contract_sign_requests ADD COLUMN gateway_slug TEXT CHECK (length(gateway_slug) <= 32);
ALTER TABLE contract_sign_requests ADD COLUMN gateway_ssh_port INTEGER CHECK (gateway_ssh_port BETWEEN 1 AND 65535);
ALTER TABLE contract_sign_requests ADD COLUMN gateway_port_range_start INTEGER;
ALTER TABLE contract_sign_requests ADD COLUMN gateway_port_range_end INTEGER;

CREATE UNIQUE INDEX idx_contract_sign_requests_gateway_slug ON contract_sign_requests (gateway_slug) WHERE gateway_slug IS NOT NULL;
