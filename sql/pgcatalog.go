package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// The pg_catalog functions psql's describe queries call, casts to the
// catalog types, and the regular expression operators psql's patterns
// use. The relations themselves are in package catalog.

var (
	oidT  = types.New(types.OID)
	nameT = types.New(types.SysName)
	textT = types.New(types.Text)
	boolT = types.New(types.Bool)
	int2T = types.New(types.Int2)
	int4T = types.New(types.Int4)

	textArrayT = types.New(types.TextArray)
)

// A statement reads the catalog for pg_catalog through its execCtx.
var _ catalog.Reader = (*execCtx)(nil)

// Relations returns the catalog's relations as the statement's snapshot
// sees them, read once per statement and snapshot.
// ResolveRegclass finds a user table, view or sequence by name through
// the search path with a catalog lookup or two (catalog.RegclassResolver),
// so that nextval('t_id_seq'::regclass) in a default does not read the
// whole catalog per row. Names pg_catalog could hold and names qualified
// by a built-in schema are left to the full resolution.
func (x *execCtx) ResolveRegclass(parts []string) (int64, string, bool) {
	name := parts[len(parts)-1]
	if _, system := catalog.LookupSystemView(name); system {
		return 0, "", false
	}
	find := func(key string) *catalog.TableDesc {
		d, _, err := x.s.lookupRel(x.snap, key)
		if err != nil || d == nil || d.IndexOf != "" {
			return nil
		}
		return d
	}
	bare := find(name)
	switch len(parts) {
	case 1:
		if bare == nil {
			return 0, "", false
		}
		return int64(bare.ID), parser.QuoteIdent(name), true
	case 2:
		switch parts[0] {
		case "pg_catalog", "information_schema", "pg_toast":
			return 0, "", false
		}
		d := find(parts[0] + "\x00" + name) // as the parser writes a qualified name
		if d == nil {
			return 0, "", false
		}
		if bare != nil && bare.ID == d.ID {
			return int64(d.ID), parser.QuoteIdent(name), true
		}
		return int64(d.ID), parser.QuoteIdent(parts[0]) + "." + parser.QuoteIdent(name), true
	}
	return 0, "", false
}

