package sql

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Schemas, the search path and temporary relations.
//
// A name a statement writes is bare or qualified (ast.TableRef.Name,
// catalog/schema.go). lookupRel resolves a bare name through the
// session's search path: the session's temporary schema first (unless the
// path names pg_temp elsewhere), then the path's schemas that exist;
// pg_catalog's relations are found by the binder before any of these, as
// before. A qualified name is looked up in its schema, 3F000 when the
// schema does not exist. Descriptors refer to each other by key, which
// e.cat.Lookup takes as it is.
//
// Temporary relations live in the session's schema pg_temp_N, N its
// temporary slot, taken when the session first creates one (clearing what
// a session of the same slot may have left) and given back when the
// session closes, after its temporary relations are dropped. An engine
// drops every temporary relation it finds when it opens: they belonged to
// sessions of a process that ended.

// tempState is a session's temporary schema.
type tempState struct {
	// slot is the session's temporary slot, 0 before it created a
	// temporary relation.
	slot int
	// deleteRows holds the keys of the session's ON COMMIT DELETE ROWS
	// tables; dropAtCommit those its transaction created ON COMMIT DROP.
	deleteRows   map[string]bool
	dropAtCommit []string
	// touched is set when the transaction used a temporary relation,
	// which PREPARE TRANSACTION refuses.
	touched bool
}

// tempSlots hands out temporary slots, the smallest free one first, as
// PostgreSQL's backend ids are.
type tempSlots struct {
	mu   sync.Mutex
	used map[int]bool
}

func (t *tempSlots) take() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.used == nil {
		t.used = make(map[int]bool)
	}
	n := 1
	for t.used[n] {
		n++
	}
	t.used[n] = true
	return n
}

func (t *tempSlots) give(n int) {
	t.mu.Lock()
	delete(t.used, n)
	t.mu.Unlock()
}

// live reports the slots in use, in order.
func (t *tempSlots) live() []int {
	t.mu.Lock()
	out := make([]int, 0, len(t.used))
	for n := range t.used {
		out = append(out, n)
	}
	t.mu.Unlock()
	sort.Ints(out)
	return out
}

// tempSchema names the session's temporary schema, "" before it has one.
func (s *Session) tempSchema() string {
	if s.temp.slot == 0 {
		return ""
	}
	return catalog.TempSchemaName(s.temp.slot)
}

// pathItems are the entries of search_path, unquoted, "$user" replaced by
// the session's user.
func (s *Session) pathItems() []string {
	var out []string
	for _, item := range catalog.SplitSearchPath(s.settings["search_path"]) {
		if item == "$user" {
			item = s.currentUser()
		}
		out = append(out, item)
	}
	return out
}

// schemaExists reports whether a relation may live in schema: public,
// a temporary schema, or a schema a user created.
func (s *Session) schemaExists(snap txn.Snapshot, schema string) (bool, error) {
	switch {
	case schema == "public":
		return true, nil
	case catalog.IsTempSchema(schema):
		_, ok := catalog.TempNamespaceOID(schema)
		return ok, nil
	case schema == "pg_catalog" || schema == "information_schema" || schema == "" || !s.e.schemasCreated.Load():
		return false, nil
	}
	d, _, err := s.e.cat.LookupSchema(snap, schema)
	return d != nil, err
}

// searchSchemas are the schemas a bare relation name is looked up in, in
// order.
func (s *Session) searchSchemas(snap txn.Snapshot) ([]string, error) {
	var out []string
	var checker *privChecker
	temp := s.tempSchema()
	explicitTemp := false
	for _, item := range s.pathItems() {
		if item == "pg_temp" {
			explicitTemp = true
			if temp != "" {
				out = append(out, temp)
			}
			continue
		}
		ok, err := s.schemaExists(snap, item)
		if err != nil {
			return nil, err
		}
		if !ok || catalog.IsTempSchema(item) {
			continue
		}
		// As in PostgreSQL, the path leaves out a schema the current
		// role may not use.
		if s.currentUser() != bootstrapName {
			if checker == nil {
				if checker, err = s.checkerAt(snap); err != nil {
					return nil, err
				}
			}
			x := &execCtx{s: s, snap: snap}
			if err := x.checkSchemaPriv(checker, item, catalog.PrivUsage); err != nil {
				if pgerr.Code(err) == pgerr.InsufficientPrivilege {
					continue
				}
				return nil, err
			}
		}
		out = append(out, item)
	}
	if temp != "" && !explicitTemp {
		out = append([]string{temp}, out...)
	}
	return out, nil
}

