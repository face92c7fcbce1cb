package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// inheritance translates CREATE TABLE's INHERITS, PARTITION BY and
// PARTITION OF clauses into out.
func (t *translator) inheritance(s *pg.CreateStmt, out *ast.CreateTableStmt) error {
	if s.OfTypename != nil {
		tn, err := t.typeName(s.OfTypename)
		if err != nil {
			return err
		}
		out.OfType = &tn
	}
	if s.Partbound != nil {
		// PARTITION OF parent: the grammar puts the parent in
		// InhRelations.
		if len(s.InhRelations) != 1 || s.InhRelations[0].GetRangeVar() == nil {
			return t.unsupported("this PARTITION OF clause", s.Relation.Location)
		}
		parent, err := t.rangeVar(s.InhRelations[0].GetRangeVar())
		if err != nil {
			return err
		}
		parent.Only = false
		out.PartitionOf = &parent
		if out.Bound, err = t.partitionBound(s.Partbound); err != nil {
			return err
		}
	} else {
		for _, n := range s.InhRelations {
			rv := n.GetRangeVar()
			if rv == nil {
				return t.unsupported("this INHERITS clause", s.Relation.Location)
			}
			ref, err := t.rangeVar(rv)
			if err != nil {
				return err
			}
			ref.Only = false
			out.Inherits = append(out.Inherits, ref)
		}
	}
	if p := s.Partspec; p != nil {
		spec := &ast.PartitionSpec{Pos: t.pos(p.Location)}
		switch p.Strategy {
		case pg.PartitionStrategy_PARTITION_STRATEGY_RANGE:
			spec.Strategy = "range"
		case pg.PartitionStrategy_PARTITION_STRATEGY_LIST:
			spec.Strategy = "list"
		case pg.PartitionStrategy_PARTITION_STRATEGY_HASH:
			spec.Strategy = "hash"
		default:
			return t.unsupported("this partitioning strategy", p.Location)
		}
		for j, n := range p.PartParams {
			e := n.GetPartitionElem()
			if e == nil {
				return t.unsupported("this partition key", p.Location)
			}
			if e.Expr != nil {
				if cr := e.Expr.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
					spec.Columns = append(spec.Columns, t.name(cr.Fields[0]))
					spec.ColumnPos = append(spec.ColumnPos, t.pos(cr.Location))
					continue
				}
				if len(e.Collation) > 0 || len(e.Opclass) > 0 {
					return t.unsupported("COLLATE or operator classes on a partition key expression", e.Location)
				}
				// A key on an expression, kept as canonical text.
				x, text, err := t.defaultExpr(e.Expr)
				if err != nil {
					return err
				}
				if spec.Exprs == nil {
					spec.Exprs = make([]string, len(p.PartParams))
					spec.ExprNodes = make([]ast.Expr, len(p.PartParams))
				}
				spec.Exprs[j], spec.ExprNodes[j] = text, x
				spec.Columns = append(spec.Columns, "")
				spec.ColumnPos = append(spec.ColumnPos, t.pos(e.Location))
				continue
			}
			if len(e.Opclass) > 0 {
				// The binder checks the class against the column's
				// type and the strategy's access method.
				for len(spec.Opclasses) < len(spec.Columns) {
					spec.Opclasses = append(spec.Opclasses, "")
				}
				spec.Opclasses = append(spec.Opclasses, str(e.Opclass[len(e.Opclass)-1]))
			}
			coll := ""
			if len(e.Collation) > 0 {
				// C and POSIX order text by code point, as cairn does;
				// other collations it cannot honour.
				switch coll = str(e.Collation[len(e.Collation)-1]); coll {
				case "C", "POSIX":
				case "default":
					coll = ""
				default:
					return t.unsupported("COLLATE \""+coll+"\" in a partition key", e.Location)
				}
			}
			for len(spec.Collations) < len(spec.Columns) {
				spec.Collations = append(spec.Collations, "")
			}
			spec.Collations = append(spec.Collations, coll)
			spec.Columns = append(spec.Columns, TruncateIdent(e.Name))
			spec.ColumnPos = append(spec.ColumnPos, t.pos(e.Location))
		}
		out.PartitionBy = spec
	}
	return nil
}