func (x *execCtx) Relations() (*catalog.Relations, error) {
	if x.rels != nil && x.relsSnap == x.snap {
		// A query joining catalogs, or casting many oids to regclass,
		// reads the catalog once.
		return x.rels, nil
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	r := catalog.NewRelations(all)
	if r.Types, err = x.s.e.cat.Types(x.snap); err != nil {
		return nil, err
	}
	schemas, err := x.s.e.cat.Schemas(x.snap)
	if err != nil {
		return nil, err
	}
	search, err := x.s.searchSchemas(x.snap)
	if err != nil {
		return nil, err
	}
	r.SetNamespaces(schemas, x.s.e.tempSlots.live(), search, x.s.tempSchema())
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	r.RoleName = g.name
	r.Analyzed = func(oid uint32) (float64, float64, bool) {
		st, err := x.s.e.cat.Statistics(x.snap, oid)
		if err != nil || st == nil {
			return 0, 0, false
		}
		return st.Pages, st.Rows, true
	}
	r.RoleOID = func(name string) (uint32, bool) {
		d, ok := g.byName[name]
		if !ok {
			return 0, false
		}
		return d.OID, true
	}
	r.SetSchemaOwners(schemas, func(name string) int64 {
		if d, ok := g.byName[name]; ok {
			return int64(d.OID)
		}
		return int64(types.OIDBootstrapSuperuser)
	})
	builtinACLs, err := x.s.e.cat.BuiltinSchemaACLs(x.snap)
	if err != nil {
		return nil, err
	}
	r.SetBuiltinSchemaACLs(builtinACLs)
	x.rels, x.relsSnap = r, x.snap
	return r, nil
}

// Databases returns the names of the databases the engine accepts.
func (x *execCtx) Databases() []string { return x.s.e.opts.Databases }

func (x *execCtx) ParseStored(text string) ([]parser.Statement, error) {
	return x.s.e.parseStored(text)
}

func (x *execCtx) SearchPath() string { return x.s.settings["search_path"] }

func (x *execCtx) Database() string { return x.s.database }

// coerceArg converts args[i] to t for a call of name. An argument that
// does not convert leaves args as they were: an untyped literal reports
// its input error ('x' is no oid), anything else that no such function
// exists.
func (b *binder) coerceArg(args []expr, i int, t types.T, name string, pos int32) error {
	c, err := b.coerce(args[i], t, "argument of "+name, pos)
	if err != nil {
		if args[i].Type().ID == types.Unknown {
			return err
		}
		return undefinedFunction(name, args, pos)
	}
	args[i] = c
	return nil
}

// args0ID is the type of a call's first argument, types.Unknown when
// it has none.
func args0ID(args []expr) types.ID {
	if len(args) == 0 {
		return types.Unknown
	}
	return args[0].Type().ID
}

// bindCatalogFunc binds the pg_catalog functions psql's describe queries
// call. ok is false when name is none of them.
func (b *binder) bindCatalogFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	want := func(ts ...types.T) error {
		if len(args) != len(ts) {
			return undefinedFunction(name, args, pos)
		}
		// The error names the call's argument types as written, not
		// those of the arguments coerced before the one that failed.
		written := append([]expr(nil), args...)
		for i, t := range ts {
			if err := b.coerceArg(args, i, t, name, pos); err != nil {
				copy(args, written)
				if written[i].Type().ID == types.Unknown {
					return err
				}
				return undefinedFunction(name, written, pos)
			}
		}
		return nil
	}
	// wantOIDPretty takes an oid and an optional "pretty" bool, which
	// is checked and dropped: cairn always prints the form psql asks for.
	wantOIDPretty := func() error {
		if len(args) == 2 {
			if err := b.coerceArg(args, 1, boolT, name, pos); err != nil {
				return err
			}
			args = args[:1]
		}
		return want(oidT)
	}
	fn := func(t types.T, f func(a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &funcExpr{t: t, args: args, strict: true, fn: f}, true, nil
	}
	withCtx := func(t types.T, f func(x *execCtx, a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &ctxFuncExpr{t: t, args: args, fn: f}, true, nil
	}
	if e, ok, err := b.bindACLFunc(name, args, pos); ok {
		return e, ok, err
	}
	switch name {
	case "row_security_active":
		// row_security_active(text | oid): a name is read as regclass
		// reads it.
		if len(args) == 1 && args[0].Type().ID == types.Unknown {
			if args[0], err = b.castUnknown(args[0], types.New(types.Regclass), pos); err != nil {
				return nil, true, err
			}
		} else if len(args) == 1 && args[0].Type().IsString() {
			if args[0], err = b.cast(args[0], types.New(types.Regclass), true, pos); err != nil {
				return nil, true, err
			}
		}
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return withCtx(boolT, func(x *execCtx, a []types.Datum) (types.Datum, error) { return x.rowSecurityActive(a[0]) })
	case "current_schemas":
		// The schemas of search_path that exist, in order, pg_catalog
		// first when implicit ones are asked for and it is not listed.
		if err := want(boolT); err != nil {
			return nil, true, err
		}
		return withCtx(types.New(types.SysNameArray), func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return x.s.currentSchemas(x.snap, a[0].(bool))
		})
	case "acldefault":
		// acldefault(objtype, owner): the privileges an object of the
		// type has before any GRANT.
		if err := want(types.New(types.Char), oidT); err != nil {
			return nil, true, err
		}
		return withCtx(aclitemArrayT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			g, err := x.s.roleGraph(x.snap)
			if err != nil {
				return nil, err
			}
			return aclDefault(a[0].(string), g.name(uint32(a[1].(int64))))
		})
	case "pg_typeof":
		// pg_typeof("any"): the argument's type, without a modifier,
		// even when the argument is NULL.
		if len(args) != 1 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		b.noteUntyped(args[0])
		// The argument is still evaluated, for its effects.
		v := types.NewReg(types.Regtype, int64(args[0].Type().ID), nil)
		if at := args[0].Type(); at.IsUser() {
			v = &types.RegValue{OID: int64(at.ID), Name: parser.QuoteIdent(b.typeName(at))}
			if at.IsArray() {
				v.Name = parser.QuoteIdent(b.typeName(types.New(at.ID&^types.UserArrayBit))) + "[]"
			}
		} else if compositeOID(at) != 0 {
			v = &types.RegValue{OID: int64(at.TypeOID()), Name: parser.QuoteIdent(at.Shape.TypeName)}
			if at.IsArray() {
				v.Name += "[]"
			}
		}
		return &funcExpr{t: types.New(types.Regtype), args: args, fn: func([]types.Datum) (types.Datum, error) { return v, nil }}, true, nil
	case "pg_table_is_visible":
		// Whether the relation is what its bare name finds.
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return withCtx(boolT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return x.tableVisible(a[0].(int64))
		})
	case "pg_type_is_visible":
		// Every type is in pg_catalog, on the path.
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return fn(boolT, func([]types.Datum) (types.Datum, error) { return true, nil })
	case "quote_ident":
		if len(args) == 1 && args[0].Type().ID == types.SysName {
			// name converts to text implicitly in PostgreSQL.
			if args[0], err = b.cast(args[0], textT, true, pos); err != nil {
				return nil, true, err
			}
		}
		if err := want(textT); err != nil {
			return nil, true, err
		}
		return fn(textT, func(a []types.Datum) (types.Datum, error) { return parser.QuoteIdent(a[0].(string)), nil })
	case "pg_get_userbyid":
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return &ctxFuncExpr{t: nameT, args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
			oid := a[0].(int64)
			if types.BuiltinRole(oid) {
				return types.UserName(oid), nil
			}
			g, err := x.s.roleGraph(x.snap)
			if err != nil {
				return nil, err
			}
			if r, ok := g.byOID[uint32(oid)]; ok {
				return r.Name, nil
			}
			return types.UserName(oid), nil
		}}, true, nil
	case "pg_encoding_to_char":
		if err := want(int4T); err != nil {
			return nil, true, err
		}
		return fn(nameT, func(a []types.Datum) (types.Datum, error) {
			if a[0].(int64) == catalog.EncodingUTF8 {
				return "UTF8", nil
			}
			return "", nil
		})
	case "format_type":
		if err := want(oidT, int4T); err != nil {
			return nil, true, err
		}
		return &funcExpr{t: textT, args: args, fn: func(a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			mod := int32(-1)
			if a[1] != nil {
				mod = int32(a[1].(int64))
			}
			t, ok := types.ByOID(a[0].(int64))
			if !ok && b.s != nil {
				if d, err := b.userType(types.New(types.ID(a[0].(int64)))); err == nil && d != nil {
					if types.ID(a[0].(int64))&types.UserArrayBit != 0 {
						return parser.QuoteIdent(d.Name) + "[]", nil
					}
					return parser.QuoteIdent(d.Name), nil
				}
			}
			if !ok {
				if name, found, err := b.rowTypeName(a[0].(int64)); err != nil || found {
					return name, err
				}
				return "???", nil
			}
			t.Mod = types.FromPGTypmod(t, mod)
			return types.Format(t), nil
		}}, true, nil
	case "pg_get_partkeydef", "pg_get_partition_constraintdef":
		// The partition key of a partitioned table, the partition
		// constraint of a partition; NULL for other relations.
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			r, err := x.Relations()
			if err != nil {
				return nil, err
			}
			t := r.ByOID(a[0].(int64))
			if t == nil {
				return nil, nil
			}
			if name == "pg_get_partkeydef" {
				if t.PartKey == nil {
					return nil, nil
				}
				return t.PartKeyDef(), nil
			}
			if def, ok := r.PartitionConstraintDef(t); ok {
				return def, nil
			}
			return nil, nil
		})
	case "pg_get_expr":
		if len(args) == 3 {
			if err := b.coerceArg(args, 2, boolT, name, pos); err != nil {
				return nil, true, err
			}
			args = args[:2]
		}
		if err := want(textT, oidT); err != nil {
			return nil, true, err
		}
		return fn(textT, func(a []types.Datum) (types.Datum, error) { return a[0], nil })
	case "pg_get_indexdef":
		// pg_get_indexdef(index) or (index, column, pretty).
		if len(args) == 1 {
			if err := want(oidT); err != nil {
				return nil, true, err
			}
			return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
				return catalog.IndexDef(x, a[0].(int64), 0, false)
			})
		}
		if err := want(oidT, int4T, boolT); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return catalog.IndexDef(x, a[0].(int64), a[1].(int64), a[2] == true)
		})
	case "pg_get_constraintdef":
		// pg_get_constraintdef(constraint [, pretty]).
		ts := []types.T{oidT}
		if len(args) == 2 {
			ts = append(ts, boolT)
		}
		if err := want(ts...); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return catalog.ConstraintDef(x, a[0].(int64), len(a) > 1 && a[1] == true)
		})
	case "pg_get_triggerdef":
		// pg_get_triggerdef(trigger [, pretty]); pretty is checked
		// first, so that an error names the arguments as written.
		ts := []types.T{oidT}
		if len(args) == 2 {
			if err := b.coerceArg(args, 1, boolT, name, pos); err != nil {
				return nil, true, err
			}
			ts = append(ts, boolT)
		}
		if err := want(ts...); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return catalog.TriggerDef(x, a[0].(int64), len(a) > 1 && a[1] == true)
		})
	case "pg_get_statisticsobjdef", "pg_get_statisticsobjdef_columns", "pg_get_statisticsobjdef_expressions":
		// cairn has no statistics objects: no oid names one, and for
		// such an oid PostgreSQL returns NULL.
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return fn(textT, func([]types.Datum) (types.Datum, error) { return nil, nil })
	case "pg_get_viewdef":
		// pg_get_viewdef(view [, pretty]): psql asks for the pretty
		// form, pg_dump for the other. The view is an oid, or a name
		// (the text form, which an untyped literal chooses).
		if id := args0ID(args); len(args) >= 1 && len(args) <= 2 && (id == types.Unknown || id == types.Text || id == types.Varchar) {
			if err := b.coerceArg(args, 0, textT, name, pos); err != nil {
				return nil, true, err
			}
			if len(args) == 2 {
				if err := b.coerceArg(args, 1, boolT, name, pos); err != nil {
					return nil, true, err
				}
			}
			return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
				reg, err := catalog.MakeReg(x, types.Regclass, a[0])
				if err != nil {
					return nil, err
				}
				r, ok := reg.(*types.RegValue)
				if !ok {
					return nil, nil
				}
				return catalog.ViewDef(x, r.OID, len(a) == 2 && a[1] == true)
			})
		}
		if len(args) == 1 {
			if err := want(oidT); err != nil {
				return nil, true, err
			}
			return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) { return catalog.ViewDef(x, a[0].(int64), false) })
		}
		if err := want(oidT, boolT); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return catalog.ViewDef(x, a[0].(int64), a[1].(bool))
		})
	case "pg_get_ruledef":
		if err := wantOIDPretty(); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) { return catalog.RuleDef(x, a[0].(int64)) })
	case "pg_tablespace_location":
		// The built-in tablespaces live in the data directory, for which
		// PostgreSQL shows an empty location.
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return fn(textT, func(a []types.Datum) (types.Datum, error) {
			if a[0] == int64(catalog.OIDDefaultTablespace) || a[0] == int64(catalog.OIDGlobalTablespace) {
				return "", nil
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "tablespace with OID %d does not exist", a[0])
		})
	case "pg_relation_is_publishable":
		// As is_publishable_class: ordinary tables outside the system
		// schemas; NULL for an oid that names no relation. The argument
		// is a regclass: a relation name or an oid.
		if len(args) == 1 && args[0].Type().IsString() {
			if args[0], _, err = b.bindCatalogCast(args[0], ast.TypeName{Name: "regclass", Pos: pos}); err != nil {
				return nil, true, err
			}
		}
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return withCtx(boolT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			r, err := x.Relations()
			if err != nil {
				return nil, err
			}
			oid := a[0].(int64)
			for _, t := range r.Tables {
				if int64(t.ID) == oid {
					return t.View == "", nil
				}
			}
			if r.Index(oid) != nil {
				return false, nil
			}
			return nil, nil
		})
	case "obj_description":
		// Relations carry COMMENT ON's text; the schemas have the
		// descriptions initdb gives them.
		if len(args) == 1 {
			args = append(args, &constExpr{t: nameT, v: "pg_class"})
		}
		if err := want(oidT, nameT); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			switch a[1] {
			case "pg_namespace":
				r, err := x.Relations()
				if err != nil {
					return nil, err
				}
				return r.NamespaceComment(a[0].(int64)), nil
			case "pg_class":
				return catalog.Description(x, a[0].(int64), 0)
			case "pg_type":
				r, err := x.Relations()
				if err != nil {
					return nil, err
				}
				return r.TypeComment(a[0].(int64)), nil
			case "pg_trigger":
				return catalog.TriggerComment(x, a[0].(int64))
			case "pg_proc":
				d, err := catalog.FunctionByOID(x, a[0].(int64))
				if err != nil || d == nil || d.Comment == "" {
					return nil, err
				}
				return d.Comment, nil
			}
			return nil, nil
		})
	case "col_description":
		if err := want(oidT, int4T); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return catalog.Description(x, a[0].(int64), a[1].(int64))
		})
	case "shobj_description":
		if len(args) != 2 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		return &constExpr{t: textT, v: nil}, true, nil
	}
	return nil, false, nil
}

