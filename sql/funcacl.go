package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// EXECUTE on the built-in functions, as PostgreSQL 15 keeps it: every
// function is owned by the bootstrap superuser and PUBLIC may execute it
// until REVOKE takes that away; GRANT and REVOKE EXECUTE ON FUNCTION (or
// ROUTINE) name(argument types) change its ACL, kept in the catalog's
// function ACL table (catalog/funcacl.go) under the function's signature;
// a call of a function the current role may not execute is 42501
// "permission denied for function name", checked when the call is bound
// (a prepared statement binds again after a GRANT or REVOKE, as after
// any catalog change); has_function_privilege asks.
//
// A function is named by its argument types, which must be its own:
// md5(text), abs(integer). For a function of the builtins registry
// (those pg_proc lists) the overload must exist with exactly those types
// (42883 otherwise) and a name alone picks the function when it has one
// overload (42725 otherwise). Other functions are bound by the binder's
// own rules, which know no list of signatures: a signature is taken when
// a call with arguments of those types binds, so cairn also takes some a
// PostgreSQL without that exact overload refuses (md5(varchar)); a name
// alone is taken only for a function called without arguments. A call of
// such a function meets the ACL of the signature its argument types are
// (an untyped literal being text), else of one they convert to
// implicitly.
//
// Not checked: aggregates, window functions, operators and the functions
// that FROM calls (set-returning ones).

// funcSig is a built-in function's signature.
type funcSig struct {
	name string
	args []types.ID
}

// key is how the catalog keys the function's ACL: "md5(25)".
func (f funcSig) key() string {
	ids := make([]string, len(f.args))
	for i, a := range f.args {
		ids[i] = strconv.Itoa(int(a))
	}
	return f.name + "(" + strings.Join(ids, ",") + ")"
}

// String is the signature as PostgreSQL's messages print it:
// "md5(text)", "f(integer, text)".
func (f funcSig) String() string {
	names := make([]string, len(f.args))
	for i, a := range f.args {
		names[i] = types.Format(types.New(a))
	}
	return f.name + "(" + strings.Join(names, ", ") + ")"
}

// parseFuncKey reads a key back.
func parseFuncKey(key string) (funcSig, bool) {
	name, rest, ok := strings.Cut(key, "(")
	if !ok || !strings.HasSuffix(rest, ")") {
		return funcSig{}, false
	}
	f := funcSig{name: name}
	if rest = strings.TrimSuffix(rest, ")"); rest != "" {
		for _, s := range strings.Split(rest, ",") {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				return funcSig{}, false
			}
			f.args = append(f.args, types.ID(n))
		}
	}
	return f, true
}

// resolveFuncSig finds the function GRANT or REVOKE names.
func (b *binder) resolveFuncSig(fs ast.FuncSig) (funcSig, error) {
	shown := fs.Name
	if fs.Schema != "" {
		shown = fs.Schema + "." + fs.Name
	}
	f := funcSig{name: fs.Name}
	args := make([]types.T, len(fs.Args))
	for i, tn := range fs.Args {
		t, _, err := b.resolveType(tn)
		if err != nil {
			return f, err
		}
		args[i] = t
		f.args = append(f.args, t.ID)
	}
	notFound := func() error {
		if !fs.ArgsGiven {
			return pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", shown)
		}
		g := f
		g.name = shown
		return pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", g)
	}
	if fs.Schema != "" && fs.Schema != "pg_catalog" {
		if ok, err := b.s.schemaExists(b.snap, fs.Schema); err != nil {
			return f, err
		} else if !ok {
			return f, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", fs.Schema)
		}
		return f, notFound()
	}
	if reg, ok := builtins.Lookup(fs.Name); ok {
		if !fs.ArgsGiven {
			if len(reg.Overloads) > 1 {
				return f, pgerr.New(pgerr.AmbiguousFunction, "function name \"%s\" is not unique", shown).
					WithHint("Specify the argument list to select the function unambiguously.")
			}
			f.args = reg.Overloads[0].Args
			return f, nil
		}
		for _, o := range reg.Overloads {
			if sameIDs(o.Args, f.args) {
				return f, nil
			}
		}
		return f, notFound()
	}
	if !fs.ArgsGiven {
		if b.callBinds(fs.Name, nil) {
			return f, nil
		}
		for n := 1; n <= 4; n++ {
			if b.callBinds(fs.Name, make([]types.T, n)) {
				return f, pgerr.New(pgerr.AmbiguousFunction, "function name \"%s\" is not unique", shown).
					WithHint("Specify the argument list to select the function unambiguously.")
			}
		}
		return f, notFound()
	}
	if !b.callBinds(fs.Name, args) {
		return f, notFound()
	}
	return f, nil
}

