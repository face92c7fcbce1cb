package parser

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// This file translates CREATE, ALTER and DROP SEQUENCE and the sequence
// options of identity columns.

func (t *translator) createSeqStmt(s *pg.CreateSeqStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Sequence)
	if err != nil {
		return nil, err
	}
	opts, err := t.seqOptions(s.Options, false)
	if err != nil {
		return nil, err
	}
	return &ast.CreateSequenceStmt{Name: ref, IfNotExists: s.IfNotExists, Options: opts}, nil
}

func (t *translator) alterSeqStmt(s *pg.AlterSeqStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Sequence)
	if err != nil {
		return nil, err
	}
	opts, err := t.seqOptions(s.Options, false)
	if err != nil {
		return nil, err
	}
	return &ast.AlterSequenceStmt{Name: ref, IfExists: s.MissingOk, Options: opts}, nil
}

// seqInt reads a numeric option as PostgreSQL's defGetInt64 does.
func (t *translator) seqInt(d *pg.DefElem) (*int64, error) {
	switch {
	case d.Arg.GetInteger() != nil:
		n := int64(d.Arg.GetInteger().Ival)
		return &n, nil
	case d.Arg.GetFloat() != nil:
		s := d.Arg.GetFloat().Fval
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type bigint", s)
			}
			return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type bigint: \"%s\"", s)
		}
		return &n, nil
	}
	return nil, pgerr.New(pgerr.SyntaxError, "%s requires a numeric value", d.Defname)
}

// seqOptions translates a sequence option list. identity allows SEQUENCE
// NAME (an identity column's option).
func (t *translator) seqOptions(list []*pg.Node, identity bool) (ast.SequenceOptions, error) {
	var out ast.SequenceOptions
	seen := make(map[string]bool)
	for _, n := range list {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		if seen[d.Defname] {
			return out, pgerr.New(pgerr.SyntaxError, "conflicting or redundant options").WithPosition(t.pos(d.Location))
		}
		seen[d.Defname] = true
		var err error
		switch d.Defname {
		case "as":
			tn, err := t.typeName(d.Arg.GetTypeName())
			if err != nil {
				return out, err
			}
			out.As = canonicalIntName(tn.Name)
		case "increment":
			out.Increment, err = t.seqInt(d)
		case "start":
			out.Start, err = t.seqInt(d)
		case "cache":
			out.Cache, err = t.seqInt(d)
		case "minvalue":
			if d.Arg == nil {
				out.NoMinValue = true
			} else {
				out.MinValue, err = t.seqInt(d)
			}
		case "maxvalue":
			if d.Arg == nil {
				out.NoMaxValue = true
			} else {
				out.MaxValue, err = t.seqInt(d)
			}
		case "restart":
			out.Restart = true
			if d.Arg != nil {
				out.RestartWith, err = t.seqInt(d)
			}
		case "cycle":
			c := d.Arg.GetBoolean().GetBoolval()
			out.Cycle = &c
		case "owned_by":
			names := d.Arg.GetList().GetItems()
			if len(names) == 1 && strings.ToLower(str(names[0])) == "none" {
				out.OwnedByNone = true
				continue
			}
			if len(names) < 2 {
				return out, pgerr.New(pgerr.SyntaxError, "invalid OWNED BY option").
					WithHint("Specify OWNED BY table.column or OWNED BY NONE.")
			}
			if len(names) > 3 {
				return out, crossDatabaseRef(names[:len(names)-1])
			}
			out.OwnedBy = []string{t.name(names[len(names)-2]), t.name(names[len(names)-1])}
			if len(names) == 3 {
				out.OwnedBy[0] = QualifiedName(t.name(names[0]), out.OwnedBy[0])
			}
		case "sequence_name":
			names := d.Arg.GetList().GetItems()
			if !identity || len(names) == 0 {
				return out, pgerr.New(pgerr.SyntaxError, "option \"%s\" not recognized", d.Defname)
			}
			out.SequenceName = t.name(names[len(names)-1])
		default:
			return out, pgerr.New(pgerr.SyntaxError, "option \"%s\" not recognized", d.Defname).WithPosition(t.pos(d.Location))
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// alterIdentity translates ALTER COLUMN ... ADD GENERATED AS IDENTITY, SET
// GENERATED, SET sequence options, RESTART and DROP IDENTITY; nil for any
// other subcommand.
func (t *translator) alterIdentity(cmd *pg.AlterTableCmd) (*ast.AlterIdentity, error) {
	col := TruncateIdent(cmd.Name)
	switch cmd.Subtype {
	case pg.AlterTableType_AT_AddIdentity:
		c := cmd.Def.GetConstraint()
		if c == nil {
			return nil, nil
		}
		opts, err := t.seqOptions(c.Options, true)
		if err != nil {
			return nil, err
		}
		return &ast.AlterIdentity{Column: col, Op: "add", Generated: c.GeneratedWhen, Options: opts}, nil
	case pg.AlterTableType_AT_SetIdentity:
		out := &ast.AlterIdentity{Column: col, Op: "set"}
		var seqOpts []*pg.Node
		for _, n := range cmd.Def.GetList().GetItems() {
			d := n.GetDefElem()
			if d == nil {
				continue
			}
			if d.Defname == "generated" {
				if out.Generated != "" {
					return nil, pgerr.New(pgerr.SyntaxError, "conflicting or redundant options").WithPosition(t.pos(d.Location))
				}
				out.Generated = string(rune(d.Arg.GetInteger().GetIval()))
				continue
			}
			seqOpts = append(seqOpts, n)
		}
		opts, err := t.seqOptions(seqOpts, false)
		if err != nil {
			return nil, err
		}
		out.Options = opts
		return out, nil
	case pg.AlterTableType_AT_DropIdentity:
		return &ast.AlterIdentity{Column: col, Op: "drop", MissingOk: cmd.MissingOk}, nil
	}
	return nil, nil
}

// canonicalIntName maps the spellings of the integer types to int2, int4
// and int8; other names stay as they are.
func canonicalIntName(name string) string {
	switch name {
	case "int2", "smallint":
		return "int2"
	case "int4", "int", "integer":
		return "int4"
	case "int8", "bigint":
		return "int8"
	}
	return name
}
