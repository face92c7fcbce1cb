package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// SQL cursors: DECLARE, FETCH, MOVE and CLOSE (pg_dump --inserts reads
// tables through one). DECLARE runs its query at once, at the statement's
// snapshot, and keeps the rows: a cursor sees what the transaction saw
// when it was declared, as in PostgreSQL, and may move in any direction,
// unless declared NO SCROLL (then backwards is 55000). The rows stay
// counted against the engine's memory budget until the cursor closes.
// A cursor without WITH HOLD needs a transaction block (25P01) and closes
// when the transaction ends; one WITH HOLD outlives a commit. A rollback
// closes the cursors declared in the transaction, and ROLLBACK TO those
// declared since the savepoint. BINARY cursors are not supported.
//
// In PostgreSQL a cursor's query runs as it is fetched, so an error in
// evaluating its rows (division by zero, a bad cast: SQLSTATE class 22)
// surfaces at a FETCH, not at DECLARE. Here such an error of the query
// is kept and raised by the cursor's first FETCH or MOVE; from then on,
// as in PostgreSQL, the cursor is failed and any use of it is 55000. No
// rows before the failing one are returned.

// cursor is a declared cursor's rows and position: 0 before the first
// row, len(rows)+1 after the last, else the row last fetched (1-based).
type cursor struct {
	cols     []Column
	rows     [][]types.Datum
	pos      int
	noScroll bool
	hold     bool
	// level is the transaction nesting level (gucLevel) it was declared
	// at, 0 once its transaction committed.
	level int
	// reserved is the memory it holds from the engine's budget.
	reserved int64
	// err is the error of the query, for the first FETCH or MOVE to
	// raise; failed is set once it was raised.
	err    error
	failed bool
}

type declarePlan struct {
	stmt  *ast.DeclareCursorStmt
	query *selectPlan
}

func (b *binder) bindDeclare(s *ast.DeclareCursorStmt) (boundStmt, error) {
	if s.Binary {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "binary cursors are not supported")
	}
	for _, c := range s.Query.With {
		if c.DML != nil {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "DECLARE CURSOR must not contain data-modifying statements in WITH")
		}
	}
	p, err := b.bindSelect(s.Query, &scope{})
	if err != nil {
		return nil, err
	}
	return &declarePlan{stmt: s, query: &selectPlan{p: p}}, nil
}

func (p *declarePlan) columns() []Column { return nil }

