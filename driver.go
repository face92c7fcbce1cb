package cairn

import (
	"context"
	stdsql "database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

func init() {
	stdsql.Register("cairn", &Driver{})
}

// Driver is the database/sql driver registered as "cairn". Its data source
// name is a directory, or ":memory:".
type Driver struct{}

var (
	_ driver.Driver        = (*Driver)(nil)
	_ driver.DriverContext = (*Driver)(nil)
)

// Open opens a connection; database/sql prefers OpenConnector.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	dc, err := c.Connect(context.Background())
	if err != nil {
		c.(io.Closer).Close()
		return nil, err
	}
	// A connection opened without a connector owns its database.
	dc.(*conn).owner = c.(io.Closer)
	return dc, nil
}

// OpenConnector opens the database named by dsn. Connectors of the same
// directory share one DB; ":memory:" gives each connector its own.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	if dsn == "" {
		return nil, errors.New("cairn: empty data source name: give a directory or :memory:")
	}
	if dsn == MemoryDSN {
		db, err := Open(MemoryDSN)
		if err != nil {
			return nil, err
		}
		return &connector{db: db, release: db.Close}, nil
	}
	abs, err := filepath.Abs(dsn)
	if err != nil {
		return nil, fmt.Errorf("cairn: %w", err)
	}
	db, release, err := shared.acquire(abs)
	if err != nil {
		return nil, err
	}
	return &connector{db: db, release: release}, nil
}

// shared counts the users of each open directory, so that several
// database/sql handles in one process use one DB.
var shared = &registry{dbs: make(map[string]*sharedDB)}

type registry struct {
	mu  sync.Mutex
	dbs map[string]*sharedDB
}

type sharedDB struct {
	db   *DB
	refs int
}

func (r *registry) acquire(dir string) (*DB, func() error, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.dbs[dir]
	if s == nil {
		db, err := Open(dir)
		if err != nil {
			return nil, nil, err
		}
		s = &sharedDB{db: db}
		r.dbs[dir] = s
	}
	s.refs++
	var once sync.Once
	release := func() error {
		var err error
		once.Do(func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			s.refs--
			if s.refs == 0 {
				delete(r.dbs, dir)
				err = s.db.Close()
			}
		})
		return err
	}
	return s.db, release, nil
}

// NewConnector returns a database/sql connector for an open DB, for
// stdsql.OpenDB. Closing the resulting *sql.DB does not close db.
func NewConnector(db *DB) driver.Connector {
	return &connector{db: db, release: func() error { return nil }}
}

type connector struct {
	db      *DB
	release func() error
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	s, err := c.db.NewSession()
	if err != nil {
		return nil, err
	}
	return &conn{s: s}, nil
}

func (c *connector) Driver() driver.Driver { return &Driver{} }

// Close releases the database when database/sql closes its handle.
func (c *connector) Close() error { return c.release() }

type conn struct {
	s      *sql.Session
	owner  io.Closer
	closed bool
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	p, err := c.s.Prepare(ctx, query, nil)
	if err != nil {
		return nil, err
	}
	return &stmt{c: c, p: p}, nil
}

func (c *conn) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	c.s.Close()
	if c.owner != nil {
		return c.owner.Close()
	}
	return nil
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	q := "BEGIN"
	switch stdsql.IsolationLevel(opts.Isolation) {
	case stdsql.LevelDefault:
	case stdsql.LevelReadUncommitted, stdsql.LevelReadCommitted:
		q += " ISOLATION LEVEL READ COMMITTED"
	case stdsql.LevelRepeatableRead, stdsql.LevelSnapshot:
		q += " ISOLATION LEVEL REPEATABLE READ"
	case stdsql.LevelSerializable:
		q += " ISOLATION LEVEL SERIALIZABLE"
	default:
		return nil, fmt.Errorf("cairn: isolation level %v is not supported", stdsql.IsolationLevel(opts.Isolation))
	}
	if opts.ReadOnly {
		q += " READ ONLY"
	}
	if _, err := c.run(ctx, q, nil); err != nil {
		return nil, err
	}
	return &tx{c: c}, nil
}

// CheckNamedValue accepts every value; conversion to the parameter's SQL
// type happens in sql.ConvertArg, which knows the type.
func (c *conn) CheckNamedValue(*driver.NamedValue) error { return nil }

