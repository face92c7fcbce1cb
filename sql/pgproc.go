package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// The functions psql's \df calls on pg_proc's oids (catalog/pgproc.go):
// pg_function_is_visible (every listed function is in pg_catalog, which
// is always searched), pg_get_function_result, pg_get_function_arguments
// and pg_get_function_identity_arguments (the argument types; built-in
// functions name no arguments and have no defaults) and
// pg_get_function_sqlbody (NULL: no function has a SQL-standard body).
// An oid that names no function gives NULL, as in PostgreSQL.

// bindProcFunc binds them; ok is false for other names. A user-defined
// routine's oid gives its own text (catalog/pgprocuser.go), and
// pg_get_functiondef prints its CREATE OR REPLACE statement.
func (b *binder) bindProcFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	var f func(p catalog.Proc) types.Datum
	var user func(x *execCtx, r *catalog.Relations, d *catalog.FuncDesc) types.Datum
	t := textT
	switch name {
	case "pg_function_is_visible":
		t, f = boolT, func(catalog.Proc) types.Datum { return true }
		user = func(x *execCtx, _ *catalog.Relations, d *catalog.FuncDesc) types.Datum {
			path, err := x.s.pathSchemas(x.snap)
			return err == nil && slices.Contains(path, d.Schema)
		}
	case "pg_get_function_result":
		f = func(p catalog.Proc) types.Datum { return types.Format(types.New(p.Result)) }
		user = func(_ *execCtx, r *catalog.Relations, d *catalog.FuncDesc) types.Datum {
			if s, ok := r.ResultText(d); ok {
				return s
			}
			return nil
		}
	case "pg_get_function_arguments", "pg_get_function_identity_arguments":
		f = func(p catalog.Proc) types.Datum { return p.Arguments() }
		user = func(_ *execCtx, r *catalog.Relations, d *catalog.FuncDesc) types.Datum {
			return r.ArgumentsText(d, name == "pg_get_function_arguments")
		}
	case "pg_get_function_sqlbody":
		f = func(catalog.Proc) types.Datum { return nil }
		user = func(_ *execCtx, _ *catalog.Relations, d *catalog.FuncDesc) types.Datum {
			if d.SQLBody == nil {
				return nil
			}
			return d.SQLBodyText()
		}
	case "pg_get_functiondef":
		f = func(catalog.Proc) types.Datum { return nil }
		user = func(_ *execCtx, r *catalog.Relations, d *catalog.FuncDesc) types.Datum { return r.FunctionDef(d) }
	default:
		return nil, false, nil
	}
	if len(args) != 1 {
		return nil, true, undefinedFunction(name, args, pos)
	}
	if err := b.coerceArg(args, 0, oidT, name, pos); err != nil {
		return nil, true, err
	}
	return &ctxFuncExpr{t: t, args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
		oid := a[0].(int64)
		if p, ok := catalog.ProcByOID(oid); ok {
			return f(p), nil
		}
		d, err := catalog.FunctionByOID(x, oid)
		if err != nil || d == nil {
			return nil, err
		}
		r, err := x.Relations()
		if err != nil {
			return nil, err
		}
		return user(x, r, d), nil
	}}, true, nil
}

// Functions is catalog.FunctionReader's: the routines visible to the
// statement.
func (x *execCtx) Functions() ([]*catalog.FuncDesc, error) {
	all, err := x.s.e.cat.Functions(x.snap)
	if err != nil {
		return nil, err
	}
	out := make([]*catalog.FuncDesc, len(all))
	for i, f := range all {
		out[i] = f.FuncDesc
	}
	return out, nil
}

// Operators is catalog.OperatorReader's: the user-defined operators.
func (x *execCtx) Operators() ([]*catalog.OperatorDesc, error) {
	all, err := x.s.e.cat.Operators(x.snap)
	if err != nil {
		return nil, err
	}
	out := make([]*catalog.OperatorDesc, len(all))
	for i, o := range all {
		out[i] = o.OperatorDesc
	}
	return out, nil
}

var _ catalog.RegprocedureResolver = (*execCtx)(nil)

// ResolveRegprocedure is regprocedurein: the function name(argument
// types) names, user-defined or built in.
func (x *execCtx) ResolveRegprocedure(s string) (int64, error) {
	fs, err := parseSignatureText(s)
	if err != nil {
		return 0, err
	}
	r, err := x.findRoutine(fs, "routine", true)
	if err != nil && pgerr.Code(err) != pgerr.UndefinedObject {
		return 0, err
	}
	if err == nil && r.FuncDesc != nil {
		return int64(r.OID), nil
	}
	b := &binder{s: x.s, snap: x.snap}
	if f, err := b.resolveFuncSig(fs); err == nil {
		for _, p := range catalog.Procs() {
			if p.Name == f.name && sameIDs(p.Args, f.args) {
				return p.OID, nil
			}
		}
	}
	return 0, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", s)
}
