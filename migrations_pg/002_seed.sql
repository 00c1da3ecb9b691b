-- seed rows matching sqlite/004_plans.sql
INSERT INTO plans (id, name, price, active) VALUES (1, 'free', 0.0, TRUE), (2, 'pro', 9.99, TRUE), (3, 'legacy', 4.5, FALSE);
SELECT setval('plans_id_seq', 3);
