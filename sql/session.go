package sql

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Options configure an Engine. Zero values mean defaults.
type Options struct {
	// Databases are the database names sessions may connect to; the default
	// is "postgres" and "cairn".
	Databases []string
	// Now tells the time for now() and friends; the default is time.Now.
	Now func() time.Time
	// Logger receives internal errors; the default is slog.Default().
	Logger *slog.Logger
	// BlockCacheCounts, if set, returns the storage's block cache
	// lookups that found their block and that read it, for
	// pg_stat_database.
	BlockCacheCounts func() (hits, misses uint64)
	// Rand is the source of password salts; the default is crypto/rand.
	Rand io.Reader
	// Memory is the server's memory budget (nil: unlimited). Parsing a
	// query string waits for the memory its size calls for, and one that
	// could not fit even alone fails with 53200; running statements share
	// it for their rows and aggregate states (memory.go), and one that
	// needs more than is free fails with 53200.
	Memory *membudget.Budget
	// Settings are the server's values of run-time parameters, in place
	// of their built-in defaults (as postgresql.conf gives them): every
	// session starts with them and RESET returns to them. NewEngine
	// checks them as SET would.
	Settings map[string]string
	// ConfigFile, when set, names a configuration file in
	// postgresql.conf's format whose settings are server settings too
	// (Options.Settings win); ReloadConfig re-reads it.
	ConfigFile string
	// TempDir is where statements that outgrow work_mem write their
	// temporary files (spill.go); the default is the system's.
	TempDir string
}

// Engine executes SQL over a transactional store. It is safe for concurrent
// use; each client uses its own Session.
type Engine struct {
	tm     *txn.Manager
	heap   *heap.Heap
	cat    *catalog.Store
	roles  *catalog.RoleStore
	opts   Options
	logger *slog.Logger

	// gen counts catalog changes; a prepared plan is rebound when the
	// generation it was bound at is no longer current.
	gen atomic.Uint64
	// funcACLs caches the built-in functions' stored ACLs (funcacl.go).
	funcACLs atomic.Pointer[functionACLs]

	parseMu    sync.Mutex
	parseCache map[string]*parsedQuery

	backends backends
	signal   signalers
	// server holds the server settings sessions start from
	// (serversettings.go).
	server serverSettings
	// tempSlots hands out the sessions' temporary schemas; schemasCreated
	// is set once a user schema may exist, so that name lookups before it
	// look in public alone (schema.go).
	tempSlots      tempSlots
	schemasCreated atomic.Bool
	exports        exportedSnapshots

	// seqs holds the sequences' current values (sequence.go).
	seqs seqRegistry

	// reclaim tracks dropped and replaced table storage, rewrites the
	// tables given new storage (reclaim.go).
	reclaim  storageReclaim
	rewrites tableRewrites

	// notify holds the listening sessions (notify.go).
	notify notifyHub

	// backups runs cairn_backup (backupfuncs.go).
	backups backupers
	// stats and statements are the engine's monitoring counters
	// (stats.go) and pg_stat_statements (statstatements.go).
	stats      engineStats
	statements statementStats
	tableAct   tableActivity
	// statsCache holds decoded planner statistics (selectivity.go).
	statsCache statsCache
	dbStats    databaseStats // pg_stat_database (dbstats.go)
	progress   progressTable // pg_stat_progress_* (progress.go)
}

// parseCacheMax bounds the number of query texts whose parse trees are kept;
// parseCacheTextBytesMax the length of a text worth keeping (a bulk INSERT
// of megabytes is not sent twice, and would hold its tree in memory).
const (
	parseCacheMax          = 4096
	parseCacheTextBytesMax = 16 << 10
)

// parseReserveBytesMin is the smallest parse that reserves its memory in
// the engine's budget.
const parseReserveBytesMin = 1 << 20

// NewEngine opens the SQL layer over store.
func NewEngine(store txn.Storage, opts Options) (*Engine, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	// Commit records carry their time, for a restore to a point in time.
	tm, err := txn.OpenWithOptions(store, txn.Options{Now: opts.Now})
	if err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if len(opts.Databases) == 0 {
		opts.Databases = []string{"postgres", "cairn"}
	}
	h := heap.New(store, tm)
	// Compactions drop what vacuum would, when the store supports it.
	if f, ok := store.(interface {
		SetCompactionFilter(func(key, value []byte) bool)
	}); ok {
		f.SetCompactionFilter(h.DeadFilter)
	}
	e := &Engine{tm: tm, heap: h, cat: catalog.NewStore(h), roles: catalog.NewRoleStore(h), opts: opts, logger: opts.Logger,
		parseCache: make(map[string]*parsedQuery)}
	e.stats.init()
	if err := e.checkServerSettings(); err != nil {
		return nil, err
	}
	if err := e.moveLegacyRoles(); err != nil {
		return nil, fmt.Errorf("sql: moving the roles of an earlier version: %w", err)
	}
	schemas, err := e.cat.Schemas(tm.ReadSnapshot())
	if err != nil {
		return nil, err
	}
	e.schemasCreated.Store(len(schemas) > 0)
	if err := e.dropLeftTempRelations(); err != nil {
		return nil, fmt.Errorf("sql: dropping the temporary relations of ended sessions: %w", err)
	}
	// The sessions of the opening's own work are not the database's.
	e.dbStats.forget()
	return e, nil
}

func (e *Engine) now() time.Time { return e.opts.Now() }

func (e *Engine) catalogChanged() { e.gen.Add(1) }

// parse parses query, reusing the tree of an identical earlier query text.
// reserve, when set, is given the memory the parse needs first.
func (e *Engine) parse(ctx context.Context, query string, reserve func(int64) error) (*parsedQuery, error) {
	e.parseMu.Lock()
	pq, ok := e.parseCache[query]
	e.parseMu.Unlock()
	if ok {
		return pq, nil
	}
	pq, err := parseQuery(ctx, query, parser.Config{Reserve: reserve})
	if err != nil {
		return nil, err
	}
	if len(query) > parseCacheTextBytesMax {
		return pq, nil
	}
	e.parseMu.Lock()
	if len(e.parseCache) >= parseCacheMax {
		clear(e.parseCache)
	}
	e.parseCache[query] = pq
	e.parseMu.Unlock()
	return pq, nil
}

