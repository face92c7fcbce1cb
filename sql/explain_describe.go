package sql

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// explainNode is one node of a described plan.
type explainNode struct {
	// typ is PostgreSQL's node type ("Seq Scan", "Hash Join"); name is
	// how the text format names it ("Hash Left Join", "HashAggregate").
	typ, name string
	// joinType, strategy, operation and command are the JSON format's
	// "Join Type", "Strategy", "Operation" and "Command".
	joinType, strategy, operation, command string
	// relation, schema and alias name a scanned or modified table;
	// index the index a scan reads; function a scanned function; cte
	// a scanned CTE or subquery.
	relation, schema, alias, index, function, subquery string
	// targets are the tables a data-modifying node writes, when it
	// writes several, as their lines show them.
	targets []string
	// quals are the conditions of the node's Filter.
	quals []scopedExpr
	// indexConds are the conditions a scan's index lookup enforces.
	indexConds []ast.Expr
	// parent is the JSON format's "Parent Relationship".
	parent string
	// props are the node's details in PostgreSQL's order.
	props []explainProp
	// output are the node's output columns, shown by VERBOSE.
	output   func() []string
	children []*explainNode
	// initPlans and subPlans are the subqueries the node evaluates;
	// subplanName is how a subquery's node is labelled.
	initPlans, subPlans []*explainNode
	subplanName         string

	rows           float64
	startup, total float64
	width          int
	stats          *nodeStats
	filtered       *nodeStats // the rows the node's filter read, when it has one
	filterLabel    string     // "Filter" or "Join Filter", for "Rows Removed by ..."
	// once marks a node that runs once with the statement, reading
	// nothing (a Result whose One-Time Filter is false).
	once bool
}

// explainProp is a node detail: one text, or a list of them (Sort Key).
type explainProp struct {
	key  string
	text func() string
	list func() []string
}

// prop adds a detail to n. A scan's conditions print their columns
// unqualified unless VERBOSE, as show_scan_qual prints them; the details
// of other nodes qualify them when the plan reads several relations.
func (d *describer) prop(n *explainNode, key string, text func() string) {
	n.props = append(n.props, explainProp{key: key, text: func() string {
		defer d.scanQuals(n)()
		return text()
	}})
}

func (d *describer) propList(n *explainNode, key string, list func() []string) {
	n.props = append(n.props, explainProp{key: key, list: func() []string {
		defer d.scanQuals(n)()
		return list()
	}})
}

// scanQuals sets the printing of unqualified columns for n's details
// when n is a scan, and returns what restores it.
func (d *describer) scanQuals(n *explainNode) func() {
	saved := d.unqualified
	switch n.typ {
	case "Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan", "Function Scan", "Values Scan", "WorkTable Scan", "CTE Scan":
		d.unqualified = !d.opts.verbose
	default:
		d.unqualified = false
	}
	return func() { d.unqualified = saved }
}

func (n *explainNode) resetStats() {
	if n.stats != nil {
		*n.stats = nodeStats{}
	}
	if n.filtered != nil {
		*n.filtered = nodeStats{}
	}
}

// describer builds the description of a bound statement's plan.
type describer struct {
	b    *binder
	rec  *explainRecorder
	opts explainOptions
	all  []*explainNode
	// relations counts the FROM items of the plan: with more than one,
	// column references print qualified, as PostgreSQL's do.
	relations int
	// unqualified is set while a scan's conditions print, tlist while
	// an output list prints.
	unqualified, tlist bool
	// subplans are the subqueries described, numbered as PostgreSQL
	// numbers SubPlans and InitPlans and their $n parameters.
	subplans               map[*ast.SelectStmt]subplanRef
	nextSubplan, nextParam int
	// untargeted is set for INSERT ... ON CONFLICT DO NOTHING without a
	// conflict target.
	untargeted bool
	// names are the names given to the plan's relations so far: a name
	// used again is made unique as PostgreSQL's EXPLAIN makes it
	// (tenk1_1, "*VALUES*_1").
	names map[string]bool
	// valuesNames are the names the Values Scans of the plan print as.
	valuesNames map[*valuesNode]string
}

// uniqueName is name, or name_N for the first N that is not taken yet.
func (d *describer) uniqueName(name string) string {
	if d.names == nil {
		d.names = make(map[string]bool)
	}
	out := name
	for i := 1; d.names[out]; i++ {
		out = name + "_" + strconv.Itoa(i)
	}
	d.names[out] = true
	return out
}

func (d *describer) node(typ, name string) *explainNode {
	n := &explainNode{typ: typ, name: name}
	if d.opts.analyze {
		n.stats = &nodeStats{}
	}
	d.all = append(d.all, n)
	return n
}

// statement describes a bound statement.
func (d *describer) statement(st boundStmt) (*explainNode, error) {
	switch p := st.(type) {
	case *selectPlan:
		n, in, err := d.plan(p.p)
		if err != nil {
			return nil, err
		}
		p.p = in
		return n, nil
	case *createTableAsPlan:
		n, in, err := d.plan(p.query)
		if err != nil {
			return nil, err
		}
		p.query = in
		return n, nil
	case *insertPlan:
		n := d.modify("Insert", p.table)
		n.relation, n.alias, n.schema = p.table.Name, p.table.Name, p.table.SchemaName()
		if oc := p.onConflict; oc != nil {
			d.describeOnConflict(n, p.table, oc)
		}
		child, in, err := d.plan(p.source)
		if err != nil {
			return nil, err
		}
		p.source = in
		n.children = []*explainNode{child}
		return n, nil
	case *updatePlan:
		if p.never {
			return d.modifyNever("Update", &p.tableWriter, p.set, false), nil
		}
		return d.modifyScan("Update", p.tableWriter, p.scan, &p.where, &p.join)
	case *deletePlan:
		if p.never {
			return d.modifyNever("Delete", &p.tableWriter, nil, false), nil
		}
		return d.modifyScan("Delete", p.tableWriter, p.scan, &p.where, &p.join)
	case *inhDMLPlan:
		if slices.ContainsFunc(p.parts, neverPart) && !slices.ContainsFunc(p.parts, func(st boundStmt) bool { return !neverPart(st) }) {
			if w, set, ok := neverTarget(p.parts[0]); ok {
				op := "Update"
				if p.verb == "DELETE" {
					op = "Delete"
				}
				return d.modifyNever(op, w, set, !w.table.IsPartitioned()), nil
			}
		}
		return d.modifyInherited(p)
	}
	return nil, explainUnsupported("this statement")
}

func explainUnsupported(what string) error {
	return pgerr.New(pgerr.FeatureNotSupported, "EXPLAIN of %s is not supported", what)
}

func (d *describer) modify(op string, table interface {
	SchemaName() string
}) *explainNode {
	n := d.node("ModifyTable", op)
	n.operation = op
	return n
}

