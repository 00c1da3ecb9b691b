-- Auto-accept rentals: providers may let contracts for their offerings be accepted without review
ALTER TABLE provider_profiles ADD COLUMN auto_accept_rentals INTEGER NOT NULL DEFAULT 0 CHECK (auto_accept_rentals IN (0, 1));
ALTER TABLE contract_sign_requests ADD COLUMN auto_accepted INTEGER NOT NULL DEFAULT 0 CHECK (auto_accepted IN (0, 1));