// reserveParse returns the reserve function for a parse by s: it waits for
// the memory in the engine's budget and holds it, with the statements it
// produced, until the session parses again or closes.
func (s *Session) reserveParse(ctx context.Context) func(int64) error {
	// Nothing is held while waiting for the parse's memory.
	s.ReleaseResult()
	budget := s.e.opts.Memory
	if budget == nil {
		return nil
	}
	return func(n int64) error {
		if n < parseReserveBytesMin {
			// Small parses would queue behind large ones for nothing:
			// the connection limit bounds them.
			return nil
		}
		if n > budget.Limit() {
			return pgerr.New(pgerr.OutOfMemory, "out of memory").
				WithDetail(fmt.Sprintf("Failed on request of size %d in memory context \"MessageContext\".", n)).
				WithHint(fmt.Sprintf("Parsing the query string would take more than the server's memory budget of %d bytes.", budget.Limit()))
		}
		got, err := budget.Acquire(ctx, n)
		if err != nil {
			return pgerr.FromContext(ctx)
		}
		s.parseHeld = got
		return nil
	}
}

// releaseParse gives back the memory the session's last parse held.
func (s *Session) releaseParse() {
	s.e.opts.Memory.Release(s.parseHeld)
	s.parseHeld = 0
}

// parseStored parses SQL text cairn stored itself (a view's query, a column
// default): short, and already parsed once when it was stored.
func (e *Engine) parseStored(text string) ([]parser.Statement, error) {
	pq, err := e.parse(context.Background(), text, nil)
	if err != nil {
		return nil, err
	}
	return pq.stmts, nil
}

// Isolation levels.
const (
	ReadCommitted  = "read committed"
	RepeatableRead = "repeatable read"
	Serializable   = "serializable"
)

// Session is one client's connection state: settings and the current
// transaction. It is used by one goroutine at a time.
type Session struct {
	e *Engine
	// style caches TypeStyle's reading of the settings (datetime.go).
	style styleCache
	// routines caches compiled user-defined routines (funccall.go).
	routines routineState
	// activeRules are the (table, event) rules whose actions are
	// running, to refuse a rule that reaches itself (rulefire.go).
	activeRules map[string]bool
	// random is random()'s source, reseeded by setseed().
	random   prng
	user     string
	database string
	settings map[string]string
	// guc holds what undoes the transaction's setting changes
	// (gucstack.go); paramChanges the reported parameters that changed
	// back, to report with the next result.
	guc          gucStack
	paramChanges []Parameter
	// cursors are the open cursors by name (cursor.go).
	cursors map[string]*cursor
	// unnamedPortals numbers the cursors PL/pgSQL opens without a name
	// ("<unnamed portal N>").
	unnamedPortals int
	// definer is the owner of the SECURITY DEFINER routine running, the
	// current user while it runs (secdef.go); "" outside one.
	definer string
	// sqlPrepared are the statements SQL-level PREPARE made (prepare.go);
	// protoStmts those the extended protocol made (protostmt.go).
	sqlPrepared map[string]*namedStmt
	protoStmts  map[string]*namedStmt
	backend     *backend
	// spills are the temporary files the session's statements have open
	// (spill.go).
	spills tempFileSet

	tx       *txn.Txn
	explicit bool // inside BEGIN ... COMMIT
	// implicitMode is set between BeginImplicit and EndImplicit;
	// implicitTx while a transaction it started is open (implicitBlock
	// says whether that transaction is a transaction block).
	implicitMode ImplicitMode
	implicitTx   bool
	failed       bool
	cid          txn.CID
	snap         txn.Snapshot
	haveSnap     bool
	isolation    string
	readOnly     bool
	// deferrable is the transaction's DEFERRABLE mode, which cairn's
	// serializable transactions accept and show (they never wait for a
	// safe snapshot); readOnlyAt holds readOnly as it was when each open
	// savepoint was set, for RELEASE and ROLLBACK TO to restore.
	deferrable bool
	readOnlyAt []bool
	txnStart   time.Time
	// savepoints names the open savepoints, outermost first; savepoint
	// level i+1 of the transaction is savepoints[i].
	savepoints []string
	// plDepth counts the PL/pgSQL bodies running (plpgsql.go).
	plDepth int
	// transition are the transition tables of the trigger functions
	// running, which their statements read as relations
	// (trigger_fire.go).
	transition []TransitionTable
	// triggerDepth counts the trigger functions running, as
	// pg_trigger_depth() shows it.
	triggerDepth int
	// firingTables counts, by table id, the trigger functions of the
	// table running: DDL on it is refused meanwhile (55006).
	firingTables map[uint32]int
	// riQueue holds the RI events of the running statement, riDeferred
	// those deferred to COMMIT (foreignkey.go); riWriters the rules of
	// tables RI actions wrote, bound at catalog generation riWritersGen.
	riQueue, riDeferred []riEvent
	// uniq holds the checks of deferrable unique constraints
	// (deferredunique.go).
	uniq      uniqueChecks
	riWriters map[uint32]*tableWriter
	// riMarks holds len(riDeferred) at each savepoint; riWrote is set when
	// an RI action wrote under the current command id.
	riMarks []int
	riWrote bool
	// riLocked holds the parent row versions the transaction locked FOR
	// KEY SHARE for its checks (until ROLLBACK TO, which may undo the
	// lock).
	riLocked     map[string]struct{}
	riWritersGen uint64
	// setConstraints and setConstraintsAll are the transaction's SET
	// CONSTRAINTS modes: by constraint name, and for ALL (nil: unset).
	setConstraints    map[string]bool
	setConstraintsAll *bool
	// wroteCatalog is set when the transaction changed the catalog, so
	// its end must invalidate plans too.
	wroteCatalog bool
	// copySrc is the data of the COPY FROM STDIN that CopyIn is running.
	copySrc CopySource
	// copySink takes the data of the COPY TO STDOUT that CopyOut is
	// running.
	copySink CopySink
	// rowSink takes the rows of the query ExecuteStream is running, until
	// the statement takes it (rowsink.go).
	rowSink RowSink
	// parseHeld is the memory the last parse reserved in the engine's
	// budget, held while its statements may run.
	parseHeld int64
	// fresh holds the tables created or truncated since the transaction
	// (or its latest savepoint) began, which COPY FREEZE requires.
	fresh map[uint32]bool
	// mem is the memory of the latest statement, held from the engine's
	// budget until the next statement starts or the session closes, since
	// the caller holds the statement's Result until then.
	mem stmtMemory
	// seqs is the session's view of the sequences it used (currval and
	// cached values), lastSeq the one lastval reads. seqSync is the log
	// position the values it handed out depend on: the commit of its
	// transaction waits for it (sequence.go).
	seqs    map[uint32]*seqLocal
	lastSeq uint32
	// seqKeys remembers the catalog key of each sequence looked up by
	// oid: a hint sequenceByOID checks (sequence_lookup.go).
	seqKeys map[int64]string
	seqSync struct {
		need bool
		lsn  uint64
	}
	// droppedSeqs are the sequences the transaction dropped, whose stored
	// state goes when it commits.
	droppedSeqs []uint32
	// temp is the session's temporary schema (schema.go).
	temp tempState
	// resetVals are the settings' values from the startup message, which
	// RESET and SET ... TO DEFAULT restore (discard.go).
	resetVals map[string]string
	// resetSources say where each of resetVals came from
	// (settingsource.go).
	resetSources map[string]string
	// resetFiles say which configuration file line gave each of
	// resetVals that came from one.
	resetFiles map[string]serverSetting
	// pendingNotify is what the transaction's LISTEN, UNLISTEN and NOTIFY
	// do at commit; inbox receives notifications once the session
	// listens, made under notifyMu (notify.go).
	pendingNotify notifyTxn
	notifyMu      sync.Mutex
	inbox         *notifyQueue
}