// ctxFuncExpr is a strict function that reads the catalog.
type ctxFuncExpr struct {
	t    types.T
	args []expr
	fn   func(x *execCtx, a []types.Datum) (types.Datum, error)
}

func (e *ctxFuncExpr) Type() types.T { return e.t }
func (e *ctxFuncExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(e.args))
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil || v == nil {
			return nil, err
		}
		vals[i] = v
	}
	return e.fn(c.exec, vals)
}

// bindCatalogCast binds casts to the catalog types (package types):
// name, "char", oid, the reg types and arrays of them. A reg value is made
// with its name, which for regclass needs the catalog: ::regclass reads a
// relation name (or an oid) and finds the relation. ok is false for any
// other target type.
func (b *binder) bindCatalogCast(e expr, tn ast.TypeName) (out expr, ok bool, err error) {
	if tn.Name == "aclitem" && (tn.Schema == "" || tn.Schema == "pg_catalog") {
		out, err = b.bindACLItemCast(e, tn)
		return out, true, err
	}
	id, ok := map[string]types.ID{"name": types.SysName, "char": types.Char, "oid": types.OID,
		"regclass": types.Regclass, "regtype": types.Regtype, "regnamespace": types.Regnamespace, "regrole": types.Regrole, "regproc": types.Regproc, "regprocedure": types.Regprocedure}[tn.Name]
	if !ok {
		return nil, false, nil
	}
	t := types.New(id)
	if tn.Array {
		at, ok := types.ArrayOf(t)
		if !ok {
			return nil, true, pgerr.New(pgerr.FeatureNotSupported, "arrays of %s are not supported", t.Name()).WithPosition(tn.Pos)
		}
		out, err = b.cast(e, at, true, tn.Pos)
		return out, true, err
	}
	if !t.IsReg() {
		out, err = b.cast(e, t, true, tn.Pos)
		return out, true, err
	}
	from := e.Type()
	if !from.IsString() && !from.IsOIDLike() && !from.IsInteger() {
		return nil, true, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", b.typeName(from), t.Name()).WithPosition(tn.Pos)
	}
	if from.ID == types.Bpchar || from.ID == types.Unknown {
		if e, err = b.cast(e, textT, true, tn.Pos); err != nil {
			return nil, true, err
		}
	}
	if c, ok := e.(*constExpr); ok && id == types.Regclass && c.v != nil && b.s != nil {
		// A relation's name is read once, as the statement is bound,
		// as PostgreSQL reads a regclass literal when it analyzes the
		// statement: a serial column's default,
		// nextval('t_id_seq'::regclass), then reads no catalog for
		// each row. A plan is bound again after any change to the
		// catalog, or to search_path or the role, so the oid found
		// stays the one the name stands for. A name that finds nothing
		// is left to fail when the statement runs, as it did.
		if v, err := catalog.MakeReg(&execCtx{s: b.s, snap: b.snap}, id, c.v); err == nil {
			return &constExpr{t: t, v: v}, true, nil
		}
	}
	return &ctxFuncExpr{t: t, args: []expr{e}, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
		return catalog.MakeReg(x, id, a[0])
	}}, true, nil
}