// qualifiedKey is the catalog key of relation name in schema, as a
// qualified name writes it; 3F000 when the schema does not exist. ok is
// false for pg_temp while the session has no temporary schema.
func (s *Session) qualifiedKey(snap txn.Snapshot, schema, name string) (key string, ok bool, err error) {
	if schema == "pg_temp" {
		if s.tempSchema() == "" {
			return "", false, nil
		}
		return catalog.Key(s.tempSchema(), name), true, nil
	}
	exists, err := s.schemaExists(snap, schema)
	if err != nil {
		return "", false, err
	}
	if !exists {
		return "", false, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", schema)
	}
	return catalog.Key(schema, name), true, nil
}

// lookupRel returns the relation a statement's name (bare or qualified)
// resolves to, nil when there is none.
func (s *Session) lookupRel(snap txn.Snapshot, name string) (*catalog.TableDesc, heap.TupleID, error) {
	if schema, rel := catalog.SplitName(name); schema != "" {
		key, ok, err := s.qualifiedKey(snap, schema, rel)
		if err != nil || !ok {
			return nil, nil, err
		}
		s.temp.touched = s.temp.touched || catalog.IsTempSchema(schema) || schema == "pg_temp"
		return s.e.cat.Lookup(snap, key)
	}
	if s.temp.slot == 0 && !s.e.schemasCreated.Load() && s.currentUser() == bootstrapName {
		// Only public can hold it; it is on the path unless the path
		// was changed (and the superuser may use it).
		for _, item := range s.pathItems() {
			if item == "public" {
				return s.e.cat.Lookup(snap, name)
			}
		}
		return nil, nil, nil
	}
	schemas, err := s.searchSchemas(snap)
	if err != nil {
		return nil, nil, err
	}
	for _, schema := range schemas {
		d, id, err := s.e.cat.Lookup(snap, catalog.Key(schema, name))
		if err != nil || d != nil {
			s.temp.touched = s.temp.touched || d != nil && d.Temp()
			return d, id, err
		}
	}
	return nil, nil, nil
}

// creationSchema is the schema a relation being created by ref goes to
// ("" for public): its own qualification, the session's temporary schema
// for TEMP, or the first schema of the search path that exists. ref.Temp
// is set when the relation becomes temporary.
func (x *execCtx) creationSchema(ref *ast.TableRef) (string, error) {
	s := x.s
	schema, _ := catalog.SplitName(ref.Name)
	if ref.System {
		// The parser keeps pg_catalog. as a flag, not in the name.
		schema = "pg_catalog"
	}
	if schema == "" && !ref.Temp {
		items := s.pathItems()
		if len(items) > 0 && items[0] == "pg_temp" {
			ref.Temp = true
		}
		for _, item := range items {
			if ref.Temp || item == "pg_catalog" || item == "pg_temp" {
				continue
			}
			ok, err := s.schemaExists(x.snap, item)
			if err != nil {
				return "", err
			}
			if ok && !catalog.IsTempSchema(item) {
				schema = item
				break
			}
		}
		if schema == "" && !ref.Temp {
			return "", pgerr.New(pgerr.InvalidSchemaName, "no schema has been selected to create in").WithPosition(ref.Pos)
		}
	}
	switch {
	case ref.Unlogged && (schema == "pg_temp" || catalog.IsTempSchema(schema)):
		return "", pgerr.New(pgerr.InvalidTableDefinition, "only temporary relations may be created in temporary schemas").WithPosition(ref.Pos)
	case schema == "pg_temp" || schema == "" && ref.Temp || schema == s.tempSchema() && schema != "":
		ref.Temp = true
		s.temp.touched = true
		return x.ensureTempSchema()
	case catalog.IsTempSchema(schema):
		return "", pgerr.New(pgerr.FeatureNotSupported, "cannot create relations in temporary schemas of other sessions").WithPosition(ref.Pos)
	case ref.Temp:
		return "", pgerr.New(pgerr.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema").WithPosition(ref.Pos)
	case schema == "pg_catalog":
		return "", pgerr.New(pgerr.InsufficientPrivilege, "permission denied to create \"pg_catalog.%s\"", ref.Name).
			WithDetail("System catalog modifications are currently disallowed.")
	}
	ok, err := s.schemaExists(x.snap, schema)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", schema).WithPosition(ref.Pos)
	}
	if schema == "public" {
		return "", nil
	}
	return schema, nil
}

