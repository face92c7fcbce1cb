package sql

import (
	"context"
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// CREATE FUNCTION and CREATE PROCEDURE (PostgreSQL's CreateFunction and
// ProcedureCreate): the parameters' and result's types are resolved, the
// rules between them checked (42P13), the body validated by its language
// when check_function_bodies is on, and the routine stored as a
// catalog.FuncDesc. OR REPLACE keeps the routine's oid, owner, ACL and
// comment, and refuses what PostgreSQL refuses to change: the kind
// (42809), the result type, the names of input parameters, removing
// defaults (42P13).

type createFunctionPlan struct{ stmt *ast.CreateFunctionStmt }

func (p *createFunctionPlan) columns() []Column { return nil }

// routineLanguage checks a LANGUAGE clause and returns its language.
func routineLanguage(name string) (Language, error) {
	if l, ok := lookupLanguage(name); ok {
		return l, nil
	}
	switch name {
	case "plpgsql", "internal", "c":
		return nil, pgerr.New(pgerr.FeatureNotSupported, "functions in language \"%s\" are not supported", name)
	}
	return nil, pgerr.New(pgerr.UndefinedObject, "language \"%s\" does not exist", name)
}

func (p *createFunctionPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	st := p.stmt
	what := "function"
	if st.Procedure {
		what = "procedure"
	}
	lang := st.Language
	switch {
	case lang == "" && st.SQLBody != nil:
		lang = "sql"
	case lang == "":
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "no language specified")
	case st.SQLBody != nil && lang != "sql":
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "inline SQL function body only valid for language SQL")
	case !st.HasBody && st.SQLBody == nil:
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "no function body specified")
	}
	language, err := routineLanguage(lang)
	if err != nil {
		return nil, err
	}
	if st.Options.Window && st.Procedure {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "invalid attribute in procedure definition")
	}
	for _, text := range st.SQLBody {
		if kind, err := sqlStmtKind(text); err != nil {
			return nil, err
		} else if kind == sqlUtility {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not yet supported in unquoted SQL function body", stmtTagOf(text))
		}
	}
	schema, err := x.routineSchema(st.Schema, st.Name, st.Pos)
	if err != nil {
		return nil, err
	}
	b := &binder{s: s, snap: x.snap}
	// A SQL-standard body is bound once, as PostgreSQL stores it parsed:
	// the relations it names by bare name are stored with the schema the
	// search path finds now.
	sqlBody := slices.Clone(st.SQLBody)
	for i, text := range sqlBody {
		if q, ok := parser.QualifyRelationsBy(text, func(name string) string {
			d, _, err := s.lookupRel(x.snap, name)
			if err != nil || d == nil || d.Temp() {
				return ""
			}
			return d.SchemaName()
		}); ok {
			sqlBody[i] = q
		}
	}
	desc := &catalog.FuncDesc{Schema: schema, Name: st.Name, Kind: catalog.KindFunc, Language: lang,
		Body: st.Body, SQLBody: sqlBody, StdBody: st.SQLBody != nil, Return: st.Return, Returns: st.ReturnStmts, Volatility: "v", Parallel: "u", Cost: 100}
	if lang != "sql" {
		desc.Cost = 100
	}
	if st.Procedure {
		desc.Kind = catalog.KindProcedure
	}
	deps := map[uint32]bool{}
	seenNames := map[string]bool{}
	haveDefault := false
	var outs []catalog.FuncArg
	for i, prm := range st.Params {
		if st.SQLBody != nil && isPolymorphicName(prm.Type) {
			// Parsed at CREATE, such a body has no types for them.
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "SQL function with unquoted function body cannot have polymorphic arguments")
		}
		t, err := b.declaredRoutineType(x, prm.Type, deps)
		if err != nil {
			return nil, err
		}
		if err := b.checkTypeNameUsage(prm.Type); err != nil {
			return nil, err
		}
		a := catalog.FuncArg{Name: prm.Name, Type: t, Mode: prm.Mode}
		if prm.Name != "" {
			if seenNames[prm.Name] && !(prm.Mode == ast.ParamOut && st.Params[slices.IndexFunc(st.Params, func(q ast.FuncParam) bool { return q.Name == prm.Name })].Mode == ast.ParamIn) {
				return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "parameter name \"%s\" used more than once", prm.Name)
			}
			seenNames[prm.Name] = true
		}
		if prm.Mode == ast.ParamVariadic {
			if _, ok := t.Elem(); !ok {
				return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "VARIADIC parameter must be an array")
			}
			for _, q := range st.Params[i+1:] {
				if q.Mode != ast.ParamOut && q.Mode != ast.ParamTable {
					return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "VARIADIC parameter must be the last input parameter")
				}
			}
		}
		if prm.Default != nil {
			if prm.Mode == ast.ParamOut || prm.Mode == ast.ParamTable {
				return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "only input parameters can have default values")
			}
			if err := b.checkParamDefault(prm.Default, t); err != nil {
				return nil, err
			}
			a.Default = prm.DefaultSQL
			haveDefault = true
		} else if haveDefault && a.IsInput() {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "input parameters after one with a default value must also have defaults")
		} else if haveDefault && st.Procedure && prm.Mode == ast.ParamOut {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "procedure OUT parameters cannot appear after one with a default value")
		}
		if st.Procedure && prm.Mode == ast.ParamOut && i > 0 && st.Params[i-1].Mode == ast.ParamVariadic {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "VARIADIC parameter must be the last parameter")
		}
		if t.ID == types.Trigger {
			return nil, triggerArgumentError(lang)
		}
		if t.ID == types.Void && prm.Mode != ast.ParamOut {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "SQL functions cannot have arguments of type void")
		}
		desc.Args = append(desc.Args, a)
		if a.IsOutput() {
			outs = append(outs, a)
		}
	}
	if len(desc.InputArgs()) > funcArgsMax {
		return nil, pgerr.New(pgerr.TooManyArguments, "functions cannot have more than %d arguments", funcArgsMax)
	}
	switch {
	case st.Procedure:
		if st.Returns != nil {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "procedure cannot have a return type")
		}
		desc.Result = types.New(types.Void)
		if len(outs) > 0 {
			desc.Result = types.New(types.Record)
		}
	case st.Returns == nil:
		switch len(outs) {
		case 0:
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "function result type must be specified")
		case 1:
			desc.Result = outs[0].Type
		default:
			desc.Result = types.New(types.Record)
		}
	default:
		t, err := b.declaredRoutineType(x, *st.Returns, deps)
		if err != nil {
			return nil, err
		}
		if err := b.checkTypeNameUsage(*st.Returns); err != nil {
			return nil, err
		}
		desc.Result, desc.SetOf = t, st.SetOf
		if t.ID == types.Trigger {
			if err := checkTriggerResult(lang, st.SetOf); err != nil {
				return nil, err
			}
		}
		isTable := len(outs) > 0 && outs[0].Mode == ast.ParamTable
		switch {
		case isTable && len(outs) == 1:
			desc.Result = outs[0].Type
		case isTable:
		case len(outs) == 1 && outs[0].Type.ID != t.ID:
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "function result type must be %s because of OUT parameters", routineTypeName(outs[0].Type))
		case len(outs) > 1 && t.ID != types.Record:
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "function result type must be record because of OUT parameters")
		}
	}
	if err := checkPolymorphicSignature(desc); err != nil {
		return nil, err
	}
	if err := applyFuncOptions(desc, &st.Options, s); err != nil {
		return nil, err
	}
	for oid := range deps {
		desc.Deps = append(desc.Deps, oid)
	}
	slices.Sort(desc.Deps)
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	cur, _ := s.currentRoleOID(g)
	desc.Owner = cur
	existing, err := x.s.lookupRoutineExact(x.snap, schema, st.Name, desc.InputTypes())
	if err != nil {
		return nil, err
	}
	if st.Options.Window {
		if existing.FuncDesc != nil && st.Replace {
			return nil, pgerr.New(pgerr.WrongObjectType, "cannot change routine kind").WithDetail("\"" + st.Name + "\" is a function.")
		}
		return nil, pgerr.New(pgerr.FeatureNotSupported, "window functions in LANGUAGE %s are not supported", lang)
	}
	if desc.Leakproof && !g.super(cur) {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "only superuser can define a leakproof function")
	}
	if existing.FuncDesc != nil {
		if !st.Replace {
			return nil, pgerr.New(pgerr.DuplicateFunction, "%s \"%s\" already exists with same argument types", what, st.Name)
		}
		if err := checkReplace(existing.FuncDesc, desc); err != nil {
			return nil, err
		}
		if !g.isMemberOf(cur, existing.Owner) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be owner of %s %s", kindWord(existing.FuncDesc), st.Name)
		}
		desc.OID, desc.Owner, desc.ACL, desc.HasACL, desc.Comment = existing.OID, existing.Owner, existing.ACL, existing.HasACL, existing.Comment
	} else {
		oid, err := s.e.tm.NextOID()
		if err != nil {
			return nil, err
		}
		desc.OID = oid
	}
	if existing.FuncDesc != nil {
		err = s.e.cat.ReplaceFunction(x.op(), x.later().op(), existing.ID, desc)
	} else {
		err = s.e.cat.CreateFunction(x.op(), desc)
	}
	if err != nil {
		return nil, err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	if s.settings["check_function_bodies"] != "off" {
		// As ProcedureCreate, the routine is stored before its body is
		// validated, so that the body may call it (recursion); a body
		// that fails fails the statement, and its transaction.
		rt := &sessionRuntime{x: x.later(), volatile: false}
		err := language.Validate(rt, routineOf(desc))
		// What validating warned (plpgsql.extra_warnings) is the
		// statement's.
		x.notices = rt.x.notices
		if err != nil {
			return nil, bodyError(err, "SQL function \""+desc.Name+"\"")
		}
	}
	return &Result{Tag: st.Tag()}, nil
}

