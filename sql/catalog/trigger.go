package catalog

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// TriggerDesc is a trigger (pg_trigger), kept in its table's
// descriptor, so that dropping the table drops it and DDL on it is
// transactional and durable with the table's.
type TriggerDesc struct {
	OID  uint32 `json:"oid"`
	Name string `json:"name"`
	// Parent is the oid of the trigger of the partitioned table this
	// one was cloned from (tgparentid); 0 for a trigger of its own.
	Parent uint32 `json:"parent,omitempty"`
	// Func is the oid of the trigger function.
	Func uint32 `json:"func"`
	// Type is pg_trigger.tgtype: ast.TriggerRow, TriggerBefore, ...
	Type int16 `json:"type"`
	// Enabled is tgenabled: "O" (origin and local), "D" (disabled), "R"
	// (replica) or "A" (always).
	Enabled string `json:"enabled"`
	// Columns are UPDATE OF's column names.
	Columns []string `json:"columns,omitempty"`
	Args    []string `json:"args,omitempty"`
	// When is the WHEN condition as SQL text over old.col and new.col;
	// "" for none.
	When string `json:"when,omitempty"`
	// OldTable and NewTable name the transition tables.
	OldTable string `json:"old_table,omitempty"`
	NewTable string `json:"new_table,omitempty"`
	// Comment is COMMENT ON TRIGGER's text.
	Comment string `json:"comment,omitempty"`
	// Constraint marks a constraint trigger; Deferrable and
	// InitDeferred are its options.
	Constraint   bool `json:"constraint,omitempty"`
	Deferrable   bool `json:"deferrable,omitempty"`
	InitDeferred bool `json:"init_deferred,omitempty"`
	// ConstraintOID is a constraint trigger's pg_constraint row (contype
	// 't', named as the trigger); ConstrRel its FROM table's oid, 0 for
	// none (tgconstrrelid).
	ConstraintOID uint32 `json:"constraint_oid,omitempty"`
	ConstrRel     uint32 `json:"constr_rel,omitempty"`
}

// Has reports whether the trigger's type has all the bits of mask.
func (g *TriggerDesc) Has(mask int16) bool { return g.Type&mask == mask }

// Timing is BEFORE, AFTER or INSTEAD OF.
func (g *TriggerDesc) Timing() string {
	switch {
	case g.Has(ast.TriggerBefore):
		return "BEFORE"
	case g.Has(ast.TriggerInstead):
		return "INSTEAD OF"
	}
	return "AFTER"
}

// Level is ROW or STATEMENT.
func (g *TriggerDesc) Level() string {
	if g.Has(ast.TriggerRow) {
		return "ROW"
	}
	return "STATEMENT"
}

// Trigger returns the trigger of t named name, or nil.
func (t *TableDesc) Trigger(name string) *TriggerDesc {
	for i := range t.Triggers {
		if t.Triggers[i].Name == name {
			return &t.Triggers[i]
		}
	}
	return nil
}

