package sql

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// EXPLAIN shows the plan cairn executes for a statement, in PostgreSQL's
// layout (explain.c): one node per line, children under "->", each
// node's conditions and keys below it, expressions printed as
// ruleutils.c prints them. The plan is the one the statement runs: the
// description walks the executable tree the binder built
// (explain_describe.go), and nodes PostgreSQL has no counterpart for are
// named for what cairn does. Binding an EXPLAIN records where the plan's
// expressions came from (explainRecorder), which ordinary binding skips.
// EXPLAIN ANALYZE runs the statement, a data-modifying one included,
// with a counting wrapper around each described node
// (explain_analyze.go), and shows each node's rows and loops (and times
// unless TIMING OFF). Estimated rows and costs use PostgreSQL's cost
// constants over the rows cairn counts written to each table since the
// server started, or PostgreSQL's default size for a table it has no
// count for (explain_cost.go).

// explainOptions are EXPLAIN's options, PostgreSQL's defaults when not
// given.
type explainOptions struct {
	analyze, verbose, costs, buffers, timing, summary, settings bool
	format                                                      string // text, json, yaml, xml
}

// explainBool reads a boolean option's value as PostgreSQL's
// defGetBoolean does.
func explainBool(o ast.ExplainOption) (bool, error) {
	switch strings.ToLower(o.Value) {
	case "", "true", "on", "1", "t", "tr", "tru", "y", "ye", "yes":
		return true, nil
	case "false", "off", "0", "f", "fa", "fal", "fals", "n", "no":
		return false, nil
	}
	return false, pgerr.New(pgerr.SyntaxError, "%s requires a Boolean value", o.Name).WithPosition(o.Pos)
}

