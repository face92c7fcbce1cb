package sql

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Applying rewrite rules (CREATE RULE, rule.go) to INSERT, UPDATE and
// DELETE on a table.
//
// PostgreSQL rewrites the statement before planning: each rule's action
// becomes a query of its own over the statement's rows, with NEW and OLD
// replaced by their columns, and an INSTEAD rule takes the statement's
// place (for the rows its condition holds for, when it has one). cairn
// runs the same actions row by row as the statement meets its rows,
// with NEW and OLD passed as parameters:
//
//   - INSERT: for each row to insert (defaults filled in), the row goes in
//     unless an INSTEAD rule's condition holds for it (an unconditional
//     INSTEAD rule's always does); then the actions of every rule whose
//     condition holds run, in rule-name order. PostgreSQL also runs the
//     original INSERT before the rules' actions.
//   - UPDATE and DELETE: the rules' actions run for every row the
//     statement reaches, before any of them is written, as PostgreSQL
//     runs the actions before the original; then the statement writes the
//     rows no INSTEAD rule took. An action that names neither NEW nor OLD,
//     of a rule without a condition, on a statement without WHERE, FROM or
//     USING, runs once, whether or not there are rows, as PostgreSQL's
//     rewritten action then has no rows to join.
//
// RETURNING on a statement an INSTEAD rule replaces reads the rows the
// rule's action returned (its RETURNING lists the table's columns), as
// PostgreSQL's rewritten RETURNING does; without such a rule it is
// refused (0A000). A data-modifying WITH query may only be replaced by one
// unconditional single-action INSTEAD rule (0A000 otherwise, in
// PostgreSQL's words). A rule whose actions reach its own table and
// event again is infinite recursion (42P17).

// ruleSpec is what a statement's bind found of its target's rules for
// its event.
type ruleSpec struct {
	table *catalog.TableDesc
	event string
	rules []*catalog.RuleDesc // in name order
	// rowless: UPDATE or DELETE without WHERE, FROM or USING.
	rowless bool
	// returning is the unconditional INSTEAD rule whose action's
	// RETURNING replaces the statement's; nil when the statement has none.
	returning *catalog.RuleDesc
}

// ruleSpecFor returns the rules of desc for event that a statement must
// apply, nil when there are none. inCTE says the statement is a
// data-modifying WITH query; modifyingCTE that it has one.
func (b *binder) ruleSpecFor(desc *catalog.TableDesc, event string, returning, rowless, inCTE, modifyingCTE bool) (*ruleSpec, error) {
	var rules []*catalog.RuleDesc
	for i := range desc.Rules {
		if desc.Rules[i].Event == event {
			rules = append(rules, &desc.Rules[i])
		}
	}
	if len(rules) == 0 {
		return nil, nil
	}
	slices.SortFunc(rules, func(a, b *catalog.RuleDesc) int { return strings.Compare(a.Name, b.Name) })
	spec := &ruleSpec{table: desc, event: event, rules: rules, rowless: rowless}
	instead := false
	for _, r := range rules {
		if r.Instead {
			instead = true
			if r.Where == "" && len(r.Actions) == 1 && actionReturns(r.Actions[0]) {
				spec.returning = r
			}
		}
		if modifyingCTE {
			for _, a := range r.Actions {
				if insertSelectAction(a) {
					return nil, pgerr.New(pgerr.FeatureNotSupported, "INSERT...SELECT rule actions are not supported for queries having data-modifying statements in WITH")
				}
			}
		}
	}
	if inCTE {
		var insteadRules, alsoRules, conditional int
		for _, r := range rules {
			switch {
			case !r.Instead:
				alsoRules++
			case r.Where != "":
				conditional++
			default:
				insteadRules++
			}
		}
		switch {
		case insteadRules == 1 && alsoRules == 0 && conditional == 0:
			r := rules[0]
			switch {
			case len(r.Actions) == 0:
				return nil, pgerr.New(pgerr.FeatureNotSupported, "DO INSTEAD NOTHING rules are not supported for data-modifying statements in WITH")
			case len(r.Actions) > 1:
				return nil, pgerr.New(pgerr.FeatureNotSupported, "multi-statement DO INSTEAD rules are not supported for data-modifying statements in WITH")
			case strings.HasPrefix(strings.ToUpper(r.Actions[0]), "NOTIFY"):
				return nil, pgerr.New(pgerr.FeatureNotSupported, "DO INSTEAD NOTIFY rules are not supported for data-modifying statements in WITH")
			}
		case insteadRules == 1 && len(rules[0].Actions) == 0 && len(rules) == 1:
			return nil, pgerr.New(pgerr.FeatureNotSupported, "DO INSTEAD NOTHING rules are not supported for data-modifying statements in WITH")
		case conditional > 0:
			return nil, pgerr.New(pgerr.FeatureNotSupported, "conditional DO INSTEAD rules are not supported for data-modifying statements in WITH")
		case alsoRules > 0:
			return nil, pgerr.New(pgerr.FeatureNotSupported, "DO ALSO rules are not supported for data-modifying statements in WITH")
		default:
			return nil, pgerr.New(pgerr.FeatureNotSupported, "multi-statement DO INSTEAD rules are not supported for data-modifying statements in WITH")
		}
	}
	if returning && instead && spec.returning == nil {
		verb := strings.ToUpper(event)
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot perform %s RETURNING on relation \"%s\"", verb, desc.Name).
			WithHint("You need an unconditional ON " + verb + " DO INSTEAD rule with a RETURNING clause.")
	}
	if !returning {
		spec.returning = nil
	}
	return spec, nil
}

