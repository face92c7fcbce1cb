package pgwire

import (
	"bytes"
	"context"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// simpleQuery handles 'Q': every statement of the string in order, stopping
// at the first error, always ending with ReadyForQuery.
func (c *conn) simpleQuery(body []byte) {
	defer c.readyForQuery()
	// As in PostgreSQL, a simple Query replaces the unnamed statement and
	// portal of the extended protocol.
	delete(c.stmts, "")
	delete(c.portals, "")
	query, err := decodeQuery(body)
	if err == nil {
		err = checkUTF8(query)
	}
	if err != nil {
		c.sendError(err)
		return
	}
	ctx, end := c.beginStatement()
	defer end()
	var preps []*sql.Prepared
	err = c.call("PrepareAll", func() error {
		var err error
		preps, err = c.sess.PrepareAll(ctx, query)
		return err
	})
	if err != nil {
		c.sendError(stoppedError(ctx, err))
		return
	}
	for _, p := range preps {
		if p != nil {
			c.sendNotices(p.ParseNotices)
		}
	}
	statements := 0
	for _, p := range preps {
		if p != nil && p.Tag != "" {
			statements++
		}
	}
	if statements == 0 {
		c.send(&pgproto3.EmptyQueryResponse{})
		return
	}
	failed := false
	if statements > 1 {
		// Several statements run in one implicit transaction block,
		// committed after the last of them or rolled back at the first
		// error (sql.Session.SetImplicitBlock).
		c.sess.BeginImplicit(sql.ImplicitBlock)
		ok := false
		defer func() {
			if err := c.call("EndImplicit", func() error { return c.sess.EndImplicit(ok) }); err != nil {
				c.sendError(err)
			}
		}()
		defer func() { ok = c.writeErr == nil && !failed }()
	}
	for _, p := range preps {
		if p == nil || p.Tag == "" {
			continue
		}
		res, err := c.run(ctx, p, nil, c.streamTo(true, nil))
		if err != nil {
			failed = true
			c.sendError(err)
			return
		}
		if err := c.sendResult(res, nil); err != nil {
			failed = true
			c.sendError(err)
			return
		}
		if c.writeErr != nil {
			// The client is gone: the rest of the string would run for
			// nobody.
			return
		}
	}
}

// sendResult sends a whole result in the simple protocol: RowDescription
// and rows (text format) when the statement returns rows and did not
// stream them, its notices, then CommandComplete.
func (c *conn) sendResult(res *sql.Result, formats []int16) error {
	if res.Columns != nil && !res.Streamed {
		c.sendRowDescription(res.Columns, formats)
		for _, row := range res.Rows {
			if err := c.sendDataRow(res.Columns, row, formats, res.Format); err != nil {
				return err
			}
			c.maybeFlush()
		}
	}
	c.noteResult(res)
	c.sendCommandComplete(res.Tag)
	return nil
}

// decodeQuery reads the query string of a 'Q' message: exactly one
// NUL-terminated string.
func decodeQuery(body []byte) (string, error) {
	if len(body) == 0 || body[len(body)-1] != 0 {
		return "", pgerr.New(pgerr.ProtocolViolation, "invalid string in message")
	}
	if bytes.IndexByte(body, 0) != len(body)-1 {
		return "", pgerr.New(pgerr.ProtocolViolation, "invalid message format")
	}
	return string(body[:len(body)-1]), nil
}

// stoppedError reports why ctx ended when err is an unnamed failure of
// work that ctx stopped.
func stoppedError(ctx context.Context, err error) error {
	if cerr := pgerr.FromContext(ctx); cerr != nil && pgerr.Code(err) == pgerr.InternalError {
		return cerr
	}
	return err
}

// decodeExact decodes body into m, refusing bytes left over at the end as
// PostgreSQL's pq_getmsgend does ("invalid message format").
func decodeExact(m pgproto3.FrontendMessage, body []byte, malformed string) error {
	if err := m.Decode(body); err != nil {
		return pgerr.New(pgerr.ProtocolViolation, "%s", malformed)
	}
	if bodyLen(m) != len(body) {
		return errInvalidMessageFormat
	}
	return nil
}

// decodeExecute decodes an Execute body as decodeExact does with
// pgproto3.Execute (the same errors for the same bodies), without its
// buffer and copy of the portal name.
func decodeExecute(body []byte) (pgproto3.Execute, error) {
	i := bytes.IndexByte(body, 0)
	if i < 0 || len(body)-(i+1) < 4 {
		return pgproto3.Execute{}, pgerr.New(pgerr.ProtocolViolation, "%s", "invalid message format")
	}
	m := pgproto3.Execute{Portal: string(body[:i]), MaxRows: binary.BigEndian.Uint32(body[i+1:])}
	if len(body) != i+1+4 {
		return pgproto3.Execute{}, errInvalidMessageFormat
	}
	return m, nil
}

// bodyLen is the length of the body m was decoded from when it had no
// bytes beyond its fields.
func bodyLen(m pgproto3.FrontendMessage) int {
	switch m := m.(type) {
	case *pgproto3.Parse:
		return len(m.Name) + 1 + len(m.Query) + 1 + 2 + 4*len(m.ParameterOIDs)
	case *pgproto3.Bind:
		n := len(m.DestinationPortal) + 1 + len(m.PreparedStatement) + 1 +
			2 + 2*len(m.ParameterFormatCodes) + 2 + 2 + 2*len(m.ResultFormatCodes)
		for _, p := range m.Parameters {
			n += 4 + len(p)
		}
		return n
	case *pgproto3.Describe:
		return 1 + len(m.Name) + 1
	case *pgproto3.Close:
		return 1 + len(m.Name) + 1
	case *pgproto3.Execute:
		return len(m.Portal) + 1 + 4
	}
	return -1
}

// parse handles 'P'.
func (c *conn) parse(body []byte) error {
	var m pgproto3.Parse
	if err := decodeExact(&m, body, "invalid message format"); err != nil {
		return err
	}
	if err := checkUTF8(m.Query); err != nil {
		return err
	}
	if m.Name == "" {
		delete(c.stmts, "")
	} else {
		if _, ok := c.stmts[m.Name]; ok {
			return pgerr.New(pgerr.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", m.Name)
		}
	}
	paramTypes := make([]types.ID, len(m.ParameterOIDs))
	for i, oid := range m.ParameterOIDs {
		paramTypes[i] = types.ID(oid)
	}
	ctx, end := c.beginStatement()
	defer end()
	var prep *sql.Prepared
	err := c.call("Prepare", func() error {
		var err error
		prep, err = c.sess.Prepare(ctx, m.Query, paramTypes)
		return err
	})
	if err == nil && prep == nil {
		err = pgerr.New(pgerr.InternalError, "session prepared no statement")
	}
	if err != nil {
		return stoppedError(ctx, err)
	}
	if ss, ok := c.sess.(StatementSession); ok && m.Name != "" {
		if err := c.call("ParseStatement", func() error { return ss.ParseStatement(m.Name, m.Query, prep) }); err != nil {
			return err
		}
	}
	c.sendNotices(prep.ParseNotices)
	c.stmts[m.Name] = &statement{name: m.Name, prep: prep}
	c.send(&pgproto3.ParseComplete{})
	return nil
}

func (c *conn) statement(name string) (*statement, error) {
	if s, ok := c.stmts[name]; ok {
		return s, nil
	}
	if name == "" {
		return nil, pgerr.New(pgerr.InvalidSQLStatementName, "unnamed prepared statement does not exist")
	}
	return nil, pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", name)
}

func (c *conn) portal(name string) (*portal, error) {
	if p, ok := c.portals[name]; ok {
		return p, nil
	}
	return nil, pgerr.New(pgerr.InvalidCursorName, "portal \"%s\" does not exist", name)
}

// formatFor picks the format code for item i from a Bind format list: none
// means text, one applies to all.
func formatFor(codes []int16, i int) (int16, error) {
	f := int16(formatText)
	switch len(codes) {
	case 0:
	case 1:
		f = codes[0]
	default:
		f = codes[i]
	}
	if f != formatText && f != formatBinary {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "unsupported format code: %d", f)
	}
	return f, nil
}

// Format codes on the wire.
const (
	formatText   = 0 // text
	formatBinary = 1 // binary
)

// bind handles 'B'.
func (c *conn) bind(body []byte) error {
	m := &c.in.bind
	if err := decodeBind(m, body); err != nil {
		return err
	}
	st, err := c.statement(m.PreparedStatement)
	if err != nil {
		return err
	}
	if m.DestinationPortal != "" {
		if _, ok := c.portals[m.DestinationPortal]; ok {
			return pgerr.New("42P03", "cursor \"%s\" already exists", m.DestinationPortal)
		}
	}
	prep := st.prep
	if n := len(m.ParameterFormatCodes); n > 1 && n != len(m.Parameters) {
		return pgerr.New(pgerr.ProtocolViolation, "bind message has %d parameter formats but %d parameters", n, len(m.Parameters))
	}
	if len(m.Parameters) != len(prep.ParamTypes) {
		return pgerr.New(pgerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement \"%s\" requires %d",
			len(m.Parameters), st.name, len(prep.ParamTypes))
	}
	params := make([]types.Datum, len(m.Parameters))
	for i, raw := range m.Parameters {
		f, err := formatFor(m.ParameterFormatCodes, i)
		if err != nil {
			return err
		}
		if raw == nil {
			continue
		}
		if f == formatText {
			var st types.Style // computing the session's costs map lookups: only when used
			if types.TextStyled(prep.ParamTypes[i]) {
				st = c.typeStyle()
			}
			params[i], err = c.decodeTextParam(prep.ParamTypes[i], raw, st)
		} else {
			params[i], err = c.decodeBinaryParam(prep.ParamTypes[i], raw, i+1)
		}
		if err != nil {
			return err
		}
	}
	ncol := len(prep.Columns)
	if n := len(m.ResultFormatCodes); n > 1 && n != ncol {
		return pgerr.New(pgerr.ProtocolViolation, "bind message has %d result formats but query has %d columns", n, ncol)
	}
	for i := range ncol {
		if _, err := formatFor(m.ResultFormatCodes, i); err != nil {
			return err
		}
	}
	// From here on the Bind succeeds.
	var formats []int16
	if m.DestinationPortal == "" && cap(c.unnamed.formats) >= ncol {
		formats = c.unnamed.formats[:ncol] // the replaced portal's, reused
	} else {
		formats = make([]int16, ncol)
	}
	for i := range formats {
		formats[i], _ = formatFor(m.ResultFormatCodes, i)
	}
	// The unnamed portal a Bind replaces is gone: its storage is reused
	// (the connection's goroutine alone uses portals).
	p := &c.unnamed
	if m.DestinationPortal != "" {
		p = new(portal)
	}
	*p = portal{name: m.DestinationPortal, prep: prep, params: params, formats: formats}
	c.portals[m.DestinationPortal] = p
	c.send(&pgproto3.BindComplete{})
	return nil
}

// describe handles 'D'.
func (c *conn) describe(body []byte) error {
	m := &c.in.describe
	if err := decodeExact(m, body, "invalid message format"); err != nil {
		return err
	}
	switch m.ObjectType {
	case 'S':
		st, err := c.statement(m.Name)
		if err != nil {
			return err
		}
		oids := make([]uint32, len(st.prep.ParamTypes))
		for i, t := range st.prep.ParamTypes {
			oids[i] = t.TypeOID()
		}
		c.send(&pgproto3.ParameterDescription{ParameterOIDs: oids})
		c.describeRows(st.prep, nil)
	case 'P':
		p, err := c.portal(m.Name)
		if err != nil {
			if cols, ok := c.cursorColumns(m.Name); ok {
				// A cursor DECLAREd in SQL is a portal too; its rows are
				// text.
				c.send(rowDescription(cols, nil))
				return nil
			}
			return err
		}
		c.describeRows(p.prep, p.formats)
	default:
		return pgerr.New(pgerr.ProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
	}
	return nil
}

func (c *conn) describeRows(p *sql.Prepared, formats []int16) {
	if p.Columns == nil || p.Tag == "" {
		c.send(&pgproto3.NoData{})
		return
	}
	c.sendRowDescription(p.Columns, formats)
}

// execute handles 'E'. The portal's statement runs on its first Execute;
// rows are then handed out up to MaxRows at a time.
func (c *conn) execute(body []byte) error {
	m, err := decodeExecute(body)
	if err != nil {
		return err
	}
	p, err := c.portal(m.Portal)
	if err != nil {
		if _, ok := c.cursorColumns(m.Portal); ok {
			return c.executeCursor(m.Portal, m.MaxRows)
		}
		return err
	}
	if p.prep.Tag == "" {
		c.send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	if !p.started {
		p.started = true
		ctx, end := c.beginStatement()
		// An Execute for all the rows streams them; one for some
		// keeps the rest for the next Execute.
		var rows *rowStream
		if m.MaxRows == 0 {
			rows = c.streamTo(false, p.formats)
		}
		res, err := c.run(ctx, p.prep, p.params, rows)
		end()
		if err != nil {
			delete(c.portals, p.name)
			return err
		}
		if res.Streamed {
			p.result, p.done = res, true
			c.noteResult(res)
			c.sendCommandComplete(res.Tag)
			return nil
		}
		if res.Columns != nil && len(res.Columns) != len(p.formats) {
			delete(c.portals, p.name)
			return pgerr.New(pgerr.FeatureNotSupported, "cached plan must not change result type")
		}
		p.result, p.rows = res, res.Rows
		c.noteResult(res)
	} else if p.done {
		if p.result.Columns == nil {
			return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "portal \"%s\" cannot be run", p.name)
		}
		c.sendCommandComplete(batchTag(p.result.Tag, 0))
		return nil
	}
	res := p.result
	if res.Columns == nil {
		p.done = true
		c.sendCommandComplete(res.Tag)
		return nil
	}
	// As in PostgreSQL, a batch that fills MaxRows suspends the portal
	// even when no row is left: the next Execute finds that out.
	n := len(p.rows)
	suspend := m.MaxRows > 0 && uint64(m.MaxRows) <= uint64(n)
	if suspend {
		n = int(m.MaxRows)
		p.limited = true
	}
	for _, row := range p.rows[:n] {
		if err := c.sendDataRow(res.Columns, row, p.formats, res.Format); err != nil {
			return err
		}
		c.maybeFlush()
	}
	p.rows = p.rows[n:]
	if suspend {
		c.send(&pgproto3.PortalSuspended{})
		return nil
	}
	p.done, p.rows = true, nil
	tag := res.Tag
	if p.limited {
		tag = batchTag(tag, n)
	}
	c.sendCommandComplete(tag)
	return nil
}

// executeCursor runs Execute on a cursor DECLAREd in SQL, which is a
// portal in PostgreSQL: it fetches the next maxRows rows (0: all the
// rest) in text format. As PostgreSQL does, a batch that filled maxRows
// ends with PortalSuspended (even when no row is left, which the next
// Execute finds, answering SELECT 0), a shorter one with SELECT n.
func (c *conn) executeCursor(name string, maxRows uint32) error {
	count := "ALL"
	if maxRows > 0 {
		count = strconv.FormatUint(uint64(maxRows), 10)
	}
	ctx, end := c.beginStatement()
	defer end()
	var preps []*sql.Prepared
	if err := c.call("PrepareAll", func() error {
		var err error
		preps, err = c.sess.PrepareAll(ctx, "FETCH FORWARD "+count+" FROM "+quoteIdent(name))
		return err
	}); err != nil {
		return stoppedError(ctx, err)
	}
	if len(preps) != 1 {
		return pgerr.New(pgerr.InternalError, "FETCH prepared %d statements", len(preps))
	}
	res, err := c.run(ctx, preps[0], nil, nil)
	if err != nil {
		return err
	}
	c.noteResult(res)
	formats := make([]int16, len(res.Columns))
	for _, row := range res.Rows {
		if err := c.sendDataRow(res.Columns, row, formats, res.Format); err != nil {
			return err
		}
		c.maybeFlush()
	}
	if maxRows > 0 && len(res.Rows) == int(maxRows) {
		c.send(&pgproto3.PortalSuspended{})
		return nil
	}
	c.sendCommandComplete("SELECT " + strconv.Itoa(len(res.Rows)))
	return nil
}

// quoteIdent quotes name as a SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// batchTag replaces the row count at the end of a command tag: PostgreSQL
// reports, for a portal run in batches, the rows of the last batch.
func batchTag(tag string, n int) string {
	i := strings.LastIndexByte(tag, ' ')
	if i < 0 {
		return tag
	}
	if _, err := strconv.ParseUint(tag[i+1:], 10, 64); err != nil {
		return tag
	}
	return tag[:i+1] + strconv.Itoa(n)
}

// closeObject handles 'C'. Closing something that does not exist is not an
// error.
func (c *conn) closeObject(body []byte) error {
	var m pgproto3.Close
	if err := decodeExact(&m, body, "invalid message format"); err != nil {
		return err
	}
	switch m.ObjectType {
	case 'S':
		if _, ok := c.stmts[m.Name]; ok && m.Name != "" {
			if ss, ok := c.sess.(StatementSession); ok {
				c.call("CloseStatement", func() error { ss.CloseStatement(m.Name); return nil })
			}
		}
		delete(c.stmts, m.Name)
	case 'P':
		delete(c.portals, m.Name)
	default:
		return pgerr.New(pgerr.ProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType)
	}
	c.send(&pgproto3.CloseComplete{})
	return nil
}
