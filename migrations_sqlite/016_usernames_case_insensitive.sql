-- Usernames are unique regardless of case: "Alice" and "alice" must not be two accounts
DROP INDEX idx_accounts_username;
CREATE UNIQUE INDEX idx_accounts_username_lower ON accounts (lower(username));
