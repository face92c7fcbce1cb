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

// MERGE as PostgreSQL 15 has it. The source is joined to the target (a
// left join when some WHEN NOT MATCHED clause exists, else an inner join;
// the target is bound as dmljoin.go describes, and found through a hash
// table on the equalities of ON), and each joined row takes
// the first WHEN clause of its kind whose condition holds. A target row
// that a second source row would update or delete again is an error
// (21000), as in PostgreSQL; one a second source row leaves alone (DO
// NOTHING, or no clause applies) is not. Under READ COMMITTED a matched
// row changed by a transaction that committed after the statement's
// snapshot is read again: when its newest version still satisfies the join
// condition the WHEN MATCHED clauses are tried again on it, and when it was
// deleted or no longer matches, the WHEN NOT MATCHED clauses are tried, as
// PostgreSQL 15 does. Other isolation levels fail with 40001.
// A target with inheritance children or partitions is merged as a whole
// hierarchy (merge_inherit.go).

// mergePlan executes MERGE. Its joined rows are the source's columns, the
// target's columns and the target's tuple id (NULL for a source row no
// target row matches).
type mergePlan struct {
	tableWriter
	join plan
	// srcWidth is the number of source columns; the target's follow.
	srcWidth int
	// on is the join condition over a joined row, re-checked under READ
	// COMMITTED.
	on                  expr
	matched, notMatched []mergeAction
	// idAt is where a joined row holds the target row's tuple id.
	idAt int
	// hier, for a target with inheritance children or partitions, holds
	// the tables whose rows the target's scan reads (merge_inherit.go).
	hier *mergeHierarchy
}

// mergeAction is one WHEN clause.
type mergeAction struct {
	cond   expr   // nil when the clause has no AND condition
	action string // "UPDATE", "DELETE", "INSERT" or "NOTHING"
	// UPDATE: set[i] computes column i (nil keeps it) from the joined row
	// followed by the multi subqueries' columns.
	set      []expr
	multi    []multiSet
	keyMoves bool
	// INSERT: values[i] computes column i from the joined row.
	values []expr
}

func (p *mergePlan) columns() []Column { return nil }

func (p *mergePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	rows, err := p.join.run(ec)
	if err != nil {
		return nil, err
	}
	idAt := p.idAt
	// touched holds the rows this statement updated or deleted, by row key.
	touched := make(map[string]bool)
	count := 0
	runs, err := p.startTriggers(x, ec)
	if err != nil {
		return nil, err
	}
	if top := runs.any(); top != nil {
		// Rows routed to partitions, and rows an UPDATE moves, fire
		// their partitions' row triggers under the statement's runs.
		defer x.routeUnder(top)()
		prevInh := x.inhTop
		x.inhTop = top
		defer func() { x.inhTop = prevInh }()
	}
	for _, row := range rows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		matched := row[idAt] != nil
		wrote := false
		if matched {
			if matched, wrote, err = p.whenMatched(x, ec, runs, row, idAt, touched); err != nil {
				return nil, err
			}
		}
		if !matched {
			if wrote, err = p.whenNotMatched(x, ec, runs, row); err != nil {
				return nil, err
			}
		}
		if wrote {
			count++
		}
	}
	x.inhTop = nil
	if err := runs.finish(p); err != nil {
		return nil, err
	}
	return &Result{Tag: "MERGE " + strconv.Itoa(count)}, nil
}

// firstAction returns the first action whose condition holds for row, or
// nil.
func firstAction(ec *evalCtx, actions []mergeAction, row []types.Datum) (*mergeAction, error) {
	for i := range actions {
		a := &actions[i]
		if a.cond == nil {
			return a, nil
		}
		v, err := a.cond.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == true {
			return a, nil
		}
	}
	return nil, nil
}