// NewSession starts a session for user on database.
func (e *Engine) NewSession(user, database string, startup map[string]string) (*Session, error) {
	known := false
	for _, d := range e.opts.Databases {
		known = known || d == database
	}
	if !utf8.ValidString(user) {
		// No role's name is invalid UTF-8; the name is shown with the
		// bad bytes replaced, so the message itself is valid.
		return nil, pgerr.New(pgerr.InvalidAuthorizationSpec, "role \"%s\" does not exist", strings.ToValidUTF8(user, "\uFFFD"))
	}
	role, ok, err := e.roles.Lookup(e.tm.ReadSnapshot(), user)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, pgerr.New(pgerr.InvalidAuthorizationSpec, "role \"%s\" does not exist", user)
	case !role.Login:
		return nil, pgerr.New(pgerr.InvalidAuthorizationSpec, "role \"%s\" is not permitted to log in", user)
	}
	if !known {
		return nil, pgerr.New(pgerr.InvalidCatalogName, "database \"%s\" does not exist", strings.ToValidUTF8(database, "\uFFFD"))
	}
	if err := e.checkConnect(user, database); err != nil {
		return nil, err
	}
	s := &Session{e: e, user: user, database: database, settings: defaultSettings(), guc: gucStack{},
		mem: stmtMemory{budget: e.opts.Memory}}
	s.settings["session_authorization"] = user
	s.settings["is_superuser"] = onOff(role.Superuser)
	s.applyServerSettings()
	if err := s.applyRoleSettings(e.tm.ReadSnapshot(), role.OID); err != nil {
		return nil, err
	}
	if err := s.applyStartup(startup); err != nil {
		return nil, err
	}
	s.backend = e.backends.register(database, user, role.Superuser)
	s.backend.dbStats = e.dbStats.of(database)
	s.backend.dbStats.sessions.Add(1)
	s.startActivity(role.OID)
	return s, nil
}

// PrepareAll parses every statement of a simple-protocol query. Binding
// waits until each statement executes, since an earlier statement of the
// same string may create what a later one uses. Parsing observes ctx and
// statement_timeout.
func (s *Session) PrepareAll(ctx context.Context, query string) (out []*Prepared, err error) {
	defer s.recoverPanic(&err)
	ctx, cancel := s.withStatementTimeout(ctx)
	defer cancel()
	pq, err := s.e.parse(ctx, query, s.reserveParse(ctx))
	if err != nil {
		return nil, err
	}
	out = make([]*Prepared, len(pq.stmts))
	for i, st := range pq.stmts {
		out[i] = &Prepared{SQL: st.SQL, Tag: st.Stmt.Tag(), stmt: st.Stmt, source: query}
	}
	if len(out) > 0 {
		out[0].ParseNotices = pq.notices
	}
	return out, nil
}

// Prepare parses and binds one statement for the extended protocol.
// paramTypes are the client's declared parameter types (0: unspecified).
func (s *Session) Prepare(ctx context.Context, query string, paramTypes []types.ID) (p *Prepared, err error) {
	defer s.recoverPanic(&err)
	ctx, cancel := s.withStatementTimeout(ctx)
	defer cancel()
	pq, err := s.e.parse(ctx, query, s.reserveParse(ctx))
	if err != nil {
		return nil, err
	}
	stmts := pq.stmts
	switch len(stmts) {
	case 0:
		return &Prepared{SQL: query}, nil
	case 1:
	default:
		return nil, pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	p = &Prepared{SQL: stmts[0].SQL, Tag: stmts[0].Stmt.Tag(), stmt: stmts[0].Stmt, ParseNotices: pq.notices, source: query}
	declared := make([]types.T, len(paramTypes))
	for i, id := range paramTypes {
		declared[i] = types.New(types.Unknown)
		if id != 0 {
			t := types.New(id)
			if !supportedType(id) {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "parameter type %d is not supported", id)
			}
			declared[i] = t
		}
	}
	if s.failed && !isTxnEnd(p.stmt) {
		// Binding needs the catalog, which an aborted transaction may not
		// read; PostgreSQL still accepts the Parse. Bind at execution.
		p.binder = &binder{s: s, params: declared}
		return p, nil
	}
	if err := s.bind(p, declared); err != nil {
		return nil, err
	}
	return p, nil
}

func supportedType(id types.ID) bool {
	switch id {
	case types.Bool, types.Int2, types.Int4, types.Int8, types.Float4, types.Float8, types.Numeric, types.Text, types.Varchar, types.Bpchar,
		types.Date, types.Timestamp, types.TimestampTZ, types.Interval, types.Time, types.TimeTZ, types.Unknown, types.Bytea, types.UUID,
		types.Inet, types.Cidr, types.MacAddr, types.MacAddr8:
		return true
	case types.JSONType, types.JSONB, types.JSONPathType:
		return true
	}
	if t := types.New(id); t.IsGeometric() || id == types.MoneyType {
		return true
	}
	// Arrays of those (psycopg 3 declares int2[] for a list of small
	// ints, text[] for strings).
	if elem, ok := types.New(id).Elem(); ok && !types.New(elem.ID).IsArray() && !elem.IsUser() {
		return supportedType(elem.ID)
	}
	return false
}

