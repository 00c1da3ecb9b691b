-- Naming clean-up ahead of the public API v2
ALTER TABLE provider_profiles RENAME COLUMN why_choose_us TO unique_selling_points;
ALTER TABLE provider_offerings RENAME COLUMN memory_amount TO memory_size;