// whenMatched runs the WHEN MATCHED clauses for a joined row. It reports
// whether the row still matched (false when, under READ COMMITTED, the
// target row was deleted or no longer satisfies the join condition) and
// whether a row was written.
func (p *mergePlan) whenMatched(x *execCtx, ec *evalCtx, runs mergeRuns, row []types.Datum, idAt int, touched map[string]bool) (matched, wrote bool, err error) {
	id := heap.TupleID(row[idAt].(string))
	width := len(p.table.Columns)
	for {
		a, err := firstAction(ec, p.matched, row)
		if err != nil {
			return true, false, err
		}
		if a == nil || a.action == "NOTHING" {
			return true, false, nil
		}
		w, m := p.writerOf(row)
		key := strconv.FormatUint(uint64(w.table.ID), 10) + ":" + string(heap.RowKey(id))
		if touched[key] || x.modifiedBefore(w.table.ID, id) {
			return true, false, pgerr.New(pgerr.CardinalityViolation, "MERGE command cannot affect row a second time").
				WithHint("Ensure that not more than one source row matches any one target row.")
		}
		old := row[p.srcWidth : p.srcWidth+width]
		if err := p.checkMergeTarget(ec, a.action, old); err != nil {
			return true, false, err
		}
		stored, err := p.storedRow(x, m, id, old)
		if err != nil {
			return true, false, err
		}
		// after queues the written row's AFTER ROW events.
		var after func() error
		if a.action == "DELETE" {
			run := runs.rowRun(p, w, trigDelete)
			var kept []types.Datum
			if kept, err = run.mergeBefore(id, nil, stored, nil); err != nil || kept == nil {
				return true, false, err
			}
			err = x.s.e.heap.Delete(x.op(), id)
			if err == nil {
				err = w.queueDelete(x, stored)
			}
			after = func() error { return run.afterRow(stored, nil) }
		} else {
			var in, newVals []types.Datum
			if in, err = evalMulti(ec, a.multi, row); err != nil {
				return true, false, err
			}
			if newVals, err = newRow(ec, a.set, old, in); err != nil {
				return true, false, err
			}
			if err := p.checkMergeUpdate(ec, newVals[:width]); err != nil {
				return true, false, err
			}
			keyMoves := a.keyMoves
			if m != nil && m.table != p.table {
				keyMoves = len(m.table.PK) > 0
			}
			run := runs.rowRun(p, w, trigUpdate)
			var written []types.Datum
			if written, err = run.mergeBefore(id, memberSet(m, a.set), stored, m.toStored(stored, newVals[:width])); err != nil || written == nil {
				return true, false, err
			}
			w.moved = false
			err = w.updateRow(x, ec, id, stored, written, keyMoves)
			after = func() error {
				if w.moved {
					run.capture(stored, written)
					return nil
				}
				return run.afterRow(stored, written)
			}
		}
		switch {
		case err == nil:
			touched[key] = true
			x.markModified(w.table.ID, id)
			return true, true, after()
		case x.s.isolation != ReadCommitted:
			return true, false, err
		case errors.Is(err, heap.ErrConcurrentDelete):
			return false, false, nil
		case !errors.Is(err, heap.ErrConcurrentUpdate):
			return true, false, err
		}
		fresh := x.s.e.tm.LatestSnapshot(x.tx, x.snap.CID)
		t, ok, err := x.s.e.heap.Latest(fresh, id)
		if err != nil || !ok {
			return false, false, err
		}
		newest, err := types.DecodeRow(t.Data)
		if err != nil {
			return true, false, err
		}
		next := make([]types.Datum, 0, len(row))
		next = append(append(next, row[:p.srcWidth]...), m.toTarget(newest)...)
		if p.hier != nil {
			next = append(next, int64(m.table.ID))
		}
		next = append(next, string(t.ID))
		v, err := p.on.Eval(ec, next)
		if err != nil {
			return true, false, err
		}
		if v != true {
			// The source row goes to WHEN NOT MATCHED without the
			// target's columns.
			for i := p.srcWidth; i < len(row); i++ {
				next[i] = nil
			}
			copy(row, next)
			return false, false, nil
		}
		row, id = next, t.ID
	}
}

// whenNotMatched runs the WHEN NOT MATCHED clauses for a source row and
// reports whether it inserted a row.
func (p *mergePlan) whenNotMatched(x *execCtx, ec *evalCtx, runs mergeRuns, row []types.Datum) (bool, error) {
	a, err := firstAction(ec, p.notMatched, row)
	if err != nil || a == nil || a.action == "NOTHING" {
		return false, err
	}
	out := make([]types.Datum, len(a.values))
	for i, e := range a.values {
		if out[i], err = e.Eval(ec, row); err != nil {
			return false, err
		}
	}
	run := runs[trigInsert]
	if run != nil {
		if out, err = run.beforeRow(nil, out); err != nil || out == nil {
			return false, err
		}
	}
	if err := p.checkRowSecurity(ec, out); err != nil {
		return false, err
	}
	if err := p.insertRow(x, ec, out); err != nil {
		if err == errRowSkipped {
			return false, nil
		}
		return false, err
	}
	return true, run.afterRow(nil, out)
}

