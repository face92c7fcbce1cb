package shard

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// analyseCopy classifies COPY: into or out of distributed table t (nil
// for a reference or local table, or a query), from the relations the
// statement names.
func analyseCopy(s *stmt, x *ast.CopyStmt, p *Placement, dist []*Table) (*stmt, error) {
	s.kind = kindCopy
	if x.Query != nil {
		if len(dist) > 0 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY (query) TO STDOUT naming distributed table %s is not supported yet: copy the table itself", dist[0].Name)
		}
		return s, nil
	}
	t := p.Tables[bareName(x.Table.Name)]
	if t == nil {
		return s, nil
	}
	s.table = t
	if t.Reference {
		return s, nil
	}
	if x.To {
		return s, nil
	}
	if x.Columns == nil {
		// The field is found among the columns COPY reads (generated
		// ones are not) when it runs: copyIn.
		return s, nil
	}
	s.keyCol = -1
	for i, c := range x.Columns {
		if c == t.Column {
			s.keyCol = i
		}
	}
	if s.keyCol < 0 {
		return nil, pgerr.New(pgerr.NotNullViolation, "COPY into distributed table %s must give its distribution column %s", t.Name, t.Column)
	}
	return s, nil
}

// copyNodes are the nodes a COPY runs on: every node of a distributed
// table, every node for a reference table (FROM; TO reads the home
// node's copy), else the home node.
func (s *Session) copyNodes(a *stmt, from bool) ([]string, error) {
	switch {
	case a.table == nil, a.table.Reference && !from:
		home, err := s.c.home()
		if err != nil {
			return nil, err
		}
		return []string{home}, nil
	case a.table.Reference:
		return s.c.nodeIDs(), nil
	}
	return tableNodes(a.table), nil
}

// CopyIn runs COPY ... FROM STDIN, p from Prepare or PrepareAll: rows of
// a distributed table go each to the node of its shard, a reference
// table's to every node, in one distributed transaction (the session's,
// or one of its own); a local table's to the home node.
func (s *Session) CopyIn(ctx context.Context, p *sql.Prepared, src sql.CopySource) (*sql.Result, error) {
	if err := s.enterGate(ctx); err != nil {
		return nil, s.fail(err)
	}
	defer s.leaveGate()
	a, err := s.lookup(ctx, p.SQL)
	if err != nil {
		return nil, s.fail(err)
	}
	if s.failed {
		return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	res, err := s.copyIn(ctx, a, src)
	if err != nil {
		return nil, s.fail(err)
	}
	return res, nil
}

func (s *Session) copyIn(ctx context.Context, a *stmt, src sql.CopySource) (*sql.Result, error) {
	x, ok := a.node.(*ast.CopyStmt)
	if !ok || x.To {
		return nil, pgerr.New(pgerr.InternalError, "CopyIn of a statement that is not COPY FROM STDIN")
	}
	nodes, err := s.copyNodes(a, true)
	if err != nil {
		return nil, err
	}
	return s.writeMany(ctx, a, nodes, func(tx *dtx) ([]*sql.Result, error) {
		columns, keyCol := len(x.Columns), a.keyCol
		if columns == 0 {
			names, err := copyColumns(x.Table.Name, func(q *stmt, w wireParams) (*sql.Result, error) { return tx.run(ctx, nodes[0], q, w) })
			if err != nil {
				return nil, err
			}
			columns = len(names)
			if a.table != nil && !a.table.Reference {
				keyCol = slices.Index(names, a.table.Column)
				if keyCol < 0 {
					return nil, pgerr.New(pgerr.NotNullViolation, "COPY into distributed table %s must give its distribution column %s", a.table.Name, a.table.Column)
				}
			}
		}
		for _, id := range nodes {
			if _, _, err := tx.conn(ctx, id); err != nil {
				return nil, err
			}
			tx.wrote[id] = true
		}
		parts, err := tx.copyIn(ctx, nodes, a, x, columns, keyCol, src)
		if err == nil && a.table != nil && a.table.Reference {
			// Every node took every row: the count is one node's.
			parts = parts[:1]
		}
		return parts, err
	})
}

// copyColumns are the columns of table (a name as the parser keeps it)
// that a COPY without a column list reads or writes, in order (not the
// generated ones), asked with run.
func copyColumns(table string, run func(*stmt, wireParams) (*sql.Result, error)) ([]string, error) {
	qualified := parser.QuoteIdent(table)
	if schema, name, ok := strings.Cut(table, "\x00"); ok {
		qualified = parser.QuoteIdent(schema) + "." + parser.QuoteIdent(name)
	}
	const q = `SELECT attname::text FROM pg_catalog.pg_attribute WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`
	res, err := run(&stmt{sql: q, tag: "SELECT"}, wireParams{values: [][]byte{[]byte(qualified)}, oids: []uint32{uint32(types.Text)}})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		names[i], _ = row[0].(string)
	}
	return names, nil
}

