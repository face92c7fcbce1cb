package catalog

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// User-defined routines in pg_proc, pg_language, pg_depend and
// pg_description, and the text pg_get_functiondef,
// pg_get_function_arguments, pg_get_function_identity_arguments and
// pg_get_function_result make of them (ruleutils.c's forms).

// FunctionReader is a Reader that knows the user-defined routines
// visible to the statement.
type FunctionReader interface {
	Reader
	Functions() ([]*FuncDesc, error)
}

// The languages pg_language lists, with PostgreSQL 15's oids.
const (
	oidCLanguage       = 13
	OIDSQLLanguage     = 14
	OIDPlpgsqlLanguage = 13563
	classPgProc        = 1255
	classPgType        = 1247
)

// LanguageOID is pg_language's oid of the language called name; 0 for
// none.
func LanguageOID(name string) int64 {
	switch name {
	case "internal":
		return oidInternalLanguage
	case "c":
		return oidCLanguage
	case "sql":
		return OIDSQLLanguage
	case "plpgsql":
		return OIDPlpgsqlLanguage
	}
	return 0
}

func languageRows(Reader) ([][]types.Datum, error) {
	owner := int64(types.OIDBootstrapSuperuser)
	return [][]types.Datum{
		{int64(oidInternalLanguage), "internal", owner, false, false, int64(0), int64(0), int64(2246), nil},
		{int64(oidCLanguage), "c", owner, false, false, int64(0), int64(0), int64(2247), nil},
		{int64(OIDSQLLanguage), "sql", owner, false, true, int64(0), int64(0), int64(2248), nil},
		{int64(OIDPlpgsqlLanguage), "plpgsql", owner, true, true, int64(13560), int64(13561), int64(13562), nil},
	}, nil
}

// userFunctions returns rd's routines, or none when rd does not know
// them.
func userFunctions(rd Reader) ([]*FuncDesc, error) {
	fr, ok := rd.(FunctionReader)
	if !ok {
		return nil, nil
	}
	return fr.Functions()
}

// userProcRows are pg_proc's rows of the user-defined routines.
func userProcRows(rd Reader) ([][]types.Datum, error) {
	fs, err := userFunctions(rd)
	if err != nil || len(fs) == 0 {
		return nil, err
	}
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, f := range fs {
		in := f.InputArgs()
		argTypes := &types.Array{Elems: make([]types.Datum, len(in))}
		for i, a := range in {
			argTypes.Elems[i] = int64(TypeOID(a.Type))
		}
		var allTypes, modes, names, defaults, sqlBody, config, src types.Datum
		if len(in) != len(f.Args) || f.Variadic() {
			at := &types.Array{}
			md := &types.Array{}
			for _, a := range f.Args {
				at.Elems = append(at.Elems, int64(TypeOID(a.Type)))
				md.Elems = append(md.Elems, a.Mode)
			}
			allTypes, modes = at, md
		}
		named := false
		nm := &types.Array{}
		for _, a := range f.Args {
			named = named || a.Name != ""
			nm.Elems = append(nm.Elems, a.Name)
		}
		if named {
			names = nm
		}
		if nd := f.NumDefaults(); nd > 0 {
			var ds []string
			for _, a := range in {
				if a.Default != "" {
					ds = append(ds, a.Default)
				}
			}
			defaults = "(" + strings.Join(ds, " ") + ")"
		}
		src = f.Body
		if f.SQLBody != nil || f.StdBody {
			src = ""
			sqlBody = f.SQLBodyText()
		}
		if len(f.Config) > 0 {
			c := &types.Array{}
			for _, s := range f.Config {
				c.Elems = append(c.Elems, s)
			}
			config = c
		}
		var variadic int64
		if f.Variadic() {
			if elem, ok := in[len(in)-1].Type.Elem(); ok {
				variadic = int64(TypeOID(elem))
			}
		}
		out = append(out, []types.Datum{int64(f.OID), f.Name, r.NamespaceOID(f.Schema), int64(f.Owner),
			LanguageOID(f.Language), f.Cost, f.Rows, variadic, noSupport,
			f.Kind, f.SecDef, f.Leakproof, f.Strict, f.SetOf,
			f.Volatility, f.Parallel, int64(len(in)), int64(f.NumDefaults()),
			int64(TypeOID(f.Result)), argTypes, allTypes, modes,
			names, defaults, nil, src,
			nil, sqlBody, config, r.ACLDatum(f.ACL, f.HasACL)})
	}
	return out, nil
}