// creationTarget is creationSchema with the relation's bare name.
func (x *execCtx) creationTarget(ref ast.TableRef) (schema, name string, temp bool, err error) {
	schema, err = x.creationSchema(&ref)
	if err == nil {
		err = x.checkCreateIn(schema)
	}
	_, name = catalog.SplitName(ref.Name)
	return schema, name, ref.Temp, err
}

// ensureTempSchema gives the session its temporary schema, first dropping
// what a session of the same slot may have left in it.
func (x *execCtx) ensureTempSchema() (string, error) {
	s := x.s
	if s.temp.slot != 0 {
		return s.tempSchema(), nil
	}
	s.temp.slot = s.e.tempSlots.take()
	s.e.catalogChanged()
	if _, err := dropSchemaRelations(x, s.tempSchema()); err != nil {
		return "", err
	}
	return s.tempSchema(), nil
}

// noteTempCreated records a temporary table's ON COMMIT action.
func (s *Session) noteTempCreated(desc *catalog.TableDesc) {
	switch desc.OnCommit {
	case "delete":
		if s.temp.deleteRows == nil {
			s.temp.deleteRows = make(map[string]bool)
		}
		s.temp.deleteRows[desc.Key()] = true
	case "drop":
		s.temp.dropAtCommit = append(s.temp.dropAtCommit, desc.Key())
	}
}

// checkOnCommit refuses ON COMMIT for a relation that is not temporary.
func checkOnCommit(ref ast.TableRef, temp bool) error {
	if ref.OnCommit != "" && !temp {
		return pgerr.New(pgerr.InvalidTableDefinition, "ON COMMIT can only be used on temporary tables").WithPosition(ref.Pos)
	}
	return nil
}

// onCommitAction maps ast's ON COMMIT to the descriptor's.
func onCommitAction(ref ast.TableRef) string {
	if ref.OnCommit == "preserve" {
		return ""
	}
	return ref.OnCommit
}

