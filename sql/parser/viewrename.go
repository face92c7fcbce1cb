package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// PostgreSQL keeps a view as an analysed query whose column references
// are column numbers, so renaming a column or a table the view reads
// changes nothing in it; pg_get_viewdef then prints the new names, or the
// old ones as column aliases where a JOIN ... USING list names them. cairn
// keeps a view as SQL text (as written, or as DeparseView renders it
// without pretty, where every column is qualified by its FROM item); the
// functions here rewrite that text so that it reads the renamed object
// and means what it did.

// viewNodes walks a parsed query and collects the nodes a rename touches.
type viewNodes struct {
	rangeVars []*pg.RangeVar
	colRefs   []*pg.ColumnRef
	using     map[string]bool // names in USING lists
	ctes      map[string]bool
}

func collectViewNodes(tree *pg.ParseResult) *viewNodes {
	out := &viewNodes{using: make(map[string]bool), ctes: make(map[string]bool)}
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg.RangeVar:
			out.rangeVars = append(out.rangeVars, x)
		case *pg.ColumnRef:
			out.colRefs = append(out.colRefs, x)
		case *pg.JoinExpr:
			for _, u := range x.UsingClause {
				out.using[str(u)] = true
			}
		case *pg.CommonTableExpr:
			out.ctes[x.Ctename] = true
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.Kind() != protoreflect.MessageKind, fd.IsMap():
			case fd.IsList():
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			default:
				walk(v.Message())
			}
			return true
		})
	}
	walk(tree.ProtoReflect())
	return out
}

// rangeVarName is the relation a RangeVar names, schema-qualified when
// written so.
func rangeVarName(rv *pg.RangeVar) string {
	if rv.Schemaname != "" {
		return QualifiedName(rv.Schemaname, rv.Relname)
	}
	return rv.Relname
}

// RenameViewColumn rewrites a view's stored query for the rename of
// column old (at index col of the table's columns, whose names before the
// rename are cols) to new, in the relation isTable recognizes. A FROM
// item of the relation whose column a USING list names is given the old
// names as column aliases (as pg_get_viewdef then prints it); elsewhere
// references qualified by the item's name are renamed. ok is false when
// the text does not parse; changed when it was rewritten.
func RenameViewColumn(text string, isTable func(name string) bool, cols []string, col int, old, new string) (out string, changed, ok bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 || col < 0 || col >= len(cols) {
		return "", false, false
	}
	n := collectViewNodes(tree)
	for _, rv := range n.rangeVars {
		if rv.Schemaname == "" && n.ctes[rv.Relname] || !isTable(rangeVarName(rv)) {
			continue
		}
		if rv.Alias != nil && len(rv.Alias.Colnames) > col {
			continue // the column is reached by its alias
		}
		qual := rv.Relname
		if rv.Alias != nil {
			qual = rv.Alias.Aliasname
		}
		if n.using[old] {
			if rv.Alias == nil {
				rv.Alias = &pg.Alias{Aliasname: rv.Relname}
			}
			for i := len(rv.Alias.Colnames); i < len(cols); i++ {
				rv.Alias.Colnames = append(rv.Alias.Colnames, pg.MakeStrNode(cols[i]))
			}
			changed = true
			continue
		}
		for _, ref := range n.colRefs {
			if len(ref.Fields) == 2 && str(ref.Fields[0]) == qual && str(ref.Fields[1]) == old {
				ref.Fields[1] = pg.MakeStrNode(new)
				changed = true
			}
		}
	}
	if !changed {
		return text, false, true
	}
	out, err = Deparse(tree)
	if err != nil {
		return "", false, false
	}
	return out, true, true
}

// ExtendViewAliases rewrites a view's stored query for a column added to
// the relation isTable recognizes, which had n columns: a FROM item of the
// relation whose column aliases name all n gets one more, the new
// column's name made unique among them, so that the new column is not
// taken for an aliased one (as pg_get_viewdef then prints it).
func ExtendViewAliases(text string, isTable func(name string) bool, cols []string, name string) (out string, changed, ok bool) {
	n := len(cols)
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false, false
	}
	nodes := collectViewNodes(tree)
	for _, rv := range nodes.rangeVars {
		if rv.Schemaname == "" && nodes.ctes[rv.Relname] || !isTable(rangeVarName(rv)) {
			continue
		}
		if (rv.Alias == nil || len(rv.Alias.Colnames) == 0) && nodes.using[name] {
			// The new column has the name of a USING column, which
			// the query may take it for: the others keep theirs as
			// aliases and it gets another.
			if rv.Alias == nil {
				rv.Alias = &pg.Alias{Aliasname: rv.Relname}
			}
			for _, c := range cols {
				rv.Alias.Colnames = append(rv.Alias.Colnames, pg.MakeStrNode(c))
			}
		}
		if rv.Alias == nil || len(rv.Alias.Colnames) != n {
			continue
		}
		taken := make(map[string]bool)
		for _, c := range rv.Alias.Colnames {
			taken[str(c)] = true
		}
		for u := range nodes.using {
			taken[u] = true
		}
		rv.Alias.Colnames = append(rv.Alias.Colnames, pg.MakeStrNode(uniqueName(name, taken)))
		changed = true
	}
	if !changed {
		return text, false, true
	}
	out, err = Deparse(tree)
	if err != nil {
		return "", false, false
	}
	return out, true, true
}

// DropViewAlias rewrites a view's stored query for the drop of the
// column at index col of the relation isTable recognizes: a FROM item
// that names the column by an alias loses that alias (a view that reads
// the column by it then no longer binds, as it should not).
func DropViewAlias(text string, isTable func(name string) bool, col int) (out string, changed, ok bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false, false
	}
	nodes := collectViewNodes(tree)
	for _, rv := range nodes.rangeVars {
		if rv.Schemaname == "" && nodes.ctes[rv.Relname] || !isTable(rangeVarName(rv)) {
			continue
		}
		if rv.Alias == nil || len(rv.Alias.Colnames) <= col {
			continue
		}
		rv.Alias.Colnames = append(rv.Alias.Colnames[:col:col], rv.Alias.Colnames[col+1:]...)
		changed = true
	}
	if !changed {
		return text, false, true
	}
	out, err = Deparse(tree)
	if err != nil {
		return "", false, false
	}
	return out, true, true
}
