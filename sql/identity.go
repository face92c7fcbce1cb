package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Identity columns (GENERATED ... AS IDENTITY) take their values from a
// sequence of their own, named in the column's descriptor (IdentitySeq)
// and owned by the column with an internal dependency: only the column's
// table (or DROP IDENTITY) drops it. INSERT binds the sequence's nextval
// where the column gets no value (dml.go); a GENERATED ALWAYS column
// refuses a value unless OVERRIDING SYSTEM VALUE (428C9).

// alterIdentityPlan runs ALTER TABLE ... ALTER COLUMN ... ADD GENERATED AS
// IDENTITY, SET GENERATED, SET sequence options, RESTART and DROP
// IDENTITY, under an ACCESS EXCLUSIVE table lock.
type alterIdentityPlan struct{ stmt *ast.AlterTableStmt }

func (p *alterIdentityPlan) columns() []Column { return nil }

func (p *alterIdentityPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	a := p.stmt.Identity
	table, tuple, res, err := lockAlterTarget(x, p.stmt)
	if table == nil {
		return res, err
	}
	i := table.ColumnIndex(a.Column)
	if i < 0 {
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", a.Column, table.Name)
	}
	col := table.Columns[i]
	notIdentity := func() error {
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" is not an identity column", col.Name, table.Name)
	}
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	switch a.Op {
	case "add":
		switch {
		case !col.Type.IsInteger():
			return nil, pgerr.New(pgerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
		case !col.NotNull:
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" must be declared NOT NULL before identity can be added", col.Name, table.Name)
		case col.Identity != "":
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" is already an identity column", col.Name, table.Name)
		case col.Default != "":
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" already has a default value", col.Name, table.Name)
		}
		name := a.Options.SequenceName
		if name == "" {
			if name, err = chooseSequenceName(x, table.Schema, table.Name, col.Name, nil); err != nil {
				return nil, err
			}
		}
		name = catalog.Key(table.Schema, name)
		owner := &catalog.SequenceDesc{OwnedBy: table.Key(), OwnedCol: col.Name}
		if _, err := createSequence(x, name, a.Options, true, col.Type.ID, owner); err != nil {
			return nil, err
		}
		updated.Columns[i].Identity, updated.Columns[i].IdentitySeq = a.Generated, name
	case "set":
		if col.Identity == "" {
			return nil, notIdentity()
		}
		seq, seqTuple, err := e.cat.Lookup(x.snap, col.IdentitySeq)
		if err != nil {
			return nil, err
		}
		if seq == nil || seq.Sequence == nil {
			return nil, pgerr.New(pgerr.InternalError, "identity sequence %q of column %q is missing", col.IdentitySeq, col.Name)
		}
		if err := alterSequenceOptions(x, seq, seqTuple, a.Options); err != nil {
			return nil, err
		}
		if a.Generated == "" {
			return res, nil
		}
		updated.Columns[i].Identity = a.Generated
	case "drop":
		if col.Identity == "" {
			if a.MissingOk {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "column \"" + col.Name + "\" of relation \"" + table.Name + "\" is not an identity column, skipping"})
				return res, nil
			}
			return nil, notIdentity()
		}
		seqDesc, seqTuple, err := e.cat.Lookup(x.snap, col.IdentitySeq)
		if err != nil {
			return nil, err
		}
		if seqDesc != nil {
			if err := e.cat.Drop(x.op(), seqTuple); err != nil {
				return nil, err
			}
			x.s.droppedSeqs = append(x.s.droppedSeqs, seqDesc.ID)
		}
		updated.Columns[i].Identity, updated.Columns[i].IdentitySeq = "", ""
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// discardPlan is DISCARD SEQUENCES: the session forgets its sequences'
// currval, cached values and lastval.
type discardPlan struct{}

func (discardPlan) columns() []Column { return nil }

func (discardPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	x.s.seqs, x.s.lastSeq = nil, 0
	return &Result{Tag: "DISCARD SEQUENCES"}, nil
}

// retypeIdentitySequence gives an identity column's sequence the column's
// new type t, as ALTER SEQUENCE ... AS would (a bound at the old type's
// limit moves to the new type's), as PostgreSQL does when the column's
// type changes.
func retypeIdentitySequence(x *execCtx, col catalog.ColumnDesc, t types.T) error {
	if col.Identity == "" || col.IdentitySeq == "" || col.Type.ID == t.ID {
		return nil
	}
	seq, seqTuple, err := x.s.e.cat.Lookup(x.snap, col.IdentitySeq)
	if err != nil {
		return err
	}
	if seq == nil || seq.Sequence == nil {
		return pgerr.New(pgerr.InternalError, "identity sequence %q of column %q is missing", col.IdentitySeq, col.Name)
	}
	as := map[types.ID]string{types.Int2: "int2", types.Int4: "int4", types.Int8: "int8"}[t.ID]
	return alterSequenceOptions(x, seq, seqTuple, ast.SequenceOptions{As: as})
}