// routineType resolves a parameter's or result's type, noting the user
// types it names in deps.
func (b *binder) routineType(tn ast.TypeName, deps map[uint32]bool) (types.T, error) {
	if len(tn.TypeOf) > 0 {
		t, _, err := b.columnTypeRef(tn)
		return t, err
	}
	switch tn.Name {
	case "void":
		if !tn.Array {
			return types.New(types.Void), nil
		}
	case "record":
		if !tn.Array {
			return types.New(types.Record), nil
		}
	case "trigger":
		if !tn.Array && (tn.Schema == "" || tn.Schema == "pg_catalog") {
			return types.New(types.Trigger), nil
		}
	}
	if tn.Schema != "" {
		// A relation's row type named with its schema.
		q := tn
		q.Name = parser.QualifiedName(tn.Schema, tn.Name)
		if t, ok, err := b.relationRowType(q); err != nil || ok {
			if ok {
				deps[compositeOID(t)] = true
			}
			return t, err
		}
	}
	if !tn.Array && tn.Schema == "" && (tn.Name == "name" || tn.Name == "char") {
		// The catalog types a column may also have: name and "char" (an
		// unquoted char arrives as bpchar).
		return resolveColumnType(tn)
	}
	t, dom, err := b.resolveType(tn)
	if err != nil {
		return types.T{}, err
	}
	if dom != nil {
		deps[dom.ID] = true
		return t, nil
	}
	if t.IsUser() {
		id := t.ID
		if elem, ok := t.Elem(); ok {
			id = elem.ID
		}
		deps[uint32(id)&^uint32(types.UserArrayBit)] = true
	}
	if c := compositeOID(t); c != 0 {
		deps[c] = true
	}
	return t, nil
}

