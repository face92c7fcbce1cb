package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// User-defined types in expressions: how the binder names, resolves and
// casts enums and domains (catalog/typedesc.go keeps them, typeddl.go
// makes and changes them).
//
// An enum value is types.EnumValue; its type is the enum's oid (or, for
// its array, the oid with types.UserArrayBit). Casts to an enum read its
// labels from the catalog while binding; the plan keeps them, and any
// change of the type invalidates plans as all DDL does.
//
// A domain has no type of its own in expressions: a value cast or
// assigned to a domain has the domain's base type, so operators and
// functions see the base type, and the cast checks the domain's NOT NULL
// and CHECK constraints (domainExpr). A column declared with a domain
// stores its base type in ColumnDesc.Type and the domain in
// ColumnDesc.Domain.

// userType returns the user type with oid id (an array type's element
// type), or nil.
func (b *binder) userType(t types.T) (*catalog.TableDesc, error) {
	if !t.IsUser() || b.s == nil {
		return nil, nil
	}
	id := t.ID &^ types.UserArrayBit
	d, _, err := b.s.e.cat.TypeByOID(b.snap, uint32(id))
	return d, err
}

// typeName is t's name for messages, user types included.
func (b *binder) typeName(t types.T) string {
	if d, err := b.userType(t); err == nil && d != nil {
		if t.IsArray() {
			return d.Name + "[]"
		}
		return d.Name
	}
	return t.Name()
}

// resolveType is types.Resolve with the user types of the catalog: a
// name the registry does not know is looked up among the enums and
// domains. dom is the domain when the name is one (t is then its base
// type).
func (b *binder) resolveType(tn ast.TypeName) (t types.T, dom *catalog.TableDesc, err error) {
	t, err = types.Resolve(tn)
	if err == nil || pgerr.Code(err) != pgerr.UndefinedObject || b.s == nil {
		return t, nil, err
	}
	name, array := tn.Name, tn.Array
	d, _, lerr := b.s.e.cat.LookupType(b.snap, name)
	if lerr != nil {
		return types.T{}, nil, lerr
	}
	if d == nil && len(name) > 1 && name[0] == '_' && !array {
		// _mood names mood's array type.
		if d, _, lerr = b.s.e.cat.LookupType(b.snap, name[1:]); lerr != nil {
			return types.T{}, nil, lerr
		}
		array = d != nil && d.ArrayOID() != 0
		if !array {
			d = nil
		}
	}
	if d == nil {
		// A relation's name names its row type (rowtype.go).
		if rt, ok, rerr := b.relationRowType(tn); ok || rerr != nil {
			return rt, nil, rerr
		}
		return types.T{}, nil, err
	}
	if len(tn.Mods) > 0 {
		return types.T{}, nil, pgerr.New(pgerr.SyntaxError, "type modifier is not allowed for type \"%s\"", d.Name).WithPosition(tn.Pos)
	}
	if d.IsComposite() {
		t = d.CompositeType()
		if array {
			t, _ = types.ArrayOf(t)
		}
		return t, nil, nil
	}
	if d.IsDomain() {
		if !array {
			return d.Type.Base, d, nil
		}
		// An array of the domain: an array of its base type whose
		// elements are checked (toDomain).
		at, ok := types.ArrayOf(d.Type.Base)
		if !ok || d.Type.Base.IsArray() {
			return types.T{}, nil, pgerr.New(pgerr.FeatureNotSupported, "arrays of domain %s are not supported", d.Name).WithPosition(tn.Pos)
		}
		return at, d, nil
	}
	t = types.New(types.ID(d.ID))
	if array {
		t, _ = types.ArrayOf(t)
	}
	return t, nil, nil
}

