package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// RenameRelationIn returns a stored query's text (a view's) with every
// relation it names that refers recognizes renamed to newName, and whether
// it could. PostgreSQL's views hold relations by oid and so follow a
// renamed table; cairn stores the query's text and rewrites it. A renamed
// reference without an alias is given the old name as its alias, so that
// columns qualified with that name still resolve. Names of WITH queries
// are left alone. The text is deparsed only when a name changed.
func RenameRelationIn(text string, refers func(schema, name string) bool, newName string) (string, bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	ctes := make(map[string]bool)
	var rangeVars []*pg.RangeVar
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg.RangeVar:
			rangeVars = append(rangeVars, x)
		case *pg.CommonTableExpr:
			ctes[x.Ctename] = true
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
	changed := false
	for _, rv := range rangeVars {
		if rv.Schemaname == "" && ctes[rv.Relname] || !refers(rv.Schemaname, rv.Relname) {
			continue
		}
		if rv.Alias == nil {
			rv.Alias = &pg.Alias{Aliasname: rv.Relname}
		}
		rv.Relname, changed = newName, true
	}
	if !changed {
		return text, true
	}
	out, err := Deparse(tree)
	if err != nil {
		return "", false
	}
	return out, true
}