// modifyScan describes UPDATE and DELETE: the table's scan filtered by
// WHERE, or the join of UPDATE ... FROM and DELETE ... USING.
func (d *describer) modifyScan(op string, w tableWriter, scan *scanNode, wherep *expr, join *plan) (*explainNode, error) {
	where := *wherep
	n := d.modify(op, w.table)
	n.relation, n.alias, n.schema = w.table.Name, w.table.Name, w.table.SchemaName()
	if *join != nil {
		child, in, err := d.plan(*join)
		if err != nil {
			return nil, err
		}
		*join = in
		n.children = []*explainNode{child}
		return n, nil
	}
	child := d.scan(scan)
	if where != nil {
		if err := d.addFilter(child, where, "Filter"); err != nil {
			return nil, err
		}
		child.rows = clampRows(child.rows * d.filterSelectivity(scan, where))
	}
	if d.opts.analyze {
		// The statement reads its scan itself: the WHERE condition,
		// wrapped, counts the rows it reads and those it passes.
		c := &countingExpr{in: where, read: &nodeStats{}, passed: child.stats}
		if where != nil {
			child.filtered = c.read
		}
		*wherep = c
	}
	n.children = []*explainNode{child}
	n.rows, n.width = 0, 0
	n.startup, n.total = child.startup, child.total
	return n, nil
}

// plan describes p and returns the plan to run in its place: p itself,
// or for EXPLAIN ANALYZE p wrapped to count its rows.
func (d *describer) plan(p plan) (*explainNode, plan, error) {
	n, err := d.describe(p)
	if err != nil {
		return nil, nil, err
	}
	return n, d.wrap(p, n.stats, nil), nil
}

func (d *describer) describe(p plan) (*explainNode, error) {
	if d.rec.fromSubqueries[p] {
		// A FROM subquery stays in PostgreSQL's range table, pulled up
		// or not: it counts towards qualifying column names.
		d.relations++
	}
	switch x := p.(type) {
	case *projectNode:
		if x.afterSort {
			return d.resultProjection(x)
		}
		// A projection is done by the node below it, as in PostgreSQL:
		// the counter around the projection counts that node's rows.
		var n *explainNode
		var err error
		if proj, w := windowSubquery(x.in); w != nil && keepsSubqueryScan(x, proj, w) {
			n, x.in, err = d.subqueryScan(proj, w, nil)
		} else {
			n, err = d.describe(x.in)
		}
		if err != nil {
			return nil, err
		}
		for _, e := range x.exprs {
			if err := d.attachSubplans(n, d.originAST(e)); err != nil {
				return nil, err
			}
		}
		proj := x
		n.output = func() []string {
			d.tlist = true
			defer func() { d.tlist = false }()
			out := make([]string, len(proj.exprs))
			for i := range proj.exprs {
				out[i] = d.columnText(proj, i)
			}
			return out
		}
		n.width = widthOf(x.cols)
		return n, nil
	case *trimNode:
		return d.describe(x.in)
	case *filterNode:
		return d.filter(x)
	case *scanNode:
		return d.scan(x), nil
	case oneRowNode:
		n := d.node("Result", "Result")
		n.rows, n.total = 1, 0.01
		return n, nil
	case *valuesNode:
		d.relations++
		if len(x.rows) == 1 {
			// PostgreSQL turns a one-row VALUES into a Result.
			n := d.node("Result", "Result")
			n.rows, n.total, n.width = 1, 0.01, widthOf(x.cols)
			return n, nil
		}
		n := d.node("Values Scan", "Values Scan")
		name := d.uniqueName("*VALUES*")
		if d.valuesNames == nil {
			d.valuesNames = make(map[*valuesNode]string)
		}
		d.valuesNames[x] = name
		if x.fromItem {
			d.relations++
		}
		n.relation, n.alias = name, name
		n.rows = float64(len(x.rows))
		n.total = n.rows * cpuOperatorCost * float64(len(x.cols)+1)
		n.width = widthOf(x.cols)
		return n, nil
	case *funcScanNode:
		d.relations++
		n := d.node("Function Scan", "Function Scan")
		if f, ok := d.rec.funcs[x]; ok {
			alias := f.name
			if f.alias != "" {
				alias = f.alias
			}
			n.function, n.alias = f.name, d.uniqueName(alias)
		}
		n.rows, n.total, n.width = 1000, 10, widthOf(x.cols)
		return n, nil
	case *limitNode:
		child, in, err := d.plan(x.in)
		if err != nil {
			return nil, err
		}
		x.in = in
		n := d.node("Limit", "Limit")
		n.children = []*explainNode{child}
		d.limitCost(n, child, x)
		return n, nil
	case *sortNode:
		child, in, err := d.plan(x.in)
		if err != nil {
			return nil, err
		}
		x.in = in
		n := d.node("Sort", "Sort")
		n.children = []*explainNode{child}
		keys := x.keys
		src := x.in
		d.propList(n, "Sort Key", func() []string { return d.sortKeys(src, keys) })
		sortCost(n, child)
		return n, nil
	case *distinctNode:
		child, in, err := d.plan(x.in)
		if err != nil {
			return nil, err
		}
		x.in = in
		n := d.node("Aggregate", "HashAggregate")
		n.strategy = "Hashed"
		n.children = []*explainNode{child}
		src, width := x.in, x.width
		if width > 0 {
			d.propList(n, "Group Key", func() []string { return d.columnTexts(src, width) })
		}
		aggCost(n, child, true)
		return n, nil
	case *aggNode:
		return d.aggregate(x)
	case *multiJoinNode:
		return d.multiJoin(x)
	case *joinNode:
		return d.join(x)
	case *setOpNode:
		return d.setOp(x)
	case *windowNode:
		return d.windowAggs(x)
	case *srfProjectNode:
		child, in, err := d.plan(x.in)
		if err != nil {
			return nil, err
		}
		x.in = in
		n := d.node("ProjectSet", "ProjectSet")
		n.children = []*explainNode{child}
		n.rows, n.width = child.rows*1000, widthOf(x.cols)
		n.startup, n.total = child.startup, child.total+n.rows*cpuTupleCost
		return n, nil
	case *recursiveUnionNode:
		left, lin, err := d.plan(x.left)
		if err != nil {
			return nil, err
		}
		right, rin, err := d.plan(x.right)
		if err != nil {
			return nil, err
		}
		x.left, x.right = lin, rin
		n := d.node("Recursive Union", "Recursive Union")
		left.parent, right.parent = "Outer", "Inner"
		n.children = []*explainNode{left, right}
		n.rows = left.rows + 10*right.rows
		n.total = left.total + 10*right.total
		n.width = widthOf(x.cols)
		return n, nil
	case *sysViewNode:
		// A system catalog or view is computed from the catalog as the
		// query reads it: every row of the relation is read.
		d.relations++
		n := d.node("Seq Scan", "Seq Scan")
		n.relation, n.schema, n.alias = x.v.name, "pg_catalog", x.v.name
		n.rows, n.total, n.width = 1000, 10+1000*cpuTupleCost, widthOf(x.v.cols)
		return n, nil
	case *lockNode:
		return d.lockRows(x)
	case *lateralLeaf:
		// A LATERAL item runs again for each row of the items to its
		// left, which its join's Nested Loop describes.
		return d.describe(x.in)
	case *workTableScan:
		d.relations++
		n := d.node("WorkTable Scan", "WorkTable Scan")
		n.rows, n.total, n.width = 100, 2, widthOf(x.w.cols)
		return n, nil
	}
	return nil, explainUnsupported("a query with this plan node")
}

