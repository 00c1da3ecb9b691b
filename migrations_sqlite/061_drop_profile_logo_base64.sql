-- Logos are served from logo_url since the CDN move; drop the inline base64 copy
UPDATE provider_profiles
SET logo_url = 'data:image/png;base64,' || logo_base64
WHERE logo_url IS NULL AND logo_base64 IS NOT NULL;

ALTER TABLE provider_profiles DROP COLUMN logo_base64;
