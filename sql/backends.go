package sql

import (
	"encoding/json"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Every session is a backend with a process id, as every PostgreSQL
// connection is served by a process: pg_backend_pid() returns it, pgwire
// sends it to the client in BackendKeyData (and takes it back in a cancel
// request), and pg_locks names the holder and the waiter of each lock by
// it. The ids are handed out in turn, skipping those still in use.

// backends are the engine's live sessions by process id.
type backends struct {
	mu struct {
		sync.Mutex
		last int32
		live map[int32]*backend
	}
}

// backend is what other sessions may read of one session.
type backend struct {
	pid      int32
	database string
	// xid is the session's running transaction, 0 when there is none.
	// The session writes it; pg_locks reads it from other sessions.
	xid atomic.Uint64
	// owner holds the session's advisory locks; it follows xid.
	owner txn.LockOwner
	// conn describes the client connection (SetConnInfo); nil for a
	// session with none (embedded use).
	conn atomic.Pointer[ConnInfo]
	// user is the session's role, superuser whether it was a superuser
	// when the session began (pg_cancel_backend and
	// pg_terminate_backend check both).
	user      string
	superuser bool
	// act is what pg_stat_activity shows of the session (activity.go).
	act backendActivity
	// dbStats are the counters of the session's database in
	// pg_stat_database, acct the session's time accounting for them
	// (dbstats.go).
	dbStats *databaseCounters
	acct    sessionAccounting
}

// register gives a new session of database a process id no live session
// has.
func (b *backends) register(database, user string, superuser bool) *backend {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mu.live == nil {
		b.mu.live = make(map[int32]*backend)
	}
	for {
		b.mu.last++
		if b.mu.last > backendPIDMax {
			b.mu.last = 1
		}
		if b.mu.live[b.mu.last] == nil {
			be := &backend{pid: b.mu.last, database: database, user: user, superuser: superuser}
			b.mu.live[be.pid] = be
			return be
		}
	}
}

// unregister frees be's process id.
func (b *backends) unregister(be *backend) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mu.live[be.pid] == be {
		delete(b.mu.live, be.pid)
	}
}

// get returns the live backend with process id pid, or nil.
func (b *backends) get(pid int32) *backend {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.mu.live[pid]
}

// list returns the live backends by process id.
func (b *backends) list() []*backend {
	b.mu.Lock()
	out := make([]*backend, 0, len(b.mu.live))
	for _, be := range b.mu.live {
		out = append(out, be)
	}
	b.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].pid < out[j].pid })
	return out
}

// BackendPID is the session's process id, as pg_backend_pid() returns it.
func (s *Session) BackendPID() int32 { return s.backend.pid }

// setXID records the session's running transaction for pg_locks.
func (s *Session) setXID(x txn.XID) {
	s.backend.xid.Store(uint64(x))
	s.backend.owner.SetXID(x)
}

// pgLocks is pg_locks: the locks transactions hold and wait for. cairn
// has four kinds, shown as PostgreSQL shows them:
//
//   - every running transaction holds ExclusiveLock on its own id
//     (locktype transactionid). cairn gives a transaction its id when it
//     begins, so a read-only transaction shows one too; subtransactions
//     are not shown apart from their transaction.
//   - table locks (locktype relation): RowExclusiveLock taken by writers,
//     ShareLock by CREATE INDEX, AccessExclusiveLock by ALTER and DROP
//     TABLE. Readers take none in cairn, so AccessShareLock never shows.
//   - advisory locks (locktype advisory), held by sessions: ShareLock or
//     ExclusiveLock on (classid, objid, objsubid) as PostgreSQL fills
//     them (txn.AdvisoryKey), one row per session, key and mode held,
//     and one not granted for a session waiting.
//   - a transaction waiting for a row that another changed or locked
//     waits for that transaction to end: a ShareLock on its transactionid,
//     not granted. One waiting for a table lock shows the relation lock
//     it asked for, not granted.
//
// A prepared transaction's locks have no pid, as in PostgreSQL. transactionid
// is an xid: the low 32 bits of cairn's 64-bit transaction id, as
// PostgreSQL's xid is its full id without the epoch. cairn has no virtual
// transaction ids: virtualtransaction, which ties a transaction's rows
// together, is its owner's pid and its id ("pid/xid"; "-1/xid" for a
// prepared transaction, as PostgreSQL shows one). virtualxid and
// waitstart are NULL: cairn does not record when a wait began.
var pgLocks = &sysView{
	name: "pg_locks",
	cols: resultColumns(catalog.Cols("locktype", textT, "database", oidT, "relation", oidT, "page", int4T, "tuple", int2T,
		"virtualxid", textT, "transactionid", types.New(types.XID), "classid", oidT, "objid", oidT, "objsubid", int2T,
		"virtualtransaction", textT, "pid", int4T, "mode", textT, "granted", boolT, "fastpath", boolT,
		"waitstart", types.New(types.TimestampTZ))),
	rows: lockRows,
}

