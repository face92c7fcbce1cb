package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
)

// setLoggedPlan is ALTER TABLE ... SET LOGGED | SET UNLOGGED. cairn logs
// the writes of unlogged tables too (catalog.TableDesc.Unlogged), so only
// the recorded persistence changes, for the table and the sequences it
// owns, as in PostgreSQL 15; the foreign key rules are PostgreSQL's: a
// logged table may not reference an unlogged one, and an unlogged table
// may not be referenced by a logged one.
type setLoggedPlan struct{ stmt *ast.AlterTableStmt }

func (p *setLoggedPlan) columns() []Column { return nil }

func (p *setLoggedPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	logged := *s.SetLogged
	table, tuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	if table.Temp() {
		return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot change logged status of table \"%s\" because it is temporary", table.Name).
			WithObject(table.SchemaName(), table.Name, "", "")
	}
	if table.Unlogged != logged || table.IsPartitioned() {
		// Already so, or a partitioned table, which stores nothing:
		// PostgreSQL changes nothing and says nothing.
		return res, nil
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]*catalog.TableDesc, len(all))
	for _, d := range all {
		byKey[d.Key()] = d
	}
	if logged {
		for _, fk := range table.ForeignKeys {
			if ref := byKey[fk.RefTable]; ref != nil && ref.ID != table.ID && ref.Unlogged {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "could not change table \"%s\" to logged because it references unlogged table \"%s\"", table.Name, ref.Name).
					WithObject(table.SchemaName(), table.Name, "", fk.Name)
			}
		}
	} else {
		for _, d := range all {
			if d.ID == table.ID || d.Unlogged || d.Temp() {
				continue
			}
			for _, fk := range d.ForeignKeys {
				if fk.RefTable == table.Key() {
					return nil, pgerr.New(pgerr.InvalidTableDefinition, "could not change table \"%s\" to unlogged because it references logged table \"%s\"", table.Name, d.Name).
						WithObject(table.SchemaName(), table.Name, "", fk.Name)
				}
			}
		}
	}
	updated := *table
	updated.Unlogged = !logged
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	for _, d := range all {
		if d.Sequence == nil || d.Sequence.OwnedBy != table.Key() || d.Unlogged == !logged {
			continue
		}
		_, seqTuple, err := x.s.e.cat.Lookup(x.snap, d.Key())
		if err != nil {
			return nil, err
		}
		seq := *d
		seq.Unlogged = !logged
		if err := replaceTableDesc(x, seqTuple, &seq); err != nil {
			return nil, err
		}
	}
	return res, nil
}
