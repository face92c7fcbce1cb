package sql

import "testing"

// TestAddColumnKeys checks ADD COLUMN with PRIMARY KEY and UNIQUE written
// on the column: the constraints are added after the column, check the
// rows it was filled into, and are skipped with it by IF NOT EXISTS.
func TestAddColumnKeys(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE TABLE ak (a int)", ""},
		{"INSERT INTO ak VALUES (1), (2)", ""},
		{"ALTER TABLE ak ADD COLUMN b int PRIMARY KEY", "23502"},
		{"ALTER TABLE ak ADD COLUMN b int DEFAULT 0 PRIMARY KEY", "23505"},
		{"ALTER TABLE ak ADD COLUMN b serial PRIMARY KEY", ""},
		{"SELECT conname FROM pg_constraint WHERE conrelid = 'ak'::regclass", "[ak_pkey]"},
		{"ALTER TABLE ak ADD COLUMN IF NOT EXISTS b int PRIMARY KEY", ""},
		{"ALTER TABLE ak ADD COLUMN c int UNIQUE", ""},
		{"INSERT INTO ak (a, c) VALUES (3, 1), (4, 1)", "23505"},
		{"ALTER TABLE ak ADD COLUMN d int, ADD COLUMN e int CONSTRAINT ak_e UNIQUE", ""},
		{"SELECT conname FROM pg_constraint WHERE conrelid = 'ak'::regclass ORDER BY 1", "[ak_c_key][ak_e][ak_pkey]"},
	})
}
