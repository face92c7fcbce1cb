package sql

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// COPY table [(columns)] FROM STDIN reads rows in PostgreSQL's text
// format from a CopySource, which the wire layer fills from the client's
// CopyData messages:
//
//   - One row per line; a line ends with \n, or with \r\n when the first
//     line does (the style is then required of every line, and a raw \r
//     elsewhere is an error, 22P04).
//   - Fields are separated by the delimiter (tab by default). A field
//     whose raw text equals the NULL string (\N by default) is NULL.
//   - Backslash escapes: \b \f \n \r \t \v, \ooo (one to three octal
//     digits), \xhh (one or two hex digits); a backslash before any other
//     character (the delimiter, a backslash, a newline) stands for that
//     character.
//   - A line holding \. ends the data; whatever follows is read and
//     ignored, as PostgreSQL does.
//
// Each field goes through its column's input function and assignment
// rules, as INSERT does, and the row is checked and stored as INSERT
// stores it; into a table without a primary key, index or foreign key the
// rows are stored in bulk (copyBuffer): WAL records of many rows, or, for
// a large COPY when the store can, LSM tables ingested directly
// (heap.Heap.IngestRows), which skips the WAL and the memtable. The COPY
// is one statement: any error fails it, and with it the whole COPY's
// rows (outside BEGIN the implicit transaction rolls back; inside, the
// transaction is aborted). FREEZE requires, as in PostgreSQL, that the
// table was created or truncated in the current transaction (and
// since its latest savepoint), else 55000; it then has no further effect:
// visibility in cairn comes from the commit log, and there are no
// per-tuple hints to set ahead of time.

// CopySource supplies the data of COPY ... FROM STDIN to Session.CopyIn.
type CopySource interface {
	// Begin is called once the statement has been checked, before the
	// first Read, with the number of fields each row holds and whether the
	// data is in binary format. The wire protocol answers CopyInResponse
	// here. An error fails the COPY.
	Begin(columns int, binary bool) error
	// Read reads data as io.Reader does; io.EOF ends it. Any other error
	// fails the COPY with that error.
	Read(p []byte) (int, error)
}

// CopyFromStdin reports whether p is COPY ... FROM STDIN, which runs with
// Session.CopyIn rather than Execute.
func (p *Prepared) CopyFromStdin() bool {
	s, ok := p.stmt.(*ast.CopyStmt)
	return ok && !s.To
}

// CopyIn runs p, a COPY ... FROM STDIN statement, reading its rows from
// src. Transactions work as for Execute.
func (s *Session) CopyIn(ctx context.Context, p *Prepared, src CopySource) (*Result, error) {
	if !p.CopyFromStdin() {
		return nil, pgerr.New(pgerr.InternalError, "CopyIn of a statement that is not COPY FROM STDIN")
	}
	s.copySrc = src
	defer func() { s.copySrc = nil }()
	return s.Execute(ctx, p, nil)
}

type copyPlan struct {
	stmt *ast.CopyStmt
	tableWriter
	// targets[i] is the table column that field i fills.
	targets []int
	// defaults[c] computes column c when no field fills it.
	defaults []expr
	// forceNotNull[i] and forceNull[i]: CSV's FORCE_NOT_NULL and
	// FORCE_NULL for field i.
	forceNotNull, forceNull []bool
	// user holds, by field, the enum and domain columns' input
	// (usertype.go).
	user map[int]*copyUserColumn
	// input[i] parses field i's text as its column's type without its
	// modifier (types.TextInput), for the other fields.
	input []func(string, types.Style) (types.Datum, error)
}

func (p *copyPlan) columns() []Column { return nil }