// filter describes a WHERE or HAVING filter: as the Filter of the node
// below it, as PostgreSQL applies quals in the node that produces the
// rows; over no FROM item, as Result's One-Time Filter.
func (d *describer) filter(x *filterNode) (*explainNode, error) {
	if x.never {
		// Nothing below runs: PostgreSQL plans no scan at all. The
		// relations below still count towards qualifying column names
		// and take their names, as they stay in PostgreSQL's range table.
		kept := len(d.all)
		if _, err := d.describe(x.in); err != nil {
			return nil, err
		}
		d.all = d.all[:kept]
		n := d.node("Result", "Result")
		n.width = widthOf(x.columns())
		d.prop(n, "One-Time Filter", func() string { return "false" })
		return n, nil
	}
	if _, ok := x.in.(oneRowNode); ok {
		n := d.node("Result", "Result")
		n.rows, n.total = 1, 0.01
		if err := d.addFilter(n, x.pred, "One-Time Filter"); err != nil {
			return nil, err
		}
		return n, nil
	}
	if sub, ok, err := d.windowSubqueryScan(x); ok || err != nil {
		return sub, err
	}
	scan, _ := x.in.(*scanNode)
	inner, err := d.describe(x.in)
	if err != nil {
		return nil, err
	}
	// The filter's node reports the rows that pass; the node below it,
	// counted separately, the rows the filter read.
	if d.opts.analyze && inner.filtered == nil {
		// A filter stacked on another keeps the count of the rows the
		// lower one read.
		inner.filtered = &nodeStats{}
		x.in = d.wrap(x.in, inner.filtered, nil)
	}
	label := "Filter"
	if inner.typ == "Nested Loop" || inner.typ == "Hash Join" {
		label = "Join Filter"
	}
	if scan != nil && len(scan.inh) > 0 && inner.typ == "Append" {
		// The filter reads every member's rows: PostgreSQL shows it
		// on each member's scan.
		for _, c := range inner.children {
			if err := d.addFilter(c, x.pred, "Filter"); err != nil {
				return nil, err
			}
		}
		inner.filterLabel = ""
		inner.rows = clampRows(inner.rows * selectivityOf(d.originAST(x.pred)))
		return inner, nil
	}
	if scan != nil && len(scan.inh) > 0 && inner.typ == "Result" {
		// Every partition was pruned: no row is read to filter.
		return inner, nil
	}
	if err := d.addFilter(inner, x.pred, label); err != nil {
		return nil, err
	}
	inner.rows = clampRows(inner.rows * d.filterSelectivity(scan, x.pred))
	return inner, nil
}

// addFilter adds a condition to n's filter: conjuncts joined by AND as
// PostgreSQL prints a qual list.
func (d *describer) addFilter(n *explainNode, pred expr, label string) error {
	n.filterLabel = label
	n.total += n.rows * cpuOperatorCost
	if err := d.attachSubplans(n, d.originAST(pred)); err != nil {
		return err
	}
	o, ok := d.rec.exprs[pred]
	if !ok {
		d.prop(n, label, func() string { return d.exprText(pred, "") })
		return nil
	}
	// The conditions the index lookup enforces show as Index Cond
	// only, as in PostgreSQL.
	var conds []ast.Expr
	for _, c := range splitAnd(o.ast) {
		if !slices.Contains(n.indexConds, c) {
			conds = append(conds, c)
		}
	}
	if len(conds) == 0 {
		return nil
	}
	if !d.allKnown(conds) {
		d.prop(n, label, func() string { return d.exprText(pred, "") })
		return nil
	}
	// Filters stacked on one node (a view's WHERE under the query's)
	// filter the same rows: one qual list, as PostgreSQL shows it.
	first := len(n.quals) == 0
	for _, c := range conds {
		n.quals = append(n.quals, scopedExpr{ast: c, sc: o.sc})
	}
	if first || label != "Filter" {
		d.prop(n, label, func() string { return d.qualsText(n.quals) })
	}
	return nil
}

// scopedExpr is a parsed condition and the scope its columns resolve in.
type scopedExpr struct {
	ast ast.Expr
	sc  *scope
}

