package pgwire

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// fakeEngine is a tiny, honest stand-in for the SQL engine. It understands:
//
//	select <item>, ...      item is $n::type, $n, 'literal'::type, a number,
//	                        true/false or null; the row echoes the values
//	select 1/0              ERROR 22012
//	select generate_series(1, N)
//	select typed()          one row with a value of every supported type
//	select panic()          panics in Execute; prepare panic() panics in Prepare
//	select pg_sleep(10)     blocks until its context is cancelled
//	set application_name = 'x'
//	drop table if exists x  a NOTICE
//	begin / commit / rollback
//
// The session of a user named pid-N has process id N (a BackendSession).
// A startup parameter statement_timeout (a Go duration) is the session's
// statement_timeout (a StatementTimeoutSession).
// Anything else is a syntax error at its first word.
type fakeEngine struct {
	mu       sync.Mutex
	sessions []*fakeSession
	closed   chan *fakeSession // receives each session as it is closed
	sleeping chan struct{}     // receives when pg_sleep starts
	stopped  chan error        // receives why pg_sleep's context ended
}

var (
	_ Engine  = (*fakeEngine)(nil)
	_ Session = (*fakeSession)(nil)
)

func newFakeEngine() *fakeEngine {
	return &fakeEngine{closed: make(chan *fakeSession, 1000), sleeping: make(chan struct{}, 10), stopped: make(chan error, 10)}
}

func (e *fakeEngine) NewSession(user, database string, startup map[string]string) (Session, error) {
	switch {
	case database == "nosuchdb":
		return nil, pgerr.New(pgerr.InvalidCatalogName, "database \"%s\" does not exist", database)
	case user == "nosuchrole":
		return nil, pgerr.New(pgerr.InvalidAuthorizationSpec, "role \"%s\" does not exist", user)
	case user == "panicky":
		panic("NewSession exploded")
	}
	s := &fakeSession{eng: e, user: user, database: database, startup: startup, tx: sql.TxIdle}
	e.mu.Lock()
	e.sessions = append(e.sessions, s)
	e.mu.Unlock()
	if n, ok := strings.CutPrefix(user, "pid-"); ok {
		pid, err := strconv.Atoi(n)
		if err != nil {
			return nil, pgerr.New(pgerr.InvalidAuthorizationSpec, "role \"%s\" does not exist", user)
		}
		return &pidSession{fakeSession: s, pid: int32(pid)}, nil
	}
	return s, nil
}

// pidSession is the session of user pid-N: a BackendSession whose
// process id is N.
type pidSession struct {
	*fakeSession
	pid int32
}

var _ BackendSession = (*pidSession)(nil)

func (s *pidSession) BackendPID() int32 { return s.pid }

type fakeSession struct {
	eng      *fakeEngine
	user     string
	database string
	startup  map[string]string
	tx       byte
	closes   int
	conn     *sql.ConnInfo // from SetConnInfo
}

func (s *fakeSession) SetConnInfo(ci sql.ConnInfo) { s.conn = &ci }

func (s *fakeSession) StatementTimeout() time.Duration {
	d, _ := time.ParseDuration(s.startup["statement_timeout"])
	return d
}

var fakeTypes = map[string]types.ID{
	"bool": types.Bool, "int2": types.Int2, "int4": types.Int4, "int": types.Int4,
	"int8": types.Int8, "float8": types.Float8, "numeric": types.Numeric,
	"text": types.Text, "varchar": types.Varchar, "date": types.Date,
	"timestamp": types.Timestamp, "timestamptz": types.TimestampTZ,
}