func (b *binder) bindCopy(s *ast.CopyStmt) (boundStmt, error) {
	if s.To {
		return b.bindCopyTo(s)
	}
	desc, err := b.lookupTableStrict(s.Table)
	if err != nil {
		return nil, err
	}
	if desc.View != "" {
		return nil, pgerr.New(pgerr.WrongObjectType, "cannot copy to view \"%s\"", desc.Name)
	}
	if desc.Sequence != nil {
		return nil, pgerr.New(pgerr.WrongObjectType, "cannot copy to sequence \"%s\"", desc.Name)
	}
	b.require(desc, catalog.PrivInsert, map[catalog.Priv][]int{catalog.PrivInsert: namedColumns(desc, s.Columns)})
	if err := b.copyFromRowSecurity(desc); err != nil {
		// Refused when it runs, after the privilege checks, as in
		// PostgreSQL.
		return &refusedPlan{err: err}, nil
	}
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	p := &copyPlan{stmt: s, tableWriter: w, defaults: make([]expr, len(desc.Columns))}
	filled := make([]bool, len(desc.Columns))
	if s.Columns == nil {
		for i, c := range desc.Columns {
			if c.Generated != "" {
				continue // computed, as PostgreSQL's COPY leaves it out
			}
			p.targets = append(p.targets, i)
			filled[i] = true
		}
	}
	for _, name := range s.Columns {
		i := desc.ColumnIndex(name)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name)
		}
		if desc.Columns[i].Generated != "" {
			return nil, pgerr.New(pgerr.GeneratedAlways, "column \"%s\" is a generated column", name).
				WithDetail("Generated columns cannot be used in COPY.")
		}
		if filled[i] {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
		}
		filled[i] = true
		p.targets = append(p.targets, i)
	}
	for i, c := range desc.Columns {
		if !filled[i] {
			if p.defaults[i], err = b.defaultExpr(c); err != nil {
				return nil, err
			}
		}
	}
	if p.user, err = b.copyUserColumns(desc, p.targets); err != nil {
		return nil, err
	}
	if p.forceNotNull, err = copyForced(desc, p.targets, s.ForceNotNull, "FORCE_NOT_NULL"); err != nil {
		return nil, err
	}
	if p.forceNull, err = copyForced(desc, p.targets, s.ForceNull, "FORCE_NULL"); err != nil {
		return nil, err
	}
	p.input = make([]func(string, types.Style) (types.Datum, error), len(p.targets))
	for i, c := range p.targets {
		p.input[i] = types.TextInput(types.T{ID: desc.Columns[c].Type.ID, Mod: -1})
	}
	return p, nil
}

// copyForced marks the fields whose columns a FORCE_* option names; each
// must be one the COPY reads.
func copyForced(desc *catalog.TableDesc, targets []int, names []string, option string) ([]bool, error) {
	marks := make([]bool, len(targets))
	for _, name := range names {
		i := slices.IndexFunc(targets, func(c int) bool { return desc.Columns[c].Name == name })
		if i < 0 {
			if desc.ColumnIndex(name) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name)
			}
			return nil, pgerr.New(pgerr.InvalidColumnReference, "%s column \"%s\" not referenced by COPY", option, name)
		}
		marks[i] = true
	}
	return marks, nil
}

