package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

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
type addPrimaryKeyPlan struct{ stmt *ast.AlterTableStmt }

func (p *addPrimaryKeyPlan) columns() []Column { return nil }

func (b *binder) bindAlterTable(s *ast.AlterTableStmt) (boundStmt, error) {
	switch {
	case s.Subcommands != nil:
		return &alterSubcommandsPlan{stmt: s}, nil
	case s.DropColumn != nil:
		return &dropColumnPlan{stmt: s}, nil
	case s.RenameColumn != nil:
		return &renameColumnPlan{stmt: s}, nil
	case s.AlterType != nil:
		return &alterTypePlan{stmt: s}, nil
	}
	if s.Identity != nil {
		return &alterIdentityPlan{stmt: s}, nil
	}
	if s.AlterColumn != nil {
		return b.bindAlterColumn(s)
	}
	if s.Owner != nil {
		return b.bindAlterOwner(s)
	}
	if s.Unique != nil {
		return &addUniquePlan{stmt: s}, nil
	}
	if s.Check != nil || s.ForeignKey != nil || s.DropConstraint != nil || s.ValidateConstraint != "" || s.RenameConstraint != nil || s.AlterConstraint != nil {
		return &constraintPlan{stmt: s}, nil
	}
	if s.AddColumn == nil {
		return &addPrimaryKeyPlan{stmt: s}, nil
	}
	c := s.AddColumn
	t, err := resolveColumnType(c.Type)
	if err != nil {
		return nil, err
	}
	if c.Identity != "" && !t.IsInteger() {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	}
	p := &addColumnPlan{stmt: s, col: catalog.ColumnDesc{Name: c.Name, Type: t, NotNull: c.NotNull, Default: c.DefaultSQL, Generated: c.GeneratedSQL}}
	p.value = &constExpr{t: t}
	if c.Generated != nil {
		// Computed from each row's other columns, which keep their
		// places: the new column goes last.
		desc, err := b.lookupTableStrict(s.Table)
		if err != nil {
			return nil, err
		}
		with := *desc
		with.Columns = append(slices.Clone(desc.Columns), p.col)
		if p.value, err = b.bindGenerationExpr(&with, len(desc.Columns), c.Generated); err != nil {
			return nil, err
		}
		p.generated = true
	}
	if c.Default != nil {
		if err := checkDefault(c.Default); err != nil {
			return nil, err
		}
		e, err := b.bindExpr(c.Default, nil)
		if err != nil {
			return nil, err
		}
		if p.value, err = b.assign(e, t, c.Name, c.Default.Position()); err != nil {
			return nil, err
		}
		if isNullConst(e) {
			p.col.Default = ""
		}
	}
	return p, nil
}

// addColumnPlan adds a column to a table. Every row visible to the
// statement gets a new version holding the column's default (evaluated per
// row, so a volatile default gives each row its own value, as in
// PostgreSQL), in the statement's transaction; then the descriptor gains
// the column. A NOT NULL column whose default leaves a row NULL fails with
// 23502. PostgreSQL avoids the rewrite for a constant default by keeping
// the value in the catalog; cairn always rewrites, so the statement costs a
// pass over the table and leaves dead versions for vacuum. Primary key
// and index entries do not change: the row keys stay the same.
//
// It takes an ACCESS EXCLUSIVE table lock, as PostgreSQL does.
type addColumnPlan struct {
	stmt  *ast.AlterTableStmt
	col   catalog.ColumnDesc
	value expr
	// generated says value is a generation expression over the row.
	generated bool
}

func (p *addColumnPlan) columns() []Column { return nil }