func sameIDs(a, b []types.ID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// callBinds reports whether a call of name with NULL arguments of the
// types args (the zero type: untyped) binds: whether the binder knows
// such a function. Only "no such function" counts as no.
func (b *binder) callBinds(name string, args []types.T) bool {
	call := &ast.FuncCall{Name: name}
	for _, t := range args {
		var a ast.Expr = &ast.Literal{Kind: "null"}
		if t.ID != 0 {
			tn := ast.TypeName{Name: b.typeName(t)}
			if in, ok := types.Lookup(t.ID); ok && in.Elem != 0 {
				if ein, ok := types.Lookup(in.Elem); ok {
					tn = ast.TypeName{Name: ein.Typname, Array: true}
				}
			} else if ok {
				tn.Name = in.Typname
			}
			a = &ast.CastExpr{X: a, Type: tn}
		}
		call.Args = append(call.Args, a)
	}
	probe := &binder{s: b.s, snap: b.snap}
	_, err := probe.bindFunc(call, &scope{})
	return err == nil || pgerr.Code(err) != pgerr.UndefinedFunction
}

// functionACLs are the stored ACLs of the built-in functions, by name
// and then by key, as of the catalog generation gen.
type functionACLs struct {
	gen    uint64
	byName map[string]map[string][]catalog.ACLItem
}

// functionACLs returns the stored ACLs of the built-in functions: the
// latest committed ones (privileges are checked against the newest
// catalog, as PostgreSQL's are), or what snap sees when this transaction
// changed the catalog.
func (s *Session) functionACLs(snap txn.Snapshot) (*functionACLs, error) {
	if !s.wroteCatalog {
		gen := s.e.gen.Load()
		if c := s.e.funcACLs.Load(); c != nil && c.gen == gen {
			return c, nil
		}
		c, err := s.e.readFunctionACLs(s.e.tm.ReadSnapshot(), gen)
		if err != nil {
			return nil, err
		}
		s.e.funcACLs.Store(c)
		return c, nil
	}
	return s.e.readFunctionACLs(snap, 0)
}

func (e *Engine) readFunctionACLs(snap txn.Snapshot, gen uint64) (*functionACLs, error) {
	all, err := e.cat.FunctionACLs(snap)
	if err != nil {
		return nil, err
	}
	c := &functionACLs{gen: gen, byName: make(map[string]map[string][]catalog.ACLItem)}
	for key, acl := range all {
		f, ok := parseFuncKey(key)
		if !ok {
			continue
		}
		if c.byName[f.name] == nil {
			c.byName[f.name] = make(map[string][]catalog.ACLItem)
		}
		c.byName[f.name][key] = acl
	}
	return c, nil
}

// functionACL returns the ACL of the function with signature f.
func (x *execCtx) functionACL(f funcSig) ([]catalog.ACLItem, error) {
	c, err := x.s.functionACLs(x.snap)
	if err != nil {
		return nil, err
	}
	if acl, ok := c.byName[f.name][f.key()]; ok {
		return acl, nil
	}
	return catalog.DefaultACL(catalog.KindFunction, bootstrapOID), nil
}

// checkExecute refuses a call of name with args to a current role that
// may not execute the function it calls.
func (b *binder) checkExecute(name string, args []expr) error {
	if b.s == nil {
		return nil
	}
	c, err := b.s.functionACLs(b.snap)
	if err != nil {
		return err
	}
	stored := c.byName[name]
	if len(stored) == 0 {
		return nil
	}
	argTypes := make([]types.T, len(args))
	ids := make([]types.ID, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
		ids[i] = argTypes[i].ID
		if ids[i] == types.Unknown {
			ids[i] = types.Text
		}
	}
	var acl []catalog.ACLItem
	found := false
	if reg, ok := builtins.Lookup(name); ok {
		o, err := reg.Resolve(argTypes)
		if err != nil {
			return nil // the call fails to bind
		}
		acl, found = stored[funcSig{name: name, args: o.Args}.key()]
	} else if acl, found = stored[funcSig{name: name, args: ids}.key()]; !found {
		for key, a := range stored {
			f, _ := parseFuncKey(key)
			if len(f.args) != len(ids) {
				continue
			}
			fits := true
			for i, id := range ids {
				fits = fits && (argTypes[i].ID == types.Unknown || id == f.args[i] || types.ImplicitCast(id, f.args[i]))
			}
			if fits {
				acl, found = a, true
				break
			}
		}
	}
	if !found {
		return nil
	}
	g, err := b.s.roleGraph(b.snap)
	if err != nil {
		return err
	}
	cur, ok := b.s.currentRoleOID(g)
	if !ok {
		return pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", b.s.currentUser())
	}
	if g.super(cur) || catalog.Mask(acl, g.closure(cur, true), catalog.PrivExecute, false) != 0 {
		return nil
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for function %s", name)
}

// functionTargets resolves GRANT's and REVOKE's functions.
func (p *grantPlan) functionTargets(x *execCtx) ([]*grantTarget, error) {
	b := &binder{s: x.s, snap: x.snap}
	var out []*grantTarget
	for _, fs := range p.stmt.Functions {
		if r, err := x.findRoutine(fs, "routine", true); err != nil || r.FuncDesc != nil {
			if err != nil {
				return nil, err
			}
			acl := r.ACL
			if !r.HasACL {
				acl = catalog.DefaultACL(catalog.KindFunction, r.Owner)
			}
			out = append(out, &grantTarget{name: r.Name, kind: catalog.KindFunction, owner: r.Owner, acl: acl,
				routine: &r, noun: kindWord(r.FuncDesc)})
			continue
		}
		f, err := b.resolveFuncSig(fs)
		if err != nil {
			return nil, err
		}
		acl, err := x.functionACL(f)
		if err != nil {
			return nil, err
		}
		out = append(out, &grantTarget{name: f.name, kind: catalog.KindFunction, owner: bootstrapOID, acl: acl,
			function: f.key(), noun: "function"})
	}
	return out, nil
}

// storeFunctionACL stores acl as the ACL of the function with key.
func storeFunctionACL(x *execCtx, key string, acl []catalog.ACLItem) error {
	cat := x.s.e.cat
	_, id, err := cat.LookupFunctionACL(x.snap, key)
	if err != nil {
		return err
	}
	if err := cat.ReplaceFunctionACL(x.op(), x.later().op(), id, key, acl); err != nil {
		return err
	}
	x.s.e.catalogChanged()
	x.s.wroteCatalog = true
	return nil
}

// privFunction resolves has_function_privilege's function: its
// signature as text ("md5(text)", regprocedure's input form) or a
// pg_proc oid.
func (x *execCtx) privFunction(d types.Datum) (funcSig, bool, error) {
	switch v := d.(type) {
	case int64:
		p, ok := catalog.ProcByOID(v)
		if !ok {
			return funcSig{}, false, nil
		}
		return funcSig{name: p.Name, args: p.Args}, true, nil
	case string:
		fs, err := parseSignatureText(v)
		if err != nil {
			return funcSig{}, false, err
		}
		b := &binder{s: x.s, snap: x.snap}
		f, err := b.resolveFuncSig(fs)
		if err != nil {
			if pgerr.Code(err) == pgerr.UndefinedFunction {
				return funcSig{}, false, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", v)
			}
			return funcSig{}, false, err
		}
		return f, true, nil
	}
	return funcSig{}, false, pgerr.New(pgerr.DatatypeMismatch, "function argument of type %T", d)
}

// parseSignatureText reads regprocedure's input form: a function name,
// qualified or not, and its argument types in parentheses.
func parseSignatureText(s string) (ast.FuncSig, error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return ast.FuncSig{}, pgerr.New(pgerr.InvalidTextRepresentation, "expected a left parenthesis")
	}
	if !strings.HasSuffix(strings.TrimSpace(s), ")") {
		return ast.FuncSig{}, pgerr.New(pgerr.InvalidTextRepresentation, "expected a right parenthesis")
	}
	fs := ast.FuncSig{ArgsGiven: true}
	parts := catalog.SplitQualifiedName(strings.TrimSpace(s[:open]))
	switch len(parts) {
	case 1:
		fs.Name = parts[0]
	case 2:
		fs.Schema, fs.Name = parts[0], parts[1]
	default:
		return fs, pgerr.New(pgerr.InvalidName, "invalid name syntax")
	}
	inner := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[open+1:]), ")"))
	if inner == "" {
		return fs, nil
	}
	for _, a := range strings.Split(inner, ",") {
		tn, err := typeNameText(strings.TrimSpace(a))
		if err != nil {
			return fs, err
		}
		fs.Args = append(fs.Args, tn)
	}
	return fs, nil
}

