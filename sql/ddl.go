package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// isNullConst reports whether e is a NULL constant, possibly cast.
func isNullConst(e expr) bool {
	c, ok := e.(*constExpr)
	return ok && c.v == nil
}

// resolveColumnType is resolveType for a table column: dom is the
// domain the column is declared with (t is its base type), or nil.
func (b *binder) resolveColumnType(tn ast.TypeName) (t types.T, dom *catalog.TableDesc, err error) {
	if t, dom, err = b.resolveType(tn); err == nil && (dom != nil || t.IsUser() || compositeOID(t) != 0) {
		return t, dom, nil
	}
	t, err = resolveColumnType(tn)
	return t, nil, err
}

// resolveColumnType is types.Resolve for a table column.
func resolveColumnType(tn ast.TypeName) (types.T, error) {
	if tn.Array {
		elem := tn
		elem.Array = false
		et, err := resolveColumnType(elem)
		if err != nil {
			return types.T{}, err
		}
		t, ok := types.ArrayOf(et)
		if !ok {
			return types.T{}, pgerr.New(pgerr.FeatureNotSupported, "arrays of type %s are not supported", et.Name()).WithPosition(tn.Pos)
		}
		return t, nil
	}
	switch tn.Name {
	case "oid", "regclass", "regtype", "regnamespace", "regrole", "aclitem":
		// The reference types and aclitem have no stored form, and oid
		// lacks the implicit casts from integers that assigning to it
		// needs.
		return types.T{}, pgerr.New(pgerr.FeatureNotSupported, "columns of type %s are not supported", tn.Name).WithPosition(tn.Pos)
	case "name":
		// name and "char" store as strings.
		return types.New(types.SysName), nil
	case "char":
		return types.New(types.Char), nil
	}
	return types.Resolve(tn)
}

type createTablePlan struct {
	stmt *ast.CreateTableStmt
	desc *catalog.TableDesc
	// like is what the LIKE clauses copy besides columns (createlike.go).
	like *likeParts
	// inherit is set for a table with parents (inherit_ddl.go).
	inherit *inheritSpec
}

func (p *createTablePlan) columns() []Column { return nil }

func (p *createTablePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	desc := *p.desc
	schema, _, temp, err := x.creationTarget(p.stmt.Table)
	if err != nil {
		return nil, err
	}
	if err := checkOnCommit(p.stmt.Table, temp); err != nil {
		return nil, err
	}
	desc.Schema, desc.OnCommit = schema, onCommitAction(p.stmt.Table)
	existing, _, err := e.cat.Lookup(x.snap, desc.Key())
	if err != nil {
		return nil, err
	}
	if existing != nil {
		if p.stmt.IfNotExists {
			return &Result{Tag: "CREATE TABLE", Notices: []Notice{{Severity: "NOTICE", Code: "42P07",
				Message: "relation \"" + p.desc.Name + "\" already exists, skipping"}}}, nil
		}
		return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", p.desc.Name)
	}
	if desc.Schema == "" {
		// User types live in public only.
		if err := relationNameFree(x, desc.Name); err != nil {
			return nil, err
		}
	}
	desc.Columns = append([]catalog.ColumnDesc(nil), p.desc.Columns...)
	// Serial and identity columns get sequences of their own, owned by
	// the column, made before the table as PostgreSQL does.
	taken := make(map[string]bool)
	identity := slices.Clone(p.stmt.Columns)
	if p.like != nil {
		for _, name := range p.like.identity {
			identity = append(identity, ast.ColumnDef{Name: name, Identity: desc.Columns[desc.ColumnIndex(name)].Identity})
		}
	}
	for _, c := range identity {
		if !c.Serial && c.Identity == "" {
			continue
		}
		i := desc.ColumnIndex(c.Name)
		name := c.IdentityOptions.SequenceName
		if name == "" {
			if name, err = chooseSequenceName(x, desc.Schema, desc.Name, c.Name, taken); err != nil {
				return nil, err
			}
		}
		taken[name] = true
		name = catalog.Key(desc.Schema, name)
		owner := &catalog.SequenceDesc{OwnedBy: desc.Key(), OwnedCol: c.Name}
		opts := c.IdentityOptions
		opts.Unlogged = desc.Unlogged
		if _, err := createSequence(x, name, opts, c.Identity != "", desc.Columns[i].Type.ID, owner); err != nil {
			return nil, err
		}
		if c.Serial {
			desc.Columns[i].Default = nextvalDefault(name)
		} else {
			desc.Columns[i].Identity, desc.Columns[i].IdentitySeq = c.Identity, name
		}
	}
	if err := p.addChecks(x, &desc); err != nil {
		return nil, err
	}
	if p.stmt.PartitionOf != nil {
		parent, _, err := x.s.lookupRel(x.snap, p.stmt.PartitionOf.Name)
		if err != nil {
			return nil, err
		}
		if err := x.lockTableForDDL(parent.ID, txn.AccessExclusive); err != nil {
			return nil, err
		}
		if parent, _, err = x.s.lookupRel(x.snap, p.stmt.PartitionOf.Name); err != nil {
			return nil, err
		}
		if desc.PartBound, err = placePartition(x, parent, desc.Name, p.stmt.Bound); err != nil {
			return nil, err
		}
	}
	if err := createTableDesc(x, &desc); err != nil {
		return nil, err
	}
	if len(desc.Inherits) > 0 {
		nextCommand(x)
	}
	if err := linkParents(x, &desc); err != nil {
		return nil, err
	}
	unique := p.stmt.Unique
	var notices []Notice
	if p.inherit != nil {
		unique = append(slices.Clip(unique), p.inherit.unique...)
		notices = p.inherit.notices
	}
	for _, u := range unique {
		if err := p.createUnique(x, u); err != nil {
			return nil, err
		}
	}
	if p.like != nil {
		if err := p.createLikeIndexes(x); err != nil {
			return nil, err
		}
	}
	if p.stmt.PartitionOf != nil {
		if err := p.inheritPartitionIndexes(x, &desc); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "CREATE TABLE", Notices: notices}, nil
}