// castUnknown converts an expression of unknown type (or any other, as
// cast does) to t, reading a reg type's input through the catalog.
func (b *binder) castUnknown(e expr, t types.T, pos int32) (expr, error) {
	if e.Type().ID == types.Unknown && (t.IsReg() || t.ID == types.Aclitem || t.ID == types.AclitemArray) {
		if _, param := e.(*paramExpr); !param {
			in, _ := types.Lookup(t.ID)
			tn := ast.TypeName{Name: in.Typname, Pos: pos}
			if t.ID == types.AclitemArray {
				tn.Name, tn.Array = "aclitem", true
			}
			out, _, err := b.bindCatalogCast(e, tn)
			return out, err
		}
	}
	return b.cast(e, t, false, pos)
}

// bindRegexMatch binds ~, ~*, !~ and !~*: POSIX regular expression
// matching, with Go's RE2 syntax standing in for PostgreSQL's ARE. The
// two agree on the patterns psql writes (^(name)$ with . and .*).
func (b *binder) bindRegexMatch(op string, l, r expr, pos int32) (expr, error) {
	var err error
	if l, err = b.coerceText(l, pos); err != nil {
		return nil, err
	}
	if r, err = b.coerceText(r, pos); err != nil {
		return nil, err
	}
	fold := strings.HasSuffix(op, "*")
	not := strings.HasPrefix(op, "!")
	compile := func(p string) (*builtins.Regexp, error) { return builtins.CompileRegexp(p, fold) }
	var fixed *builtins.Regexp
	if c, ok := r.(*constExpr); ok && c.v != nil {
		if fixed, err = compile(c.v.(string)); err != nil {
			return nil, err
		}
	}
	return &funcExpr{t: boolT, args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		re := fixed
		if re == nil {
			var err error
			if re, err = compile(a[1].(string)); err != nil {
				return nil, err
			}
		}
		return re.MatchString(a[0].(string)) != not, nil
	}}, nil
}