// typeNameText reads a type name as format_type writes it ("integer",
// "character varying", "text[]") or as a statement may ("int4").
func typeNameText(s string) (ast.TypeName, error) {
	tn := ast.TypeName{}
	if rest, ok := strings.CutSuffix(s, "[]"); ok {
		tn.Array, s = true, strings.TrimSpace(rest)
	}
	lower := strings.ToLower(s)
	for _, in := range types.Listed() {
		if in.Typname == lower || types.New(in.ID).Name() == lower {
			tn.Name = in.Typname
			return tn, nil
		}
	}
	tn.Name = lower
	if strings.HasPrefix(s, `"`) && strings.HasSuffix(s, `"`) && len(s) >= 2 {
		tn.Name = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return tn, nil
}

var _ catalog.FunctionACLReader = (*execCtx)(nil)

// FunctionACLs returns the built-in functions' stored ACLs by signature
// key, for pg_proc's proacl.
func (x *execCtx) FunctionACLs() (map[string][]catalog.ACLItem, error) {
	c, err := x.s.functionACLs(x.snap)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]catalog.ACLItem)
	for _, byKey := range c.byName {
		for k, acl := range byKey {
			out[k] = acl
		}
	}
	return out, nil
}

// storeRoutineACL stores acl as a user-defined routine's.
func storeRoutineACL(x *execCtx, r *catalog.FuncEntry, acl []catalog.ACLItem) error {
	d := *r.FuncDesc
	d.ACL, d.HasACL = acl, true
	if err := x.s.e.cat.ReplaceFunction(x.op(), x.later().op(), r.ID, &d); err != nil {
		return err
	}
	x.s.e.catalogChanged()
	x.s.wroteCatalog = true
	return nil
}