// actionReturns reports whether a rule action (SQL text) has RETURNING.
func actionReturns(action string) bool {
	return strings.Contains(strings.ToUpper(action), " RETURNING ")
}

// insertSelectAction reports whether a rule action is INSERT ... SELECT.
func insertSelectAction(action string) bool {
	up := strings.ToUpper(action)
	return strings.HasPrefix(up, "INSERT ") && strings.Contains(up, " SELECT ")
}

// ruleNames resolves NEW.column and OLD.column in a rule's condition and
// actions to parameters: NEW's columns first, then OLD's.
type ruleNames struct {
	cols     []catalog.ColumnDesc
	new, old bool // which of the two the event has
	// qual: the names are a rule condition's, where an unqualified
	// column is NEW's (ON INSERT) or OLD's (ON DELETE).
	qual bool
	used bool
}

func (r *ruleNames) lookup(names []string) (int, types.T, bool) {
	if len(names) == 1 && r.qual && r.new != r.old {
		// A rule's condition names the columns of NEW (ON INSERT) or
		// OLD (ON DELETE) without qualifying them.
		which := "new"
		if r.old {
			which = "old"
		}
		names = []string{which, names[0]}
	}
	if len(names) != 2 {
		return 0, types.T{}, false
	}
	base := 0
	switch names[0] {
	case "new":
		if !r.new {
			return 0, types.T{}, false
		}
	case "old":
		if !r.old {
			return 0, types.T{}, false
		}
		base = len(r.cols)
	default:
		return 0, types.T{}, false
	}
	for i, c := range r.cols {
		if c.Name == names[1] {
			return base + i + 1, c.Type, true
		}
	}
	return 0, types.T{}, false
}

func (r *ruleNames) Resolve(names []string) (int, types.T, bool, error) {
	if err := r.missing(names); err != nil {
		return 0, types.T{}, true, err
	}
	n, t, ok := r.lookup(names)
	if ok {
		r.used = true
	}
	return n, t, ok, nil
}

func (r *ruleNames) Names(names []string) bool {
	_, _, ok := r.lookup(names)
	return ok || r.missing(names) != nil
}

// missing refuses OLD in an ON INSERT rule and NEW in an ON DELETE one
// (42P17), as PostgreSQL's transformRuleStmt does.
func (r *ruleNames) missing(names []string) error {
	if len(names) != 2 {
		return nil
	}
	switch {
	case names[0] == "old" && !r.old:
		return pgerr.New(pgerr.InvalidObjectDefinition, "ON INSERT rule cannot use OLD")
	case names[0] == "new" && !r.new:
		return pgerr.New(pgerr.InvalidObjectDefinition, "ON DELETE rule cannot use NEW")
	}
	return nil
}

func (r *ruleNames) Conflict() string { return "use_variable" }

// boundRule is one rule bound for a statement's execution.
type boundRule struct {
	desc    *catalog.RuleDesc
	qual    *routineStmt // SELECT condition; nil for none
	actions []*routineStmt
	// perRow: the condition or an action names NEW or OLD, or the
	// statement reaches rows through its own conditions.
	perRow bool
}

// ruleRun applies a statement's rules as it runs.
type ruleRun struct {
	spec  *ruleSpec
	rt    *sessionRuntime
	rules []boundRule
	args  []types.Datum
	key   string
	// count is the rows the INSTEAD actions of the statement's own
	// command wrote, which the command tag reports when instead: an
	// unconditional INSTEAD rule replaces the statement.
	count   int
	instead bool
	// onceRows are what the replacing rule's action returned when it ran
	// once for the statement.
	onceRows [][]types.Datum
}