func (p *addColumnPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	e := x.s.e
	s := p.stmt
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	if table.ColumnIndex(p.col.Name) >= 0 {
		if s.IfNotExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.DuplicateColumn,
				Message: "column \"" + p.col.Name + "\" of relation \"" + table.Name + "\" already exists, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", p.col.Name, table.Name)
	}
	if len(table.Columns) >= types.ColumnsMax {
		return nil, pgerr.New(pgerr.TooManyColumns, "tables can have at most %d columns", types.ColumnsMax)
	}
	col := p.col
	value := func(ec *evalCtx, row []types.Datum) (types.Datum, error) {
		if p.generated {
			return p.value.Eval(ec, row)
		}
		return p.value.Eval(ec, nil)
	}
	if c := s.AddColumn; c.Serial || c.Identity != "" {
		// The column's own sequence, made first; every row takes a
		// value from it, as in PostgreSQL.
		name := c.IdentityOptions.SequenceName
		if name == "" {
			if name, err = chooseSequenceName(x, table.Schema, table.Name, col.Name, nil); err != nil {
				return nil, err
			}
		}
		name = catalog.Key(table.Schema, name)
		owner := &catalog.SequenceDesc{OwnedBy: table.Key(), OwnedCol: col.Name}
		seq, err := createSequence(x, name, c.IdentityOptions, c.Identity != "", col.Type.ID, owner)
		if err != nil {
			return nil, err
		}
		if c.Serial {
			col.Default = nextvalDefault(name)
		} else {
			col.Identity, col.IdentitySeq = c.Identity, name
		}
		value = func(*evalCtx, []types.Datum) (types.Datum, error) { return x.nextvalOf(seq) }
	}
	h := e.heap
	op := x.op()
	op.Snap.Serializable = false // DDL takes no part in SSI
	type row struct {
		id  heap.TupleID
		row []types.Datum
	}
	var rows []row
	err = h.Scan(op.Snap, table.ID, func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		r, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		if len(r) != len(table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, len(r), len(table.Columns))
		}
		rows = append(rows, row{id: t.ID, row: r})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		v, err := value(ec, r.row)
		if err != nil {
			return nil, err
		}
		if v == nil && col.NotNull {
			return nil, pgerr.New(pgerr.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", col.Name, table.Name)
		}
		if err := h.Update(op, table.ID, r.id, heap.RowKey(r.id), types.EncodeRow(append(r.row, v))); err != nil {
			return nil, err
		}
	}
	updated := *table
	updated.Columns = append(slices.Clone(table.Columns), col)
	if c := s.AddColumn; len(c.Checks) > 0 || len(c.References) > 0 {
		// The column's CHECK and REFERENCES constraints check the rows
		// just rewritten: a later command of the statement sees them.
		later := *x
		later.snap.CID = x.s.cid
		x.s.cid++
		updated.Checks = slices.Clone(table.Checks)
		updated.ForeignKeys = slices.Clone(table.ForeignKeys)
		for i := range c.Checks {
			if err := addCheck(&later, ec, &updated, &c.Checks[i]); err != nil {
				return nil, err
			}
		}
		for i := range c.References {
			if err := addForeignKey(&later, ec, &updated, &c.References[i]); err != nil {
				return nil, err
			}
		}
	}
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

