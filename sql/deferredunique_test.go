package sql

import "testing"

// TestDeferrableUnique: a DEFERRABLE UNIQUE constraint is checked at the
// end of the statement (so shifting keys passes), an INITIALLY DEFERRED
// one or one SET CONSTRAINTS defers at COMMIT or at SET CONSTRAINTS ...
// IMMEDIATE, and a key freed again before the check passes.
func TestDeferrableUnique(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE u (i int UNIQUE DEFERRABLE, t text)`)
	mustRun(t, s, `INSERT INTO u VALUES (0, 'a'), (1, 'b'), (2, 'c')`)
	for _, tc := range []struct{ q, want string }{
		{"UPDATE u SET i = 1 WHERE i = 0", `23505: duplicate key value violates unique constraint "u_i_key"`},
		{"UPDATE u SET i = i + 1", ""},
		{"SELECT i FROM u ORDER BY i", "[1][2][3]"},
		{"SELECT contype, condeferrable, condeferred, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'u_i_key'", "[u t f UNIQUE (i) DEFERRABLE]"},
		{"SELECT indisunique, indimmediate FROM pg_index WHERE indexrelid = 'u_i_key'::regclass", "[t f]"},
		{"BEGIN", ""},
		{"INSERT INTO u VALUES (3, 'x')", `23505: duplicate key value violates unique constraint "u_i_key"`},
		{"ROLLBACK", ""},
		{"BEGIN", ""},
		{"SET CONSTRAINTS u_i_key DEFERRED", ""},
		{"INSERT INTO u VALUES (3, 'x')", ""},
		{"DELETE FROM u WHERE t = 'c'", ""},
		{"COMMIT", ""},
		{"BEGIN", ""},
		{"SET CONSTRAINTS ALL DEFERRED", ""},
		{"INSERT INTO u VALUES (3, 'y')", ""},
		{"SET CONSTRAINTS ALL IMMEDIATE", `23505: duplicate key value violates unique constraint "u_i_key"`},
		{"ROLLBACK", ""},
		{"BEGIN", ""},
		{"SET CONSTRAINTS u_i_key DEFERRED", ""},
		{"INSERT INTO u VALUES (1, 'z')", ""},
		{"COMMIT", `23505: duplicate key value violates unique constraint "u_i_key"`},
		{"SELECT count(*) FROM u", "[3]"},
		{"ALTER TABLE u DROP CONSTRAINT u_i_key", ""},
		{"INSERT INTO u VALUES (1, 'dup')", ""},
		{"ALTER TABLE u ADD CONSTRAINT u_i_key UNIQUE (i) DEFERRABLE INITIALLY DEFERRED", `23505: could not create unique index "u_i_key"`},
		{"DELETE FROM u WHERE t = 'dup'", ""},
		{"ALTER TABLE u ADD CONSTRAINT u_i_key UNIQUE (i) DEFERRABLE INITIALLY DEFERRED", ""},
		{"SELECT condeferred, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'u_i_key'", "[t UNIQUE (i) DEFERRABLE INITIALLY DEFERRED]"},
		// Deferred: the swap passes within the transaction.
		{"BEGIN", ""},
		{"INSERT INTO u VALUES (1, 'new')", ""},
		{"UPDATE u SET i = 10 WHERE i = 1 AND t <> 'new'", ""},
		{"COMMIT", ""},
		{"INSERT INTO u VALUES (10, 'again')", `23505: duplicate key value violates unique constraint "u_i_key"`},
		{"INSERT INTO u VALUES (10, 'x') ON CONFLICT DO NOTHING", "55000: ON CONFLICT does not support deferrable unique constraints/exclusion constraints as arbiters"},
		{"CREATE TABLE pk (a int PRIMARY KEY DEFERRABLE)", "0A000: deferrable primary keys is not supported"},
		{"SET CONSTRAINTS nosuch DEFERRED", `42704: constraint "nosuch" does not exist`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestExcludeEquals: EXCLUDE (col WITH =, ...) is kept as a unique index
// but reports 23P01, shows as contype x, refuses ON CONFLICT DO UPDATE
// and is never inferred from columns; other operators and access methods
// are refused.
func TestExcludeEquals(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE e (a int, b int, EXCLUDE (a WITH =, b WITH =))`)
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO e VALUES (1, 1), (1, 2), (1, NULL), (1, NULL)", ""},
		{"INSERT INTO e VALUES (1, 1)", `23P01: conflicting key value violates exclusion constraint "e_a_b_excl"`},
		{"INSERT INTO e VALUES (1, 1) ON CONFLICT ON CONSTRAINT e_a_b_excl DO NOTHING", ""},
		{"INSERT INTO e VALUES (1, 1) ON CONFLICT ON CONSTRAINT e_a_b_excl DO UPDATE SET b = 5", "42809: ON CONFLICT DO UPDATE not supported with exclusion constraints"},
		{"INSERT INTO e VALUES (1, 1) ON CONFLICT (a, b) DO NOTHING", "42P10: there is no unique or exclusion constraint matching the ON CONFLICT specification"},
		{"SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'e'::regclass", "[x EXCLUDE USING btree (a WITH =, b WITH =)]"},
		{"SELECT indisunique, indisexclusion, pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'e'::regclass", "[f t CREATE INDEX e_a_b_excl ON public.e USING btree (a, b)]"},
		{"ALTER TABLE e ADD EXCLUDE (a WITH =)", `23P01: could not create exclusion constraint "e_a_excl"`},
		{"ALTER TABLE e ADD EXCLUDE USING hash (a WITH =)", `23P01: could not create exclusion constraint "e_a_excl"`},
		{"ALTER TABLE e ADD EXCLUDE USING hash (b WITH =)", ""},
		{"ALTER TABLE e ADD EXCLUDE (a WITH <>)", "0A000: EXCLUDE with operators other than = is not supported"},
		{"ALTER TABLE e ADD EXCLUDE USING gist (a WITH =)", "0A000: EXCLUDE USING gist is not supported"},
		{"CREATE TABLE d (f int, CONSTRAINT dc EXCLUDE (f WITH =) INITIALLY DEFERRED)", ""},
		{"BEGIN", ""},
		{"INSERT INTO d VALUES (1), (1)", ""},
		{"COMMIT", `23P01: conflicting key value violates exclusion constraint "dc"`},
		{"SELECT count(*) FROM d", "[0]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
