package sql

import (
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Row security DDL, as PostgreSQL 15 has it (policy.c, tablecmds.c):
// CREATE, ALTER and DROP POLICY and ALTER TABLE ... ENABLE, DISABLE,
// FORCE and NO FORCE ROW LEVEL SECURITY. Policies live in their table's
// descriptor (catalog.PolicyDesc), their expressions as SQL text over the
// table's columns; only the table's owner may change them. Enforcement is
// rowsecurity.go's.

// bindPolicyStmt binds the policy statements and ALTER TABLE's row
// security subcommands; ok is false for any other statement.
func (b *binder) bindPolicyStmt(st ast.Stmt) (boundStmt, bool) {
	switch x := st.(type) {
	case *ast.CreatePolicyStmt:
		return &policyPlan{create: x, table: x.Table, tag: x.Tag()}, true
	case *ast.AlterPolicyStmt:
		return &policyPlan{alter: x, table: x.Table, tag: x.Tag()}, true
	case *ast.DropPolicyStmt:
		return &policyPlan{drop: x, table: x.Table, tag: x.Tag()}, true
	}
	return nil, false
}

// policyPlan runs one of CREATE, ALTER and DROP POLICY.
type policyPlan struct {
	create *ast.CreatePolicyStmt
	alter  *ast.AlterPolicyStmt
	drop   *ast.DropPolicyStmt
	table  ast.TableRef
	tag    string
}

func (p *policyPlan) columns() []Column { return nil }

func (p *policyPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	res := &Result{Tag: p.tag}
	if c := p.create; c != nil {
		// PostgreSQL checks the command's expressions before it opens
		// the table.
		if (c.Command == "r" || c.Command == "d") && c.WithCheck != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "WITH CHECK cannot be applied to SELECT or DELETE")
		}
		if c.Command == "a" && c.Using != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "only WITH CHECK expression allowed for INSERT")
		}
	}
	var roles []uint32
	if c := p.create; c != nil {
		var err error
		if roles, err = x.policyRoles(c.Roles, res); err != nil {
			return nil, err
		}
	}
	table, tuple, err := x.lockPolicyTable(p.table, p.drop != nil && p.drop.IfExists, res)
	if table == nil {
		return res, err
	}
	updated := *table
	updated.Policies = slices.Clone(table.Policies)
	switch {
	case p.create != nil:
		c := p.create
		if table.Policy(c.Name) != nil {
			return nil, pgerr.New(pgerr.DuplicateObject, "policy \"%s\" for table \"%s\" already exists", c.Name, table.Name)
		}
		if err := x.checkPolicyExprs(table, c.Using, c.WithCheck); err != nil {
			return nil, err
		}
		oid, err := x.s.e.tm.NextOID()
		if err != nil {
			return nil, err
		}
		updated.Policies = append(updated.Policies, catalog.PolicyDesc{OID: oid, Name: c.Name, Command: c.Command,
			Restrictive: c.Restrictive, Roles: roles, Using: c.USQL, WithCheck: c.CSQL})
	case p.alter != nil:
		a := p.alter
		pol := updated.Policy(a.Name)
		if pol == nil {
			return nil, pgerr.New(pgerr.UndefinedObject, "policy \"%s\" for table \"%s\" does not exist", a.Name, table.Name)
		}
		if a.RenameTo != "" {
			if updated.Policy(a.RenameTo) != nil {
				return nil, pgerr.New(pgerr.DuplicateObject, "policy \"%s\" for table \"%s\" already exists", a.RenameTo, table.Name)
			}
			pol.Name = a.RenameTo
			moved := *pol
			updated.Policies = append(slices.DeleteFunc(updated.Policies, func(q catalog.PolicyDesc) bool { return q.Name == a.RenameTo }), moved)
			break
		}
		if (pol.Command == "r" || pol.Command == "d") && a.WithCheck != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "only USING expression allowed for SELECT, DELETE")
		}
		if pol.Command == "a" && a.Using != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "only WITH CHECK expression allowed for INSERT")
		}
		if a.Roles != nil {
			if pol.Roles, err = x.policyRoles(a.Roles, res); err != nil {
				return nil, err
			}
		}
		if err := x.checkPolicyExprs(table, a.Using, a.WithCheck); err != nil {
			return nil, err
		}
		if a.Using != nil {
			pol.Using = a.USQL
		}
		if a.WithCheck != nil {
			pol.WithCheck = a.CSQL
		}
		// pg_policy gets a new version of the row, which scans read
		// last, as PostgreSQL's heap does.
		moved := *pol
		updated.Policies = append(slices.DeleteFunc(updated.Policies, func(q catalog.PolicyDesc) bool { return q.Name == a.Name }), moved)
	default:
		d := p.drop
		i := slices.IndexFunc(updated.Policies, func(pol catalog.PolicyDesc) bool { return pol.Name == d.Name })
		if i < 0 {
			if d.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "policy \"" + d.Name + "\" for relation \"" + table.Name + "\" does not exist, skipping"})
				return res, nil
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "policy \"%s\" for table \"%s\" does not exist", d.Name, table.Name)
		}
		updated.Policies = slices.Delete(updated.Policies, i, i+1)
	}
	if len(updated.Policies) == 0 {
		updated.Policies = nil
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// lockPolicyTable finds the table a policy statement names, checks that
// the current role owns it and locks it as PostgreSQL does (ACCESS
// EXCLUSIVE). A missing table with ifExists adds the notice to res and
// returns nil.
func (x *execCtx) lockPolicyTable(ref ast.TableRef, ifExists bool, res *Result) (*catalog.TableDesc, heap.TupleID, error) {
	table, _, err := x.s.lookupRel(x.snap, ref.Name)
	if err != nil {
		return nil, heap.TupleID{}, err
	}
	if table == nil {
		if ifExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + catalog.DisplayName(ref.Name) + "\" does not exist, skipping"})
			return nil, heap.TupleID{}, nil
		}
		return nil, heap.TupleID{}, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(ref.Name)).WithPosition(ref.Pos)
	}
	if table.Kind() != "table" {
		return nil, heap.TupleID{}, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", table.Name)
	}
	if err := x.checkOwner(table); err != nil {
		return nil, heap.TupleID{}, err
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return nil, heap.TupleID{}, err
	}
	table, tuple, err := x.s.e.cat.Lookup(x.snap, table.Key())
	if err != nil {
		return nil, heap.TupleID{}, err
	}
	if table == nil {
		return nil, heap.TupleID{}, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(ref.Name))
	}
	return table, tuple, nil
}