// tableLockModeNames are PostgreSQL's names of cairn's table lock modes.
var tableLockModeNames = map[txn.TableLockMode]string{
	txn.RowExclusive:    "RowExclusiveLock",
	txn.Share:           "ShareLock",
	txn.AccessExclusive: "AccessExclusiveLock",
	txn.AccessShare:     "AccessShareLock",
}

func lockRows(x *execCtx) ([][]types.Datum, error) {
	e := x.s.e
	type owner struct {
		pid      types.Datum
		database string
	}
	owners := make(map[txn.XID]owner)
	lockOwners := make(map[*txn.LockOwner]owner)
	var order []txn.XID // running transactions: sessions' by pid, then prepared ones
	for _, be := range e.backends.list() {
		lockOwners[&be.owner] = owner{pid: int64(be.pid), database: be.database}
		if xid := txn.XID(be.xid.Load()); xid != 0 {
			owners[xid] = owner{pid: int64(be.pid), database: be.database}
			order = append(order, xid)
		}
	}
	for _, p := range e.tm.Prepared() {
		var meta preparedMeta
		_ = json.Unmarshal(p.Meta, &meta) // a record without meta has no database
		owners[p.XID] = owner{pid: nil, database: meta.Database}
		order = append(order, p.XID)
	}
	ownerOf := func(xid txn.XID) owner {
		if o, ok := owners[xid]; ok {
			return o
		}
		// A transaction of no session (none today): no pid, as a
		// prepared transaction's.
		return owner{}
	}
	virtual := func(o owner, xid txn.XID) string {
		pid := int64(-1)
		if p, ok := o.pid.(int64); ok {
			pid = p
		}
		return strconv.FormatInt(pid, 10) + "/" + strconv.FormatUint(uint64(xid), 10)
	}
	// xidLock is holder's lock on the id of xid (its own, or the one it
	// waits for).
	xidLock := func(o owner, holder, xid txn.XID, mode string, granted bool) []types.Datum {
		return []types.Datum{"transactionid", nil, nil, nil, nil, nil, int64(uint32(xid)), nil, nil, nil, virtual(o, holder), o.pid, mode, granted, false, nil}
	}
	relLock := func(o owner, holder txn.XID, table uint32, mode txn.TableLockMode, granted bool) []types.Datum {
		return []types.Datum{"relation", e.databaseOID(o.database), int64(table), nil, nil, nil, nil, nil, nil, nil, virtual(o, holder), o.pid,
			tableLockModeNames[mode], granted, false, nil}
	}
	tables := make(map[txn.XID][]txn.TableLock)
	for _, l := range e.tm.TableLocks() {
		tables[l.XID] = append(tables[l.XID], l)
	}
	waits := make(map[txn.XID]txn.Wait)
	for _, w := range e.tm.Waits() {
		waits[w.Waiter] = w
		if _, ok := owners[w.Waiter]; !ok {
			order = append(order, w.Waiter)
		}
	}
	var out [][]types.Datum
	for _, xid := range order {
		o := ownerOf(xid)
		if _, ok := owners[xid]; ok {
			out = append(out, xidLock(o, xid, xid, "ExclusiveLock", true))
		}
		for _, l := range tables[xid] {
			out = append(out, relLock(o, xid, l.Table, l.Mode, true))
		}
		if w, ok := waits[xid]; ok {
			if w.Table == 0 {
				out = append(out, xidLock(o, xid, w.Holder, "ShareLock", false))
			} else {
				out = append(out, relLock(o, xid, w.Table, w.Mode, false))
			}
		}
	}
	for _, l := range e.tm.AdvisoryLocks() {
		o := lockOwners[l.Owner]
		out = append(out, []types.Datum{"advisory", e.databaseOID(o.database), nil, nil, nil, nil, nil,
			int64(l.Key.ClassID), int64(l.Key.ObjID), int64(l.Key.ObjSubID), nil, o.pid, l.Mode.String(), l.Granted, false, nil})
	}
	return out, nil
}

// databaseOID is the oid pg_database gives database, or NULL for a name
// the engine does not serve.
func (e *Engine) databaseOID(database string) types.Datum {
	return catalog.DatabaseOID(e.opts.Databases, database)
}
