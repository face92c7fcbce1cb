package sql

import (
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/sql/parser"
)

// explainRenderer prints a described plan in one of EXPLAIN's formats,
// laid out as PostgreSQL's explain.c lays them out.
type explainRenderer struct {
	opts explainOptions
	now  func() time.Time
	buf  strings.Builder
}

// xval is one property of the structured formats: a string, a number or
// boolean printed as is (raw), a list of strings, or child plans.
type xval struct {
	key   string
	kind  int
	s     string
	list  []string
	plans [][]xval
	group []xval
}

const (
	xString = iota
	xRaw
	xList
	xPlans
	xGroup
)

func xs(key, s string) xval          { return xval{key: key, kind: xString, s: s} }
func xr(key, s string) xval          { return xval{key: key, kind: xRaw, s: s} }
func xl(key string, l []string) xval { return xval{key: key, kind: xList, list: l} }

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func (r *explainRenderer) render(root *explainNode, planning, execution time.Duration) string {
	if r.opts.format == "text" {
		r.text(root, 0, true)
		if r.opts.summary {
			r.buf.WriteString("Planning Time: " + strconv.FormatFloat(ms(planning), 'f', 3, 64) + " ms\n")
		}
		if r.opts.summary && r.opts.analyze {
			r.buf.WriteString("Execution Time: " + strconv.FormatFloat(ms(execution), 'f', 3, 64) + " ms\n")
		}
		return r.buf.String()
	}
	query := []xval{{key: "Plan", kind: xGroup, group: r.props(root)}}
	if r.opts.summary {
		query = append(query, xr("Planning Time", strconv.FormatFloat(ms(planning), 'f', 3, 64)))
	}
	if r.opts.summary && r.opts.analyze {
		query = append(query, xr("Execution Time", strconv.FormatFloat(ms(execution), 'f', 3, 64)))
	}
	switch r.opts.format {
	case "json":
		r.buf.WriteString("[\n  {\n")
		r.json(query, 4)
		r.buf.WriteString("\n  }\n]")
	case "yaml":
		r.yaml(query, 2, "- ")
		return strings.TrimSuffix(r.buf.String(), "\n")
	case "xml":
		r.buf.WriteString("<explain xmlns=\"http://www.postgresql.org/2009/explain\">\n  <Query>\n")
		r.xml(query, 4)
		r.buf.WriteString("  </Query>\n</explain>")
	}
	return r.buf.String()
}

// label is the node's line in the text format, without costs.
func (n *explainNode) label(verbose bool) string {
	rel := func(name, schema string) string {
		if verbose && schema != "" {
			return parser.QuoteIdent(schema) + "." + parser.QuoteIdent(name)
		}
		return parser.QuoteIdent(name)
	}
	s := n.name
	switch {
	case n.typ == "ModifyTable":
		s += " on " + rel(n.relation, n.schema)
		if n.alias != "" && n.alias != n.relation {
			s += " " + parser.QuoteIdent(n.alias)
		}
	case n.typ == "Bitmap Index Scan":
		s += " on " + parser.QuoteIdent(n.index)
	case n.relation != "":
		if n.index != "" {
			s += " using " + parser.QuoteIdent(n.index)
		}
		s += " on " + rel(n.relation, n.schema)
		if n.alias != n.relation {
			s += " " + parser.QuoteIdent(n.alias)
		}
	case n.function != "":
		s += " on " + n.function
		if n.alias != n.function {
			s += " " + parser.QuoteIdent(n.alias)
		}
	case n.subquery != "":
		s += " on " + parser.QuoteIdent(n.subquery)
	}
	return s
}

func (r *explainRenderer) costText(n *explainNode) string {
	var s string
	if r.opts.costs {
		s += "  (cost=" + strconv.FormatFloat(n.startup, 'f', 2, 64) + ".." + strconv.FormatFloat(n.total, 'f', 2, 64) +
			" rows=" + strconv.FormatFloat(n.rows, 'f', 0, 64) + " width=" + strconv.Itoa(n.width) + ")"
	}
	if !r.opts.analyze || n.stats == nil {
		return s
	}
	st := n.stats
	if st.loops == 0 {
		return s + " (never executed)"
	}
	loops := float64(st.loops)
	rows := strconv.FormatFloat(float64(st.rows)/loops, 'f', 0, 64)
	if r.opts.timing {
		return s + " (actual time=" + strconv.FormatFloat(ms(st.startup)/loops, 'f', 3, 64) + ".." +
			strconv.FormatFloat(ms(st.total)/loops, 'f', 3, 64) + " rows=" + rows + " loops=" + strconv.FormatInt(st.loops, 10) + ")"
	}
	return s + " (actual rows=" + rows + " loops=" + strconv.FormatInt(st.loops, 10) + ")"
}

// removed is the number of rows the node's filter removed per loop, when
// counted.
func (n *explainNode) removed() (float64, bool) {
	if n.filtered == nil || n.stats == nil || n.stats.loops == 0 {
		return 0, false
	}
	return float64(n.filtered.rows-n.stats.rows) / float64(n.stats.loops), true
}