func (s *fakeSession) PrepareAll(ctx context.Context, query string) ([]*sql.Prepared, error) {
	var out []*sql.Prepared
	for _, part := range strings.Split(query, ";") {
		p, err := s.Prepare(ctx, part, nil)
		if err != nil {
			return nil, err
		}
		if p.Tag != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

func normalize(q string) string {
	var lines []string
	for _, l := range strings.Split(q, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		lines = append(lines, l)
	}
	return strings.TrimSpace(strings.Join(lines, " "))
}

var castRe = regexp.MustCompile(`^(.*?)::(\w+)$`)

// selectItem is one item of a select list: a parameter or a literal, with
// its type.
type selectItem struct {
	param int // 1-based, or 0 for a literal
	lit   types.Datum
	typ   types.T
}

func parseItem(item string, paramTypes []types.ID) (selectItem, error) {
	item = strings.TrimSpace(item)
	it := selectItem{typ: types.T{ID: types.Text, Mod: -1}}
	expr, cast := item, ""
	if m := castRe.FindStringSubmatch(item); m != nil {
		expr, cast = strings.TrimSpace(m[1]), m[2]
		id, ok := fakeTypes[cast]
		if !ok {
			return it, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", cast)
		}
		it.typ.ID = id
	}
	expr = strings.Trim(expr, "()")
	expr = strings.TrimSpace(expr)
	switch {
	case strings.HasPrefix(expr, "$"):
		n, err := strconv.Atoi(expr[1:])
		if err != nil || n < 1 {
			return it, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"%s\"", expr)
		}
		it.param = n
		if cast == "" && n <= len(paramTypes) && paramTypes[n-1] != 0 {
			it.typ.ID = paramTypes[n-1]
		}
		return it, nil
	case strings.EqualFold(expr, "null"):
		return it, nil
	case strings.HasPrefix(expr, "'"):
		expr = strings.ReplaceAll(strings.Trim(expr, "'"), "''", "'")
	case expr == "true" || expr == "false":
		if cast == "" {
			it.typ.ID = types.Bool
		}
	default:
		if cast == "" {
			it.typ.ID = types.Int4
			if strings.ContainsAny(expr, ".eE") {
				it.typ.ID = types.Numeric
			}
		}
	}
	d, err := types.ParseText(it.typ, expr)
	if err != nil {
		return it, err
	}
	it.lit = d
	return it, nil
}

func (s *fakeSession) Prepare(_ context.Context, query string, paramTypes []types.ID) (*sql.Prepared, error) {
	q := normalize(query)
	lq := strings.ToLower(q)
	p := &sql.Prepared{SQL: q}
	int4 := types.T{ID: types.Int4, Mod: -1}
	switch {
	case strings.Count(strings.Trim(q, "; "), ";") > 0:
		return nil, pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	case lq == "":
	case lq == "prepare panic()":
		panic("Prepare exploded")
	case lq == "begin" || lq == "commit" || lq == "rollback":
		p.Tag = strings.ToUpper(lq)
	case strings.HasPrefix(lq, "set application_name"):
		p.Tag = "SET"
	case strings.HasPrefix(lq, "drop table if exists"):
		p.Tag = "DROP TABLE"
	case lq == "select 1/0", lq == "select panic()", lq == "select pg_sleep(10)":
		p.Tag = "SELECT"
		p.Columns = []sql.Column{{Name: "?column?", Type: int4}}
	case strings.HasPrefix(lq, "select generate_series(1,"):
		p.Tag = "SELECT"
		p.Columns = []sql.Column{{Name: "generate_series", Type: int4}}
	case lq == "select typed()":
		p.Tag = "SELECT"
		for i, t := range typedTypes {
			p.Columns = append(p.Columns, sql.Column{Name: "c" + strconv.Itoa(i), Type: t, TableID: 16384, Attr: int16(i + 1)})
		}
	case strings.HasPrefix(lq, "select "):
		p.Tag = "SELECT"
		nparams := 0
		for i, item := range strings.Split(q[len("select "):], ",") {
			it, err := parseItem(item, paramTypes)
			if err != nil {
				return nil, err
			}
			nparams = max(nparams, it.param)
			p.Columns = append(p.Columns, sql.Column{Name: "col" + strconv.Itoa(i+1), Type: it.typ})
		}
		p.ParamTypes = make([]types.T, nparams)
		for i := range p.ParamTypes {
			p.ParamTypes[i] = types.T{ID: types.Text, Mod: -1}
			if i < len(paramTypes) && paramTypes[i] != 0 {
				p.ParamTypes[i].ID = paramTypes[i]
			}
		}
		for _, item := range strings.Split(q[len("select "):], ",") {
			it, _ := parseItem(item, paramTypes)
			if it.param > 0 {
				p.ParamTypes[it.param-1] = it.typ
			}
		}
	default:
		word, _, _ := strings.Cut(q, " ")
		return nil, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"%s\"", word).WithPosition(1)
	}
	return p, nil
}