func (c *conn) run(ctx context.Context, query string, args []driver.NamedValue) (*sql.Result, error) {
	p, err := c.s.Prepare(ctx, query, nil)
	if err != nil {
		return nil, err
	}
	return execute(ctx, c.s, p, args)
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.run(ctx, query, args)
	if err != nil {
		return nil, err
	}
	c.s.ReleaseResult()
	return newExecResult(res), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	res, err := c.run(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return &rows{res: res, s: c.s}, nil
}

func execute(ctx context.Context, s *sql.Session, p *sql.Prepared, args []driver.NamedValue) (*sql.Result, error) {
	if len(args) != len(p.ParamTypes) {
		return nil, fmt.Errorf("cairn: got %d arguments, statement has %d parameters", len(args), len(p.ParamTypes))
	}
	params := make([]types.Datum, len(args))
	for i, a := range args {
		v, err := types.ConvertArg(p.ParamTypes[i], a.Value)
		if err != nil {
			return nil, fmt.Errorf("cairn: argument $%d: %w", i+1, err)
		}
		params[i] = v
	}
	return s.Execute(ctx, p, params)
}

type tx struct{ c *conn }

func (t *tx) Commit() error {
	res, err := t.c.run(context.Background(), "COMMIT", nil)
	if err == nil && res.Tag == "ROLLBACK" {
		return errors.New("cairn: transaction was aborted and has been rolled back")
	}
	return err
}

func (t *tx) Rollback() error {
	_, err := t.c.run(context.Background(), "ROLLBACK", nil)
	return err
}

type stmt struct {
	c *conn
	p *sql.Prepared
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return len(s.p.ParamTypes) }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	res, err := execute(ctx, s.c.s, s.p, args)
	if err != nil {
		return nil, err
	}
	s.c.s.ReleaseResult()
	return newExecResult(res), nil
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	res, err := execute(ctx, s.c.s, s.p, args)
	if err != nil {
		return nil, err
	}
	return &rows{res: res, s: s.c.s}, nil
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

// execResult reports the row count from the command tag.
type execResult int64

func (r execResult) LastInsertId() (int64, error) {
	return 0, errors.New("cairn: LastInsertId is not supported; use RETURNING")
}
func (r execResult) RowsAffected() (int64, error) { return int64(r), nil }

func newExecResult(res *sql.Result) execResult { return execResult(rowsAffected(res.Tag)) }

// rowsAffected reads the count that ends a command tag ("UPDATE 3").
func rowsAffected(tag string) int64 {
	n, err := strconv.ParseInt(tag[strings.LastIndexByte(tag, ' ')+1:], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// rows hands out a Result's rows; closing it gives their memory back to
// the engine's budget (database/sql runs nothing else on the connection
// until then).
type rows struct {
	res *sql.Result
	s   *sql.Session
	i   int
}

func (r *rows) Columns() []string {
	out := make([]string, len(r.res.Columns))
	for i, c := range r.res.Columns {
		out[i] = c.Name
	}
	return out
}

func (r *rows) Close() error {
	r.s.ReleaseResult()
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	if r.i >= len(r.res.Rows) {
		return io.EOF
	}
	row := r.res.Rows[r.i]
	r.i++
	for i, d := range row {
		switch v := d.(type) {
		case *apd.Decimal, *types.Array, *types.RegValue, *types.JSON, types.IntervalValue, types.TimeOfDay, types.TimeTZValue:
			// No driver.Value holds them: they are read as their text,
			// as from a PostgreSQL server.
			dest[i] = types.FormatTextStyle(r.res.Columns[i].Type, v, r.s.TypeStyle())
		case types.UUIDValue:
			dest[i] = v.String()
		case types.InetValue, types.MacAddrValue, types.MacAddr8Value, types.Money,
			types.Point, types.Lseg, types.Line, types.Box, *types.Path, *types.Polygon, types.Circle:
			dest[i] = types.FormatText(r.res.Columns[i].Type, v)
		case types.EnumValue:
			dest[i] = v.Label
		case string:
			if r.res.Columns[i].Type.ID == types.Bytea {
				dest[i] = []byte(v) // bytea reads as its bytes
			} else {
				dest[i] = v
			}
		case time.Time:
			dest[i] = v
		default:
			dest[i] = v
		}
	}
	return nil
}

// ColumnTypeDatabaseTypeName reports PostgreSQL's type name.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	return r.res.Columns[i].Type.Name()
}