func (p *copyPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	src := x.s.copySrc
	if src == nil {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY FROM STDIN needs a client that sends the data (the COPY sub-protocol)")
	}
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	if p.stmt.Freeze && p.table.IsPartitioned() {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot perform COPY FREEZE on a partitioned table")
	}
	if p.stmt.Freeze && !x.s.fresh[p.table.ID] {
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cannot perform COPY FREEZE because the table was not created or truncated in the current subtransaction")
	}
	prog, endProgress := x.s.startProgress(progressCopy, p.table.ID, "COPY FROM")
	defer endProgress()
	if p.stmt.Binary {
		return p.executeBinary(x, ec, src, prog)
	}
	if err := src.Begin(len(p.targets), false); err != nil {
		return nil, err
	}
	src = countingSource{src, prog}
	var r *copyReader
	if p.stmt.CSV {
		r = newCSVReader(src, p.stmt.Delimiter, p.stmt.Null, p.stmt.Quote, p.stmt.Escape)
	} else {
		r = newCopyReader(src, p.stmt.Delimiter, p.stmt.Null)
	}
	// Rows are stored as they come; only the line buffer is held.
	r.reserve = ec.grow
	if p.stmt.Header {
		fields, err := r.next()
		if err != nil && err != io.EOF {
			return nil, p.context(err, r, nil, true)
		}
		if err == nil && p.stmt.HeaderMatch {
			if err := p.matchHeader(fields); err != nil {
				return nil, p.context(err, r, nil, true)
			}
		}
	}
	n := 0
	run, err := p.trig.start(x, ec, trigInsert)
	if err != nil {
		return nil, err
	}
	defer x.routeUnder(run)()
	// The session's settings cannot change while the COPY runs.
	style := x.s.TypeStyle()
	buf := p.buffer(x)
	// A buffered row is encoded at once and nothing keeps the row itself
	// (no foreign key event holds it): one row's values serve every line.
	var reuse []types.Datum
	if buf != nil {
		reuse = make([]types.Datum, len(p.table.Columns))
	}
	for {
		fields, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, p.context(err, r, nil, true)
		}
		if err := ec.tick(); err != nil {
			return nil, err
		}
		row, err := p.row(ec, fields, style, reuse)
		if err != nil {
			return nil, p.context(err, r, fields, true)
		}
		if run != nil {
			if row, err = run.beforeRow(nil, row); err != nil {
				return nil, p.context(err, r, nil, true)
			}
			if row == nil {
				continue
			}
		}
		if err := p.check(ec, row); err != nil {
			return nil, p.context(err, r, nil, true)
		}
		if err := p.add(x, buf, row); err != nil {
			if err == errRowSkipped {
				continue
			}
			return nil, p.context(err, r, nil, false)
		}
		if err := run.afterRow(nil, row); err != nil {
			return nil, err
		}
		n++
		prog.add(copyTuples, 1)
	}
	if err := p.flush(x, buf, true); err != nil {
		return nil, p.context(err, r, nil, false)
	}
	if err := run.finish(); err != nil {
		return nil, err
	}
	if err := r.drain(); err != nil {
		return nil, err
	}
	return &Result{Tag: "COPY " + strconv.Itoa(n)}, nil
}

// copyBuffer holds rows of a COPY into a table that takes them in bulk
// (copyPlan.buffer), encoded one after another in data, until they are
// written with one heap call: copyBatchRows or copyBatchBytes of them to
// one WAL record, or, when the heap ingests, copyIngestBytes of them as
// one LSM table (limits.go).
type copyBuffer struct {
	// data holds the encoded rows; ends[i] is where row i ends.
	data []byte
	ends []int
	// rows is reused to hand the rows to the heap.
	rows [][]byte
	// mayIngest: the heap ingests, and the COPY has not yet gathered
	// copyBatchBytes, when it decides whether to ingest.
	mayIngest bool
	// ingest: the buffer of copyIngestBytes is reserved, and rows are
	// gathered for IngestRows.
	ingest bool
}

// buffer returns a buffer when the table takes rows in bulk: it has no
// primary key (rows get new row ids, which need no uniqueness check), no
// index, no foreign key to check per row, and is not partitioned (a
// partitioned table stores nothing itself: each row is routed to its
// partition); else nil, and each row is stored as it comes.
func (p *copyPlan) buffer(x *execCtx) *copyBuffer {
	if p.route != nil || len(p.table.PK) > 0 || len(p.table.Indexes) > 0 || len(p.outFKs) > 0 || p.trig != nil {
		return nil
	}
	return &copyBuffer{mayIngest: x.s.e.heap.CanIngest()}
}

