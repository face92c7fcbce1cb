package sql

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/txn"
)

// rowParamDecls declares, at the start of body's outermost block, a
// variable of the parameter's composite type for each named input
// parameter of r whose type is a composite type, and assigns it the
// parameter's value first thing after the block's BEGIN (a record's
// declared default does not survive pg_query's tree).
// pg_query's PL/pgSQL grammar gives parameters no type, so it refuses
// p.f := v for such a parameter, which PostgreSQL accepts (the parameter
// is a row variable there). The variable shadows the parameter and holds
// its value; rowTypedDecls then declares it a record of the type. Only a
// type whose name resolves to the parameter's type in the session is
// used, so a name the session cannot see leaves the parameter as it was.
// The declaration is written on the body's first line, so line numbers
// stay as written. It returns the body and the names it declared.
func rowParamDecls(s *Session, snap txn.Snapshot, r *Routine, body string) (string, []string) {
	var decl, init strings.Builder
	var names []string
	declared := plpgsql.OuterDeclarations(body)
	b := &binder{s: s, snap: snap}
	n := 0
	for _, p := range r.Params {
		if p.Mode == "o" || p.Mode == "t" {
			continue
		}
		n++
		if p.Mode != "i" || p.Name == "" || !p.Type.IsComposite() || p.Type.Shape == nil || p.Type.Shape.TypeName == "" ||
			slices.Contains(declared, strings.ToLower(p.Name)) {
			continue
		}
		typeName := p.Type.Shape.TypeName
		t, _, err := b.resolveType(ast.TypeName{Name: typeName})
		if err != nil || t.Shape == nil || t.Shape.OID != p.Type.Shape.OID {
			continue
		}
		decl.WriteString("DECLARE " + parser.QuoteIdent(p.Name) + " " + parser.QuoteIdent(typeName) + "; ")
		init.WriteString(" " + parser.QuoteIdent(p.Name) + " := $" + strconv.Itoa(n) + ";")
		names = append(names, p.Name)
	}
	begin := plpgsql.OuterBegin(body)
	if decl.Len() == 0 || begin < 0 {
		return body, nil
	}
	at := blockStart(body)
	return body[:at] + decl.String() + body[at:begin] + init.String() + body[begin:], names
}