// runOnCommit carries out the ON COMMIT actions of the session's
// temporary tables, in the transaction about to commit.
func (s *Session) runOnCommit() error {
	if len(s.temp.dropAtCommit) == 0 && len(s.temp.deleteRows) == 0 {
		return nil
	}
	x := &execCtx{ctx: context.Background(), s: s, tx: s.tx, snap: s.currentSnapshot(), planGen: s.e.gen.Load(), retried: true, mem: &s.mem}
	s.cid++
	drop := s.temp.dropAtCommit
	s.temp.dropAtCommit = nil
	for _, key := range drop {
		if _, err := dropRelation(x, key, true); err != nil {
			return err
		}
	}
	var keys []string
	for key := range s.temp.deleteRows {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	if err := checkOnCommitFKs(x, keys); err != nil {
		return err
	}
	for _, key := range keys {
		later := x.later()
		desc, _, err := s.e.cat.Lookup(later.snap, key)
		if err != nil {
			return err
		}
		if desc == nil {
			continue
		}
		p := &truncatePlan{tables: []*deletePlan{{tableWriter: tableWriter{table: desc}, scan: &scanNode{table: desc, cols: tableColumns(desc)}}}}
		if _, err := p.execute(later, &evalCtx{exec: later}); err != nil {
			return err
		}
	}
	return nil
}

// later is a copy of x for a further command of the statement, which
// sees what the earlier ones did.
func (x *execCtx) later() *execCtx {
	l := *x
	l.snap.CID = x.s.cid
	x.s.cid++
	return &l
}

// dropRelation drops the relation with key (and, with cascade, what
// depends on it), returning the notices DROP would.
func dropRelation(x *execCtx, key string, cascade bool) ([]Notice, error) {
	later := x.later()
	desc, _, err := x.s.e.cat.Lookup(later.snap, key)
	if err != nil || desc == nil {
		return nil, err
	}
	schema, name := catalog.SplitName(key)
	if schema == "" {
		schema = "public"
	}
	stmt := &ast.DropTableStmt{Tables: []ast.TableRef{{Name: catalog.QualifiedName(schema, name)}}, Cascade: cascade, IfExists: true,
		View: desc.View != "", Sequence: desc.Sequence != nil, Index: desc.IndexOf != ""}
	res, err := (&dropTablePlan{stmt: stmt}).execute(later, nil)
	if err != nil {
		return nil, err
	}
	return res.Notices, nil
}

// dropSchemaRelations drops every relation in schema, views first, then
// tables, then what is left, and returns them as DROP SCHEMA ... CASCADE
// lists them.
func dropSchemaRelations(x *execCtx, schema string) ([]string, error) {
	all, err := x.s.e.cat.All(x.later().snap)
	if err != nil {
		return nil, err
	}
	var in []*catalog.TableDesc
	for _, d := range all {
		if d.Schema == schema && d.IndexOf == "" {
			in = append(in, d)
		}
	}
	sort.Slice(in, func(i, j int) bool { return in[i].ID < in[j].ID })
	var listed []string
	for _, d := range in {
		if d.Sequence == nil || d.Sequence.OwnedBy == "" {
			listed = append(listed, d.Kind()+" "+relationDisplayName(d))
		}
	}
	rank := func(d *catalog.TableDesc) int {
		switch d.Kind() {
		case "view":
			return 0
		case "table":
			return 1
		}
		return 2
	}
	sort.SliceStable(in, func(i, j int) bool { return rank(in[i]) < rank(in[j]) })
	for _, d := range in {
		if _, err := dropRelation(x, d.Key(), true); err != nil {
			return nil, err
		}
	}
	return listed, nil
}

// relationDisplayName is a relation's name qualified by its schema, as
// PostgreSQL's DROP ... CASCADE notices name relations.
func relationDisplayName(d *catalog.TableDesc) string {
	return d.SchemaName() + "." + d.Name
}

// dropTempRelations drops the session's temporary relations in a
// transaction of its own, as the session closes, and frees its slot.
func (s *Session) dropTempRelations() error {
	if s.temp.slot == 0 {
		return nil
	}
	defer func() {
		s.e.tempSlots.give(s.temp.slot)
		s.temp = tempState{}
		s.e.catalogChanged()
	}()
	// A closing session does not wait long for a lock on its relations
	// (another session's LOCK, say): what it cannot drop, the next session
	// of its slot or the next start drops.
	s.settings["lock_timeout"] = tempDropLockTimeout
	if err := s.beginTxn(); err != nil {
		return err
	}
	x := &execCtx{ctx: context.Background(), s: s, tx: s.tx, snap: s.currentSnapshot(), planGen: s.e.gen.Load(), retried: true, mem: &s.mem}
	s.cid++
	if _, err := dropSchemaRelations(x, s.tempSchema()); err != nil {
		s.endTxn(false)
		return err
	}
	s.temp.deleteRows, s.temp.dropAtCommit = nil, nil
	return s.endTxn(true)
}

// dropLeftTempRelations drops the temporary relations a process that
// ended left behind, when the engine opens.
func (e *Engine) dropLeftTempRelations() error {
	all, err := e.cat.All(e.tm.ReadSnapshot())
	if err != nil {
		return err
	}
	schemas := make(map[string]bool)
	for _, d := range all {
		if d.Temp() {
			schemas[d.Schema] = true
		}
	}
	if len(schemas) == 0 {
		return nil
	}
	s, err := e.NewSession("postgres", e.opts.Databases[0], nil)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.beginTxn(); err != nil {
		return err
	}
	x := &execCtx{ctx: context.Background(), s: s, tx: s.tx, snap: s.currentSnapshot(), planGen: e.gen.Load(), retried: true, mem: &s.mem}
	s.cid++
	names := make([]string, 0, len(schemas))
	for schema := range schemas {
		names = append(names, schema)
	}
	sort.Strings(names)
	for _, schema := range names {
		if _, err := dropSchemaRelations(x, schema); err != nil {
			s.endTxn(false)
			return err
		}
	}
	return s.endTxn(true)
}

// createSchemaPlan is CREATE SCHEMA.
type createSchemaPlan struct{ stmt *ast.CreateSchemaStmt }

func (p *createSchemaPlan) columns() []Column { return nil }

func (p *createSchemaPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	name, owner := p.stmt.Name, p.stmt.Authorization
	if owner == "" {
		owner = s.currentUser()
	}
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	ownerRole, ok := g.byName[owner]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", owner)
	}
	if cur, ok := s.currentRoleOID(g); !ok || !g.super(cur) {
		// CREATE on the database: its owner, the bootstrap superuser,
		// holds it, and PUBLIC does not (acldefault).
		if err := s.checkDatabasePriv(x.snap, catalog.PrivCreate); err != nil {
			return nil, err
		}
		if !g.isMemberOf(cur, ownerRole.OID) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be member of role \"%s\"", owner)
		}
	}
	if name == "" {
		name = owner
	}
	if err := checkSchemaName(name); err != nil {
		return nil, err
	}
	existing, err := s.schemaExistsForCreate(x.snap, name)
	if err != nil {
		return nil, err
	}
	if existing {
		if p.stmt.IfNotExists {
			return &Result{Tag: "CREATE SCHEMA", Notices: []Notice{{Severity: "NOTICE", Code: pgerr.DuplicateSchema,
				Message: "schema \"" + name + "\" already exists, skipping"}}}, nil
		}
		return nil, pgerr.New(pgerr.DuplicateSchema, "schema \"%s\" already exists", name)
	}
	oid, err := s.e.tm.NextOID()
	if err != nil {
		return nil, err
	}
	s.e.schemasCreated.Store(true)
	if err := s.e.cat.CreateSchema(x.op(), &catalog.SchemaDesc{OID: oid, Name: name, Owner: owner}); err != nil {
		return nil, err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	// As PostgreSQL's transformCreateSchemaStmt: sequences, then tables,
	// views and indexes, each kind in the order written.
	rank := func(st ast.Stmt) int {
		switch st.(type) {
		case *ast.CreateSequenceStmt:
			return 0
		case *ast.CreateTableStmt, *ast.CreateTableAsStmt:
			return 1
		case *ast.CreateViewStmt:
			return 2
		}
		return 3
	}
	elements := slices.Clone(p.stmt.Elements)
	sort.SliceStable(elements, func(i, j int) bool { return rank(elements[i]) < rank(elements[j]) })
	for _, el := range elements {
		if err := runInSchema(x, name, el); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "CREATE SCHEMA"}, nil
}

