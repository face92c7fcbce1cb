package sql

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// PL/pgSQL: the sql side of package plpgsql. A DO block is compiled by
// pg_query's PL/pgSQL parser and run by plpgsql's interpreter over
// plRuntime, which runs the body's statements in the session's current
// transaction: each is parsed and bound once per run of the block (the
// variables it names become parameters, bindPLVar), exception blocks are
// subtransactions (savepoints without a name), and RAISE's notices join
// the statement's.

// plDepthMax bounds nested PL/pgSQL runs (DO inside EXECUTE inside DO,
// and function calls later): deeper is 54001, as PostgreSQL's
// max_stack_depth answers runaway recursion.
const plDepthMax = 200

// doPlan runs a DO block.
type doPlan struct{ stmt *ast.DoStmt }

func (p *doPlan) columns() []Column { return nil }

func (p *doPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	if p.stmt.Language != "plpgsql" {
		return nil, pgerr.New(pgerr.UndefinedObject, "language \"%s\" does not exist", p.stmt.Language)
	}
	body, typed := rowTypedDecls(x.s, x.snap, p.stmt.Body)
	fn, err := compilePLpgSQL("inline_code_block", "CREATE FUNCTION inline_code_block() RETURNS void LANGUAGE plpgsql AS ", body, p.stmt.BodyPos)
	if err != nil {
		return nil, err
	}
	typeRecords(fn, typed)
	if err := fn.CheckReturns(plpgsql.ResultVoid, "inline_code_block"); err != nil {
		return nil, err
	}
	if err := reportShadows(x.s, fn, nil, func(n Notice) { x.notices = append(x.notices, n) }); err != nil {
		return nil, err
	}
	rt := &plRuntime{x: x, s: x.s}
	if err := rt.enter(); err != nil {
		return nil, err
	}
	defer rt.leave()
	if _, err := plpgsql.Run(x.ctx, rt, fn, nil, nil, nil); err != nil {
		if len(x.notices) > 0 {
			return nil, &noticedError{err: err, notices: x.notices}
		}
		return nil, err
	}
	return &Result{Tag: "DO"}, nil
}

// noticedError is a statement's error with the notices it raised before
// it failed, which the client is sent first.
type noticedError struct {
	err     error
	notices []Notice
}

func (e *noticedError) Error() string { return e.err.Error() }
func (e *noticedError) Unwrap() error { return e.err }

// ErrorNotices returns the notices a failed statement raised before its
// error err.
func ErrorNotices(err error) []Notice {
	var ne *noticedError
	if errors.As(err, &ne) {
		return ne.notices
	}
	return nil
}

// compilePLpgSQL parses body with pg_query's PL/pgSQL parser, given the
// CREATE FUNCTION text that precedes it, and builds its tree. bodyPos,
// when not 0, is where the body's string constant starts in the client's
// query: a syntax error points there.
func compilePLpgSQL(name, head, body string, bodyPos int32) (*plpgsql.Function, error) {
	return compilePLpgSQLNamed(name, "", head, body, bodyPos)
}

// compilePLpgSQLNamed is compilePLpgSQL for a routine called routine,
// whose compile errors say where, as PostgreSQL's CONTEXT does.
func compilePLpgSQLNamed(name, routine, head, body string, bodyPos int32) (*plpgsql.Function, error) {
	tag := "$cairn$"
	for strings.Contains(body, tag) {
		tag = "$cairn" + strconv.Itoa(len(tag)) + "$"
	}
	js, err := parser.ParsePLpgSQL(head + tag + body + tag)
	if err != nil {
		var ce *parser.PLpgSQLError
		if pe, ok := err.(*parser.PLpgSQLError); ok {
			ce = pe
		}
		if ce == nil {
			return nil, err
		}
		out := pgerr.New(ce.SQLState(), "%s", ce.Message)
		if routine != "" {
			out = out.WithWhere("compilation of PL/pgSQL function \"" + routine + "\" near line " + strconv.Itoa(ce.Line))
		}
		if pos := plErrorPosition(ce, body); pos >= 0 && bodyPos > 0 {
			out = out.WithPosition(bodyPos + int32(pos) + 2)
		}
		return nil, out
	}
	return plpgsql.Build(name, body, js)
}

