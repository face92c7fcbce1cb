CREATE SEQUENCE note_numbers START 100;
CREATE TABLE notes (
    id integer PRIMARY KEY DEFAULT nextval('note_numbers'),
    account_id bigint NOT NULL,
    body text
);
ALTER SEQUENCE note_numbers OWNED BY notes.id;
ALTER TABLE accounts ADD COLUMN display_name varchar(80);
INSERT INTO accounts (email, display_name) VALUES ('ann@example.com', 'Ann');
INSERT INTO notes (account_id, body) SELECT id, 'welcome' FROM accounts;