// TriggersByName returns t's triggers in name order, the order
// PostgreSQL fires them in.
func (t *TableDesc) TriggersByName() []*TriggerDesc {
	out := make([]*TriggerDesc, len(t.Triggers))
	for i := range t.Triggers {
		out[i] = &t.Triggers[i]
	}
	slices.SortFunc(out, func(a, b *TriggerDesc) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// TriggerComment is obj_description(oid, 'pg_trigger'): the comment of
// trigger oid, or NULL.
func TriggerComment(rd Reader, oid int64) (types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		for i := range t.Triggers {
			if g := &t.Triggers[i]; int64(g.OID) == oid && g.Comment != "" {
				return g.Comment, nil
			}
		}
	}
	return nil, nil
}

// classPgTrigger is pg_trigger's oid, pg_description's classoid of a
// trigger's comment.
const classPgTrigger = 2620

// triggerRows is pg_trigger.
func triggerRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		for i := range t.Triggers {
			g := &t.Triggers[i]
			attrs := &types.Array{}
			for _, c := range g.Columns {
				if j := t.ColumnIndex(c); j >= 0 {
					attrs.Elems = append(attrs.Elems, int64(j+1))
				}
			}
			var args strings.Builder
			for _, a := range g.Args {
				args.WriteString(a)
				args.WriteByte(0)
			}
			var qual, oldT, newT types.Datum
			if g.When != "" {
				qual = g.When
			}
			if g.OldTable != "" {
				oldT = g.OldTable
			}
			if g.NewTable != "" {
				newT = g.NewTable
			}
			out = append(out, []types.Datum{int64(g.OID), int64(t.ID), int64(g.Parent), g.Name, int64(g.Func), int64(g.Type),
				g.Enabled, false, int64(g.ConstrRel), int64(0), int64(g.ConstraintOID), g.Deferrable, g.InitDeferred, int64(len(g.Args)),
				attrs, args.String(), qual, oldT, newT})
		}
	}
	return out, nil
}

// TriggerDef is pg_get_triggerdef: the CREATE TRIGGER statement that
// makes trigger oid, or NULL when no trigger has the oid. The table is
// schema-qualified unless pretty (then as regclass shows it), the
// function only when the search path would not find it.
func TriggerDef(rd Reader, oid int64, pretty bool) (types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		for i := range t.Triggers {
			if int64(t.Triggers[i].OID) == oid {
				fs, err := userFunctions(rd)
				if err != nil {
					return nil, err
				}
				return triggerDef(r, fs, t, &t.Triggers[i], pretty), nil
			}
		}
	}
	return nil, nil
}

func triggerDef(r *Relations, fs []*FuncDesc, t *TableDesc, g *TriggerDesc, pretty bool) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if g.Constraint {
		b.WriteString("CONSTRAINT ")
	}
	b.WriteString("TRIGGER " + parser.QuoteIdent(g.Name) + " " + g.Timing())
	events := 0
	event := func(name string) {
		if events > 0 {
			b.WriteString(" OR")
		}
		b.WriteString(" " + name)
		events++
	}
	if g.Has(ast.TriggerInsert) {
		event("INSERT")
	}
	if g.Has(ast.TriggerDelete) {
		event("DELETE")
	}
	if g.Has(ast.TriggerUpdate) {
		event("UPDATE")
		for i, c := range g.Columns {
			if i == 0 {
				b.WriteString(" OF ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(parser.QuoteIdent(c))
		}
	}
	if g.Has(ast.TriggerTruncate) {
		event("TRUNCATE")
	}
	if pretty {
		b.WriteString(" ON " + r.qualifiedName(t) + " ")
	} else {
		b.WriteString(" ON " + parser.QuoteIdent(t.SchemaName()) + "." + parser.QuoteIdent(t.Name) + " ")
	}
	if g.ConstrRel != 0 {
		for _, from := range r.Tables {
			if from.ID == g.ConstrRel {
				b.WriteString("FROM " + r.qualifiedName(from) + " ")
				break
			}
		}
	}
	if g.Constraint {
		if !g.Deferrable {
			b.WriteString("NOT ")
		}
		b.WriteString("DEFERRABLE INITIALLY ")
		if g.InitDeferred {
			b.WriteString("DEFERRED ")
		} else {
			b.WriteString("IMMEDIATE ")
		}
	}
	if g.OldTable != "" || g.NewTable != "" {
		b.WriteString("REFERENCING ")
		if g.OldTable != "" {
			b.WriteString("OLD TABLE AS " + parser.QuoteIdent(g.OldTable) + " ")
		}
		if g.NewTable != "" {
			b.WriteString("NEW TABLE AS " + parser.QuoteIdent(g.NewTable) + " ")
		}
	}
	b.WriteString("FOR EACH " + g.Level() + " ")
	if g.When != "" {
		b.WriteString("WHEN (" + parser.DeparseTriggerWhen(g.When, viewColumns(t), pretty) + ") ")
	}
	b.WriteString("EXECUTE FUNCTION " + triggerFuncName(r, fs, g.Func) + "(")
	for i, a := range g.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteLiteralArg(a))
	}
	b.WriteString(")")
	return b.String()
}