func isTxnEnd(st ast.Stmt) bool {
	t, ok := st.(*ast.TransactionStmt)
	return ok && (t.Kind == "COMMIT" || t.Kind == "ROLLBACK" || t.Kind == "ROLLBACK TO")
}

// bind binds p's statement against the catalog as the session sees it now.
func (s *Session) bind(p *Prepared, declared []types.T) error {
	snap := s.e.tm.ReadSnapshot()
	if s.tx != nil {
		snap = s.currentSnapshot()
	}
	b := &binder{s: s, snap: snap, params: append([]types.T(nil), declared...), plNames: p.plNames}
	gen := s.e.gen.Load()
	bound, err := b.bindStmt(p.stmt)
	if err != nil {
		return err
	}
	if err := b.checkParams(); err != nil {
		return err
	}
	for i, t := range b.params {
		if t.ID == types.Unknown {
			// An untyped parameter nobody constrained is text, as in
			// PostgreSQL.
			b.params[i] = types.New(types.Text)
		}
	}
	if declared != nil && len(b.params) < len(declared) {
		b.params = append(b.params, declared[len(b.params):]...)
	}
	p.bound, p.gen, p.binder, p.path, p.role = bound, gen, b, s.settings["search_path"], s.currentUser()
	p.rowSecOff = !s.rowSecurityOn()
	p.ParamTypes = b.params
	p.Columns = bound.columns()
	return nil
}

func (b *binder) bindStmt(st ast.Stmt) (boundStmt, error) {
	if p, ok := b.bindPolicyStmt(st); ok {
		return p, nil
	}
	if p, ok := b.bindRuleDDL(st); ok {
		return p, nil
	}
	if p, ok := b.bindTriggerStmt(st); ok {
		return p, nil
	}
	switch x := st.(type) {
	case *ast.SelectStmt:
		return b.bindTop(x, x.With, func() (boundStmt, error) {
			p, err := b.bindSelect(x, &scope{})
			if err != nil {
				return nil, err
			}
			return &selectPlan{p: p}, nil
		})
	case *ast.InsertStmt:
		return b.bindTop(x, x.With, func() (boundStmt, error) {
			return b.bindWith(x.With, func() (boundStmt, error) { return b.bindInsert(x) })
		})
	case *ast.UpdateStmt:
		return b.bindTop(x, x.With, func() (boundStmt, error) {
			return b.bindWith(x.With, func() (boundStmt, error) { return b.bindUpdate(x) })
		})
	case *ast.DeleteStmt:
		return b.bindTop(x, x.With, func() (boundStmt, error) {
			return b.bindWith(x.With, func() (boundStmt, error) { return b.bindDelete(x) })
		})
	case *ast.MergeStmt:
		return b.bindTop(x, x.With, func() (boundStmt, error) {
			return b.bindWith(x.With, func() (boundStmt, error) { return b.bindMerge(x) })
		})
	case *ast.CreateEnumStmt, *ast.AlterEnumStmt, *ast.RenameTypeStmt, *ast.DropTypeStmt, *ast.CreateDomainStmt, *ast.AlterDomainStmt,
		*ast.AlterTypeOwnerStmt, *ast.CreateCompositeStmt, *ast.AlterCompositeStmt:
		p, _ := b.bindTypeStmt(x)
		return p, nil
	case *ast.CreateTableStmt:
		return b.bindCreateTable(x)
	case *ast.DropTableStmt:
		for _, ref := range x.Tables {
			if err := b.checkOwnerRef(ref); err != nil {
				return nil, err
			}
		}
		return &dropTablePlan{stmt: x}, nil
	case *ast.CreateIndexStmt:
		if err := b.checkOwnerRef(x.Table); err != nil {
			return nil, err
		}
		return &createIndexPlan{stmt: x}, nil
	case *ast.RenameRelationStmt:
		if err := b.checkOwnerRef(x.Name); err != nil {
			return nil, err
		}
		return &renameRelationPlan{stmt: x}, nil
	case *ast.ReindexStmt:
		if x.Kind == "INDEX" || x.Kind == "TABLE" {
			if err := b.checkOwnerRef(x.Name); err != nil {
				return nil, err
			}
		}
		return &reindexPlan{stmt: x}, nil
	case *ast.CreateViewStmt:
		return b.bindCreateView(x)
	case *ast.TransactionStmt:
		return &txnPlan{stmt: x}, nil
	case *ast.DoStmt:
		return &doPlan{stmt: x}, nil
	case *ast.SetStmt:
		return &setPlan{stmt: x}, nil
	case *ast.ShowStmt:
		return &showPlan{stmt: x}, nil
	case *ast.VacuumStmt:
		return &vacuumPlan{stmt: x}, nil
	case *ast.TruncateStmt:
		return b.bindTruncate(x)
	case *ast.LockStmt:
		return b.bindLock(x)
	case *ast.DeclareCursorStmt:
		return b.bindDeclare(x)
	case *ast.FetchStmt:
		return b.bindFetch(x)
	case *ast.CloseCursorStmt:
		return &closeCursorPlan{stmt: x}, nil
	case *ast.PrepareStmt, *ast.ExecuteStmt, *ast.DeallocateStmt:
		return sessionStmtPlan{}, nil
	case *ast.AlterTableStmt:
		if err := b.checkOwnerRef(x.Table); err != nil {
			return nil, err
		}
		return b.bindAlterTable(x)
	case *ast.CopyStmt:
		return b.bindCopy(x)
	case *ast.CreateTableAsStmt:
		return b.bindCreateTableAs(x)
	case *ast.ExplainStmt:
		return b.bindExplain(x)
	case *ast.CreateSequenceStmt:
		return &createSequencePlan{stmt: x}, nil
	case *ast.AlterSequenceStmt:
		if err := b.checkOwnerRef(x.Name); err != nil {
			return nil, err
		}
		return &alterSequencePlan{stmt: x}, nil
	case *ast.DiscardStmt:
		switch {
		case x.Temp:
			return discardTempPlan{}, nil
		case x.Plans:
			return discardPlansPlan{}, nil
		case x.All:
			return discardAllPlan{}, nil
		}
		return discardPlan{}, nil
	case *ast.CommentStmt:
		if x.Relation.Name != "" && !x.Relation.System && !x.Relation.InfoSchema {
			if err := b.checkOwnerRef(x.Relation); err != nil {
				return nil, err
			}
		}
		return &commentPlan{stmt: x}, nil
	case *ast.SetConstraintsStmt:
		return &setConstraintsPlan{stmt: x}, nil
	case *ast.CreateExtensionStmt:
		return bindCreateExtension(x)
	case *ast.CreateRoleStmt:
		return &createRolePlan{stmt: x}, nil
	case *ast.AlterRoleStmt:
		return &alterRolePlan{stmt: x}, nil
	case *ast.AlterRoleSetStmt:
		return &alterRoleSetPlan{stmt: x}, nil
	case *ast.DropRoleStmt:
		return &dropRolePlan{stmt: x}, nil
	case *ast.GrantStmt:
		return &grantPlan{stmt: x}, nil
	case *ast.GrantRoleStmt:
		return &grantRolePlan{stmt: x}, nil
	case *ast.CreateFunctionStmt, *ast.DropFunctionStmt, *ast.AlterFunctionStmt, *ast.CallStmt, *ast.CreateAggregateStmt:
		return b.bindRoutineStmt(x)
	case *ast.CreateOperatorStmt:
		return &createOperatorPlan{stmt: x}, nil
	case *ast.DropOperatorStmt:
		return &dropOperatorPlan{stmt: x}, nil
	case *ast.CreateSchemaStmt:
		return &createSchemaPlan{stmt: x}, nil
	case *ast.DropSchemaStmt:
		for _, name := range x.Names {
			if err := b.checkSchemaOwner(name); err != nil {
				return nil, err
			}
		}
		return &dropSchemaPlan{stmt: x}, nil
	case *ast.AlterSchemaStmt:
		if err := b.checkSchemaOwner(x.Name); err != nil {
			return nil, err
		}
		if x.RenameTo != "" {
			if err := b.checkDatabaseCreate(); err != nil {
				return nil, err
			}
		}
		return &alterSchemaPlan{stmt: x}, nil
	case *ast.SetSchemaStmt:
		if err := b.checkOwnerRef(x.Table); err != nil {
			return nil, err
		}
		if err := b.checkCreateInBind(x.Schema); err != nil {
			return nil, err
		}
		return &setSchemaPlan{stmt: x}, nil
	case *ast.ListenStmt, *ast.UnlistenStmt, *ast.NotifyStmt:
		return &notifyPlan{stmt: x}, nil
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "statement %s is not supported", st.Tag())
}

