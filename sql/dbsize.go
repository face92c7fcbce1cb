package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// The object size functions psql's \dt+, \di+ and \l+ call:
// pg_relation_size(regclass [, fork]), pg_table_size,
// pg_indexes_size, pg_total_relation_size and pg_database_size, and
// has_database_privilege. Sizes are heap.Size measurements: the bytes
// of the keys and values the store holds for the relation, every version
// until vacuum removes it (an estimate of the stored size before the
// store's compression; reading one walks the relation). cairn's
// relations map onto them so that the parts add up to the whole:
//
//	table            its tuple versions' values (headers and row data),
//	                 and their keys too when it has no primary key
//	primary key      the keys of the table's versions: the table is
//	                 stored in primary key order, which is its index
//	secondary index  its entries, keys and values
//	sequence         its one key and value
//	view             0
//
// A relation has only the main fork (the free space map, visibility map
// and init forks measure 0) and no TOAST table, so pg_table_size is
// pg_relation_size; pg_total_relation_size adds pg_indexes_size. Every
// database name is a name of the one store, so pg_database_size measures
// the whole store, catalog and transaction state included. An oid that
// names no relation gives NULL, as in PostgreSQL.

// bindSizeFunc binds the size functions; ok is false for other names.
func (b *binder) bindSizeFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	relArg := func(n int) error {
		if len(args) != n {
			return undefinedFunction(name, args, pos)
		}
		if args[0].Type().ID == types.Unknown || args[0].Type().IsString() {
			// A relation named by a string: the regclass it names.
			if args[0], _, err = b.bindCatalogCast(args[0], ast.TypeName{Name: "regclass", Pos: pos}); err != nil {
				return err
			}
		}
		return b.coerceArg(args, 0, oidT, name, pos)
	}
	int8T := types.New(types.Int8)
	withCtx := func(f func(x *execCtx, a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &ctxFuncExpr{t: int8T, args: args, fn: f}, true, nil
	}
	switch name {
	case "pg_relation_size":
		if len(args) == 2 {
			if err := b.coerceArg(args, 1, textT, name, pos); err != nil {
				return nil, true, err
			}
			if err := relArg(2); err != nil {
				return nil, true, err
			}
		} else if err := relArg(1); err != nil {
			return nil, true, err
		}
		return withCtx(func(x *execCtx, a []types.Datum) (types.Datum, error) {
			if len(a) == 2 {
				switch a[1].(string) {
				case "main":
				case "fsm", "vm", "init":
					if n, err := relationSize(x, a[0].(int64), sizeTable); n == nil || err != nil {
						return n, err
					}
					return int64(0), nil
				default:
					return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid fork name").
						WithHint("Valid fork names are \"main\", \"fsm\", \"vm\", and \"init\".")
				}
			}
			return relationSize(x, a[0].(int64), sizeTable)
		})
	case "pg_table_size", "pg_indexes_size", "pg_total_relation_size":
		if err := relArg(1); err != nil {
			return nil, true, err
		}
		what := map[string]sizeWhat{"pg_table_size": sizeTable, "pg_indexes_size": sizeIndexes,
			"pg_total_relation_size": sizeTotal}[name]
		return withCtx(func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return relationSize(x, a[0].(int64), what)
		})
	case "pg_database_size":
		db, err := b.databaseArg(name, args, pos)
		if err != nil {
			return nil, true, err
		}
		return withCtx(func(x *execCtx, a []types.Datum) (types.Datum, error) {
			if _, err := db(x, a[0]); err != nil {
				return nil, err
			}
			s, err := x.s.e.heap.StoreSize(x.tick)
			if err != nil {
				return nil, err
			}
			return s.Keys + s.Values, nil
		})
	case "has_database_privilege":
		// (database, privilege) or (user, database, privilege): cairn's
		// one role is a superuser, which holds every privilege.
		if len(args) == 3 {
			if args[0].Type().ID == types.Unknown || args[0].Type().IsString() {
				err = b.coerceArg(args, 0, nameT, name, pos)
			} else {
				err = b.coerceArg(args, 0, oidT, name, pos)
			}
			if err != nil {
				return nil, true, err
			}
			args = args[1:]
		}
		if len(args) != 2 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		db, err := b.databaseArg(name, args[:1], pos)
		if err != nil {
			return nil, true, err
		}
		if err := b.coerceArg(args, 1, textT, name, pos); err != nil {
			return nil, true, err
		}
		return &ctxFuncExpr{t: boolT, args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
			if err := checkDatabasePrivileges(a[1].(string)); err != nil {
				return nil, err
			}
			return db(x, a[0])
		}}, true, nil
	}
	return nil, false, nil
}

