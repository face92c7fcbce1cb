package sql

import (
	"errors"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// boundStmt is a statement ready to execute.
type boundStmt interface {
	columns() []Column
	execute(x *execCtx, ec *evalCtx) (*Result, error)
}

type selectPlan struct{ p plan }

// columns is never nil: a SELECT with no columns ("SELECT;") still
// returns rows, described by an empty RowDescription.
func (s *selectPlan) columns() []Column {
	if cols := s.p.columns(); cols != nil {
		return cols
	}
	return []Column{}
}

func (s *selectPlan) execute(_ *execCtx, ec *evalCtx) (*Result, error) {
	rows, err := s.p.run(ec)
	if err != nil {
		return nil, err
	}
	return &Result{Columns: s.columns(), Rows: rows, Tag: "SELECT " + strconv.Itoa(len(rows))}, nil
}

// tableWriter holds what INSERT and UPDATE share: checking and storing rows.
type tableWriter struct {
	table     *catalog.TableDesc
	returning []expr
	retCols   []Column
	// checks are the table's CHECK constraints (check_constraint.go).
	checks []boundCheck
	// outFKs are the table's foreign keys, inFKs those referencing it
	// (foreignkey.go).
	outFKs, inFKs []*fkRule
	// defaults are the columns' defaults, bound for ON DELETE / ON UPDATE
	// SET DEFAULT (set only by execCtx.writerFor).
	defaults []expr
}

func (w *tableWriter) columns() []Column { return w.retCols }

// check enforces NOT NULL, then the CHECK constraints, on a complete
// row, as PostgreSQL's ExecConstraints does.
func (w *tableWriter) check(ec *evalCtx, row []types.Datum) error {
	for i, c := range w.table.Columns {
		if c.NotNull && row[i] == nil {
			return pgerr.New(pgerr.NotNullViolation, "null value in column \"%s\" of relation \"%s\" violates not-null constraint", c.Name, w.table.Name).
				WithObject("public", w.table.Name, c.Name, "").
				WithDetail("Failing row contains " + describeRow(w.table, row) + ".")
		}
	}
	failed, err := failsCheck(ec, w.checks, row)
	if err != nil {
		return err
	}
	if failed != nil {
		return checkViolation(w.table, failed.name, row)
	}
	return nil
}

// newTableWriter binds what writing rows of desc enforces.
func (b *binder) newTableWriter(desc *catalog.TableDesc) (tableWriter, error) {
	checks, err := b.bindChecks(desc)
	if err != nil {
		return tableWriter{}, err
	}
	out, in, err := b.bindFKRules(desc)
	return tableWriter{table: desc, checks: checks, outFKs: out, inFKs: in}, err
}

func describeRow(t *catalog.TableDesc, row []types.Datum) string {
	s := "("
	for i, v := range row {
		if i > 0 {
			s += ", "
		}
		if v == nil {
			s += "null"
		} else {
			s += types.FormatText(t.Columns[i].Type, v)
		}
	}
	return s + ")"
}

func (w *tableWriter) key(row []types.Datum) []byte {
	if len(w.table.PK) == 0 {
		return nil
	}
	vals := make([]types.Datum, len(w.table.PK))
	for i, c := range w.table.PK {
		vals[i] = row[c]
	}
	return types.EncodeKey(vals)
}

func (w *tableWriter) duplicate(err error, row []types.Datum) error {
	if pgerr.Code(err) != pgerr.UniqueViolation {
		return err
	}
	names, vals := "", ""
	for i, c := range w.table.PK {
		if i > 0 {
			names += ", "
			vals += ", "
		}
		names += w.table.Columns[c].Name
		vals += types.FormatText(w.table.Columns[c].Type, row[c])
	}
	return pgerr.New(pgerr.UniqueViolation, "duplicate key value violates unique constraint \"%s\"", w.table.PKConstraintName()).
		WithDetail("Key ("+names+")=("+vals+") already exists.").
		WithObject("public", w.table.Name, "", w.table.PKConstraintName())
}

func (w *tableWriter) emit(ec *evalCtx, res *Result, row []types.Datum) error {
	if w.returning == nil {
		return nil
	}
	out := make([]types.Datum, len(w.returning))
	for i, e := range w.returning {
		v, err := e.Eval(ec, row)
		if err != nil {
			return err
		}
		out[i] = v
	}
	if err := ec.addRow(out); err != nil {
		return err
	}
	res.Rows = append(res.Rows, out)
	return nil
}

type insertPlan struct {
	tableWriter
	source plan
	// values[i] computes column i from a source row.
	values []expr
	// onConflict is the ON CONFLICT clause's plan, if any (onconflict.go).
	onConflict *onConflictPlan
}

func (p *insertPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	src, err := p.source.run(ec)
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	count := 0
	written := make(map[string]bool) // keys this statement wrote, for ON CONFLICT
	for _, s := range src {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		row := make([]types.Datum, len(p.values))
		for i, e := range p.values {
			if row[i], err = e.Eval(ec, s); err != nil {
				return nil, err
			}
		}
		if err := p.check(ec, row); err != nil {
			return nil, err
		}
		if p.onConflict != nil {
			out, err := p.upsert(x, ec, row, written)
			if err != nil {
				return nil, err
			}
			if out != nil {
				count++
				if err := p.emit(ec, res, out); err != nil {
					return nil, err
				}
			}
			continue
		}
		pk, err := x.s.e.heap.InsertRow(x.op(), p.table.ID, p.key(row), types.EncodeRow(row))
		if err != nil {
			return nil, p.duplicate(err, row)
		}
		if err := p.writeIndexes(x, pk, row, nil, nil); err != nil {
			return nil, err
		}
		if err := p.queueInsert(x, pk, row); err != nil {
			return nil, err
		}
		if err := p.emit(ec, res, row); err != nil {
			return nil, err
		}
		count++
	}
	res.Tag = "INSERT 0 " + strconv.Itoa(count)
	return res, nil
}

type updatePlan struct {
	tableWriter
	scan  *scanNode
	where expr
	// set[i] is the new value of column i, or nil to keep it.
	set      []expr
	keyMoves bool
}

func (p *updatePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	type target struct {
		id  heap.TupleID
		row []types.Datum
	}
	var targets []target
	err := p.scan.scan(ec, func(id heap.TupleID, row []types.Datum) error {
		if p.where != nil {
			v, err := p.where.Eval(ec, row)
			if err != nil || v != true {
				return err
			}
		}
		targets = append(targets, target{id, row})
		return ec.grow(targetBytes(id, row))
	})
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	written := 0
	for _, t := range targets {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		ok, err := x.writeRow(ec, p.where, t.id, t.row, func(id heap.TupleID, old []types.Datum) error {
			row := make([]types.Datum, len(old))
			copy(row, old)
			for i, e := range p.set {
				if e == nil {
					continue
				}
				v, err := e.Eval(ec, old)
				if err != nil {
					return err
				}
				row[i] = v
			}
			if err := p.check(ec, row); err != nil {
				return err
			}
			oldPK := heap.RowKey(id)
			key := oldPK
			if p.keyMoves {
				key = p.key(row)
			}
			if err := x.s.e.heap.Update(x.op(), p.table.ID, id, key, types.EncodeRow(row)); err != nil {
				return p.duplicate(err, row)
			}
			if err := p.writeIndexes(x, key, row, old, oldPK); err != nil {
				return err
			}
			if err := p.queueUpdate(x, oldPK, key, old, row); err != nil {
				return err
			}
			return p.emit(ec, res, row)
		})
		if err != nil {
			return nil, err
		}
		if ok {
			written++
		}
	}
	res.Tag = "UPDATE " + strconv.Itoa(written)
	return res, nil
}

// targetBytes is what UPDATE and DELETE hold for each row they will
// write: the row and its tuple id.
func targetBytes(id heap.TupleID, row []types.Datum) int64 {
	return rowBytes(row) + sliceHeaderBytes + int64(len(id))
}

// writeRow calls write for a row version that matched the statement. Under
// READ COMMITTED, when a transaction that committed after the statement's
// snapshot replaced the version, it reads the newest version, checks where
// again and writes that one instead, as PostgreSQL does; a row deleted
// meanwhile is skipped. It reports whether the row was written. Other
// isolation levels get the serialization failure.
func (x *execCtx) writeRow(ec *evalCtx, where expr, id heap.TupleID, row []types.Datum, write func(heap.TupleID, []types.Datum) error) (bool, error) {
	for {
		err := write(id, row)
		switch {
		case err == nil:
			return true, nil
		case x.s.isolation != ReadCommitted:
			return false, err
		case errors.Is(err, heap.ErrConcurrentDelete):
			return false, nil
		case !errors.Is(err, heap.ErrConcurrentUpdate):
			return false, err
		}
		fresh := x.s.e.tm.Snapshot(x.tx, x.snap.CID)
		t, ok, err := x.s.e.heap.Latest(fresh, id)
		if err != nil || !ok {
			return false, err
		}
		if row, err = types.DecodeRow(t.Data); err != nil {
			return false, err
		}
		if where != nil {
			v, err := where.Eval(ec, row)
			if err != nil || v != true {
				return false, err
			}
		}
		id = t.ID
	}
}

type deletePlan struct {
	tableWriter
	scan  *scanNode
	where expr
}

func (p *deletePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	type target struct {
		id  heap.TupleID
		row []types.Datum
	}
	var targets []target
	err := p.scan.scan(ec, func(id heap.TupleID, row []types.Datum) error {
		if p.where != nil {
			v, err := p.where.Eval(ec, row)
			if err != nil || v != true {
				return err
			}
		}
		targets = append(targets, target{id, row})
		return ec.grow(targetBytes(id, row))
	})
	if err != nil {
		return nil, err
	}
	written := 0
	for _, t := range targets {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		ok, err := x.writeRow(ec, p.where, t.id, t.row, func(id heap.TupleID, row []types.Datum) error {
			if err := x.s.e.heap.Delete(x.op(), id); err != nil {
				return err
			}
			if err := p.queueDelete(x, row); err != nil {
				return err
			}
			return p.emit(ec, res, row)
		})
		if err != nil {
			return nil, err
		}
		if ok {
			written++
		}
	}
	res.Tag = "DELETE " + strconv.Itoa(written)
	return res, nil
}

// tableScope is the scope of a DML statement's target table.
func tableScope(desc *catalog.TableDesc, ref ast.TableRef) *scope {
	name := ref.Name
	if ref.Alias != "" {
		name = ref.Alias
	}
	sc := &scope{cols: make([]scopeCol, len(desc.Columns))}
	for i, c := range desc.Columns {
		sc.cols[i] = scopeCol{table: name, name: c.Name, t: c.Type, tableID: desc.ID, attr: int16(i + 1)}
	}
	return sc
}

func tableColumns(desc *catalog.TableDesc) []Column {
	out := make([]Column, len(desc.Columns))
	for i, c := range desc.Columns {
		out[i] = Column{Name: c.Name, Type: c.Type, TableID: desc.ID, Attr: int16(i + 1)}
	}
	return out
}

func (b *binder) bindReturning(w *tableWriter, targets []ast.Target, sc *scope) error {
	if len(targets) == 0 {
		return nil
	}
	ts, err := b.expandTargets(targets, sc)
	if err != nil {
		return err
	}
	w.returning = []expr{}
	for _, t := range ts {
		if containsAggregate(t.Expr) {
			return pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in RETURNING").WithPosition(t.Pos)
		}
		e, err := b.bindExpr(t.Expr, sc)
		if err != nil {
			return err
		}
		if e.Type().ID == types.Unknown {
			if e, err = b.cast(e, types.New(types.Text), false, t.Pos); err != nil {
				return err
			}
		}
		w.returning = append(w.returning, e)
		w.retCols = append(w.retCols, b.outputColumn(t, e, sc))
	}
	return nil
}

// identityValue refuses a value for a GENERATED ALWAYS identity column
// unless the INSERT says OVERRIDING SYSTEM VALUE (or USER VALUE, which
// ignores it).
func identityValue(c catalog.ColumnDesc, overriding string) error {
	if c.Identity != "a" || overriding != "" {
		return nil
	}
	return pgerr.New(pgerr.GeneratedAlways, "cannot insert a non-DEFAULT value into column \"%s\"", c.Name).
		WithDetail("Column \"" + c.Name + "\" is an identity column defined as GENERATED ALWAYS.").
		WithHint("Use OVERRIDING SYSTEM VALUE to override.")
}

// defaultExpr binds column c's default, or NULL when it has none.
func (b *binder) defaultExpr(c catalog.ColumnDesc) (expr, error) {
	text := c.Default
	if c.Identity != "" {
		text = nextvalDefault(c.IdentitySeq)
	}
	if text == "" {
		return &constExpr{t: c.Type}, nil
	}
	stmts, err := b.s.e.parseStored("SELECT " + text)
	if err != nil {
		return nil, err
	}
	sel := stmts[0].Stmt.(*ast.SelectStmt)
	e, err := b.bindExpr(sel.Targets[0].Expr, nil)
	if err != nil {
		return nil, err
	}
	return b.assign(e, c.Type, c.Name, 0)
}

func (b *binder) bindInsert(s *ast.InsertStmt) (boundStmt, error) {
	desc, err := b.lookupTable(s.Table)
	if err != nil {
		return nil, err
	}
	if err := notATable(desc, "insert into"); err != nil {
		return nil, err
	}
	// targetCols[i] is the table column that source column i fills.
	var targetCols []int
	if s.Columns == nil {
		for i := range desc.Columns {
			targetCols = append(targetCols, i)
		}
	} else {
		seen := make(map[int]bool)
		for _, name := range s.Columns {
			i := desc.ColumnIndex(name)
			if i < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name).WithPosition(s.Table.Pos)
			}
			if seen[i] {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
			}
			seen[i] = true
			targetCols = append(targetCols, i)
		}
	}
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	p := &insertPlan{tableWriter: w}
	q := s.Query
	var srcCols []Column
	if q == nil {
		// DEFAULT VALUES: one row with no source columns; every column
		// takes its default below.
		targetCols = nil
		p.source = &valuesNode{rows: [][]expr{{}}}
	} else if q.Values != nil && q.OrderBy == nil && q.Limit == nil && q.Offset == nil {
		// VALUES rows are bound against the target columns' types, and
		// DEFAULT is allowed in them.
		rows := make([][]expr, len(q.Values))
		for i, r := range q.Values {
			if len(r) > len(targetCols) {
				return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns").WithPosition(r[len(targetCols)].Position())
			}
			if len(r) < len(targetCols) && s.Columns != nil {
				return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more target columns than expressions").WithPosition(s.Table.Pos)
			}
			rows[i] = make([]expr, len(r))
			for j, e := range r {
				c := desc.Columns[targetCols[j]]
				_, isDefault := e.(*ast.DefaultExpr)
				if c.Identity != "" && s.Overriding == "user" {
					// Ignored, DEFAULT or not: the column takes its
					// identity's value (p.values below).
					rows[i][j] = &constExpr{t: c.Type}
					continue
				}
				if !isDefault && c.Identity != "" {
					if err := identityValue(c, s.Overriding); err != nil {
						return nil, err
					}
				}
				if isDefault {
					if rows[i][j], err = b.defaultExpr(c); err != nil {
						return nil, err
					}
					continue
				}
				x, err := b.bindExpr(e, nil)
				if err != nil {
					return nil, err
				}
				if rows[i][j], err = b.assign(x, c.Type, c.Name, e.Position()); err != nil {
					return nil, err
				}
			}
		}
		width := len(rows[0])
		for _, r := range rows {
			if len(r) != width {
				return nil, pgerr.New(pgerr.SyntaxError, "VALUES lists must all be the same length")
			}
		}
		targetCols = targetCols[:width]
		srcCols = make([]Column, width)
		for j := range srcCols {
			srcCols[j] = Column{Name: "column" + strconv.Itoa(j+1), Type: desc.Columns[targetCols[j]].Type}
		}
		p.source = &valuesNode{cols: srcCols, rows: rows}
	} else {
		src, err := b.bindSelect(q, &scope{})
		if err != nil {
			return nil, err
		}
		srcCols = src.columns()
		if len(srcCols) > len(targetCols) {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns")
		}
		if len(srcCols) < len(targetCols) && s.Columns != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more target columns than expressions")
		}
		targetCols = targetCols[:len(srcCols)]
		p.source = src
		for _, col := range targetCols {
			if c := desc.Columns[col]; c.Identity != "" {
				if err := identityValue(c, s.Overriding); err != nil {
					return nil, err
				}
			}
		}
	}
	p.values = make([]expr, len(desc.Columns))
	for j, col := range targetCols {
		c := desc.Columns[col]
		if c.Identity != "" && s.Overriding == "user" {
			continue // the identity's value, below
		}
		if p.values[col], err = b.assign(&colExpr{t: srcCols[j].Type, idx: j}, c.Type, c.Name, s.Table.Pos); err != nil {
			return nil, err
		}
	}
	for i, c := range desc.Columns {
		if p.values[i] == nil {
			if p.values[i], err = b.defaultExpr(c); err != nil {
				return nil, err
			}
		}
	}
	if s.OnConflict != nil {
		if p.onConflict, err = b.bindOnConflict(s, desc); err != nil {
			return nil, err
		}
	}
	if err := b.bindReturning(&p.tableWriter, s.Returning, tableScope(desc, s.Table)); err != nil {
		return nil, err
	}
	return p, nil
}

