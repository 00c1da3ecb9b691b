-- schema-parity regression: constraint.check.gateway_config.ports_per_contract
-- gateway_config: SQLite rejects ports_per_contract = 0 violating its CHECK but PostgreSQL accepts it.
-- sqlite:
INSERT INTO "gateway_config" ("datacenter", "base_domain", "public_ip", "port_range_start", "port_range_end", "ports_per_contract", "is_enabled", "created_at") VALUES ('', '', NULL, 1024, 1025, 0, 0, '1971-01-01 00:00:00');
-- postgres:
INSERT INTO "gateway_config" ("datacenter", "base_domain", "public_ip", "port_range_start", "port_range_end", "ports_per_contract", "is_enabled", "created_at") VALUES ('', '', NULL, 1024, 1025, 0, FALSE, '1971-01-01 00:00:00');