// addChecks names the table's CHECK and FOREIGN KEY constraints and
// gives them oids.
func (p *createTablePlan) addChecks(x *execCtx, desc *catalog.TableDesc) error {
	desc.Checks = slices.Clone(desc.Checks)
	for i := range desc.Checks {
		// Inherited ones, which need oids of their own.
		var err error
		if desc.Checks[i].ID, err = x.s.e.tm.NextOID(); err != nil {
			return err
		}
	}
	if p.like != nil {
		for _, c := range p.like.checks {
			id, err := x.s.e.tm.NextOID()
			if err != nil {
				return err
			}
			c.ID = id
			desc.Checks = append(desc.Checks, c)
		}
	}
	if len(p.stmt.Checks) == 0 && len(p.stmt.ForeignKeys) == 0 {
		return nil
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	taken := make(map[string]bool)
	for _, c := range desc.Checks {
		taken[c.Name] = true
	}
	for _, c := range p.stmt.Checks {
		name := c.Name
		if i := slices.IndexFunc(desc.Checks, func(d catalog.CheckDesc) bool { return d.Name == name && d.InhCount > 0 && d.Expr == c.SQL }); name != "" && i >= 0 && p.inherit != nil {
			// The inherited constraint is written again: merged, local
			// to a child of INHERITS, still inherited for a partition.
			if err := checkMergeConflict(desc.Checks[i], name, desc.Name, c.NotValid, c.NoInherit); err != nil {
				return err
			}
			desc.Checks[i].NotLocal = p.stmt.PartitionOf != nil
			p.inherit.notices = append(p.inherit.notices, Notice{Severity: "NOTICE", Code: "00000", Message: "merging constraint \"" + name + "\" with inherited definition"})
			continue
		}
		if name == "" {
			name = checkConstraintName(inSchema(all, desc.Schema), desc.Name, c.Expr, taken)
		} else if taken[name] {
			return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", name, desc.Name)
		}
		taken[name] = true
		id, err := x.s.e.tm.NextOID()
		if err != nil {
			return err
		}
		if c.NoInherit && p.stmt.PartitionBy != nil {
			return noInheritPartitioned(desc.Name)
		}
		desc.Checks = append(desc.Checks, catalog.CheckDesc{ID: id, Name: name, Expr: c.SQL, NoInherit: c.NoInherit})
	}
	b := &binder{s: x.s, snap: x.snap}
	for i := range p.stmt.ForeignKeys {
		fk, err := b.foreignKeyDesc(desc, &p.stmt.ForeignKeys[i], all, taken)
		if err != nil {
			return err
		}
		taken[fk.Name] = true
		fk.NotValid = false // a new table has no rows to leave unchecked
		if fk.ID, err = x.s.e.tm.NextOID(); err != nil {
			return err
		}
		if fk.RefTable != desc.Key() {
			parent, _, err := x.s.e.cat.Lookup(x.snap, fk.RefTable)
			if err != nil {
				return err
			}
			if err := x.lockTableForDDL(parent.ID, txn.Share); err != nil {
				return err
			}
		}
		desc.ForeignKeys = append(desc.ForeignKeys, fk)
	}
	return nil
}

// createTableDesc gives desc an oid and stores it in the catalog, for the
// rest of the transaction's statements to see.
func createTableDesc(x *execCtx, desc *catalog.TableDesc) error {
	e := x.s.e
	var err error
	if desc.Owner, err = x.newOwner(); err != nil {
		return err
	}
	if err := x.initialACL(desc); err != nil {
		return err
	}
	if desc.ID, err = e.tm.NextOID(); err != nil {
		return err
	}
	if desc.View == "" {
		// No version of the new id exists: a VACUUM of the table need
		// not read what was only inserted into it since.
		e.heap.NewStorage(desc.ID)
	}
	if err := e.cat.Create(x.op(), desc); err != nil {
		return err
	}
	if desc.Temp() {
		x.s.noteTempCreated(desc)
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	x.s.markFresh(desc.ID)
	return nil
}

func (b *binder) bindCreateTable(s *ast.CreateTableStmt) (_ boundStmt, err error) {
	var spec *inheritSpec
	defer func() {
		// The notices of merging inherited columns precede an error,
		// as PostgreSQL sends them as it merges.
		if err != nil && spec != nil && len(spec.notices) > 0 {
			err = &noticedError{err: err, notices: spec.notices}
		}
	}()
	if len(s.Columns) > types.ColumnsMax {
		return nil, pgerr.New(pgerr.TooManyColumns, "tables can have at most %d columns", types.ColumnsMax)
	}
	_, bare := catalog.SplitName(s.Table.Name)
	desc := &catalog.TableDesc{Name: bare, Unlogged: s.Table.Unlogged && !s.Table.Temp}
	if err := createTableOptions(desc, s.Options, s.PartitionBy != nil); err != nil {
		return nil, err
	}
	if s.PartitionBy != nil && len(s.Inherits) > 0 {
		return nil, pgerr.New(pgerr.InvalidObjectDefinition, "cannot create partitioned table as inheritance child")
	}
	if len(s.Inherits) > 0 || s.PartitionOf != nil {
		if spec, err = b.bindParents(s, desc); err != nil {
			return nil, err
		}
		for _, p := range spec.parents {
			desc.Inherits = append(desc.Inherits, p.Key())
		}
	}
	like := &likeParts{}
	optioned := make(map[string]bool)
	if s.OfType != nil {
		typ, err := b.ofType(*s.OfType)
		if err != nil {
			return nil, err
		}
		if err := b.checkTypeUsage(types.T{}, typ); err != nil {
			return nil, err
		}
		typedColumns(desc, typ)
	}
	for at, c := range s.Columns {
		if err := b.likeColumns(s, desc, at, like, spec); err != nil {
			return nil, err
		}
		if s.OfType != nil && c.Type.Name == "" {
			if err := b.typedColumnOptions(desc, c, optioned); err != nil {
				return nil, err
			}
			continue
		}
		if c.Type.Name == "" {
			// A partition's column options: the column is the parent's.
			if i := desc.ColumnIndex(c.Name); spec == nil || i < 0 || i >= spec.inherited {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", c.Name)
			}
			if optioned[c.Name] {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", c.Name)
			}
			optioned[c.Name] = true
		}
		if i := desc.ColumnIndex(c.Name); spec != nil && i >= 0 && i < spec.inherited {
			if err := b.mergeColumn(spec, desc, i, c); err != nil {
				return nil, err
			}
			continue
		}
		if desc.ColumnIndex(c.Name) >= 0 {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", c.Name).WithPosition(c.Pos)
		}
		if c.Type.Name == "unknown" && !c.Type.Array {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" has pseudo-type unknown", c.Name)
		}
		t, dom, err := b.resolveColumnType(c.Type)
		if err != nil {
			return nil, err
		}
		if err := b.checkTypeUsage(t, dom); err != nil {
			return nil, err
		}
		if types.IsPolymorphic(t.ID) {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" has pseudo-type %s", c.Name, t.Name())
		}
		col := catalog.ColumnDesc{Name: c.Name, Type: t, NotNull: c.NotNull || c.PrimaryKey, Default: c.DefaultSQL, Generated: c.GeneratedSQL}
		if dom != nil {
			col.Domain = dom.ID
		}
		if c.Identity != "" && !t.IsInteger() {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
		}
		if c.Default != nil {
			if err := checkDefault(c.Default); err != nil {
				return nil, err
			}
			e, err := b.bindExpr(c.Default, nil)
			if err != nil {
				return nil, err
			}
			if _, err := b.assign(e, t, c.Name, c.Default.Position()); err != nil {
				return nil, err
			}
			if isNullConst(e) {
				// As PostgreSQL, a NULL default is no default.
				col.Default = ""
			}
		}
		if c.PrimaryKey {
			if len(desc.PK) > 0 || s.PrimaryKey != nil {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", s.Table.Name).WithPosition(c.Pos)
			}
			desc.PK, desc.PKName = []int{len(desc.Columns)}, c.PKName
		}
		desc.Columns = append(desc.Columns, col)
	}
	if err := b.likeColumns(s, desc, len(s.Columns), like, spec); err != nil {
		return nil, err
	}
	if err := spec.checkDefaults(desc); err != nil {
		return nil, err
	}
	if len(desc.Columns) > types.ColumnsMax {
		return nil, pgerr.New(pgerr.TooManyColumns, "tables can have at most %d columns", types.ColumnsMax)
	}
	for _, c := range desc.Columns {
		if err := systemColumnName(c.Name); err != nil {
			return nil, err
		}
	}
	for _, name := range s.PrimaryKey {
		i := desc.ColumnIndex(name)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" named in key does not exist", name).WithPosition(s.PKPos)
		}
		for _, k := range desc.PK {
			if k == i {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" appears twice in primary key constraint", name).WithPosition(s.PKPos)
			}
		}
		desc.PK = append(desc.PK, i)
		desc.Columns[i].NotNull = true
	}
	if s.PrimaryKey != nil {
		desc.PKName = s.PKName
	}
	if err := applyLikePK(s, desc, like); err != nil {
		return nil, err
	}
	for _, c := range s.Columns {
		if c.Generated != nil {
			if _, err := b.bindGenerationExpr(desc, desc.ColumnIndex(c.Name), c.Generated); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range s.Checks {
		if _, err := b.bindCheckExpr(c.Expr, desc); err != nil {
			return nil, err
		}
	}
	for i := range s.ForeignKeys {
		if _, err := b.foreignKeyDesc(desc, &s.ForeignKeys[i], nil, nil); err != nil && pgerr.Code(err) != pgerr.DuplicateObject {
			return nil, err
		}
	}
	if s.PartitionBy != nil {
		if err := b.checkPartitionExprs(s.PartitionBy, desc); err != nil {
			return nil, err
		}
		if err := b.bindPartitionKey(s, desc); err != nil {
			return nil, err
		}
	}
	return &createTablePlan{stmt: s, desc: desc, like: like, inherit: spec}, nil
}

type dropTablePlan struct{ stmt *ast.DropTableStmt }

func (p *dropTablePlan) columns() []Column { return nil }

func (p *dropTablePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	e := x.s.e
	if p.stmt.Concurrently && x.s.inBlock() {
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "DROP INDEX CONCURRENTLY cannot run inside a transaction block")
	}
	res := &Result{Tag: p.stmt.Tag()}
	want := "table"
	switch {
	case p.stmt.View:
		want = "view"
	case p.stmt.Index:
		want = "index"
	case p.stmt.Sequence:
		want = "sequence"
	}
	dropping := make(map[string]bool)
	for _, r := range p.stmt.Tables {
		if d, _, err := x.s.lookupRel(x.snap, r.Name); err == nil && d != nil {
			dropping[d.Key()] = true
		}
	}
	var indexes []droppedIndex
	for _, ref := range p.stmt.Tables {
		desc, id, err := x.s.lookupRel(x.snap, ref.Name)
		if err != nil {
			if pgerr.Code(err) == pgerr.InvalidSchemaName && p.stmt.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: "00000", Message: pgerr.Find(err).Message + ", skipping"})
				continue
			}
			return nil, err
		}
		if desc == nil && p.stmt.Index {
			if err := primaryKeyIndex(x, ref.Name); err != nil {
				return nil, err
			}
		}
		if desc == nil {
			if p.stmt.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: "00000", Message: want + " \"" + catalog.DisplayName(ref.Name) + "\" does not exist, skipping"})
				continue
			}
			code := pgerr.UndefinedTable
			if p.stmt.Index {
				code = pgerr.UndefinedObject
			}
			return nil, pgerr.New(code, "%s \"%s\" does not exist", want, catalog.DisplayName(ref.Name))
		}
		if desc.Kind() != want {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not %s", ref.Name, article(want)).
				WithHint("Use DROP " + strings.ToUpper(desc.Kind()) + " to remove " + article(desc.Kind()) + ".")
		}
		if p.stmt.Index {
			if err := constraintIndex(x, desc); err != nil {
				return nil, err
			}
			notices, err := dropIndexReferences(x, desc, p.stmt.Cascade)
			if err != nil {
				return nil, err
			}
			res.Notices = append(res.Notices, notices...)
			indexes = append(indexes, droppedIndex{desc, id})
		} else {
			if desc.Kind() == "table" {
				if err := x.lockTable(desc.ID, txn.AccessExclusive); err != nil {
					return nil, err
				}
				lines, notices, err := dropInheritance(x, desc, p.stmt, dropping)
				if err != nil {
					return nil, err
				}
				if len(lines) > 0 {
					res.Notices = append(res.Notices, cascadeNotice(lines))
				}
				res.Notices = append(res.Notices, notices...)
				if desc, id, err = e.cat.Lookup(x.snap, desc.Key()); err != nil {
					return nil, err
				}
			}
			notices, err := dropDependents(x, desc, p.stmt, dropping)
			if err != nil {
				return nil, err
			}
			res.Notices = append(res.Notices, notices...)
			if lines, err := dropRowTypeUses(x, ec, desc, p.stmt.Cascade, dropping); err != nil {
				return nil, err
			} else if len(lines) > 0 {
				res.Notices = append(res.Notices, cascadeNotice(lines))
			}
			if desc.Sequence != nil {
				notices, err := dropSequenceDependents(x, desc, p.stmt, dropping)
				if err != nil {
					return nil, err
				}
				res.Notices = append(res.Notices, notices...)
			}
			if desc.Kind() == "table" {
				if err := dropOwnedSequences(x, desc); err != nil {
					return nil, err
				}
			}
			if err := dropTableIndexes(x, desc); err != nil {
				return nil, err
			}
			if err := e.cat.Drop(x.op(), id); err != nil {
				return nil, err
			}
			// The tables named after this one see it gone: a child
			// dropped next must not write its parent back.
			nextCommand(x)
			if desc.Kind() == "table" {
				if err := x.dropConstraintTriggersFrom(desc.ID); err != nil {
					return nil, err
				}
			}
			if err := dropStatistics(x, desc.ID, ""); err != nil {
				return nil, err
			}
			if desc.Sequence != nil {
				x.s.droppedSeqs = append(x.s.droppedSeqs, desc.ID)
			}
		}
		e.catalogChanged()
		x.s.wroteCatalog = true
	}
	if err := dropIndexes(x, indexes); err != nil {
		return nil, err
	}
	return res, nil
}

