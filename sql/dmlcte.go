package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Data-modifying WITH queries: WITH x AS (INSERT | UPDATE | DELETE ...
// RETURNING ...) at the top of a SELECT, INSERT, UPDATE, DELETE or MERGE,
// or of the query of CREATE TABLE AS or COPY ... TO.
// As in PostgreSQL each runs exactly once per execution, whether or not
// anything reads it, and all of them and the main statement run with one
// snapshot and command id, so none sees the others' writes; references
// read the rows its RETURNING produced. Also as in PostgreSQL, a query
// runs when the main statement first reads it, and one nothing read runs
// after the main statement; when two parts of the statement reach the same
// row, the first to update or delete it wins and the others skip it
// (execCtx.modifiedBefore), or fail with 21000 in MERGE. Since the parts
// take their table locks as they run, the statement first takes every
// table lock it will need, while nothing is written and a stale plan can
// still be bound again.

// dmlCTE is a data-modifying WITH query.
type dmlCTE struct{ stmt boundStmt }

// bindDMLCTE binds the statement of e, a data-modifying query of q's WITH,
// with the queries before it in view.
func (b *binder) bindDMLCTE(q *ast.SelectStmt, e *cteEnv) error {
	if len(b.topWith) == 0 || len(q.With) == 0 || &q.With[0] != &b.topWith[0] {
		return pgerr.New(pgerr.FeatureNotSupported, "WITH clause containing a data-modifying statement must be at the top level").WithPosition(e.def.Pos)
	}
	if c, ok := b.dmlByDef[e.def]; ok {
		e.dml = c
		return nil
	}
	if e.def.Recursive {
		// Its own name is in view, to be refused (bindCTERef).
		saved := b.ctes
		b.ctes = &cteEnv{def: e.def, parent: b.ctes, dml: &dmlCTE{}}
		defer func() { b.ctes = saved }()
	}
	var stmt boundStmt
	var err error
	savedIn := b.inDMLCTE
	b.inDMLCTE = true
	defer func() { b.inDMLCTE = savedIn }()
	switch x := e.def.DML.(type) {
	case *ast.InsertStmt:
		stmt, err = b.bindWith(x.With, func() (boundStmt, error) { return b.bindInsert(x) })
	case *ast.UpdateStmt:
		stmt, err = b.bindWith(x.With, func() (boundStmt, error) { return b.bindUpdate(x) })
	case *ast.DeleteStmt:
		stmt, err = b.bindWith(x.With, func() (boundStmt, error) { return b.bindDelete(x) })
	default:
		return pgerr.New(pgerr.FeatureNotSupported, "%s is not supported in WITH", e.def.DML.Tag()).WithPosition(e.def.Pos)
	}
	if err != nil {
		return err
	}
	e.dml = &dmlCTE{stmt: stmt}
	if b.dmlByDef == nil {
		b.dmlByDef = make(map[*ast.CTE]*dmlCTE)
	}
	b.dmlByDef[e.def] = e.dml
	b.dmlCTEs = append(b.dmlCTEs, e.dml)
	return nil
}

// bindWith binds a statement with its WITH queries in view.
func (b *binder) bindWith(with []*ast.CTE, bind func() (boundStmt, error)) (boundStmt, error) {
	if len(with) == 0 {
		return bind()
	}
	saved, err := b.pushWith(&ast.SelectStmt{With: with})
	if err != nil {
		return nil, err
	}
	defer func() { b.ctes = saved }()
	return bind()
}

// bindTop binds a statement whose WITH is the top level one, where
// data-modifying queries may appear, and wraps it to run them.
func (b *binder) bindTop(st ast.Stmt, with []*ast.CTE, bind func() (boundStmt, error)) (boundStmt, error) {
	b.topWith = with
	main, err := bind()
	if err != nil || len(b.dmlCTEs) == 0 {
		return main, err
	}
	return &withDMLStmt{ctes: b.dmlCTEs, main: main, tag: st.Tag()}, nil
}

// withDMLStmt runs a statement's data-modifying WITH queries, then the
// statement.
type withDMLStmt struct {
	ctes []*dmlCTE
	main boundStmt
	tag  string // the main statement's
}

func (w *withDMLStmt) columns() []Column { return w.main.columns() }

// writtenTable is the table a data-modifying statement writes, or 0.
func writtenTable(st boundStmt) uint32 {
	switch p := st.(type) {
	case *insertPlan:
		return p.table.ID
	case *updatePlan:
		return p.table.ID
	case *deletePlan:
		return p.table.ID
	case *mergePlan:
		return p.table.ID
	}
	return 0
}

func (w *withDMLStmt) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := beginDMLCTEs(x, w.ctes, w.main, w.tag); err != nil {
		return nil, err
	}
	res, err := w.main.execute(x, ec)
	if err != nil {
		return nil, err
	}
	return res, finishDMLCTEs(ec, w.ctes)
}