// checkRole refuses a role that does not exist.
func checkRole(s *Session, role string) error {
	if role == "" {
		return nil
	}
	if _, ok, err := s.e.roles.Lookup(s.e.tm.ReadSnapshot(), role); err != nil || !ok {
		if err != nil {
			return err
		}
		return pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", role)
	}
	return nil
}

// checkSchemaName refuses the names PostgreSQL reserves for system
// schemas.
func checkSchemaName(name string) error {
	if strings.HasPrefix(name, "pg_") {
		return pgerr.New(pgerr.ReservedName, "unacceptable schema name \"%s\"", name).
			WithDetail("The prefix \"pg_\" is reserved for system schemas.")
	}
	return nil
}

// schemaExistsForCreate reports whether name is taken by any schema.
func (s *Session) schemaExistsForCreate(snap txn.Snapshot, name string) (bool, error) {
	for _, ns := range catalog.BuiltinNamespaces {
		if ns.Name == name {
			return true, nil
		}
	}
	d, _, err := s.e.cat.LookupSchema(snap, name)
	return d != nil, err
}

// runInSchema runs one element of CREATE SCHEMA, its unqualified names
// created in schema.
func runInSchema(x *execCtx, schema string, st ast.Stmt) error {
	s := x.s
	var ref ast.TableRef
	switch st := st.(type) {
	case *ast.CreateTableStmt:
		ref = st.Table
	case *ast.CreateViewStmt:
		ref = st.View
	case *ast.CreateIndexStmt:
		ref = st.Table
	case *ast.CreateSequenceStmt:
		ref = st.Name
	case *ast.CreateTableAsStmt:
		ref = st.Table
	default:
		return pgerr.New(pgerr.SyntaxError, "CREATE SCHEMA cannot include %s", st.Tag())
	}
	if other, _ := catalog.SplitName(ref.Name); other != "" && other != schema {
		return pgerr.New(pgerr.InvalidSchemaDefinition, "CREATE specifies a schema (%s) different from the one being created (%s)", other, schema).WithPosition(ref.Pos)
	}
	if ref.Temp {
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema").WithPosition(ref.Pos)
	}
	// The new schema goes in front of the path, as PostgreSQL's
	// override search path puts it.
	saved := s.settings["search_path"]
	s.settings["search_path"] = quoteSearchPathItem(schema)
	if strings.TrimSpace(saved) != "" {
		s.settings["search_path"] += ", " + saved
	}
	defer func() { s.settings["search_path"] = saved }()
	later := x.later()
	b := &binder{s: s, snap: later.snap}
	bound, err := b.bindStmt(st)
	if err != nil {
		return err
	}
	_, err = bound.execute(later, &evalCtx{exec: later})
	return err
}