func (p *addPrimaryKeyPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	if len(table.PK) > 0 {
		return nil, pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", table.Name).WithPosition(s.Pos)
	}
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	for _, name := range s.PrimaryKey {
		i := table.ColumnIndex(name)
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
		updated.PKName = parser.TruncateIdent(table.Name + "_pkey")
	}
	if err := rewriteUnderKey(x, &updated); err != nil {
		return nil, err
	}
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// rewriteUnderKey moves every row of table that the statement sees from
// its row id to its primary key, table.PK, and adds the index entries that
// lead to the new keys. The old entries lead to deleted versions, which
// index scans skip.
func rewriteUnderKey(x *execCtx, table *catalog.TableDesc) error {
	h := x.s.e.heap
	op := x.op()
	op.Snap.Serializable = false // DDL takes no part in SSI
	type moved struct {
		id  heap.TupleID
		key []byte
		row []types.Datum
		raw []byte
	}
	var rows []moved
	seen := make(map[string]bool)
	w := &tableWriter{table: table}
	err := h.Scan(op.Snap, table.ID, func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		row, err := types.DecodeRow(t.Data)
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
	// The table is locked ACCESS EXCLUSIVE and the keys are distinct (seen
	// above): the rows move in batches, without a uniqueness probe each.
	moves := make([]heap.Move, len(rows))
	for i, r := range rows {
		moves[i] = heap.Move{ID: r.id, PK: r.key, Data: r.raw}
	}
	if err := h.MoveRows(op, table.ID, moves); err != nil {
		return err
	}
	for _, r := range rows {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
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
func keyValues(t *catalog.TableDesc, row []types.Datum) string {
	names, vals := make([]string, len(t.PK)), make([]string, len(t.PK))
	for i, c := range t.PK {
		names[i] = t.Columns[c].Name
		vals[i] = types.FormatText(t.Columns[c].Type, row[c])
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}

// lockAlterTarget finds the table ALTER TABLE names, takes its ACCESS
// EXCLUSIVE lock (waiting out every other user of the table, as PostgreSQL
// does) and reads its descriptor again under the lock. With no table it
// returns a nil table and either the IF EXISTS notice or the error.
func lockAlterTarget(x *execCtx, s *ast.AlterTableStmt) (*catalog.TableDesc, heap.TupleID, *Result, error) {
	e := x.s.e
	res := &Result{Tag: s.Tag()}
	missing := func() (*catalog.TableDesc, heap.TupleID, *Result, error) {
		if s.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + catalog.DisplayName(s.Table.Name) + "\" does not exist, skipping"})
			return nil, heap.TupleID{}, res, nil
		}
		return nil, heap.TupleID{}, nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(s.Table.Name)).WithPosition(s.Table.Pos)
	}
	table, _, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil {
		return nil, heap.TupleID{}, nil, err
	}
	if table == nil {
		return missing()
	}
	if table.Kind() != "table" {
		return nil, heap.TupleID{}, nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", table.Name)
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return nil, heap.TupleID{}, nil, err
	}
	table, tuple, err := e.cat.Lookup(x.snap, table.Key())
	if err != nil {
		return nil, heap.TupleID{}, nil, err
	}
	if table == nil {
		return missing()
	}
	return table, tuple, res, nil
}

// replaceTableDesc swaps a table's catalog entry for updated in the
// statement's transaction.
func replaceTableDesc(x *execCtx, old heap.TupleID, updated *catalog.TableDesc) error {
	e := x.s.e
	if err := e.cat.Drop(x.op(), old); err != nil {
		return err
	}
	if err := e.cat.Create(x.op(), updated); err != nil {
		return err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	return nil
}

// ALTER TABLE ... OWNER TO role: every relation in cairn is owned by
// postgres (oid 10), the one role that logs in, so naming it (or the
// current user) changes nothing and succeeds, as pg_dump's output
// needs; pg_database_owner cannot own a relation here (0A000), and any
// other name is no role (42704). It works on views too, as in
// PostgreSQL.
func (b *binder) bindAlterOwner(s *ast.AlterTableStmt) (boundStmt, error) {
	desc, err := b.lookupTableStrict(s.Table)
	if err != nil {
		if s.IfExists && pgerr.Code(err) == pgerr.UndefinedTable {
			return &noticePlan{tag: "ALTER TABLE", notice: Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + s.Table.Name + "\" does not exist, skipping"}}, nil
		}
		return nil, err
	}
	_ = desc
	switch owner := *s.Owner; owner {
	case "", types.UserName(types.OIDBootstrapSuperuser):
	case types.UserName(types.OIDPgDatabaseOwner):
		return nil, pgerr.New(pgerr.FeatureNotSupported, "relations are owned by %s in cairn", types.UserName(types.OIDBootstrapSuperuser))
	default:
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", owner)
	}
	return &noticePlan{tag: "ALTER TABLE"}, nil
}

// noticePlan is a statement with nothing to do but report its tag and,
// if set, a notice.
type noticePlan struct {
	tag    string
	notice Notice
}

func (p *noticePlan) columns() []Column { return nil }

func (p *noticePlan) execute(*execCtx, *evalCtx) (*Result, error) {
	res := &Result{Tag: p.tag}
	if p.notice.Message != "" {
		res.Notices = []Notice{p.notice}
	}
	return res, nil
}

// addUniquePlan is ALTER TABLE ADD [CONSTRAINT name] UNIQUE (columns): a
// unique index that is a constraint's, named as PostgreSQL names it
// (table_columns_key) when no name is given, built as CREATE INDEX
// builds one (waiting for the table's writers, 23505 on duplicates).
type addUniquePlan struct{ stmt *ast.AlterTableStmt }

func (p *addUniquePlan) columns() []Column { return nil }

func (p *addUniquePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	u := p.stmt.Unique
	name := u.Name
	if name == "" {
		name = p.stmt.Table.Name
		for _, c := range u.Columns {
			name += "_" + c
		}
		name = parser.TruncateIdent(name + "_key")
	}
	stmt := &ast.CreateIndexStmt{Name: name, Table: p.stmt.Table, Unique: true, Constraint: true, NullsNotDistinct: u.NullsNotDistinct}
	for _, c := range u.Columns {
		stmt.Columns = append(stmt.Columns, ast.IndexColumn{Name: c})
	}
	if _, err := (&createIndexPlan{stmt: stmt}).execute(x, ec); err != nil {
		return nil, err
	}
	return &Result{Tag: "ALTER TABLE"}, nil
}
