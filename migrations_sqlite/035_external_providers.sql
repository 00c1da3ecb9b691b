-- External providers: hosting companies outside the network whose offerings are listed for resale
CREATE TABLE external_providers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE COLLATE NOCASE,
    website_url TEXT NOT NULL,
    logo_url TEXT,
    data_source TEXT NOT NULL DEFAULT 'scraper' CHECK (data_source IN ('scraper', 'api', 'manual')),
    offerings_count INTEGER NOT NULL DEFAULT 0 CHECK (offerings_count >= 0),
    last_synced_at_ns INTEGER,
    created_at_ns INTEGER NOT NULL
);
