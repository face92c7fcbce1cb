package sql

import (
	"sync"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/sequence"
	"github.com/cairndb/cairn/sql/types"
)

// Sequences. A sequence's options are its catalog descriptor (under MVCC,
// so ALTER SEQUENCE's options are transactional); its current value is
// shared by every session and outside MVCC, as in PostgreSQL: a nextval
// is not undone by a rollback. The engine keeps each sequence's value in
// memory (seqShared), one mutex per sequence and no lock shared between
// sequences on the path of nextval, and makes it durable through the heap
// (heap/sequence.go) by logging ahead (package sql/sequence): a nextval
// writes a record only every sequence.LogAhead values, and never waits
// for the disk itself. Instead the session remembers the log position of
// the newest record its values depend on, and a commit is acknowledged
// only after the log is durable through it (Session.endTxn), so a value
// returned to a committed transaction is never handed out again after a
// crash. A session caches CACHE values as PostgreSQL's backends do
// (seqLocal).

// seqShared is the in-memory state of one sequence.
type seqShared struct {
	mu struct {
		sync.Mutex
		loaded bool
		st     sequence.State
		// lsn is the log position of the newest state record written in
		// this process; logged is false while none was.
		lsn    uint64
		logged bool
		// epoch counts ALTER SEQUENCEs; a session's cached values of an
		// older epoch are dropped (PostgreSQL's new relfilenode).
		epoch uint64
	}
}

// seqRegistry finds a sequence's shared state by oid. Lookups of a
// sequence already used take no lock (sync.Map), so sessions using
// different sequences never meet.
type seqRegistry struct {
	m sync.Map // uint32 -> *seqShared
}

func (r *seqRegistry) get(id uint32) *seqShared {
	if s, ok := r.m.Load(id); ok {
		return s.(*seqShared)
	}
	s, _ := r.m.LoadOrStore(id, &seqShared{})
	return s.(*seqShared)
}

// seqLocal is a session's view of one sequence: the value currval
// returns and the values it has cached.
type seqLocal struct {
	last, cached, increment int64
	epoch                   uint64
}

// loadLocked reads the sequence's stored state the first time it is used
// in this process: the value last logged, nothing logged beyond it.
func (sh *seqShared) loadLocked(e *Engine, desc *catalog.TableDesc) error {
	if sh.mu.loaded {
		return nil
	}
	st, ok, err := e.heap.ReadSequence(desc.ID)
	if err != nil {
		return err
	}
	if ok {
		sh.mu.st = sequence.State{Last: st.Last, Called: st.Called}
	} else {
		sh.mu.st = sequence.State{Last: desc.Sequence.Start}
	}
	sh.mu.loaded = true
	return nil
}

// writeLocked stores st as the sequence's durable state.
func (sh *seqShared) writeLocked(e *Engine, id uint32, st heap.SequenceState) error {
	lsn, err := e.heap.WriteSequence(id, st)
	if err != nil {
		return err
	}
	sh.mu.lsn, sh.mu.logged = lsn, true
	return nil
}

// dependOn records that the session handed out a value the sequence's
// newest state record covers: its commit waits for that record.
func (s *Session) dependOn(sh *seqShared) {
	if sh.mu.logged && (!s.seqSync.need || sh.mu.lsn > s.seqSync.lsn) {
		s.seqSync.need, s.seqSync.lsn = true, sh.mu.lsn
	}
}

// sequenceByOID returns the sequence with oid as the statement sees the
// catalog.
func (x *execCtx) sequenceByOID(oid int64) (*catalog.TableDesc, error) {
	if t := x.sequenceByKnownKey(oid); t != nil {
		return t, nil
	}
	// The descriptors alone, not the pg_catalog view of them (user
	// types, schemas, the search path): nextval runs once per row of a
	// serial column.
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		if int64(t.ID) != oid || t.IndexOf != "" {
			continue
		}
		if t.Sequence == nil {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", t.Name)
		}
		x.rememberSequenceKey(oid, t)
		return t, nil
	}
	r, err := x.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		if int64(t.ID) == oid {
			if t.Sequence == nil {
				return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", t.Name)
			}
			return t, nil
		}
	}
	if ix := r.Index(oid); ix != nil {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", ix.Name())
	}
	return nil, pgerr.New(pgerr.InternalError, "could not open relation with OID %d", oid)
}

// refuseReadOnly refuses fn on sequence desc in a read-only transaction,
// unless the sequence is temporary (as PostgreSQL's nextval and setval).
func (x *execCtx) refuseReadOnly(fn string, desc *catalog.TableDesc) error {
	if x.s.readOnly && !desc.Temp() {
		return pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute %s() in a read-only transaction", fn)
	}
	return nil
}