func (b *binder) bindMerge(s *ast.MergeStmt) (boundStmt, error) {
	desc, err := b.lookupTable(s.Table)
	if err != nil {
		return nil, err
	}
	if desc.View != "" {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot execute MERGE on relation \"%s\"", desc.Name).
			WithDetail("This operation is not supported for views.")
	}
	b.requireMerge(desc, s)
	if err := notATable(desc, "merge into"); err != nil {
		return nil, err
	}
	targetName := s.Table.Name
	if s.Table.Alias != "" {
		targetName = s.Table.Alias
	}
	for _, name := range refNames(s.Source, nil) {
		if name == targetName {
			return nil, pgerr.New(duplicateAlias, "name \"%s\" specified more than once", name).
				WithDetail("The name is used both as MERGE target table and data source.")
		}
	}
	// A clause without a condition hides the clauses of its kind after it.
	// (PostgreSQL joins with a left join when some WHEN NOT MATCHED
	// clause exists, else an inner join.)
	var seenMatched, seenNotMatched, hasNotMatched bool
	for _, w := range s.When {
		seen := &seenMatched
		if !w.Matched {
			seen, hasNotMatched = &seenNotMatched, true
		}
		if *seen {
			return nil, pgerr.New(pgerr.SyntaxError, "unreachable WHEN clause specified after unconditional WHEN clause")
		}
		*seen = w.Cond == nil
	}
	target := s.Table
	src, srcCols, err := b.bindFromItem(s.Source, &scope{})
	if err != nil {
		return nil, err
	}
	var tgt plan
	var tgtCols []scopeCol
	var hier *mergeHierarchy
	if len(desc.Children) > 0 && !s.Table.Only {
		tgt, tgtCols, hier, err = b.bindMergeHierarchy(&target, desc)
	} else {
		tgt, tgtCols, err = b.bindTargetItem(&target)
	}
	if err != nil {
		return nil, err
	}
	rs, tgt, err := b.rowSecurityMerge(desc, s, tgt)
	if err != nil {
		return nil, err
	}
	cols := append(append([]scopeCol(nil), srcCols...), tgtCols...)
	sc := &scope{cols: cols}
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	w.rls = rs
	p := &mergePlan{tableWriter: w, srcWidth: len(srcCols), idAt: len(cols) - 1, hier: hier}
	if hier != nil {
		if err := b.mergeWriters(p, desc, s.Table.Name); err != nil {
			return nil, err
		}
	}
	// WHEN NOT MATCHED sees the source only: its columns come first.
	srcScope := &scope{cols: cols[:p.srcWidth]}
	if containsAggregate(s.On) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in JOIN conditions").WithPosition(s.On.Position())
	}
	if p.on, err = b.bindExpr(s.On, sc); err != nil {
		return nil, err
	}
	if p.on, err = b.coerce(p.on, types.New(types.Bool), "argument of JOIN/ON", s.On.Position()); err != nil {
		return nil, err
	}
	join := &mergeJoinNode{source: src, target: tgt, srcWidth: len(srcCols), width: len(cols), on: p.on, left: hasNotMatched,
		cols: append(append([]Column(nil), src.columns()...), tgt.columns()...)}
	if join.srcKeys, join.tgtKeys, err = b.mergeKeys(s.On, sc, len(srcCols)); err != nil {
		return nil, err
	}
	p.join = join
	for _, w := range s.When {
		a := mergeAction{action: w.Action}
		whenScope := sc
		if !w.Matched {
			whenScope = srcScope
		}
		if w.Cond != nil {
			if err := b.targetInNotMatched(w, w.Cond, sc, whenScope); err != nil {
				return nil, err
			}
			if containsAggregate(w.Cond) {
				return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in MERGE WHEN conditions").WithPosition(w.Cond.Position())
			}
			cond, err := b.bindExpr(w.Cond, whenScope)
			if err != nil {
				return nil, err
			}
			if a.cond, err = b.coerce(cond, types.New(types.Bool), "argument of WHEN", w.Cond.Position()); err != nil {
				return nil, err
			}
		}
		switch w.Action {
		case "UPDATE":
			if a.set, a.multi, err = b.bindSetMulti(desc, w.Set, sc, len(srcCols)); err != nil {
				return nil, err
			}
			for _, k := range desc.PK {
				a.keyMoves = a.keyMoves || a.set[k] != nil
			}
		case "INSERT":
			for _, v := range w.Values {
				if err := b.targetInNotMatched(w, v, sc, srcScope); err != nil {
					return nil, err
				}
			}
			if a.values, err = b.bindMergeInsert(desc, w, srcScope); err != nil {
				return nil, err
			}
		}
		if w.Matched {
			p.matched = append(p.matched, a)
		} else {
			p.notMatched = append(p.notMatched, a)
		}
	}
	return p, nil
}