// typedTypes and typedRow are what "select typed()" returns.
var typedTypes = []types.T{
	{ID: types.Bool, Mod: -1}, {ID: types.Int2, Mod: -1}, {ID: types.Int4, Mod: -1},
	{ID: types.Int8, Mod: -1}, {ID: types.Float8, Mod: -1}, {ID: types.Numeric, Mod: -1},
	{ID: types.Text, Mod: -1}, {ID: types.Varchar, Mod: 10}, {ID: types.Date, Mod: -1},
	{ID: types.Timestamp, Mod: -1}, {ID: types.TimestampTZ, Mod: -1}, {ID: types.Text, Mod: -1},
}

func (s *fakeSession) Execute(ctx context.Context, p *sql.Prepared, params []types.Datum) (*sql.Result, error) {
	if len(params) != len(p.ParamTypes) {
		return nil, errors.New("fake: wrong parameter count")
	}
	lq := strings.ToLower(p.SQL)
	if s.tx == sql.TxFailed && lq != "rollback" && lq != "commit" {
		return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	res, err := s.execute(ctx, p, lq, params)
	if err != nil && s.tx == sql.TxActive {
		s.tx = sql.TxFailed
	}
	return res, err
}

func (s *fakeSession) execute(ctx context.Context, p *sql.Prepared, lq string, params []types.Datum) (*sql.Result, error) {
	res := &sql.Result{Columns: p.Columns, Tag: p.Tag}
	switch {
	case lq == "begin":
		s.tx = sql.TxActive
	case lq == "commit" || lq == "rollback":
		if s.tx == sql.TxFailed {
			res.Tag = "ROLLBACK"
		}
		s.tx = sql.TxIdle
	case strings.HasPrefix(lq, "set application_name"):
		_, v, _ := strings.Cut(p.SQL, "=")
		res.ParameterChanges = []sql.Parameter{{Name: "application_name", Value: strings.Trim(strings.TrimSpace(v), "'")}}
	case strings.HasPrefix(lq, "drop table if exists"):
		name := strings.TrimSpace(p.SQL[len("drop table if exists"):])
		res.Notices = []sql.Notice{{Severity: "NOTICE", Code: "00000", Message: "table \"" + name + "\" does not exist, skipping"}}
	case lq == "select 1/0":
		return nil, pgerr.New(pgerr.DivisionByZero, "division by zero")
	case lq == "select panic()":
		var m map[string]int
		m["boom"]++ // a genuine runtime panic: assignment to a nil map
	case lq == "select pg_sleep(10)":
		s.eng.sleeping <- struct{}{}
		<-ctx.Done()
		s.eng.stopped <- context.Cause(ctx)
		return nil, ctx.Err()
	case strings.HasPrefix(lq, "select generate_series(1,"):
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(lq[len("select generate_series(1,"):], ")")))
		if err != nil {
			return nil, pgerr.New(pgerr.InvalidTextRepresentation, "bad series")
		}
		for i := 1; i <= n; i++ {
			res.Rows = append(res.Rows, []types.Datum{int64(i)})
		}
		res.Tag = "SELECT " + strconv.Itoa(n)
	case lq == "select typed()":
		res.Rows = [][]types.Datum{typedRow()}
		res.Tag = "SELECT 1"
	default:
		row := make([]types.Datum, 0, len(p.Columns))
		for _, item := range strings.Split(p.SQL[len("select "):], ",") {
			it, err := parseItem(item, nil)
			if err != nil {
				return nil, err
			}
			if it.param > 0 {
				row = append(row, params[it.param-1])
			} else {
				row = append(row, it.lit)
			}
		}
		res.Rows = [][]types.Datum{row}
		res.Tag = "SELECT 1"
	}
	return res, nil
}

// BeginImplicit and EndImplicit do nothing: the fake session has no
// transactions beyond what BEGIN, COMMIT and ROLLBACK report.
func (s *fakeSession) BeginImplicit(sql.ImplicitMode) {}
func (s *fakeSession) EndImplicit(bool) error         { return nil }

func (s *fakeSession) TxStatus() byte { return s.tx }

func (s *fakeSession) Close() {
	s.closes++
	s.eng.closed <- s
}