// quoteSearchPathItem quotes a schema name for search_path.
func quoteSearchPathItem(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// dropSchemaPlan is DROP SCHEMA.
type dropSchemaPlan struct{ stmt *ast.DropSchemaStmt }

func (p *dropSchemaPlan) columns() []Column { return nil }

func (p *dropSchemaPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	res := &Result{Tag: "DROP SCHEMA"}
	type target struct {
		desc *catalog.SchemaDesc
		id   heap.TupleID
	}
	var targets []target
	for _, name := range p.stmt.Names {
		d, id, err := s.e.cat.LookupSchema(x.snap, name)
		if err != nil {
			return nil, err
		}
		if d == nil {
			switch {
			case name == "public" || name == "pg_catalog" || name == "information_schema" || catalog.IsTempSchema(name):
				return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			case p.stmt.IfExists:
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: "00000", Message: "schema \"" + name + "\" does not exist, skipping"})
				continue
			}
			return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", name)
		}
		targets = append(targets, target{d, id})
	}
	var lines []string
	if !p.stmt.Cascade {
		all, err := s.e.cat.All(x.snap)
		if err != nil {
			return nil, err
		}
		sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
		for _, t := range targets {
			var deps []string
			for _, d := range all {
				if d.Schema == t.desc.Name && d.IndexOf == "" && (d.Sequence == nil || d.Sequence.OwnedBy == "") {
					deps = append(deps, d.Kind()+" "+relationDisplayName(d)+" depends on schema "+t.desc.Name)
				}
			}
			rdeps, err := routinesInSchema(x, t.desc.Name)
			if err != nil {
				return nil, err
			}
			for _, r := range rdeps {
				deps = append(deps, kindWord(r.FuncDesc)+" "+routineSigText(r.FuncDesc, false)+" depends on schema "+t.desc.Name)
			}
			if len(deps) > 0 {
				return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", t.desc.Name).
					WithDetail(strings.Join(deps, "\n")).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
		}
	}
	for _, t := range targets {
		dropped, err := dropSchemaRelations(x, t.desc.Name)
		if err != nil {
			return nil, err
		}
		for _, d := range dropped {
			lines = append(lines, "drop cascades to "+d)
		}
		routines, err := routinesInSchema(x, t.desc.Name)
		if err != nil {
			return nil, err
		}
		for _, r := range routines {
			// The triggers of other schemas' tables that run it.
			trig, err := x.functionTriggers(r.FuncDesc, true, t.desc.Name)
			if err != nil {
				return nil, err
			}
			lines = append(lines, trig...)
			if err := s.e.cat.DropFunction(x.op(), r.ID); err != nil {
				return nil, err
			}
			lines = append(lines, "drop cascades to "+kindWord(r.FuncDesc)+" "+routineSigText(r.FuncDesc, false))
		}
		if err := s.e.cat.DropSchema(x.later().op(), t.id); err != nil {
			return nil, err
		}
	}
	switch {
	case len(lines) == 1:
		res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: "00000", Message: lines[0]})
	case len(lines) > 1:
		res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: "00000", Message: "drop cascades to " + itoa(len(lines)) + " other objects",
			Detail: strings.Join(lines, "\n")})
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return res, nil
}

// alterSchemaPlan is ALTER SCHEMA ... RENAME TO.
type alterSchemaPlan struct{ stmt *ast.AlterSchemaStmt }

func (p *alterSchemaPlan) columns() []Column { return nil }

