package sql

import (
	"context"
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// SQL-level PREPARE, EXECUTE and DEALLOCATE. A statement PREPARE names is
// prepared as a client's Parse message prepares one, with the declared
// parameter types (any type a column may have, and the reference types);
// EXECUTE evaluates its parameters, which may not read tables, and runs
// it; the statement lives until DEALLOCATE or the end of the session.
// EXECUTE also runs a statement a Parse message named (prepstmts.go).
// pg_dump prepares some of its catalog queries this way.

// execPrepareStmt runs PREPARE, EXECUTE or DEALLOCATE; handled is false
// for other statements.
func (s *Session) execPrepareStmt(ctx context.Context, outer *Prepared) (res *Result, handled bool, err error) {
	switch st := outer.stmt.(type) {
	case *ast.PrepareStmt:
		if _, ok := s.namedPrepared(st.Name); ok {
			return nil, true, pgerr.New(pgerr.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", st.Name)
		}
		declared := make([]types.T, len(st.Types))
		for i, tn := range st.Types {
			if id, ok := referenceTypes[tn.Name]; ok && !tn.Array {
				declared[i] = types.New(id)
				continue
			}
			t, err := types.Resolve(tn)
			if err != nil {
				return nil, true, err
			}
			declared[i] = t
		}
		pq, err := s.e.parse(ctx, st.Query, s.reserveParse(ctx))
		if err != nil {
			return nil, true, err
		}
		if len(pq.stmts) != 1 {
			return nil, true, pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
		}
		p := &Prepared{SQL: pq.stmts[0].SQL, Tag: pq.stmts[0].Stmt.Tag(), stmt: pq.stmts[0].Stmt}
		switch p.stmt.(type) {
		case *ast.PrepareStmt, *ast.ExecuteStmt, *ast.DeallocateStmt:
			return nil, true, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"%s\"", p.Tag)
		}
		if err := s.bind(p, declared); err != nil {
			return nil, true, err
		}
		if s.sqlPrepared == nil {
			s.sqlPrepared = make(map[string]*namedStmt)
		}
		s.sqlPrepared[st.Name] = &namedStmt{p: p, source: outer.source, at: s.e.now(), fromSQL: true}
		return &Result{Tag: "PREPARE"}, true, nil
	case *ast.ExecuteStmt:
		p, ok := s.namedPrepared(st.Name)
		if !ok {
			return nil, true, pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", st.Name)
		}
		if len(p.ParamTypes) == 0 {
			// As in PostgreSQL, parameters given to a statement that
			// takes none are ignored, not even evaluated.
			res, err := s.Execute(ctx, p, nil)
			return res, true, err
		}
		if len(st.Params) != len(p.ParamTypes) {
			return nil, true, pgerr.New(pgerr.SyntaxError, "wrong number of parameters for prepared statement \"%s\"", st.Name).
				WithDetail("Expected " + strconv.Itoa(len(p.ParamTypes)) + " parameters but got " + strconv.Itoa(len(st.Params)) + ".")
		}
		// The parameters are evaluated under a snapshot of the catalog
		// ('t'::regclass reads it), before the statement's own.
		snap := s.e.tm.ReadSnapshot()
		if s.tx != nil {
			snap = s.currentSnapshot()
		}
		b := &binder{s: s, snap: snap}
		ec := &evalCtx{exec: &execCtx{ctx: ctx, s: s, snap: snap}}
		vals := make([]types.Datum, len(st.Params))
		for i, a := range st.Params {
			e, err := b.bindExpr(a, nil)
			if err != nil {
				return nil, true, err
			}
			want := p.ParamTypes[i]
			if want.ID == types.OID && referenceTypeIDs[e.Type().ID] {
				// A reg value is its oid.
				e, err = b.cast(e, want, true, a.Position())
			} else {
				e, err = b.assign(e, want, "$"+strconv.Itoa(i+1), a.Position())
			}
			if err != nil {
				return nil, true, err
			}
			if vals[i], err = e.Eval(ec, nil); err != nil {
				return nil, true, err
			}
		}
		res, err := s.Execute(ctx, p, vals)
		return res, true, err
	case *ast.DeallocateStmt:
		res := &Result{Tag: st.Tag()}
		if st.All {
			clear(s.sqlPrepared)
			clear(s.protoStmts)
			res.DeallocatedAll = true
		} else if _, ok := s.sqlPrepared[st.Name]; ok {
			delete(s.sqlPrepared, st.Name)
		} else if _, ok := s.protoStmts[st.Name]; ok {
			delete(s.protoStmts, st.Name)
			res.Deallocated = st.Name
		} else {
			return nil, true, pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", st.Name)
		}
		return res, true, nil
	}
	return nil, false, nil
}

// sessionStmtPlan stands for PREPARE, EXECUTE and DEALLOCATE, which
// Session.Execute runs itself (execPrepareStmt) before any plan.
type sessionStmtPlan struct{}

func (sessionStmtPlan) columns() []Column { return nil }

func (sessionStmtPlan) execute(*execCtx, *evalCtx) (*Result, error) {
	return nil, pgerr.New(pgerr.InternalError, "sql: PREPARE, EXECUTE and DEALLOCATE run in the session")
}

// referenceTypes are the parameter types PREPARE takes beyond column
// types: oid, the reg types, name and "char".
var referenceTypes = map[string]types.ID{
	"oid": types.OID, "regclass": types.Regclass, "regtype": types.Regtype, "regnamespace": types.Regnamespace,
	"regrole": types.Regrole, "regproc": types.Regproc, "regprocedure": types.Regprocedure, "name": types.SysName, "char": types.Char,
}

var referenceTypeIDs = map[types.ID]bool{types.Regclass: true, types.Regtype: true, types.Regnamespace: true, types.Regrole: true, types.Regproc: true, types.Regprocedure: true}
