DROP TABLE notes;
ALTER TABLE accounts DROP COLUMN display_name;
DELETE FROM accounts WHERE email = 'ann@example.com';