// bindRuleStmt binds one statement of a rule (its condition as a SELECT,
// or an action) with NEW and OLD as parameters.
func bindRuleStmt(rt *sessionRuntime, text string, names *ruleNames) (*routineStmt, error) {
	s := rt.x.s
	pq, err := s.e.parse(rt.x.ctx, text, nil)
	if err != nil {
		return nil, err
	}
	if len(pq.stmts) != 1 {
		return nil, pgerr.New(pgerr.InternalError, "a rule's action is not one statement")
	}
	st := pq.stmts[0]
	p := &Prepared{SQL: st.SQL, Tag: st.Stmt.Tag(), stmt: st.Stmt, source: text, plNames: names}
	params := make([]RoutineParam, 2*len(names.cols))
	for i, c := range names.cols {
		params[i].Type, params[len(names.cols)+i].Type = c.Type, c.Type
	}
	rs := &routineStmt{p: p, params: params}
	if err := rs.bind(rt); err != nil {
		return nil, err
	}
	return rs, nil
}

// start binds the rules for this execution and runs the actions that
// run once for the statement.
func (spec *ruleSpec) start(x *execCtx) (*ruleRun, error) {
	key := strconv.FormatUint(uint64(spec.table.ID), 10) + "/" + spec.event
	if x.s.activeRules[key] {
		return nil, pgerr.New(pgerr.InvalidObjectDefinition, "infinite recursion detected in rules for relation \"%s\"", spec.table.Name)
	}
	rr := &ruleRun{spec: spec, rt: &sessionRuntime{x: x, volatile: true}, key: key,
		args: make([]types.Datum, 2*len(spec.table.Columns))}
	for _, r := range spec.rules {
		names := &ruleNames{cols: spec.table.Columns, new: spec.event != "delete", old: spec.event != "insert"}
		br := boundRule{desc: r}
		var err error
		if r.Where != "" {
			qn := *names
			qn.qual = true
			if br.qual, err = bindRuleStmt(rr.rt, "SELECT "+r.Where, &qn); err != nil {
				return nil, err
			}
			names.used = names.used || qn.used
		}
		for _, a := range r.Actions {
			rs, err := bindRuleStmt(rr.rt, a, names)
			if err != nil {
				return nil, err
			}
			br.actions = append(br.actions, rs)
		}
		br.perRow = names.used || r.Where != "" || spec.event == "insert" || !spec.rowless
		rr.rules = append(rr.rules, br)
	}
	for _, r := range spec.rules {
		// The statement itself no longer runs: its command tag is the
		// replacing actions'.
		rr.instead = rr.instead || r.Instead && r.Where == ""
	}
	for i := range rr.rules {
		if r := &rr.rules[i]; !r.perRow {
			rows, err := rr.runActions(r, nil)
			if err != nil {
				return nil, err
			}
			if r.desc == spec.returning {
				rr.onceRows = rows
			}
		}
	}
	return rr, nil
}

