package plpgsql

import (
	"context"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Cursors. A cursor variable is a refcursor whose value names a cursor
// (portal) of the session: OPEN runs a query and opens the cursor under
// that name (a generated "<unnamed portal N>" when the variable is NULL,
// which OPEN then stores in it), FETCH and MOVE move through it, CLOSE
// closes it. The cursor belongs to the session, not the body, so a
// function may return its name for the caller to FETCH from with SQL in
// the same transaction. A bound cursor (DECLARE c CURSOR (args) FOR
// query) keeps its query and arguments; its variable starts as the
// cursor's own name.

// Cursor options, PostgreSQL's CURSOR_OPT_ bits as the parse tree
// reports them.
const (
	cursorOptScroll   = 0x2
	cursorOptNoScroll = 0x4
)

// CursorDecl is what a bound cursor's declaration gives it.
type CursorDecl struct {
	// Query is the cursor's query; its scope sees the arguments.
	Query *Expr
	// Args are the datums of the arguments, in declared order.
	Args []int
	// Options are the CURSOR_OPT_ bits (SCROLL, NO SCROLL).
	Options int
}

// Open is OPEN: of a bound cursor (ArgQuery gives the arguments'
// values as one row), or of an unbound one FOR Query or FOR EXECUTE
// Dynamic USING Using.
type Open struct {
	stmtBase
	Var      int
	Options  int
	Query    *Expr
	Dynamic  *Expr
	Using    []*Expr
	ArgQuery *Expr
}

// Fetch is FETCH [direction] cursor INTO target, or MOVE (Move, no
// target). Direction is FORWARD, BACKWARD, ABSOLUTE or RELATIVE, with
// Count, or CountExpr when the count is an expression.
type Fetch struct {
	stmtBase
	Var       int
	Target    int
	Move      bool
	Direction string
	Count     int64
	CountExpr *Expr
}

// Close is CLOSE cursor.
type Close struct {
	stmtBase
	Var int
}

// ForCursor is FOR rec IN bound_cursor [(args)] LOOP: the cursor is
// opened, each row fetched into Target, and the cursor closed when the
// loop ends.
type ForCursor struct {
	stmtBase
	Label    string
	Var      int
	Target   int
	ArgQuery *Expr
	Body     []Stmt
}

// fetchDirections are the parse tree's FetchDirection values.
var fetchDirections = []string{"FORWARD", "BACKWARD", "ABSOLUTE", "RELATIVE"}

// cursorName is the name cursor variable d holds; ok is false when it
// is NULL.
func (f *frame) cursorName(d int) (string, bool) {
	v := f.vals[d].v
	if v == nil {
		return "", false
	}
	if s, ok := v.(string); ok {
		return s, true
	}
	return f.rt.Format(f.vals[d].t, v), true
}

func (f *frame) nullCursor(d int) error {
	return pgerr.New(pgerr.NullValueNotAllowed, "cursor variable \"%s\" is null", f.fn.Datums[d].Name)
}

// openCursor opens cursor variable d as o says and returns the name it
// was opened under.
func (f *frame) openCursor(ctx context.Context, o *Open) (string, error) {
	dt := f.fn.Datums[o.Var]
	name, named := f.cursorName(o.Var)
	var rows *Rows
	var err error
	opts := o.Options
	switch {
	case o.Query != nil:
		rows, err = f.run(ctx, o.Query, false)
	case o.Dynamic != nil:
		rows, err = f.query(ctx, o.Dynamic, true, o.Using)
	case dt.Cursor != nil:
		if named && f.rt.CursorOpen(name) {
			return "", pgerr.New(pgerr.DuplicateCursor, "cursor \"%s\" already in use", name)
		}
		if err := f.cursorArgs(ctx, dt.Cursor, o.ArgQuery); err != nil {
			return "", err
		}
		opts = dt.Cursor.Options
		rows, err = f.run(ctx, dt.Cursor.Query, false)
	default:
		return "", pgerr.New(pgerr.SyntaxError, "cursor \"%s\" has no query", dt.Name)
	}
	if err != nil {
		return "", err
	}
	if !named && dt.Const {
		return "", pgerr.New("22005", "variable \"%s\" is declared CONSTANT", dt.Name)
	}
	if !named {
		name = ""
	}
	opened, err := f.rt.OpenCursor(ctx, name, rows, opts&cursorOptNoScroll != 0)
	if err != nil {
		return "", err
	}
	if !named {
		f.vals[o.Var] = value{t: types.New(types.Refcursor), v: opened, assigned: true}
	}
	return opened, nil
}

// cursorArgs assigns a bound cursor's arguments from the row argQuery
// computes.
func (f *frame) cursorArgs(ctx context.Context, c *CursorDecl, argQuery *Expr) error {
	if argQuery == nil {
		return nil
	}
	rows, err := f.run(ctx, argQuery, true)
	if err != nil {
		return err
	}
	if len(rows.Rows) != 1 || len(rows.Rows[0]) != len(c.Args) {
		return pgerr.New(pgerr.InternalError, "the arguments of a cursor did not evaluate to one row")
	}
	for i, d := range c.Args {
		if err := f.store(ctx, d, rows.Rows[0][i], rows.Types[i]); err != nil {
			return err
		}
	}
	return nil
}

func (f *frame) fetch(ctx context.Context, s *Fetch) error {
	name, ok := f.cursorName(s.Var)
	if !ok {
		return f.nullCursor(s.Var)
	}
	count := s.Count
	if s.CountExpr != nil {
		v, t, err := f.eval(ctx, s.CountExpr)
		if err != nil {
			return err
		}
		if v != nil && t.ID != types.Int8 {
			if v, err = f.rt.Cast(ctx, v, t, types.New(types.Int8)); err != nil {
				return err
			}
		}
		n, _ := v.(int64)
		count = n
	}
	rows, err := f.rt.FetchCursor(ctx, name, s.Direction, count, s.Move)
	if err != nil {
		return err
	}
	f.rowCount = rows.Count
	f.setFound(rows.Count > 0)
	if s.Move {
		return nil
	}
	return f.assignRow(ctx, s.Target, rows.Names, rows.Types, rows.Rows)
}

func (f *frame) closeCursor(ctx context.Context, s *Close) error {
	name, ok := f.cursorName(s.Var)
	if !ok {
		return f.nullCursor(s.Var)
	}
	return f.rt.CloseCursor(ctx, name)
}

func (f *frame) forCursor(ctx context.Context, l *ForCursor) (flow, error) {
	_, wasNamed := f.cursorName(l.Var)
	name, err := f.openCursor(ctx, &Open{Var: l.Var, ArgQuery: l.ArgQuery})
	if err != nil {
		return flowNext, err
	}
	done := func() error {
		err := f.rt.CloseCursor(ctx, name)
		if !wasNamed {
			f.vals[l.Var] = value{t: types.New(types.Refcursor), assigned: true}
		}
		return err
	}
	found := false
	for {
		if err := pgerr.FromContext(ctx); err != nil {
			return flowNext, err
		}
		rows, err := f.rt.FetchCursor(ctx, name, "FORWARD", 1, false)
		if err != nil {
			return flowNext, err
		}
		if len(rows.Rows) == 0 {
			break
		}
		found = true
		if err := f.assignRow(ctx, l.Target, rows.Names, rows.Types, rows.Rows); err != nil {
			return flowNext, err
		}
		fl, err := f.stmts(ctx, l.Body)
		if err != nil {
			return flowNext, err
		}
		if stop, out := f.loopFlow(l.Label, fl); stop {
			f.setFound(true)
			return out, done()
		}
	}
	f.setFound(found)
	return flowNext, done()
}
