package sql

import (
	"strconv"
	"strings"
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

func (x *execCtx) refuseReadOnly(fn string) error {
	if x.s.readOnly {
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
	if err := x.refuseReadOnly("nextval"); err != nil {
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
	if _, err := x.sequenceByOID(int64(x.s.lastSeq)); err != nil {
		return nil, notYet
	}
	return local.last, nil
}

// setval is PostgreSQL's setval(regclass, bigint[, boolean]).
func (x *execCtx) setval(oid, next int64, called bool) (types.Datum, error) {
	desc, err := x.sequenceByOID(oid)
	if err != nil {
		return nil, err
	}
	if err := x.refuseReadOnly("setval"); err != nil {
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

// SequenceState is a sequence's state as pg_sequences shows it: the last
// value handed out, or NULL before the first.
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
	col := column
	if len(col) >= 2 && col[0] == '"' && col[len(col)-1] == '"' {
		col = strings.ReplaceAll(col[1:len(col)-1], `""`, `"`)
	} else {
		col = strings.ToLower(col)
	}
	if t == nil || t.ColumnIndex(col) < 0 {
		name := table
		if t != nil {
			name = t.Name
		}
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", col, name)
	}
	for _, d := range r.Tables {
		if d.Sequence != nil && d.Sequence.OwnedBy == t.Name && d.Sequence.OwnedCol == col {
			return "public." + parser.QuoteIdent(d.Name), nil
		}
	}
	return nil, nil
}

// nextvalDefault is the default of a serial column: PostgreSQL's
// pg_get_expr text of nextval('seq'::regclass).
func nextvalDefault(seq string) string {
	return "nextval(" + quoteLiteral(parser.QuoteIdent(seq)) + "::regclass)"
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sequencesInDefault returns the sequences a stored default expression
// names in a call of a sequence function, as PostgreSQL records the
// dependency of a default on the regclass constants in it.
func (e *Engine) sequencesInDefault(text string) []string {
	stmts, err := e.parseStored("SELECT " + text)
	if err != nil || len(stmts) != 1 {
		return nil
	}
	sel, ok := stmts[0].Stmt.(*ast.SelectStmt)
	if !ok || len(sel.Targets) != 1 {
		return nil
	}
	var out []string
	ast.WalkExpr(sel.Targets[0].Expr, func(x ast.Expr) bool {
		f, ok := x.(*ast.FuncCall)
		if !ok || len(f.Args) == 0 {
			return true
		}
		switch f.Name {
		case "nextval", "currval", "setval":
		default:
			return true
		}
		arg := f.Args[0]
		if c, ok := arg.(*ast.CastExpr); ok {
			arg = c.X
		}
		if l, ok := arg.(*ast.Literal); ok && l.Kind == "string" {
			out = append(out, regclassText(l.Text))
		}
		return true
	})
	return out
}

// regclassText is the relation a regclass literal names: [public.]name,
// lower-cased unless double-quoted.
func regclassText(s string) string {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "public."); ok {
		s = rest
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}

// seqSpec converts the options as written to package sequence's form; a
// type of AS that does not exist is 42704.
func seqSpec(o ast.SequenceOptions) (sequence.Spec, error) {
	if o.As != "" {
		if _, err := types.Resolve(ast.TypeName{Name: o.As}); err != nil {
			return sequence.Spec{}, err
		}
	}
	spec := sequence.Spec{As: o.As, Increment: o.Increment, Start: o.Start, Restart: o.Restart,
		RestartWith: o.RestartWith, Cache: o.Cache, Cycle: o.Cycle}
	switch {
	case o.NoMinValue:
		spec.Min = &sequence.Bound{None: true}
	case o.MinValue != nil:
		spec.Min = &sequence.Bound{Value: *o.MinValue}
	}
	switch {
	case o.NoMaxValue:
		spec.Max = &sequence.Bound{None: true}
	case o.MaxValue != nil:
		spec.Max = &sequence.Bound{Value: *o.MaxValue}
	}
	return spec, nil
}

// ownedBy checks OWNED BY table.column as PostgreSQL's process_owned_by
// does.
func ownedBy(x *execCtx, o []string) (table, col string, err error) {
	t, _, err := x.s.e.cat.Lookup(x.snap, o[0])
	if err != nil {
		return "", "", err
	}
	if t == nil {
		return "", "", pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", o[0])
	}
	if t.Kind() != "table" && t.Kind() != "view" {
		return "", "", pgerr.New(pgerr.WrongObjectType, "sequence cannot be owned by relation \"%s\"", o[0]).
			WithDetail("This operation is not supported for " + kindPlural(t.Kind()) + ".")
	}
	if t.ColumnIndex(o[1]) < 0 {
		return "", "", pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", o[1], o[0])
	}
	return o[0], o[1], nil
}

func kindPlural(kind string) string {
	if kind == "index" {
		return "indexes"
	}
	return kind + "s"
}

// createSequence adds a sequence to the catalog in the statement's
// transaction and stores its first state.
func createSequence(x *execCtx, name string, opts ast.SequenceOptions, identity bool, colType types.ID, owner *catalog.SequenceDesc) (*catalog.TableDesc, error) {
	e := x.s.e
	spec, err := seqSpec(opts)
	if err != nil {
		return nil, err
	}
	if colType != 0 {
		// A serial or identity column's sequence has the column's type.
		spec.As = map[types.ID]string{types.Int2: "int2", types.Int4: "int4", types.Int8: "int8"}[colType]
		if spec.As == "" {
			spec.As = types.New(colType).Name()
		}
	}
	o, st, _, err := sequence.Apply(spec, sequence.Options{}, sequence.State{}, true, identity)
	if err != nil {
		return nil, err
	}
	desc := &catalog.TableDesc{Name: name, Columns: catalog.SequenceColumns, Sequence: &catalog.SequenceDesc{Options: o, Identity: identity}}
	switch {
	case owner != nil:
		desc.Sequence.OwnedBy, desc.Sequence.OwnedCol = owner.OwnedBy, owner.OwnedCol
	case len(opts.OwnedBy) > 0:
		if desc.Sequence.OwnedBy, desc.Sequence.OwnedCol, err = ownedBy(x, opts.OwnedBy); err != nil {
			return nil, err
		}
	}
	if desc.ID, err = e.tm.NextOID(); err != nil {
		return nil, err
	}
	if err := e.cat.Create(x.op(), desc); err != nil {
		return nil, err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	sh := e.seqs.get(desc.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := sh.writeLocked(e, desc.ID, heap.SequenceState{Last: st.Last, Called: st.Called}); err != nil {
		return nil, err
	}
	sh.mu.st, sh.mu.loaded = st, true
	return desc, nil
}

// chooseSequenceName picks <table>_<column>_seq as PostgreSQL's
// ChooseRelationName does: truncated to fit, and numbered if taken.
func chooseSequenceName(x *execCtx, table, column string, taken map[string]bool) (string, error) {
	for n := 0; ; n++ {
		suffix := "seq"
		if n > 0 {
			suffix += strconv.Itoa(n)
		}
		name := makeObjectName(table, column, suffix)
		if taken[name] {
			continue
		}
		d, _, err := x.s.e.cat.Lookup(x.snap, name)
		if err != nil {
			return "", err
		}
		if d == nil {
			return name, nil
		}
	}
}

// makeObjectName is PostgreSQL's makeObjectName: name1_name2_label within
// 63 bytes, shortening the longer of the two names first.
func makeObjectName(name1, name2, label string) string {
	const maxBytes = 63
	l1, l2 := len(name1), len(name2)
	over := l1 + l2 + len(label) + 2 - maxBytes
	for over > 0 {
		if l1 > l2 {
			l1--
		} else {
			l2--
		}
		over--
	}
	n1 := parser.TruncateIdent(name1[:clipRune(name1, l1)])
	n2 := parser.TruncateIdent(name2[:clipRune(name2, l2)])
	return n1 + "_" + n2 + "_" + label
}

// clipRune moves n back to a character boundary of s.
func clipRune(s string, n int) int {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return n
}

type createSequencePlan struct{ stmt *ast.CreateSequenceStmt }

func (p *createSequencePlan) columns() []Column { return nil }

func (p *createSequencePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	name := p.stmt.Name.Name
	existing, _, err := x.s.e.cat.Lookup(x.snap, name)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		if p.stmt.IfNotExists {
			return &Result{Tag: "CREATE SEQUENCE", Notices: []Notice{{Severity: "NOTICE", Code: pgerr.DuplicateTable,
				Message: "relation \"" + name + "\" already exists, skipping"}}}, nil
		}
		return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", name)
	}
	if _, err := createSequence(x, name, p.stmt.Options, false, 0, nil); err != nil {
		return nil, err
	}
	return &Result{Tag: "CREATE SEQUENCE"}, nil
}

type alterSequencePlan struct{ stmt *ast.AlterSequenceStmt }

func (p *alterSequencePlan) columns() []Column { return nil }

func (p *alterSequencePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	res := &Result{Tag: p.stmt.Tag()}
	name := p.stmt.Name.Name
	desc, tuple, err := e.cat.Lookup(x.snap, name)
	if err != nil {
		return nil, err
	}
	if desc == nil {
		if p.stmt.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + name + "\" does not exist, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", name)
	}
	if desc.Sequence == nil {
		if p.stmt.ViaTable {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "renaming %s is not supported", article(desc.Kind()))
		}
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", name)
	}
	updated := *desc
	seq := *desc.Sequence
	updated.Sequence = &seq
	if p.stmt.RenameTo != "" {
		return res, renameSequence(x, tuple, &updated, p.stmt.RenameTo)
	}
	return res, alterSequenceOptions(x, desc, tuple, p.stmt.Options)
}

// alterSequenceOptions applies ALTER SEQUENCE's options (or those of an
// identity's ALTER COLUMN) to the sequence desc, whose catalog entry is
// tuple.
func alterSequenceOptions(x *execCtx, desc *catalog.TableDesc, tuple heap.TupleID, opts ast.SequenceOptions) error {
	e := x.s.e
	updated := *desc
	seq := *desc.Sequence
	updated.Sequence = &seq
	var err error
	if seq.Identity && (len(opts.OwnedBy) > 0 || opts.OwnedByNone) {
		return pgerr.New(pgerr.FeatureNotSupported, "cannot change ownership of identity sequence").
			WithDetail("Sequence \"" + desc.Name + "\" is linked to table \"" + seq.OwnedBy + "\".")
	}
	if len(opts.OwnedBy) > 0 {
		if seq.OwnedBy, seq.OwnedCol, err = ownedBy(x, opts.OwnedBy); err != nil {
			return err
		}
	} else if opts.OwnedByNone {
		seq.OwnedBy, seq.OwnedCol = "", ""
	}
	spec, err := seqSpec(opts)
	if err != nil {
		return err
	}
	sh := e.seqs.get(desc.ID)
	apply := func() (sequence.Options, sequence.State, bool, error) {
		if err := sh.loadLocked(e, desc); err != nil {
			return sequence.Options{}, sequence.State{}, false, err
		}
		return sequence.Apply(spec, desc.Sequence.Options, sh.mu.st, false, seq.Identity)
	}
	// Check the options, then write the descriptor without holding the
	// sequence's mutex (the write may wait for another transaction's
	// DDL, and nextval must not wait with it), then apply them to the
	// state as it is by then.
	sh.mu.Lock()
	o, _, _, err := apply()
	sh.mu.Unlock()
	if err != nil {
		return err
	}
	seq.Options = o
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_, st, restarted, err := apply()
	if err != nil {
		return err
	}
	if restarted {
		if err := sh.writeLocked(e, desc.ID, heap.SequenceState{Last: st.Last, Called: st.Called}); err != nil {
			return err
		}
	}
	sh.mu.st = st
	sh.mu.epoch++
	if local := x.s.seqs[desc.ID]; local != nil {
		local.cached = local.last
	}
	return nil
}

// renameSequence renames a sequence and the defaults of the columns that
// call nextval on it (PostgreSQL's defaults name it by oid, and so follow
// it), and the identity that uses it.
func renameSequence(x *execCtx, tuple heap.TupleID, updated *catalog.TableDesc, to string) error {
	e := x.s.e
	other, _, err := e.cat.Lookup(x.snap, to)
	if err != nil {
		return err
	}
	if other != nil {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", to)
	}
	from := updated.Name
	updated.Name = to
	if err := replaceTableDesc(x, tuple, updated); err != nil {
		return err
	}
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.Sequence != nil || t.View != "" || t.IndexOf != "" {
			continue
		}
		var changed *catalog.TableDesc
		for i, c := range t.Columns {
			uses := c.IdentitySeq == from
			for _, s := range e.sequencesInDefault(c.Default) {
				uses = uses || s == from
			}
			if !uses {
				continue
			}
			if changed == nil {
				cp := *t
				cp.Columns = append([]catalog.ColumnDesc(nil), t.Columns...)
				changed = &cp
			}
			if c.IdentitySeq == from {
				changed.Columns[i].IdentitySeq = to
			}
			if c.Default == nextvalDefault(from) {
				changed.Columns[i].Default = nextvalDefault(to)
			}
		}
		if changed != nil {
			_, id, err := e.cat.Lookup(x.snap, t.Name)
			if err != nil {
				return err
			}
			if err := replaceTableDesc(x, id, changed); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropSequenceDependents refuses to drop a sequence that column defaults
// use or that an identity column owns; with CASCADE the defaults go.
func dropSequenceDependents(x *execCtx, seq *catalog.TableDesc, stmt *ast.DropTableStmt, dropping map[string]bool) ([]Notice, error) {
	e := x.s.e
	if seq.Sequence.Identity && !dropping[seq.Sequence.OwnedBy] {
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop sequence %s because column %s of table %s requires it",
			seq.Name, seq.Sequence.OwnedCol, seq.Sequence.OwnedBy).
			WithHint("You can drop column " + seq.Sequence.OwnedCol + " of table " + seq.Sequence.OwnedBy + " instead.")
	}
	all, err := e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, t := range all {
		if t.Sequence != nil || t.View != "" || t.IndexOf != "" || dropping[t.Name] {
			continue
		}
		var changed *catalog.TableDesc
		for i, c := range t.Columns {
			uses := false
			for _, s := range e.sequencesInDefault(c.Default) {
				uses = uses || s == seq.Name
			}
			if !uses {
				continue
			}
			lines = append(lines, "default value for column "+c.Name+" of table "+t.Name)
			if changed == nil {
				cp := *t
				cp.Columns = append([]catalog.ColumnDesc(nil), t.Columns...)
				changed = &cp
			}
			changed.Columns[i].Default = ""
		}
		if changed != nil && stmt.Cascade {
			_, id, err := e.cat.Lookup(x.snap, t.Name)
			if err != nil {
				return nil, err
			}
			if err := replaceTableDesc(x, id, changed); err != nil {
				return nil, err
			}
		}
	}
	if len(lines) == 0 {
		return nil, nil
	}
	if !stmt.Cascade {
		detail := make([]string, len(lines))
		for i, l := range lines {
			detail[i] = l + " depends on sequence " + seq.Name
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop sequence %s because other objects depend on it", seq.Name).
			WithDetail(strings.Join(detail, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(lines) == 1 {
		return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "drop cascades to " + lines[0]}}, nil
	}
	for i := range lines {
		lines[i] = "drop cascades to " + lines[i]
	}
	return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "drop cascades to " + itoa(len(lines)) + " other objects",
		Detail: strings.Join(lines, "\n")}}, nil
}

// forgetDroppedSequences removes the stored state of the sequences the
// committed transaction dropped, those that are gone from the catalog (a
// drop undone by ROLLBACK TO SAVEPOINT left its sequence in place).
func (s *Session) forgetDroppedSequences() error {
	ids := s.droppedSeqs
	s.droppedSeqs = nil
	if len(ids) == 0 {
		return nil
	}
	all, err := s.e.cat.All(s.e.tm.ReadSnapshot())
	if err != nil {
		return err
	}
	live := make(map[uint32]bool, len(all))
	for _, d := range all {
		live[d.ID] = true
	}
	for _, id := range ids {
		if live[id] {
			continue
		}
		if err := s.e.heap.DeleteSequence(id); err != nil {
			return err
		}
		s.e.seqs.m.Delete(id)
		delete(s.seqs, id)
	}
	return nil
}

// restartOwnedSequences restarts the sequences owned by table's columns
// (TRUNCATE ... RESTART IDENTITY). Like nextval, and unlike PostgreSQL,
// which gives them new storage in the transaction, the restart is not
// undone by a rollback.
func restartOwnedSequences(x *execCtx, table *catalog.TableDesc) error {
	e := x.s.e
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Sequence == nil || d.Sequence.OwnedBy != table.Name {
			continue
		}
		sh := e.seqs.get(d.ID)
		sh.mu.Lock()
		st := sequence.State{Last: d.Sequence.Start}
		err := sh.writeLocked(e, d.ID, heap.SequenceState{Last: st.Last})
		if err == nil {
			sh.mu.st, sh.mu.loaded = st, true
			sh.mu.epoch++
		}
		sh.mu.Unlock()
		if err != nil {
			return err
		}
		if local := x.s.seqs[d.ID]; local != nil {
			local.cached = local.last
		}
	}
	return nil
}

// dropOwnedSequences drops the sequences owned by the columns of table,
// which is being dropped.
func dropOwnedSequences(x *execCtx, table *catalog.TableDesc) error {
	e := x.s.e
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Sequence == nil || d.Sequence.OwnedBy != table.Name {
			continue
		}
		_, id, err := e.cat.Lookup(x.snap, d.Name)
		if err != nil {
			return err
		}
		if err := e.cat.Drop(x.op(), id); err != nil {
			return err
		}
		x.s.droppedSeqs = append(x.s.droppedSeqs, d.ID)
	}
	return nil
}