func (p *alterSchemaPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	from, to := p.stmt.Name, p.stmt.RenameTo
	d, id, err := s.e.cat.LookupSchema(x.snap, from)
	if err != nil {
		return nil, err
	}
	if d == nil {
		if p.stmt.IsComment && (from == "public" || from == "pg_catalog") {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot set the comment of built-in schema \"%s\"", from)
		}
		if p.stmt.Owner != nil && (from == "public" || from == "pg_catalog" || from == "information_schema") {
			return &Result{Tag: p.stmt.Tag()}, checkRole(s, *p.stmt.Owner)
		}
		return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", from)
	}
	switch {
	case p.stmt.Owner != nil:
		return x.alterSchemaOwner(d, id, *p.stmt.Owner)
	case p.stmt.IsComment:
		changed := *d
		changed.Comment = ""
		if p.stmt.Comment != nil {
			changed.Comment = *p.stmt.Comment
		}
		if err := s.e.cat.DropSchema(x.op(), id); err != nil {
			return nil, err
		}
		if err := s.e.cat.CreateSchema(x.later().op(), &changed); err != nil {
			return nil, err
		}
		return &Result{Tag: p.stmt.Tag()}, nil
	}
	taken, err := s.schemaExistsForCreate(x.snap, to)
	if err != nil {
		return nil, err
	}
	if taken {
		return nil, pgerr.New(pgerr.DuplicateSchema, "schema \"%s\" already exists", to)
	}
	if err := checkSchemaName(to); err != nil {
		return nil, err
	}
	if err := s.e.cat.DropSchema(x.op(), id); err != nil {
		return nil, err
	}
	renamed := *d
	renamed.Name = to
	if err := s.e.cat.CreateSchema(x.later().op(), &renamed); err != nil {
		return nil, err
	}
	all, err := s.e.cat.All(x.later().snap)
	if err != nil {
		return nil, err
	}
	for _, rel := range all {
		if rel.Schema == from {
			if err := moveRelation(x, rel, to); err != nil {
				return nil, err
			}
		}
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return &Result{Tag: "ALTER SCHEMA"}, nil
}

// moveRelation gives relation rel schema to (its indexes' entries follow
// their table), rewriting every reference to its key.
func moveRelation(x *execCtx, rel *catalog.TableDesc, to string) error {
	s := x.s
	if to == "public" {
		to = ""
	}
	snap := x.later().snap
	if clash, _, err := s.e.cat.Lookup(snap, catalog.Key(to, rel.Name)); err != nil {
		return err
	} else if clash != nil {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists in schema \"%s\"", rel.Name, catalog.SchemaOrPublic(to))
	}
	// Owned sequences move with their table, as in PostgreSQL.
	all, err := s.e.cat.All(snap)
	if err != nil {
		return err
	}
	var follow []*catalog.TableDesc
	for _, d := range all {
		if d.Sequence != nil && d.Sequence.OwnedBy == rel.Key() && d.Schema == rel.Schema && rel.Sequence == nil {
			follow = append(follow, d)
		}
	}
	if err := rekeyRelation(x, rel, to, rel.Name); err != nil {
		return err
	}
	for _, seq := range follow {
		cur, _, err := s.e.cat.Lookup(x.later().snap, seq.Key())
		if err != nil {
			return err
		}
		if cur != nil {
			if err := moveRelation(x, cur, catalog.SchemaOrPublic(to)); err != nil {
				return err
			}
		}
	}
	return nil
}

// setSchemaPlan is ALTER TABLE, SEQUENCE or VIEW ... SET SCHEMA.
type setSchemaPlan struct{ stmt *ast.SetSchemaStmt }

func (p *setSchemaPlan) columns() []Column { return nil }

func (p *setSchemaPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	res := &Result{Tag: p.stmt.Tag()}
	rel, _, err := s.lookupRel(x.snap, p.stmt.Table.Name)
	if err != nil {
		return nil, err
	}
	if rel == nil {
		if p.stmt.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: "00000",
				Message: "relation \"" + catalog.DisplayName(p.stmt.Table.Name) + "\" does not exist, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(p.stmt.Table.Name))
	}
	to := p.stmt.Schema
	switch {
	case to == "pg_temp" || catalog.IsTempSchema(to) || rel.Temp():
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot move objects into or out of temporary schemas")
	case to == "pg_catalog" || to == "information_schema":
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot move objects into or out of system schemas")
	}
	ok, err := s.schemaExists(x.snap, to)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", to)
	}
	if rel.SchemaName() == to {
		// PostgreSQL moves nothing and says nothing.
		return res, nil
	}
	if rel.Kind() == "table" {
		if err := x.lockTable(rel.ID, txn.AccessExclusive); err != nil {
			return nil, err
		}
	}
	if err := moveRelation(x, rel, to); err != nil {
		return nil, err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return res, nil
}

