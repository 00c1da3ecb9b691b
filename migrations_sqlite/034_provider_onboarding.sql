-- Provider onboarding wizard and help-centre: support details on the profile, and help articles
ALTER TABLE provider_profiles ADD COLUMN tagline TEXT CHECK (length(tagline) <= 160);
ALTER TABLE provider_profiles ADD COLUMN support_email TEXT;
ALTER TABLE provider_profiles ADD COLUMN support_hours TEXT;
ALTER TABLE provider_profiles ADD COLUMN support_channels TEXT;
ALTER TABLE provider_profiles ADD COLUMN regions TEXT;
ALTER TABLE provider_profiles ADD COLUMN accepted_payment_methods TEXT;
ALTER TABLE provider_profiles ADD COLUMN refund_policy TEXT;
ALTER TABLE provider_profiles ADD COLUMN sla_guarantee TEXT;
ALTER TABLE provider_profiles ADD COLUMN help_center_url TEXT;
ALTER TABLE provider_profiles ADD COLUMN onboarding_completed_at_ns INTEGER;

CREATE TABLE help_center_articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    slug TEXT NOT NULL CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
    title TEXT NOT NULL CHECK (length(title) <= 200),
    body_markdown TEXT NOT NULL,
    is_published INTEGER NOT NULL DEFAULT 0 CHECK (is_published IN (0, 1)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at_ns INTEGER NOT NULL,
    updated_at_ns INTEGER,
    UNIQUE (provider_id, slug)
);

CREATE INDEX idx_help_center_articles_provider_order ON help_center_articles (provider_id, sort_order);