// TypeOID is the pg_type oid of t: a composite's or row type's own oid
// for its record type.
func TypeOID(t types.T) uint32 {
	if t.ID == types.Record && t.Shape != nil && t.Shape.OID != 0 {
		return t.Shape.OID
	}
	if e, ok := t.Elem(); ok && e.ID == types.Record && e.Shape != nil && e.Shape.OID != 0 {
		return e.Shape.OID | uint32(types.UserArrayBit)
	}
	return uint32(t.ID)
}

// FormatType is format_type of t, user types by name, qualified by
// their schema when the search path does not find them.
func (r *Relations) FormatType(t types.T) string {
	if oid := TypeOID(t); oid != uint32(t.ID) || t.IsUser() {
		if name, ok := r.UserTypeName(int64(oid)); ok {
			schema := "public"
			if d, _ := r.rowTypeRelation(int64(oid)); d != nil && d.Schema != "" {
				schema = d.Schema
			}
			visible := false
			for _, s := range r.Search {
				visible = visible || s == schema
			}
			if !visible {
				name = parser.QuoteIdent(schema) + "." + name
			}
			return name
		}
		if t.Shape != nil && t.Shape.TypeName != "" {
			return parser.QuoteIdent(t.Shape.TypeName)
		}
	}
	return types.Format(t)
}

// SQLBodyText is a SQL-standard body as pg_get_function_sqlbody prints
// it: RETURN expr, or BEGIN ATOMIC with its statements.
func (f *FuncDesc) SQLBodyText() string {
	if f.Return && len(f.SQLBody) == 1 {
		var cols []parser.ViewColumn
		for _, a := range f.InputArgs() {
			if a.Name != "" {
				cols = append(cols, parser.ViewColumn{Name: a.Name, Type: a.Type})
			}
		}
		return "RETURN " + parser.DeparseCheck(strings.TrimPrefix(f.SQLBody[0], "SELECT "), cols, false)
	}
	var b strings.Builder
	b.WriteString("BEGIN ATOMIC\n")
	for i, s := range f.SQLBody {
		if slices.Contains(f.Returns, i) {
			s = "RETURN " + strings.TrimPrefix(s, "SELECT ")
		}
		b.WriteString(" " + s + ";\n")
	}
	b.WriteString("END")
	return b.String()
}

