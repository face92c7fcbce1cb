package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// UPDATE and DELETE of a table with children write the rows of every
// descendant too (ONLY limits them to the table). The statement is bound
// once per table of the hierarchy, each part against that table's own
// columns with the columns the named table lacks hidden, so that WHERE,
// SET and RETURNING mean what they mean on the named table; the parts run
// in turn under one snapshot and command id, so a row one part moves is
// not seen by another. An UPDATE through a partitioned table that gives a
// row a key its partition does not admit moves it: the row is deleted
// from its partition and routed again from the partitioned table.

// inhTarget is the table of the hierarchy a part of such a statement is
// bound against.
type inhTarget struct {
	// name is the name the statement gives the target.
	name   string
	member *catalog.TableDesc
	root   *catalog.TableDesc
	// rootWriter, when the root is partitioned, routes moved rows.
	rootWriter *tableWriter
}

// inhDMLPlan runs the parts of an UPDATE or DELETE of a hierarchy.
type inhDMLPlan struct {
	verb  string
	parts []boundStmt
	// trig are the triggers of the table the statement names, fired
	// once around the parts, which fire their row triggers under them
	// (trigger_route.go); ev is the statement's event.
	trig *tableTriggers
	ev   trigEvent
}

func (p *inhDMLPlan) columns() []Column { return p.parts[0].columns() }

func (p *inhDMLPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	res := &Result{Columns: p.columns()}
	n := 0
	top, err := p.trig.start(x, ec, p.ev)
	if err != nil {
		return nil, err
	}
	if top != nil {
		prevInh := x.inhTop
		x.inhTop = top
		defer func() { x.inhTop = prevInh }()
		defer x.routeUnder(top)()
	}
	for _, part := range p.parts {
		r, err := part.execute(x, ec)
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, r.Rows...)
		res.Notices = append(res.Notices, r.Notices...)
		k, _ := strconv.Atoi(r.Tag[strings.LastIndexByte(r.Tag, ' ')+1:])
		n += k
	}
	x.inhTop = nil
	if err := top.finish(); err != nil {
		return nil, err
	}
	res.Tag = p.verb + " " + strconv.Itoa(n)
	return res, nil
}

// bindInherited binds an UPDATE or DELETE of desc, which has children,
// once per table of its hierarchy; bind binds the statement against the
// target b.inhTarget names.
func (b *binder) bindInherited(desc *catalog.TableDesc, ref ast.TableRef, verb string, bind func() (boundStmt, error)) (boundStmt, error) {
	members, err := b.inheritors(desc)
	if err != nil {
		return nil, err
	}
	t := &inhTarget{name: ref.Name, member: desc, root: desc}
	if desc.IsPartitioned() {
		w, err := b.newTableWriter(desc)
		if err != nil {
			return nil, err
		}
		t.rootWriter = &w
	}
	defer func() { b.inhTarget = nil }()
	p := &inhDMLPlan{verb: verb}
	b.inhTarget = t
	part, err := bind()
	if err != nil {
		return nil, err
	}
	p.parts = append(p.parts, part)
	switch r := part.(type) {
	case *updatePlan:
		p.trig, p.ev = r.trig, trigUpdate
	case *deletePlan:
		p.trig, p.ev = r.trig, trigDelete
	}
	for _, m := range members {
		if m.table.IsPartitioned() {
			continue
		}
		b.inhTarget = &inhTarget{name: ref.Name, member: m.table, root: desc, rootWriter: t.rootWriter}
		part, err := bind()
		if err != nil {
			return nil, err
		}
		p.parts = append(p.parts, part)
	}
	return p, nil
}

// inheritedTarget returns the descriptor a part binds for the table ref
// names: the member of the hierarchy the part writes.
func (b *binder) inheritedTarget(ref ast.TableRef, desc *catalog.TableDesc) *catalog.TableDesc {
	if t := b.inhTarget; t != nil && ref.Name == t.name && desc == t.root {
		return t.member
	}
	return desc
}

// targetScope is tableScope for the target of an UPDATE or DELETE: in a
// part of a hierarchy's statement, the member's columns the named table
// lacks are hidden (no name, left out of *).
func (b *binder) targetScope(desc *catalog.TableDesc, ref ast.TableRef) *scope {
	sc := tableScope(desc, ref)
	t := b.inhTarget
	if t == nil || desc != t.member || t.member == t.root {
		return sc
	}
	for i := range sc.cols {
		// * shows the named table's columns in its order.
		k := t.root.ColumnIndex(sc.cols[i].name)
		if k < 0 {
			sc.cols[i].name, sc.cols[i].system = "", true
		}
		sc.cols[i].starPos = k + 1
	}
	return sc
}

// setMover makes w, a partition's writer in a part of an UPDATE through
// its partitioned ancestor, move rows its bound no longer admits.
func (b *binder) setMover(w *tableWriter) {
	t := b.inhTarget
	if t != nil && t.member != t.root {
		w.shown, w.shownCols = t.root, columnMap(t.root, t.member)
		if w.shownCols == nil {
			w.shownCols = make([]int, len(t.root.Columns))
			for i := range w.shownCols {
				w.shownCols[i] = i
			}
		}
	}
	if t == nil || t.rootWriter == nil || len(w.partLevels) == 0 || t.member == t.root {
		return
	}
	cols := make([]int, len(t.root.Columns))
	for i, c := range t.root.Columns {
		cols[i] = t.member.ColumnIndex(c.Name)
	}
	w.move = &rowMover{root: t.rootWriter, cols: cols}
}

// rowMover moves an updated row out of a partition that no longer admits
// it, into the one its partitioned ancestor routes it to.
type rowMover struct {
	root *tableWriter
	// cols[i] is the partition's column for the root's column i.
	cols []int
}

// admits reports whether the partition's bounds admit row.
func (w *tableWriter) admits(row []types.Datum) bool {
	for i := range w.partLevels {
		if !w.partLevels[i].admits(row) {
			return false
		}
	}
	return true
}

func (m *rowMover) move(x *execCtx, ec *evalCtx, w *tableWriter, id heap.TupleID, old, row []types.Datum) error {
	var del *triggerRun
	if x.inhTop != nil && w.trig != nil {
		del = x.inhTop.child(w.trig, trigDelete, false)
		kept, err := del.beforeRow(old, nil)
		if err != nil {
			return err
		}
		if kept == nil {
			return errSelfModified // a trigger skipped the row
		}
	}
	if err := x.s.e.heap.Delete(x.op(), id); err != nil {
		return err
	}
	if err := w.queueDelete(x, old); err != nil {
		return err
	}
	if del != nil {
		if err := del.queueAfterRow(old, nil); err != nil {
			return err
		}
	}
	w.moved = true
	out := make([]types.Datum, len(m.cols))
	for i, c := range m.cols {
		if c >= 0 {
			out[i] = row[c]
		}
	}
	if err := m.root.insertRow(x, ec, out); err != nil && err != errRowSkipped {
		return err
	}
	return nil
}
