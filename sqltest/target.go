package sqltest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// Conn is one database session a file runs in.
type Conn interface {
	// Exec runs a statement, discarding any rows.
	Exec(ctx context.Context, query string) error
	// Query runs a statement and returns its rows.
	Query(ctx context.Context, query string) ([][]Value, error)
	// Close ends the session and discards the file's database.
	Close() error
}

// Target opens a fresh database for each file.
type Target interface {
	Open(ctx context.Context) (Conn, error)
	// Name describes the target in reports.
	Name() string
}

// Embedded runs files against an in-memory cairn in this process.
type Embedded struct{}

func (Embedded) Name() string { return "cairn (embedded)" }

func (Embedded) Open(context.Context) (Conn, error) {
	db, err := cairn.Open(cairn.MemoryDSN)
	if err != nil {
		return nil, err
	}
	s, err := db.NewSession()
	if err != nil {
		db.Close()
		return nil, err
	}
	return &embeddedConn{db: db, s: s}, nil
}

type embeddedConn struct {
	db *cairn.DB
	s  *sql.Session
	// warnings are the WARNINGs of the latest run.
	warnings []string
}

func (c *embeddedConn) run(ctx context.Context, query string) (*sql.Result, error) {
	c.warnings = nil
	stmts, err := c.s.PrepareAll(context.Background(), query)
	if err != nil {
		return nil, err
	}
	var last *sql.Result
	for _, p := range stmts {
		if last, err = c.s.Execute(ctx, p, nil); err != nil {
			return nil, err
		}
		for _, n := range last.Notices {
			if n.Severity == "WARNING" {
				c.warnings = append(c.warnings, warningLine(n.Code, n.Message))
			}
		}
	}
	if last == nil {
		return nil, errors.New("empty query")
	}
	return last, nil
}

func (c *embeddedConn) Exec(ctx context.Context, query string) error {
	_, err := c.run(ctx, query)
	return err
}

func (c *embeddedConn) Query(ctx context.Context, query string) ([][]Value, error) {
	res, err := c.run(ctx, query)
	if err != nil {
		return nil, err
	}
	out := make([][]Value, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = make([]Value, len(r))
		for j, d := range r {
			out[i][j] = datumValue(res.Columns[j].Type, d)
		}
	}
	return out, nil
}

func datumValue(t types.T, d types.Datum) Value {
	switch v := d.(type) {
	case nil:
		return Value{Kind: ValueNull}
	case int64:
		return Value{Kind: ValueInt, Text: strconv.FormatInt(v, 10)}
	case float64, *apd.Decimal:
		return Value{Kind: ValueFloat, Text: types.FormatText(t, v)}
	case bool:
		return Value{Kind: ValueBool, Text: types.FormatText(t, v)}
	}
	return Value{Kind: ValueText, Text: types.FormatText(t, d)}
}

func (c *embeddedConn) Close() error {
	c.s.Close()
	return c.db.Close()
}

// Remote runs files against a server: PostgreSQL, or cairn over pgwire.
type Remote struct {
	URL string
}

func (r Remote) Name() string { return r.URL }

var scratchSeq atomic.Int64

func (r Remote) Open(ctx context.Context) (Conn, error) {
	notices := &noticeLog{}
	adminCfg, err := pgx.ParseConfig(r.URL)
	if err != nil {
		return nil, err
	}
	adminCfg.OnNotice = notices.add
	admin, err := pgx.ConnectConfig(ctx, adminCfg)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("slt_%d_%d", time.Now().UnixNano()%1e9, scratchSeq.Add(1))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		// The server has one database (cairn): run in it and clean up
		// after the file instead.
		return &remoteConn{conn: admin, created: make(map[string]string), notices: notices}, nil
	}
	cfg, err := pgx.ParseConfig(r.URL)
	if err != nil {
		admin.Close(ctx)
		return nil, err
	}
	cfg.Database = name
	cfg.OnNotice = notices.add
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		admin.Exec(ctx, "DROP DATABASE "+name)
		admin.Close(ctx)
		return nil, err
	}
	return &remoteConn{conn: conn, admin: admin, scratch: name, notices: notices}, nil
}

// noticeLog keeps the WARNINGs a connection received, for Outcome.
type noticeLog struct{ warnings []string }

func (l *noticeLog) add(_ *pgconn.PgConn, n *pgconn.Notice) {
	if n.Severity == "WARNING" {
		l.warnings = append(l.warnings, warningLine(n.Code, n.Message))
	}
}

type remoteConn struct {
	conn    *pgx.Conn
	admin   *pgx.Conn
	scratch string
	// created tracks tables and views made by the file, when there is no
	// scratch database to drop.
	created map[string]string
	notices *noticeLog
}

var createRe = regexp.MustCompile(`(?i)^\s*CREATE\s+(TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)`)

func (c *remoteConn) exec(ctx context.Context, query string) ([]*pgconn.Result, error) {
	results, err := c.conn.PgConn().Exec(ctx, query).ReadAll()
	if err == nil && c.created != nil {
		if m := createRe.FindStringSubmatch(query); m != nil {
			c.created[strings.ToLower(m[2])] = strings.ToUpper(m[1])
		}
	}
	return results, err
}

func (c *remoteConn) Exec(ctx context.Context, query string) error {
	_, err := c.exec(ctx, query)
	return err
}

func (c *remoteConn) Query(ctx context.Context, query string) ([][]Value, error) {
	results, err := c.exec(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(results) == 0 {
		return nil, errors.New("empty query")
	}
	res := results[len(results)-1]
	out := make([][]Value, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = make([]Value, len(r))
		for j, b := range r {
			out[i][j] = wireValue(res.FieldDescriptions[j].DataTypeOID, b)
		}
	}
	return out, nil
}

func wireValue(oid uint32, b []byte) Value {
	if b == nil {
		return Value{Kind: ValueNull}
	}
	switch oid {
	case 20, 21, 23:
		return Value{Kind: ValueInt, Text: string(b)}
	case 700, 701, 1700:
		return Value{Kind: ValueFloat, Text: string(b)}
	case 16:
		return Value{Kind: ValueBool, Text: string(b)}
	}
	return Value{Kind: ValueText, Text: string(b)}
}

func (c *remoteConn) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if c.scratch != "" {
		c.conn.Close(ctx)
		_, err := c.admin.Exec(ctx, "DROP DATABASE "+c.scratch)
		c.admin.Close(ctx)
		return err
	}
	var firstErr error
	for name, kind := range c.created {
		if kind == "VIEW" {
			if _, err := c.conn.Exec(ctx, "DROP VIEW IF EXISTS "+name); err != nil && firstErr == nil {
				firstErr = err
			}
		}
	}
	for name, kind := range c.created {
		if kind == "TABLE" {
			if _, err := c.conn.Exec(ctx, "DROP TABLE IF EXISTS "+name); err != nil && firstErr == nil {
				firstErr = err
			}
		}
	}
	c.conn.Close(ctx)
	return firstErr
}
