package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// WITH queries are bound where they are referenced, like a subquery in
// FROM: each reference binds and runs the query again. Without volatile
// functions that gives the same rows as PostgreSQL, which computes a query
// referenced more than once a single time.

// cteEnv is the list of WITH queries in view, innermost first. Each entry
// also records what its own body sees: the queries defined before it,
// never itself, since WITH RECURSIVE is not supported.
type cteEnv struct {
	def    *ast.CTE
	parent *cteEnv
}

// pushWith brings q's WITH queries into view and returns the environment
// to restore when q is bound.
func (b *binder) pushWith(q *ast.SelectStmt) (*cteEnv, error) {
	saved := b.ctes
	for i, c := range q.With {
		for _, prev := range q.With[:i] {
			if prev.Name == c.Name {
				return nil, pgerr.New(duplicateAlias, "WITH query name \"%s\" specified more than once", c.Name).WithPosition(c.Pos)
			}
		}
		b.ctes = &cteEnv{def: c, parent: b.ctes}
	}
	return saved, nil
}

func (b *binder) lookupCTE(name string) *cteEnv {
	for e := b.ctes; e != nil; e = e.parent {
		if e.def.Name == name {
			return e
		}
	}
	return nil
}

// bindCTERef binds a FROM reference to a WITH query.
func (b *binder) bindCTERef(e *cteEnv, ref *ast.TableRef) (plan, []scopeCol, error) {
	saved := b.ctes
	b.ctes = e.parent
	// The body cannot see the referencing query's columns.
	p, err := b.bindSelect(e.def.Query, &scope{})
	b.ctes = saved
	if err != nil {
		return nil, nil, err
	}
	name := ref.Name
	if ref.Alias != "" {
		name = ref.Alias
	}
	cols := make([]scopeCol, len(p.columns()))
	for i, c := range p.columns() {
		cols[i] = scopeCol{table: name, name: c.Name, t: c.Type}
	}
	if len(e.def.Columns) > len(cols) {
		return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "WITH query \"%s\" has %d columns available but %d columns specified", e.def.Name, len(cols), len(e.def.Columns)).WithPosition(e.def.Pos)
	}
	for i, n := range e.def.Columns {
		cols[i].name = n
	}
	if err := renameColumns(cols, name, ref.Columns); err != nil {
		return nil, nil, err
	}
	return p, cols, nil
}