// nodeCopy is one node's part of a COPY FROM STDIN: the rows sent to it
// go through a pipe that the node's connection reads.
type nodeCopy struct {
	id    string
	pw    *io.PipeWriter
	buf   *bufio.Writer
	ready chan struct{} // closed when the node asks for data
	done  chan struct{} // closed when the node's COPY ended
	tag   pgconn.CommandTag
	err   error
}

// readySignal closes ready on the first Read: pgconn reads the data only
// once the node has accepted the statement (CopyInResponse).
type readySignal struct {
	r    io.Reader
	once sync.Once
	c    chan struct{}
}

func (r *readySignal) Read(p []byte) (int, error) {
	r.once.Do(func() { close(r.c) })
	return r.r.Read(p)
}

// copyIn runs COPY FROM STDIN on the transaction's connections to nodes,
// each receiving its rows while the client sends them. The client is told
// to send (src.Begin) only once every node has accepted the statement,
// so that a missing table fails before any data is sent, as it does on
// one server.
//
// keyCol is the distribution column's field in each row.
func (t *dtx) copyIn(ctx context.Context, nodes []string, a *stmt, x *ast.CopyStmt, columns, keyCol int, src sql.CopySource) ([]*sql.Result, error) {
	parts := make([]*nodeCopy, len(nodes))
	byID := map[string]*nodeCopy{}
	for i, id := range nodes {
		pr, pw := io.Pipe()
		nc := &nodeCopy{id: id, pw: pw, buf: bufio.NewWriterSize(pw, 64<<10), ready: make(chan struct{}), done: make(chan struct{})}
		parts[i], byID[id] = nc, nc
		node, _ := t.c.node(id)
		conn := t.conns[id]
		go func() {
			defer close(nc.done)
			nc.err = node.call(conn, func(pc *pgconn.PgConn) error {
				var err error
				nc.tag, err = pc.CopyFrom(ctx, &readySignal{r: pr, c: nc.ready}, a.sql)
				return relay(err)
			})
			// Writes to a node that stopped reading fail instead of
			// blocking.
			pr.CloseWithError(errNodeCopyEnded)
		}()
	}
	// abort ends every node's COPY with err (pgconn sends CopyFail) and
	// waits for them.
	abort := func(err error) error {
		for _, nc := range parts {
			nc.pw.CloseWithError(err)
		}
		for _, nc := range parts {
			<-nc.done
		}
		if errors.Is(err, errNodeCopyEnded) {
			for _, nc := range parts {
				if nc.err != nil {
					return nc.err
				}
			}
		}
		return err
	}
	for _, nc := range parts {
		select {
		case <-nc.ready:
		case <-nc.done:
			return nil, abort(nc.err)
		case <-ctx.Done():
			return nil, abort(ctx.Err())
		}
	}
	if err := src.Begin(columns, x.Binary); err != nil {
		return nil, abort(err)
	}
	var err error
	switch {
	case a.table == nil || a.table.Reference:
		err = copyAll(src, parts)
	case x.Binary:
		err = copySplitBinary(src, a, keyCol, byID)
	default:
		err = copySplit(src, x, a, keyCol, byID)
	}
	if err != nil {
		return nil, abort(err)
	}
	for _, nc := range parts {
		if err := nc.buf.Flush(); err != nil {
			return nil, abort(err)
		}
		nc.pw.Close()
	}
	out := make([]*sql.Result, len(parts))
	for i, nc := range parts {
		<-nc.done
		if nc.err != nil && err == nil {
			err = nc.err
		}
		out[i] = &sql.Result{Tag: nc.tag.String()}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errNodeCopyEnded fails writes to a node whose COPY already ended (with
// an error of its own, which is the one reported).
var errNodeCopyEnded = errors.New("shard: the node's COPY ended")

// copyAll sends the data unchanged to every node.
func copyAll(src io.Reader, parts []*nodeCopy) error {
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		for _, nc := range parts {
			if _, werr := nc.buf.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// copySplit reads the data row by row and sends each row's line to the
// node of its shard; a header line goes to every node, which skips (or
// checks) it as it would its own.
func copySplit(src io.Reader, x *ast.CopyStmt, a *stmt, keyCol int, byID map[string]*nodeCopy) error {
	t := a.table
	colT := t.colType()
	rows := sql.NewCopyRowReader(src, x)
	send := func(nc *nodeCopy, line []byte) error {
		if _, err := nc.buf.Write(line); err != nil {
			return err
		}
		return nc.buf.WriteByte('\n')
	}
	if x.Header {
		line, err := rows.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for _, nc := range byID {
			if err := send(nc, line); err != nil {
				return err
			}
		}
	}
	for {
		line, err := rows.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return copyContext(err, a, rows.LineNumber())
		}
		if rows.Fields() <= keyCol {
			return copyContext(pgerr.New(pgerr.BadCopyFileFormat, "missing data for column \"%s\"", t.Column), a, rows.LineNumber())
		}
		text, null := rows.Field(keyCol)
		if null {
			return copyContext(pgerr.New(pgerr.NotNullViolation, "the distribution column %s of table %s cannot be NULL", t.Column, t.Name), a, rows.LineNumber())
		}
		d, err := types.ParseText(colT, text)
		if err != nil {
			return copyContext(err, a, rows.LineNumber())
		}
		id, err := t.nodeOf(d)
		if err != nil {
			return copyContext(err, a, rows.LineNumber())
		}
		nc := byID[id]
		if nc == nil {
			return pgerr.New(pgerr.InternalError, "shard %s of table %s is on node %s, which the COPY does not write", strconv.Quote(text), t.Name, id)
		}
		if err := send(nc, line); err != nil {
			return err
		}
	}
}

// copyContext names the line of the client's data an error is about, as
// PostgreSQL's CONTEXT does ("COPY t, line 3").
func copyContext(err error, a *stmt, line int) error {
	where := fmt.Sprintf("COPY %s, line %d", a.table.Name, line)
	if e, ok := err.(*pgerr.Error); ok && e.Where == "" {
		return e.WithWhere(where)
	}
	return err
}

// CopyOut runs COPY ... TO STDOUT: a distributed table's rows are read
// from each of its nodes in turn (a header once), a reference or local
// table's from the home node.
func (s *Session) CopyOut(ctx context.Context, p *sql.Prepared, sink sql.CopySink) (*sql.Result, error) {
	if err := s.enterGate(ctx); err != nil {
		return nil, s.fail(err)
	}
	defer s.leaveGate()
	a, err := s.lookup(ctx, p.SQL)
	if err != nil {
		return nil, s.fail(err)
	}
	if s.failed {
		return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	res, err := s.copyOut(ctx, a, sink)
	if err != nil {
		return nil, s.fail(err)
	}
	return res, nil
}

func (s *Session) copyOut(ctx context.Context, a *stmt, sink sql.CopySink) (*sql.Result, error) {
	x, ok := a.node.(*ast.CopyStmt)
	if !ok || !x.To {
		return nil, pgerr.New(pgerr.InternalError, "CopyOut of a statement that is not COPY TO STDOUT")
	}
	nodes, err := s.copyNodes(a, false)
	if err != nil {
		return nil, err
	}
	// COPY (query) leaves the number of columns unknown until the node
	// answers; pgconn does not pass its CopyOutResponse on, so the
	// client's says 0 then (clients read the lines' own fields).
	columns := len(x.Columns)
	if columns == 0 && x.Query == nil {
		names, err := copyColumns(x.Table.Name, func(q *stmt, w wireParams) (*sql.Result, error) { return s.run(ctx, nodes[0], q, w) })
		if err != nil {
			return nil, err
		}
		columns = len(names)
	}
	w := &lineSink{sink: sink, binary: x.Binary, columns: columns}
	var total int64
	for i, id := range nodes {
		w.skip = x.Header && i > 0
		w.node, w.nodeStart = i, true
		var tag pgconn.CommandTag
		err := s.onNode(ctx, id, func(pc *pgconn.PgConn) error {
			var err error
			tag, err = pc.CopyTo(ctx, w, a.sql)
			return relay(err)
		})
		if err == nil && w.err != nil {
			err = w.err
		}
		if err != nil {
			return nil, err
		}
		total += tag.RowsAffected()
		if err := w.begin(); err != nil {
			return nil, err
		}
	}
	if x.Binary {
		// Each node's trailer was held back: one ends the stream.
		if err := sink.Line(copyTrailer); err != nil {
			return nil, err
		}
	}
	return &sql.Result{Tag: "COPY " + strconv.FormatInt(total, 10)}, nil
}

// lineSink hands the lines a node sends (one CopyData each) to the
// client's sink, beginning it at the first.
type lineSink struct {
	sink    sql.CopySink
	binary  bool
	columns int
	begun   bool
	skip    bool // drop the next line: a header the client already has
	err     error
	// Binary format: node is the node whose data comes (its index),
	// nodeStart is set until its first message, which starts with the
	// binary header that only the first node's passes on; every node's
	// trailer is held back.
	node      int
	nodeStart bool
}

func (w *lineSink) begin() error {
	if w.begun {
		return nil
	}
	w.begun = true
	return w.sink.Begin(w.columns, w.binary)
}

func (w *lineSink) Write(line []byte) (int, error) {
	if err := w.begin(); err != nil {
		w.err = err
		return 0, err
	}
	if w.skip {
		w.skip = false
		return len(line), nil
	}
	n := len(line)
	if w.binary {
		if w.nodeStart {
			w.nodeStart = false
			size, err := binaryHeaderSize(line)
			if err != nil {
				w.err = err
				return 0, err
			}
			if w.node == 0 {
				if err := w.sink.Line(line[:size]); err != nil {
					w.err = err
					return 0, err
				}
			}
			line = line[size:]
		}
		if len(line) == 0 || bytes.Equal(line, copyTrailer) {
			return n, nil
		}
	}
	if err := w.sink.Line(line); err != nil {
		w.err = err
		return 0, err
	}
	return n, nil
}

// binaryHeaderSize is the length of the binary COPY header that starts
// data: the signature, flags, and the extension with its length.
func binaryHeaderSize(data []byte) (int, error) {
	if len(data) < 19 || !bytes.Equal(data[:11], copySignature) {
		return 0, badCopy("a node's binary COPY data does not start with its header")
	}
	size := 19 + int(int32(binary.BigEndian.Uint32(data[15:19])))
	if size < 19 || size > len(data) {
		return 0, badCopy("a node's binary COPY header has a bad extension length")
	}
	return size, nil
}
