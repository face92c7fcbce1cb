package sql

import (
	"slices"

	"github.com/cairndb/cairn/sql/ast"

	"github.com/cairndb/cairn/sql/catalog"
)

// A routine with a SQL-standard body (BEGIN ATOMIC ... END, or RETURN
// expr) is parsed when it is created, and PostgreSQL records in pg_depend
// the relations its statements name: DROP TABLE refuses to drop one of
// them (2BP01), or with CASCADE drops the routine too. cairn keeps the
// body as text whose relation names were qualified at CREATE, so the
// relations are found by binding the statements again: those the
// statements name themselves (not those a view they read names).

// routineRelations returns the oids of the relations the statements of
// f's SQL-standard body name, or nil for another routine or a body that
// no longer binds.
func routineRelations(x *execCtx, f *catalog.FuncDesc) []uint32 {
	if !f.StdBody || len(f.SQLBody) == 0 {
		return nil
	}
	r := routineOf(f)
	rt := &sessionRuntime{x: x}
	params := r.InputParams()
	var out []uint32
	for _, text := range f.SQLBody {
		st, err := rt.Prepare(text, params)
		if err != nil {
			return out
		}
		rs, ok := st.(*routineStmt)
		if !ok || rs.p.binder == nil {
			continue
		}
		for _, p := range rs.p.binder.perms {
			if p.as == 0 && p.desc != nil && !slices.Contains(out, p.desc.ID) {
				out = append(out, p.desc.ID)
			}
		}
	}
	return out
}

// routinesNaming returns the routines with SQL-standard bodies that name
// one of rels, and for each the relation it names first.
func routinesNaming(x *execCtx, rels []*catalog.TableDesc) ([]catalog.FuncEntry, []*catalog.TableDesc, error) {
	all, err := x.s.e.cat.Functions(x.snap)
	if err != nil {
		return nil, nil, err
	}
	var fs []catalog.FuncEntry
	var on []*catalog.TableDesc
	for _, f := range all {
		if !f.StdBody {
			continue
		}
		names := routineRelations(x, f.FuncDesc)
	search:
		for _, id := range names {
			for _, rel := range rels {
				if rel.ID == id {
					fs, on = append(fs, f), append(on, rel)
					break search
				}
			}
		}
	}
	return fs, on, nil
}

// routineDependLine is the DETAIL line of a DROP refused because f
// names rel.
func routineDependLine(f catalog.FuncEntry, rel *catalog.TableDesc) string {
	return kindWord(f.FuncDesc) + " " + routineSigText(f.FuncDesc, false) + " depends on " + rel.Kind() + " " + rel.Name
}

// dropRoutines drops fs for a DROP ... CASCADE and returns the lines its
// notice lists ("drop cascades to function f(integer)").
func dropRoutines(x *execCtx, fs []catalog.FuncEntry) ([]string, error) {
	var lines []string
	for _, f := range fs {
		if err := x.s.e.cat.DropFunction(x.op(), f.ID); err != nil {
			return nil, err
		}
		lines = append(lines, "drop cascades to "+kindWord(f.FuncDesc)+" "+routineSigText(f.FuncDesc, false))
	}
	return lines, nil
}

// polymorphicTypes are PostgreSQL's polymorphic pseudo-types.
var polymorphicTypes = map[string]bool{
	"anyelement": true, "anyarray": true, "anynonarray": true, "anyenum": true, "anyrange": true, "anymultirange": true,
	"anycompatible": true, "anycompatiblearray": true, "anycompatiblenonarray": true, "anycompatiblerange": true,
	"anycompatiblemultirange": true,
}

// isPolymorphicName reports whether tn names a polymorphic pseudo-type.
func isPolymorphicName(tn ast.TypeName) bool {
	return !tn.Array && (tn.Schema == "" || tn.Schema == "pg_catalog") && polymorphicTypes[tn.Name]
}
