package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// createViewPlan stores a view: its query text and the columns it yields.
type createViewPlan struct {
	stmt *ast.CreateViewStmt
	desc *catalog.TableDesc
	// usesTemp is set when the query reads a temporary relation, which
	// makes the view temporary too.
	usesTemp bool
}

func (p *createViewPlan) columns() []Column { return nil }

func (b *binder) bindCreateView(s *ast.CreateViewStmt) (boundStmt, error) {
	// Bind the query now, to check it and learn its columns.
	saved := b.ctes
	b.ctes = nil
	b.skipRowSecurity()
	// Defining a view needs no privilege on what it reads: reading it
	// does, as its owner (PostgreSQL checks them when the view is used).
	perms := len(b.perms)
	q, err := b.bindSelect(s.Query, &scope{})
	b.perms = b.perms[:perms]
	b.ctes = saved
	if err != nil {
		return nil, err
	}
	cols := q.columns()
	if len(s.Columns) > len(cols) {
		return nil, pgerr.New(pgerr.SyntaxError, "CREATE VIEW specifies more column names than columns")
	}
	_, bare := catalog.SplitName(s.View.Name)
	desc := &catalog.TableDesc{Name: bare, View: s.QuerySQL}
	if desc.ViewOptions, err = viewOptions(s.Options); err != nil {
		return nil, err
	}
	for i, c := range cols {
		name := c.Name
		if i < len(s.Columns) {
			name = s.Columns[i]
		}
		if desc.ColumnIndex(name) >= 0 {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
		}
		if err := pseudoTypeColumn(name, c.Type); err != nil {
			return nil, err
		}
		desc.Columns = append(desc.Columns, catalog.ColumnDesc{Name: name, Type: c.Type})
	}
	usesTemp := false
	for _, t := range b.tables {
		usesTemp = usesTemp || t.Temp()
	}
	if canon, ok := b.canonicalView(desc); ok {
		desc.View = canon
	} else if q, ok := parser.QualifyRelationsBy(desc.View, func(name string) string {
		// The relations the query names by bare name are those the
		// search path finds now, as PostgreSQL binds a view once: those
		// outside public are stored with their schema.
		d, _, err := b.s.lookupRel(b.snap, name)
		if err != nil || d == nil || d.Schema == "" {
			return ""
		}
		return d.Schema
	}); ok {
		desc.View = q
	}
	return &createViewPlan{stmt: s, desc: desc, usesTemp: usesTemp}, nil
}