func (b *binder) bindUpdate(s *ast.UpdateStmt) (boundStmt, error) {
	desc, err := b.lookupTable(s.Table)
	if err != nil {
		return nil, err
	}
	if err := notATable(desc, "update"); err != nil {
		return nil, err
	}
	sc := tableScope(desc, s.Table)
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	p := &updatePlan{tableWriter: w, scan: &scanNode{table: desc, cols: tableColumns(desc)}}
	if p.set, err = b.bindSet(desc, s.Set, sc); err != nil {
		return nil, err
	}
	for _, k := range desc.PK {
		p.keyMoves = p.keyMoves || p.set[k] != nil
	}
	if p.where, err = b.bindWhere(s.Where, sc); err != nil {
		return nil, err
	}
	if s.Where != nil {
		b.planScan(p.scan, []ast.Expr{s.Where}, sc, 0)
	}
	if err := b.bindReturning(&p.tableWriter, s.Returning, sc); err != nil {
		return nil, err
	}
	return p, nil
}

// bindSet binds the column = expr list of UPDATE (and of ON CONFLICT DO
// UPDATE) in scope sc: set[i] computes column i, nil keeps it.
func (b *binder) bindSet(desc *catalog.TableDesc, list []ast.SetClause, sc *scope) ([]expr, error) {
	set := make([]expr, len(desc.Columns))
	for _, sc1 := range list {
		i := desc.ColumnIndex(sc1.Column)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", sc1.Column, desc.Name).WithPosition(sc1.Pos)
		}
		if set[i] != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "multiple assignments to same column \"%s\"", sc1.Column).WithPosition(sc1.Pos)
		}
		c := desc.Columns[i]
		var err error
		if sc1.Expr == nil {
			if set[i], err = b.defaultExpr(c); err != nil {
				return nil, err
			}
			continue
		}
		if c.Identity == "a" {
			return nil, pgerr.New(pgerr.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", c.Name).
				WithDetail("Column \"" + c.Name + "\" is an identity column defined as GENERATED ALWAYS.")
		}
		if containsAggregate(sc1.Expr) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in UPDATE").WithPosition(sc1.Expr.Position())
		}
		e, err := b.bindExpr(sc1.Expr, sc)
		if err != nil {
			return nil, err
		}
		if set[i], err = b.assign(e, c.Type, c.Name, sc1.Expr.Position()); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func (b *binder) bindWhere(where ast.Expr, sc *scope) (expr, error) {
	if where == nil {
		return nil, nil
	}
	if containsAggregate(where) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in WHERE").WithPosition(where.Position())
	}
	e, err := b.bindExpr(where, sc)
	if err != nil {
		return nil, err
	}
	return b.coerce(e, types.New(types.Bool), "argument of WHERE", where.Position())
}