// nextval is PostgreSQL's nextval(regclass).
func (x *execCtx) nextval(oid int64) (types.Datum, error) {
	desc, err := x.sequenceByOID(oid)
	if err != nil {
		return nil, err
	}
	if err := x.refuseReadOnly("nextval", desc); err != nil {
		return nil, err
	}
	if err := x.checkSeqPriv(desc, catalog.PrivUsage|catalog.PrivUpdate); err != nil {
		return nil, err
	}
	return x.nextvalOf(desc)
}

// nextvalOf takes the next value of the sequence desc describes.
func (x *execCtx) nextvalOf(desc *catalog.TableDesc) (int64, error) {
	s, e := x.s, x.s.e
	sh := e.seqs.get(desc.ID)
	if s.seqs == nil {
		s.seqs = make(map[uint32]*seqLocal)
	}
	sh.mu.Lock()
	epoch := sh.mu.epoch
	local := s.seqs[desc.ID]
	if local != nil && local.epoch == epoch && local.last != local.cached {
		// A value this session fetched before, and logged then, maybe
		// by a transaction that rolled back: this one's commit waits
		// for that record too.
		s.dependOn(sh)
		sh.mu.Unlock()
		local.last += local.increment
		s.lastSeq = desc.ID
		return local.last, nil
	}
	defer sh.mu.Unlock()
	if err := sh.loadLocked(e, desc); err != nil {
		return 0, err
	}
	f, err := sequence.Next(desc.Sequence.Options, sh.mu.st, desc.Name)
	if err != nil {
		return 0, err
	}
	if f.Log {
		if err := sh.writeLocked(e, desc.ID, heap.SequenceState{Last: f.Logged, Called: true}); err != nil {
			return 0, err
		}
	}
	sh.mu.st = f.State
	s.dependOn(sh)
	s.seqs[desc.ID] = &seqLocal{last: f.Result, cached: f.Cached, increment: desc.Sequence.Increment, epoch: epoch}
	s.lastSeq = desc.ID
	return f.Result, nil
}

// currval is PostgreSQL's currval(regclass).
func (x *execCtx) currval(oid int64) (types.Datum, error) {
	desc, err := x.sequenceByOID(oid)
	if err != nil {
		return nil, err
	}
	if err := x.checkSeqPriv(desc, catalog.PrivUsage|catalog.PrivSelect); err != nil {
		return nil, err
	}
	local := x.s.seqs[desc.ID]
	if local == nil {
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "currval of sequence \"%s\" is not yet defined in this session", desc.Name)
	}
	return local.last, nil
}