// aclDefault is PostgreSQL's acldefault: the owner's privileges on a new
// object of objtype, and PUBLIC's where PostgreSQL grants some.
func aclDefault(objtype string, owner string) (types.Datum, error) {
	var ownerPrivs, publicPrivs string
	switch objtype {
	case "c":
	case "r":
		ownerPrivs = "arwdDxt"
	case "s":
		ownerPrivs = "rwU"
	case "d":
		ownerPrivs, publicPrivs = "CTc", "Tc"
	case "f":
		ownerPrivs, publicPrivs = "X", "X"
	case "l", "T":
		ownerPrivs, publicPrivs = "U", "U"
	case "L":
		ownerPrivs = "rw"
	case "n":
		ownerPrivs = "UC"
	case "t":
		ownerPrivs = "C"
	case "F", "S":
		ownerPrivs = "U"
	case "p":
		ownerPrivs = "sA"
	default:
		return nil, pgerr.New(pgerr.InternalError, "unrecognized objtype abbreviation: %s", objtype)
	}
	var items []types.Datum
	if publicPrivs != "" {
		items = append(items, types.FormatACLItem("", owner, publicPrivs))
	}
	if ownerPrivs != "" {
		items = append(items, types.FormatACLItem(owner, owner, ownerPrivs))
	}
	return &types.Array{Elems: items}, nil
}
