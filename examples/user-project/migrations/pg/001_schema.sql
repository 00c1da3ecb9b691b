-- the same schema, consolidated for PostgreSQL
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    handle VARCHAR(24) NOT NULL UNIQUE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE bookmarks (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    title TEXT,
    stars BIGINT NOT NULL DEFAULT 0 CHECK (stars >= 0 AND stars <= 5)
);
CREATE INDEX idx_bookmarks_user ON bookmarks (user_id);
