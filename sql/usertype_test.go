package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// TestPgEnumOrder checks pg_enum.enumsortorder for new labels against
// what PostgreSQL 15's AddEnumLabel gives: last + 1, first - 1, float4
// midpoints, and a renumbering 1, 2, ... when float4 has no room.
func TestPgEnumOrder(t *testing.T) {
	labels := func(orders ...float32) []catalog.EnumLabel {
		out := make([]catalog.EnumLabel, len(orders))
		for i, o := range orders {
			out[i] = catalog.EnumLabel{Order: float64(i + 1), PGOrder: o}
		}
		return out
	}
	for _, tc := range []struct {
		name          string
		labels        []catalog.EnumLabel
		i             int
		placed, after bool
		want          float32
		renumbered    bool
	}{
		{"first of none", nil, -1, false, false, 1, false},
		{"last", labels(1, 2, 3), -1, false, false, 4, false},
		{"before the first", labels(1, 2), 0, true, false, 0, false},
		{"after the last", labels(1, 2), 1, true, true, 3, false},
		{"between", labels(1, 2), 1, true, false, 1.5, false},
		{"after, between", labels(1, 1.5, 2), 1, true, true, 1.75, false},
		{"no room", labels(1, 1.9999999, 2), 2, true, false, 2.5, true},
	} {
		ls := tc.labels
		got := pgEnumOrder(ls, tc.i, tc.placed, tc.after)
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if tc.renumbered {
			for j, l := range ls {
				if l.PGOrder != float32(j+1) {
					t.Errorf("%s: label %d renumbered to %v", tc.name, j, l.PGOrder)
				}
			}
		}
	}
}

// TestUserTypesTransactional: a type made in an open transaction is
// invisible to other sessions until it commits, a rolled-back DROP TYPE
// leaves it, and a statement prepared before ALTER TYPE sees the change
// (plans are bound again after any DDL).
func TestUserTypesTransactional(t *testing.T) {
	e := newTestEngine(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "CREATE TYPE mood AS ENUM ('sad', 'happy')")
	mustRun(t, a, "CREATE DOMAIN pos AS int CHECK (VALUE > 0)")
	if got := outcome(b, "SELECT 'sad'::mood"); got[:5] != pgerr.UndefinedObject {
		t.Errorf("uncommitted type seen by another session: %s", got)
	}
	if got := outcome(b, "SELECT 1::pos"); got[:5] != pgerr.UndefinedObject {
		t.Errorf("uncommitted domain seen by another session: %s", got)
	}
	mustRun(t, a, "COMMIT")
	if got := outcome(b, "SELECT 'sad'::mood, 2::pos"); got != "[sad 2]" {
		t.Errorf("after commit: %s", got)
	}
	mustRun(t, b, "BEGIN")
	mustRun(t, b, "DROP TYPE mood")
	mustRun(t, b, "ROLLBACK")

	ctx := context.Background()
	p, err := a.Prepare(ctx, "SELECT enum_range(NULL::mood), $1::mood > 'sad'", nil)
	if err != nil {
		t.Fatal(err)
	}
	exec := func() string {
		res, err := a.Execute(ctx, p, []types.Datum{"happy"})
		if err != nil {
			return pgerr.Code(err) + ": " + err.Error()
		}
		return formatDatums(res.Columns, res.Rows[0])
	}
	if got := exec(); got != "[{sad,happy} t]" {
		t.Errorf("prepared: %s", got)
	}
	mustRun(t, b, "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'happy'")
	mustRun(t, b, "ALTER TYPE mood RENAME VALUE 'happy' TO 'glad'")
	if got := exec(); got != "22P02: invalid input value for enum mood: \"happy\"" {
		t.Errorf("prepared after ALTER TYPE: %s", got)
	}
	p, err = a.Prepare(ctx, "SELECT enum_range(NULL::mood)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := exec(); got != "[{sad,meh,glad}]" {
		t.Errorf("after ALTER TYPE: %s", got)
	}
	// A label added in the open transaction is not to be used before it
	// commits.
	mustRun(t, b, "BEGIN")
	mustRun(t, b, "ALTER TYPE mood ADD VALUE 'new'")
	if got := outcome(b, "SELECT 'new'::mood"); got[:5] != pgerr.UnsafeNewEnumValueUsage {
		t.Errorf("new label in its transaction: %s", got)
	}
	mustRun(t, b, "ROLLBACK")
}
