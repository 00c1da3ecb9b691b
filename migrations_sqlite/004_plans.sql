-- subscription plans, seeded
CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    price REAL NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
INSERT INTO plans (id, name, price, active) VALUES (1, 'free', 0.0, 1), (2, 'pro', 9.99, 1), (3, 'legacy', 4.5, 0);
