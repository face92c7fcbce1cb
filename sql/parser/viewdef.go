package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cairndb/cairn/sql/types"
)

// ViewTable is what rendering a view's query needs of a relation the
// query reads: its name and its columns.
type ViewTable struct {
	Name    string
	Columns []ViewColumn
	// Schema, when set, qualifies the name in FROM: the search path does
	// not find the relation unqualified.
	Schema string
}

// ViewColumn is one column of a ViewTable.
type ViewColumn struct {
	Name string
	Type types.T
}

// column is the index of the column named name, or -1.
func (t *ViewTable) column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// QualifyRelations returns the stored query text with every relation it
// names without a schema, and that isRelation recognizes, written as
// schema.name, and whether it could: what pg_get_viewdef prints for a
// query DeparseView does not render, when the search path would not find
// the relations unqualified. Names of WITH queries are left alone.
func QualifyRelations(text, schema string, isRelation func(name string) bool) (string, bool) {
	return QualifyRelationsBy(text, func(name string) string {
		if isRelation(name) {
			return schema
		}
		return ""
	})
}

// relationRefs returns the relations a parse tree names (its RangeVars,
// to be rewritten in place) and the names of its WITH queries.
func relationRefs(tree *pg.ParseResult) ([]*pg.RangeVar, map[string]bool) {
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
		// Fields in their declared order: Range's order is undefined
		// (protobuf-go varies it from one binary to another), and the
		// relations are returned in the order the walk meets them.
		fields := m.Descriptor().Fields()
		for i := 0; i < fields.Len(); i++ {
			fd := fields.Get(i)
			if fd.Kind() != protoreflect.MessageKind || fd.IsMap() || !m.Has(fd) {
				continue
			}
			v := m.Get(fd)
			if fd.IsList() {
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
				continue
			}
			walk(v.Message())
		}
	}
	walk(tree.ProtoReflect())
	return rangeVars, ctes
}

// QualifyRelationsBy returns the stored query text with every relation it
// names without a schema written as schemaOf(name).name, or left bare
// when schemaOf returns "", and whether it could. Names of WITH queries
// are left alone. The text is deparsed only when a name was qualified.
func QualifyRelationsBy(text string, schemaOf func(name string) string) (string, bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	rangeVars, ctes := relationRefs(tree)
	changed := false
	for _, rv := range rangeVars {
		if rv.Schemaname == "" && !ctes[rv.Relname] {
			if s := schemaOf(rv.Relname); s != "" {
				rv.Schemaname, changed = s, true
			}
		}
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
