-- notes: added via a table rebuild to attach an FK with SET NULL
CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL
);
ALTER TABLE notes ADD COLUMN order_id INTEGER;
PRAGMA foreign_keys = OFF;
CREATE TABLE notes_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL,
    order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO notes_new (id, body, order_id) SELECT id, body, order_id FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
PRAGMA foreign_keys = ON;
CREATE TRIGGER trg_orders_updated_at AFTER UPDATE ON orders
BEGIN
    UPDATE orders SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