// castUser binds a cast that involves an enum type: ok is false when
// neither type is one.
func (b *binder) castUser(e expr, from, to types.T, explicit bool, pos int32) (out expr, ok bool, err error) {
	if !to.IsUser() {
		if !from.IsUser() {
			return nil, false, nil
		}
		// From an enum: to the string types through its label, as
		// types.Cast does; nothing else.
		if to.IsString() && !to.IsArray() || from.IsArray() && to.IsArray() && elemIsString(to) {
			return nil, false, nil
		}
		return nil, true, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", b.typeName(from), b.typeName(to)).WithPosition(pos)
	}
	d, err := b.userType(to)
	if err != nil {
		return nil, true, err
	}
	if d == nil {
		return nil, true, pgerr.New(pgerr.UndefinedObject, "type with OID %d does not exist", to.ID&^types.UserArrayBit)
	}
	array := to.IsArray()
	fromOK := from.ID == types.Unknown || explicit && from.IsString() && !from.IsArray()
	if fe, isArr := from.Elem(); array && isArr {
		fromOK = fe.ID == to.ID&^types.UserArrayBit || explicit && fe.IsString()
	}
	if !fromOK {
		return nil, true, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", b.typeName(from), b.typeName(to)).WithPosition(pos)
	}
	if p, isParam := e.(*paramExpr); isParam && from.ID == types.Unknown {
		b.params[p.n-1] = to
		return p, true, nil
	}
	enum := b.enumOf(d)
	conv := func(v types.Datum) (types.Datum, error) { return types.CastToEnum(enum, v, from, array) }
	if c, isConst := e.(*constExpr); isConst {
		if c.v == nil {
			return &constExpr{t: to}, true, nil
		}
		v, err := conv(c.v)
		if err != nil {
			if pe := pgerr.Find(err); pe != nil && pe.Position == 0 {
				pe.Position = pos
			}
			return nil, true, err
		}
		return &constExpr{t: to, v: v}, true, nil
	}
	return &funcExpr{t: to, args: []expr{e}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		return conv(a[0])
	}}, true, nil
}

func elemIsString(t types.T) bool {
	e, ok := t.Elem()
	return ok && e.IsString()
}