// add stores a checked row, or adds it to buf (nil: no buffering). When
// the heap ingests, the first copyBatchBytes of rows decide: a COPY that
// reaches them reserves copyIngestBytes from the statement's memory and
// gathers rows for ingestion from then on (one that cannot have them
// writes WAL records); a smaller one never holds more than that.
func (p *copyPlan) add(x *execCtx, buf *copyBuffer, row []types.Datum) error {
	if buf == nil {
		return p.store(x, row)
	}
	buf.data = types.AppendRow(buf.data, row)
	buf.ends = append(buf.ends, len(buf.data))
	switch {
	case buf.ingest:
		if len(buf.data) >= copyIngestBytes {
			return p.flush(x, buf, false)
		}
	case buf.mayIngest:
		if len(buf.data) < copyBatchBytes {
			return nil
		}
		buf.mayIngest = false
		if x.grow(copyIngestBytes+copyIngestSlackBytes) == nil {
			buf.ingest = true
			buf.data = append(make([]byte, 0, copyIngestBytes+copyIngestSlackBytes), buf.data...)
			return nil
		}
		return p.flush(x, buf, false)
	case len(buf.ends) >= copyBatchRows || len(buf.data) >= copyBatchBytes:
		return p.flush(x, buf, false)
	}
	return nil
}

// flush writes the rows held in buf, if any: ingested when buf gathers
// for ingestion and they fill it, or, at the end of the data (last), hold
// copyIngestMinBytes; else to WAL records of at most copyBatchRows and
// about copyBatchBytes each.
func (p *copyPlan) flush(x *execCtx, buf *copyBuffer, last bool) error {
	if buf == nil || len(buf.ends) == 0 {
		return nil
	}
	buf.rows = buf.rows[:0]
	start := 0
	for _, end := range buf.ends {
		buf.rows = append(buf.rows, buf.data[start:end:end])
		start = end
	}
	h := x.s.e.heap
	var err error
	if buf.ingest && (!last || len(buf.data) >= copyIngestMinBytes) {
		err = h.IngestRows(x.op(), p.table.StorageID(), buf.rows)
	} else {
		for rows := buf.rows; len(rows) > 0 && err == nil; {
			n, size := 0, 0
			for n < len(rows) && n < copyBatchRows && size < copyBatchBytes {
				size += len(rows[n])
				n++
			}
			err = h.InsertRows(x.op(), p.table.StorageID(), rows[:n])
			rows = rows[n:]
		}
	}
	clear(buf.rows)
	buf.rows, buf.data, buf.ends = buf.rows[:0], buf.data[:0], buf.ends[:0]
	return err
}

// store inserts a checked row and its index entries.
func (p *copyPlan) store(x *execCtx, row []types.Datum) error {
	if p.route != nil {
		return p.routeRow(x, &evalCtx{exec: x}, row)
	}
	pk, err := x.s.e.heap.InsertRow(x.op(), p.table.StorageID(), p.key(row), types.EncodeRow(row))
	if err != nil {
		return p.duplicate(err, row)
	}
	if err := p.writeIndexes(x, pk, row, nil, nil); err != nil {
		return err
	}
	return p.queueInsert(x, pk, row)
}