// ImplicitMode says how the statements between BeginImplicit and
// EndImplicit share a transaction.
type ImplicitMode int

const (
	// NoImplicit: each statement outside BEGIN commits on its own.
	NoImplicit ImplicitMode = iota
	// ImplicitBlock is a simple Query of several statements: they run
	// in one implicit transaction block, where LOCK, DECLARE and SET
	// LOCAL work and VACUUM does not.
	ImplicitBlock
	// ImplicitPipeline is the extended protocol's Executes up to a
	// Sync: they run in one transaction that is not a transaction
	// block (PostgreSQL's "started" state).
	ImplicitPipeline
)

// BeginImplicit makes the statements that follow, up to EndImplicit,
// share one transaction as PostgreSQL's do: nothing commits until
// EndImplicit, and an error rolls back all of them, unless the statements
// themselves hold BEGIN (which makes the transaction an ordinary block),
// COMMIT or ROLLBACK (which end it with a warning; a later statement
// starts another). Inside an explicit transaction it changes nothing.
func (s *Session) BeginImplicit(mode ImplicitMode) { s.implicitMode = mode }

// EndImplicit ends what BeginImplicit started: the open implicit
// transaction commits when commit is set and no statement failed, and
// rolls back otherwise. The error of a failed commit is returned.
func (s *Session) EndImplicit(commit bool) error {
	s.implicitMode = NoImplicit
	if !s.implicitTx {
		return nil
	}
	defer s.reportIdle()
	return s.endTxn(commit && !s.failed)
}

// implicitBlock reports whether the session is in an implicit
// transaction block (ImplicitBlock).
func (s *Session) implicitBlock() bool { return s.implicitTx && s.implicitMode == ImplicitBlock }

// inBlock reports whether the session is in a transaction block, explicit
// or implicit: where LOCK, DECLARE and SET LOCAL work and VACUUM does not.
func (s *Session) inBlock() bool { return s.explicit || s.implicitBlock() }

// TxStatus reports the transaction state for ReadyForQuery.
func (s *Session) TxStatus() byte {
	switch {
	case s.failed:
		return TxFailed
	case s.explicit:
		return TxActive
	}
	return TxIdle
}

// ReleaseResult tells the session that its caller is done with the rows
// of the latest statement's Result and with the statements of its latest
// parse: their memory goes back to the engine's budget now rather than when
// the next statement starts (a pooled connection may sit idle for long).
// The rows and statements stay valid; they are just no longer counted. A
// server calls it when a message's work is done, so that a session never
// holds memory while it waits for more (which could deadlock with another
// session waiting for that memory).
func (s *Session) ReleaseResult() {
	s.mem.release()
	s.releaseParse()
}

// Close ends the session, rolling back an open transaction, and releases
// the memory its latest statement held.
func (s *Session) Close() {
	if s.tx != nil {
		s.endTxn(false)
	}
	if err := s.dropTempRelations(); err != nil {
		s.e.logger.Warn("dropping a session's temporary relations", "err", err)
	}
	s.e.tm.UnlockAllAdvisory(&s.backend.owner)
	s.closeNotify()
	s.closeCursors(func(*cursor) bool { return true })
	s.spills.removeAll()
	s.releaseParse()
	s.mem.release()
	s.backend.accountState(s.e.now(), "")
	s.e.backends.unregister(s.backend)
}

// failBlockOnError passes a statement's outcome on; as any statement's,
// its error aborts the transaction block it ran in.
// AbortBlock marks an explicit transaction block failed, as any error
// inside one does in PostgreSQL. Execute does so for the errors of the
// statements it runs; a server calls AbortBlock for the others (a syntax
// error from PrepareAll or Prepare, an Execute of a portal that does not
// exist), so that the block then refuses statements with 25P02 until
// ROLLBACK.
func (s *Session) AbortBlock() {
	if s.explicit {
		s.failed = true
	}
}

