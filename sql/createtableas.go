package sql

import (
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// CREATE TABLE name [(columns)] AS query [WITH [NO] DATA] and SELECT ...
// INTO name make a table whose columns are the query's (names from the
// list where it gives them, types as the query computes them, unknown as
// text), with no constraints, and store the query's rows in it. The
// command tag is "SELECT n"; WITH NO DATA stores nothing and answers
// "CREATE TABLE AS".

type createTableAsPlan struct {
	stmt  *ast.CreateTableAsStmt
	query plan
	desc  *catalog.TableDesc
}

func (p *createTableAsPlan) columns() []Column { return nil }

func (b *binder) bindCreateTableAs(s *ast.CreateTableAsStmt) (boundStmt, error) {
	if s.Execute != "" {
		p, ok := b.s.namedPrepared(s.Execute)
		if !ok {
			return nil, pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", s.Execute)
		}
		if len(p.ParamTypes) > 0 {
			return nil, pgerr.New(pgerr.SyntaxError, "wrong number of parameters for prepared statement \"%s\"", s.Execute).
				WithDetail("Expected " + strconv.Itoa(len(p.ParamTypes)) + " parameters but got 0.")
		}
		q, ok := p.stmt.(*ast.SelectStmt)
		if !ok {
			return nil, pgerr.New(pgerr.WrongObjectType, "prepared statement is not a SELECT")
		}
		with := *s
		with.Query, with.Execute = q, ""
		s = &with
	}
	query, err := b.bindTopQuery(s.Query, "SELECT")
	if err != nil {
		return nil, err
	}
	cols := query.columns()
	if len(s.Columns) > len(cols) {
		return nil, pgerr.New(pgerr.SyntaxError, "too many column names were specified")
	}
	if len(cols) > types.ColumnsMax {
		return nil, pgerr.New(pgerr.TooManyColumns, "tables can have at most %d columns", types.ColumnsMax)
	}
	_, bare := catalog.SplitName(s.Table.Name)
	desc := &catalog.TableDesc{Name: bare, Unlogged: s.Table.Unlogged && !s.Table.Temp}
	for i, c := range cols {
		name := c.Name
		if i < len(s.Columns) {
			name = s.Columns[i]
		}
		if desc.ColumnIndex(name) >= 0 {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
		}
		t := c.Type
		if t.ID == types.Unknown {
			t = textT
		}
		if err := pseudoTypeColumn(name, t); err != nil {
			return nil, err
		}
		if err := b.checkTypeUsage(t, nil); err != nil {
			return nil, err
		}
		if err := systemColumnName(name); err != nil {
			return nil, err
		}
		desc.Columns = append(desc.Columns, catalog.ColumnDesc{Name: name, Type: t})
	}
	return &createTableAsPlan{stmt: s, query: query, desc: desc}, nil
}

func (p *createTableAsPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	e := x.s.e
	schema, _, temp, err := x.creationTarget(p.stmt.Table)
	if err != nil {
		return nil, err
	}
	if err := checkOnCommit(p.stmt.Table, temp); err != nil {
		return nil, err
	}
	existing, _, err := e.cat.Lookup(x.snap, catalog.Key(schema, p.desc.Name))
	if err != nil {
		return nil, err
	}
	if existing != nil {
		if p.stmt.IfNotExists {
			return &Result{Tag: "CREATE TABLE AS", Notices: []Notice{{Severity: "NOTICE", Code: pgerr.DuplicateTable,
				Message: "relation \"" + p.desc.Name + "\" already exists, skipping"}}}, nil
		}
		return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", p.desc.Name)
	}
	var rows [][]types.Datum
	if !p.stmt.NoData {
		// The query runs before the table exists, as in PostgreSQL, where
		// it cannot see the table it fills.
		if rows, err = p.query.run(ec); err != nil {
			return nil, err
		}
	}
	desc := *p.desc
	desc.Schema, desc.OnCommit = schema, onCommitAction(p.stmt.Table)
	desc.Columns = append([]catalog.ColumnDesc(nil), p.desc.Columns...)
	if err := createTableDesc(x, &desc); err != nil {
		return nil, err
	}
	if p.stmt.NoData {
		return &Result{Tag: "CREATE TABLE AS"}, nil
	}
	for _, row := range rows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		if _, err := e.heap.InsertRow(x.op(), desc.StorageID(), nil, types.EncodeRow(row)); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "SELECT " + strconv.Itoa(len(rows))}, nil
}
