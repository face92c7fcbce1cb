package sql

import (
	"context"
	"slices"
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// COPY table [(columns)] TO STDOUT and COPY (query) TO STDOUT write rows
// in PostgreSQL's text or CSV format to a CopySink, which the wire layer
// turns into CopyData messages, one per line:
//
//   - text: fields separated by the delimiter, NULL as the NULL string
//     (\N), and in values a backslash, the delimiter and the control
//     characters \b \f \n \r \t \v written as backslash escapes.
//   - CSV: a value is quoted when FORCE_QUOTE names its column, or it
//     equals the NULL string (so an empty string differs from NULL's
//     default empty text), or it holds the delimiter, the quote character,
//     a newline or a carriage return, or it is \. alone on a line of one
//     column; inside quotes, the quote and escape characters are preceded
//     by the escape character.
//   - HEADER writes the column names first, formatted as values are.
//
// Values are formatted by their types' text output, as query results in
// text format are. The rows are those a SELECT of the same columns, or
// the query itself, returns under the statement's snapshot.

// CopySink takes the data of COPY ... TO STDOUT from Session.CopyOut.
type CopySink interface {
	// Begin is called once the statement has been checked, before the
	// first line, with the number of columns and whether the data is in
	// binary format. The wire protocol answers CopyOutResponse here. An
	// error fails the COPY.
	Begin(columns int, binary bool) error
	// Line takes one line of data, its end of line included (in binary
	// format: one row, or the trailer, the first of them preceded by the
	// header); the sink may keep it only until Line returns.
	Line(line []byte) error
}

// CopyToStdout reports whether p is COPY ... TO STDOUT, which runs with
// Session.CopyOut rather than Execute.
func (p *Prepared) CopyToStdout() bool {
	s, ok := p.stmt.(*ast.CopyStmt)
	return ok && s.To
}

// CopyOut runs p, a COPY ... TO STDOUT statement, writing its lines to
// sink. Transactions work as for Execute.
func (s *Session) CopyOut(ctx context.Context, p *Prepared, sink CopySink) (*Result, error) {
	if !p.CopyToStdout() {
		return nil, pgerr.New(pgerr.InternalError, "CopyOut of a statement that is not COPY TO STDOUT")
	}
	s.copySink = sink
	defer func() { s.copySink = nil }()
	return s.Execute(ctx, p, nil)
}

type copyToPlan struct {
	stmt  *ast.CopyStmt
	query plan
	cols  []Column
	// forceQuote[i]: FORCE_QUOTE names column i.
	forceQuote []bool
	// relid is the table copied (0 for a query), for
	// pg_stat_progress_copy.
	relid uint32
}

func (p *copyToPlan) columns() []Column { return nil }

func (b *binder) bindCopyTo(s *ast.CopyStmt) (boundStmt, error) {
	q := s.Query
	var desc *catalog.TableDesc
	if q == nil {
		var err error
		desc, err = b.lookupTableStrict(s.Table)
		if err != nil {
			return nil, err
		}
		if desc.View != "" {
			return nil, pgerr.New(pgerr.WrongObjectType, "cannot copy from view \"%s\"", desc.Name).
				WithHint("Try the COPY (SELECT ...) TO variant.")
		}
		if desc.IsPartitioned() {
			return nil, pgerr.New(pgerr.WrongObjectType, "cannot copy from partitioned table \"%s\"", desc.Name).
				WithHint("Try the COPY (SELECT ...) TO variant.")
		}
		for _, i := range namedColumns(desc, s.Columns) {
			b.noteColumn(desc.ID, int16(i+1))
		}
		b.require(desc, catalog.PrivSelect, nil)
		// The table's own rows, not its children's, as in PostgreSQL.
		q = &ast.SelectStmt{From: []ast.TableExpr{&ast.TableRef{System: s.Table.System, Name: s.Table.Name, Only: true}}}
		if s.Columns == nil {
			// Every column but the generated ones, as PostgreSQL's
			// COPY without a column list.
			for _, c := range desc.Columns {
				if c.Generated == "" {
					q.Targets = append(q.Targets, ast.Target{Expr: &ast.ColumnRef{Column: c.Name}})
				}
			}
		}
		seen := make(map[string]bool)
		for _, name := range s.Columns {
			if desc.ColumnIndex(name) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name)
			}
			if seen[name] {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
			}
			seen[name] = true
			q.Targets = append(q.Targets, ast.Target{Expr: &ast.ColumnRef{Column: name}})
		}
	}
	query, err := b.bindTopQuery(q, "COPY")
	if err != nil {
		return nil, err
	}
	p := &copyToPlan{stmt: s, query: query, cols: query.columns()}
	if desc != nil {
		p.relid = desc.ID
	}
	p.forceQuote = make([]bool, len(p.cols))
	for _, name := range s.ForceQuote {
		i := slices.IndexFunc(p.cols, func(c Column) bool { return c.Name == name })
		if i < 0 {
			if desc != nil && desc.ColumnIndex(name) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name)
			}
			return nil, pgerr.New(pgerr.InvalidColumnReference, "FORCE_QUOTE column \"%s\" not referenced by COPY", name)
		}
		p.forceQuote[i] = true
	}
	if s.ForceQuoteAll {
		for i := range p.forceQuote {
			p.forceQuote[i] = true
		}
	}
	return p, nil
}