// executeBinary runs a COPY FROM STDIN in binary format.
func (p *copyPlan) executeBinary(x *execCtx, ec *evalCtx, src CopySource, prog *progressEntry) (*Result, error) {
	codec, ok := src.(CopyDecoder)
	if !ok {
		return nil, errNoCodec()
	}
	if err := src.Begin(len(p.targets), true); err != nil {
		return nil, err
	}
	bases := make([]types.T, len(p.targets))
	for i, c := range p.targets {
		bases[i] = types.T{ID: p.table.Columns[c].Type.ID, Mod: -1}
	}
	buf := p.buffer(x)
	r := newBinaryCopyReader(countingSource{src, prog}, codec, bases)
	r.reserve = ec.grow
	where := func(err error, field int) error {
		var fe *copyFieldError
		if errors.As(err, &fe) {
			err, field = fe.err, fe.field
		}
		if pe := pgerr.Find(err); pe != nil && pe.Where == "" && r.lineNo > 0 {
			pe.Where = fmt.Sprintf("COPY %s, line %d", p.table.Name, r.lineNo)
			if field >= 0 {
				pe.Where += ", column " + p.table.Columns[p.targets[field]].Name
			}
		}
		return err
	}
	if err := r.header(); err != nil {
		return nil, err
	}
	n := 0
	run, err := p.trig.start(x, ec, trigInsert)
	if err != nil {
		return nil, err
	}
	defer x.routeUnder(run)()
	for {
		vals, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, where(err, -1)
		}
		if err := ec.tick(); err != nil {
			return nil, err
		}
		row := make([]types.Datum, len(p.table.Columns))
		for i, v := range vals {
			if u := p.user[i]; u != nil {
				if row[p.targets[i]], err = u.fromBinary(ec, v, bases[i]); err != nil {
					return nil, where(err, i)
				}
				continue
			}
			if v == nil {
				continue
			}
			c := p.targets[i]
			if row[c], err = types.Cast(v, bases[i], p.table.Columns[c].Type, false); err != nil {
				return nil, where(err, i)
			}
		}
		for c, e := range p.defaults {
			if e == nil {
				continue
			}
			if row[c], err = e.Eval(ec, nil); err != nil {
				return nil, where(err, -1)
			}
		}
		if run != nil {
			if row, err = run.beforeRow(nil, row); err != nil {
				return nil, where(err, -1)
			}
			if row == nil {
				continue
			}
		}
		if err := p.check(ec, row); err != nil {
			return nil, where(err, -1)
		}
		if err := p.add(x, buf, row); err != nil {
			if err == errRowSkipped {
				continue
			}
			return nil, where(err, -1)
		}
		if err := run.afterRow(nil, row); err != nil {
			return nil, err
		}
		n++
		prog.add(copyTuples, 1)
	}
	if err := p.flush(x, buf, true); err != nil {
		return nil, where(err, -1)
	}
	if err := run.finish(); err != nil {
		return nil, err
	}
	if err := r.drain(); err != nil {
		return nil, err
	}
	return &Result{Tag: "COPY " + strconv.Itoa(n)}, nil
}

// copyFieldError marks a field's conversion failure, for its context.
type copyFieldError struct {
	err   error
	field int
}

func (e *copyFieldError) Error() string { return e.err.Error() }
func (e *copyFieldError) Unwrap() error { return e.err }

// context gives err PostgreSQL's CONTEXT for the line r read last: "COPY
// t, line 3, column c: "text"" when a field failed to convert; "COPY t,
// line 3: "the line"" when withLine is set and the line was read whole;
// else "COPY t, line 3". (PostgreSQL names no line text for what goes
// wrong while it reads a line, or when it stores the row: it stores rows
// in batches, after the line is gone.)
func (p *copyPlan) context(err error, r *copyReader, fields []copyField, withLine bool) error {
	var fe *copyFieldError
	field := -1
	if errors.As(err, &fe) {
		err, field = fe.err, fe.field
	}
	pe := pgerr.Find(err)
	if pe == nil || pe.Where != "" || r.lineNo == 0 {
		return err
	}
	where := fmt.Sprintf("COPY %s, line %d", p.table.Name, r.lineNo)
	switch {
	case field >= 0 && field < len(fields):
		where += fmt.Sprintf(", column %s: \"%s\"", p.table.Columns[p.targets[field]].Name, fields[field].text)
	case withLine && r.lineValid:
		where += fmt.Sprintf(": \"%s\"", r.cur)
	}
	pe.Where = where
	return err
}

// matchHeader checks HEADER MATCH's first line against the column names.
func (p *copyPlan) matchHeader(fields []copyField) error {
	if len(fields) != len(p.targets) {
		return badCopy("wrong number of fields in header line: got %d, expected %d", len(fields), len(p.targets))
	}
	for i, f := range fields {
		want := p.table.Columns[p.targets[i]].Name
		switch {
		case f.null:
			return badCopy("column name mismatch in header line field %d: got null value (\"%s\"), expected \"%s\"", i+1, p.stmt.Null, want)
		case f.text != want:
			return badCopy("column name mismatch in header line field %d: got \"%s\", expected \"%s\"", i+1, f.text, want)
		}
	}
	return nil
}