// ArgumentsText is pg_get_function_arguments (defaults set) or
// pg_get_function_identity_arguments of f.
func (r *Relations) ArgumentsText(f *FuncDesc, defaults bool) string {
	var parts []string
	for _, a := range f.Args {
		if a.Mode == "t" {
			continue
		}
		var b strings.Builder
		switch a.Mode {
		case "i":
			if f.Kind == KindProcedure {
				b.WriteString("IN ")
			}
		case "o":
			b.WriteString("OUT ")
		case "b":
			b.WriteString("INOUT ")
		case "v":
			b.WriteString("VARIADIC ")
		}
		if a.Name != "" {
			b.WriteString(parser.QuoteIdent(a.Name) + " ")
		}
		b.WriteString(r.FormatType(a.Type))
		if defaults && a.Default != "" {
			d, err := parser.DeparseDefault(a.Default, a.Type)
			if err != nil {
				d = a.Default
			}
			b.WriteString(" DEFAULT " + d)
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, ", ")
}

// ResultText is pg_get_function_result: NULL (ok false) for a procedure.
func (r *Relations) ResultText(f *FuncDesc) (string, bool) {
	if f.Kind == KindProcedure {
		return "", false
	}
	var table []string
	for _, a := range f.Args {
		if a.Mode == "t" {
			table = append(table, parser.QuoteIdent(a.Name)+" "+r.FormatType(a.Type))
		}
	}
	if table != nil {
		return "TABLE(" + strings.Join(table, ", ") + ")", true
	}
	s := r.FormatType(f.Result)
	if f.SetOf {
		s = "SETOF " + s
	}
	return s, true
}

// FunctionDef is pg_get_functiondef of f.
func (r *Relations) FunctionDef(f *FuncDesc) string {
	var b strings.Builder
	kind := "FUNCTION"
	if f.Kind == KindProcedure {
		kind = "PROCEDURE"
	}
	b.WriteString("CREATE OR REPLACE " + kind + " " + parser.QuoteIdent(f.Schema) + "." + parser.QuoteIdent(f.Name) +
		"(" + r.ArgumentsText(f, true) + ")\n")
	if res, ok := r.ResultText(f); ok {
		b.WriteString(" RETURNS " + res + "\n")
	}
	b.WriteString(" LANGUAGE " + parser.QuoteIdent(f.Language) + "\n")
	switch f.Volatility {
	case "i":
		b.WriteString(" IMMUTABLE")
	case "s":
		b.WriteString(" STABLE")
	}
	if f.Volatility != "v" {
		b.WriteString("\n")
	}
	if f.Parallel == "s" {
		b.WriteString(" PARALLEL SAFE\n")
	} else if f.Parallel == "r" {
		b.WriteString(" PARALLEL RESTRICTED\n")
	}
	if f.Strict {
		b.WriteString(" STRICT\n")
	}
	if f.SecDef {
		b.WriteString(" SECURITY DEFINER\n")
	}
	if f.Leakproof {
		b.WriteString(" LEAKPROOF\n")
	}
	if f.Cost != 100 && f.Cost != 0 {
		b.WriteString(" COST " + strconv.FormatFloat(f.Cost, 'g', -1, 64) + "\n")
	}
	if f.SetOf && f.Rows != 1000 && f.Rows != 0 {
		b.WriteString(" ROWS " + strconv.FormatFloat(f.Rows, 'g', -1, 64) + "\n")
	}
	for _, c := range f.Config {
		name, value, _ := strings.Cut(c, "=")
		b.WriteString(" SET " + name + " TO " + quoteConfigValue(name, value) + "\n")
	}
	if f.SQLBody != nil || f.StdBody {
		b.WriteString(f.SQLBodyText() + "\n")
		return b.String()
	}
	tag := "$function$"
	if f.Kind == KindProcedure {
		tag = "$procedure$"
	}
	for strings.Contains(f.Body, tag) {
		tag = "$" + tag[1:len(tag)-1] + "x$"
	}
	b.WriteString("AS " + tag + f.Body + tag + "\n")
	return b.String()
}

// quoteConfigValue quotes a SET value as pg_get_functiondef does: a
// list setting's items each, anything else as one literal.
func quoteConfigValue(name, value string) string {
	if name == "search_path" || name == "temp_tablespaces" {
		items := strings.Split(value, ",")
		for i, it := range items {
			it = strings.TrimSpace(it)
			if !strings.HasPrefix(it, `"`) {
				it = "'" + strings.ReplaceAll(it, "'", "''") + "'"
			}
			items[i] = it
		}
		return strings.Join(items, ", ")
	}
	return "'" + strings.ReplaceAll(value, "'", "''") + "'"
}

// userFunctionDependRows are pg_depend's rows of user routines: each
// depends on its schema and on the user types its arguments and result
// name (deptype n).
func userFunctionDependRows(rd Reader, r *Relations) ([][]types.Datum, error) {
	fs, err := userFunctions(rd)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	rowTypes := map[uint32]bool{}
	for _, f := range fs {
		if f.Schema != "public" {
			out = append(out, []types.Datum{int64(classPgProc), int64(f.OID), int64(0), int64(classPgNamespace), r.NamespaceOID(f.Schema), int64(0), "n"})
		}
		for _, t := range f.Deps {
			cls := int64(classPgType)
			out = append(out, []types.Datum{int64(classPgProc), int64(f.OID), int64(0), cls, int64(t), int64(0), "n"})
			if t&RowTypeBit != 0 && !rowTypes[t] {
				// A table's row type is part of the table (i), which
				// pg_dump reads to create the table first.
				rowTypes[t] = true
				out = append(out, []types.Datum{cls, int64(t), int64(0), int64(OIDPgClass), int64(t &^ RowTypeBit), int64(0), "i"})
			}
		}
	}
	return out, nil
}

// userFunctionDescriptions are pg_description's rows of commented
// routines.
func userFunctionDescriptions(rd Reader) ([][]types.Datum, error) {
	fs, err := userFunctions(rd)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, f := range fs {
		if f.Comment != "" {
			out = append(out, []types.Datum{int64(f.OID), int64(classPgProc), int64(0), f.Comment})
		}
	}
	return out, nil
}

// FunctionByOID returns rd's routine with oid, or nil.
func FunctionByOID(rd Reader, oid int64) (*FuncDesc, error) {
	fs, err := userFunctions(rd)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if int64(f.OID) == oid {
			return f, nil
		}
	}
	return nil, nil
}