// userParams reads the parameters of user types (enums and their arrays),
// which the wire layer leaves in their text form (an enum's binary form is
// the same): their labels are in the catalog, read under the statement's
// snapshot. params is changed in place.
func (s *Session) userParams(snap txn.Snapshot, ptypes []types.T, params []types.Datum) error {
	b := &binder{s: s, snap: snap}
	for i, t := range ptypes {
		text, ok := params[i].(string)
		if !ok || !t.IsUser() {
			continue
		}
		d, err := b.userType(t)
		if err != nil {
			return err
		}
		if d == nil || !d.IsEnum() {
			return pgerr.New(pgerr.UndefinedObject, "type with OID %d does not exist", t.ID&^types.UserArrayBit)
		}
		if t.IsArray() {
			params[i], err = types.ParseEnumArray(b.enumOf(d), text)
		} else {
			params[i], err = types.ParseEnum(b.enumOf(d), text)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// bindEnumFunc binds enum_first, enum_last and enum_range: ok is false for
// other functions.
func (b *binder) bindEnumFunc(name string, args []expr, pos int32) (expr, bool, error) {
	switch name {
	case "enum_first", "enum_last", "enum_range":
	default:
		return nil, false, nil
	}
	sig := func() error {
		names := ""
		for i, a := range args {
			if i > 0 {
				names += ", "
			}
			names += b.typeName(a.Type())
		}
		return pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", name, names).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	if len(args) == 0 || len(args) > 2 || len(args) == 2 && name != "enum_range" {
		return nil, true, sig()
	}
	t := args[0].Type()
	if len(args) == 2 && !t.IsEnum() {
		t = args[1].Type()
	}
	if !t.IsEnum() {
		return nil, true, sig()
	}
	for i, a := range args {
		if a.Type().ID == types.Unknown {
			var err error
			if args[i], _, err = b.castUser(a, a.Type(), t, false, pos); err != nil {
				return nil, true, err
			}
		} else if a.Type() != t {
			return nil, true, sig()
		}
	}
	d, err := b.userType(t)
	if err != nil || d == nil {
		return nil, true, err
	}
	enum := b.enumOf(d)
	labels := enum.Labels
	unsafe := func(l types.EnumValue) error {
		if enum.Unsafe[l.Label] {
			return types.UnsafeEnumValue(enum, l.Label)
		}
		return nil
	}
	switch name {
	case "enum_first", "enum_last":
		return &funcExpr{t: t, args: args, fn: func([]types.Datum) (types.Datum, error) {
			if len(labels) == 0 {
				return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "enum %s contains no values", d.Name)
			}
			l := labels[len(labels)-1]
			if name == "enum_first" {
				l = labels[0]
			}
			return l, unsafe(l)
		}}, true, nil
	}
	at, _ := types.ArrayOf(t)
	if len(args) == 1 {
		return &funcExpr{t: at, args: args, fn: func([]types.Datum) (types.Datum, error) {
			out := &types.Array{Elems: make([]types.Datum, len(labels))}
			for i, l := range labels {
				if err := unsafe(l); err != nil {
					return nil, err
				}
				out.Elems[i] = l
			}
			return out, nil
		}}, true, nil
	}
	// enum_range(lo, hi): the labels from lo to hi, a NULL end open.
	return &funcExpr{t: at, args: args, fn: func(a []types.Datum) (types.Datum, error) {
		out := &types.Array{Elems: []types.Datum{}}
		for _, l := range labels {
			if a[0] != nil && l.Order < a[0].(types.EnumValue).Order || a[1] != nil && l.Order > a[1].(types.EnumValue).Order {
				continue
			}
			if err := unsafe(l); err != nil {
				return nil, err
			}
			out.Elems = append(out.Elems, l)
		}
		return out, nil
	}}, true, nil
}

// domainExpr checks a value cast or assigned to a domain against the
// domain's NOT NULL and CHECK constraints; with elems, each element of an
// array value (an array of the domain).
type domainExpr struct {
	x       expr
	name    string
	notNull bool
	checks  []boundCheck
	elems   bool
}

func (e *domainExpr) Type() types.T { return e.x.Type() }
func (e *domainExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.x.Eval(c, row)
	if err != nil {
		return nil, err
	}
	return v, e.check(c, v)
}

// check fails with 23502 or 23514 when v violates the domain.
func (e *domainExpr) check(c *evalCtx, v types.Datum) error {
	if a, ok := v.(*types.Array); ok && e.elems {
		for _, el := range a.Elems {
			if err := e.checkOne(c, el); err != nil {
				return err
			}
		}
		return nil
	}
	if v == nil && e.elems {
		return nil // a NULL array holds no element
	}
	return e.checkOne(c, v)
}

func (e *domainExpr) checkOne(c *evalCtx, v types.Datum) error {
	if v == nil && e.notNull {
		return pgerr.New(pgerr.NotNullViolation, "domain %s does not allow null values", e.name).
			WithObject("public", "", "", "").WithDataType(e.name)
	}
	bad, err := failsCheck(c, e.checks, []types.Datum{v})
	if err != nil {
		return err
	}
	if bad != nil {
		return pgerr.New(pgerr.CheckViolation, "value for domain %s violates check constraint \"%s\"", e.name, bad.name).
			WithObject("public", "", "", bad.name).WithDataType(e.name)
	}
	return nil
}

// domainScope is the scope a domain's CHECK conditions are bound in: one
// column, VALUE, of the base type.
func domainScope(d *catalog.TableDesc) *catalog.TableDesc {
	return &catalog.TableDesc{Name: d.Name, Columns: []catalog.ColumnDesc{{Name: "value", Type: d.Type.Base}}}
}

// bindDomainChecks binds the constraints of domain d (its CHECK
// conditions over VALUE); notValid says whether to include constraints
// added NOT VALID (new values are checked against every constraint).
func (b *binder) bindDomainChecks(d *catalog.TableDesc) ([]boundCheck, error) {
	scopeDesc := domainScope(d)
	var out []boundCheck
	for _, c := range d.Type.Checks {
		e, err := b.parseCheck(c.Expr)
		if err != nil {
			return nil, err
		}
		cond, err := b.bindCheckExpr(e, scopeDesc)
		if err != nil {
			return nil, err
		}
		out = append(out, boundCheck{name: c.Name, cond: cond})
	}
	return out, nil
}

// typeDepthMax bounds a chain of domains over domains.
const typeDepthMax = 64

// toDomain wraps e, already of d's base type, in d's checks, after those
// of the domains d is based on.
func (b *binder) toDomain(e expr, d *catalog.TableDesc) (expr, error) {
	return b.toDomainDepth(e, d, 0)
}

func (b *binder) toDomainDepth(e expr, d *catalog.TableDesc, depth int) (expr, error) {
	if depth > typeDepthMax {
		return nil, pgerr.New(pgerr.StatementTooComplex, "domains nest too deeply")
	}
	if d.Type.BaseDomain != 0 {
		base, _, err := b.s.e.cat.TypeByOID(b.snap, d.Type.BaseDomain)
		if err != nil {
			return nil, err
		}
		if base != nil {
			if e, err = b.toDomainDepth(e, base, depth+1); err != nil {
				return nil, err
			}
		}
	}
	checks, err := b.bindDomainChecks(d)
	if err != nil {
		return nil, err
	}
	if !d.Type.NotNull && len(checks) == 0 {
		return e, nil
	}
	elems := e.Type().IsArray() && !d.Type.Base.IsArray()
	return &domainExpr{x: e, name: d.Name, notNull: d.Type.NotNull, checks: checks, elems: elems}, nil
}

// columnDomain returns the domain column c was declared with, or nil.
func (b *binder) columnDomain(c *catalog.ColumnDesc) (*catalog.TableDesc, error) {
	if c.Domain == 0 || b.s == nil {
		return nil, nil
	}
	d, _, err := b.s.e.cat.TypeByOID(b.snap, c.Domain)
	return d, err
}

// assignCol is assign for a value stored in column c: the assignment
// cast to the column's type, then the checks of the column's domain.
func (b *binder) assignCol(e expr, c catalog.ColumnDesc, pos int32) (expr, error) {
	out, err := b.assign(e, c.Type, c.Name, pos)
	if err != nil || c.Domain == 0 {
		return out, err
	}
	d, err := b.columnDomain(&c)
	if err != nil || d == nil {
		return out, err
	}
	return b.toDomain(out, d)
}

// domainDefault is the default of domain oid, or of the domain it is
// based on: "" for none.
func (b *binder) domainDefault(oid uint32) (string, error) {
	for depth := 0; oid != 0 && depth < typeDepthMax; depth++ {
		d, _, err := b.s.e.cat.TypeByOID(b.snap, oid)
		if err != nil || d == nil || !d.IsDomain() {
			return "", err
		}
		if d.Type.Default != "" {
			return d.Type.Default, nil
		}
		oid = d.Type.BaseDomain
	}
	return "", nil
}

// copyUserColumn reads a COPY FROM field for a column of an enum type (or
// an array of one), or one declared with a domain.
type copyUserColumn struct {
	t      types.T
	enum   *types.Enum // the column's enum, or its elements'
	domain expr        // the domain's checks over the value (row[0])
}

// copyUserColumns returns, by field, the input of the target columns
// that need the catalog.
func (b *binder) copyUserColumns(desc *catalog.TableDesc, targets []int) (map[int]*copyUserColumn, error) {
	var out map[int]*copyUserColumn
	for i, c := range targets {
		col := desc.Columns[c]
		if !col.Type.IsUser() && col.Domain == 0 {
			continue
		}
		u := &copyUserColumn{t: col.Type}
		if col.Type.IsUser() {
			d, err := b.userType(col.Type)
			if err != nil {
				return nil, err
			}
			if d == nil || !d.IsEnum() {
				return nil, pgerr.New(pgerr.UndefinedObject, "type with OID %d does not exist", col.Type.ID&^types.UserArrayBit)
			}
			u.enum = b.enumOf(d)
		}
		if dom, err := b.columnDomain(&col); err != nil {
			return nil, err
		} else if dom != nil {
			if u.domain, err = b.toDomain(&colExpr{t: col.Type, idx: 0}, dom); err != nil {
				return nil, err
			}
		}
		if out == nil {
			out = make(map[int]*copyUserColumn)
		}
		out[i] = u
	}
	return out, nil
}

// value reads field f.
func (u *copyUserColumn) value(ec *evalCtx, f copyField) (types.Datum, error) {
	var v types.Datum
	var err error
	switch {
	case f.null:
	case u.enum != nil && u.t.IsArray():
		v, err = types.ParseEnumArray(u.enum, f.text)
	case u.enum != nil:
		v, err = types.ParseEnum(u.enum, f.text)
	default:
		base := types.T{ID: u.t.ID, Mod: -1}
		if v, err = types.ParseTextStyle(base, f.text, ec.exec.s.TypeStyle()); err == nil {
			v, err = types.Cast(v, base, u.t, false)
		}
	}
	if err != nil || u.domain == nil {
		return v, err
	}
	return u.domain.Eval(ec, []types.Datum{v})
}

// enumOf is d's enum for input, with the labels the current transaction
// added marked unsafe to use until it commits, as in PostgreSQL 15.
func (b *binder) enumOf(d *catalog.TableDesc) *types.Enum {
	e := d.Enum()
	if b.s == nil || b.s.tx == nil {
		return e
	}
	for _, l := range d.Type.Labels {
		if l.XID != 0 && l.XID == uint64(b.s.tx.XID) {
			if e.Unsafe == nil {
				e.Unsafe = make(map[string]bool)
			}
			e.Unsafe[l.Label] = true
		}
	}
	return e
}

// fromBinary completes a binary COPY FROM field the wire layer decoded
// as base: an enum's label (its binary form is its text) becomes the
// enum's value, element by element for an array; then the domain's
// checks.
func (u *copyUserColumn) fromBinary(ec *evalCtx, v types.Datum, base types.T) (types.Datum, error) {
	var err error
	switch x := v.(type) {
	case nil:
	case string:
		if u.enum != nil {
			v, err = types.ParseEnum(u.enum, x)
		}
	case *types.Array:
		if u.enum != nil {
			out := &types.Array{Elems: make([]types.Datum, len(x.Elems))}
			for i, el := range x.Elems {
				if s, ok := el.(string); ok {
					if out.Elems[i], err = types.ParseEnum(u.enum, s); err != nil {
						return nil, err
					}
				}
			}
			v = out
		}
	}
	if err == nil && u.enum == nil && v != nil {
		v, err = types.Cast(v, base, u.t, false)
	}
	if err != nil || u.domain == nil {
		return v, err
	}
	return u.domain.Eval(ec, []types.Datum{v})
}