func (p *copyToPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	sink := x.s.copySink
	style := x.s.TypeStyle()
	if sink == nil {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY TO STDOUT needs a client that takes the data (the COPY sub-protocol)")
	}
	prog, endProgress := x.s.startProgress(progressCopy, p.relid, "COPY TO")
	defer endProgress()
	// The rows go to the sink as the query makes them, so that a client
	// reading slowly holds the query rather than the server holding the
	// data. The sink begins with the first row, or at the end when there
	// is none: a query failing before its first row answers with the
	// error alone, as PostgreSQL's does when planning fails.
	var codec CopyEncoder
	if p.stmt.Binary {
		var ok bool
		if codec, ok = sink.(CopyEncoder); !ok {
			return nil, errNoCodec()
		}
	}
	var line []byte
	begun := false
	begin := func() error {
		begun = true
		if err := sink.Begin(len(p.cols), p.stmt.Binary); err != nil {
			return err
		}
		if p.stmt.Binary {
			// The header shares the first line (a row's, or the
			// trailer's when there are none): psycopg 3 reads the
			// first CopyData as header and row.
			line = copyBinaryHeader()
			return nil
		}
		if !p.stmt.Header {
			return nil
		}
		for i, c := range p.cols {
			if i > 0 {
				line = append(line, p.stmt.Delimiter)
			}
			line = p.appendField(line, c.Name, false)
		}
		err := sink.Line(append(line, '\n'))
		line = line[:0]
		return err
	}
	n := 0
	err := streamRows(ec, p.query, func(row []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		if !begun {
			if err := begin(); err != nil {
				return err
			}
		}
		if p.stmt.Binary {
			var err error
			if line, err = appendBinaryRow(line, codec, p.cols, row); err != nil {
				return err
			}
		} else {
			line = p.appendTextRow(line, row, style)
		}
		if err := sink.Line(line); err != nil {
			return err
		}
		n++
		prog.n[copyBytes].Add(int64(len(line)))
		prog.add(copyTuples, 1)
		line = line[:0]
		return nil
	})
	if err == nil && !begun {
		err = begin()
	}
	if err == nil && p.stmt.Binary {
		err = sink.Line(append(line, copyBinaryTrailer...))
	}
	if err != nil {
		return nil, err
	}
	return &Result{Tag: "COPY " + strconv.Itoa(n)}, nil
}

// appendTextRow appends row as a line of the text or CSV format.
func (p *copyToPlan) appendTextRow(line []byte, row []types.Datum, style types.Style) []byte {
	for i, d := range row {
		if i > 0 {
			line = append(line, p.stmt.Delimiter)
		}
		if d == nil {
			line = append(line, p.stmt.Null...)
			continue
		}
		line = p.appendField(line, types.FormatTextStyle(p.cols[i].Type, d, style), p.forceQuote[i])
	}
	return append(line, '\n')
}

// appendField appends one non-NULL value in the statement's format.
func (p *copyToPlan) appendField(buf []byte, v string, forceQuote bool) []byte {
	if p.stmt.CSV {
		return appendCSVField(buf, v, p.stmt.Delimiter, p.stmt.Quote, p.stmt.Escape, p.stmt.Null, forceQuote, len(p.cols) == 1)
	}
	return appendTextField(buf, v, p.stmt.Delimiter)
}

// appendTextField appends v escaped as COPY's text format writes it.
func appendTextField(buf []byte, v string, delim byte) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c < 0x20 && textEscapes[c] != 0:
			buf = append(buf, '\\', textEscapes[c])
		case c == '\\' || c == delim:
			buf = append(buf, '\\', c)
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

// textEscapes are the letters of the control characters COPY's text
// format writes as backslash escapes.
var textEscapes = [0x20]byte{'\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v'}

// appendCSVField appends v as COPY's CSV format writes it (see above).
func appendCSVField(buf []byte, v string, delim, quote, escape byte, null string, force, single bool) []byte {
	use := force || v == null || (single && v == `\.`)
	for i := 0; !use && i < len(v); i++ {
		switch v[i] {
		case delim, quote, '\n', '\r':
			use = true
		}
	}
	if !use {
		return append(buf, v...)
	}
	buf = append(buf, quote)
	for i := 0; i < len(v); i++ {
		if v[i] == quote || v[i] == escape {
			buf = append(buf, escape)
		}
		buf = append(buf, v[i])
	}
	return append(buf, quote)
}