// article prefixes a relation kind with "a" or "an".
func article(kind string) string {
	if strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an " + kind
	}
	return "a " + kind
}

// createUnique makes a UNIQUE constraint's index, as a later command of the
// statement so that it sees the table just created.
func (p *createTablePlan) createUnique(x *execCtx, u ast.UniqueConstraint) error {
	stmt := uniqueConstraintIndex(p.desc.Name, p.stmt.Table, u)
	later := *x
	later.snap.CID = x.s.cid
	x.s.cid++
	_, err := (&createIndexPlan{stmt: stmt}).execute(&later, nil)
	return err
}

// constraintIndex refuses to drop the index of a UNIQUE constraint on its
// own, as PostgreSQL does.
func constraintIndex(x *execCtx, index *catalog.TableDesc) error {
	table, _, err := x.s.e.cat.Lookup(x.snap, index.IndexOf)
	if err != nil || table == nil {
		return err
	}
	for _, idx := range table.Indexes {
		if idx.Name == index.Name && idx.Constraint {
			return pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop index %s because constraint %s on table %s requires it", idx.Name, idx.Name, table.Name).
				WithHint("You can drop constraint " + idx.Name + " on table " + table.Name + " instead.")
		}
	}
	return nil
}

// primaryKeyIndex refuses DROP INDEX of a primary key's index, which
// cairn keeps as the table's storage key rather than as a catalog entry
// of its own: name is the index as DROP INDEX wrote it.
func primaryKeyIndex(x *execCtx, name string) error {
	schema, bare := catalog.SplitName(name)
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.PKName != bare || len(t.PK) == 0 || t.IndexOf != "" {
			continue
		}
		if schema != "" && t.SchemaName() != schema {
			continue
		}
		if schema == "" {
			// A bare name means the table the search path finds.
			if d, _, err := x.s.lookupRel(x.snap, t.Name); err != nil || d == nil || d.ID != t.ID {
				continue
			}
		}
		return pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop index %s because constraint %s on table %s requires it", bare, bare, t.Name).
			WithHint("You can drop constraint " + bare + " on table " + t.Name + " instead.")
	}
	return nil
}