func (b *binder) bindDelete(s *ast.DeleteStmt) (boundStmt, error) {
	desc, err := b.lookupTable(s.Table)
	if err != nil {
		return nil, err
	}
	if err := notATable(desc, "delete from"); err != nil {
		return nil, err
	}
	sc := tableScope(desc, s.Table)
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	p := &deletePlan{tableWriter: w, scan: &scanNode{table: desc, cols: tableColumns(desc)}}
	if p.where, err = b.bindWhere(s.Where, sc); err != nil {
		return nil, err
	}
	if s.Where != nil {
		b.planScan(p.scan, []ast.Expr{s.Where}, sc, 0)
	}
	if err := b.bindReturning(&p.tableWriter, s.Returning, sc); err != nil {
		return nil, err
	}
	return p, nil
}

// truncatePlan empties tables. cairn deletes every row as DELETE does, so
// TRUNCATE is transactional and MVCC-safe like the rest; VACUUM reclaims
// the space. (PostgreSQL swaps in a new empty file under an exclusive
// lock instead.)
type truncatePlan struct {
	tables          []*deletePlan
	restartIdentity bool
	// notices are CASCADE's, one per table it adds.
	notices []Notice
}

func (p *truncatePlan) columns() []Column { return nil }

func (p *truncatePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	for _, d := range p.tables {
		if _, err := d.execute(x, ec); err != nil {
			return nil, err
		}
		x.s.markFresh(d.table.ID)
		if p.restartIdentity {
			if err := restartOwnedSequences(x, d.table); err != nil {
				return nil, err
			}
		}
	}
	return &Result{Tag: "TRUNCATE TABLE", Notices: p.notices}, nil
}

func (b *binder) bindTruncate(s *ast.TruncateStmt) (boundStmt, error) {
	p := &truncatePlan{restartIdentity: s.RestartIdentity}
	var descs []*catalog.TableDesc
	for _, ref := range s.Tables {
		desc, err := b.lookupTable(ref)
		if err != nil {
			return nil, err
		}
		if desc.Kind() != "table" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", ref.Name)
		}
		descs = append(descs, desc)
	}
	descs, notices, err := b.truncateReferencing(descs, s.Cascade)
	if err != nil {
		return nil, err
	}
	p.notices = notices
	for _, desc := range descs {
		// TRUNCATE fires no RI events: the tables referencing these are
		// truncated too (truncateReferencing).
		p.tables = append(p.tables, &deletePlan{tableWriter: tableWriter{table: desc}, scan: &scanNode{table: desc, cols: tableColumns(desc)}})
	}
	return p, nil
}