// targetInNotMatched refuses a reference to the target's columns in a
// WHEN NOT MATCHED clause with PostgreSQL's error.
func (b *binder) targetInNotMatched(w ast.MergeWhen, e ast.Expr, all, src *scope) error {
	if w.Matched {
		return nil
	}
	return invalidReference(e, all, len(src.cols), len(all.cols), src)
}

// invalidReference refuses, with PostgreSQL's error, a column reference in
// e that names one of the columns lo to hi of scope all and that allowed
// (when not nil) does not resolve: a FROM item that is in the statement
// but not in view where e is.
func invalidReference(e ast.Expr, all *scope, lo, hi int, allowed *scope) error {
	var found error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		ref, ok := x.(*ast.ColumnRef)
		if !ok || found != nil {
			return found == nil
		}
		if allowed != nil {
			if _, _, _, err := allowed.resolve(ref); err == nil {
				return true
			}
		}
		idx, level, _, err := all.resolve(ref)
		if err != nil || level != 0 || idx < lo || idx >= hi {
			return true
		}
		found = pgerr.New(pgerr.UndefinedTable, "invalid reference to FROM-clause entry for table \"%s\"", all.cols[idx].table).
			WithHint("There is an entry for table \"" + all.cols[idx].table + "\", but it cannot be referenced from this part of the query.").
			WithPosition(ref.Pos)
		return false
	})
	return found
}

// bindMergeInsert binds the INSERT of a WHEN NOT MATCHED clause: values[i]
// computes column i of the new row from a joined row (only its source
// columns, which sc names).
func (b *binder) bindMergeInsert(desc *catalog.TableDesc, w ast.MergeWhen, sc *scope) ([]expr, error) {
	var targetCols []int
	if w.Columns == nil {
		for i := range desc.Columns {
			targetCols = append(targetCols, i)
		}
	} else {
		seen := make(map[int]bool)
		for j, name := range w.Columns {
			i := desc.ColumnIndex(name)
			if i < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name).WithPosition(w.ColumnsPos[j])
			}
			if seen[i] {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name).WithPosition(w.ColumnsPos[j])
			}
			seen[i] = true
			targetCols = append(targetCols, i)
		}
	}
	values := make([]expr, len(desc.Columns))
	if w.Values != nil {
		if len(w.Values) > len(targetCols) {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns").WithPosition(w.Values[len(targetCols)].Position())
		}
		if len(w.Values) < len(targetCols) && w.Columns != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more target columns than expressions").WithPosition(w.ColumnsPos[len(w.Values)])
		}
		for j, e := range w.Values {
			col := targetCols[j]
			c := desc.Columns[col]
			_, isDefault := e.(*ast.DefaultExpr)
			if isDefault || (c.Identity != "" && w.Overriding == "user") {
				continue // the default, below
			}
			if c.Generated != "" {
				return nil, generatedValue(c)
			}
			if c.Identity != "" {
				if err := identityValue(c, w.Overriding); err != nil {
					return nil, err
				}
			}
			if containsAggregate(e) {
				return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in VALUES").WithPosition(e.Position())
			}
			x, err := b.bindExpr(e, sc)
			if err != nil {
				return nil, err
			}
			if values[col], err = b.assignCol(x, c, e.Position()); err != nil {
				return nil, err
			}
		}
	}
	for i, c := range desc.Columns {
		if values[i] == nil {
			var err error
			if values[i], err = b.defaultExpr(c); err != nil {
				return nil, err
			}
		}
	}
	return values, nil
}

