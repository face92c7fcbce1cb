package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Row security, as PostgreSQL 15 enforces it (rowsecurity.c,
// nodeModifyTable.c). A table with relrowsecurity set is subject to its
// policies (policy.go) unless the role the statement runs as for it (the
// current role, or inside a view the view's owner) is a superuser, has
// BYPASSRLS, or holds the owner's privileges and the table does not
// FORCE row security. Under row_security = off such a statement fails
// with 42501 instead.
//
// The policies that apply to a command are those for it or for ALL whose
// roles the role has the privileges of (or PUBLIC). Their USING
// expressions filter the rows SELECT, UPDATE and DELETE read: permissive
// ones OR-ed, restrictive ones AND-ed with them, and no row at all when no
// permissive policy applies. The filter is evaluated before any condition
// of the statement's own (a security barrier). UPDATE and DELETE also
// filter by the SELECT policies when they read the table's columns (in
// WHERE, SET or RETURNING). New rows of INSERT and UPDATE are checked
// against WITH CHECK (or USING when a policy has none), failing with
// 42501; INSERT ... RETURNING and UPDATE that read columns check new rows
// against the SELECT policies' USING too, and INSERT ... ON CONFLICT DO
// UPDATE checks the existing row against the UPDATE and SELECT policies'
// USING. MERGE filters its target by the SELECT policies and checks the
// rows it updates or deletes against those commands' USING expressions
// (42501 "target row violates ..."), and the rows it writes as INSERT
// and UPDATE do. Foreign key checks and cascades read and write without policies,
// as PostgreSQL runs them as the table's owner. Policies are bound into
// the plan for the role the statement was bound for: a prepared
// statement binds again when the role, the catalog or row_security
// changes.

// Policy command codes, as pg_policy.polcmd.
const (
	polSelect = "r"
	polInsert = "a"
	polUpdate = "w"
	polDelete = "d"
)

// rlsState is what the binder keeps while binding policies.
type rlsState struct {
	g *roleGraph
	// expanding are the tables whose policies are being bound, to refuse
	// a policy that reads its own table through another policy.
	expanding map[uint32]bool
	// skip is set while a query is bound only to be checked (CREATE
	// VIEW): PostgreSQL applies policies when a query runs, not when a
	// view is defined.
	skip bool
}

// skipRowSecurity makes the binder bind queries without their policies.
func (b *binder) skipRowSecurity() {
	if b.rls == nil {
		b.rls = &rlsState{expanding: make(map[uint32]bool)}
	}
	b.rls.skip = true
}

// rlsCheck is a check a new (or, for ON CONFLICT, existing) row must
// pass: PostgreSQL's WithCheckOption of kind WCO_RLS_*. policy names a
// restrictive policy, "" for the OR of the permissive ones.
type rlsCheck struct {
	cond     expr
	policy   string
	conflict bool
	// target marks MERGE's check of the row it updates or deletes.
	target bool
}

// rowSecurity holds the checks of a statement that writes a table under
// row security: checks for the rows INSERT or UPDATE write, and for
// INSERT ... ON CONFLICT DO UPDATE conflict (the existing row) and
// conflictNew (the row it becomes).
//
// MERGE's are checks for the rows WHEN NOT MATCHED inserts, mergeUpdate
// and mergeDelete for the target rows WHEN MATCHED updates or deletes,
// and mergeUpdateNew for the rows those updates write.
type rowSecurity struct {
	table                                    *catalog.TableDesc
	checks, conflict, conflictNew            []rlsCheck
	mergeUpdate, mergeDelete, mergeUpdateNew []rlsCheck
}

// rlsGraph is the role graph the binder's policies are decided with.
func (b *binder) rlsGraph() (*roleGraph, error) {
	if b.rls == nil {
		b.rls = &rlsState{expanding: make(map[uint32]bool)}
	}
	if b.rls.g == nil {
		g, err := b.s.roleGraph(b.snap)
		if err != nil {
			return nil, err
		}
		b.rls.g = g
	}
	return b.rls.g, nil
}

// rowSecurityOn reports the session's row_security setting.
func (s *Session) rowSecurityOn() bool {
	v, ok := s.settings["row_security"]
	return !ok || v == "on"
}

// rlsActive decides whether desc's policies apply to the statement
// being bound (PostgreSQL's check_enable_rls), and as which role.
func (b *binder) rlsActive(desc *catalog.TableDesc) (bool, uint32, error) {
	return b.rlsDecide(desc, false)
}

// rlsDecide is rlsActive; with noError, row_security = off does not
// fail, as row_security_active asks.
func (b *binder) rlsDecide(desc *catalog.TableDesc, noError bool) (bool, uint32, error) {
	if !desc.RowSecurity || desc.View != "" || desc.Sequence != nil || b.rls != nil && b.rls.skip {
		return false, 0, nil
	}
	g, err := b.rlsGraph()
	if err != nil {
		return false, 0, err
	}
	user := b.viewOwner
	if user == 0 {
		oid, ok := b.s.currentRoleOID(g)
		if !ok {
			return false, 0, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", b.s.currentUser())
		}
		user = oid
	}
	if r, ok := g.byOID[user]; user == bootstrapOID || ok && (r.Superuser || r.BypassRLS) {
		return false, 0, nil
	}
	owner := g.hasPrivsOf(user, desc.OwnerOID())
	if owner && !desc.ForceRowSecurity {
		return false, 0, nil
	}
	if !b.s.rowSecurityOn() && !noError {
		err := pgerr.New(pgerr.InsufficientPrivilege, "query would be affected by row-level security policy for table \"%s\"", desc.Name)
		if owner {
			err = err.WithHint("To disable the policy for the table's owner, use ALTER TABLE NO FORCE ROW LEVEL SECURITY.")
		}
		return false, 0, err
	}
	return true, user, nil
}

// policiesFor returns the policies of desc that apply to cmd for user,
// permissive and restrictive apart, in name order.
func (b *binder) policiesFor(desc *catalog.TableDesc, cmd string, user uint32) (perm, restr []*catalog.PolicyDesc) {
	g := b.rls.g
	for _, p := range desc.PoliciesByName() {
		if p.Command != "*" && p.Command != cmd {
			continue
		}
		applies := false
		for _, r := range p.Roles {
			applies = applies || r == catalog.PublicOID || g.hasPrivsOf(user, r)
		}
		if !applies {
			continue
		}
		if p.Restrictive {
			restr = append(restr, p)
		} else {
			perm = append(perm, p)
		}
	}
	return perm, restr
}

// bindPolicyText binds a stored policy expression of table over the
// columns of target, guarding against a policy that reaches its own
// table again.
func (b *binder) bindPolicyText(table, target *catalog.TableDesc, text string) (expr, error) {
	if b.rls.expanding[table.ID] {
		return nil, pgerr.New(pgerr.InvalidObjectDefinition, "infinite recursion detected in policy for relation \"%s\"", table.Name)
	}
	e, err := b.parseCheck(text)
	if err != nil {
		return nil, pgerr.Wrapf(err, pgerr.DataCorrupted, "policy of table \"%s\"", table.Name)
	}
	b.rls.expanding[table.ID] = true
	// The columns a policy reads need no SELECT privilege of the role.
	savedUse, savedSub := b.colUse, b.sublinks
	b.colUse = nil
	cond, err := b.bindPolicyExpr(table, target, e)
	b.colUse, b.sublinks = savedUse, savedSub
	delete(b.rls.expanding, table.ID)
	return cond, err
}

// securityQual binds the filter the USING expressions of the policies
// for cmd put on the rows of target read through table (its own rows,
// or a member's of its hierarchy): PostgreSQL's add_security_quals.
func (b *binder) securityQual(table, target *catalog.TableDesc, cmd string, user uint32) (expr, error) {
	perm, restr := b.policiesFor(table, cmd, user)
	var or expr
	for _, p := range perm {
		if p.Using == "" {
			continue
		}
		e, err := b.bindPolicyText(table, target, p.Using)
		if err != nil {
			return nil, err
		}
		if or == nil {
			or = e
		} else {
			or = &orExpr{l: or, r: e}
		}
	}
	if or == nil {
		return &constExpr{t: types.New(types.Bool), v: false}, nil
	}
	var out expr
	for _, p := range restr {
		if p.Using == "" {
			continue
		}
		e, err := b.bindPolicyText(table, target, p.Using)
		if err != nil {
			return nil, err
		}
		out = barrierAnd(out, e)
	}
	return barrierAnd(out, or), nil
}

// withChecks binds the checks of the policies for cmd on new rows of
// target written through table: PostgreSQL's add_with_check_options.
// Each policy contributes its WITH CHECK expression, or its USING one
// when it has none or forceUsing is set.
func (b *binder) withChecks(table, target *catalog.TableDesc, cmd string, user uint32, forceUsing, conflict bool) ([]rlsCheck, error) {
	perm, restr := b.policiesFor(table, cmd, user)
	qual := func(p *catalog.PolicyDesc) string {
		if !forceUsing && p.WithCheck != "" {
			return p.WithCheck
		}
		return p.Using
	}
	var or expr
	for _, p := range perm {
		text := qual(p)
		if text == "" {
			continue
		}
		e, err := b.bindPolicyText(table, target, text)
		if err != nil {
			return nil, err
		}
		if or == nil {
			or = e
		} else {
			or = &orExpr{l: or, r: e}
		}
	}
	if or == nil {
		return []rlsCheck{{cond: &constExpr{t: types.New(types.Bool), v: false}, conflict: conflict}}, nil
	}
	out := []rlsCheck{{cond: or, conflict: conflict}}
	for _, p := range restr {
		text := qual(p)
		if text == "" {
			continue
		}
		e, err := b.bindPolicyText(table, target, text)
		if err != nil {
			return nil, err
		}
		out = append(out, rlsCheck{cond: e, policy: p.Name, conflict: conflict})
	}
	return out, nil
}

// barrierAnd is l AND r where r is evaluated only on rows l lets
// through (nil l is r).
func barrierAnd(l, r expr) expr {
	if l == nil {
		return r
	}
	if r == nil {
		return l
	}
	return &securityAndExpr{l: l, r: r}
}

// securityAndExpr is a security barrier's conjunction: the right side is
// not evaluated unless the left one is true, so a statement's own
// conditions never see a row its policies hide, and a row whose policy
// is NULL is not there.
type securityAndExpr struct{ l, r expr }

func (e *securityAndExpr) Type() types.T { return types.New(types.Bool) }
func (e *securityAndExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	l, err := e.l.Eval(c, row)
	if err != nil || l != true {
		return false, err
	}
	return e.r.Eval(c, row)
}

// rowSecurityScan puts the SELECT policies of desc over a scan of it in
// FROM, when they apply.
func (b *binder) rowSecurityScan(desc *catalog.TableDesc) func(plan, []scopeCol, error) (plan, []scopeCol, error) {
	return func(p plan, cols []scopeCol, err error) (plan, []scopeCol, error) {
		if err != nil {
			return nil, nil, err
		}
		return b.rowSecurityFilter(desc, p, cols)
	}
}

// rowSecurityFilter is rowSecurityScan's filter.
func (b *binder) rowSecurityFilter(desc *catalog.TableDesc, p plan, cols []scopeCol) (plan, []scopeCol, error) {
	on, user, err := b.rlsActive(desc)
	if err != nil || !on {
		return p, cols, err
	}
	if b.rls.expanding[desc.ID] {
		return nil, nil, pgerr.New(pgerr.InvalidObjectDefinition, "infinite recursion detected in policy for relation \"%s\"", desc.Name)
	}
	q, err := b.securityQual(desc, desc, polSelect, user)
	if err != nil {
		return nil, nil, err
	}
	return &filterNode{in: p, pred: q}, cols, nil
}

// rowSecurityTarget binds what the policies of table (the table UPDATE
// or DELETE names) do to the statement writing target (table, or a member
// of its hierarchy): the filter on the rows it reads, combined with where
// before it, and for UPDATE the checks of the rows it writes. reads says
// whether the statement reads the table's columns, which makes the
// SELECT policies apply too. ok is false when no policy applies.
func (b *binder) rowSecurityTarget(table, target *catalog.TableDesc, cmd string, reads bool) (qual expr, rs *rowSecurity, ok bool, err error) {
	on, user, err := b.rlsActive(table)
	if err != nil || !on {
		return nil, nil, false, err
	}
	if qual, err = b.securityQual(table, target, cmd, user); err != nil {
		return nil, nil, false, err
	}
	if reads {
		sel, err := b.securityQual(table, target, polSelect, user)
		if err != nil {
			return nil, nil, false, err
		}
		qual = barrierAnd(sel, qual)
	}
	rs = &rowSecurity{table: table}
	if cmd == polUpdate {
		if rs.checks, err = b.withChecks(table, target, polUpdate, user, false, false); err != nil {
			return nil, nil, false, err
		}
		if reads {
			sel, err := b.withChecks(table, target, polSelect, user, true, false)
			if err != nil {
				return nil, nil, false, err
			}
			rs.checks = append(rs.checks, sel...)
		}
	}
	return qual, rs, true, nil
}

// rowSecurityInsert binds the checks of INSERT's new rows into table:
// returning says RETURNING reads them, upsert that ON CONFLICT DO UPDATE
// may update an existing row instead.
func (b *binder) rowSecurityInsert(table *catalog.TableDesc, returning, upsert bool) (*rowSecurity, error) {
	on, user, err := b.rlsActive(table)
	if err != nil || !on {
		return nil, err
	}
	rs := &rowSecurity{table: table}
	if rs.checks, err = b.withChecks(table, table, polInsert, user, false, false); err != nil {
		return nil, err
	}
	if returning || upsert {
		sel, err := b.withChecks(table, table, polSelect, user, true, false)
		if err != nil {
			return nil, err
		}
		rs.checks = append(rs.checks, sel...)
	}
	if !upsert {
		return rs, nil
	}
	if rs.conflict, err = b.withChecks(table, table, polUpdate, user, true, true); err != nil {
		return nil, err
	}
	sel, err := b.withChecks(table, table, polSelect, user, true, true)
	if err != nil {
		return nil, err
	}
	rs.conflict = append(rs.conflict, sel...)
	if rs.conflictNew, err = b.withChecks(table, table, polUpdate, user, false, false); err != nil {
		return nil, err
	}
	if sel, err = b.withChecks(table, table, polSelect, user, true, false); err != nil {
		return nil, err
	}
	rs.conflictNew = append(rs.conflictNew, sel...)
	return rs, nil
}

// check evaluates checks on row, failing with PostgreSQL's 42501 for the
// first one the row does not pass (false or NULL).
func (rs *rowSecurity) check(ec *evalCtx, checks []rlsCheck, row []types.Datum) error {
	for _, c := range checks {
		v, err := c.cond.Eval(ec, row)
		if err != nil {
			return err
		}
		if v == true {
			continue
		}
		what, row := "", "new row"
		if c.target {
			row = "target row"
		}
		if c.policy != "" {
			what = " \"" + c.policy + "\""
		}
		if c.conflict || c.target {
			what += " (USING expression)"
		}
		return pgerr.New(pgerr.InsufficientPrivilege, "%s violates row-level security policy%s for table \"%s\"", row, what, rs.table.Name)
	}
	return nil
}

// checkRowSecurity checks a row INSERT or UPDATE writes through w
// against its policies, after computing its generated columns, before
// its constraints, as PostgreSQL does.
func (w *tableWriter) checkRowSecurity(ec *evalCtx, row []types.Datum) error {
	if w.rls == nil {
		return nil
	}
	if w.route == nil {
		if err := w.generate(ec, row); err != nil {
			return err
		}
	}
	return w.rls.check(ec, w.rls.checks, row)
}

// readsTarget reports whether an UPDATE or DELETE reads columns of its
// target, which makes its SELECT policies apply: the binder noted a read
// of one of table's columns.
func (b *binder) readsTarget(table *catalog.TableDesc) bool {
	return len(b.colUse[table.ID]) > 0
}

// copyFromRowSecurity refuses COPY FROM into a table whose policies
// apply, as PostgreSQL does.
func (b *binder) copyFromRowSecurity(desc *catalog.TableDesc) error {
	on, _, err := b.rlsActive(desc)
	if err != nil || !on {
		return err
	}
	return pgerr.New(pgerr.FeatureNotSupported, "COPY FROM not supported with row-level security").
		WithHint("Use INSERT statements instead.")
}

// refusedPlan is a statement bound only to fail when it runs: after the
// privilege checks, which come first in PostgreSQL.
type refusedPlan struct{ err error }

func (p *refusedPlan) columns() []Column                           { return nil }
func (p *refusedPlan) execute(*execCtx, *evalCtx) (*Result, error) { return nil, p.err }

// rowSecurityWrite applies the policies of table (the table an UPDATE
// or DELETE names) to the statement writing target through w: the
// filter goes before where, and before the target's scan in a join; an
// UPDATE's new rows get their checks.
func (b *binder) rowSecurityWrite(table, target *catalog.TableDesc, cmd string, where *expr, join plan, w *tableWriter) error {
	qual, rs, ok, err := b.rowSecurityTarget(table, target, cmd, b.readsTarget(target))
	if err != nil || !ok {
		return err
	}
	if join != nil {
		n, isJoin := join.(*multiJoinNode)
		if !isJoin || len(n.items) == 0 {
			return pgerr.New(pgerr.InternalError, "row security: unexpected plan %T for the target's join", join)
		}
		n.items[0].p = &filterNode{in: n.items[0].p, pred: qual}
	}
	*where = barrierAnd(qual, *where)
	if cmd == polUpdate {
		w.rls = rs
	}
	return nil
}

// rowSecurityLocking puts the policies of desc before where in SELECT
// ... FOR UPDATE or SHARE: the SELECT policies' filter, then the UPDATE
// policies', as PostgreSQL applies both to rows it locks.
func (b *binder) rowSecurityLocking(desc *catalog.TableDesc, where expr) (expr, error) {
	on, user, err := b.rlsActive(desc)
	if err != nil || !on {
		return where, err
	}
	sel, err := b.securityQual(desc, desc, polSelect, user)
	if err != nil {
		return nil, err
	}
	upd, err := b.securityQual(desc, desc, polUpdate, user)
	if err != nil {
		return nil, err
	}
	return barrierAnd(barrierAnd(sel, upd), where), nil
}

// rowSecurityActive is row_security_active(relation): whether the
// current role's queries of the relation are subject to its policies.
func (x *execCtx) rowSecurityActive(rel types.Datum) (types.Datum, error) {
	if rel == nil {
		return nil, nil
	}
	r, err := x.Relations()
	if err != nil {
		return nil, err
	}
	desc := r.ByOID(rel.(int64))
	if desc == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation with OID %d does not exist", rel.(int64))
	}
	b := &binder{s: x.s, snap: x.snap}
	on, _, err := b.rlsDecide(desc, true)
	return on, err
}