// RegprocedureResolver is a Reader that reads regprocedure's input form,
// name(argument types), to a function's oid.
type RegprocedureResolver interface {
	ResolveRegprocedure(s string) (int64, error)
}

// funcRegName is regproc's (the name) or regprocedure's (name and
// argument types) output of the function with oid; ok is false for an
// oid no function has.
func funcRegName(rd Reader, id types.ID, oid int64) (string, bool) {
	if p, ok := ProcByOID(oid); ok {
		if id == types.Regproc {
			return p.Name, true
		}
		return p.Name + "(" + strings.ReplaceAll(p.Arguments(), ", ", ",") + ")", true
	}
	f, err := FunctionByOID(rd, oid)
	if err != nil || f == nil {
		return "", false
	}
	name := parser.QuoteIdent(f.Name)
	visible := false
	for _, s := range strings.Split(rd.SearchPath(), ",") {
		s = strings.Trim(strings.TrimSpace(s), `"`)
		visible = visible || s == f.Schema
	}
	if !visible {
		name = parser.QuoteIdent(f.Schema) + "." + name
	}
	if id == types.Regproc {
		return name, true
	}
	r, err := rd.Relations()
	if err != nil {
		return "", false
	}
	in := f.InputArgs()
	parts := make([]string, len(in))
	for i, a := range in {
		parts[i] = r.FormatType(a.Type)
	}
	return name + "(" + strings.Join(parts, ",") + ")", true
}

// regprocIn is regprocin: the one function called s.
func regprocIn(rd Reader, s string) (types.Datum, error) {
	parts := SplitQualifiedName(s)
	name, schema := parts[len(parts)-1], ""
	if len(parts) > 1 {
		schema = parts[len(parts)-2]
	}
	var found []int64
	if schema == "" || schema == "pg_catalog" {
		for _, p := range Procs() {
			if p.Name == name {
				found = append(found, p.OID)
			}
		}
	}
	fs, err := userFunctions(rd)
	if err != nil {
		return nil, err
	}
	path := map[string]bool{}
	for _, p := range strings.Split(rd.SearchPath(), ",") {
		path[strings.Trim(strings.TrimSpace(p), `"`)] = true
	}
	for _, f := range fs {
		if f.Name == name && (schema == f.Schema || schema == "" && path[f.Schema]) {
			found = append(found, int64(f.OID))
		}
	}
	switch len(found) {
	case 0:
		return nil, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", s)
	case 1:
		n, _ := funcRegName(rd, types.Regproc, found[0])
		return &types.RegValue{OID: found[0], Name: n}, nil
	}
	return nil, pgerr.New(pgerr.AmbiguousFunction, "more than one function named \"%s\"", s)
}

// noSupport is prosupport of a function without a support function: the
// regproc 0, which prints as "-".
var noSupport = &types.RegValue{OID: 0, Name: "-"}