func (r *explainRenderer) text(n *explainNode, arrow int, root bool) {
	props := 2
	if !root {
		r.buf.WriteString(strings.Repeat(" ", arrow) + "->  ")
		props = arrow + 6
	}
	r.buf.WriteString(n.label(r.opts.verbose) + r.costText(n) + "\n")
	pad := strings.Repeat(" ", props)
	for _, t := range n.targets {
		r.buf.WriteString(pad + t + "\n")
	}
	if out := n.outputs(); r.opts.verbose && out != nil {
		if len(out) > 0 {
			r.buf.WriteString(pad + "Output: " + strings.Join(out, ", ") + "\n")
		}
	}
	for _, p := range n.props {
		if p.list != nil {
			r.buf.WriteString(pad + p.key + ": " + strings.Join(p.list(), ", ") + "\n")
		} else {
			r.buf.WriteString(pad + p.key + ": " + p.text() + "\n")
		}
		if p.key == n.filterLabel && r.opts.analyze {
			if rm, ok := n.removed(); ok && rm > 0 {
				r.buf.WriteString(pad + "Rows Removed by " + p.key + ": " + strconv.FormatFloat(rm, 'f', 0, 64) + "\n")
			}
		}
	}
	for _, c := range n.initPlans {
		r.buf.WriteString(pad + c.subplanName + "\n")
		r.text(c, props+2, false)
	}
	for _, c := range n.children {
		r.text(c, props, false)
	}
	for _, c := range n.subPlans {
		r.buf.WriteString(pad + c.subplanName + "\n")
		r.text(c, props+2, false)
	}
}

// props are a node's properties for the structured formats.
func (r *explainRenderer) props(n *explainNode) []xval {
	out := []xval{xs("Node Type", n.typ)}
	if n.strategy != "" {
		out = append(out, xs("Strategy", n.strategy))
		if n.typ == "Aggregate" {
			out = append(out, xs("Partial Mode", "Simple"))
		}
	}
	if n.command != "" {
		out = append(out, xs("Command", n.command))
	}
	if n.operation != "" {
		out = append(out, xs("Operation", n.operation))
	}
	if n.parent != "" {
		out = append(out, xs("Parent Relationship", n.parent))
	}
	if n.subplanName != "" {
		out = append(out, xs("Subplan Name", n.subplanName))
	}
	out = append(out, xr("Parallel Aware", "false"), xr("Async Capable", "false"))
	if n.joinType != "" {
		out = append(out, xs("Join Type", n.joinType), xr("Inner Unique", "false"))
	}
	if n.index != "" {
		out = append(out, xs("Scan Direction", "Forward"), xs("Index Name", n.index))
	}
	if n.relation != "" {
		out = append(out, xs("Relation Name", n.relation))
		if r.opts.verbose {
			out = append(out, xs("Schema", n.schema))
		}
		out = append(out, xs("Alias", n.alias))
	}
	if n.function != "" {
		out = append(out, xs("Function Name", n.function))
		if r.opts.verbose {
			out = append(out, xs("Schema", "pg_catalog"))
		}
		out = append(out, xs("Alias", n.alias))
	}
	if n.subquery != "" {
		out = append(out, xs("Alias", n.subquery))
	}
	if r.opts.costs {
		out = append(out, xr("Startup Cost", strconv.FormatFloat(n.startup, 'f', 2, 64)),
			xr("Total Cost", strconv.FormatFloat(n.total, 'f', 2, 64)),
			xr("Plan Rows", strconv.FormatFloat(n.rows, 'f', 0, 64)),
			xr("Plan Width", strconv.Itoa(n.width)))
	}
	if r.opts.analyze && n.stats != nil {
		st := n.stats
		loops := float64(max(st.loops, 1))
		if r.opts.timing {
			out = append(out, xr("Actual Startup Time", strconv.FormatFloat(ms(st.startup)/loops, 'f', 3, 64)),
				xr("Actual Total Time", strconv.FormatFloat(ms(st.total)/loops, 'f', 3, 64)))
		}
		out = append(out, xr("Actual Rows", strconv.FormatFloat(float64(st.rows)/loops, 'f', 0, 64)),
			xr("Actual Loops", strconv.FormatInt(st.loops, 10)))
	}
	if o := n.outputs(); r.opts.verbose && o != nil {
		out = append(out, xl("Output", o))
	}
	for _, p := range n.props {
		if p.list != nil {
			out = append(out, xl(p.key, p.list()))
		} else {
			out = append(out, xs(p.key, p.text()))
		}
		if p.key == n.filterLabel && r.opts.analyze {
			if rm, ok := n.removed(); ok {
				out = append(out, xr("Rows Removed by "+p.key, strconv.FormatFloat(rm, 'f', 0, 64)))
			}
		}
	}
	if all := append(append(append([]*explainNode(nil), n.initPlans...), n.children...), n.subPlans...); len(all) > 0 {
		plans := make([][]xval, len(all))
		for i, c := range all {
			plans[i] = r.props(c)
		}
		out = append(out, xval{key: "Plans", kind: xPlans, plans: plans})
	}
	return out
}