// row converts one line's fields to a table row, in into when it is not
// nil (it must have a value for each column; its values are replaced).
func (p *copyPlan) row(ec *evalCtx, fields []copyField, style types.Style, into []types.Datum) ([]types.Datum, error) {
	if len(p.targets) == 0 && len(fields) == 1 && !fields[0].null && fields[0].text == "" {
		// An empty line is one empty field, or no field at all for a
		// COPY of no columns.
		fields = nil
	}
	if len(fields) > len(p.targets) {
		return nil, pgerr.New(pgerr.BadCopyFileFormat, "extra data after last expected column")
	}
	if len(fields) < len(p.targets) {
		return nil, pgerr.New(pgerr.BadCopyFileFormat, "missing data for column \"%s\"", p.table.Columns[p.targets[len(fields)]].Name)
	}
	row := into
	if row == nil {
		row = make([]types.Datum, len(p.table.Columns))
	} else {
		clear(row)
	}
	for i, f := range fields {
		switch {
		case f.null && p.forceNotNull[i]:
			f = copyField{text: p.stmt.Null}
		case !f.null && p.forceNull[i] && f.text == p.stmt.Null:
			f = copyField{null: true}
		}
		if u := p.user[i]; u != nil {
			v, err := u.value(ec, f)
			if err != nil {
				return nil, &copyFieldError{err: err, field: i}
			}
			row[p.targets[i]] = v
			continue
		}
		if f.null {
			continue
		}
		t := p.table.Columns[p.targets[i]].Type
		base := types.T{ID: t.ID, Mod: -1}
		v, err := p.input[i](f.text, style)
		if err != nil {
			return nil, &copyFieldError{err: err, field: i}
		}
		if row[p.targets[i]], err = types.Cast(v, base, t, false); err != nil {
			return nil, &copyFieldError{err: err, field: i}
		}
	}
	for c, e := range p.defaults {
		if e == nil {
			continue
		}
		v, err := e.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		row[c] = v
	}
	return row, nil
}

// copyField is one field of a line.
type copyField struct {
	text   string
	null   bool
	quoted bool // CSV: the field was quoted
}

// copyReader splits text- or CSV-format COPY data into rows of fields.
type copyReader struct {
	br    *bufio.Reader
	delim byte
	null  string
	// csv selects CSV, with its quote and escape characters.
	csv           bool
	quote, escape byte
	line          []byte
	// lineNo counts the lines read so far (a newline inside a quoted CSV
	// field counts too), and cur is the last line, valid (lineValid) once
	// read whole: for error context.
	lineNo    int
	cur       []byte
	lineValid bool
	// crlf is set from the first line: whether lines end with \r\n.
	crlf, styleKnown bool
	done             bool
	// fields is reused for the fields of each text-format line: next's
	// result is valid until the next call.
	fields []copyField
	// reserve, when set, is asked for the bytes the line buffer grows by
	// before it grows.
	reserve func(int64) error
}

func newCopyReader(src io.Reader, delim byte, null string) *copyReader {
	return &copyReader{br: bufio.NewReaderSize(src, 64<<10), delim: delim, null: null}
}

// newCSVReader returns a reader of CSV data.
func newCSVReader(src io.Reader, delim byte, null string, quote, escape byte) *copyReader {
	r := newCopyReader(src, delim, null)
	r.csv, r.quote, r.escape = true, quote, escape
	return r
}

func badCopy(format string, args ...any) *pgerr.Error {
	return pgerr.New(pgerr.BadCopyFileFormat, format, args...)
}

// readLine reads the next line without its end of line, escapes intact. A
// newline after an odd number of backslashes is data, not an end of line.
// It returns io.EOF at the end of the data.
func (r *copyReader) readLine() ([]byte, error) {
	if r.csv {
		return r.readLineCSV()
	}
	r.line = r.line[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		if err := r.enlarge(len(chunk)); err != nil {
			return nil, err
		}
		r.line = append(r.line, chunk...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(r.line) == 0 {
				return nil, io.EOF
			}
			return r.line, nil
		case err != nil:
			return nil, err
		}
		escapes := 0
		for i := len(r.line) - 2; i >= 0 && r.line[i] == '\\'; i-- {
			escapes++
		}
		if escapes%2 == 1 {
			continue
		}
		line := r.line[:len(r.line)-1]
		cr := len(line) > 0 && line[len(line)-1] == '\r' && trailingBackslashes(line[:len(line)-1])%2 == 0
		if !r.styleKnown {
			r.crlf, r.styleKnown = cr, true
		}
		switch {
		case r.crlf && !cr:
			return nil, badCopy("literal newline found in data").WithHint("Use \"\\n\" to represent newline.")
		case r.crlf:
			line = line[:len(line)-1]
		}
		return line, nil
	}
}