// policyRoles resolves a policy's TO list to role oids: PUBLIC (also for
// no list) is catalog.PublicOID alone, and PUBLIC beside other roles
// ignores them with PostgreSQL's warning.
func (x *execCtx) policyRoles(specs []ast.RoleSpec, res *Result) ([]uint32, error) {
	if len(specs) == 0 {
		return []uint32{catalog.PublicOID}, nil
	}
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	var out []uint32
	public := false
	for _, spec := range specs {
		switch {
		case spec.Name == "public" && !spec.Current && !spec.Session:
			public = true
			continue
		case spec.Current:
			spec.Name = x.s.currentUser()
		case spec.Session:
			spec.Name = x.s.sessionUser()
		}
		r, ok := g.byName[spec.Name]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", spec.Name)
		}
		out = append(out, r.OID)
	}
	if public {
		if len(specs) > 1 {
			res.Notices = append(res.Notices, Notice{Severity: "WARNING", Code: pgerr.InvalidParameterValue,
				Message: "ignoring specified roles other than PUBLIC"})
		}
		return []uint32{catalog.PublicOID}, nil
	}
	return out, nil
}

// checkPolicyExprs binds a policy's expressions over table's columns as
// PostgreSQL checks them: no aggregates, window or set-returning
// functions, and of type boolean.
func (x *execCtx) checkPolicyExprs(table *catalog.TableDesc, exprs ...ast.Expr) error {
	b := &binder{s: x.s, snap: x.snap}
	// Checking an expression applies no policies: they apply when a
	// query runs.
	b.skipRowSecurity()
	for _, e := range exprs {
		if e == nil {
			continue
		}
		if _, err := b.bindPolicyExpr(table, table, e); err != nil {
			return err
		}
	}
	return nil
}

// bindPolicyExpr binds a policy expression of table policyTable over the
// columns of desc (the table itself, or a member of its inheritance
// hierarchy being written), refusing what PostgreSQL refuses in one.
func (b *binder) bindPolicyExpr(policyTable, desc *catalog.TableDesc, e ast.Expr) (expr, error) {
	var bad error
	ast.WalkExpr(e, func(n ast.Expr) bool {
		if f, ok := n.(*ast.FuncCall); ok {
			switch {
			case f.Over != nil:
				bad = pgerr.New(pgerr.WindowingError, "window functions are not allowed in policy expressions").WithPosition(f.Pos)
			case isAggregate(f.Name):
				bad = pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in policy expressions").WithPosition(f.Pos)
			case isTableFunc(f.Name):
				bad = pgerr.New(pgerr.FeatureNotSupported, "set-returning functions are not allowed in policy expressions").WithPosition(f.Pos)
			}
		}
		return bad == nil
	})
	if bad != nil {
		return nil, bad
	}
	sc := tableScope(desc, ast.TableRef{Name: policyTable.Name})
	cond, err := b.bindExpr(e, sc)
	if err != nil {
		return nil, err
	}
	return b.coerce(cond, types.New(types.Bool), "argument of POLICY", e.Position())
}

// policyRoleDependents names the policies of d that apply to role, as
// DROP ROLE's refusal lists them.
func policyRoleDependents(d *catalog.TableDesc, role uint32) []string {
	var out []string
	for _, p := range d.Policies {
		if slices.Contains(p.Roles, role) {
			out = append(out, "target of policy "+p.Name+" on table "+d.Name)
		}
	}
	return out
}

// rowSecurityPlan is ALTER TABLE ... ENABLE, DISABLE, FORCE or NO FORCE
// ROW LEVEL SECURITY.
type rowSecurityPlan struct{ stmt *ast.AlterTableStmt }

func (p *rowSecurityPlan) columns() []Column { return nil }