// lastval is PostgreSQL's lastval().
func (x *execCtx) lastval() (types.Datum, error) {
	notYet := pgerr.New(pgerr.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
	local := x.s.seqs[x.s.lastSeq]
	if local == nil {
		return nil, notYet
	}
	desc, err := x.sequenceByOID(int64(x.s.lastSeq))
	if err != nil {
		return nil, notYet
	}
	if err := x.checkSeqPriv(desc, catalog.PrivUsage|catalog.PrivSelect); err != nil {
		return nil, err
	}
	return local.last, nil
}

// setval is PostgreSQL's setval(regclass, bigint[, boolean]).
func (x *execCtx) setval(oid, next int64, called bool) (types.Datum, error) {
	desc, err := x.sequenceByOID(oid)
	if err != nil {
		return nil, err
	}
	if err := x.refuseReadOnly("setval", desc); err != nil {
		return nil, err
	}
	if err := x.checkSeqPriv(desc, catalog.PrivUpdate); err != nil {
		return nil, err
	}
	st, err := sequence.SetVal(desc.Sequence.Options, desc.Name, next, called)
	if err != nil {
		return nil, err
	}
	s, e := x.s, x.s.e
	sh := e.seqs.get(desc.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := sh.writeLocked(e, desc.ID, heap.SequenceState{Last: st.Last, Called: st.Called}); err != nil {
		return nil, err
	}
	sh.mu.st, sh.mu.loaded = st, true
	s.dependOn(sh)
	if s.seqs == nil {
		s.seqs = make(map[uint32]*seqLocal)
	}
	local := s.seqs[desc.ID]
	if called {
		local = &seqLocal{last: next, increment: desc.Sequence.Increment, epoch: sh.mu.epoch}
		s.seqs[desc.ID] = local
	}
	if local != nil {
		local.cached = local.last // forget cached values
	}
	return next, nil
}

// sequenceRows is what SELECT * FROM a sequence reads: its shared state.
func (x *execCtx) sequenceRows(desc *catalog.TableDesc) ([][]types.Datum, error) {
	sh := x.s.e.seqs.get(desc.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := sh.loadLocked(x.s.e, desc); err != nil {
		return nil, err
	}
	st := sh.mu.st
	return [][]types.Datum{{st.Last, st.LogCnt, st.Called}}, nil
}

// SequenceLastValue is pg_sequences.last_value: the last value sequence
// id fetched, or NULL before the first (catalog.Reader).
func (x *execCtx) SequenceLastValue(id uint32) types.Datum {
	desc, err := x.sequenceByOID(int64(id))
	if err != nil {
		return nil
	}
	rows, err := x.sequenceRows(desc)
	if err != nil || rows[0][2] == false {
		return nil
	}
	return rows[0][0]
}

// bindSequenceFunc binds nextval, currval, setval and lastval; ok is false
// for any other name.
func (b *binder) bindSequenceFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	int8T := types.New(types.Int8)
	regclass := func() error {
		if len(args) == 0 {
			return undefinedFunction(name, args, pos)
		}
		t := args[0].Type()
		switch {
		case t.ID == types.Regclass:
		case t.IsString() || t.ID == types.Unknown || t.IsOIDLike() || t.IsInteger():
			if t.ID == types.Unknown || t.ID == types.Bpchar {
				if args[0], err = b.cast(args[0], textT, true, pos); err != nil {
					return err
				}
			}
			if args[0], _, err = b.bindCatalogCast(args[0], ast.TypeName{Name: "regclass", Pos: pos}); err != nil {
				return err
			}
		default:
			return undefinedFunction(name, args, pos)
		}
		return nil
	}
	oidOf := func(v types.Datum) int64 {
		if r, ok := v.(*types.RegValue); ok {
			return r.OID
		}
		return v.(int64)
	}
	withCtx := func(f func(x *execCtx, a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &ctxFuncExpr{t: int8T, args: args, fn: f}, true, nil
	}
	switch name {
	case "nextval", "currval":
		if len(args) != 1 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if err := regclass(); err != nil {
			return nil, true, err
		}
		if name == "nextval" {
			return withCtx(func(x *execCtx, a []types.Datum) (types.Datum, error) { return x.nextval(oidOf(a[0])) })
		}
		return withCtx(func(x *execCtx, a []types.Datum) (types.Datum, error) { return x.currval(oidOf(a[0])) })
	case "lastval":
		if len(args) != 0 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		return &lastvalExpr{}, true, nil
	case "setval":
		if len(args) != 2 && len(args) != 3 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if err := regclass(); err != nil {
			return nil, true, err
		}
		if err := b.coerceArg(args, 1, int8T, name, pos); err != nil {
			return nil, true, err
		}
		if len(args) == 3 {
			if err := b.coerceArg(args, 2, boolT, name, pos); err != nil {
				return nil, true, err
			}
		}
		return withCtx(func(x *execCtx, a []types.Datum) (types.Datum, error) {
			called := true
			if len(a) == 3 {
				called = a[2].(bool)
			}
			return x.setval(oidOf(a[0]), a[1].(int64), called)
		})
	case "pg_get_serial_sequence":
		if err := b.coerceArgs(name, args, pos, textT, textT); err != nil {
			return nil, true, err
		}
		return &ctxFuncExpr{t: textT, args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return x.serialSequence(a[0].(string), a[1].(string))
		}}, true, nil
	}
	return nil, false, nil
}

// coerceArgs converts args to ts, or fails as no such function.
func (b *binder) coerceArgs(name string, args []expr, pos int32, ts ...types.T) error {
	if len(args) != len(ts) {
		return undefinedFunction(name, args, pos)
	}
	for i, t := range ts {
		if err := b.coerceArg(args, i, t, name, pos); err != nil {
			return err
		}
	}
	return nil
}

// lastvalExpr is lastval(), which takes no argument.
type lastvalExpr struct{}

func (*lastvalExpr) Type() types.T { return types.New(types.Int8) }
func (*lastvalExpr) Eval(c *evalCtx, _ []types.Datum) (types.Datum, error) {
	return c.exec.lastval()
}

// serialSequence is pg_get_serial_sequence(table, column): the sequence
// a serial or identity column owns, schema-qualified, or NULL.
func (x *execCtx) serialSequence(table, column string) (types.Datum, error) {
	v, err := catalog.MakeReg(x, types.Regclass, table)
	if err != nil {
		return nil, err
	}
	oid := v.(*types.RegValue).OID
	r, err := x.Relations()
	if err != nil {
		return nil, err
	}
	var t *catalog.TableDesc
	for _, d := range r.Tables {
		if int64(d.ID) == oid {
			t = d
		}
	}
	// The column is a name as it is, not an identifier to parse.
	col := column
	if t == nil || t.ColumnIndex(col) < 0 {
		name := table
		if t != nil {
			name = t.Name
		}
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", col, name)
	}
	for _, d := range r.Tables {
		if d.Sequence != nil && d.Sequence.OwnedBy == t.Key() && d.Sequence.OwnedCol == col {
			return parser.QuoteIdent(d.SchemaName()) + "." + parser.QuoteIdent(d.Name), nil
		}
	}
	return nil, nil
}
