-- Provider profiles: the public storefront page of each provider
CREATE TABLE provider_profiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL UNIQUE REFERENCES providers (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL CHECK (length(display_name) <= 100),
    description TEXT,
    website_url TEXT,
    logo_url TEXT,
    logo_base64 TEXT,
    why_choose_us TEXT,
    api_version TEXT NOT NULL DEFAULT 'v1',
    profile_version INTEGER NOT NULL DEFAULT 1 CHECK (profile_version >= 1),
    country_code TEXT CHECK (country_code GLOB '[A-Z][A-Z]'),
    founded_year INTEGER CHECK (founded_year BETWEEN 1990 AND 2100),
    is_verified INTEGER NOT NULL DEFAULT 0 CHECK (is_verified IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TRIGGER trg_provider_profiles_updated_at
AFTER UPDATE ON provider_profiles
FOR EACH ROW
BEGIN
    UPDATE provider_profiles SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