func (p *rowSecurityPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	table, tuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	updated := *table
	switch s.RowSecurity {
	case "enable":
		updated.RowSecurity = true
	case "disable":
		updated.RowSecurity = false
	case "force":
		updated.ForceRowSecurity = true
	default:
		updated.ForceRowSecurity = false
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// renameInPolicies rewrites the expressions of updated's policies that
// name column from to name it to, as renameInChecks does for CHECK
// conditions.
func renameInPolicies(b *binder, updated *catalog.TableDesc, from, to string) error {
	if len(updated.Policies) == 0 {
		return nil
	}
	updated.Policies = slices.Clone(updated.Policies)
	for i := range updated.Policies {
		p := &updated.Policies[i]
		for _, text := range []*string{&p.Using, &p.WithCheck} {
			if *text == "" {
				continue
			}
			out, err := renameColumnRefs(b, *text, from, to)
			if err != nil {
				return err
			}
			*text = out
		}
	}
	return nil
}

// policyUses reports whether one of p's expressions reads column.
func policyUses(b *binder, p *catalog.PolicyDesc, column string) (bool, error) {
	for _, text := range []string{p.Using, p.WithCheck} {
		if text == "" {
			continue
		}
		if uses, err := checkUses(b, text, column); err != nil || uses {
			return uses, err
		}
	}
	return false, nil
}

// dropColumnPolicies removes from updated the policies that read column,
// which DROP COLUMN is dropping: with cascade it returns their notices,
// without it refuses with 2BP01, as PostgreSQL's dependencies do.
func dropColumnPolicies(b *binder, updated *catalog.TableDesc, column string, cascade bool) ([]string, error) {
	var kept []catalog.PolicyDesc
	var notices []string
	for i := range updated.Policies {
		p := &updated.Policies[i]
		uses, err := policyUses(b, p, column)
		if err != nil {
			return nil, err
		}
		if !uses {
			kept = append(kept, *p)
			continue
		}
		if !cascade {
			return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", column, updated.Name).
				WithDetail("policy " + p.Name + " on table " + updated.Name + " depends on column " + column + " of table " + updated.Name).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		notices = append(notices, "drop cascades to policy "+p.Name+" on table "+updated.Name)
	}
	updated.Policies = kept
	return notices, nil
}

// policiesUsingColumn refuses to change the type of a column a policy
// reads, as PostgreSQL does.
func policiesUsingColumn(b *binder, table *catalog.TableDesc, column string) error {
	for i := range table.Policies {
		uses, err := policyUses(b, &table.Policies[i], column)
		if err != nil {
			return err
		}
		if uses {
			return pgerr.New(pgerr.FeatureNotSupported, "cannot alter type of a column used in a policy definition").
				WithDetail("policy " + table.Policies[i].Name + " on table " + table.Name + " depends on column \"" + column + "\"")
		}
	}
	return nil
}

// policyDropDependents lists the policies that read desc, which DROP is
// removing, or one of the views views that go with it: those on views
// first, in order, then those on desc.
func policyDropDependents(all []*catalog.TableDesc, desc *catalog.TableDesc, views []catalog.Dependency, dropping map[string]bool,
	parse func(string) ([]parser.Statement, error)) []catalog.PolicyDependent {
	var out []catalog.PolicyDependent
	seen := make(map[string]bool)
	add := func(deps []catalog.PolicyDependent) {
		for _, d := range deps {
			k := d.Table.Key() + "\x00" + d.Policy
			if !seen[k] {
				seen[k] = true
				out = append(out, d)
			}
		}
	}
	for _, v := range views {
		add(catalog.PolicyDependents(all, v.View, dropping, parse))
	}
	add(catalog.PolicyDependents(all, desc, dropping, parse))
	return out
}

// dropDependentPolicies removes the policies DROP ... CASCADE takes with
// the relations they read, one new descriptor per table, and returns
// its notice lines.
func dropDependentPolicies(x *execCtx, pols []catalog.PolicyDependent) ([]string, error) {
	var lines []string
	byTable := make(map[string][]string)
	var order []*catalog.TableDesc
	for _, p := range pols {
		if byTable[p.Table.Key()] == nil {
			order = append(order, p.Table)
		}
		byTable[p.Table.Key()] = append(byTable[p.Table.Key()], p.Policy)
		lines = append(lines, "drop cascades to policy "+p.Policy+" on table "+p.Table.Name)
	}
	for _, t := range order {
		// A later command of the statement, which sees what the DROP
		// changed in the table before (its foreign keys, its parents).
		l := x.later()
		table, tuple, err := x.s.e.cat.Lookup(l.snap, t.Key())
		if err != nil {
			return nil, err
		}
		if table == nil {
			continue
		}
		names := byTable[t.Key()]
		updated := *table
		updated.Policies = slices.DeleteFunc(slices.Clone(table.Policies), func(q catalog.PolicyDesc) bool { return slices.Contains(names, q.Name) })
		if len(updated.Policies) == 0 {
			updated.Policies = nil
		}
		if err := replaceTableDesc(l, tuple, &updated); err != nil {
			return nil, err
		}
	}
	return lines, nil
}
