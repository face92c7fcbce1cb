package sql

import (
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// COPY table [(columns)] TO STDOUT writes the table's rows, as the
// statement's snapshot sees them, in COPY's text format: fields in their
// types' text output, separated by the delimiter, NULL as the null
// string, and a backslash before the characters that would be misread
// (backslash, the delimiter, newline, carriage return, tab, backspace,
// form feed, vertical tab, as \\, \n, \r, \t, \b, \f, \v). The lines are
// built whole, counted against the statement's memory, and sent by the
// wire protocol as CopyData messages (Result.CopyOut). A read-only
// transaction may run it. Views need COPY (query) TO, which cairn lacks.

type copyToPlan struct {
	stmt *ast.CopyStmt
	scan *scanNode
	// fields[i] is the table column of field i.
	fields []int
}

func (p *copyToPlan) columns() []Column { return nil }

func (b *binder) bindCopyTo(s *ast.CopyStmt, desc *catalog.TableDesc) (boundStmt, error) {
	if desc.View != "" {
		return nil, pgerr.New(pgerr.WrongObjectType, "cannot copy from view \"%s\"", desc.Name).
			WithHint("Try the COPY (SELECT ...) TO variant.")
	}
	p := &copyToPlan{stmt: s, scan: &scanNode{table: desc, cols: tableColumns(desc)}}
	if s.Columns == nil {
		for i := range desc.Columns {
			p.fields = append(p.fields, i)
		}
	}
	seen := make(map[int]bool)
	for _, name := range s.Columns {
		i := desc.ColumnIndex(name)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name)
		}
		if seen[i] {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
		}
		seen[i] = true
		p.fields = append(p.fields, i)
	}
	return p, nil
}

func (p *copyToPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	rows, err := p.scan.run(ec)
	if err != nil {
		return nil, err
	}
	cols := p.scan.table.Columns
	out := &CopyOut{Columns: len(p.fields)}
	for _, row := range rows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		var line []byte
		for i, f := range p.fields {
			if i > 0 {
				line = append(line, p.stmt.Delimiter)
			}
			if row[f] == nil {
				line = append(line, p.stmt.Null...)
				continue
			}
			line = appendCopyText(line, types.FormatText(cols[f].Type, row[f]), p.stmt.Delimiter)
		}
		line = append(line, '\n')
		if err := ec.grow(int64(len(line)) + sliceHeaderBytes); err != nil {
			return nil, err
		}
		out.Lines = append(out.Lines, line)
	}
	return &Result{Tag: "COPY " + strconv.Itoa(len(out.Lines)), CopyOut: out}, nil
}

// appendCopyText appends s escaped for COPY's text format.
func appendCopyText(dst []byte, s string, delim byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\v':
			dst = append(dst, '\\', 'v')
		default:
			if c == delim {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		}
	}
	return dst
}
