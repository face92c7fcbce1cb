package sql

import (
	"strconv"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Writes to a view through its INSTEAD OF ROW triggers. A view with an
// INSTEAD OF trigger for an event accepts that event's statements: an
// INSERT computes each row as it would for a table (the view's columns,
// NULL where not given) and hands it to the triggers as NEW; an UPDATE
// or DELETE reads the view's rows that pass WHERE and hands each, with
// the new row an UPDATE computes, to the triggers as OLD (and NEW). The
// statement counts, and RETURNING shows, the rows for which no trigger
// returned NULL, as the last trigger returned them (OLD for DELETE).
// The view's statement triggers fire around them. UPDATE ... FROM and
// DELETE ... USING on such a view are not supported.

// hasInsteadTrigger reports whether view desc has an INSTEAD OF ROW
// trigger for the event bit ev.
func hasInsteadTrigger(desc *catalog.TableDesc, ev int16) bool {
	if desc.View == "" {
		return false
	}
	for i := range desc.Triggers {
		if desc.Triggers[i].Has(ast.TriggerInstead | ev) {
			return true
		}
	}
	return false
}

// executeInstead runs an INSERT into a view: each row goes to the
// INSTEAD OF INSERT triggers.
func (p *insertPlan) executeInstead(x *execCtx, ec *evalCtx) (*Result, error) {
	src, err := p.source.run(ec)
	if err != nil {
		return nil, err
	}
	run, err := p.trig.start(x, ec, trigInsert)
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	count := 0
	for _, s := range src {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		row := make([]types.Datum, len(p.values))
		for i, e := range p.values {
			if row[i], err = e.Eval(ec, s); err != nil {
				return nil, err
			}
		}
		out, _, err := p.trig.fireInstead(x, ec, trigInsert, nil, row)
		if err != nil {
			return nil, err
		}
		if out == nil {
			continue
		}
		if err := p.emit(ec, res, out); err != nil {
			return nil, err
		}
		count++
	}
	if err := run.finish(); err != nil {
		return nil, err
	}
	res.Tag = "INSERT 0 " + strconv.Itoa(count)
	return res, nil
}

// insteadPlan runs an UPDATE or DELETE of a view through its INSTEAD
// OF triggers.
type insteadPlan struct {
	tableWriter
	ev     trigEvent
	source plan
	where  expr
	// set[i] is UPDATE's new value of column i, or nil to keep it.
	set   []expr
	multi []multiSet
}

func (b *binder) bindInsteadUpdate(s *ast.UpdateStmt, desc *catalog.TableDesc) (boundStmt, error) {
	p, sc, err := b.bindInsteadTarget(desc, s.Table, s.From, trigUpdate, s.Where)
	if err != nil {
		return nil, err
	}
	if p.set, p.multi, err = b.bindSetMulti(desc, s.Set, sc, 0); err != nil {
		return nil, err
	}
	p.trig.setUpdated(p.set)
	return p, b.bindReturning(&p.tableWriter, s.Returning, sc)
}

func (b *binder) bindInsteadDelete(s *ast.DeleteStmt, desc *catalog.TableDesc) (boundStmt, error) {
	p, sc, err := b.bindInsteadTarget(desc, s.Table, s.Using, trigDelete, s.Where)
	if err != nil {
		return nil, err
	}
	return p, b.bindReturning(&p.tableWriter, s.Returning, sc)
}

// bindInsteadTarget binds the view's rows and WHERE for an UPDATE or
// DELETE of it. With UPDATE's FROM or DELETE's USING items, the rows are
// the view's joined to them and filtered by WHERE, the view's columns
// first: each joined row fires the triggers, and RETURNING reads the
// other items' columns after the view's.
func (b *binder) bindInsteadTarget(desc *catalog.TableDesc, ref ast.TableRef, from []ast.TableExpr, ev trigEvent, where ast.Expr) (*insteadPlan, *scope, error) {
	trig, err := b.bindTriggers(desc)
	if err != nil {
		return nil, nil, err
	}
	p := &insteadPlan{tableWriter: tableWriter{table: desc, trig: trig}, ev: ev}
	if len(from) > 0 {
		target := ref
		q := &ast.SelectStmt{From: append([]ast.TableExpr{&target}, from...), Where: where}
		sc := &scope{}
		if p.source, err = b.bindFromWhere(q, sc); err != nil {
			return nil, nil, err
		}
		return p, sc, nil
	}
	src, cols, err := b.bindViewRef(desc, &ref)
	if err != nil {
		return nil, nil, err
	}
	sc := &scope{cols: cols}
	p.source = src
	if p.where, err = b.bindWhere(where, sc); err != nil {
		return nil, nil, err
	}
	return p, sc, nil
}

func (p *insteadPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	rows, err := p.source.run(ec)
	if err != nil {
		return nil, err
	}
	run, err := p.trig.start(x, ec, p.ev)
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	width := len(p.table.Columns)
	count := 0
	for _, in := range rows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		if p.where != nil {
			v, err := p.where.Eval(ec, in)
			if err != nil {
				return nil, err
			}
			if v != true {
				continue
			}
		}
		old := in[:width:width]
		var row []types.Datum
		if p.ev == trigUpdate {
			full, err := evalMulti(ec, p.multi, in)
			if err != nil {
				return nil, err
			}
			if row, err = newRow(ec, p.set, old, full); err != nil {
				return nil, err
			}
		}
		out, _, err := p.trig.fireInstead(x, ec, p.ev, old, row)
		if err != nil {
			return nil, err
		}
		if out == nil {
			continue
		}
		if len(in) > width {
			// RETURNING reads the other FROM items' columns too.
			out = append(out[:width:width], in[width:]...)
		}
		if err := p.emit(ec, res, out); err != nil {
			return nil, err
		}
		count++
	}
	if err := run.finish(); err != nil {
		return nil, err
	}
	verb := "UPDATE "
	if p.ev == trigDelete {
		verb = "DELETE "
	}
	res.Tag = verb + strconv.Itoa(count)
	return res, nil
}