// mergeKeys finds the equalities of a MERGE's join condition between an
// expression of the source alone and one of the target alone, bound to a
// common type, for mergeJoinNode's hash table.
func (b *binder) mergeKeys(on ast.Expr, sc *scope, srcWidth int) (srcKeys, tgtKeys []expr, err error) {
	items := []fromItem{{off: 0, width: srcWidth}, {off: srcWidth, width: len(sc.cols) - srcWidth}}
	for _, c := range splitAnd(on) {
		be, ok := c.(*ast.BinaryExpr)
		if !ok || be.Op != "=" {
			continue
		}
		lset, lcomplex := b.itemsOf(be.L, sc, items)
		rset, rcomplex := b.itemsOf(be.R, sc, items)
		if lcomplex || rcomplex || lset|rset != 3 || lset&rset != 0 {
			continue
		}
		l, err := b.bindExpr(be.L, sc)
		if err != nil {
			return nil, nil, err
		}
		r, err := b.bindExpr(be.R, sc)
		if err != nil {
			return nil, nil, err
		}
		if l, r, _, err = b.unify(l, r, "=", be.Pos); err != nil {
			continue // the whole condition's binding reported or accepted it
		}
		if lset == 2 {
			l, r = r, l
		}
		srcKeys, tgtKeys = append(srcKeys, l), append(tgtKeys, r)
	}
	return srcKeys, tgtKeys, nil
}

// mergeJoinNode joins MERGE's source to its target: each source row with
// every target row that satisfies on and, for a left join, a source row
// that none satisfies alone, the target's columns NULL. When on has
// equalities between the source and the target (srcKeys, tgtKeys), the
// target's rows are found through a hash table on them; otherwise every
// pair is tried.
type mergeJoinNode struct {
	source, target   plan
	srcWidth, width  int
	on               expr
	srcKeys, tgtKeys []expr
	left             bool
	cols             []Column
}

func (n *mergeJoinNode) columns() []Column { return n.cols }

// key evaluates keys on a joined row; ok is false when one is NULL, which
// equals nothing.
func (n *mergeJoinNode) key(ec *evalCtx, keys []expr, row []types.Datum) (string, bool, error) {
	vals := make([]types.Datum, len(keys))
	for i, k := range keys {
		v, err := k.Eval(ec, row)
		if err != nil || v == nil {
			return "", false, err
		}
		vals[i] = v
	}
	return string(groupKey(vals)), true, nil
}

func (n *mergeJoinNode) run(ec *evalCtx) ([][]types.Datum, error) {
	srows, err := n.source.run(ec)
	if err != nil {
		return nil, err
	}
	trows, err := n.target.run(ec)
	if err != nil {
		return nil, err
	}
	table := make(map[string][][]types.Datum)
	for _, t := range trows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		full := make([]types.Datum, n.width)
		copy(full[n.srcWidth:], t)
		k, ok, err := n.key(ec, n.tgtKeys, full)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		size := rowsOverhead(1, n.width)
		if _, seen := table[k]; !seen {
			size += hashEntryBytes + int64(len(k))
		}
		if err := ec.grow(size); err != nil {
			return nil, err
		}
		table[k] = append(table[k], full)
	}
	var out [][]types.Datum
	for _, s := range srows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		full := make([]types.Datum, n.width)
		copy(full, s)
		k, ok, err := n.key(ec, n.srcKeys, full)
		if err != nil {
			return nil, err
		}
		matched := false
		if ok {
			for _, t := range table[k] {
				if err := ec.tick(); err != nil {
					return nil, err
				}
				row := make([]types.Datum, n.width)
				copy(row, s)
				copy(row[n.srcWidth:], t[n.srcWidth:])
				v, err := n.on.Eval(ec, row)
				if err != nil {
					return nil, err
				}
				if v != true {
					continue
				}
				if err := ec.grow(rowsOverhead(1, n.width)); err != nil {
					return nil, err
				}
				out, matched = append(out, row), true
			}
		}
		if !matched && n.left {
			if err := ec.grow(rowsOverhead(1, n.width)); err != nil {
				return nil, err
			}
			out = append(out, full)
		}
	}
	return out, nil
}