// enlarge makes room for n more bytes in the line buffer: a line is a
// text, refused at allocBytesMax as PostgreSQL refuses it (54000), and
// its buffer is counted against the statement's memory.
func (r *copyReader) enlarge(n int) error {
	if err := enlargeText(len(r.line), n); err != nil {
		return err
	}
	need := len(r.line) + n
	if need <= cap(r.line) {
		return nil
	}
	c := min(max(2*cap(r.line), need), allocBytesMax)
	if r.reserve != nil {
		if err := r.reserve(int64(c - cap(r.line))); err != nil {
			return err
		}
	}
	r.line = append(make([]byte, 0, c), r.line...)
	return nil
}

func trailingBackslashes(b []byte) int {
	n := 0
	for i := len(b) - 1; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n
}

// next returns the fields of the next row, or io.EOF after the last. The
// fields are valid until the next call.
func (r *copyReader) next() ([]copyField, error) {
	if r.done {
		return nil, io.EOF
	}
	r.lineValid = false
	line, err := r.readLine()
	if err == io.EOF {
		r.done = true
	}
	if err != nil {
		if err != io.EOF {
			r.lineNo++
		}
		return nil, err
	}
	r.lineNo += 1 + bytes.Count(line, []byte{'\n'})
	r.cur, r.lineValid = line, true
	if r.csv {
		if string(line) == `\.` {
			r.done = true
			return nil, io.EOF
		}
		return r.splitCSV(line)
	}
	fields := r.fields[:0]
	// Fields without escapes are substrings of one string of the line:
	// one allocation per line, not one or two per field.
	var text string
	start := 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) {
			switch c := line[i]; {
			case c == '\\' && i+1 < len(line) && line[i+1] == '.':
				// The end-of-data marker: it must end its line, and
				// anything before it on the line is a last row.
				if i+2 != len(line) {
					r.lineValid = false
					return nil, badCopy("end-of-copy marker corrupt")
				}
				r.done = true
				if i == 0 && len(fields) == 0 {
					return nil, io.EOF
				}
				line = line[:i]
			case c == '\\':
				if i+1 < len(line) {
					i++
				}
				continue
			case c == '\r':
				r.lineValid = false
				return nil, badCopy("literal carriage return found in data").WithHint("Use \"\\r\" to represent carriage return.")
			case c != r.delim:
				continue
			}
		}
		if i > len(line) {
			break
		}
		raw := line[start:i]
		var f copyField
		if string(raw) != r.null && bytes.IndexByte(raw, '\\') < 0 {
			if err := validText(raw); err != nil {
				return nil, err
			}
			if text == "" {
				text = string(line)
			}
			f = copyField{text: text[start:i]}
		} else if f, err = r.field(raw); err != nil {
			return nil, err
		}
		fields = append(fields, f)
		start = i + 1
	}
	r.fields = fields
	return fields, nil
}

// field decodes one field's raw text.
func (r *copyReader) field(raw []byte) (copyField, error) {
	if string(raw) == r.null {
		return copyField{null: true}, nil
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i == len(raw) {
			break
		}
		c = raw[i]
		switch c {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for k := 0; k < 2 && i+1 < len(raw) && raw[i+1] >= '0' && raw[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(raw[i]-'0')
			}
			out = append(out, byte(v))
		case 'x':
			v, digits := 0, 0
			for digits < 2 && i+1 < len(raw) && hexDigit(raw[i+1]) >= 0 {
				i++
				v = v*16 + hexDigit(raw[i])
				digits++
			}
			if digits == 0 {
				out = append(out, 'x')
			} else {
				out = append(out, byte(v))
			}
		default:
			out = append(out, c)
		}
	}
	if err := validText(out); err != nil {
		return copyField{}, err
	}
	return copyField{text: string(out)}, nil
}