// beginDMLCTEs prepares an execution of a statement with data-modifying
// WITH queries: it takes the table locks of main (when it writes) and of
// the queries, and starts the execution's record of their rows and of the
// rows written.
func beginDMLCTEs(x *execCtx, ctes []*dmlCTE, main boundStmt, tag string) error {
	if x.s.readOnly {
		return pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", tag)
	}
	for _, st := range append([]boundStmt{main}, ctesStmts(ctes)...) {
		if id := writtenTable(st); id != 0 {
			if err := x.lockTableForWrite(id); err != nil {
				return err
			}
		}
	}
	// Every table is locked and the plan is current: the statements'
	// own lock calls find their locks held.
	x.retried = true
	x.cteRows = make(map[*dmlCTE][][]types.Datum, len(ctes))
	x.modified = make(map[string]bool)
	return nil
}

// finishDMLCTEs runs the queries the main statement did not read.
func finishDMLCTEs(ec *evalCtx, ctes []*dmlCTE) error {
	for _, c := range ctes {
		if _, err := c.rows(ec); err != nil {
			return err
		}
	}
	return nil
}

// bindTopQuery binds the query of a statement that stores or sends a
// query's rows (CREATE TABLE AS, COPY ... TO), whose WITH may hold
// data-modifying queries.
func (b *binder) bindTopQuery(q *ast.SelectStmt, tag string) (plan, error) {
	b.topWith = q.With
	p, err := b.bindSelect(q, &scope{})
	if err != nil || len(b.dmlCTEs) == 0 {
		return p, err
	}
	return &withDMLPlan{ctes: b.dmlCTEs, in: p, tag: tag}, nil
}

// withDMLPlan runs a query with data-modifying WITH queries as a plan.
type withDMLPlan struct {
	ctes []*dmlCTE
	in   plan
	tag  string
}

func (n *withDMLPlan) columns() []Column { return n.in.columns() }

func (n *withDMLPlan) run(ec *evalCtx) ([][]types.Datum, error) {
	if err := beginDMLCTEs(ec.exec, n.ctes, nil, n.tag); err != nil {
		return nil, err
	}
	rows, err := n.in.run(ec)
	if err != nil {
		return nil, err
	}
	return rows, finishDMLCTEs(ec, n.ctes)
}

// rows runs the query the first time it is asked for in an execution, and
// returns its RETURNING rows.
func (c *dmlCTE) rows(ec *evalCtx) ([][]types.Datum, error) {
	x := ec.exec
	if rows, ok := x.cteRows[c]; ok {
		return rows, nil
	}
	// The rows are kept to the statement's end, whatever range of the
	// count the node reading them first drops.
	from := x.memMark()
	res, err := c.stmt.execute(x, &evalCtx{params: ec.params, exec: x})
	if err != nil {
		return nil, err
	}
	x.memPin(from)
	rows := res.Rows
	if rows == nil {
		rows = [][]types.Datum{}
	}
	x.cteRows[c] = rows
	return rows, nil
}

func ctesStmts(ctes []*dmlCTE) []boundStmt {
	out := make([]boundStmt, len(ctes))
	for i, c := range ctes {
		out[i] = c.stmt
	}
	return out
}

// dmlCTEScan reads the RETURNING rows of a data-modifying WITH query.
type dmlCTEScan struct{ c *dmlCTE }

func (n *dmlCTEScan) columns() []Column { return n.c.stmt.columns() }

func (n *dmlCTEScan) run(ec *evalCtx) ([][]types.Datum, error) {
	rows, err := n.c.rows(ec)
	if err != nil {
		return nil, err
	}
	// The caller may filter the slice in place; the rows stay shared.
	if err := ec.grow(int64(len(rows)) * sliceHeaderBytes); err != nil {
		return nil, err
	}
	return append([][]types.Datum(nil), rows...), nil
}