// rowTypedDecls appends %ROWTYPE to the declarations in body whose type
// is a table's or a composite type's name: PL/pgSQL compiles those as
// records, which pg_query's parser, having no catalog, cannot know.
func rowTypedDecls(s *Session, snap txn.Snapshot, body string) (string, []plpgsql.TypeRef) {
	refs := plpgsql.DeclaredTypes(body)
	if len(refs) == 0 {
		return body, nil
	}
	b := &binder{s: s, snap: snap}
	var out strings.Builder
	var typed []plpgsql.TypeRef
	last := 0
	for _, ref := range refs {
		name := ref.Name
		if i := len(name) - len("%ROWTYPE"); i > 0 && strings.EqualFold(name[i:], "%ROWTYPE") {
			name = name[:i]
		}
		t, _, err := b.resolveType(ast.TypeName{Name: plIdent(name)})
		if err != nil || t.Shape == nil || t.IsArray() {
			continue
		}
		out.WriteString(body[last:ref.Start])
		out.WriteString("record")
		last = ref.End
		ref.Name = name
		typed = append(typed, ref)
	}
	out.WriteString(body[last:])
	return out.String(), typed
}

// typeRecords gives the variables rowTypedDecls declared record their
// row types back.
func typeRecords(fn *plpgsql.Function, typed []plpgsql.TypeRef) {
	for _, ref := range typed {
		fn.TypedRecord(ref.Var, ref.Line, ref.Name)
	}
}

// plErrorPosition finds, on the error's line of body, the token the
// message names ("syntax error at or near "x"", ""x" is not a known
// variable"): its character offset in body, or -1.
func plErrorPosition(e *parser.PLpgSQLError, body string) int {
	var tok string
	if i := strings.IndexByte(e.Message, '"'); i >= 0 {
		if j := strings.IndexByte(e.Message[i+1:], '"'); j > 0 {
			tok = e.Message[i+1 : i+1+j]
		}
	}
	if tok == "" || e.Line <= 0 {
		return -1
	}
	lines := strings.SplitAfter(body, "\n")
	if e.Line > len(lines) {
		return -1
	}
	off := 0
	for _, l := range lines[:e.Line-1] {
		off += len([]rune(l))
	}
	// The parser's line is where it was when it noticed, which can be
	// before the token: look there and on. A word is found whole; a
	// constant's name where it is assigned.
	pat := regexp.QuoteMeta(tok)
	if isWord(tok) {
		pat = `(?:^|[^\pL\pN_$])(` + pat + `)(?:$|[^\pL\pN_$])`
	} else {
		pat = `(` + pat + `)`
	}
	if strings.HasSuffix(e.Message, "is declared CONSTANT") {
		pat += `\s*:?=`
	}
	re, err := regexp.Compile(`(?i)` + pat)
	if err != nil {
		return -1
	}
	for _, l := range lines[e.Line-1:] {
		if m := re.FindStringSubmatchIndex(l); m != nil {
			return off + len([]rune(l[:m[2]]))
		}
		off += len([]rune(l))
	}
	return -1
}