// validText refuses a field that is not UTF-8 or holds a NUL byte.
func validText(b []byte) error {
	for _, c := range b {
		if c == 0 {
			return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x00")
		}
	}
	if !utf8.Valid(b) {
		return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
	}
	return nil
}

// readLineCSV reads the next CSV line without its end of line: a newline
// inside a quoted field is data. Quotes and escapes are tracked as
// PostgreSQL's CopyReadLineText does: an escape character that equals the
// quote character plays no part (a doubled quote toggles twice).
func (r *copyReader) readLineCSV() ([]byte, error) {
	r.line = r.line[:0]
	esc := r.escape
	if esc == r.quote {
		esc = 0
	}
	inQuote, lastWasEsc := false, false
	scanned := 0
	for {
		chunk, err := r.br.ReadSlice('\n')
		if err := r.enlarge(len(chunk)); err != nil {
			return nil, err
		}
		r.line = append(r.line, chunk...)
		for ; scanned < len(r.line); scanned++ {
			c := r.line[scanned]
			if inQuote && esc != 0 && c == esc {
				lastWasEsc = !lastWasEsc
			}
			if c == r.quote && !lastWasEsc {
				inQuote = !inQuote
			}
			if c != esc {
				lastWasEsc = false
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(r.line) == 0 {
				return nil, io.EOF
			}
			return r.line, nil
		case err != nil:
			return nil, err
		}
		if inQuote {
			continue // the newline is part of a quoted field
		}
		line := r.line[:len(r.line)-1]
		cr := len(line) > 0 && line[len(line)-1] == '\r'
		if !r.styleKnown {
			r.crlf, r.styleKnown = cr, true
		}
		switch {
		case r.crlf && !cr:
			return nil, badCopy("unquoted newline found in data").WithHint("Use quoted CSV field to represent newline.")
		case r.crlf:
			line = line[:len(line)-1]
		}
		return line, nil
	}
}

// splitCSV splits a CSV line into fields, as PostgreSQL's
// CopyReadAttributesCSV does: inside quotes, the escape character before
// a quote or an escape character stands for that character; text after a
// closing quote continues the field; an unquoted field equal to the NULL
// string is NULL.
func (r *copyReader) splitCSV(line []byte) ([]copyField, error) {
	var fields []copyField
	i := 0
	for {
		start := i
		var out []byte
		sawQuote, more := false, false
	field:
		for i < len(line) {
			c := line[i]
			i++
			switch c {
			case r.delim:
				more = true
				break field
			case r.quote:
				sawQuote = true
				for {
					if i >= len(line) {
						return nil, badCopy("unterminated CSV quoted field")
					}
					c := line[i]
					i++
					if c == r.escape && i < len(line) && (line[i] == r.escape || line[i] == r.quote) {
						out = append(out, line[i])
						i++
						continue
					}
					if c == r.quote {
						break
					}
					out = append(out, c)
				}
			case '\r':
				r.lineValid = false
				return nil, badCopy("unquoted carriage return found in data").WithHint("Use quoted CSV field to represent carriage return.")
			default:
				out = append(out, c)
			}
		}
		end := i
		if more {
			end--
		}
		if !sawQuote && string(line[start:end]) == r.null {
			fields = append(fields, copyField{null: true})
		} else {
			if err := validText(out); err != nil {
				return nil, err
			}
			fields = append(fields, copyField{text: string(out), quoted: sawQuote})
		}
		if !more {
			return fields, nil
		}
	}
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// drain reads and ignores whatever follows the end-of-data marker, so
// that the source's own end (and its errors) are seen.
func (r *copyReader) drain() error {
	_, err := io.Copy(io.Discard, r.br)
	return err
}

// markFresh records that the current transaction created or truncated
// table, for COPY FREEZE.
func (s *Session) markFresh(table uint32) {
	if s.fresh == nil {
		s.fresh = make(map[uint32]bool)
	}
	s.fresh[table] = true
}