// partitionBound translates FOR VALUES ... or DEFAULT.
func (t *translator) partitionBound(b *pg.PartitionBoundSpec) (*ast.PartitionBound, error) {
	out := &ast.PartitionBound{Default: b.IsDefault, Pos: t.pos(b.Location)}
	if b.IsDefault {
		return out, nil
	}
	switch b.Strategy {
	case "l":
		out.Strategy = "list"
		if len(b.Listdatums) > 0 {
			out.ValuesPos = t.pos(nodeLocation(b.Listdatums[0]))
		}
		for _, n := range b.Listdatums {
			e, err := t.expr(n)
			if err != nil {
				return nil, err
			}
			out.In = append(out.In, e)
		}
	case "r":
		out.Strategy = "range"
		if len(b.Lowerdatums) > 0 {
			out.ValuesPos = t.pos(nodeLocation(b.Lowerdatums[0]))
		}
		var err error
		if out.From, out.FromKind, err = t.rangeDatums(b.Lowerdatums); err != nil {
			return nil, err
		}
		if out.To, out.ToKind, err = t.rangeDatums(b.Upperdatums); err != nil {
			return nil, err
		}
	case "h":
		out.Strategy = "hash"
		out.Modulus, out.Remainder = int(b.Modulus), int(b.Remainder)
	default:
		return nil, t.unsupported("this partition bound", b.Location)
	}
	return out, nil
}

// rangeDatums translates one side of a range bound: values, MINVALUE and
// MAXVALUE (which the raw grammar leaves as column references).
func (t *translator) rangeDatums(ns []*pg.Node) ([]ast.Expr, []ast.RangeDatumKind, error) {
	var vals []ast.Expr
	var kinds []ast.RangeDatumKind
	for _, n := range ns {
		if d := n.GetPartitionRangeDatum(); d != nil {
			switch d.Kind {
			case pg.PartitionRangeDatumKind_PARTITION_RANGE_DATUM_MINVALUE:
				vals, kinds = append(vals, nil), append(kinds, ast.RangeMinValue)
				continue
			case pg.PartitionRangeDatumKind_PARTITION_RANGE_DATUM_MAXVALUE:
				vals, kinds = append(vals, nil), append(kinds, ast.RangeMaxValue)
				continue
			}
			n = d.Value
		}
		if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
			switch cr.Fields[0].GetString_().Sval {
			case "minvalue":
				vals, kinds = append(vals, nil), append(kinds, ast.RangeMinValue)
				continue
			case "maxvalue":
				vals, kinds = append(vals, nil), append(kinds, ast.RangeMaxValue)
				continue
			}
		}
		e, err := t.expr(n)
		if err != nil {
			return nil, nil, err
		}
		vals, kinds = append(vals, e), append(kinds, ast.RangeValue)
	}
	return vals, kinds, nil
}

// partitionCmd translates ALTER TABLE's INHERIT, NO INHERIT, ATTACH
// PARTITION and DETACH PARTITION; nil for the other subcommands.
func (t *translator) partitionCmd(cmd *pg.AlterTableCmd, out *ast.AlterTableStmt) (bool, error) {
	switch cmd.Subtype {
	case pg.AlterTableType_AT_AddInherit, pg.AlterTableType_AT_DropInherit:
		rv := cmd.Def.GetRangeVar()
		if rv == nil {
			return false, nil
		}
		ref, err := t.rangeVar(rv)
		if err != nil {
			return false, err
		}
		ref.Only = false
		if cmd.Subtype == pg.AlterTableType_AT_AddInherit {
			out.Inherit = &ref
		} else {
			out.NoInherit = &ref
		}
		return true, nil
	case pg.AlterTableType_AT_AttachPartition, pg.AlterTableType_AT_DetachPartition:
		pc := cmd.Def.GetPartitionCmd()
		if pc == nil || pc.Name == nil {
			return false, nil
		}
		ref, err := t.rangeVar(pc.Name)
		if err != nil {
			return false, err
		}
		ref.Only = false
		c := &ast.PartitionCmd{Table: ref, Concurrently: pc.Concurrent}
		if cmd.Subtype == pg.AlterTableType_AT_AttachPartition {
			if pc.Bound == nil {
				return false, pgerr.New(pgerr.SyntaxError, "syntax error: ATTACH PARTITION needs FOR VALUES")
			}
			if c.Bound, err = t.partitionBound(pc.Bound); err != nil {
				return false, err
			}
			out.Attach = c
		} else {
			out.Detach = c
		}
		return true, nil
	}
	return false, nil
}

// nodeLocation is the byte offset of an expression node, or -1.
func nodeLocation(n *pg.Node) int32 {
	switch {
	case n.GetAConst() != nil:
		return n.GetAConst().Location
	case n.GetColumnRef() != nil:
		return n.GetColumnRef().Location
	case n.GetTypeCast() != nil:
		return n.GetTypeCast().Location
	case n.GetAExpr() != nil:
		return n.GetAExpr().Location
	case n.GetFuncCall() != nil:
		return n.GetFuncCall().Location
	case n.GetPartitionRangeDatum() != nil:
		return n.GetPartitionRangeDatum().Location
	}
	return -1
}
