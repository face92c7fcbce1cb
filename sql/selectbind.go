package sql

import (
	"slices"
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// bindSelect binds a query at the level of scope sc (whose parent is the
// enclosing query's scope, if any) and returns its plan. It fills sc.cols
// with the query's FROM columns.
func (b *binder) bindSelect(q *ast.SelectStmt, sc *scope) (plan, error) {
	return b.bindSelectLevel(q, sc, func() (plan, error) { return b.bindSelectOnce(q, sc) })
}

// bindSelectOnce is bindSelect's one attempt at binding q.
func (b *binder) bindSelectOnce(q *ast.SelectStmt, sc *scope) (plan, error) {
	if err := b.enter(); err != nil {
		return nil, err
	}
	defer b.leave()
	if len(q.With) > 0 {
		saved, err := b.pushWithAt(q, sc)
		if err != nil {
			return nil, err
		}
		defer func() { b.ctes = saved }()
	}
	if q.Locking != nil {
		return b.bindLockingSelect(q, sc)
	}
	if q.Op != "" {
		return b.bindSetOp(q, sc)
	}
	if q.Values != nil {
		p, err := b.bindValues(q.Values, sc, nil)
		if err != nil {
			return nil, err
		}
		return b.finishOrdered(q, p, sc)
	}

	if err := b.markUserAggregates(q); err != nil {
		return nil, err
	}
	if gq := srfGrouped(q); gq != nil {
		return b.bindSelect(gq, sc)
	}
	if fq := srfQuery(q); fq != nil {
		q = fq
	} else if fq := b.routineSRFQuery(q); fq != nil {
		q = fq
	}
	if _, ok := srfTarget(q); ok && len(q.OrderBy) > 0 && !srfOrderOnInput(q) {
		return b.bindSelect(srfSorted(q), sc)
	}
	if w := windowCall(q.Where); w != nil {
		return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed in WHERE").WithPosition(w.Pos)
	}
	from, err := b.bindFromWhereOf(q, sc, true)
	if err != nil {
		return nil, err
	}
	if calls, ok := srfTarget(q); ok {
		if len(q.OrderBy) > 0 {
			if from, err = b.sortSRFInput(q, from, sc); err != nil {
				return nil, err
			}
		}
		return b.bindSRFTarget(q, calls, from, sc)
	}

	targets, err := b.expandTargets(q.Targets, sc)
	if err != nil {
		return nil, err
	}
	hasAgg := len(q.GroupBy) > 0 || q.Having != nil || b.outerAgg.forced[sc]
	for _, t := range targets {
		hasAgg = hasAgg || containsAggregate(t.Expr) && b.containsOwnAggregate(t.Expr, sc)
	}
	for _, o := range q.OrderBy {
		hasAgg = hasAgg || containsAggregate(o.Expr) && b.containsOwnAggregate(o.Expr, sc)
	}

	for _, g := range q.GroupBy {
		if w := windowCall(g); w != nil {
			return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed in GROUP BY").WithPosition(w.Pos)
		}
		if f := containsGroupingFunc(g); f != nil {
			return nil, pgerr.New(pgerr.GroupingError, "grouping operations are not allowed in GROUP BY").WithPosition(f.Pos)
		}
	}
	if w := windowCall(q.Having); w != nil {
		return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed in HAVING").WithPosition(w.Pos)
	}
	exprScope := sc
	var agg *aggNode
	if hasAgg {
		a := &aggScope{from: sc, aggKey: make(map[string]int), groupCol: make(map[int]int)}
		if err := b.bindGroupBy(q, targets, sc, a); err != nil {
			return nil, err
		}
		exprScope = &scope{cols: sc.cols, parent: sc.parent, agg: a}
		agg = &aggNode{in: from, groups: a.groups, sets: a.sets}
		from = agg
	}

	// A set operation resolves its operands' unknown literals, unless the
	// operand itself sorts or groups them, which makes them text.
	keepUnknown := sc.setOpLeaf && !q.Distinct && len(q.DistinctOn) == 0 && len(q.OrderBy) == 0 && len(q.GroupBy) == 0
	// The select list and ORDER BY may call window functions, which
	// windowNode computes over the rows the clauses above leave.
	win := &windowScope{node: &windowNode{}, keys: make(map[string]int)}
	targetScope := &scope{cols: exprScope.cols, parent: exprScope.parent, agg: exprScope.agg, setOpLeaf: exprScope.setOpLeaf, win: win, level: sc}
	exprs := make([]expr, 0, len(targets))
	cols := make([]Column, 0, len(targets))
	for i, t := range targets {
		e, err := b.bindExpr(t.Expr, targetScope)
		if err != nil {
			return nil, err
		}
		if pos, ok := targetScope.agg.groupOf(i); ok {
			e = &colExpr{t: e.Type(), idx: pos}
		}
		if e.Type().ID == types.Unknown && !keepUnknown {
			if e, err = b.cast(e, types.New(types.Text), false, t.Pos); err != nil {
				return nil, err
			}
		}
		exprs = append(exprs, e)
		cols = append(cols, b.outputColumn(t, e, sc))
	}

	if q.Having != nil {
		pred, err := b.bindExpr(q.Having, exprScope)
		if err != nil {
			return nil, err
		}
		if pred, err = b.coerce(pred, types.New(types.Bool), "argument of HAVING", q.Having.Position()); err != nil {
			return nil, err
		}
		from = &filterNode{in: from, pred: pred}
	}

	keys, exprs, err := b.bindOrderBy(q, targets, cols, exprs, targetScope)
	if err != nil {
		return nil, err
	}
	var distinctOn []int
	if len(q.DistinctOn) > 0 {
		if keys, distinctOn, exprs, err = b.bindDistinctOn(q, keys, targets, cols, exprs, targetScope); err != nil {
			return nil, err
		}
	}
	if len(win.node.funcs) > 0 {
		win.node.in = from
		if agg == nil && q.Where != nil {
			win.node.equalCols = whereEqualColumns(q.Where, sc)
		}
		from = win.node
	}
	if agg != nil {
		agg.aggs = exprScope.agg.aggs
		shareTransitions(agg.aggs)
		if b.planSortedAggregate(agg, exprScope.agg, keys, exprs) && len(win.node.funcs) == 0 && !q.Distinct && distinctOn == nil {
			// The groups come out in the ORDER BY's order already.
			keys = nil
		}
		agg.cols = make([]Column, len(agg.groups)+len(agg.aggs))
		for i, g := range agg.groups {
			agg.cols[i] = Column{Name: "?column?", Type: g.Type()}
		}
		for i, s := range agg.aggs {
			agg.cols[len(agg.groups)+i] = Column{Name: s.name, Type: s.t}
		}
	}
	if exprScope.correlated || targetScope.correlated {
		sc.correlated = true
	}

	hidden := make([]Column, len(exprs)-len(cols))
	for i := range hidden {
		hidden[i] = Column{Name: "?sort?", Type: exprs[len(cols)+i].Type()}
	}
	if p := projectAfterSort(q, targets, from, exprs, cols, keys); p != nil {
		return b.bindLimit(q, p, sc)
	}
	var p plan = &projectNode{in: from, exprs: exprs, cols: append(append([]Column(nil), cols...), hidden...)}
	if q.Distinct {
		for i, c := range cols {
			pos := int32(0)
			if i < len(targets) && targets[i].Expr != nil {
				pos = targets[i].Expr.Position()
			}
			if err := checkOrderable(c.Type, "equality", pos); err != nil {
				return nil, err
			}
		}
		p = &distinctNode{in: p, width: len(cols)}
	}
	if len(keys) > 0 && (q.Distinct || distinctOn != nil || !b.orderByIndex(q, sc, from, exprs, keys)) {
		p = &sortNode{in: p, keys: keys}
	}
	if distinctOn != nil {
		p = &distinctOnNode{in: p, keys: distinctOn}
	}
	if len(hidden) > 0 {
		p = &trimNode{in: p, width: len(cols)}
	}
	return b.bindLimit(q, p, sc)
}

// dependentKey is the aggScope key of a column grouped because its
// table's primary key is: it matches no expression.
const dependentKey = "\x00dependent"

// groupDependents also groups by every column of a FROM table whose
// primary key is grouped. Those columns are functionally dependent on the
// key, so grouping by them changes no group, and PostgreSQL lets a query
// use them without naming them in GROUP BY.
func (b *binder) groupDependents(a *aggScope, sc *scope) {
	var tables []string // FROM names of base tables, in FROM order
	for _, c := range sc.cols {
		if c.tableID != 0 && !slices.Contains(tables, c.table) {
			tables = append(tables, c.table)
		}
	}
	for _, name := range tables {
		var cols []int // scope indexes of the table's columns
		var desc *catalog.TableDesc
		for i, c := range sc.cols {
			if c.table == name && c.tableID != 0 {
				cols = append(cols, i)
				desc = b.tableByID(c.tableID)
			}
		}
		if desc == nil || len(desc.PK) == 0 {
			continue
		}
		grouped := 0
		for _, i := range cols {
			if _, ok := a.groupCol[i]; ok && slices.Contains(desc.PK, int(sc.cols[i].attr)-1) {
				grouped++
			}
		}
		if grouped < len(desc.PK) {
			continue
		}
		for _, i := range cols {
			if _, ok := a.groupCol[i]; !ok {
				a.groupCol[i] = len(a.groups)
				a.groups = append(a.groups, &colExpr{t: sc.cols[i].t, idx: i})
				a.keys = append(a.keys, dependentKey)
			}
		}
	}
	for i, c := range sc.cols {
		if c.usingCast != 0 {
			// The merged column converts a grouped one: it is grouped
			// too, as a key that changes no group.
			if _, ok := a.groupCol[i+c.usingCast]; ok {
				if _, have := a.groupCol[i]; !have {
					a.groupCol[i] = len(a.groups)
					a.groups = append(a.groups, &colExpr{t: c.t, idx: i})
					a.keys = append(a.keys, dependentKey)
				}
			}
		}
		if c.usingSame == 0 {
			continue
		}
		j := i + c.usingSame
		if pos, ok := a.groupCol[j]; ok {
			if _, have := a.groupCol[i]; !have {
				a.groupCol[i] = pos
			}
		} else if pos, ok := a.groupCol[i]; ok {
			a.groupCol[j] = pos
		}
	}
}

func (b *binder) tableByID(id uint32) *catalog.TableDesc {
	for _, d := range b.tables {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// inScope reports whether ref names a column of sc's own level.
func (b *binder) inScope(ref *ast.ColumnRef, sc *scope) bool {
	for _, c := range sc.cols {
		if c.name == ref.Column && (ref.Table == "" || ref.Table == c.table) {
			return true
		}
	}
	return false
}

func (b *binder) expandTargets(targets []ast.Target, sc *scope) ([]ast.Target, error) {
	var out []ast.Target
	for _, t := range targets {
		if f, ok := t.Expr.(*ast.FieldExpr); ok && f.Star {
			fields, err := b.expandFieldStar(t, f, sc)
			if err != nil {
				return nil, err
			}
			out = append(out, fields...)
			continue
		}
		if !t.Star {
			out = append(out, t)
			continue
		}
		n := 0
		for _, i := range starOrderIndexes(sc.cols) {
			c := sc.cols[i]
			if t.Table != "" && c.table != t.Table || c.system || t.Table == "" && c.qualifiedOnly {
				continue
			}
			out = append(out, ast.Target{Expr: &ast.ColumnRef{Table: c.table, Column: c.name, Pos: t.Pos, Index: i + 1}, Alias: c.name, Pos: t.Pos})
			n++
		}
		if t.Table != "" && n == 0 && !sc.hasTable(t.Table) {
			if cols := outerStarTargets(t, sc); cols != nil {
				out = append(out, cols...)
				continue
			}
			return nil, pgerr.New(pgerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", t.Table).WithPosition(t.Pos)
		}
		if t.Table == "" && len(sc.cols) == 0 && n == 0 {
			return nil, pgerr.New(pgerr.SyntaxError, "SELECT * with no tables specified is not valid").WithPosition(t.Pos)
		}
	}
	return out, nil
}

// outputColumn names a result column as PostgreSQL does.
func (b *binder) outputColumn(t ast.Target, e expr, sc *scope) Column {
	col := Column{Name: t.Alias, Type: e.Type()}
	if ref, ok := t.Expr.(*ast.ColumnRef); ok {
		if col.Name == "" {
			col.Name = ref.Column
		}
		if idx, level, found, err := sc.resolve(ref); err == nil && level == 0 && found == sc {
			col.TableID, col.Attr = sc.cols[idx].tableID, sc.cols[idx].attr
		}
	}
	if col.Name == "" {
		col.Name = defaultName(t.Expr)
	}
	return col
}

func defaultName(e ast.Expr) string {
	name, _ := figureName(e)
	return name
}

// figureName follows PostgreSQL's FigureColname: a name taken from a
// column, function or subquery (strength 2) beats one from a cast's type
// or a CASE (strength 1), so x::float8::int is named after its outermost
// type only when nothing inside it has a stronger name.
func figureName(e ast.Expr) (string, int) {
	switch x := e.(type) {
	case *ast.ColumnRef:
		return x.Column, 2
	case *ast.FuncCall:
		return x.Name, 2
	case *ast.CastExpr:
		if n, strength := figureName(x.X); strength > 1 {
			return n, strength
		}
		return x.Type.Name, 1
	case *ast.CollateExpr:
		return figureName(x.X)
	case *ast.CaseExpr:
		if n, strength := figureName(x.Else); strength > 1 {
			return n, strength
		}
		return "case", 1
	case *ast.ArrayExpr:
		return "array", 2
	case *ast.SubscriptExpr:
		return figureName(x.X)
	case *ast.FieldExpr:
		return x.Field, 2
	case *ast.RowExpr:
		return "row", 2
	case *ast.GroupingFunc:
		return "grouping", 2
	case *ast.SubqueryExpr:
		if x.Exists {
			return "exists", 2
		}
		if x.Array {
			return "array", 2
		}
		if x.Query.Op == "" && len(x.Query.Values) > 0 {
			// A VALUES list's first column.
			return "column1", 2
		}
		if len(x.Query.Targets) == 1 && !x.Query.Targets[0].Star {
			if x.Query.Targets[0].Alias != "" {
				return x.Query.Targets[0].Alias, 2
			}
			// The subquery's column is named by now, if only "?column?".
			n, _ := figureName(x.Query.Targets[0].Expr)
			return n, 2
		}
	}
	return "?column?", 0
}

// bindOrderBy resolves ORDER BY items to output columns, appending hidden
// columns for expressions not in the select list.
func (b *binder) bindOrderBy(q *ast.SelectStmt, targets []ast.Target, cols []Column, exprs []expr, sc *scope) ([]sortKey, []expr, error) {
	var keys []sortKey
	for _, o := range q.OrderBy {
		idx := -1
		switch x := o.Expr.(type) {
		case *ast.Literal:
			if x.Kind == "int" {
				n, _ := strconv.Atoi(x.Text)
				if n < 1 || n > len(cols) {
					return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "ORDER BY position %d is not in select list", n).WithPosition(x.Pos)
				}
				idx = n - 1
			}
		case *ast.ColumnRef:
			if x.Table == "" {
				for i, c := range cols {
					// A bare name is first an output column's name, even one
					// that names an input column too (PostgreSQL's SQL92
					// rule for ORDER BY).
					if c.Name == x.Column {
						if idx >= 0 && exprKey(targets[idx].Expr) != exprKey(targets[i].Expr) {
							return nil, nil, pgerr.New(pgerr.AmbiguousColumn, "ORDER BY \"%s\" is ambiguous", x.Column).WithPosition(x.Pos)
						}
						if idx < 0 {
							idx = i
						}
					}
				}
			}
		}
		if idx < 0 {
			key := exprKey(o.Expr)
			for i, t := range targets {
				if exprKey(t.Expr) == key {
					idx = i
					break
				}
			}
		}
		if idx < 0 {
			if q.Distinct {
				return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list").WithPosition(o.Expr.Position())
			}
			e, err := b.bindExpr(o.Expr, sc)
			if err != nil {
				return nil, nil, err
			}
			if e.Type().ID == types.Unknown {
				if e, err = b.cast(e, types.New(types.Text), false, o.Expr.Position()); err != nil {
					return nil, nil, err
				}
			}
			exprs = append(exprs, e)
			idx = len(exprs) - 1
		}
		if err := checkOrderable(exprs[idx].Type(), "ordering", o.Expr.Position()); err != nil {
			return nil, nil, err
		}
		k := sortKey{idx: idx, desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		keys = append(keys, k)
	}
	return keys, exprs, nil
}

func (b *binder) bindLimit(q *ast.SelectStmt, p plan, sc *scope) (plan, error) {
	if q.Limit == nil && q.Offset == nil {
		return p, nil
	}
	n := &limitNode{in: p}
	var err error
	if q.WithTies {
		return b.bindLimitWithTies(q, p, sc)
	}
	if q.Limit != nil {
		if n.limit, err = b.bindCount(q.Limit, "LIMIT", sc); err != nil {
			return nil, err
		}
	}
	if q.Offset != nil {
		if n.offset, err = b.bindCount(q.Offset, "OFFSET", sc); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// bindCount binds a LIMIT or OFFSET count, which may name the columns of
// enclosing queries (not those of its own).
func (b *binder) bindCount(e ast.Expr, what string, sc *scope) (expr, error) {
	if containsAggregate(e) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in %s", what).WithPosition(e.Position())
	}
	var outer *scope
	if sc != nil && sc.parent != nil {
		outer = &scope{parent: sc.parent}
	}
	x, err := b.bindExpr(e, outer)
	if pgerr.Code(err) == pgerr.UndefinedColumn && sc != nil {
		ast.WalkExpr(e, func(x ast.Expr) bool {
			if ref, ok := x.(*ast.ColumnRef); ok {
				if _, level, _, rerr := sc.resolve(ref); rerr == nil && level == 0 {
					err = pgerr.New(pgerr.InvalidColumnReference, "argument of %s must not contain variables", what).WithPosition(ref.Pos)
				}
			}
			_, sub := x.(*ast.SubqueryExpr)
			return !sub
		})
	}
	if err != nil {
		return nil, err
	}
	if outer != nil && outer.correlated {
		sc.correlated = true
	}
	if x.Type().ID == types.Numeric || x.Type().ID == types.Float8 || x.Type().ID == types.Float4 {
		return b.cast(x, types.New(types.Int8), true, e.Position())
	}
	return b.coerce(x, types.New(types.Int8), "argument of "+what, e.Position())
}

// finishOrdered applies ORDER BY and LIMIT of a VALUES or set-operation
// query, whose ORDER BY may only name output columns.
func (b *binder) finishOrdered(q *ast.SelectStmt, p plan, sc *scope) (plan, error) {
	cols := p.columns()
	var keys []sortKey
	for _, o := range q.OrderBy {
		idx := -1
		switch x := o.Expr.(type) {
		case *ast.Literal:
			if x.Kind == "int" {
				n, _ := strconv.Atoi(x.Text)
				if n < 1 || n > len(cols) {
					return nil, pgerr.New(pgerr.InvalidColumnReference, "ORDER BY position %d is not in select list", n).WithPosition(x.Pos)
				}
				idx = n - 1
			}
		case *ast.ColumnRef:
			for i, c := range cols {
				if c.Name == x.Column {
					idx = i
					break
				}
			}
			if idx < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", x.Column).WithPosition(x.Pos)
			}
		}
		if idx < 0 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause").
				WithDetail("Only result column names can be used, not expressions or functions.").WithPosition(o.Expr.Position())
		}
		if err := checkOrderable(cols[idx].Type, "ordering", o.Expr.Position()); err != nil {
			return nil, err
		}
		k := sortKey{idx: idx, desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		keys = append(keys, k)
	}
	if len(keys) > 0 {
		p = &sortNode{in: p, keys: keys}
	}
	return b.bindLimit(q, p, sc)
}

func (b *binder) bindSetOp(q *ast.SelectStmt, sc *scope) (plan, error) {
	ls := &scope{parent: sc.parent, setOpLeaf: true}
	left, err := b.bindSelect(q.Left, ls)
	if err != nil {
		return nil, err
	}
	rs := &scope{parent: sc.parent, setOpLeaf: true}
	right, err := b.bindSelect(q.Right, rs)
	if err != nil {
		return nil, err
	}
	sc.correlated = sc.correlated || ls.correlated || rs.correlated
	lc, rc := left.columns(), right.columns()
	if len(lc) != len(rc) {
		return nil, pgerr.New(pgerr.SyntaxError, "each %s query must have the same number of columns", q.Op)
	}
	cols := make([]Column, len(lc))
	lexprs := make([]expr, len(lc))
	rexprs := make([]expr, len(lc))
	for i := range lc {
		t, es, err := b.commonType([]expr{&colExpr{t: lc[i].Type, idx: i}, &colExpr{t: rc[i].Type, idx: i}}, q.Op, 0)
		if err != nil {
			return nil, err
		}
		cols[i] = Column{Name: lc[i].Name, Type: t}
		lexprs[i], rexprs[i] = es[0], es[1]
		if !q.All {
			if err := checkOrderable(t, "equality", 0); err != nil {
				return nil, err
			}
		}
	}
	node := &setOpNode{
		left:  &projectNode{in: left, exprs: lexprs, cols: cols},
		right: &projectNode{in: right, exprs: rexprs, cols: cols},
		op:    q.Op, all: q.All, cols: cols,
	}
	node.sorted = !(q.Op == "UNION" && q.All) && b.setOpSorted(cols)
	return b.finishOrdered(q, node, sc)
}

// bindValues binds a VALUES list. want, when given, are the types of the
// columns the rows are assigned to.
func (b *binder) bindValues(rows [][]ast.Expr, sc *scope, want []types.T) (plan, error) {
	width := len(rows[0])
	bound := make([][]expr, len(rows))
	for i, r := range rows {
		if len(r) != width {
			return nil, pgerr.New(pgerr.SyntaxError, "VALUES lists must all be the same length").WithPosition(r[0].Position())
		}
		bound[i] = make([]expr, width)
		for j, e := range r {
			x, err := b.bindExpr(e, sc)
			if err != nil {
				return nil, err
			}
			bound[i][j] = x
		}
	}
	cols := make([]Column, width)
	for j := 0; j < width; j++ {
		col := make([]expr, len(rows))
		for i := range rows {
			col[i] = bound[i][j]
		}
		t, col, err := b.commonType(col, "VALUES", rows[0][j].Position())
		if err != nil {
			return nil, err
		}
		for i := range rows {
			bound[i][j] = col[i]
		}
		cols[j] = Column{Name: "column" + strconv.Itoa(j+1), Type: t}
	}
	return &valuesNode{cols: cols, rows: bound}, nil
}

// bindFromItem builds the plan and scope columns of one FROM item.
func (b *binder) bindFromItem(item ast.TableExpr, sc *scope) (plan, []scopeCol, error) {
	switch x := item.(type) {
	case *ast.TableRef:
		if x == b.dmlTarget {
			return b.bindTargetItem(x)
		}
		if e := b.lookupCTE(x.Name); e != nil && !x.InfoSchema {
			return b.bindCTERef(e, x, sc)
		}
		if v := b.transitionTable(x); v != nil {
			return b.bindSystemView(v, x)
		}
		if v := systemView(x); v != nil {
			return b.bindSystemView(v, x)
		}
		if x.InfoSchema {
			return nil, nil, pgerr.New(pgerr.UndefinedTable, "relation \"information_schema.%s\" does not exist", x.Name).WithPosition(x.Pos)
		}
		desc, err := b.lookupTable(*x)
		if err != nil {
			return nil, nil, err
		}
		b.require(desc, catalog.PrivSelect, nil)
		if desc.View != "" {
			return b.bindViewRef(desc, x)
		}
		if desc.Sequence != nil {
			return b.bindSystemView(&sysView{name: desc.Name, cols: resultColumns(desc.Columns),
				rows: func(x *execCtx) ([][]types.Datum, error) { return x.sequenceRows(desc) }}, x)
		}
		name := x.RelName()
		if x.Alias != "" {
			name = x.Alias
		}
		cols := make([]scopeCol, len(desc.Columns))
		out := make([]Column, len(desc.Columns))
		schema := ""
		if x.Alias == "" {
			schema = desc.SchemaName()
		}
		for i, c := range desc.Columns {
			cols[i] = scopeCol{table: name, schema: schema, name: c.Name, t: c.Type, tableID: desc.ID, attr: int16(i + 1)}
			out[i] = Column{Name: c.Name, Type: c.Type, TableID: desc.ID, Attr: int16(i + 1)}
		}
		if err := renameColumns(cols, name, x.Columns); err != nil {
			return nil, nil, err
		}
		return b.rowSecurityScan(desc)(b.tableScan(desc, x, name, cols, out))
	case *ast.SubqueryRef:
		if x.Lateral {
			return b.bindLateralSubquery(x, sc)
		}
		inner := &scope{parent: sc.parent}
		p, err := b.bindSelect(x.Query, inner)
		if err != nil {
			return nil, nil, err
		}
		b.markFromSubquery(p)
		if inner.correlated {
			sc.correlated = true
		}
		if proj, ok := p.(*projectNode); ok {
			if w, ok := proj.in.(*windowNode); ok {
				w.fromSubquery = x.Alias
				w.subqueryJunk = windowKeysJunk(proj, w)
			}
		}
		cols := make([]scopeCol, len(p.columns()))
		values, _ := p.(*valuesNode)
		if values != nil {
			values.fromItem = true
		}
		unionAll, _ := p.(*setOpNode)
		if unionAll != nil && (unionAll.op != "UNION" || !unionAll.all) {
			unionAll = nil
		}
		for i, c := range p.columns() {
			cols[i] = scopeCol{table: x.Alias, name: c.Name, t: c.Type, values: values, valuesCol: c.Name, unionAll: unionAll, unionCol: i}
		}
		if err := renameColumns(cols, x.Alias, x.Columns); err != nil {
			return nil, nil, err
		}
		return p, cols, nil
	case *ast.FuncRef:
		return b.bindFromFunc(x, sc)
	case *ast.JoinExpr:
		lp, rp, lcols, rcols, lat, err := b.bindJoinSides(x, sc)
		if err != nil {
			return nil, nil, err
		}
		lcols, rcols = markNullable(lcols, x.Kind == "RIGHT" || x.Kind == "FULL"), markNullable(rcols, x.Kind == "LEFT" || x.Kind == "FULL")
		all := append(append([]scopeCol(nil), lcols...), rcols...)
		joinScope := &scope{cols: all, parent: sc.parent}
		if len(lcols) == len(lp.columns()) && len(rcols) == len(rp.columns()) {
			b.recordItems(joinScope, itemRange{0, len(lcols), lp}, itemRange{len(lcols), len(rcols), rp})
		}
		node := &joinNode{left: lp, right: rp, kind: x.Kind, cols: append(append([]Column(nil), lp.columns()...), rp.columns()...), lat: lat}
		using := x.Using
		if x.Natural {
			using = naturalColumns(lcols, rcols)
		}
		if len(using) > 0 {
			p, cols, err := b.bindUsingJoin(x, using, node, lcols, rcols)
			if err != nil {
				return nil, nil, err
			}
			cols, err = aliasJoin(x, cols)
			return p, cols, err
		}
		if x.Natural && x.Kind != "INNER" {
			// No common columns: PostgreSQL joins ON TRUE.
			node.on = &constExpr{t: types.New(types.Bool), v: true}
		}
		if on := x.On; on != nil {
			pred, err := b.bindExpr(on, joinScope)
			if err != nil {
				return nil, nil, err
			}
			if node.on, err = b.coerce(pred, types.New(types.Bool), "argument of JOIN/ON", on.Position()); err != nil {
				return nil, nil, err
			}
			if b.foldQual(on, joinScope) == qualTrue {
				// Folded away, as PostgreSQL's planner does: every pair
				// of rows matches.
				node.on = nil
			}
			if _, never := b.foldWhere(splitAnd(on), joinScope); never && x.Kind == "LEFT" && lat == nil {
				// No inner row can match: the inner side is not read and
				// every outer row is null-extended.
				node.right = emptyResult(rp)
				folded := &constExpr{t: types.New(types.Bool), v: false}
				if c, ok := node.on.(*constExpr); ok {
					folded.v = c.v // ON NULL stays NULL, as EXPLAIN shows it
				}
				node.on = folded
			} else if len(lcols) == len(lp.columns()) && len(rcols) == len(rp.columns()) && (lat == nil || !lat.right) {
				node.lkeys, node.rkeys = b.joinKeys(on, joinScope, len(lcols), len(rcols))
			}
		}
		if joinScope.correlated {
			sc.correlated = true
		}
		all, err = aliasJoin(x, all)
		return node, all, err
	}
	return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "FROM item %T is not supported", item)
}

// markNullable returns cols marked as the nullable side of an outer join
// when nullable is set.
func markNullable(cols []scopeCol, nullable bool) []scopeCol {
	if !nullable {
		return cols
	}
	out := make([]scopeCol, len(cols))
	for i, c := range cols {
		c.nullable = true
		out[i] = c
	}
	return out
}

// renameColumns applies the column aliases of a FROM item, which may name
// fewer columns than it has.
func renameColumns(cols []scopeCol, table string, names []string) error {
	if len(names) > len(cols) {
		return pgerr.New(pgerr.InvalidColumnReference, "table \"%s\" has %d columns available but %d columns specified", table, len(cols), len(names))
	}
	for i, n := range names {
		cols[i].name = n
	}
	return nil
}

// findUsing returns the index of the column a USING clause names among
// one side's columns, -1 when there is none; a name that several of them
// answer to is 42702, as in PostgreSQL.
func findUsing(cols []scopeCol, name, side string) (int, error) {
	found := -1
	for i, c := range cols {
		if c.name != name || c.qualifiedOnly || c.system {
			continue
		}
		if found >= 0 {
			return -1, pgerr.New(pgerr.AmbiguousColumn, "common column name \"%s\" appears more than once in %s table", name, side)
		}
		found = i
	}
	return found, nil
}

// bindUsingJoin binds JOIN ... USING (columns): the join's condition is the
// columns' equality, and its columns are, as PostgreSQL's, each USING
// column once (the left's value; the right's for RIGHT JOIN; the first
// non-NULL of the two for FULL JOIN), then the left's other columns, then
// the right's. The two sides' own USING columns stay reachable by their
// qualified names (a.x) and in a.*, not in * or by the bare name.
func (b *binder) bindUsingJoin(x *ast.JoinExpr, using []string, node *joinNode, lcols, rcols []scopeCol) (plan, []scopeCol, error) {
	width := len(lcols)
	var on expr
	var merged []expr
	var mergedCols []scopeCol
	used := make(map[int]bool)
	for _, u := range using {
		li, err := findUsing(lcols, u, "left")
		if err != nil {
			return nil, nil, err
		}
		ri, err := findUsing(rcols, u, "right")
		if err != nil {
			return nil, nil, err
		}
		if li < 0 || ri < 0 {
			return nil, nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in %s table", u, map[bool]string{true: "left", false: "right"}[li < 0])
		}
		if used[li] {
			return nil, nil, pgerr.New(pgerr.DuplicateColumn, "column name \"%s\" appears more than once in USING clause", u)
		}
		used[li], used[width+ri] = true, true
		l, r := expr(&colExpr{t: lcols[li].t, idx: li}), expr(&colExpr{t: rcols[ri].t, idx: width + ri})
		eq, err := b.bindOperator("=", l, r, 0)
		if err != nil {
			return nil, nil, err
		}
		if on == nil {
			on = eq
		} else if on, err = b.bindOperator("AND", on, eq, 0); err != nil {
			return nil, nil, err
		}
		l, r, t, err := b.unify(l, r, "=", 0)
		if err != nil {
			return nil, nil, err
		}
		if hashableEq(t) {
			node.lkeys, node.rkeys = append(node.lkeys, l), append(node.rkeys, r)
		}
		var m expr = l
		switch x.Kind {
		case "RIGHT":
			m = r
		case "FULL":
			m = &funcExpr{t: t, args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
				if a[0] != nil {
					return a[0], nil
				}
				return a[1], nil
			}}
		}
		merged = append(merged, m)
		mc := lcols[li]
		mc.table, mc.t, mc.usingSame, mc.usingCast = x.UsingAlias, t, 0, 0
		if ce, ok := m.(*colExpr); ok {
			mc.usingSame = ce.idx + 1 // made a distance below
		} else if ce, ok := r.(*colExpr); ok && (x.Kind == "" || x.Kind == "INNER") {
			// An inner join's sides are equal: PostgreSQL's merged
			// column is the side that needs no conversion.
			mc.usingSame = ce.idx + 1
		} else if x.Kind == "RIGHT" {
			mc.usingCast = width + ri + 1
		} else if x.Kind != "FULL" {
			mc.usingCast = li + 1
		}
		mergedCols = append(mergedCols, mc)
	}
	node.on = on
	for i := range mergedCols {
		if src := mergedCols[i].usingSame; src != 0 {
			mergedCols[i].usingSame = len(mergedCols) + src - 1 - i
		}
		if src := mergedCols[i].usingCast; src != 0 {
			mergedCols[i].usingCast = len(mergedCols) + src - 1 - i
		}
	}
	// The joined row, with the merged columns in front.
	exprs := append([]expr(nil), merged...)
	cols := append([]scopeCol(nil), mergedCols...)
	outCols := make([]Column, 0, len(merged)+len(node.cols))
	for i, m := range mergedCols {
		outCols = append(outCols, Column{Name: m.name, Type: merged[i].Type()})
	}
	for i, c := range append(append([]scopeCol(nil), lcols...), rcols...) {
		exprs = append(exprs, &colExpr{t: c.t, idx: i})
		c.qualifiedOnly = c.qualifiedOnly || used[i]
		cols = append(cols, c)
		outCols = append(outCols, node.cols[i])
	}
	return &projectNode{in: node, exprs: exprs, cols: outCols}, cols, nil
}

// naturalColumns is the USING list of a NATURAL join: the columns both
// sides name alike, in the left side's order.
func naturalColumns(lcols, rcols []scopeCol) []string {
	var out []string
	for _, l := range lcols {
		if l.qualifiedOnly || l.system {
			continue
		}
		for _, r := range rcols {
			if !r.qualifiedOnly && !r.system && r.name == l.name {
				out = append(out, l.name)
				break
			}
		}
	}
	return out
}

// aliasJoin applies (a JOIN b) AS alias [(columns)]: the columns * finds
// are renamed and qualified by the alias, and the others (the sides' own
// copies of USING columns, system columns) can no longer be named.
func aliasJoin(x *ast.JoinExpr, cols []scopeCol) ([]scopeCol, error) {
	if x.Alias == "" {
		return cols, nil
	}
	out := make([]scopeCol, len(cols))
	var visible []scopeCol
	var at []int
	for i, c := range cols {
		if c.qualifiedOnly || c.system {
			c.table, c.name, c.qualifiedOnly = "", "", true
		} else {
			c.table = x.Alias
			visible = append(visible, c)
			at = append(at, i)
		}
		out[i] = c
	}
	if len(x.Columns) > len(visible) {
		return nil, pgerr.New(pgerr.InvalidColumnReference, "join expression \"%s\" has %d columns available but %d columns specified", x.Alias, len(visible), len(x.Columns))
	}
	for i, n := range x.Columns {
		out[at[i]].name = n
	}
	return out, nil
}

// bindLimitWithTies binds FETCH FIRST n ROWS WITH TIES over p, whose sort
// (under the trim of hidden sort columns, if any) gives the keys that
// decide ties.
func (b *binder) bindLimitWithTies(q *ast.SelectStmt, p plan, sc *scope) (plan, error) {
	if lit, ok := q.Limit.(*ast.Literal); ok && lit.Kind == "null" {
		return nil, pgerr.New(pgerr.InvalidRowCountInLimit, "row count cannot be null in FETCH FIRST ... WITH TIES clause").WithPosition(lit.Pos)
	}
	trim, trimmed := p.(*trimNode)
	in := p
	if trimmed {
		in = trim.in
	}
	sorted, ok := in.(*sortNode)
	if !ok {
		return nil, pgerr.New(pgerr.SyntaxError, "WITH TIES cannot be specified without ORDER BY clause")
	}
	plain := *q
	plain.WithTies = false
	lp, err := b.bindLimit(&plain, sorted, sc)
	if err != nil {
		return nil, err
	}
	if n, ok := lp.(*limitNode); ok {
		n.ties = sorted.keys
	}
	if trimmed {
		return &trimNode{in: lp, width: trim.width}, nil
	}
	return lp, nil
}
