package sql

// A data-modifying statement whose WHERE is constant false reads no row
// (updatePlan.never, deletePlan.never): PostgreSQL's plan is the
// ModifyTable over a Result that returns nothing, One-Time Filter: false.

// neverPart reports whether a part of an UPDATE or DELETE reads no row.
func neverPart(st boundStmt) bool {
	switch x := st.(type) {
	case *updatePlan:
		return x.never
	case *deletePlan:
		return x.never
	}
	return false
}

// modifyNever describes UPDATE or DELETE of table w whose WHERE is
// constant false. set are UPDATE's new column values (nil for DELETE);
// inherited is set when the table has inheritance children, which the
// row identity then names (tableoid) as PostgreSQL's does.
func (d *describer) modifyNever(op string, w *tableWriter, set []expr, inherited bool) *explainNode {
	table := w.table
	if inherited {
		// The range table holds the parent and its children: columns
		// print qualified.
		d.relations += 2
	}
	res := d.node("Result", "Result")
	res.once = true
	d.prop(res, "One-Time Filter", func() string { return "false" })
	var values []expr
	for i, e := range set {
		if e != nil {
			values = append(values, e)
			res.width += widthOf([]Column{{Type: table.Columns[i].Type}})
		}
	}
	identity := []string{"ctid"}
	if op == "Update" {
		res.width += 6
		if inherited {
			identity = []string{"NULL::oid", "NULL::tid"}
			res.width += 4
		}
	} else if inherited {
		identity = []string{"NULL::oid", "NULL::tid"}
	}
	res.output = func() []string {
		d.tlist = true
		defer func() { d.tlist = false }()
		var out []string
		for _, e := range values {
			out = append(out, d.exprText(e, "?"))
		}
		return append(out, identity...)
	}
	n := d.modify(op, table)
	n.relation, n.alias, n.schema = table.Name, table.Name, table.SchemaName()
	n.children = []*explainNode{res}
	if len(w.returning) > 0 {
		n.width = res.width
		ret := w.returning
		n.output = func() []string {
			d.tlist = true
			defer func() { d.tlist = false }()
			out := make([]string, len(ret))
			for i, e := range ret {
				out[i] = d.exprText(e, "?")
				if c, ok := e.(*colExpr); ok && out[i] == "?" && c.level == 0 && c.idx < len(table.Columns) {
					// A column RETURNING * lists.
					out[i] = d.qualify(table.Name, table.Columns[c.idx].Name)
				}
			}
			return out
		}
	}
	return n
}

// neverTarget is the writer and new values of the first part of an
// inherited UPDATE or DELETE, the table the statement names.
func neverTarget(st boundStmt) (*tableWriter, []expr, bool) {
	switch x := st.(type) {
	case *updatePlan:
		return &x.tableWriter, x.set, x.join == nil
	case *deletePlan:
		return &x.tableWriter, nil, x.join == nil
	}
	return nil, nil, false
}