// checkParamDefault binds a parameter's DEFAULT, which may name no
// column and must convert to the parameter's type.
func (b *binder) checkParamDefault(e ast.Expr, t types.T) error {
	bound, err := b.bindExpr(e, &scope{})
	if err != nil {
		if pgerr.Code(err) == pgerr.UndefinedColumn {
			return pgerr.New(pgerr.InvalidColumnReference, "cannot use table references in parameter default value")
		}
		return err
	}
	if !assignable(bound.Type(), t) && !types.ImplicitCast(bound.Type().ID, t.ID) {
		return pgerr.New(pgerr.DatatypeMismatch, "argument of DEFAULT must be type %s, not type %s", routineTypeName(t), routineTypeName(bound.Type()))
	}
	return nil
}

// applyFuncOptions sets the clauses of CREATE or ALTER FUNCTION on desc.
func applyFuncOptions(desc *catalog.FuncDesc, o *ast.FuncOptions, s *Session) error {
	if desc.Kind == catalog.KindProcedure && (o.Volatility != nil || o.Strict != nil || o.Leakproof != nil || o.Parallel != nil || o.Rows != nil) {
		return pgerr.New(pgerr.InvalidFunctionDefinition, "invalid attribute in procedure definition")
	}
	if o.Volatility != nil {
		desc.Volatility = *o.Volatility
	}
	if o.Strict != nil {
		desc.Strict = *o.Strict
	}
	if o.SecDef != nil {
		desc.SecDef = *o.SecDef
	}
	if o.Leakproof != nil {
		desc.Leakproof = *o.Leakproof
	}
	if o.Parallel != nil {
		desc.Parallel = *o.Parallel
	}
	if o.Cost != nil {
		desc.Cost = *o.Cost
	}
	if o.Rows != nil {
		if !desc.SetOf {
			return pgerr.New(pgerr.InvalidParameterValue, "ROWS is not applicable when function does not return a set")
		}
		desc.Rows = *o.Rows
	}
	if desc.SetOf && desc.Rows == 0 {
		desc.Rows = 1000
	}
	for _, r := range o.Reset {
		if r == "all" {
			desc.Config = nil
			continue
		}
		desc.Config = slices.DeleteFunc(desc.Config, func(c string) bool { return strings.HasPrefix(c, r+"=") })
	}
	for _, set := range o.Set {
		value := set.Value
		if set.FromCurrent {
			value = s.settings[set.Name]
		}
		if _, ok := settingsTable[set.Name]; !ok && !strings.Contains(set.Name, ".") {
			return pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", set.Name)
		}
		desc.Config = slices.DeleteFunc(desc.Config, func(c string) bool { return strings.HasPrefix(c, set.Name+"=") })
		desc.Config = append(desc.Config, set.Name+"="+value)
	}
	return nil
}

