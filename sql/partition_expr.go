package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Partition keys on expressions: PARTITION BY RANGE (a, (b + 0)) or LIST
// (lower(a)). The key keeps the expression's canonical text
// (catalog.PartitionKey.Exprs) and its type; routing, partition
// constraints and pruning compute it from the row. Pruning leaves such a
// key alone (it only reads columns).

// bindPartitionKeyExpr checks expression key j of desc's PARTITION BY and
// adds it to key.
func (b *binder) bindPartitionKeyExpr(key *catalog.PartitionKey, desc *catalog.TableDesc, text string, j int, pos int32) error {
	e, err := b.parseCheck(text)
	if err != nil {
		return err
	}
	if err := indexExprAllowed(e, "partition key expression", "partition key expressions"); err != nil {
		return err
	}
	bound, err := b.bindExpr(e, tableScope(desc, ast.TableRef{Name: desc.Name}))
	if err != nil {
		return err
	}
	t := bound.Type()
	if t.ID == types.Unknown {
		t = types.New(types.Text)
	}
	if c, ok := bound.(*constExpr); ok && c != nil {
		return pgerr.New(pgerr.InvalidObjectDefinition, "cannot use constant expression as partition key").WithPosition(pos)
	}
	for len(key.Exprs) < j {
		key.Exprs = append(key.Exprs, "")
		key.ExprTypes = append(key.ExprTypes, types.T{})
	}
	key.Exprs = append(key.Exprs, text)
	key.ExprTypes = append(key.ExprTypes, t)
	key.Columns = append(key.Columns, -1)
	return nil
}

// partKeyExprs binds parent's expression keys over the columns of base (a
// table with parent's columns, by name): nil entries for column keys, a
// nil slice when parent has none.
func (b *binder) partKeyExprs(base, parent *catalog.TableDesc) ([]expr, error) {
	if !parent.PartKey.HasExprs() {
		return nil, nil
	}
	if b.s == nil {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "partition keys on expressions are not supported here")
	}
	out := make([]expr, len(parent.PartKey.Columns))
	sc := tableScope(base, ast.TableRef{Name: base.Name})
	// Routing a row reads its key for the system, not for the user: the
	// columns an expression key reads need no SELECT privilege.
	for i := range sc.cols {
		sc.cols[i].tableID = 0
	}
	for i := range parent.PartKey.Columns {
		text := parent.PartKey.KeyExpr(i)
		if text == "" {
			continue
		}
		e, err := b.parseCheck(text)
		if err != nil {
			return nil, err
		}
		if out[i], err = b.bindExpr(e, sc); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// partKeyOf computes a partition key from a row: column keys read cols[i]
// (-1 for a column the row lacks), expression keys evaluate exprs[i].
func partKeyOf(cols []int, exprs []expr, row []types.Datum) ([]types.Datum, error) {
	key := make([]types.Datum, len(cols))
	for i, c := range cols {
		if i < len(exprs) && exprs[i] != nil {
			v, err := exprs[i].Eval(&evalCtx{}, row)
			if err != nil {
				return nil, err
			}
			key[i] = v
			continue
		}
		if c >= 0 && c < len(row) {
			key[i] = row[c]
		}
	}
	return key, nil
}
