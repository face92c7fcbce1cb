package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// AlterTableStmt is ALTER TABLE [IF EXISTS] t ADD [CONSTRAINT name]
// PRIMARY KEY (columns), the one form of ALTER TABLE cairn runs.
type AlterTableStmt struct {
	Table    TableRef
	IfExists bool
	// PKName is the constraint's name; "" names it table_pkey.
	PKName     string
	PrimaryKey []string
	Pos        int32
}

func (*AlterTableStmt) stmtTag() string { return "ALTER TABLE" }

// addPrimaryKeyPlan gives a table without a primary key one.
//
// The heap keys every row by its primary key (heap/doc.go), and a table
// without one by a row id, so adding a key rewrites the table: every row
// visible to the statement is deleted and inserted again under its key,
// index entries are added for the new row keys, and the descriptor gains
// the key, all in the statement's transaction. Before writing, the rows are
// checked as PostgreSQL checks them when it builds the key's index: a NULL
// in a key column fails with 23502, two rows with one key with 23505.
//
// It takes an ACCESS EXCLUSIVE table lock, as PostgreSQL does: it waits
// for the table's writers to end and keeps them out until it commits;
// writers that waited bind again against the new definition.
type addPrimaryKeyPlan struct{ stmt *AlterTableStmt }

func (p *addPrimaryKeyPlan) columns() []Column { return nil }

func (b *binder) bindAlterTable(s *AlterTableStmt) (boundStmt, error) {
	return &addPrimaryKeyPlan{stmt: s}, nil
}

func (p *addPrimaryKeyPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	s := p.stmt
	res := &Result{Tag: s.stmtTag()}
	table, tableTuple, err := e.cat.lookup(x.snap, s.Table.Name)
	if err != nil {
		return nil, err
	}
	if table == nil {
		if s.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + s.Table.Name + "\" does not exist, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Table.Name).WithPosition(s.Table.Pos)
	}
	if table.kind() != "table" {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", table.Name)
	}
	// ALTER TABLE waits out every other user of the table and keeps them
	// out while it rewrites the rows; then reads the table again.
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return nil, err
	}
	if table, tableTuple, err = e.cat.lookup(x.snap, s.Table.Name); err != nil {
		return nil, err
	}
	if table == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Table.Name).WithPosition(s.Table.Pos)
	}
	if len(table.PK) > 0 {
		return nil, pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", table.Name).WithPosition(s.Pos)
	}
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	for _, name := range s.PrimaryKey {
		i := table.column(name)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" named in key does not exist", name).WithPosition(s.Pos)
		}
		if slices.Contains(updated.PK, i) {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" appears twice in primary key constraint", name).WithPosition(s.Pos)
		}
		updated.PK = append(updated.PK, i)
		updated.Columns[i].NotNull = true
	}
	updated.PKName = s.PKName
	if updated.PKName == "" {
		updated.PKName = truncateIdent(table.Name + "_pkey")
	}
	if err := rewriteUnderKey(x, &updated); err != nil {
		return nil, err
	}
	if err := e.cat.drop(x.op(), tableTuple); err != nil {
		return nil, err
	}
	if err := e.cat.create(x.op(), &updated); err != nil {
		return nil, err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	return res, nil
}

// rewriteUnderKey moves every row of table that the statement sees from
// its row id to its primary key, table.PK, and adds the index entries that
// lead to the new keys. The old entries lead to deleted versions, which
// index scans skip.
func rewriteUnderKey(x *execCtx, table *TableDesc) error {
	h := x.s.e.heap
	op := x.op()
	op.Snap.Serializable = false // DDL takes no part in SSI
	type moved struct {
		id  heap.TupleID
		key []byte
		row []Datum
		raw []byte
	}
	var rows []moved
	seen := make(map[string]bool)
	w := &tableWriter{table: table}
	err := h.Scan(op.Snap, table.ID, func(t heap.Tuple) error {
		if err := x.ctx.Err(); err != nil {
			return pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
		}
		row, err := decodeRow(t.Data)
		if err != nil {
			return err
		}
		if len(row) != len(table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, len(row), len(table.Columns))
		}
		for _, c := range table.PK {
			if row[c] == nil {
				return pgerr.New(pgerr.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", table.Columns[c].Name, table.Name)
			}
		}
		key := w.key(row)
		if seen[string(key)] {
			return pgerr.New(pgerr.UniqueViolation, "could not create unique index \"%s\"", table.PKName).
				WithDetail("Key " + keyValues(table, row) + " is duplicated.")
		}
		seen[string(key)] = true
		rows = append(rows, moved{id: t.ID, key: key, row: row, raw: append([]byte(nil), t.Data...)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := h.Delete(op, r.id); err != nil {
			return err
		}
		if _, err := h.InsertRow(op, table.ID, r.key, r.raw); err != nil {
			return w.duplicate(err, r.row)
		}
		for i := range table.Indexes {
			idx := &table.Indexes[i]
			if err := h.InsertIndexEntry(op, idx.ID, encodeIndexKey(idx, r.row), r.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyValues renders a row's primary key as (a, b)=(1, 2) for messages.
func keyValues(t *TableDesc, row []Datum) string {
	names, vals := make([]string, len(t.PK)), make([]string, len(t.PK))
	for i, c := range t.PK {
		names[i] = t.Columns[c].Name
		vals[i] = FormatText(t.Columns[c].Type, row[c])
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}

// pkName is the name of the table's primary key constraint.
func (t *TableDesc) pkName() string {
	if t.PKName != "" {
		return t.PKName
	}
	return truncateIdent(t.Name + "_pkey")
}
