package sql

import (
	"errors"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// sessionRuntime is the Runtime of a routine's body: it runs statements
// in the calling session and transaction. x is the calling statement's
// context (the CREATE's when validating).
type sessionRuntime struct {
	x        *execCtx
	volatile bool
}

var _ Runtime = (*sessionRuntime)(nil)

func (rt *sessionRuntime) Volatile() bool { return rt.volatile }

func (rt *sessionRuntime) Notice(n Notice) { rt.x.notices = append(rt.x.notices, n) }

// snapshot is the snapshot the body's next statement runs under: a
// VOLATILE routine's sees what the statements before it wrote (a new one
// under READ COMMITTED, the transaction's with the current command id
// otherwise), any other's is the calling statement's.
func (rt *sessionRuntime) snapshot() txn.Snapshot {
	s := rt.x.s
	if !rt.volatile || s.tx == nil {
		return rt.x.snap
	}
	return s.currentSnapshot()
}

func (rt *sessionRuntime) Parse(body string) ([]string, error) {
	s := rt.x.s
	pq, err := s.e.parse(rt.x.ctx, body, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(pq.stmts))
	for i, st := range pq.stmts {
		out[i] = st.SQL
	}
	return out, nil
}

func (rt *sessionRuntime) Prepare(sql string, params []RoutineParam) (RuntimeStmt, error) {
	s := rt.x.s
	pq, err := s.e.parse(rt.x.ctx, sql, nil)
	if err != nil {
		return nil, err
	}
	if len(pq.stmts) != 1 {
		return nil, pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	st := pq.stmts[0]
	p := &Prepared{SQL: st.SQL, Tag: st.Stmt.Tag(), stmt: st.Stmt, source: sql}
	rs := &routineStmt{p: p, params: params}
	if err := rs.bind(rt); err != nil {
		return nil, err
	}
	return rs, nil
}

// routineStmt is a statement of a routine's body, bound with the
// routine's parameters in view.
type routineStmt struct {
	p      *Prepared
	params []RoutineParam
	// simple is set once the statement ran as a PL/pgSQL expression
	// (plpgsql_simple.go).
	simple *scalarPlan
}

func (rs *routineStmt) Columns() []Column { return rs.p.Columns }
func (rs *routineStmt) Tag() string       { return rs.p.Tag }

// bind binds the statement as Session.bind does, with the parameters'
// types declared and their names resolvable.
func (rs *routineStmt) bind(rt *sessionRuntime) error {
	s := rt.x.s
	declared := make([]types.T, len(rs.params))
	names := make([]string, len(rs.params))
	for i, p := range rs.params {
		declared[i], names[i] = p.Type, p.Name
	}
	b := &binder{s: s, snap: rt.snapshot(), params: declared, routineParams: names, plNames: rs.p.plNames}
	gen := s.e.gen.Load()
	bound, err := b.bindStmt(rs.p.stmt)
	if err != nil {
		return err
	}
	// A PL/pgSQL body's variables are parameters after the declared
	// ones (plpgsql_bind.go).
	if len(b.params) > len(declared) && rs.p.plNames == nil {
		return pgerr.New(pgerr.UndefinedParameter, "there is no parameter $%d", len(b.params))
	}
	for i, t := range b.params {
		if t.ID == types.Unknown {
			b.params[i] = types.New(types.Text)
		}
	}
	p := rs.p
	p.bound, p.gen, p.binder, p.path, p.role = bound, gen, b, s.settings["search_path"], s.currentUser()
	p.rowSecOff = !s.rowSecurityOn()
	p.ParamTypes = b.params
	p.Columns = bound.columns()
	return nil
}

func (rs *routineStmt) Run(r Runtime, args []types.Datum) (*Result, error) {
	rt, ok := r.(*sessionRuntime)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "a routine's statement ran outside its session")
	}
	res, err := rs.runOnce(rt, args, false)
	if errors.Is(err, errPlanStale) {
		res, err = rs.runOnce(rt, args, true)
	}
	return res, err
}

func (rs *routineStmt) runOnce(rt *sessionRuntime, args []types.Datum, retry bool) (*Result, error) {
	s := rt.x.s
	p := rs.p
	if p.bound == nil || p.gen != s.e.gen.Load() || retry || p.path != s.settings["search_path"] || p.role != s.currentUser() || p.rowSecOff == s.rowSecurityOn() {
		if err := rs.bind(rt); err != nil {
			return nil, err
		}
	}
	if w, ok := p.stmt.(ast.DatabaseWriter); ok {
		if !rt.volatile {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not allowed in a non-volatile function", w.Tag())
		}
		if s.readOnly && !writesTempOnly(p.bound) {
			return nil, pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", w.Tag())
		}
	}
	if _, ok := p.stmt.(*ast.TransactionStmt); ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not allowed in a SQL function", p.Tag)
	}
	outer := rt.x
	x := &execCtx{ctx: outer.ctx, s: s, tx: outer.tx, snap: rt.snapshot(), planGen: p.gen, retried: retry, mem: outer.mem, tag: p.Tag}
	if rt.volatile && s.tx != nil {
		s.cid++
	}
	if err := x.checkRelPerms(p.binder); err != nil {
		return nil, err
	}
	// The calling statement's queued checks wait for it; the body's
	// statement runs its own.
	riQueue, uniq := s.riQueue, s.uniq.queue
	s.riQueue, s.uniq.queue = nil, nil
	defer func() { s.riQueue, s.uniq.queue = riQueue, uniq }()
	ec := &evalCtx{params: args, exec: x}
	res, err := p.bound.execute(x, ec)
	if err == nil && len(s.riQueue) > 0 {
		if err = x.runRI(ec); err != nil {
			res = nil
		}
	}
	if err == nil && len(s.uniq.queue) > 0 {
		if err = x.runUniqueChecks(); err != nil {
			res = nil
		}
	}
	outer.notices = append(outer.notices, x.notices...)
	if res != nil {
		outer.notices = append(outer.notices, res.Notices...)
	}
	return res, err
}

// routineParam resolves a name in a routine's body that is no column to
// the parameter of that name.
// namesRoutineParam is whether x names a parameter of the routine whose
// body is being bound.
func (b *binder) namesRoutineParam(x *ast.ColumnRef) bool {
	if x.Table != "" || x.Schema != "" {
		return false
	}
	for _, name := range b.routineParams {
		if name != "" && name == x.Column {
			return true
		}
	}
	return false
}

func (b *binder) routineParam(x *ast.ColumnRef) (expr, bool) {
	if x.Table != "" || x.Schema != "" {
		return nil, false
	}
	for i, name := range b.routineParams {
		if name != "" && name == x.Column {
			if b.paramRefs == nil {
				b.paramRefs = make(map[int]bool)
			}
			b.paramRefs[i+1] = true
			return &paramExpr{b: b, n: i + 1, pos: x.Pos}, true
		}
	}
	return nil, false
}