// jsonString quotes s as PostgreSQL's escape_json does.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"':
			b.WriteString("\\\"")
		case '\\':
			b.WriteString("\\\\")
		case '\b':
			b.WriteString("\\b")
		case '\f':
			b.WriteString("\\f")
		case '\n':
			b.WriteString("\\n")
		case '\r':
			b.WriteString("\\r")
		case '\t':
			b.WriteString("\\t")
		default:
			if c < ' ' {
				b.WriteString("\\u00")
				b.WriteByte("0123456789abcdef"[c>>4])
				b.WriteByte("0123456789abcdef"[c&15])
			} else {
				b.WriteRune(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (r *explainRenderer) json(vals []xval, indent int) {
	pad := strings.Repeat(" ", indent)
	for i, v := range vals {
		if i > 0 {
			r.buf.WriteString(",\n")
		}
		r.buf.WriteString(pad + jsonString(v.key) + ": ")
		switch v.kind {
		case xString:
			r.buf.WriteString(jsonString(v.s))
		case xRaw:
			r.buf.WriteString(v.s)
		case xList:
			items := make([]string, len(v.list))
			for j, s := range v.list {
				items[j] = jsonString(s)
			}
			r.buf.WriteString("[" + strings.Join(items, ", ") + "]")
		case xGroup:
			r.buf.WriteString("{\n")
			r.json(v.group, indent+2)
			r.buf.WriteString("\n" + pad + "}")
		case xPlans:
			r.buf.WriteString("[\n")
			for j, p := range v.plans {
				if j > 0 {
					r.buf.WriteString(",\n")
				}
				r.buf.WriteString(pad + "  {\n")
				r.json(p, indent+4)
				r.buf.WriteString("\n" + pad + "  }")
			}
			r.buf.WriteString("\n" + pad + "]")
		}
	}
}

// yaml writes vals, the first prefixed by first ("- " for a list item).
func (r *explainRenderer) yaml(vals []xval, indent int, first string) {
	pad := strings.Repeat(" ", indent)
	for i, v := range vals {
		if i == 0 && first != "" {
			r.buf.WriteString(strings.Repeat(" ", indent-len(first)) + first)
		} else {
			r.buf.WriteString(pad)
		}
		r.buf.WriteString(v.key + ": ")
		switch v.kind {
		case xString:
			r.buf.WriteString(jsonString(v.s) + "\n")
		case xRaw:
			r.buf.WriteString(v.s + "\n")
		case xList:
			r.buf.WriteString("\n")
			for _, s := range v.list {
				r.buf.WriteString(pad + "  - " + jsonString(s) + "\n")
			}
		case xGroup:
			r.buf.WriteString("\n")
			r.yaml(v.group, indent+2, "")
		case xPlans:
			r.buf.WriteString("\n")
			for _, p := range v.plans {
				r.yaml(p, indent+4, "- ")
			}
		}
	}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;").Replace(s)
}

func (r *explainRenderer) xml(vals []xval, indent int) {
	pad := strings.Repeat(" ", indent)
	for _, v := range vals {
		tag := strings.ReplaceAll(v.key, " ", "-")
		switch v.kind {
		case xString, xRaw:
			r.buf.WriteString(pad + "<" + tag + ">" + xmlEscape(v.s) + "</" + tag + ">\n")
		case xList:
			r.buf.WriteString(pad + "<" + tag + ">\n")
			for _, s := range v.list {
				r.buf.WriteString(pad + "  <Item>" + xmlEscape(s) + "</Item>\n")
			}
			r.buf.WriteString(pad + "</" + tag + ">\n")
		case xGroup:
			r.buf.WriteString(pad + "<" + tag + ">\n")
			r.xml(v.group, indent+2)
			r.buf.WriteString(pad + "</" + tag + ">\n")
		case xPlans:
			r.buf.WriteString(pad + "<Plans>\n")
			for _, p := range v.plans {
				r.buf.WriteString(pad + "  <Plan>\n")
				r.xml(p, indent+4)
				r.buf.WriteString(pad + "  </Plan>\n")
			}
			r.buf.WriteString(pad + "</Plans>\n")
		}
	}
}

// outputs are the node's output columns: its own projection's, else
// those of the nodes it passes rows on from (a join's, side by side).
func (n *explainNode) outputs() []string {
	if n.output != nil {
		return n.output()
	}
	switch n.typ {
	case "Sort", "Limit", "Hash", "Materialize", "Aggregate", "Subquery Scan", "Append", "SetOp", "LockRows":
		if n.typ == "Aggregate" && n.name != "HashAggregate" {
			return nil
		}
		if len(n.children) > 0 {
			return n.children[0].outputs()
		}
	case "Hash Join", "Nested Loop":
		var out []string
		for _, c := range n.children {
			out = append(out, c.outputs()...)
		}
		return out
	}
	return nil
}