func parseExplainOptions(opts []ast.ExplainOption) (explainOptions, error) {
	out := explainOptions{costs: true, format: "text"}
	timingSet, summarySet := false, false
	for _, o := range opts {
		var dst *bool
		switch o.Name {
		case "analyze":
			dst = &out.analyze
		case "verbose":
			dst = &out.verbose
		case "costs":
			dst = &out.costs
		case "buffers":
			dst = &out.buffers
		case "settings":
			dst = &out.settings
		case "timing":
			dst, timingSet = &out.timing, true
		case "summary":
			dst, summarySet = &out.summary, true
		case "wal":
			var ignored bool
			dst = &ignored
		case "format":
			switch f := strings.ToLower(o.Value); f {
			case "text", "json", "yaml", "xml":
				out.format = f
			default:
				return out, pgerr.New(pgerr.InvalidParameterValue, "unrecognized value for EXPLAIN option \"format\": \"%s\"", o.Value).WithPosition(o.Pos)
			}
			continue
		default:
			return out, pgerr.New(pgerr.SyntaxError, "unrecognized EXPLAIN option \"%s\"", o.Name).WithPosition(o.Pos)
		}
		v, err := explainBool(o)
		if err != nil {
			return out, err
		}
		*dst = v
	}
	if out.timing && !out.analyze {
		return out, pgerr.New(pgerr.InvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE")
	}
	if !timingSet {
		out.timing = out.analyze
	}
	if !summarySet {
		out.summary = out.analyze
	}
	return out, nil
}

// exprOrigin is where a bound expression came from: its parse tree and
// the scope its column references were resolved in.
type exprOrigin struct {
	ast ast.Expr
	sc  *scope
}

// scanOrigin is the WHERE conjuncts a table scan was planned with
// (planScan), and where the table's columns sit in their scope.
type scanOrigin struct {
	conjs []ast.Expr
	sc    *scope
	off   int
}

type explainFunc struct{ name, alias string }

// explainRecorder collects, while an EXPLAIN's statement is bound, what
// the executable plan does not keep: the source of its expressions, the
// conditions its scans were narrowed by, the names FROM gave its tables
// and functions.
type explainRecorder struct {
	src     *parser.ExplainSource
	exprs   map[expr]exprOrigin
	scans   map[*scanNode]scanOrigin
	aliases map[*scanNode]string
	funcs   map[*funcScanNode]explainFunc
	// views are the parses of the views the statement reads.
	views []*parser.ExplainSource
	// subqueries are the plans of subquery expressions, by query.
	subqueries map[*ast.SelectStmt]*subqueryExpr
	// items are the FROM items giving the columns of the scopes of a
	// FROM list or join, and fromSubqueries the plans of FROM
	// subqueries (explain_pullup.go).
	items          map[*scope][]itemRange
	fromSubqueries map[plan]bool
}

func newExplainRecorder(src *parser.ExplainSource) *explainRecorder {
	return &explainRecorder{src: src, exprs: make(map[expr]exprOrigin), scans: make(map[*scanNode]scanOrigin),
		aliases: make(map[*scanNode]string), funcs: make(map[*funcScanNode]explainFunc),
		subqueries: make(map[*ast.SelectStmt]*subqueryExpr)}
}

// viewQuery is a view's query parsed again so that its expressions can
// be printed, or q when that fails.
func (r *explainRecorder) viewQuery(text string, q *ast.SelectStmt) *ast.SelectStmt {
	stmts, _, err := parser.ParseStatements(context.Background(), "EXPLAIN "+text, parser.Config{})
	if err != nil || len(stmts) != 1 {
		return q
	}
	ex, ok := stmts[0].Stmt.(*ast.ExplainStmt)
	if !ok {
		return q
	}
	view, ok := ex.Stmt.(*ast.SelectStmt)
	src, _ := ex.Source.(*parser.ExplainSource)
	if !ok || src == nil {
		return q
	}
	r.views = append(r.views, src)
	return view
}

// sourceOf is the parse that a came from: the statement's, or a view's.
func (r *explainRecorder) sourceOf(a ast.Expr) *parser.ExplainSource {
	if r.src.Known(a) {
		return r.src
	}
	for _, v := range r.views {
		if v.Known(a) {
			return v
		}
	}
	return nil
}

// noteExpr records that e was bound from a in sc. The first record
// stays: a conjunct bound again for another purpose keeps its origin.
func (r *explainRecorder) noteExpr(e expr, a ast.Expr, sc *scope) {
	if e == nil || a == nil || r.sourceOf(a) == nil {
		return
	}
	if v := reflect.ValueOf(e); v.Kind() != reflect.Pointer || v.IsNil() {
		return // only expressions with identity can be looked up again
	}
	if _, ok := r.exprs[e]; !ok {
		r.exprs[e] = exprOrigin{ast: a, sc: sc}
	}
}

// explainPlan is a bound EXPLAIN: the statement's plan and its
// description, made when the statement was bound.
type explainPlan struct {
	opts  explainOptions
	inner boundStmt
	root  *explainNode
	// nodes are every described node, whose counters an EXPLAIN ANALYZE
	// resets before it runs the statement.
	nodes    []*explainNode
	planning time.Duration
	// tag names the explained statement in errors.
	tag string
}

func (p *explainPlan) columns() []Column {
	t := types.New(types.Text)
	if p.opts.format == "json" {
		t = types.New(types.JSONType)
	}
	return []Column{{Name: "QUERY PLAN", Type: t}}
}

// checkWrite refuses EXPLAIN ANALYZE of a statement that writes in a
// read-only transaction, as the statement itself is refused: ANALYZE
// runs it.
func (p *explainPlan) checkWrite(x *execCtx) error {
	if _, reads := p.inner.(*selectPlan); reads || !x.s.readOnly || writesTempOnly(p.inner) {
		return nil
	}
	return pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", p.tag)
}

func (b *binder) bindExplain(x *ast.ExplainStmt) (boundStmt, error) {
	opts, err := parseExplainOptions(x.Options)
	if err != nil {
		return nil, err
	}
	switch x.Stmt.(type) {
	case *ast.SelectStmt, *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt, *ast.CreateTableAsStmt, *ast.ExecuteStmt:
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "EXPLAIN of %s is not supported", x.Stmt.Tag())
	}
	src, _ := x.Source.(*parser.ExplainSource)
	start := b.s.e.now()
	saved := b.explain
	b.explain = newExplainRecorder(src)
	defer func() { b.explain = saved }()
	var inner boundStmt
	if ex, ok := x.Stmt.(*ast.ExecuteStmt); ok {
		inner, err = b.bindExplainExecute(ex)
	} else {
		inner, err = b.bindStmt(x.Stmt)
	}
	if err != nil {
		return nil, err
	}
	p := &explainPlan{opts: opts, inner: inner, tag: x.Stmt.Tag()}
	if _, ctas := x.Stmt.(*ast.CreateTableAsStmt); ctas {
		p.tag = "CREATE TABLE AS"
	}
	d := &describer{b: b, rec: b.explain, opts: opts, subplans: make(map[*ast.SelectStmt]subplanRef)}
	if ins, ok := x.Stmt.(*ast.InsertStmt); ok && ins.OnConflict != nil {
		oc := ins.OnConflict
		d.untargeted = oc.Columns == nil && oc.Exprs == nil && oc.Constraint == ""
	}
	if p.root, err = d.statement(inner); err != nil {
		return nil, err
	}
	p.nodes = d.all
	p.planning = b.s.e.now().Sub(start)
	return p, nil
}