func isWord(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// plRuntime implements plpgsql.Runtime over a session.
type plRuntime struct {
	x     *execCtx
	s     *Session
	casts map[[2]types.T]*plCast
	// nested is set for a body called from a query (a function), which
	// may not end the transaction.
	nested bool
	// srt, for a routine's body, runs its statements as the routine's
	// (funcruntime.go): the calling statement's snapshot unless VOLATILE,
	// its checks kept apart; nil for a DO block, whose statements run as
	// the session's.
	srt *sessionRuntime
}

// snapshot is what type and cast lookups read the catalog at.
func (r *plRuntime) snapshot() txn.Snapshot {
	if r.srt != nil {
		return r.srt.snapshot()
	}
	return r.s.currentSnapshot()
}

var _ plpgsql.Runtime = (*plRuntime)(nil)

func (r *plRuntime) enter() error {
	r.s.plDepth++
	if r.s.plDepth > plDepthMax {
		r.s.plDepth--
		return pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded").
			WithHint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.")
	}
	return nil
}

func (r *plRuntime) leave() { r.s.plDepth-- }

// plQuery is a statement of a body, bound: p for a DO block's, rs for a
// routine's. busy counts its runs in progress: a recursive call runs it
// again while it runs, and then binds a plan of its own.
type plQuery struct {
	r      *plRuntime
	p      *Prepared
	rs     *routineStmt
	params []types.T
	busy   int
	// cols, names and types are the columns of the last result and
	// their names and types, kept while a plan returns the same ones.
	cols  []Column
	names []string
	types []types.T
}

// columnsOf returns the names and types of a result's columns, which the
// interpreter reads and does not change.
func (q *plQuery) columnsOf(cols []Column) ([]string, []types.T) {
	if len(cols) == 0 {
		return nil, nil
	}
	if len(cols) == len(q.cols) && &cols[0] == &q.cols[0] {
		return q.names, q.types
	}
	names, ts := make([]string, len(cols)), make([]types.T, len(cols))
	for i, c := range cols {
		names[i], ts[i] = c.Name, c.Type
	}
	q.cols, q.names, q.types = cols, names, ts
	return names, ts
}

func (r *plRuntime) Prepare(ctx context.Context, query string, params []types.T, names plpgsql.Resolver) (plpgsql.Query, error) {
	pq, err := r.s.e.parse(ctx, query, nil)
	if err != nil {
		return nil, err
	}
	if len(pq.stmts) != 1 {
		return nil, pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	st := pq.stmts[0].Stmt
	switch st.(type) {
	case *ast.TransactionStmt:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "unsupported transaction command in PL/pgSQL")
	}
	q := &plQuery{r: r, params: params}
	if err := q.bind(st, query, names); err != nil {
		return nil, err
	}
	return q, nil
}

func (q *plQuery) bind(st ast.Stmt, query string, names plpgsql.Resolver) error {
	p := &Prepared{SQL: query, Tag: st.Tag(), stmt: st, source: query, plNames: names}
	if q.r.srt == nil {
		q.p = p
		return q.r.s.bind(p, q.params)
	}
	rps := make([]RoutineParam, len(q.params))
	for i, t := range q.params {
		rps[i] = RoutineParam{Type: t}
	}
	q.rs = &routineStmt{p: p, params: rps}
	return q.rs.bind(q.r.srt)
}

func (q *plQuery) Run(ctx context.Context, params []types.Datum) (*plpgsql.Rows, error) {
	s := q.r.s
	run := q
	if q.busy > 0 {
		// Reentered (a recursive call): a plan of its own.
		run = &plQuery{r: q.r, params: q.params}
		src := q.p
		if src == nil {
			src = q.rs.p
		}
		if err := run.bind(src.stmt, src.SQL, src.plNames); err != nil {
			return nil, err
		}
	}
	q.busy++
	defer func() { q.busy-- }()
	var res *Result
	var err error
	switch {
	case run.rs != nil:
		if _, ok := run.rs.p.stmt.(*ast.SetStmt); ok {
			res, err = s.execSettings(run.rs.p.stmt)
		} else {
			res, err = run.rs.Run(q.r.srt, params)
		}
	default:
		switch run.p.stmt.(type) {
		case *ast.SetStmt, *ast.ShowStmt:
			res, err = s.execSettings(run.p.stmt)
		default:
			res, err = s.run(ctx, run.p, params)
		}
	}
	if err != nil {
		return nil, err
	}
	if run.rs == nil {
		q.r.x.notices = append(q.r.x.notices, res.Notices...)
	}
	out := &plpgsql.Rows{Rows: res.Rows}
	out.Names, out.Types = q.columnsOf(res.Columns)
	out.Count = int64(len(res.Rows))
	if i := strings.LastIndexByte(res.Tag, ' '); i >= 0 && len(res.Columns) == 0 || i >= 0 && !strings.HasPrefix(res.Tag, "SELECT") {
		if n, err := strconv.ParseInt(res.Tag[i+1:], 10, 64); err == nil {
			out.Count = n
		}
	}
	return out, nil
}

func (r *plRuntime) Type(ctx context.Context, name string) (types.T, error) {
	b := &binder{s: r.s, snap: r.snapshot()}
	if i := len(name) - len("%ROWTYPE"); i > 0 && strings.EqualFold(name[i:], "%ROWTYPE") {
		base := name[:i]
		t, found, err := b.relationRowType(ast.TypeName{Name: plIdent(base)})
		if err != nil {
			return types.T{}, err
		}
		if !found {
			return types.T{}, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", base)
		}
		return t, nil
	}
	if i := len(name) - len("%TYPE"); i > 0 && strings.EqualFold(name[i:], "%TYPE") {
		base := name[:i]
		i := strings.LastIndexByte(base, '.')
		if i < 0 {
			return types.T{}, pgerr.New(pgerr.UndefinedObject, "variable \"%s\" does not exist", base)
		}
		rel, col := plIdent(base[:i]), plIdent(base[i+1:])
		d, _, err := r.s.lookupRel(b.snap, rel)
		if err != nil {
			return types.T{}, err
		}
		if d == nil {
			return types.T{}, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", rel)
		}
		for _, c := range d.Columns {
			if c.Name == col {
				return c.Type, nil
			}
		}
		return types.T{}, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", col, d.Name)
	}
	if strings.EqualFold(name, "record") {
		return types.New(types.Record), nil
	}
	tn, err := r.typeName(ctx, name)
	if err != nil {
		return types.T{}, err
	}
	t, _, err := b.resolveType(tn)
	if err != nil {
		if pe := pgerr.Find(err); pe != nil {
			pe.Position = 0
		}
	}
	return t, err
}

// typeName parses a declared type's name as a cast to it would.
func (r *plRuntime) typeName(ctx context.Context, name string) (ast.TypeName, error) {
	pq, err := r.s.e.parse(ctx, "SELECT NULL::"+name, nil)
	if err != nil {
		return ast.TypeName{}, err
	}
	sel, ok := pq.stmts[0].Stmt.(*ast.SelectStmt)
	if !ok || len(sel.Targets) != 1 {
		return ast.TypeName{}, pgerr.New(pgerr.SyntaxError, "invalid type name \"%s\"", name)
	}
	c, ok := sel.Targets[0].Expr.(*ast.CastExpr)
	if !ok {
		return ast.TypeName{}, pgerr.New(pgerr.SyntaxError, "invalid type name \"%s\"", name)
	}
	tn := c.Type
	tn.Pos = 0
	return tn, nil
}

// DomainCheck returns the checks of the domain a variable's declared
// type names (NOT NULL and CHECK constraints, its base domains' first),
// nil when it names no domain.
func (r *plRuntime) DomainCheck(ctx context.Context, name string) (func(context.Context, types.Datum) error, error) {
	if strings.Contains(name, "%") || strings.EqualFold(name, "record") {
		return nil, nil
	}
	tn, err := r.typeName(ctx, name)
	if err != nil {
		return nil, err
	}
	b := &binder{s: r.s, snap: r.snapshot()}
	t, dom, err := b.resolveType(tn)
	if err != nil || dom == nil {
		return nil, err
	}
	e, err := b.toDomain(&colExpr{t: t, idx: 0}, dom)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, v types.Datum) error {
		x := &execCtx{ctx: ctx, s: r.s, tx: r.s.tx, snap: r.snapshot(), mem: r.x.mem}
		_, err := e.Eval(&evalCtx{exec: x}, []types.Datum{v})
		return err
	}, nil
}