// databaseArg converts args[0], a database's name or oid, and returns
// the check that it names one: a name that names none is an error, as is
// an oid; the check's value is true.
func (b *binder) databaseArg(name string, args []expr, pos int32) (func(x *execCtx, v types.Datum) (types.Datum, error), error) {
	if len(args) != 1 {
		return nil, undefinedFunction(name, args, pos)
	}
	byName := args[0].Type().ID == types.Unknown || args[0].Type().IsString()
	t := oidT
	if byName {
		t = nameT
	}
	if err := b.coerceArg(args, 0, t, name, pos); err != nil {
		return nil, err
	}
	return func(x *execCtx, v types.Datum) (types.Datum, error) {
		dbs := x.Databases()
		if byName {
			if catalog.DatabaseOID(dbs, v.(string)) == nil {
				return nil, pgerr.New(pgerr.InvalidCatalogName, "database \"%s\" does not exist", v)
			}
			return true, nil
		}
		for _, d := range dbs {
			if catalog.DatabaseOID(dbs, d) == v {
				return true, nil
			}
		}
		return nil, pgerr.New(pgerr.InvalidCatalogName, "database with OID %d does not exist", v)
	}, nil
}

// checkDatabasePrivileges checks a privilege list as
// has_database_privilege reads it: comma-separated, case-insensitive,
// each optionally WITH GRANT OPTION.
func checkDatabasePrivileges(list string) error {
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		p := strings.ToUpper(item)
		if strings.HasSuffix(p, " WITH GRANT OPTION") {
			p = strings.TrimSpace(strings.TrimSuffix(p, " WITH GRANT OPTION"))
			item = item[:len(p)]
		}
		switch p {
		case "CREATE", "CONNECT", "TEMPORARY", "TEMP":
		default:
			return pgerr.New(pgerr.InvalidParameterValue, "unrecognized privilege type: \"%s\"", item)
		}
	}
	return nil
}

type sizeWhat int

const (
	sizeTable   sizeWhat = iota // the relation itself
	sizeIndexes                 // a table's indexes
	sizeTotal                   // both
)

// relationSize measures the relation with oid; NULL when there is none.
func relationSize(x *execCtx, oid int64, what sizeWhat) (types.Datum, error) {
	r, err := x.Relations()
	if err != nil {
		return nil, err
	}
	h := x.s.e.heap
	if ix := r.Index(oid); ix != nil {
		if what == sizeIndexes {
			return int64(0), nil
		}
		return indexSize(x, ix)
	}
	t := r.Table(oid)
	if t == nil {
		return nil, nil
	}
	var self, indexes int64
	switch {
	case t.View != "":
	case t.Sequence != nil:
		s, err := h.SequenceSize(t.ID)
		if err != nil {
			return nil, err
		}
		self = s.Keys + s.Values
	default:
		if what != sizeIndexes {
			s, err := h.TableSize(t.StorageID(), x.tick)
			if err != nil {
				return nil, err
			}
			self = s.Values
			if len(t.PK) == 0 {
				self += s.Keys
			}
		}
		if what != sizeTable {
			for _, ix := range r.IndexesOf(t) {
				n, err := indexSize(x, ix)
				if err != nil {
					return nil, err
				}
				indexes += n
			}
		}
	}
	switch what {
	case sizeTable:
		return self, nil
	case sizeIndexes:
		return indexes, nil
	}
	return self + indexes, nil
}

// indexSize measures an index: a primary key's is its table's keys.
func indexSize(x *execCtx, ix *catalog.IndexRelation) (int64, error) {
	h := x.s.e.heap
	if ix.PrimaryKey() {
		s, err := h.TableSize(ix.Table().StorageID(), x.tick)
		return s.Keys, err
	}
	s, err := h.IndexSize(ix.StorageID(), x.tick)
	return s.Keys + s.Values, err
}
