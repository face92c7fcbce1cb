package sql

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestCreateTableLike checks what each LIKE option copies, against what
// PostgreSQL 15 answers for the same statements.
func TestCreateTableLike(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE src (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL DEFAULT 'x',
			n int CHECK (n > 0), g int GENERATED ALWAYS AS (n * 2) STORED, UNIQUE (email), deleted_at int);
		COMMENT ON COLUMN src.email IS 'the mail';
		CREATE UNIQUE INDEX src_lower ON src (lower(email)) WHERE deleted_at IS NULL;
		CREATE TABLE plain (LIKE src);
		CREATE TABLE copy (a int, LIKE src INCLUDING ALL, z text);
		CREATE TABLE part (LIKE src INCLUDING DEFAULTS INCLUDING CONSTRAINTS EXCLUDING INDEXES)`)
	for _, tc := range []struct{ query, want string }{
		{"SELECT attname, attnotnull, atthasdef, attidentity, attgenerated FROM pg_attribute WHERE attrelid = 'plain'::regclass AND attnum > 0 ORDER BY attnum",
			"[id t f  ][email t f  ][n f f  ][g f f  ][deleted_at f f  ]"},
		{"SELECT attname, attnotnull, atthasdef, attidentity, attgenerated FROM pg_attribute WHERE attrelid = 'copy'::regclass AND attnum > 0 ORDER BY attnum",
			"[a f f  ][id t f a ][email t t  ][n f f  ][g f t  s][deleted_at f f  ][z f f  ]"},
		{"SELECT attname, atthasdef FROM pg_attribute WHERE attrelid = 'part'::regclass AND attnum > 0 ORDER BY attnum",
			"[id f][email t][n f][g f][deleted_at f]"},
		{"SELECT indexname FROM pg_indexes WHERE tablename IN ('plain', 'copy', 'part') ORDER BY 1", "[copy_email_key][copy_lower_idx][copy_pkey]"},
		{"SELECT pg_get_indexdef('copy_lower_idx'::regclass)", "[CREATE UNIQUE INDEX copy_lower_idx ON public.copy USING btree (lower(email)) WHERE (deleted_at IS NULL)]"},
		{"SELECT conrelid::regclass::text, conname, contype FROM pg_constraint WHERE conrelid IN ('plain'::regclass, 'copy'::regclass, 'part'::regclass) ORDER BY 1, 2",
			"[copy copy_email_key u][copy copy_pkey p][copy src_n_check c][part src_n_check c]"},
		{"SELECT col_description('copy'::regclass, 3), col_description('plain'::regclass, 2)", "[the mail <nil>]"},
	} {
		if got := outcome(s, tc.query); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
	mustRun(t, s, "INSERT INTO copy (a, email, n) VALUES (1, 'Q', 1)")
	wantError(t, s, "INSERT INTO copy (a, email, n) VALUES (1, 'q', 1)", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "copy_lower_idx"`, "Key (lower(email))=(q) already exists.")
	wantError(t, s, "INSERT INTO copy (a, email, n) VALUES (1, 'r', 0)", pgerr.CheckViolation,
		`new row for relation "copy" violates check constraint "src_n_check"`, "Failing row contains (1, 3, r, 0, 0, null, null).")
	if got := outcome(s, "SELECT * FROM copy"); got != "[1 1 Q 1 2 <nil> <nil>]" {
		t.Errorf("copy holds %s", got)
	}
	wantError(t, s, "CREATE TABLE bad (LIKE src INCLUDING INDEXES, PRIMARY KEY (deleted_at))", pgerr.InvalidTableDefinition,
		`multiple primary keys for table "bad" are not allowed`, "")
	wantError(t, s, "CREATE TABLE bad (id int, LIKE src)", pgerr.DuplicateColumn, `column "id" specified more than once`, "")
	wantError(t, s, "CREATE TABLE bad (LIKE nope)", pgerr.UndefinedTable, `relation "nope" does not exist`, "")
}