func (s *Session) failBlockOnError(res *Result, err error) (*Result, error) {
	if err != nil && s.explicit {
		s.failed = true
	}
	return res, err
}

func (s *Session) recoverPanic(err *error) {
	if r := recover(); r != nil {
		if pe, ok := r.(*pgerr.Error); ok {
			*err = pe
		} else {
			s.e.logger.Error("panic in statement", "panic", r, "stack", string(debug.Stack()))
			*err = pgerr.New(pgerr.InternalError, "internal error: %v", r)
		}
		if s.explicit {
			s.failed = true
		} else if s.tx != nil {
			s.endTxn(false)
		}
	}
}

// Execute runs p with the given parameter values. The rows of the Result
// stay counted against the engine's memory budget until the session's next
// Execute (or CopyIn) or Close; a failed statement releases its memory at
// once.
func (s *Session) Execute(ctx context.Context, p *Prepared, params []types.Datum) (res *Result, err error) {
	// Registered first, runs last: it sees the statement's final result.
	start := s.e.now()
	active := false // reported active: to be reported idle at the end
	defer func() {
		// One reading of the clock ends the statement for both.
		end := s.e.now()
		if active {
			s.reportIdleAt(end)
		}
		s.observeStatement(p, start, end, res, err)
	}()
	ctx = s.withLockWaitReport(ctx)
	// The previous statement's Result has been consumed by now.
	s.mem.release()
	defer func() {
		if err != nil {
			s.mem.release()
		} else {
			s.mem.trim()
		}
	}()
	// Registered last, runs first: a panic becomes err before the release
	// above looks at it.
	defer s.recoverPanic(&err)
	defer func() {
		// A streamed result's rows went out in the style the sink was
		// given: it has none left to format, and reading the settings
		// (and, after an implicit commit, the clock) again is wasted.
		if res != nil && !res.Streamed {
			res.Format = s.TypeStyle()
		}
		if res != nil && len(s.paramChanges) > 0 {
			res.ParameterChanges = append(s.paramChanges, res.ParameterChanges...)
			s.paramChanges = nil
		}
	}()
	if p.stmt == nil {
		return &Result{}, nil
	}
	s.reportActive(p.queryString(), start)
	active = true
	p.runs++
	if t, ok := p.stmt.(*ast.TransactionStmt); ok {
		var notices []Notice
		if (t.Kind == "COMMIT" || t.Kind == "PREPARE TRANSACTION") && s.explicit && !s.failed && (len(s.riDeferred) > 0 || s.uniq.pending()) {
			var err error
			if notices, err = s.checkAllDeferred(ctx); err != nil {
				s.endTxn(false)
				return nil, withNotices(err, notices)
			}
		}
		res, err := s.execTransaction(t)
		if res != nil && len(notices) > 0 {
			res.Notices = append(notices, res.Notices...)
		}
		return res, err
	}
	if s.failed {
		return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	if err := pgerr.FromContext(ctx); err != nil {
		return nil, err
	}
	if res, ok, err := s.execPrepareStmt(ctx, p); ok {
		if err != nil && s.tx != nil {
			s.failed = true // an error aborts the transaction block
		}
		return res, err
	}
	if s.implicitMode != NoImplicit && s.tx == nil {
		if err := s.beginTxn(); err != nil {
			return nil, err
		}
		s.implicitTx = true
	}
	ctx, cancel := s.withStatementTimeout(ctx)
	defer cancel()
	switch st := p.stmt.(type) {
	case *ast.SetStmt, *ast.ShowStmt:
		return s.failBlockOnError(s.execSettings(p.stmt))
	case *ast.VacuumStmt:
		return s.failBlockOnError(s.execVacuum(ctx, st))
	}
	implicit := s.tx == nil
	if implicit {
		if err := s.beginTxn(); err != nil {
			return nil, err
		}
	}
	res, err = s.run(ctx, p, params)
	if implicit && err == nil && (len(s.riDeferred) > 0 || s.uniq.pending()) {
		var notices []Notice
		notices, err = s.checkAllDeferred(ctx)
		if err != nil {
			res, err = nil, withNotices(err, notices)
		} else if len(notices) > 0 {
			res.Notices = append(res.Notices, notices...)
		}
	}
	switch {
	case implicit && err == nil:
		err = s.endTxn(true)
		if err != nil {
			res = nil
		}
	case implicit:
		s.endTxn(false)
	case err != nil:
		s.failed = true
	}
	return res, err
}

// withStatementTimeout bounds ctx by statement_timeout, when it is set.
func (s *Session) withStatementTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	d := s.durationSetting("statement_timeout")
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, d,
		pgerr.New(pgerr.QueryCanceled, "canceling statement due to statement timeout"))
}

func (s *Session) beginTxn() error {
	tx, err := s.e.tm.Begin()
	if err != nil {
		return err
	}
	s.tx, s.cid, s.haveSnap = tx, 0, false
	s.setXID(tx.XID)
	clear(s.fresh)
	s.txnStart = s.e.now()
	if s.isolation == "" {
		s.isolation = s.settings["default_transaction_isolation"]
	}
	s.readOnly = s.readOnly || s.settings["default_transaction_read_only"] == "on"
	s.deferrable = s.settings["default_transaction_deferrable"] == "on"
	return nil
}

// endTxn commits or rolls back the current transaction.
func (s *Session) endTxn(commit bool) error {
	tx := s.tx
	levels := 1 + len(s.savepoints)
	s.tx, s.explicit, s.failed, s.haveSnap = nil, false, false, false
	s.implicitTx = false
	s.savepoints = nil
	s.isolation, s.readOnly, s.deferrable, s.readOnlyAt = "", false, false, nil
	s.txnStart = time.Time{}
	var err error
	if commit {
		s.tx = tx
		err = s.runOnCommit()
		s.tx = nil
		if err != nil {
			commit = false
		}
	}
	unlock := func() {}
	if commit {
		if unlock, err = s.lockNotifyCommit(); err != nil {
			commit = false
		}
	}
	s.temp.dropAtCommit, s.temp.touched = nil, false
	if commit {
		sync := s.settings["synchronous_commit"] != "off"
		tx.SetSynchronousCommit(sync)
		err = tx.Commit()
		s.endNotify(err == nil)
		unlock()
		if err == nil && sync && s.seqSync.need {
			// The transaction may have been given values whose log
			// record nothing it wrote follows: wait for that record too.
			err = s.e.heap.SyncSequence(s.seqSync.lsn)
		}
		if err == nil {
			if ferr := s.forgetDroppedSequences(); ferr != nil {
				// The transaction committed; what is left is a few
				// bytes of state no sequence reads.
				s.e.logger.Warn("removing the state of dropped sequences", "err", ferr)
			}
		}
	} else {
		tx.Rollback()
		s.endNotify(false)
	}
	s.seqSync.need = false
	s.droppedSeqs = nil
	s.riQueue, s.riDeferred, s.riMarks, s.riWrote, s.riLocked = nil, nil, nil, false, nil
	s.uniq = uniqueChecks{}
	s.setConstraints, s.setConstraintsAll = nil, nil
	for l := levels; l >= 1; l-- {
		s.guc.end(l, commit && err == nil, s.restoreSetting)
		s.endCursors(l, commit && err == nil)
	}
	s.e.dropExports(tx.XID)
	s.setXID(0)
	s.countTxnEnd(commit && err == nil)
	if s.wroteCatalog {
		s.wroteCatalog = false
		s.e.catalogChanged()
	}
	return err
}