// checkDefault refuses what PostgreSQL refuses in a column's DEFAULT
// expression before binding it: column references (found first, as
// PostgreSQL meets an aggregate's arguments before the aggregate),
// subqueries and aggregates.
func checkDefault(d ast.Expr) error {
	var bad error
	ast.WalkExpr(d, func(x ast.Expr) bool {
		switch x.(type) {
		case *ast.ColumnRef:
			bad = pgerr.New(pgerr.FeatureNotSupported, "cannot use column reference in DEFAULT expression").WithPosition(x.Position())
		case *ast.SubqueryExpr:
			bad = pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in DEFAULT expression").WithPosition(x.Position())
		}
		return bad == nil
	})
	if bad != nil {
		return bad
	}
	if containsAggregate(d) {
		return pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in DEFAULT expressions").WithPosition(d.Position())
	}
	return nil
}

// dropDependents refuses to drop desc while views depend on it, or, with
// CASCADE, drops those views and returns PostgreSQL's notice.
func dropDependents(x *execCtx, desc *catalog.TableDesc, stmt *ast.DropTableStmt, dropping map[string]bool) ([]Notice, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	deps := catalog.Dependents(all, desc, dropping, x.s.e.parseStored)
	fks := fkDependents(all, desc, dropping)
	pols := policyDropDependents(all, desc, deps, dropping, x.s.e.parseStored)
	rels := []*catalog.TableDesc{desc}
	for _, d := range deps {
		rels = append(rels, d.View)
	}
	routines, routineOn, err := routinesNaming(x, rels) // routine_deps.go
	if err != nil {
		return nil, err
	}
	if len(deps) == 0 && len(fks) == 0 && len(pols) == 0 && len(routines) == 0 {
		return nil, nil
	}
	if !stmt.Cascade {
		var lines []string
		for _, d := range deps {
			lines = append(lines, "view "+d.View.Name+" depends on "+d.On.Kind()+" "+d.On.Name)
		}
		for _, t := range all {
			for _, name := range fks[t] {
				lines = append(lines, "constraint "+name+" on table "+t.Name+" depends on table "+desc.Name)
			}
		}
		for _, p := range pols {
			lines = append(lines, "policy "+p.Policy+" on table "+p.Table.Name+" depends on "+p.On.Kind()+" "+p.On.Name)
		}
		for i, f := range routines {
			lines = append(lines, routineDependLine(f, routineOn[i]))
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop %s %s because other objects depend on it", desc.Kind(), desc.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	lines, err := dropReferencingFKs(x, fks)
	if err != nil {
		return nil, err
	}
	for i := range lines {
		lines[i] = "drop cascades to " + lines[i]
	}
	for _, d := range deps {
		_, id, err := x.s.e.cat.Lookup(x.snap, d.View.Key())
		if err != nil {
			return nil, err
		}
		if err := x.s.e.cat.Drop(x.op(), id); err != nil {
			return nil, err
		}
		lines = append(lines, "drop cascades to view "+d.View.Name)
	}
	dropped, err := dropDependentPolicies(x, pols)
	if err != nil {
		return nil, err
	}
	lines = append(lines, dropped...)
	droppedRoutines, err := dropRoutines(x, routines)
	if err != nil {
		return nil, err
	}
	lines = append(lines, droppedRoutines...)
	if len(lines) == 1 {
		return []Notice{{Severity: "NOTICE", Code: "00000", Message: lines[0]}}, nil
	}
	return []Notice{{Severity: "NOTICE", Code: "00000", Message: "drop cascades to " + itoa(len(lines)) + " other objects",
		Detail: strings.Join(lines, "\n")}}, nil
}