// canonicalView is the view's query as PostgreSQL would store it after
// analysis: * expanded to the columns it finds now, NATURAL joins
// written as the USING joins they are, every column qualified by its FROM
// item and every relation outside public by its schema (the text
// pg_get_viewdef prints without pretty). Stored so, the view keeps its
// meaning when the tables it reads gain columns. ok is false when the
// query is outside what parser.DeparseView renders, or when the rendered
// text does not bind to the same columns; the text is then stored as
// written.
func (b *binder) canonicalView(desc *catalog.TableDesc) (string, bool) {
	names := make([]string, len(desc.Columns))
	for i, c := range desc.Columns {
		names[i] = c.Name
	}
	table := func(name string) *parser.ViewTable {
		d, _, err := b.s.lookupRel(b.snap, name)
		if err != nil || d == nil {
			return nil
		}
		vt := &parser.ViewTable{Name: d.Name, Schema: d.Schema, Columns: make([]parser.ViewColumn, len(d.Columns))}
		for i, c := range d.Columns {
			vt.Columns[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
		}
		return vt
	}
	text, ok := parser.CanonicalView(desc.View, names, table)
	if !ok {
		return "", false
	}
	text = strings.TrimSuffix(text, ";")
	stmts, err := b.s.e.parseStored(text)
	if err != nil || len(stmts) != 1 {
		return "", false
	}
	q, isSelect := stmts[0].Stmt.(*ast.SelectStmt)
	if !isSelect {
		return "", false
	}
	saved, savedTables, perms := b.ctes, b.tables, len(b.perms)
	b.ctes = nil
	p, err := b.bindSelect(q, &scope{})
	// As for the query as written: defining the view checks no privilege.
	b.ctes, b.tables, b.perms = saved, savedTables, b.perms[:perms]
	if err != nil || len(p.columns()) != len(desc.Columns) {
		return "", false
	}
	for i, c := range p.columns() {
		if c.Name != desc.Columns[i].Name || !sameType(c.Type, desc.Columns[i].Type) {
			return "", false
		}
	}
	return text, true
}

func (p *createViewPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	ref := p.stmt.View
	var notices []Notice
	if p.usesTemp && !ref.Temp {
		// PostgreSQL announces the view temporary before it checks the
		// schema, so a view in a permanent schema gets the notice and then
		// the error.
		notices = append(notices, Notice{Severity: "NOTICE", Code: "00000", Message: "view \"" + p.desc.Name + "\" will be a temporary view"})
		if schema, _ := catalog.SplitName(ref.Name); schema == "" {
			ref.Temp = true
		} else if schema != "pg_temp" && !catalog.IsTempSchema(schema) {
			return nil, &noticedError{err: pgerr.New(pgerr.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema"), notices: notices}
		}
	}
	schema, _, _, err := x.creationTarget(ref)
	if err != nil {
		return nil, err
	}
	existing, id, err := e.cat.Lookup(x.snap, catalog.Key(schema, p.desc.Name))
	if err != nil {
		return nil, err
	}
	desc := *p.desc
	desc.Schema = schema
	if existing != nil {
		if !p.stmt.Replace {
			return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", p.desc.Name)
		}
		if existing.View == "" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a view", p.desc.Name)
		}
		// Like PostgreSQL, a replacement may add columns at the end but
		// not drop, rename or retype the old ones.
		if len(desc.Columns) < len(existing.Columns) {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot drop columns from view")
		}
		for i, c := range existing.Columns {
			n := desc.Columns[i]
			if n.Name != c.Name {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot change name of view column \"%s\" to \"%s\"", c.Name, n.Name)
			}
			if !sameType(n.Type, c.Type) {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot change data type of view column \"%s\" from %s to %s", c.Name, c.Type.Name(), n.Type.Name())
			}
		}
		if err := x.checkOwner(existing); err != nil {
			return nil, err
		}
		desc.ID, desc.Owner, desc.ACL, desc.HasACL = existing.ID, existing.Owner, existing.ACL, existing.HasACL
		if err := e.cat.Drop(x.op(), id); err != nil {
			return nil, err
		}
	} else if desc.ID, err = e.tm.NextOID(); err != nil {
		return nil, err
	} else if desc.Owner, err = x.newOwner(); err != nil {
		return nil, err
	} else if err := x.initialACL(&desc); err != nil {
		return nil, err
	}
	if err := e.cat.Create(x.op(), &desc); err != nil {
		return nil, err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	return &Result{Tag: "CREATE VIEW", Notices: notices}, nil
}

// bindViewRef expands a view used in FROM into its query.
func (b *binder) bindViewRef(desc *catalog.TableDesc, ref *ast.TableRef) (plan, []scopeCol, error) {
	stmts, err := b.s.e.parseStored(desc.View)
	if err != nil {
		return nil, nil, pgerr.Wrapf(err, pgerr.DataCorrupted, "view \"%s\"", desc.Name)
	}
	q, ok := stmts[0].Stmt.(*ast.SelectStmt)
	if len(stmts) != 1 || !ok {
		return nil, nil, pgerr.New(pgerr.DataCorrupted, "view \"%s\" does not hold a query", desc.Name)
	}
	if b.explain != nil {
		q = b.explain.viewQuery(desc.View, q)
	}
	saved, savedOwner := b.ctes, b.viewOwner
	b.ctes, b.viewOwner = nil, desc.OwnerOID()
	p, err := b.bindSelect(q, &scope{})
	b.ctes, b.viewOwner = saved, savedOwner
	if err != nil {
		return nil, nil, err
	}
	if len(p.columns()) < len(desc.Columns) {
		return nil, nil, pgerr.New(pgerr.DataCorrupted, "view \"%s\" yields %d columns, its definition says %d", desc.Name, len(p.columns()), len(desc.Columns))
	}
	name := ref.RelName()
	if ref.Alias != "" {
		name = ref.Alias
	}
	cols := make([]scopeCol, len(desc.Columns))
	for i, c := range desc.Columns {
		cols[i] = scopeCol{table: name, name: c.Name, t: p.columns()[i].Type}
	}
	if err := renameColumns(cols, name, ref.Columns); err != nil {
		return nil, nil, err
	}
	return p, cols, nil
}

// notATable rejects writes to a view.
func notATable(desc *catalog.TableDesc, verb string) error {
	if desc.Sequence != nil {
		return pgerr.New(pgerr.WrongObjectType, "cannot change sequence \"%s\"", desc.Name)
	}
	if desc.View == "" {
		return nil
	}
	return pgerr.New(pgerr.FeatureNotSupported, "cannot %s view \"%s\"", verb, desc.Name).
		WithDetail("Views are read-only in cairn.")
}

// viewOptions checks CREATE VIEW's WITH (...) options as PostgreSQL's
// reloptions parser does and returns them as pg_class.reloptions lists
// them: security_barrier and security_invoker, booleans (true when no
// value is written). check_option asks for checks cairn does not make.
func viewOptions(opts []ast.ViewOption) ([]string, error) {
	var out []string
	seen := make(map[string]bool)
	for _, o := range opts {
		name := strings.ToLower(o.Name)
		switch name {
		case "security_barrier", "security_invoker":
		case "check_option":
			return nil, pgerr.New(pgerr.FeatureNotSupported, "WITH CHECK OPTION is not supported").WithPosition(o.Pos)
		default:
			return nil, pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter \"%s\"", o.Name)
		}
		if seen[name] {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" specified more than once", name)
		}
		seen[name] = true
		value := o.Value
		if value == "" {
			value = "true"
		} else if _, err := types.ParseText(types.New(types.Bool), value); err != nil {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid value for boolean option \"%s\": %s", name, value)
		}
		out = append(out, name+"="+value)
	}
	return out, nil
}
