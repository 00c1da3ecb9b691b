-- each user's bookmarks, gone with the user
CREATE TABLE bookmarks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    title TEXT,
    stars INTEGER NOT NULL DEFAULT 0 CHECK (stars BETWEEN 0 AND 5)
);
CREATE INDEX idx_bookmarks_user ON bookmarks (user_id);