// currentSnapshot returns the snapshot for the next statement: a new one per
// statement under READ COMMITTED, the first one under REPEATABLE READ and
// SERIALIZABLE.
func (s *Session) currentSnapshot() txn.Snapshot {
	if !s.haveSnap || s.isolation == ReadCommitted {
		s.snap = s.e.tm.Snapshot(s.tx, s.cid)
		if s.isolation == Serializable {
			s.snap.Serializable = true
			s.e.tm.BeginSerializable(s.tx, s.snap.Rev, s.readOnly)
		}
		s.haveSnap = true
	}
	s.snap.CID = s.cid
	s.snap.XID = s.tx.Current()
	return s.snap
}

func (s *Session) run(ctx context.Context, p *Prepared, params []types.Datum) (*Result, error) {
	res, err := s.runOnce(ctx, p, params, false)
	if errors.Is(err, errPlanStale) {
		// The statement waited for a table lock while DDL on the table
		// committed: bind again against the new catalog. Holding the
		// lock now, no further DDL on the table can commit before it
		// ends, so one retry suffices. The first try kept nothing.
		s.mem.release()
		res, err = s.runOnce(ctx, p, params, true)
	}
	return res, err
}

// errPlanStale asks run to bind a statement again: its table's definition
// changed while it waited for the table's lock.
var errPlanStale = errors.New("sql: the catalog changed while the statement waited for a table lock")

func (s *Session) runOnce(ctx context.Context, p *Prepared, params []types.Datum, retry bool) (*Result, error) {
	// A retry binds again even when the generation looks current: the
	// DDL it waited for may have committed before the session that ran
	// it counted the change.
	if p.bound == nil || p.gen != s.e.gen.Load() || retry || p.path != s.settings["search_path"] || p.role != s.currentUser() || p.rowSecOff == s.rowSecurityOn() {
		var declared []types.T
		if p.binder != nil {
			declared = p.binder.params
		}
		if err := s.bind(p, declared); err != nil {
			return nil, err
		}
	}
	if w, ok := p.stmt.(ast.DatabaseWriter); ok && s.readOnly && !writesTempOnly(p.bound) {
		if c, isCopy := w.(*ast.CopyStmt); !isCopy || !c.To {
			tag := w.Tag()
			if _, ctas := w.(*ast.CreateTableAsStmt); ctas {
				tag = "CREATE TABLE AS"
			}
			return nil, pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", tag)
		}
	}
	if len(params) < len(p.ParamTypes) {
		return nil, pgerr.New(pgerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement requires %d", len(params), len(p.ParamTypes))
	}
	// The statement's two contexts share one allocation.
	ctxs := &struct {
		x  execCtx
		ec evalCtx
	}{x: execCtx{ctx: ctx, s: s, tx: s.tx, snap: s.currentSnapshot(), planGen: p.gen, retried: retry, mem: &s.mem}}
	x := &ctxs.x
	if err := s.userParams(x.snap, p.ParamTypes, params); err != nil {
		return nil, err
	}
	s.cid++
	if s.temp.slot != 0 && p.binder != nil && !s.temp.touched {
		for _, t := range p.binder.tables {
			s.temp.touched = s.temp.touched || t.Temp()
		}
	}
	if err := x.checkRelPerms(p.binder); err != nil {
		return nil, err
	}
	x.tag = p.Tag
	ec := &ctxs.ec
	*ec = evalCtx{params: params, exec: x}
	var res *Result
	var err error
	if q, ok := p.bound.(*selectPlan); ok && s.rowSink != nil {
		res, err = q.executeInto(x, ec, s.takeRowSink())
	} else {
		s.rowSink = nil
		res, err = p.bound.execute(x, ec)
	}
	if err == nil && len(s.riQueue) > 0 {
		if err = x.runRI(ec); err != nil {
			res = nil
		}
	}
	s.riQueue = nil
	if err == nil && len(s.uniq.queue) > 0 {
		if err = x.runUniqueChecks(); err != nil {
			res = nil
		}
	}
	s.uniq.queue = nil
	if res != nil && len(x.notices) > 0 {
		res.Notices = append(x.notices, res.Notices...)
	}
	if err != nil && len(x.notices) > 0 && ErrorNotices(err) == nil {
		// The notices raised before the error (by trigger functions, say)
		// reach the client before it.
		err = withNotices(err, x.notices)
	}
	return res, err
}

func (s *Session) execTransaction(t *ast.TransactionStmt) (*Result, error) {
	switch t.Kind {
	case "SAVEPOINT", "RELEASE", "ROLLBACK TO":
		return s.execSavepoint(t)
	case "PREPARE TRANSACTION", "COMMIT PREPARED", "ROLLBACK PREPARED":
		return s.execTwoPhase(t)
	case "BEGIN":
		if s.implicitTx {
			// BEGIN inside a several-statement Query (or a pipeline)
			// turns its implicit transaction into an ordinary block.
			if s.failed {
				return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
			}
			s.implicitTx, s.explicit = false, true
			if err := s.applyTxnModes(t.Isolation, t.ReadOnly, t.Deferrable); err != nil {
				s.failed = true
				return nil, err
			}
			return &Result{Tag: t.Tag()}, nil
		}
		if s.explicit {
			return &Result{Tag: t.Tag(), Notices: []Notice{{Severity: "WARNING", Code: pgerr.ActiveSQLTransaction, Message: "there is already a transaction in progress"}}}, nil
		}
		if err := s.beginTxn(); err != nil {
			return nil, err
		}
		s.explicit = true
		if err := s.applyTxnModes(t.Isolation, t.ReadOnly, t.Deferrable); err != nil {
			s.endTxn(false)
			return nil, err
		}
		return &Result{Tag: t.Tag()}, nil
	case "COMMIT":
		if t.Chain {
			return s.endChained(true)
		}
		if s.implicitTx {
			warn := Notice{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "there is no transaction in progress"}
			if err := s.endTxn(true); err != nil {
				return nil, err
			}
			return &Result{Tag: "COMMIT", Notices: []Notice{warn}}, nil
		}
		if !s.explicit {
			return &Result{Tag: "COMMIT", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "there is no transaction in progress"}}}, nil
		}
		if s.failed {
			s.endTxn(false)
			return &Result{Tag: "ROLLBACK"}, nil
		}
		if err := s.endTxn(true); err != nil {
			return nil, err
		}
		return &Result{Tag: "COMMIT"}, nil
	default:
		if t.Chain {
			return s.endChained(false)
		}
		if s.implicitTx {
			s.endTxn(false)
			return &Result{Tag: "ROLLBACK", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "there is no transaction in progress"}}}, nil
		}
		if !s.explicit {
			return &Result{Tag: "ROLLBACK", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "there is no transaction in progress"}}}, nil
		}
		s.endTxn(false)
		return &Result{Tag: "ROLLBACK"}, nil
	}
}