// takes reports whether an INSTEAD rule takes the row (new, old) from
// the statement: an unconditional one, or one whose condition holds.
func (rr *ruleRun) takes(new, old []types.Datum) (bool, error) {
	rr.setArgs(new, old)
	for i := range rr.rules {
		r := &rr.rules[i]
		if !r.desc.Instead {
			continue
		}
		if !r.perRow {
			return true, nil
		}
		ok, err := rr.holds(r)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (rr *ruleRun) setArgs(new, old []types.Datum) {
	n := len(rr.spec.table.Columns)
	clear(rr.args)
	copy(rr.args[:n], new)
	copy(rr.args[n:], old)
}

// holds evaluates a rule's condition for the row in rr.args.
func (rr *ruleRun) holds(r *boundRule) (bool, error) {
	if r.qual == nil {
		return true, nil
	}
	res, err := r.qual.Run(rr.rt, rr.args)
	if err != nil {
		return false, err
	}
	return len(res.Rows) == 1 && len(res.Rows[0]) == 1 && res.Rows[0][0] == true, nil
}

// row runs, for the row (new, old), the actions of each rule whose
// condition holds, and returns the rows the replacing rule's RETURNING
// gave.
func (rr *ruleRun) row(new, old []types.Datum) ([][]types.Datum, error) {
	rr.setArgs(new, old)
	var out [][]types.Datum
	for i := range rr.rules {
		r := &rr.rules[i]
		if !r.perRow {
			continue
		}
		ok, err := rr.holds(r)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		rows, err := rr.runActions(r, rr.args)
		if err != nil {
			return nil, err
		}
		if r.desc == rr.spec.returning {
			out = append(out, rows...)
		}
	}
	return out, nil
}

// runActions runs a rule's actions with args and returns the rows the
// last one returned.
func (rr *ruleRun) runActions(r *boundRule, args []types.Datum) ([][]types.Datum, error) {
	s := rr.rt.x.s
	if s.activeRules == nil {
		s.activeRules = make(map[string]bool)
	}
	s.activeRules[rr.key] = true
	defer delete(s.activeRules, rr.key)
	if args == nil {
		args = make([]types.Datum, len(rr.args))
	}
	var rows [][]types.Datum
	verb := strings.ToUpper(rr.spec.event)
	for _, a := range r.actions {
		res, err := a.Run(rr.rt, args)
		if err != nil {
			return nil, err
		}
		rr.rt.x.notices = append(rr.rt.x.notices, res.Notices...)
		if r.desc.Instead && strings.HasPrefix(res.Tag, verb) {
			rr.count += tagCount(res.Tag)
		}
		rows = res.Rows
	}
	return rows, nil
}

// tagCount is the row count a command tag ends with.
func tagCount(tag string) int {
	i := strings.LastIndexByte(tag, ' ')
	n, err := strconv.Atoi(tag[i+1:])
	if err != nil {
		return 0
	}
	return n
}

// hasModifyingCTE reports whether the statement being bound (not one of
// its WITH queries) has a data-modifying WITH query.
func (b *binder) hasModifyingCTE() bool {
	if b.inDMLCTE {
		return false
	}
	for _, c := range b.topWith {
		if c.DML != nil {
			return true
		}
	}
	return false
}

// ruleActions runs the actions of the rules for one row an INSERT meets
// and emits what the replacing rule returned.
func (p *insertPlan) ruleActions(ec *evalCtx, res *Result, rules *ruleRun, row []types.Datum) error {
	rows, err := rules.row(row, nil)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if p.returnsTableOID {
			r = append(r[:len(r):len(r)], int64(p.table.ID))
		}
		if err := p.emit(ec, res, r); err != nil {
			return err
		}
	}
	return nil
}

// applyRules runs an UPDATE's rules for every row it reaches, before
// any is written, emits what the replacing rule returned, and returns
// the rows left for the statement itself.
func (p *updatePlan) applyRules(x *execCtx, ec *evalCtx, res *Result, targets []dmlTarget) (*ruleRun, []dmlTarget, error) {
	width := len(p.table.Columns)
	return applyRowRules(x, ec, p.rules, &p.tableWriter, res, targets, func(t dmlTarget) ([]types.Datum, error) {
		in, err := evalMulti(ec, p.multi, t.row)
		if err != nil {
			return nil, err
		}
		return newRow(ec, p.set, t.row[:width], in)
	})
}

// applyRules is applyRules of a DELETE.
func (p *deletePlan) applyRules(x *execCtx, ec *evalCtx, res *Result, targets []dmlTarget) (*ruleRun, []dmlTarget, error) {
	return applyRowRules(x, ec, p.rules, &p.tableWriter, res, targets, nil)
}

func applyRowRules(x *execCtx, ec *evalCtx, spec *ruleSpec, w *tableWriter, res *Result, targets []dmlTarget,
	newOf func(dmlTarget) ([]types.Datum, error)) (*ruleRun, []dmlTarget, error) {
	rules, err := spec.start(x)
	if err != nil {
		return nil, nil, err
	}
	width := len(spec.table.Columns)
	for _, r := range rules.onceRows {
		if err := w.emit(ec, res, r); err != nil {
			return nil, nil, err
		}
	}
	kept := targets[:0]
	for _, t := range targets {
		if err := ec.tick(); err != nil {
			return nil, nil, err
		}
		old := t.row[:width]
		var new []types.Datum
		if newOf != nil {
			if new, err = newOf(t); err != nil {
				return nil, nil, err
			}
			new = new[:width]
		}
		taken, err := rules.takes(new, old)
		if err != nil {
			return nil, nil, err
		}
		rows, err := rules.row(new, old)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			// RETURNING may read the other FROM items' columns: NULL for
			// a row the rule made.
			full := make([]types.Datum, max(len(t.row), len(r)))
			copy(full, r)
			if err := w.emit(ec, res, full); err != nil {
				return nil, nil, err
			}
		}
		if !taken {
			kept = append(kept, t)
		}
	}
	return rules, kept, nil
}
