package catalog

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// PolicyDesc is a row security policy (pg_policy), kept in its table's
// descriptor, so that dropping the table drops it and renaming a column
// rewrites its expressions as it rewrites CHECK conditions.
type PolicyDesc struct {
	OID  uint32 `json:"oid"`
	Name string `json:"name"`
	// Command is pg_policy.polcmd: "*" (ALL), "r" (SELECT), "a"
	// (INSERT), "w" (UPDATE) or "d" (DELETE).
	Command     string `json:"cmd"`
	Restrictive bool   `json:"restrictive,omitempty"`
	// Roles are the oids of the roles it applies to; PublicOID alone
	// for PUBLIC.
	Roles []uint32 `json:"roles"`
	// Using and WithCheck are the expressions as SQL text over the
	// table's columns; "" for none.
	Using     string `json:"using,omitempty"`
	WithCheck string `json:"with_check,omitempty"`
}

// Policy returns the policy of t named name, or nil.
func (t *TableDesc) Policy(name string) *PolicyDesc {
	for i := range t.Policies {
		if t.Policies[i].Name == name {
			return &t.Policies[i]
		}
	}
	return nil
}

// PoliciesByName returns t's policies in name order, the order
// PostgreSQL applies them in (pg_policy_polrelid_polname_index); Policies
// keeps them in the order pg_policy shows them.
func (t *TableDesc) PoliciesByName() []*PolicyDesc {
	out := make([]*PolicyDesc, len(t.Policies))
	for i := range t.Policies {
		out[i] = &t.Policies[i]
	}
	slices.SortFunc(out, func(a, b *PolicyDesc) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// PolicyCommandName is the command a polcmd code names, as pg_policies
// shows it.
func PolicyCommandName(cmd string) string {
	switch cmd {
	case "r":
		return "SELECT"
	case "a":
		return "INSERT"
	case "w":
		return "UPDATE"
	case "d":
		return "DELETE"
	}
	return "ALL"
}

// policyExprDef renders a policy expression as pg_get_expr shows it
// (parser.DeparseCheck); text it cannot read is shown as stored.
func policyExprDef(t *TableDesc, text string) types.Datum {
	if text == "" {
		return nil
	}
	cols := make([]parser.ViewColumn, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
	}
	return parser.DeparseCheck(text, cols, false)
}

// policyRows is pg_policy.
func policyRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		for _, p := range t.Policies {
			roles := make([]types.Datum, len(p.Roles))
			for i, o := range p.Roles {
				roles[i] = int64(o)
			}
			out = append(out, []types.Datum{int64(p.OID), p.Name, int64(t.ID), p.Command, !p.Restrictive,
				&types.Array{Elems: roles}, policyExprDef(t, p.Using), policyExprDef(t, p.WithCheck)})
		}
	}
	return out, nil
}

// policiesViewRows is the pg_policies view.
func policiesViewRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		for _, p := range t.Policies {
			// ARRAY(SELECT rolname ... WHERE oid = ANY(polroles) ORDER BY
			// rolname), or {public} for PUBLIC.
			roles := []types.Datum{"public"}
			if len(p.Roles) != 1 || p.Roles[0] != PublicOID {
				var names []string
				for _, o := range p.Roles {
					name := types.UserName(int64(o))
					if r.RoleName != nil {
						name = r.RoleName(o)
					}
					if !slices.Contains(names, name) {
						names = append(names, name)
					}
				}
				slices.Sort(names)
				roles = roles[:0]
				for _, n := range names {
					roles = append(roles, n)
				}
			}
			perm := "PERMISSIVE"
			if p.Restrictive {
				perm = "RESTRICTIVE"
			}
			out = append(out, []types.Datum{t.SchemaName(), t.Name, p.Name, perm, &types.Array{Elems: roles},
				PolicyCommandName(p.Command), policyExprDef(t, p.Using), policyExprDef(t, p.WithCheck)})
		}
	}
	return out, nil
}

func init() {
	pgCatalog["pg_policies"] = &SystemView{Name: "pg_policies", Columns: Cols("schemaname", nameT, "tablename", nameT,
		"policyname", nameT, "permissive", textT, "roles", types.New(types.SysNameArray), "cmd", textT, "qual", textT,
		"with_check", textT), Rows: policiesViewRows}
}

// PolicyDependent is a policy of Table whose expressions read the
// relation On.
type PolicyDependent struct {
	Table, On *TableDesc
	Policy    string
}

// PolicyDependents returns the policies of tables among all (other than
// on itself and those in dropping) whose expressions read relation on,
// as PostgreSQL's dependencies of a policy on the relations its
// expressions name. parse reads stored text as statements.
func PolicyDependents(all []*TableDesc, on *TableDesc, dropping map[string]bool, parse func(text string) ([]parser.Statement, error)) []PolicyDependent {
	var out []PolicyDependent
	for _, t := range all {
		if len(t.Policies) == 0 || t.Key() == on.Key() || dropping[t.Key()] {
			continue
		}
		for _, p := range t.Policies {
			rels := make(map[string]bool)
			for _, text := range []string{p.Using, p.WithCheck} {
				if text == "" {
					continue
				}
				stmts, err := parse("SELECT " + text)
				if err != nil || len(stmts) != 1 {
					continue
				}
				if q, ok := stmts[0].Stmt.(*ast.SelectStmt); ok {
					relationsOf(q, rels)
				}
			}
			if readsRelation(rels, t, on) {
				out = append(out, PolicyDependent{Table: t, On: on, Policy: p.Name})
			}
		}
	}
	return out
}