// plIdent folds an unquoted (possibly qualified) name to lower case and
// strips the quotes of a quoted one.
func plIdent(s string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if strings.HasPrefix(p, `"`) && strings.HasSuffix(p, `"`) && len(p) >= 2 {
			parts[i] = strings.ReplaceAll(p[1:len(p)-1], `""`, `"`)
		} else {
			parts[i] = strings.ToLower(p)
		}
	}
	return strings.Join(parts, ".")
}

// plCast is a bound cast of $1 to a type.
type plCast struct {
	e expr
}

func (r *plRuntime) Cast(ctx context.Context, v types.Datum, from, to types.T) (types.Datum, error) {
	if r.casts == nil {
		r.casts = map[[2]types.T]*plCast{}
	}
	key := [2]types.T{from, to}
	c := r.casts[key]
	if c == nil {
		b := &binder{s: r.s, snap: r.snapshot(), params: []types.T{from}}
		e, err := b.cast(&paramExpr{b: b, n: 1}, to, true, 0)
		if err != nil {
			return nil, err
		}
		c = &plCast{e: e}
		r.casts[key] = c
	}
	x := &execCtx{ctx: ctx, s: r.s, tx: r.s.tx, snap: r.snapshot(), mem: r.x.mem}
	return c.e.Eval(&evalCtx{params: []types.Datum{v}, exec: x}, nil)
}

