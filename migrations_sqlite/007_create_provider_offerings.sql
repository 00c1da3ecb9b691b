-- Provider offerings: the VMs and bare-metal machines listed in the marketplace, plus free-form tags
CREATE TABLE provider_offerings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    offering_id TEXT NOT NULL CHECK (length(offering_id) <= 64),
    offer_name TEXT NOT NULL CHECK (length(offer_name) <= 128),
    description TEXT,
    product_page_url TEXT,
    product_type TEXT NOT NULL DEFAULT 'compute' CHECK (product_type IN ('compute', 'gpu', 'dedicated', 'storage', 'network')),
    visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private', 'unlisted')),
    stock_status TEXT NOT NULL DEFAULT 'in_stock' CHECK (stock_status IN ('in_stock', 'out_of_stock', 'discontinued')),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    monthly_price REAL NOT NULL CHECK (monthly_price >= 0),
    setup_fee REAL NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),
    processor_brand TEXT,
    processor_cores INTEGER CHECK (processor_cores > 0),
    memory_amount TEXT,
    total_ssd_capacity TEXT,
    datacenter_country TEXT NOT NULL CHECK (datacenter_country GLOB '[A-Z][A-Z]'),
    datacenter_city TEXT NOT NULL,
    min_contract_hours INTEGER NOT NULL DEFAULT 1 CHECK (min_contract_hours >= 1),
    max_contract_hours INTEGER,
    created_at_ns INTEGER NOT NULL,
    UNIQUE (provider_id, offering_id)
);

CREATE INDEX idx_provider_offerings_type_price ON provider_offerings (product_type, monthly_price);
CREATE INDEX idx_provider_offerings_location ON provider_offerings (datacenter_country, datacenter_city);

CREATE TABLE offering_tags (
    offering_id INTEGER NOT NULL REFERENCES provider_offerings (id) ON DELETE CASCADE,
    tag TEXT NOT NULL CHECK (length(tag) <= 32),
    PRIMARY KEY (offering_id, tag)
);

CREATE INDEX idx_offering_tags_tag ON offering_tags (tag);