// triggerFuncName is the trigger function's name as ruleutils prints
// it: qualified when no schema of the search path has a routine of its
// name before its own.
func triggerFuncName(r *Relations, fs []*FuncDesc, oid uint32) string {
	var f *FuncDesc
	for _, d := range fs {
		if d.OID == oid {
			f = d
			break
		}
	}
	if f == nil {
		return "-"
	}
	for _, schema := range r.Search {
		for _, d := range fs {
			if d.Schema == schema && d.Name == f.Name && len(d.InputArgs()) == 0 {
				if d == f {
					return parser.QuoteIdent(f.Name)
				}
				return parser.QuoteIdent(f.Schema) + "." + parser.QuoteIdent(f.Name)
			}
		}
	}
	return parser.QuoteIdent(f.Schema) + "." + parser.QuoteIdent(f.Name)
}

// quoteLiteralArg is simple_quote_literal under
// standard_conforming_strings: quotes doubled.
func quoteLiteralArg(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func init() {
	charData := types.T{ID: types.Varchar, Mod: -1}
	v := &SystemView{Name: "triggers", Columns: Cols("trigger_catalog", nameT, "trigger_schema", nameT, "trigger_name", nameT,
		"event_manipulation", charData, "event_object_catalog", nameT, "event_object_schema", nameT,
		"event_object_table", nameT, "action_order", int4T, "action_condition", charData, "action_statement", charData,
		"action_orientation", charData, "action_timing", charData, "action_reference_old_table", nameT,
		"action_reference_new_table", nameT, "action_reference_old_row", nameT, "action_reference_new_row", nameT,
		"created", types.New(types.TimestampTZ)), Rows: infoTriggersRows}
	infoSchema[v.Name] = v
}

// infoTriggersRows is information_schema.triggers: a row per trigger
// and event, action_order counting the triggers of the table, event,
// level and timing in name (firing) order, and the condition and
// statement as pg_get_triggerdef prints them.
func infoTriggersRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	fs, err := userFunctions(rd)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	events := []struct {
		bit  int16
		name string
	}{{ast.TriggerInsert, "INSERT"}, {ast.TriggerDelete, "DELETE"}, {ast.TriggerUpdate, "UPDATE"}}
	for _, t := range r.Tables {
		byName := t.TriggersByName()
		for _, g := range byName {
			def := triggerDef(r, fs, t, g, false)
			stmt := def[strings.Index(def, "EXECUTE FUNCTION "):]
			var cond types.Datum
			if g.When != "" {
				cond = parser.DeparseTriggerWhen(g.When, viewColumns(t), false)
			}
			var oldT, newT types.Datum
			if g.OldTable != "" {
				oldT = g.OldTable
			}
			if g.NewTable != "" {
				newT = g.NewTable
			}
			for _, ev := range events {
				if !g.Has(ev.bit) {
					continue
				}
				order := 0
				for _, o := range byName {
					if o.Has(ev.bit) && o.Type&(ast.TriggerRow|ast.TriggerBefore|ast.TriggerInstead) == g.Type&(ast.TriggerRow|ast.TriggerBefore|ast.TriggerInstead) {
						order++
					}
					if o == g {
						break
					}
				}
				out = append(out, []types.Datum{rd.Database(), t.SchemaName(), g.Name, ev.name, rd.Database(), t.SchemaName(), t.Name,
					int64(order), cond, stmt, g.Level(), g.Timing(), oldT, newT, nil, nil, nil})
			}
		}
	}
	return out, nil
}