func (p *declarePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := x.s
	if !s.inBlock() && !p.stmt.Hold {
		return nil, pgerr.New(pgerr.NoActiveSQLTransaction, "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, dup := s.cursors[p.stmt.Name]; dup {
		return nil, pgerr.New(pgerr.DuplicateCursor, "cursor \"%s\" already exists", p.stmt.Name)
	}
	res, err := p.query.execute(x, ec)
	if err != nil && (p.stmt.Hold || !strings.HasPrefix(pgerr.Code(err), "22")) {
		return nil, err
	}
	c := &cursor{cols: p.query.columns(), noScroll: p.stmt.NoScroll, hold: p.stmt.Hold, level: s.gucLevel(), err: err}
	if err == nil {
		c.cols, c.rows = res.Columns, res.Rows
	}
	// The rows are the cursor's now: so is the memory they hold.
	if x.mem != nil {
		c.reserved = x.mem.reserved
		*x.mem = stmtMemory{budget: x.mem.budget}
	}
	if s.cursors == nil {
		s.cursors = make(map[string]*cursor)
	}
	s.cursors[p.stmt.Name] = c
	return &Result{Tag: "DECLARE CURSOR"}, nil
}

type fetchPlan struct {
	stmt *ast.FetchStmt
	cols []Column
}

func (b *binder) bindFetch(s *ast.FetchStmt) (boundStmt, error) {
	p := &fetchPlan{stmt: s}
	if c, ok := b.s.cursors[s.Name]; ok && !s.Move {
		p.cols = c.cols
	}
	return p, nil
}

func (p *fetchPlan) columns() []Column { return p.cols }

func (p *fetchPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	c, ok := x.s.cursors[p.stmt.Name]
	if !ok {
		return nil, pgerr.New(pgerr.InvalidCursorName, "cursor \"%s\" does not exist", p.stmt.Name)
	}
	out, err := c.move(p.stmt.Name, p.stmt.Direction, p.stmt.Count)
	if err != nil {
		return nil, err
	}
	if p.stmt.Move {
		return &Result{Tag: "MOVE " + strconv.Itoa(len(out))}, nil
	}
	return &Result{Columns: c.cols, Rows: out, Tag: "FETCH " + strconv.Itoa(len(out))}, nil
}

// move moves cursor name as FETCH direction count does and returns the
// rows it passed over (FETCH returns them; MOVE counts them).
func (c *cursor) move(name, direction string, count int64) ([][]types.Datum, error) {
	if c.failed {
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "portal \"%s\" cannot be run", name)
	}
	if c.err != nil {
		c.failed = true
		return nil, c.err
	}
	n := int64(len(c.rows))
	var out [][]types.Datum
	step := func(forward bool) bool {
		switch {
		case forward && int64(c.pos) >= n:
			c.pos = int(n) + 1
			return false
		case !forward && c.pos <= 1:
			c.pos = 0
			return false
		case forward:
			c.pos++
		default:
			c.pos--
		}
		out = append(out, c.rows[c.pos-1])
		return true
	}
	switch direction {
	case "FORWARD", "BACKWARD":
		backward := direction == "BACKWARD"
		if count < 0 {
			backward, count = !backward, -count
		}
		if backward && c.noScroll {
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cursor can only scan forward").
				WithHint("Declare it with SCROLL option to enable backward scan.")
		}
		for i := int64(0); i < count && step(!backward); i++ {
		}
	default: // ABSOLUTE, RELATIVE
		target := count
		if direction == "RELATIVE" {
			target = int64(c.pos) + count
		} else if count < 0 {
			target = n + 1 + count
		}
		if target < int64(c.pos) && c.noScroll {
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cursor can only scan forward").
				WithHint("Declare it with SCROLL option to enable backward scan.")
		}
		switch {
		case target <= 0:
			c.pos = 0
		case target > n:
			c.pos = int(n) + 1
		default:
			c.pos = int(target)
			out = append(out, c.rows[c.pos-1])
		}
	}
	return out, nil
}

type closeCursorPlan struct{ stmt *ast.CloseCursorStmt }

func (p *closeCursorPlan) columns() []Column { return nil }

func (p *closeCursorPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	if p.stmt.Name == "" {
		s.closeCursors(func(*cursor) bool { return true })
		return &Result{Tag: "CLOSE CURSOR ALL"}, nil
	}
	c, ok := s.cursors[p.stmt.Name]
	if !ok {
		return nil, pgerr.New(pgerr.InvalidCursorName, "cursor \"%s\" does not exist", p.stmt.Name)
	}
	s.closeCursors(func(o *cursor) bool { return o == c })
	return &Result{Tag: "CLOSE CURSOR"}, nil
}

// closeCursors closes the cursors that match, giving back their memory.
func (s *Session) closeCursors(match func(*cursor) bool) {
	for name, c := range s.cursors {
		if match(c) {
			s.mem.budget.Release(c.reserved)
			delete(s.cursors, name)
		}
	}
}

// endCursors closes what the end of a transaction level closes: when
// level 1 (the transaction) commits, the cursors without WITH HOLD, the
// others staying as the session's; when a level rolls back, the cursors
// declared at it or deeper.
func (s *Session) endCursors(level int, commit bool) {
	s.closeCursors(func(c *cursor) bool {
		switch {
		case !commit:
			return c.level >= level
		case level == 1:
			return !c.hold && c.level >= 1
		}
		return false
	})
	if commit {
		for _, c := range s.cursors {
			if c.level >= level {
				c.level = level - 1
			}
		}
	}
}

// CursorColumns returns the columns of the open cursor name, which the
// extended protocol can describe as a portal (Describe P) as in
// PostgreSQL, where a cursor is one; ok is false when there is none.
func (s *Session) CursorColumns(name string) (cols []Column, ok bool) {
	c, ok := s.cursors[name]
	if !ok {
		return nil, false
	}
	return c.cols, true
}
