package sql

import (
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

// bindProcFunc binds them; ok is false for other names.
func (b *binder) bindProcFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	var f func(p catalog.Proc) types.Datum
	t := textT
	switch name {
	case "pg_function_is_visible":
		t, f = boolT, func(catalog.Proc) types.Datum { return true }
	case "pg_get_function_result":
		f = func(p catalog.Proc) types.Datum { return types.Format(types.New(p.Result)) }
	case "pg_get_function_arguments", "pg_get_function_identity_arguments":
		f = func(p catalog.Proc) types.Datum { return p.Arguments() }
	case "pg_get_function_sqlbody":
		f = func(catalog.Proc) types.Datum { return nil }
	default:
		return nil, false, nil
	}
	if len(args) != 1 {
		return nil, true, undefinedFunction(name, args, pos)
	}
	if err := b.coerceArg(args, 0, oidT, name, pos); err != nil {
		return nil, true, err
	}
	return &funcExpr{t: t, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		p, ok := catalog.ProcByOID(a[0].(int64))
		if !ok {
			return nil, nil
		}
		return f(p), nil
	}}, true, nil
}