// checkReplace refuses the changes CREATE OR REPLACE may not make.
func checkReplace(old, nw *catalog.FuncDesc) error {
	if old.Kind != nw.Kind {
		switch old.Kind {
		case catalog.KindProcedure:
			return pgerr.New(pgerr.WrongObjectType, "cannot change routine kind").WithDetail("\"" + old.Name + "\" is a procedure.")
		case catalog.KindAggregate:
			return pgerr.New(pgerr.WrongObjectType, "cannot change routine kind").WithDetail("\"" + old.Name + "\" is an aggregate function.")
		}
		return pgerr.New(pgerr.WrongObjectType, "cannot change routine kind").WithDetail("\"" + old.Name + "\" is a function.")
	}
	sig := routineSigText(old, false)
	if old.Result.ID != nw.Result.ID || old.SetOf != nw.SetOf {
		return pgerr.New(pgerr.InvalidFunctionDefinition, "cannot change return type of existing function").
			WithHint("Use DROP " + strings.ToUpper(kindWord(old)) + " " + sig + " first.")
	}
	if old.Result.ID == types.Record && !slices.EqualFunc(old.OutputArgs(), nw.OutputArgs(), func(a, b catalog.FuncArg) bool { return a.Name == b.Name && a.Type.ID == b.Type.ID }) {
		return pgerr.New(pgerr.InvalidFunctionDefinition, "cannot change return type of existing function").
			WithDetail("Row type defined by OUT parameters is different.").
			WithHint("Use DROP " + strings.ToUpper(kindWord(old)) + " " + sig + " first.")
	}
	oldIn, newIn := old.InputArgs(), nw.InputArgs()
	for i := range oldIn {
		if oldIn[i].Name != "" && oldIn[i].Name != newIn[i].Name {
			return pgerr.New(pgerr.InvalidFunctionDefinition, "cannot change name of input parameter \"%s\"", oldIn[i].Name).
				WithHint("Use DROP " + strings.ToUpper(kindWord(old)) + " " + sig + " first.")
		}
	}
	if nw.NumDefaults() < old.NumDefaults() {
		return pgerr.New(pgerr.InvalidFunctionDefinition, "cannot remove parameter defaults from existing function").
			WithHint("Use DROP " + strings.ToUpper(kindWord(old)) + " " + sig + " first.")
	}
	return nil
}