// plSubtxn is the savepoint of a block with exception handlers.
type plSubtxn struct {
	s     *Session
	level int
}

func (r *plRuntime) Savepoint(ctx context.Context) (plpgsql.Subtransaction, error) {
	level, err := r.s.pushSavepoint("")
	if err != nil {
		return nil, err
	}
	return &plSubtxn{s: r.s, level: level}, nil
}

func (t *plSubtxn) Release() error  { return t.s.releaseSavepoint(t.level) }
func (t *plSubtxn) Rollback() error { return t.s.rollbackToSavepoint(t.level, true) }

// messageLevels orders the severities client_min_messages compares.
var messageLevels = map[string]int{"debug5": 0, "debug4": 1, "debug3": 2, "debug2": 3, "debug1": 4, "debug": 4, "log": 5, "notice": 6, "warning": 7, "error": 8}

func (r *plRuntime) Notice(n plpgsql.Notice) {
	min := messageLevels[strings.ToLower(r.s.settings["client_min_messages"])]
	lvl := messageLevels[strings.ToLower(n.Severity)]
	if n.Severity != "INFO" && lvl < min {
		return
	}
	r.x.notices = append(r.x.notices, Notice{Severity: n.Severity, Code: n.Code, Message: n.Message, Detail: n.Detail, Hint: n.Hint, Where: n.Where})
}

func (r *plRuntime) EndTransaction(ctx context.Context, commit, chain, subtxn bool) error {
	s := r.s
	if s.inBlock() || s.plDepth > 1 || r.nested {
		return pgerr.New("2D000", "invalid transaction termination")
	}
	if subtxn {
		return pgerr.New("2D000", "cannot commit while a subtransaction is active")
	}
	isolation, readOnly, deferrable := s.isolation, s.readOnly, s.deferrable
	if commit && (len(s.riDeferred) > 0 || s.uniq.pending()) {
		notices, err := s.checkAllDeferred(ctx)
		r.x.notices = append(r.x.notices, notices...)
		if err != nil {
			return err
		}
	}
	if err := s.endTxn(commit); err != nil {
		return err
	}
	if err := s.beginTxn(); err != nil {
		return err
	}
	if chain {
		s.isolation, s.readOnly, s.deferrable = isolation, readOnly, deferrable
	}
	r.x.tx = s.tx
	return nil
}

func (r *plRuntime) Format(t types.T, v types.Datum) string {
	return types.FormatTextStyle(t, v, r.s.TypeStyle())
}
