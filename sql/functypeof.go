package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// A routine's parameter or result may be declared as a column's type,
// table.column%TYPE. As in PostgreSQL the reference is resolved once, at
// CREATE, to the column's type (with a NOTICE saying so); the routine
// does not follow later changes of the column.

// columnTypeRef resolves tn's %TYPE reference and returns the NOTICE
// that reports it.
func (b *binder) columnTypeRef(tn ast.TypeName) (types.T, Notice, error) {
	names := tn.TypeOf
	written := strings.Join(names, ".") + "%TYPE"
	if len(names) < 2 || len(names) > 3 {
		return types.T{}, Notice{}, pgerr.New(pgerr.SyntaxError, "improper %%TYPE reference (too few dotted names): %s", strings.Join(names, ".")).WithPosition(tn.Pos)
	}
	rel := names[len(names)-2]
	if len(names) == 3 {
		rel = parser.QualifiedName(names[0], rel)
	}
	col := names[len(names)-1]
	d, _, err := b.s.lookupRel(b.snap, rel)
	if err != nil {
		return types.T{}, Notice{}, err
	}
	if d == nil {
		return types.T{}, Notice{}, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", rel).WithPosition(tn.Pos)
	}
	for _, c := range d.Columns {
		if c.Name != col {
			continue
		}
		t := c.Type
		if tn.Array {
			at, ok := types.ArrayOf(t)
			if !ok {
				return types.T{}, Notice{}, pgerr.New(pgerr.UndefinedObject, "could not find array type for data type %s", t.Name()).WithPosition(tn.Pos)
			}
			t = at
		}
		return t, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
			Message: "type reference " + written + " converted to " + types.Format(t)}, nil
	}
	return types.T{}, Notice{}, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", col, d.Name).WithPosition(tn.Pos)
}

// declaredRoutineType is routineType for CREATE FUNCTION, which reports
// a resolved %TYPE reference with a NOTICE.
func (b *binder) declaredRoutineType(x *execCtx, tn ast.TypeName, deps map[uint32]bool) (types.T, error) {
	if len(tn.TypeOf) == 0 {
		return b.routineType(tn, deps)
	}
	t, n, err := b.columnTypeRef(tn)
	if err != nil {
		return types.T{}, err
	}
	x.notices = append(x.notices, n)
	return t, nil
}