// qualsText prints conditions as a qual list in PostgreSQL's order.
func (d *describer) qualsText(quals []scopedExpr) string {
	asts := make([]ast.Expr, len(quals))
	scopes := make(map[ast.Expr]*scope, len(quals))
	for i, q := range quals {
		asts[i] = q.ast
		scopes[q.ast] = q.sc
	}
	ordered := qualOrder(asts)
	parts := make([]string, len(ordered))
	for i, a := range ordered {
		parts[i] = d.astText(a, scopes[a])
		if len(ordered) > 1 {
			parts[i] = qualPart(a, parts[i])
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

func (d *describer) originAST(e expr) ast.Expr {
	if o, ok := d.rec.exprs[e]; ok {
		return o.ast
	}
	return nil
}

// scan describes a table scan: sequential, through the primary key or
// through an index, and over the table's inheritance children.
func (d *describer) scan(x *scanNode) *explainNode {
	if len(x.inh) > 0 {
		n := d.node("Append", "Append")
		// The members are named after the table the query names, made
		// unique: t_1, t_2, ...
		alias := d.rec.aliases[x]
		if alias == "" {
			alias = x.table.Name
		}
		var read []*inhMember
		for _, m := range x.inh {
			if !m.table.IsPartitioned() && !m.pruned {
				read = append(read, m)
			}
		}
		if x.table.IsPartitioned() && len(read) == 1 {
			// One partition left: PostgreSQL plans its scan without an
			// Append, under the name the query gives the table.
			m := read[0]
			c := d.scanOne(x, m.table.Name, m.table.SchemaName(), d.uniqueName(alias))
			c.stats = n.stats
			return c
		}
		d.uniqueName(alias)
		if !x.table.IsPartitioned() {
			n.children = append(n.children, d.scanOne(x, x.table.Name, x.table.SchemaName(), d.uniqueName(alias)))
		}
		for _, m := range read {
			c := d.scanOne(x, m.table.Name, m.table.SchemaName(), d.uniqueName(alias))
			c.stats = nil // the members' rows are counted together, by the Append
			n.children = append(n.children, c)
		}
		for _, c := range n.children {
			c.stats = nil
			n.rows += c.rows
			n.total += c.total
			n.width = c.width
		}
		if len(n.children) == 0 {
			n.typ, n.name = "Result", "Result"
			d.prop(n, "One-Time Filter", func() string { return "false" })
		}
		return n
	}
	alias := d.rec.aliases[x]
	if alias == "" {
		alias = x.table.Name
	}
	return d.scanOne(x, x.table.Name, x.table.SchemaName(), d.uniqueName(alias))
}

func (d *describer) scanOne(x *scanNode, name, schema, alias string) *explainNode {
	d.relations++
	if alias == "" {
		alias = name
	}
	origin, hasOrigin := d.rec.scans[x]
	var n *explainNode
	switch {
	case x.key != nil:
		n = d.node("Index Scan", "Index Scan")
		n.index = x.table.PKConstraintName()
	case x.index != nil && x.index.backward:
		n = d.node("Index Scan", "Index Scan Backward")
		n.index = x.index.index.Name
	case x.index != nil:
		n = d.node("Index Scan", "Index Scan")
		n.index = x.index.index.Name
	case x.am != nil && !x.am.bitmap:
		n = d.node("Index Scan", "Index Scan")
		n.index = x.am.index.Name
	case x.am != nil:
		n = d.node("Bitmap Heap Scan", "Bitmap Heap Scan")
	default:
		n = d.node("Seq Scan", "Seq Scan")
	}
	n.relation, n.schema, n.alias = name, schema, alias
	rows, pages := d.tableEstimate(x)
	n.width = widthOf(x.cols[:len(x.table.Columns)])
	n.rows = rows
	n.total = pages*seqPageCost + rows*cpuTupleCost
	if x.key != nil || x.index != nil {
		var conds []ast.Expr
		if hasOrigin {
			conds = d.indexConds(x, origin)
		}
		if x.key != nil {
			n.rows = 1
		} else {
			n.rows = clampRows(rows * 0.005)
		}
		n.startup, n.total = 0.15, 0.15+randomPageCost*2+n.rows*cpuTupleCost
		n.indexConds = conds
		if len(conds) > 0 {
			sc := origin.sc
			d.prop(n, "Index Cond", func() string { return d.keyCondsText(conds, sc) })
		}
	}
	if x.am != nil {
		d.describeAMScan(n, x.am, origin, hasOrigin, rows)
	}
	cols := x.cols[:len(x.table.Columns)]
	n.output = func() []string {
		d.tlist = true
		defer func() { d.tlist = false }()
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = d.qualify(alias, c.Name)
		}
		return out
	}
	return n
}

// indexConds are the conjuncts of origin that the scan's primary key or
// index lookup enforces: those PostgreSQL shows as Index Cond.
func (d *describer) indexConds(x *scanNode, origin scanOrigin) []ast.Expr {
	var out []ast.Expr
	var conjs []ast.Expr
	for _, c := range origin.conjs {
		conjs = append(conjs, splitAnd(c)...)
	}
	for _, c := range conjs {
		conds := d.b.keyConds([]ast.Expr{c}, origin.sc, x.table, origin.off)
		if in, ok := c.(*ast.InExpr); ok && len(conds) > 1 {
			// A row IN list the key lookup holds as equalities.
			used := true
			for col, kcs := range conds {
				used = used && len(kcs) == 1 && d.usesKey(x, col, "=")
			}
			if _, _, eq := rowInEqualities(in); used && eq {
				out = append(out, c)
			}
			continue
		}
		if len(conds) != 1 {
			continue
		}
		for col, kcs := range conds {
			if len(kcs) != 1 {
				continue
			}
			if d.usesKey(x, col, kcs[0].op) {
				out = append(out, c)
			}
		}
	}
	return out
}

// usesKey reports whether the scan's key or index lookup applies the
// condition op on table column col.
func (d *describer) usesKey(x *scanNode, col int, op string) bool {
	if x.key != nil {
		for _, k := range x.table.PK {
			if k == col {
				return op == "="
			}
		}
		return false
	}
	s := x.index
	for k, c := range s.index.Columns {
		if s.index.KeyExpr(k) != "" {
			return false
		}
		if k < len(s.eq) {
			if c == col && op == "=" {
				return true
			}
			continue
		}
		if c == col {
			switch op {
			case "in":
				if s.in != nil {
					return true
				}
			case ">", ">=":
				if s.lo != nil && s.loIncl == (op == ">=") {
					return true
				}
			case "<", "<=":
				if s.hi != nil && s.hiIncl == (op == "<=") {
					return true
				}
			}
		}
		break
	}
	for _, p := range s.post {
		if s.index.Columns[p.pos] == col && p.op == op {
			return true
		}
	}
	return false
}

// conjText prints conjuncts as PostgreSQL prints a qual list: one as
// itself, several joined by AND in parentheses.
func (d *describer) conjText(conds []ast.Expr, sc *scope) string {
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = d.astText(c, sc)
		if len(conds) > 1 {
			parts[i] = qualPart(c, parts[i])
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

// exprText prints a bound expression from its source. A condition
// split into conjuncts (WHERE a AND b) prints as PostgreSQL's qual list.
func (d *describer) exprText(e expr, fallback string) string {
	if c, ok := e.(*namedColumn); ok {
		return c.name
	}
	if o, ok := d.rec.exprs[e]; ok {
		if conjs := splitAnd(o.ast); len(conjs) > 1 {
			if known := d.allKnown(conjs); known {
				return d.conjText(qualOrder(conjs), o.sc)
			}
		}
		return d.astText(o.ast, o.sc)
	}
	switch x := e.(type) {
	case *constExpr:
		if x.v == nil {
			return "NULL::" + types.Format(x.t)
		}
		return quoteLiteralText(types.FormatText(x.t, x.v)) + "::" + types.Format(x.t)
	case *andExpr:
		return "(" + d.exprText(x.l, "?") + " AND " + d.exprText(x.r, "?") + ")"
	case *orExpr:
		return "(" + d.exprText(x.l, "?") + " OR " + d.exprText(x.r, "?") + ")"
	}
	if fallback != "" {
		return fallback
	}
	return "?"
}

func (d *describer) allKnown(conjs []ast.Expr) bool {
	for _, c := range conjs {
		if d.rec.sourceOf(c) == nil {
			return false
		}
	}
	return true
}

func quoteLiteralText(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// astText prints a parsed expression whose column references resolve
// in sc.
func (d *describer) astText(a ast.Expr, sc *scope) string {
	text, ok := d.rec.sourceOf(a).Deparse(a, d.columnResolver(sc), d.sublinkText)
	if !ok {
		return d.rebuiltText(a, sc)
	}
	return text
}

// rebuiltText prints an AND or OR the planner built from the statement's
// own conditions (factorOrs), from its parts, as PostgreSQL prints a
// boolean expression; anything else it cannot print is "?".
func (d *describer) rebuiltText(a ast.Expr, sc *scope) string {
	be, ok := a.(*ast.BinaryExpr)
	if !ok || (be.Op != "AND" && be.Op != "OR") {
		return "?"
	}
	split := splitAnd
	if be.Op == "OR" {
		split = splitOr
	}
	var parts []string
	for _, p := range split(a) {
		parts = append(parts, d.astText(p, sc))
	}
	return "(" + strings.Join(parts, " "+be.Op+" ") + ")"
}

// columnResolver resolves column references in sc for printing.
func (d *describer) columnResolver(sc *scope) parser.ColumnResolver {
	return func(qual, name string) (string, types.T, bool) {
		if sc == nil {
			return "", types.T{}, false
		}
		idx, level, cur, err := sc.resolve(&ast.ColumnRef{Table: qual, Column: name})
		if err != nil || cur == nil {
			return "", types.T{}, false
		}
		c := cur.cols[idx]
		if c.values != nil && d.valuesNames[c.values] != "" {
			// The FROM (VALUES ...) item's columns print as the Values
			// Scan's, as PostgreSQL's do once the subquery is pulled up.
			return d.qualify(d.valuesNames[c.values], c.valuesCol), c.t, true
		}
		if c.unionAll != nil && level == 0 {
			// A UNION ALL subquery's column prints as its first
			// operand's, when that is a column.
			if e, ok := d.outputExpr(c.unionAll, c.unionCol); ok && d.simpleColumn(e) {
				return d.exprText(e, "?"), c.t, true
			}
		}
		if text, ok := d.pulledUpColumn(cur, idx); ok {
			return text, c.t, true
		}
		if level > 0 && c.table != "" {
			// A reference to an enclosing query's row always names
			// its relation, as PostgreSQL prints the parameter.
			return parser.QuoteIdent(c.table) + "." + parser.QuoteIdent(c.name), c.t, true
		}
		return d.qualify(c.table, c.name), c.t, true
	}
}

// qualify prints a column reference: qualified by its FROM item when the
// plan has several, or with VERBOSE, as PostgreSQL prints Vars.
func (d *describer) qualify(table, name string) string {
	if d.tlist {
		// An output list qualifies its columns only when the plan reads
		// several relations (show_plan_tlist).
		if table != "" && d.relations > 1 {
			return parser.QuoteIdent(table) + "." + parser.QuoteIdent(name)
		}
		return parser.QuoteIdent(name)
	}
	if table != "" && !d.unqualified && (d.relations > 1 || d.opts.verbose) {
		return parser.QuoteIdent(table) + "." + parser.QuoteIdent(name)
	}
	return parser.QuoteIdent(name)
}

// outputExpr finds the expression that computes column idx of p's rows,
// through the nodes that pass rows on unchanged.
func (d *describer) outputExpr(p plan, idx int) (expr, bool) {
	for {
		switch x := p.(type) {
		case *analyzedNode:
			p = x.in
		case *projectNode:
			if idx >= len(x.exprs) {
				return nil, false
			}
			e := x.exprs[idx]
			if inner, ok := d.unionAllColumn(e); ok {
				return inner, true
			}
			if c, ok := e.(*colExpr); ok && c.level == 0 {
				if _, known := d.rec.exprs[e]; !known {
					// A column passed on from below (a set operation's
					// operand, *): print what computes it there.
					if inner, ok := d.outputExpr(x.in, c.idx); ok {
						return inner, true
					}
					if inner, ok := d.pulledColumn(x.in, c.idx); ok {
						return inner, true
					}
					if name, ok := d.inputColumn(x.in, c.idx); ok {
						return &namedColumn{colExpr: c, name: name}, true
					}
				}
			}
			return e, true
		case *trimNode:
			p = x.in
		case *distinctNode:
			p = x.in
		case *sortNode:
			p = x.in
		case *limitNode:
			p = x.in
		case *filterNode:
			p = x.in
		case *setOpNode:
			if x.op != "UNION" {
				return nil, false
			}
			// A UNION's rows are its first operand's columns in
			// PostgreSQL's plan (an Append of the operands' scans).
			p = x.left
		default:
			return nil, false
		}
	}
}

// unionAllColumn finds, for e a reference to a column of a FROM
// subquery that is a UNION ALL, the expression of the UNION's first
// operand that computes it: PostgreSQL pulls such a subquery up into an
// Append, whose rows print as its first member's.
func (d *describer) unionAllColumn(e expr) (expr, bool) {
	o, ok := d.rec.exprs[e]
	if !ok || o.sc == nil {
		return nil, false
	}
	cr, ok := o.ast.(*ast.ColumnRef)
	if !ok {
		return nil, false
	}
	idx, level, cur, err := o.sc.resolve(cr)
	if err != nil || level != 0 || cur == nil {
		return nil, false
	}
	c := cur.cols[idx]
	if c.unionAll == nil {
		return nil, false
	}
	return d.outputExpr(c.unionAll, c.unionCol)
}

// namedColumn is a column of a FROM item, as its references print.
type namedColumn struct {
	*colExpr
	name string
}

// inputColumn names column idx of the rows of FROM's plan p, qualified
// by the item that reads it.
func (d *describer) inputColumn(p plan, idx int) (string, bool) {
	for {
		switch x := p.(type) {
		case *analyzedNode:
			p = x.in
		case *filterNode:
			p = x.in
		case *scanNode:
			cols := x.columns()
			if idx >= len(cols) {
				return "", false
			}
			alias := d.rec.aliases[x]
			if alias == "" {
				alias = x.table.Name
			}
			return d.qualify(alias, cols[idx].Name), true
		case *multiJoinNode:
			found := false
			for _, it := range x.items {
				if idx >= it.off && idx < it.off+it.width {
					p, idx, found = it.p, idx-it.off, true
					break
				}
			}
			if !found {
				return "", false
			}
		case *joinNode:
			if lw := len(x.left.columns()); idx < lw {
				p = x.left
			} else {
				p, idx = x.right, idx-lw
			}
		default:
			return "", false
		}
	}
}

func (d *describer) columnText(p plan, idx int) string {
	name := "?"
	if cols := p.columns(); idx < len(cols) {
		name = cols[idx].Name
	}
	if e, ok := d.outputExpr(p, idx); ok {
		return d.exprText(e, name)
	}
	return name
}

func (d *describer) columnTexts(p plan, width int) []string {
	out := make([]string, width)
	for i := range out {
		out[i] = d.keyText(p, i)
	}
	return out
}

// keyText prints column idx of p's rows as a sort or grouping key: an
// expression computed below the node, other than a column, in
// parentheses, as PostgreSQL prints a reference to a lower node's
// computed column.
func (d *describer) keyText(p plan, idx int) string {
	text := d.columnText(p, idx)
	if e, ok := d.outputExpr(p, idx); ok && !d.simpleColumn(e) {
		return "(" + text + ")"
	}
	return text
}

// groupText prints a grouping expression as keyText does.
func (d *describer) groupText(e expr) string {
	text := d.exprText(e, "?")
	if !d.simpleColumn(e) {
		return "(" + text + ")"
	}
	return text
}

// simpleColumn reports whether e reads a column as it is.
func (d *describer) simpleColumn(e expr) bool {
	switch e.(type) {
	case *namedColumn:
		return true
	}
	if o, ok := d.rec.exprs[e]; ok {
		_, col := o.ast.(*ast.ColumnRef)
		return col
	}
	_, col := e.(*colExpr)
	return col
}

// sortKeys prints ORDER BY keys as PostgreSQL's Sort Key.
func (d *describer) sortKeys(p plan, keys []sortKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		s := d.keyText(p, k.idx)
		if k.desc {
			s += " DESC"
			if !k.nullsFirst {
				s += " NULLS LAST"
			}
		} else if k.nullsFirst {
			s += " NULLS FIRST"
		}
		out[i] = s
	}
	return out
}

func (d *describer) aggregate(x *aggNode) (*explainNode, error) {
	child, in, err := d.plan(x.in)
	if err != nil {
		return nil, err
	}
	x.in = in
	var n *explainNode
	switch {
	case len(x.groups) == 0:
		n = d.node("Aggregate", "Aggregate")
		n.strategy = "Plain"
	case x.sets != nil:
		n = d.node("Aggregate", "HashAggregate")
		n.strategy = "Hashed"
		empty, hashed := 0, 0
		for _, set := range x.sets {
			cols := set
			if !containsTrue(cols) {
				empty++
				continue
			}
			hashed++
			groups := x.groups
			d.propList(n, "Hash Key", func() []string {
				var out []string
				for i, in := range cols {
					// Columns grouped because a primary key is have no
					// source (see below).
					if _, ok := d.rec.exprs[groups[i]]; in && i < len(groups)-1 && ok {
						out = append(out, d.groupText(groups[i]))
					}
				}
				return out
			})
		}
		// The empty sets' one group each needs no table: PostgreSQL
		// lists each as a Group Key of its own, and an aggregation of
		// empty sets alone is a plain Aggregate.
		switch {
		case empty > 0 && hashed == 0:
			n.name, n.strategy = "Aggregate", "Plain"
		case empty > 0:
			n.name, n.strategy = "MixedAggregate", "Mixed"
		}
		for range empty {
			d.propList(n, "Group Key", func() []string { return []string{"()"} })
		}
	default:
		n = d.node("Aggregate", "HashAggregate")
		n.strategy = "Hashed"
		if x.sorted {
			n = d.node("Aggregate", "GroupAggregate")
			n.strategy = "Sorted"
		}
		groups := x.groups
		if x.keyOrder != nil {
			groups = nil
			for _, i := range x.keyOrder {
				groups = append(groups, x.groups[i])
			}
		}
		d.propList(n, "Group Key", func() []string {
			var out []string
			for _, g := range groups {
				// The columns grouped because the primary key is (they
				// depend on it) have no source: PostgreSQL does not
				// group by them.
				if _, ok := d.rec.exprs[g]; ok {
					out = append(out, d.groupText(g))
				}
			}
			return out
		})
	}
	n.children = []*explainNode{child}
	aggCost(n, child, len(x.groups) > 0)
	n.width = widthOf(x.cols)
	return n, nil
}

func containsTrue(set []bool) bool {
	for _, v := range set {
		if v {
			return true
		}
	}
	return false
}

// multiJoin describes a join of FROM items as its pipeline runs: the
// first item's rows pass one step per other item, a hash join where an
// equality connects the item to the rows so far (the item's rows in the
// hash table), else a nested loop over the item's rows kept in memory.
func (d *describer) multiJoin(x *multiJoinNode) (*explainNode, error) {
	o := x.order()
	items := make([]*explainNode, len(x.items))
	for i := range x.items {
		n, err := d.describe(x.items[i].p)
		if err != nil {
			return nil, err
		}
		items[i] = n
	}
	own := func(i int, conds []*conjunct) {
		n := items[i]
		if d.opts.analyze {
			p := x.items[i].p
			if len(conds) > 0 {
				// The join applies the item's own conditions as it reads
				// its rows: the inner counter counts the rows read, the
				// outer one those that pass the conditions.
				n.filtered = &nodeStats{}
				p = d.wrap(p, n.filtered, nil)
			}
			x.items[i].p = d.wrap(p, n.stats, conds)
			if a, ok := x.items[i].p.(*analyzedNode); ok && len(conds) > 0 {
				a.countOff, a.countWidth = x.items[i].off, x.width
			}
		}
		if len(conds) == 0 {
			return
		}
		n.filterLabel = "Filter"
		d.prop(n, "Filter", func() string { return d.conjuncts(conds) })
		n.rows = clampRows(n.rows * 0.005)
		if x.est != nil {
			n.rows = clampRows(x.est.rows[i])
		}
	}
	own(o.first, o.firstOwn)
	if d.opts.analyze && len(o.steps)+len(x.semis) > 1 {
		// Every step but the top one counts the rows it passes on.
		x.stepRows = make([]*nodeStats, min(len(o.steps), len(o.steps)+len(x.semis)-1))
	}
	cur := items[o.first]
	joined := uint64(1) << uint(o.first)
	for k, st := range o.steps {
		joined |= 1 << uint(st.item)
		own(st.item, st.own)
		inner := items[st.item]
		var n *explainNode
		if st.eq != nil {
			n = d.node("Hash Join", "Hash Join")
			hash := d.node("Hash", "Hash")
			hash.stats = inner.stats
			hash.rows, hash.width = inner.rows, inner.width
			hash.startup, hash.total = inner.total, inner.total
			hash.children = []*explainNode{inner}
			hash.parent, inner.parent = "Inner", "Outer"
			c, acc := x.conjs[st.eq.index], st.eq.accSide
			if d.opts.verbose && st.unique {
				d.prop(n, "Inner Unique", func() string { return "true" })
			}
			d.prop(n, "Hash Cond", func() string { return d.equality(c, acc) })
			n.children = []*explainNode{cur, hash}
			n.rows = clampRows(cur.rows * inner.rows * 0.005)
			n.startup = hash.total
			n.total = hash.total + cur.total + cur.rows*cpuOperatorCost + n.rows*cpuTupleCost
		} else if x.items[st.item].deps != 0 {
			// A LATERAL item reads the rows joined before it and runs
			// again for each: a parameterized inner side, not
			// materialized.
			n = d.node("Nested Loop", "Nested Loop")
			inner.parent = "Inner"
			n.children = []*explainNode{cur, inner}
			n.rows = clampRows(cur.rows * inner.rows)
			n.total = cur.total + cur.rows*inner.total
		} else {
			n = d.node("Nested Loop", "Nested Loop")
			mat := d.node("Materialize", "Materialize")
			mat.stats = inner.stats
			mat.rows, mat.width = inner.rows, inner.width
			mat.total = inner.total + inner.rows*cpuOperatorCost*2
			mat.children = []*explainNode{inner}
			mat.parent, inner.parent = "Inner", "Outer"
			n.children = []*explainNode{cur, mat}
			n.rows = clampRows(cur.rows * inner.rows)
			n.total = cur.total + mat.total + cur.rows*mat.rows*cpuTupleCost
		}
		cur.parent = "Outer"
		n.joinType = "Inner"
		if len(st.after) > 0 {
			after := st.after
			n.filterLabel = "Join Filter"
			d.prop(n, "Join Filter", func() string { return d.conjuncts(after) })
			n.rows = clampRows(n.rows * 0.33)
		}
		if x.est != nil {
			n.rows = clampRows(x.est.card(joined))
		}
		n.width = cur.width + inner.width
		if x.stepRows != nil && k < len(x.stepRows) {
			// The steps below the top count the rows they pass on; the
			// top is counted by the counter around the whole join.
			x.stepRows[k] = n.stats
		}
		cur = n
	}
	for i, sj := range x.semis {
		n, err := d.semiJoin(sj, cur)
		if err != nil {
			return nil, err
		}
		sj.stats = nil
		if d.opts.analyze && i < len(x.semis)-1 {
			sj.stats = n.stats
		}
		cur = n
	}
	for _, c := range x.conjs {
		if err := d.attachSubplans(cur, c.ast); err != nil {
			return nil, err
		}
	}
	if len(o.final) > 0 {
		final := o.final
		cur.filterLabel = "Filter"
		d.prop(cur, "Filter", func() string { return d.conjuncts(final) })
	}
	return cur, nil
}

// conjuncts prints a list of join conjuncts as a qual list.
func (d *describer) conjuncts(conds []*conjunct) string {
	asts := make([]ast.Expr, len(conds))
	var sc *scope
	for i, c := range conds {
		asts[i] = c.ast
		if o, ok := d.rec.exprs[c.pred]; ok && sc == nil {
			sc = o.sc
		}
	}
	return d.conjText(qualOrder(asts), sc)
}

// equality prints a hash join's condition with the side the rows so far
// give on the left, as PostgreSQL prints a hash clause.
func (d *describer) equality(c *conjunct, acc expr) string {
	var sc *scope
	if o, ok := d.rec.exprs[c.pred]; ok {
		sc = o.sc
	}
	be, ok := c.ast.(*ast.BinaryExpr)
	if !ok || acc != c.eqR || d.rec.sourceOf(be.L) == nil || d.rec.sourceOf(be.R) == nil {
		return d.astText(c.ast, sc)
	}
	return "(" + d.astText(be.R, sc) + " = " + d.astText(be.L, sc) + ")"
}

// join describes an explicit outer or USING join: a hash join with the
// right side in the hash table when its condition has equalities
// between the sides, else a nested loop over the right side's rows kept
// in memory.
func (d *describer) join(x *joinNode) (*explainNode, error) {
	emptyInner := false
	if f, ok := x.right.(*filterNode); ok && f.never {
		emptyInner = true
	}
	left, lin, err := d.plan(x.left)
	if err != nil {
		return nil, err
	}
	right, rin, err := d.plan(x.right)
	if err != nil {
		return nil, err
	}
	x.left, x.right = lin, rin
	kind := map[string]string{"INNER": "Inner", "CROSS": "Inner", "LEFT": "Left", "RIGHT": "Right", "FULL": "Full"}[x.kind]
	suffix := ""
	if kind != "Inner" {
		suffix = " " + kind
	}
	var n *explainNode
	var hashConds, filters []ast.Expr
	var sc *scope
	if o, ok := d.rec.exprs[x.on]; ok {
		sc = o.sc
		for _, c := range splitAnd(o.ast) {
			lk, _ := d.b.joinKeys(c, sc, len(x.left.columns()), len(x.right.columns()))
			if len(x.rkeys) > 0 && len(lk) > 0 {
				hashConds = append(hashConds, c)
			} else {
				filters = append(filters, c)
			}
		}
	}
	left.parent = "Outer"
	if len(x.rkeys) > 0 {
		n = d.node("Hash Join", "Hash"+suffix+" Join")
		hash := d.node("Hash", "Hash")
		hash.stats = right.stats
		hash.rows, hash.width, hash.startup, hash.total = right.rows, right.width, right.total, right.total
		hash.children = []*explainNode{right}
		hash.parent, right.parent = "Inner", "Outer"
		n.children = []*explainNode{left, hash}
		if d.opts.verbose && x.innerUnique() {
			d.prop(n, "Inner Unique", func() string { return "true" })
		}
		if len(hashConds) > 0 {
			d.prop(n, "Hash Cond", func() string { return d.conjText(hashConds, sc) })
		} else if text, ok := d.usingKeys(x); ok {
			d.prop(n, "Hash Cond", func() string { return text() })
		}
		n.rows = clampRows(max(left.rows, left.rows*right.rows*0.005))
		n.startup, n.total = hash.total, hash.total+left.total+n.rows*cpuTupleCost
	} else {
		name := "Nested Loop" // an inner join's, as PostgreSQL names it
		if suffix != "" {
			name += suffix + " Join"
		}
		n = d.node("Nested Loop", name)
		if emptyInner {
			// An inner side that reads nothing needs no Materialize.
			right.parent = "Inner"
			n.children = []*explainNode{left, right}
			n.rows = left.rows
			n.total = left.total + right.total
			n.width = left.width + right.width
			// The condition folded to false or NULL (bindFromItem).
			text := "false"
			if c, ok := x.on.(*constExpr); ok && c.v == nil {
				text = "NULL::boolean"
			}
			d.prop(n, "Join Filter", func() string { return text })
			n.joinType = kind
			return n, nil
		}
		if x.lat != nil && x.lat.right {
			// The inner side reads the outer row: it runs again for
			// each, as a parameterized inner side in PostgreSQL, with
			// nothing to materialize.
			right.parent = "Inner"
			n.children = []*explainNode{left, right}
			n.rows = clampRows(left.rows * right.rows)
			n.total = left.total + left.rows*right.total
		} else {
			mat := d.node("Materialize", "Materialize")
			mat.stats = right.stats
			mat.rows, mat.width, mat.total = right.rows, right.width, right.total+right.rows*cpuOperatorCost*2
			mat.children = []*explainNode{right}
			mat.parent, right.parent = "Inner", "Outer"
			n.children = []*explainNode{left, mat}
			n.rows = clampRows(left.rows * right.rows)
			n.total = left.total + mat.total + left.rows*mat.rows*cpuTupleCost
		}
	}
	if len(x.rkeys) == 0 && x.on != nil && len(filters) == 0 && sc == nil {
		on := x.on
		d.prop(n, "Join Filter", func() string { return d.exprText(on, "?") })
	}
	if len(filters) > 0 {
		n.filterLabel = "Join Filter"
		d.prop(n, "Join Filter", func() string { return d.conjText(qualOrder(filters), sc) })
	}
	n.joinType = kind
	n.width = left.width + right.width
	return n, nil
}

// setOp describes UNION, INTERSECT and EXCEPT.
func (d *describer) setOp(x *setOpNode) (*explainNode, error) {
	left, lin, err := d.plan(x.left)
	if err != nil {
		return nil, err
	}
	right, rin, err := d.plan(x.right)
	if err != nil {
		return nil, err
	}
	x.left, x.right = lin, rin
	width := widthOf(x.cols)
	if x.op == "UNION" {
		app := d.node("Append", "Append")
		for _, c := range []*explainNode{left, right} {
			// A UNION's operands that are UNION ALLs themselves are
			// one Append in PostgreSQL's plan.
			if c.typ == "Append" && c.stats == nil && len(c.props) == 0 {
				app.children = append(app.children, c.children...)
			} else {
				app.children = append(app.children, c)
			}
		}
		for _, c := range app.children {
			app.rows += c.rows
			app.total += c.total
		}
		app.width = width
		if x.all {
			return app, nil
		}
		app.stats = nil
		if x.sorted {
			return d.sortedSetOp(x, app, ""), nil
		}
		n := d.node("Aggregate", "HashAggregate")
		n.strategy = "Hashed"
		src, w := x.left, len(x.cols)
		if w > 0 {
			// PostgreSQL lists no Group Key for rows of no columns.
			d.propList(n, "Group Key", func() []string { return d.columnTexts(src, w) })
		}
		n.children = []*explainNode{app}
		aggCost(n, app, true)
		n.width = width
		return n, nil
	}
	app := d.node("Append", "Append")
	for i, c := range []*explainNode{left, right} {
		sub := d.node("Subquery Scan", "Subquery Scan")
		sub.subquery = "*SELECT* " + strconv.Itoa(i+1)
		sub.alias = sub.subquery
		sub.stats = c.stats
		sub.children = []*explainNode{c}
		sub.rows, sub.total, sub.width = c.rows, c.total+c.rows*cpuTupleCost, width
		c.parent = "Subquery"
		app.children = append(app.children, sub)
		app.rows += sub.rows
		app.total += sub.total
	}
	app.stats = nil
	op := "Intersect"
	if x.op == "EXCEPT" {
		op = "Except"
	}
	if x.all {
		op += " All"
	}
	if x.sorted {
		return d.sortedSetOp(x, app, op), nil
	}
	n := d.node("SetOp", "HashSetOp "+op)
	n.strategy, n.command = "Hashed", op
	n.children = []*explainNode{app}
	n.rows, n.width = clampRows(left.rows*0.5), width
	n.startup, n.total = app.total, app.total+app.rows*cpuOperatorCost
	return n, nil
}

// lockRows describes SELECT ... FOR UPDATE/SHARE: the rows of the table's
// scan that pass WHERE, sorted when the query orders them, locked, then
// limited. The lock node reads its scan itself: under ANALYZE only the
// rows it returns are counted.
func (d *describer) lockRows(x *lockNode) (*explainNode, error) {
	scan := d.scan(x.scan)
	scan.stats = nil
	if x.where != nil {
		if err := d.addFilter(scan, x.where, "Filter"); err != nil {
			return nil, err
		}
		scan.rows = clampRows(scan.rows * selectivityOf(d.originAST(x.where)))
	}
	below := scan
	if len(x.keys) > 0 {
		sort := d.node("Sort", "Sort")
		sort.stats = nil
		sort.children = []*explainNode{scan}
		keys, exprs, cols := x.keys, x.exprs, x.cols
		d.propList(sort, "Sort Key", func() []string {
			out := make([]string, len(keys))
			for i, k := range keys {
				name := "?"
				if k.idx < len(cols) {
					name = cols[k.idx].Name
				}
				s := name
				if k.idx < len(exprs) {
					s = d.exprText(exprs[k.idx], name)
				}
				if k.desc {
					s += " DESC"
				}
				out[i] = s
			}
			return out
		})
		sortCost(sort, scan)
		below = sort
	}
	n := d.node("LockRows", "LockRows")
	n.children = []*explainNode{below}
	n.rows, n.width, n.startup, n.total = below.rows, below.width, below.startup, below.total+below.rows*cpuTupleCost
	if x.limit == nil && x.offset == nil {
		return n, nil
	}
	// The limit is applied by the lock node as it locks: counted there.
	lim := d.node("Limit", "Limit")
	lim.stats, n.stats = n.stats, nil
	lim.children = []*explainNode{n}
	d.limitCost(lim, n, &limitNode{limit: x.limit})
	return lim, nil
}

// describeOnConflict shows INSERT ... ON CONFLICT's resolution, the
// unique indexes it checks, and its DO UPDATE's WHERE.
func (d *describer) describeOnConflict(n *explainNode, table *catalog.TableDesc, oc *onConflictPlan) {
	resolution := "NOTHING"
	if oc.doUpdate {
		resolution = "UPDATE"
	}
	d.prop(n, "Conflict Resolution", func() string { return resolution })
	var ids []uint32
	for id := range oc.indexes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var names []string
	if oc.pk {
		names = append(names, table.PKConstraintName())
	}
	for _, id := range ids {
		names = append(names, oc.indexes[id].Name)
	}
	// ON CONFLICT DO NOTHING without a target checks every unique
	// index: PostgreSQL names none.
	if len(names) > 0 && !d.untargeted {
		d.propList(n, "Conflict Arbiter Indexes", func() []string { return names })
	}
	if oc.doUpdate {
		d.relations++ // the EXCLUDED row is a relation of the plan
	}
	if oc.where != nil {
		where := oc.where
		d.prop(n, "Conflict Filter", func() string { return d.exprText(where, "?") })
	}
}

// modifyInherited describes UPDATE or DELETE of a table with children,
// which runs once per table of the hierarchy: one node naming every
// table written, over the scans of all of them.
func (d *describer) modifyInherited(p *inhDMLPlan) (*explainNode, error) {
	op := "Update"
	if p.verb == "DELETE" {
		op = "Delete"
	}
	var root *catalog.TableDesc
	app := d.node("Append", "Append")
	app.stats = nil
	var targets []string
	for i, part := range p.parts {
		var w *tableWriter
		var scan *scanNode
		var where *expr
		switch x := part.(type) {
		case *updatePlan:
			if x.join != nil {
				return nil, explainUnsupported("UPDATE ... FROM of a table with children")
			}
			w, scan, where = &x.tableWriter, x.scan, &x.where
		case *deletePlan:
			if x.join != nil {
				return nil, explainUnsupported("DELETE ... USING of a table with children")
			}
			w, scan, where = &x.tableWriter, x.scan, &x.where
		default:
			return nil, explainUnsupported("this statement")
		}
		if i == 0 {
			root = w.table
			d.uniqueName(root.Name)
		}
		alias := d.uniqueName(root.Name)
		verbose := d.opts.verbose
		table := w.table
		targets = append(targets, op+" on "+relationLabel(table.Name, table.SchemaName(), verbose)+" "+parser.QuoteIdent(alias))
		child := d.scanOne(scan, table.Name, table.SchemaName(), alias)
		if *where != nil {
			if err := d.addFilter(child, *where, "Filter"); err != nil {
				return nil, err
			}
		}
		if d.opts.analyze {
			c := &countingExpr{in: *where, read: &nodeStats{}, passed: child.stats}
			if *where != nil {
				child.filtered = c.read
			}
			*where = c
		}
		app.children = append(app.children, child)
		app.rows += child.rows
		app.total += child.total
		app.width = child.width
	}
	n := d.modify(op, root)
	n.relation, n.alias, n.schema = root.Name, root.Name, root.SchemaName()
	n.targets = targets
	n.children = []*explainNode{app}
	n.startup, n.total = app.startup, app.total
	return n, nil
}

// relationLabel is a relation's name as a node's line shows it.
func relationLabel(name, schema string, verbose bool) string {
	if verbose && schema != "" {
		return parser.QuoteIdent(schema) + "." + parser.QuoteIdent(name)
	}
	return parser.QuoteIdent(name)
}

// keyCondsText prints index conditions as conjText does, a condition on
// a boolean column as the equality the index matches (b as b = true).
func (d *describer) keyCondsText(conds []ast.Expr, sc *scope) string {
	var parts []string
	for _, c := range conds {
		if cr, v, ok := boolKeyCond(c); ok {
			parts = append(parts, "("+d.astText(cr, sc)+" = "+strconv.FormatBool(v)+")")
			continue
		}
		if in, ok := c.(*ast.InExpr); ok {
			if cols, vals, ok := rowInEqualities(in); ok {
				for i := range cols {
					parts = append(parts, "("+d.astText(cols[i], sc)+" = "+d.astText(vals[i], sc)+")")
				}
				continue
			}
		}
		parts = append(parts, d.astText(c, sc))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}