// kindWord is "function", "procedure" or "aggregate".
func kindWord(d *catalog.FuncDesc) string {
	switch d.Kind {
	case catalog.KindProcedure:
		return "procedure"
	case catalog.KindAggregate:
		return "aggregate"
	}
	return "function"
}

// routineOf is what a language sees of desc.
func routineOf(d *catalog.FuncDesc) *Routine {
	r := &Routine{OID: d.OID, Schema: d.Schema, Name: d.Name, Procedure: d.Kind == catalog.KindProcedure, Language: d.Language,
		Result: d.Result, ReturnsSet: d.SetOf, Volatility: d.Volatility, Strict: d.Strict, Body: d.Body, SQLBody: d.SQLBody}
	if d.StdBody && r.SQLBody == nil {
		r.SQLBody = []string{}
	}
	for _, a := range d.Args {
		r.Params = append(r.Params, RoutineParam{Name: a.Name, Type: a.Type, Mode: a.Mode})
	}
	r.ResultColumns = routineResultColumns(d)
	return r
}

// routineResultColumns are the columns of a routine's row result; nil
// for a scalar one.
func routineResultColumns(d *catalog.FuncDesc) []Column {
	outs := d.OutputArgs()
	if len(outs) > 1 || d.Kind == catalog.KindProcedure && len(outs) > 0 {
		cols := make([]Column, len(outs))
		for i, a := range outs {
			name := a.Name
			if name == "" {
				name = "column" + itoa(i+1)
			}
			cols[i] = Column{Name: name, Type: a.Type}
		}
		return cols
	}
	if len(outs) == 0 && d.Result.Shape != nil && d.Result.ID == types.Record && !d.Result.IsArray() {
		sh := d.Result.Shape
		cols := make([]Column, len(sh.Names))
		for i := range sh.Names {
			cols[i] = Column{Name: sh.Names[i], Type: sh.Types[i]}
		}
		return cols
	}
	return nil
}

// bodyError is an error from a routine's body: its position, which
// counts in the body, not in the statement, is dropped, and where says
// where it arose (PostgreSQL's CONTEXT) when nothing deeper did.
func bodyError(err error, where string) error {
	pe := pgerr.Find(err)
	if pe == nil {
		return err
	}
	c := *pe
	c.Position = 0
	if c.Where == "" {
		c.Where = where
	}
	return &c
}

// stmtTagOf is the command tag of the statement text holds.
func stmtTagOf(text string) string {
	stmts, _, err := parser.ParseStatements(context.Background(), text, parser.Config{})
	if err != nil || len(stmts) == 0 {
		return "this statement"
	}
	return stmts[0].Stmt.Tag()
}

// routineSchema is the schema a new routine named name goes to: schema
// when given (which must exist and not be a temporary one), else the
// first of the search path; the current role must be allowed to create
// in it.
func (x *execCtx) routineSchema(schema, name string, pos int32) (string, error) {
	s := x.s
	if schema == "" {
		var err error
		if schema, err = x.creationSchema(&ast.TableRef{Name: name, Pos: pos}); err != nil {
			return "", err
		}
	} else if schema != "pg_temp" && !catalog.IsTempSchema(schema) {
		ok, err := s.schemaExists(x.snap, schema)
		if err != nil {
			return "", err
		}
		if !ok {
			if schema == "pg_catalog" {
				return "", pgerr.New(pgerr.InsufficientPrivilege, "permission denied for schema pg_catalog")
			}
			return "", pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", schema)
		}
	}
	if schema == "" {
		schema = "public"
	}
	if catalog.IsTempSchema(schema) || schema == "pg_temp" {
		return "", pgerr.New(pgerr.FeatureNotSupported, "cannot create functions in temporary schemas")
	}
	if err := x.checkCreateIn(schema); err != nil {
		return "", err
	}
	return schema, nil
}