// rowSecurityMerge binds the policies of MERGE into desc: the SELECT
// policies filter the target rows it joins (a row they hide is not
// matched), and the checks of each kind of action it has go to rs
// (PostgreSQL 15's WCO_RLS_MERGE_UPDATE_CHECK and _DELETE_CHECK for the
// target rows, INSERT and UPDATE checks for the new ones).
func (b *binder) rowSecurityMerge(desc *catalog.TableDesc, s *ast.MergeStmt, target plan) (*rowSecurity, plan, error) {
	on, user, err := b.rlsActive(desc)
	if err != nil || !on {
		return nil, target, err
	}
	sel, err := b.securityQual(desc, desc, polSelect, user)
	if err != nil {
		return nil, nil, err
	}
	target = &filterNode{in: target, pred: sel}
	rs := &rowSecurity{table: desc}
	has := make(map[string]bool)
	for _, w := range s.When {
		has[w.Action] = true
	}
	mark := func(checks []rlsCheck) []rlsCheck {
		for i := range checks {
			checks[i].target = true
		}
		return checks
	}
	if has["UPDATE"] {
		using, err := b.withChecks(desc, desc, polUpdate, user, true, false)
		if err != nil {
			return nil, nil, err
		}
		rs.mergeUpdate = mark(using)
		if rs.mergeUpdateNew, err = b.withChecks(desc, desc, polUpdate, user, false, false); err != nil {
			return nil, nil, err
		}
		visible, err := b.withChecks(desc, desc, polSelect, user, true, false)
		if err != nil {
			return nil, nil, err
		}
		rs.mergeUpdateNew = append(rs.mergeUpdateNew, visible...)
	}
	if has["DELETE"] {
		using, err := b.withChecks(desc, desc, polDelete, user, true, false)
		if err != nil {
			return nil, nil, err
		}
		rs.mergeDelete = mark(using)
	}
	if has["INSERT"] {
		if rs.checks, err = b.withChecks(desc, desc, polInsert, user, false, false); err != nil {
			return nil, nil, err
		}
	}
	return rs, target, nil
}

// checkMergeTarget checks the target row MERGE is about to update or
// delete against the USING expressions of those commands' policies.
func (w *tableWriter) checkMergeTarget(ec *evalCtx, action string, old []types.Datum) error {
	if w.rls == nil {
		return nil
	}
	if action == "DELETE" {
		return w.rls.check(ec, w.rls.mergeDelete, old)
	}
	return w.rls.check(ec, w.rls.mergeUpdate, old)
}

// checkMergeUpdate checks the row a MERGE update writes.
func (w *tableWriter) checkMergeUpdate(ec *evalCtx, row []types.Datum) error {
	if w.rls == nil {
		return nil
	}
	if err := w.generate(ec, row); err != nil {
		return err
	}
	return w.rls.check(ec, w.rls.mergeUpdateNew, row)
}