// refersTo reports whether a statement's name for a relation (bare or
// qualified) names t, the table the statement is creating or altering.
func refersTo(name string, t *catalog.TableDesc) bool {
	schema, bare := catalog.SplitName(name)
	if bare != t.Name {
		return false
	}
	switch schema {
	case "":
		return true
	case "pg_temp":
		return t.Temp()
	}
	return schema == t.SchemaName()
}

// pathSchemas are the schemas of search_path that exist, in order, as
// current_schemas(false) lists them.
func (s *Session) pathSchemas(snap txn.Snapshot) ([]string, error) {
	var out []string
	for _, item := range s.pathItems() {
		if item == "pg_temp" {
			if t := s.tempSchema(); t != "" {
				out = append(out, t)
			}
			continue
		}
		ok, err := s.schemaExists(snap, item)
		if err != nil {
			return nil, err
		}
		if ok || item == "pg_catalog" || item == "information_schema" {
			out = append(out, item)
		}
	}
	return out, nil
}

// currentSchemas is current_schemas(implicit).
func (s *Session) currentSchemas(snap txn.Snapshot, implicit bool) (*types.Array, error) {
	path, err := s.pathSchemas(snap)
	if err != nil {
		return nil, err
	}
	if implicit {
		if !slices.Contains(path, "pg_catalog") {
			path = append([]string{"pg_catalog"}, path...)
		}
		if t := s.tempSchema(); t != "" && !slices.Contains(path, t) {
			path = append([]string{t}, path...)
		}
	}
	out := &types.Array{Elems: make([]types.Datum, len(path))}
	for i, p := range path {
		out.Elems[i] = p
	}
	return out, nil
}

// tableVisible is pg_table_is_visible(oid).
func (x *execCtx) tableVisible(oid int64) (types.Datum, error) {
	r, err := x.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		if int64(t.ID) == oid {
			return r.Visible(t), nil
		}
	}
	if ix := r.Index(oid); ix != nil {
		return r.IndexVisible(ix), nil
	}
	// A system catalog: pg_catalog is always searched.
	return true, nil
}

// checkOnCommitFKs refuses to empty ON COMMIT DELETE ROWS tables that a
// table keeping its rows references, as PostgreSQL's
// heap_truncate_check_FKs does.
func checkOnCommitFKs(x *execCtx, keys []string) error {
	all, err := x.s.e.cat.All(x.later().snap)
	if err != nil {
		return err
	}
	emptied := make(map[string]bool, len(keys))
	for _, k := range keys {
		emptied[k] = true
	}
	byKey := make(map[string]*catalog.TableDesc, len(all))
	for _, d := range all {
		byKey[d.Key()] = d
	}
	for _, d := range all {
		if emptied[d.Key()] {
			continue
		}
		for _, fk := range d.ForeignKeys {
			if parent := byKey[fk.RefTable]; emptied[fk.RefTable] && parent != nil {
				return pgerr.New(pgerr.FeatureNotSupported, "unsupported ON COMMIT and foreign key combination").
					WithDetail("Table \"" + d.Name + "\" references \"" + parent.Name + "\", but they do not have the same ON COMMIT setting.")
			}
		}
	}
	return nil
}

// discardTempPlan is DISCARD TEMP: the session's temporary relations are
// dropped, in the statement's transaction.
type discardTempPlan struct{}

func (discardTempPlan) columns() []Column { return nil }

func (discardTempPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	if schema := x.s.tempSchema(); schema != "" {
		if _, err := dropSchemaRelations(x, schema); err != nil {
			return nil, err
		}
		x.s.temp.deleteRows = nil
		x.s.e.catalogChanged()
		x.s.wroteCatalog = true
	}
	return &Result{Tag: "DISCARD TEMP"}, nil
}

// inSchema returns the descriptors of all in schema: constraint names are
// chosen unique within a schema, as PostgreSQL's ChooseConstraintName
// does.
func inSchema(all []*catalog.TableDesc, schema string) []*catalog.TableDesc {
	var out []*catalog.TableDesc
	for _, d := range all {
		if d.Schema == schema {
			out = append(out, d)
		}
	}
	return out
}
