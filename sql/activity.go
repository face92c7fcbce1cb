package sql

import (
	gonet "net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// pg_stat_activity: what every session is doing. A session reports its
// activity to its backend entry (see backends.go) when a statement starts
// (state active, the query string, query_start) and when it waits for its
// client again (idle, idle in transaction, or idle in transaction
// (aborted)); other sessions read the latest report. What the session
// waits for is read from the lock manager when the view is read.

// activity is a session's latest report.
type activity struct {
	userOID      uint32    // usesysid
	backendStart time.Time // backend_start
	state        string
	query        string
	appName      string
	queryStart   time.Time
	stateChange  time.Time
	xactStart    time.Time
}

// backendActivity is the part of a backend pg_stat_activity reads.
type backendActivity struct {
	mu  sync.Mutex
	cur activity
	// sleeping is set while the session runs pg_sleep (wait event
	// Timeout/PgSleep).
	sleeping atomic.Bool
}

func (a *backendActivity) set(act activity) {
	a.mu.Lock()
	a.cur = act
	a.mu.Unlock()
}

func (a *backendActivity) get() activity {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cur
}

// startActivity begins the session's activity reports: it is idle.
func (s *Session) startActivity(userOID uint32) {
	now := s.e.now()
	s.backend.act.set(activity{userOID: userOID, backendStart: now, state: "idle",
		appName: s.settings["application_name"], stateChange: now})
	s.backend.accountState(now, "idle")
}

// reportActive reports that the statement of query string query started
// at now. A statement outside a transaction runs in one that starts with
// it.
func (s *Session) reportActive(query string, now time.Time) {
	xact := now
	if s.tx != nil {
		xact = s.txnStart
	}
	act := s.backend.act.get()
	act.state, act.query, act.appName = "active", query, s.settings["application_name"]
	act.queryStart, act.stateChange, act.xactStart = now, now, xact
	s.backend.act.set(act)
	s.backend.accountState(now, "active")
}

// reportIdle reports that the session waits for its client, keeping the
// last query.
func (s *Session) reportIdle() { s.reportIdleAt(time.Time{}) }

// reportIdleAt is reportIdle at now, read from the clock if it is zero
// and needed.
func (s *Session) reportIdleAt(now time.Time) {
	act := s.backend.act.get()
	state := "idle"
	switch {
	case s.failed:
		state = "idle in transaction (aborted)"
	case s.tx != nil:
		state = "idle in transaction"
	}
	act.appName = s.settings["application_name"]
	act.xactStart = s.txnStart
	if s.failed {
		// PostgreSQL forgets the start of a transaction once it aborts.
		act.xactStart = time.Time{}
	}
	if act.state != state {
		if now.IsZero() {
			now = s.e.now()
		}
		act.state = state
		act.stateChange = now
		s.backend.accountState(now, state)
	}
	s.backend.act.set(act)
}

// pgStatActivity is pg_stat_activity: one row per session, every one a
// client backend (cairn has no background processes to show). As in
// PostgreSQL, a role sees the state, query, times, wait and client of
// its own role's sessions only (superusers, roles with the privileges
// of the session's role and those with pg_read_all_stats's see all); of others it sees the database, pid,
// role and application_name, with query '<insufficient privilege>'.
//
// query is the whole query string of the current or last statement.
// wait_event_type and wait_event show Lock/transactionid for a session
// waiting for a row another transaction changed or locked, Lock/relation
// for a table lock, Lock/advisory for an advisory lock, Timeout/PgSleep in
// pg_sleep and Client/ClientRead for an idle session. backend_xid is the
// running transaction's id as int8 (as pg_locks shows it: cairn's ids
// are 64-bit), which cairn gives a transaction when it begins (PostgreSQL
// at its first write, so a transaction that only read shows NULL there).
// xact_start is NULL in an aborted transaction, as in PostgreSQL. backend_xmin is NULL:
// cairn's snapshots are revisions, not ranges of transaction ids.
// leader_pid is NULL (no parallel workers), client_hostname NULL (as
// with log_hostname off) and query_id NULL (as with compute_query_id
// auto and no module asking for it).
var pgStatActivity = &sysView{
	name: "pg_stat_activity",
	cols: resultColumns(catalog.Cols("datid", oidT, "datname", nameT, "pid", int4T, "leader_pid", int4T,
		"usesysid", oidT, "usename", nameT, "application_name", textT, "client_addr", types.New(types.Inet),
		"client_hostname", textT, "client_port", int4T, "backend_start", timestamptzT, "xact_start", timestamptzT,
		"query_start", timestamptzT, "state_change", timestamptzT, "wait_event_type", textT, "wait_event", textT,
		"state", textT, "backend_xid", types.New(types.Int8), "backend_xmin", types.New(types.Int8),
		"query_id", types.New(types.Int8), "query", textT, "backend_type", textT)),
	rows: activityRows,
}

func init() { sessionSystemViews[pgStatActivity.name] = pgStatActivity }

func activityRows(x *execCtx) ([][]types.Datum, error) {
	e := x.s.e
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	var me uint32
	if r, ok := g.byName[x.s.currentUser()]; ok {
		me = r.OID
	}
	waits := make(map[txn.XID]txn.Wait)
	for _, w := range e.tm.Waits() {
		waits[w.Waiter] = w
	}
	advisoryWaits := make(map[*txn.LockOwner]bool)
	for _, l := range e.tm.AdvisoryLocks() {
		if !l.Granted {
			advisoryWaits[l.Owner] = true
		}
	}
	var out [][]types.Datum
	for _, be := range e.backends.list() {
		act := be.act.get()
		if act.backendStart.IsZero() {
			continue // still starting: nothing to show yet
		}
		xid := txn.XID(be.xid.Load())
		row := make([]types.Datum, 22)
		row[0], row[1], row[2] = e.databaseOID(be.database), be.database, int64(be.pid)
		row[4], row[5] = int64(act.userOID), be.user
		row[6] = act.appName
		if xid != 0 {
			row[17] = int64(xid)
		}
		if !g.hasPrivsOf(me, act.userOID) && !g.hasPrivsOf(me, types.OIDPgReadAllStats) {
			row[20] = "<insufficient privilege>"
			out = append(out, row)
			continue
		}
		if ci := be.conn.Load(); ci != nil {
			row[7], row[9] = clientAddr(ci.Client)
		}
		row[10] = timeOrNull(act.backendStart)
		row[11], row[12], row[13] = timeOrNull(act.xactStart), timeOrNull(act.queryStart), timeOrNull(act.stateChange)
		switch {
		case act.state != "active":
			row[14], row[15] = "Client", "ClientRead"
		case xid != 0 && waits[xid].Waiter != 0:
			row[14], row[15] = "Lock", "transactionid"
			if waits[xid].Table != 0 {
				row[15] = "relation"
			}
		case advisoryWaits[&be.owner]:
			row[14], row[15] = "Lock", "advisory"
		case be.act.sleeping.Load():
			row[14], row[15] = "Timeout", "PgSleep"
		}
		row[16], row[20], row[21] = act.state, act.query, "client backend"
		out = append(out, row)
	}
	return out, nil
}

func timeOrNull(t time.Time) types.Datum {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// clientAddr is client_addr and client_port of a connection from a:
// the address and port of a TCP client; NULL and -1 for a Unix-domain
// socket, as PostgreSQL shows them; NULL and NULL with no connection.
func clientAddr(a gonet.Addr) (addr, port types.Datum) {
	switch a := a.(type) {
	case *gonet.TCPAddr:
		return inetOf(a.IP), int64(a.Port)
	case *gonet.UnixAddr:
		return nil, int64(-1)
	}
	return nil, nil
}

// inetOf is ip as an inet host address.
func inetOf(ip gonet.IP) types.InetValue {
	var v types.InetValue
	if ip4 := ip.To4(); ip4 != nil {
		v.Bits = 32
		copy(v.Addr[:], ip4)
		return v
	}
	v.V6, v.Bits = true, 128
	copy(v.Addr[:], ip.To16())
	return v
}

// bindInetConnFunc binds inet_client_addr(), inet_client_port(),
// inet_server_addr() and inet_server_port(): the session's connection's
// ends, NULL for a Unix-domain socket or a session without a connection.
func (b *binder) bindInetConnFunc(name string, args []expr, pos int32) (expr, bool, error) {
	var client bool
	var port bool
	switch name {
	case "inet_client_addr":
		client = true
	case "inet_client_port":
		client, port = true, true
	case "inet_server_addr":
	case "inet_server_port":
		port = true
	default:
		return nil, false, nil
	}
	if len(args) != 0 {
		return nil, true, undefinedFunction(name, args, pos)
	}
	t := types.New(types.Inet)
	if port {
		t = int4T
	}
	return &ctxFuncExpr{t: t, fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) {
		ci := x.s.backend.conn.Load()
		if ci == nil {
			return nil, nil
		}
		a := ci.Server
		if client {
			a = ci.Client
		}
		tcp, ok := a.(*gonet.TCPAddr)
		switch {
		case !ok:
			return nil, nil
		case port:
			return int64(tcp.Port), nil
		}
		return inetOf(tcp.IP), nil
	}}, true, nil
}

// queryString is the query string p was parsed from, or its own text
// when that is unknown.
func (p *Prepared) queryString() string {
	if p.source != "" {
		return p.source
	}
	return p.SQL
}