// execSavepoint runs SAVEPOINT, RELEASE [SAVEPOINT] and ROLLBACK TO
// [SAVEPOINT]. Rolling back to a savepoint undoes the work since it (its
// subtransactions are aborted), keeps the savepoint, and clears the
// aborted state of the transaction.
func (s *Session) execSavepoint(t *ast.TransactionStmt) (*Result, error) {
	if !s.explicit {
		return nil, pgerr.New(pgerr.NoActiveSQLTransaction, "%s can only be used in transaction blocks", t.Kind)
	}
	if t.Kind == "SAVEPOINT" {
		if s.failed {
			return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
		}
		if _, err := s.pushSavepoint(t.Savepoint); err != nil {
			s.failed = true
			return nil, err
		}
		return &Result{Tag: "SAVEPOINT"}, nil
	}
	level := 0
	for i := len(s.savepoints) - 1; i >= 0; i-- {
		if s.savepoints[i] == t.Savepoint {
			level = i + 1
			break
		}
	}
	if t.Kind == "RELEASE" && s.failed {
		return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	if level == 0 {
		s.failed = true
		return nil, pgerr.New(pgerr.InvalidSavepointSpecification, "savepoint \"%s\" does not exist", t.Savepoint)
	}
	if t.Kind == "RELEASE" {
		if err := s.releaseSavepoint(level); err != nil {
			return nil, err
		}
		return &Result{Tag: "RELEASE"}, nil
	}
	if err := s.rollbackToSavepoint(level, false); err != nil {
		s.failed = true
		return nil, err
	}
	s.failed = false
	return &Result{Tag: "ROLLBACK"}, nil
}

// pushSavepoint starts a subtransaction named name ("" for a PL/pgSQL
// exception block's) and returns its level (1 for the first).
func (s *Session) pushSavepoint(name string) (int, error) {
	if _, err := s.tx.Savepoint(); err != nil {
		return 0, err
	}
	s.savepoints = append(s.savepoints, name)
	s.readOnlyAt = append(s.readOnlyAt, s.readOnly)
	s.riMarks = append(s.riMarks, len(s.riDeferred))
	clear(s.fresh)
	return len(s.savepoints), nil
}

// releaseSavepoint ends the subtransactions from level up, keeping
// their work.
func (s *Session) releaseSavepoint(level int) error {
	if err := s.tx.Release(level); err != nil {
		return err
	}
	for l := 1 + len(s.savepoints); l > level; l-- {
		s.guc.end(l, true, s.restoreSetting)
		s.endCursors(l, true)
	}
	s.savepoints = s.savepoints[:level-1]
	s.readOnly = s.readOnlyAt[level-1]
	s.readOnlyAt = s.readOnlyAt[:level-1]
	s.riMarks = s.riMarks[:level-1]
	s.notifyRelease(level)
	return nil
}

// rollbackToSavepoint undoes the work since the savepoint of level
// (its subtransactions are aborted) and keeps the savepoint, or, with
// drop, ends it too.
func (s *Session) rollbackToSavepoint(level int, drop bool) error {
	if err := s.tx.RollbackTo(level); err != nil {
		return err
	}
	for l := 1 + len(s.savepoints); l > level; l-- {
		s.guc.end(l, false, s.restoreSetting)
		s.endCursors(l, false)
	}
	s.savepoints = s.savepoints[:level]
	s.notifyRollbackTo(level)
	s.readOnly = s.readOnlyAt[level-1]
	s.readOnlyAt = s.readOnlyAt[:level]
	// The deferred RI events queued since the savepoint concern work
	// that is undone.
	s.riMarks = s.riMarks[:level]
	s.riDeferred = s.riDeferred[:min(len(s.riDeferred), s.riMarks[level-1])]
	s.riLocked = nil
	if drop {
		return s.releaseSavepoint(level)
	}
	return nil
}

// txnPlan, setPlan and showPlan exist so that every statement has a bound
// form; they execute through Session methods.
type txnPlan struct{ stmt *ast.TransactionStmt }

func (p *txnPlan) columns() []Column { return nil }
func (p *txnPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	return x.s.execTransaction(p.stmt)
}

type setPlan struct{ stmt *ast.SetStmt }

func (p *setPlan) columns() []Column { return nil }
func (p *setPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	if n := p.stmt.Name; n == "role" || n == "session_authorization" {
		return x.setRole(p.stmt)
	}
	return x.s.execSettings(p.stmt)
}

type vacuumPlan struct{ stmt *ast.VacuumStmt }

func (p *vacuumPlan) columns() []Column { return nil }
func (p *vacuumPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	return x.s.execVacuum(x.ctx, p.stmt)
}

type showPlan struct{ stmt *ast.ShowStmt }

func (p *showPlan) columns() []Column {
	return []Column{{Name: p.stmt.Name, Type: types.New(types.Text)}}
}
func (p *showPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	return x.s.execSettings(p.stmt)
}