// bindExplainExecute binds the statement a prepared statement holds again,
// from its text, with the parameters EXECUTE gives as constants, so that
// its expressions can be printed.
func (b *binder) bindExplainExecute(ex *ast.ExecuteStmt) (boundStmt, error) {
	p, ok := b.s.namedPrepared(ex.Name)
	if !ok {
		return nil, pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", ex.Name)
	}
	if len(ex.Params) != len(p.ParamTypes) {
		return nil, pgerr.New(pgerr.SyntaxError, "wrong number of parameters for prepared statement \"%s\"", ex.Name).
			WithDetail("Expected " + strconv.Itoa(len(p.ParamTypes)) + " parameters but got " + strconv.Itoa(len(ex.Params)) + ".")
	}
	if len(p.ParamTypes) > 0 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "EXPLAIN EXECUTE of a prepared statement with parameters is not supported")
	}
	stmts, _, err := parser.ParseStatements(context.Background(), "EXPLAIN "+p.SQL, parser.Config{})
	if err != nil || len(stmts) != 1 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "EXPLAIN EXECUTE of this prepared statement is not supported")
	}
	ex2, ok := stmts[0].Stmt.(*ast.ExplainStmt)
	if !ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "EXPLAIN EXECUTE of this prepared statement is not supported")
	}
	switch ex2.Stmt.(type) {
	case *ast.SelectStmt, *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt:
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "EXPLAIN EXECUTE of %s is not supported", ex2.Stmt.Tag())
	}
	src, _ := ex2.Source.(*parser.ExplainSource)
	b.explain.src = src
	return b.bindStmt(ex2.Stmt)
}

func (p *explainPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	var elapsed time.Duration
	if p.opts.analyze {
		if err := p.checkWrite(x); err != nil {
			return nil, err
		}
		for _, n := range p.nodes {
			n.resetStats()
		}
		start := x.s.e.now()
		if _, err := p.inner.execute(x, ec); err != nil {
			return nil, err
		}
		elapsed = x.s.e.now().Sub(start)
		if p.root.typ == "ModifyTable" && p.root.stats != nil {
			// A data-modifying statement ran once; without RETURNING
			// its node returns no rows.
			p.root.stats.loops = 1
		}
		for _, n := range p.nodes {
			if n.once && n.stats != nil {
				n.stats.loops = 1
			}
			if n.stats != nil && n.stats.rows > 0 && n.stats.loops == 0 {
				n.stats.loops = 1 // a join step, counted inside the join
			}
		}
	}
	r := &explainRenderer{opts: p.opts, now: x.s.e.now}
	text := r.render(p.root, p.planning, elapsed)
	res := &Result{Columns: p.columns(), Tag: "EXPLAIN"}
	if p.opts.format == "text" {
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			res.Rows = append(res.Rows, []types.Datum{line})
		}
	} else {
		res.Rows = [][]types.Datum{{text}}
	}
	return res, nil
}
