package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// CREATE TABLE ... INHERITS, PARTITION BY and PARTITION OF.
//
// A child starts with its parents' columns, in parent order, a column
// several parents have merged into one (its types must agree, 42804, and
// PostgreSQL's notice says so); the child's own columns follow, a column
// that repeats an inherited one merging into it. The child inherits NOT
// NULL, defaults and CHECK constraints; primary keys, unique constraints
// and foreign keys stay with the parent, except that a partition gets
// its partitioned table's primary key and unique constraints as its own
// (which, holding the partition key, enforce them across partitions).

// inheritSpec is what binding CREATE TABLE found of its parents.
type inheritSpec struct {
	parents []*catalog.TableDesc
	// inherited counts the leading columns that came from the parents.
	inherited int
	notices   []Notice
	// unique are the partitioned parent's unique constraints a new
	// partition gets.
	unique []ast.UniqueConstraint
	// conflicting are the columns two parents give different defaults
	// and the new table gives none of its own.
	conflicting map[string]bool
}

// checkDefaults refuses a column whose parents give it different
// defaults when the new table declares none of its own, as PostgreSQL
// does (42611).
func (spec *inheritSpec) checkDefaults(desc *catalog.TableDesc) error {
	if spec == nil {
		return nil
	}
	for _, c := range desc.Columns {
		if spec.conflicting[c.Name] {
			return pgerr.New(pgerr.InvalidColumnDefinition, "column \"%s\" inherits conflicting default values", c.Name).
				WithHint("To resolve the conflict, specify a default explicitly.")
		}
	}
	return nil
}

// bindParents looks up CREATE TABLE's parents and gives desc their
// columns and CHECK constraints.
func (b *binder) bindParents(s *ast.CreateTableStmt, desc *catalog.TableDesc) (*inheritSpec, error) {
	spec := &inheritSpec{}
	refs := s.Inherits
	if s.PartitionOf != nil {
		refs = []ast.TableRef{*s.PartitionOf}
	}
	for _, ref := range refs {
		ref.Pos = 0 // PostgreSQL points at no parent in its errors
		p, err := b.lookupTable(ref)
		if err != nil {
			return nil, err
		}
		switch {
		case p.Kind() != "table":
			return nil, pgerr.New(pgerr.WrongObjectType, "inherited relation \"%s\" is not a table or foreign table", ref.Name).WithPosition(ref.Pos)
		case s.PartitionOf == nil && p.IsPartitioned():
			return nil, pgerr.New(pgerr.WrongObjectType, "cannot inherit from partitioned table \"%s\"", ref.Name).WithPosition(ref.Pos)
		case s.PartitionOf == nil && p.IsPartition():
			return nil, pgerr.New(pgerr.WrongObjectType, "cannot inherit from partition \"%s\"", ref.Name).WithPosition(ref.Pos)
		case s.PartitionOf != nil && !p.IsPartitioned():
			return nil, pgerr.New(pgerr.InvalidObjectDefinition, "\"%s\" is not partitioned", ref.Name)
		}
		if err := checkParentPersistence(s, p); err != nil {
			return nil, err
		}
		for _, q := range spec.parents {
			if q.Name == p.Name {
				return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" would be inherited from more than once", p.Name)
			}
		}
		spec.parents = append(spec.parents, p)
		for _, c := range p.Columns {
			if i := desc.ColumnIndex(c.Name); i >= 0 {
				have := &desc.Columns[i]
				spec.notices = append(spec.notices, Notice{Severity: "NOTICE", Code: "00000", Message: "merging multiple inherited definitions of column \"" + c.Name + "\""})
				if !sameType(have.Type, c.Type) {
					// spec goes back with the error for its notices.
					return spec, pgerr.New(pgerr.DatatypeMismatch, "inherited column \"%s\" has a type conflict", c.Name).
						WithDetail(typeDisplay(have.Type) + " versus " + typeDisplay(c.Type))
				}
				have.NotNull = have.NotNull || c.NotNull
				have.InhCount++
				if have.Default == "" {
					have.Default = c.Default
				} else if c.Default != "" && c.Default != have.Default {
					if spec.conflicting == nil {
						spec.conflicting = make(map[string]bool)
					}
					spec.conflicting[c.Name] = true
				}
				continue
			}
			desc.Columns = append(desc.Columns, catalog.ColumnDesc{Name: c.Name, Type: c.Type, NotNull: c.NotNull, Default: c.Default,
				Generated: c.Generated, InhCount: 1, NotLocal: true})
		}
		for _, ck := range p.Checks {
			if ck.NoInherit {
				continue
			}
			if i := slices.IndexFunc(desc.Checks, func(d catalog.CheckDesc) bool { return d.Name == ck.Name }); i >= 0 {
				desc.Checks[i].InhCount++
				continue
			}
			desc.Checks = append(desc.Checks, catalog.CheckDesc{Name: ck.Name, Expr: ck.Expr, InhCount: 1, NotLocal: true})
		}
	}
	spec.inherited = len(desc.Columns)
	if s.PartitionOf != nil {
		p := spec.parents[0]
		for _, c := range p.PK {
			desc.PK = append(desc.PK, c)
		}
		for _, ix := range p.Indexes {
			if !ix.Constraint {
				continue
			}
			u := ast.UniqueConstraint{NullsNotDistinct: ix.NullsNotDistinct, Deferrable: ix.Deferrable, Deferred: ix.Deferred,
				Exclusion: ix.Exclusion, Method: ix.Method}
			for _, c := range ix.Columns {
				u.Columns = append(u.Columns, p.Columns[c].Name)
			}
			spec.unique = append(spec.unique, u)
		}
	}
	return spec, nil
}

// typeDisplay names a type as PostgreSQL's format_type does in messages.
func typeDisplay(t types.T) string { return types.Format(t) }

// mergeColumn merges the CREATE TABLE column c into the inherited column
// i of desc.
func (b *binder) mergeColumn(spec *inheritSpec, desc *catalog.TableDesc, i int, c ast.ColumnDef) error {
	have := &desc.Columns[i]
	t := have.Type
	if c.Type.Name != "" { // a partition's column options have none
		var err error
		if t, err = resolveColumnType(c.Type); err != nil {
			return err
		}
		spec.notices = append(spec.notices, Notice{Severity: "NOTICE", Code: "00000", Message: "merging column \"" + c.Name + "\" with inherited definition"})
	}
	if t != have.Type {
		return pgerr.New(pgerr.DatatypeMismatch, "column \"%s\" has a type conflict", c.Name).
			WithDetail(typeDisplay(have.Type) + " versus " + typeDisplay(t))
	}
	// A partition's column options leave the column inherited, as
	// PostgreSQL keeps attislocal false for a partition's columns.
	have.NotLocal = c.Type.Name == "" && have.NotLocal
	have.NotNull = have.NotNull || c.NotNull || c.PrimaryKey
	if c.DefaultSQL != "" {
		have.Default = c.DefaultSQL
		delete(spec.conflicting, c.Name) // the child's own resolves it
	}
	if c.PrimaryKey {
		if len(desc.PK) > 0 {
			return pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", desc.Name).WithPosition(c.Pos)
		}
		desc.PK = []int{i}
	}
	return nil
}

// bindPartitionKey checks PARTITION BY and the keys a partitioned table
// may have, and sets desc's key.
func (b *binder) bindPartitionKey(s *ast.CreateTableStmt, desc *catalog.TableDesc) error {
	spec := s.PartitionBy
	key := &catalog.PartitionKey{Strategy: map[string]string{"range": "r", "list": "l", "hash": "h"}[spec.Strategy]}
	if spec.Strategy == "list" && len(spec.Columns) > 1 {
		return pgerr.New(pgerr.InvalidObjectDefinition, "cannot use \"list\" partition strategy with more than one column")
	}
	for j, name := range spec.Columns {
		if j < len(spec.Exprs) && spec.Exprs[j] != "" {
			if err := b.bindPartitionKeyExpr(key, desc, spec.Exprs[j], j, spec.ColumnPos[j]); err != nil {
				return err
			}
			continue
		}
		i := desc.ColumnIndex(name)
		if i < 0 && systemColumns[name] {
			return pgerr.New(pgerr.InvalidObjectDefinition, "cannot use system column \"%s\" in partition key", name).WithPosition(spec.ColumnPos[j])
		}
		if i < 0 {
			return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" named in partition key does not exist", name).WithPosition(spec.ColumnPos[j])
		}
		if desc.Columns[i].Generated != "" {
			return pgerr.New(pgerr.InvalidObjectDefinition, "cannot use generated column in partition key").WithPosition(spec.Pos)
		}
		if coll := spec.KeyCollation(j); coll != "" {
			if !desc.Columns[i].Type.IsString() {
				return pgerr.New(pgerr.DatatypeMismatch, "collations are not supported by type %s", types.Format(desc.Columns[i].Type))
			}
			for len(key.Collations) < j {
				key.Collations = append(key.Collations, "")
			}
			key.Collations = append(key.Collations, coll)
		}
		if oc := spec.KeyOpclass(j); oc != "" {
			class, err := partitionOpclass(oc, desc.Columns[i].Type, spec.Strategy)
			if err != nil {
				return err
			}
			if class != "" {
				for len(key.Opclasses) < j {
					key.Opclasses = append(key.Opclasses, "")
				}
				key.Opclasses = append(key.Opclasses, class)
			}
		}
		key.Columns = append(key.Columns, i)
	}
	lacks := func(kind string, cols []int) error {
		if key.HasExprs() {
			return pgerr.New(pgerr.FeatureNotSupported, "unsupported %s constraint with partition key definition", kind).
				WithDetail(kind + " constraints cannot be used when partition keys include expressions.")
		}
		for _, k := range key.Columns {
			if !slices.Contains(cols, k) {
				return pgerr.New(pgerr.FeatureNotSupported, "unique constraint on partitioned table must include all partitioning columns").
					WithDetail(kind + " constraint on table \"" + desc.Name + "\" lacks column \"" + desc.Columns[k].Name + "\" which is part of the partition key.")
			}
		}
		return nil
	}
	if len(desc.PK) > 0 {
		if err := lacks("PRIMARY KEY", desc.PK); err != nil {
			return err
		}
	}
	for _, u := range s.Unique {
		var cols []int
		for _, n := range u.Columns {
			cols = append(cols, desc.ColumnIndex(n))
		}
		if err := lacks("UNIQUE", cols); err != nil {
			return err
		}
	}
	desc.PartKey = key
	return nil
}

// linkParents records the new table desc among its parents' children,
// under ACCESS EXCLUSIVE locks on them.
func linkParents(x *execCtx, desc *catalog.TableDesc) error {
	for _, name := range desc.Inherits {
		if err := addChild(x, name, desc.Key()); err != nil {
			return err
		}
	}
	return nil
}

// addChild adds child to the children of table parent.
func addChild(x *execCtx, parent, child string) error {
	p, _, err := x.s.e.cat.Lookup(x.snap, parent)
	if err != nil {
		return err
	}
	if p == nil {
		return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", parent)
	}
	if err := x.lockTableForDDL(p.ID, txn.AccessExclusive); err != nil {
		return err
	}
	p, id, err := x.s.e.cat.Lookup(x.snap, parent)
	if err != nil {
		return err
	}
	updated := *p
	updated.Children = append(slices.Clone(p.Children), child)
	if err := replaceTableDesc(x, id, &updated); err != nil {
		return err
	}
	nextCommand(x)
	return nil
}

// nextCommand starts a new command within the statement, so that what
// follows sees the catalog entries the statement wrote so far.
func nextCommand(x *execCtx) {
	x.snap.CID = x.s.cid
	x.s.cid++
}

// removeChild removes child from the children of table parent.
func removeChild(x *execCtx, parent, child string) error {
	p, id, err := x.s.e.cat.Lookup(x.snap, parent)
	if err != nil || p == nil {
		return err
	}
	updated := *p
	updated.Children = slices.DeleteFunc(slices.Clone(p.Children), func(n string) bool { return n == child })
	if err := replaceTableDesc(x, id, &updated); err != nil {
		return err
	}
	nextCommand(x)
	return nil
}

// placePartition evaluates a new partition's bound against its
// partitioned table, refuses one that overlaps another partition's, and
// checks that the default partition holds no row the new one would
// admit.
func placePartition(x *execCtx, parent *catalog.TableDesc, name string, ab *ast.PartitionBound) (*catalog.PartitionBound, error) {
	bound, err := bindBound(x, parent, name, ab)
	if err != nil {
		return nil, err
	}
	if err := checkOverlap(x, parent, name, bound, ab); err != nil {
		return nil, err
	}
	if bound.Default {
		return bound, nil
	}
	keyTypes := parent.KeyTypes()
	db, err := decodeBound(bound, keyTypes)
	if err != nil {
		return nil, err
	}
	for _, cn := range parent.Children {
		d, _, err := x.s.e.cat.Lookup(x.snap, cn)
		if err != nil {
			return nil, err
		}
		if d == nil || d.PartBound == nil || !d.PartBound.Default || cn == name {
			continue
		}
		var leaves []*catalog.TableDesc
		if err := collectLeaves(x, d, &leaves, 0); err != nil {
			return nil, err
		}
		for _, leaf := range leaves {
			cols := make([]int, len(parent.PartKey.Columns))
			for i, c := range parent.PartKey.Columns {
				cols[i] = -1
				if c >= 0 {
					cols[i] = leaf.ColumnIndex(parent.Columns[c].Name)
				}
			}
			exprs, err := (&binder{s: x.s, snap: x.snap}).partKeyExprs(leaf, parent)
			if err != nil {
				return nil, err
			}
			err = storedRows(x, leaf, func(row []types.Datum) error {
				key, err := partKeyOf(cols, exprs, row)
				if err != nil {
					return err
				}
				if db.admits(parent.PartKey.Strategy, keyTypes, key) {
					return pgerr.New(pgerr.CheckViolation, "updated partition constraint for default partition \"%s\" would be violated by some row", d.Name)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return bound, nil
}

// collectLeaves appends the tables holding the rows of t: t itself, or
// for a partitioned table its leaf partitions.
func collectLeaves(x *execCtx, t *catalog.TableDesc, out *[]*catalog.TableDesc, depth int) error {
	if depth > inheritDepthMax {
		return pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", t.Name)
	}
	if !t.IsPartitioned() {
		*out = append(*out, t)
		return nil
	}
	for _, cn := range t.Children {
		c, _, err := x.s.e.cat.Lookup(x.snap, cn)
		if err != nil {
			return err
		}
		if c != nil {
			if err := collectLeaves(x, c, out, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropInheritance handles a dropped table's place in a hierarchy: its
// partitions go with it; its inheritance children block the drop (2BP01)
// unless CASCADE, which drops them too; its parents forget it. It
// returns the CASCADE notice lines.
func dropInheritance(x *execCtx, desc *catalog.TableDesc, stmt *ast.DropTableStmt, dropping map[string]bool) ([]string, []Notice, error) {
	// deps are the inheritance descendants, depth first, each with the
	// parent it depends on, as PostgreSQL lists them.
	var deps [][2]string
	var walk func(t *catalog.TableDesc, depth int) error
	walk = func(t *catalog.TableDesc, depth int) error {
		if depth > inheritDepthMax {
			return pgerr.New(pgerr.ProgramLimitExceeded, "inheritance hierarchy of \"%s\" is too deep", desc.Name)
		}
		for _, cn := range t.Children {
			c, _, err := x.s.e.cat.Lookup(x.snap, cn)
			if err != nil {
				return err
			}
			if c == nil || c.IsPartition() && t.IsPartitioned() || dropping[cn] {
				continue
			}
			deps = append(deps, [2]string{cn, t.Name})
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(desc, 0); err != nil {
		return nil, nil, err
	}
	if len(deps) > 0 && !stmt.Cascade {
		detail := ""
		for i, d := range deps {
			if i > 0 {
				detail += "\n"
			}
			detail += "table " + d[0] + " depends on table " + d[1]
		}
		return nil, nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop table %s because other objects depend on it", desc.Name).
			WithDetail(detail).WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	var lines []string
	for _, d := range deps {
		lines = append(lines, "table "+d[0])
	}
	// The children go first, each dropping its own (partitions with
	// their partitioned table); their notices are this one's.
	for _, cn := range desc.Children {
		if dropping[cn] {
			continue
		}
		sub := &dropTablePlan{stmt: &ast.DropTableStmt{Tables: []ast.TableRef{{Name: cn}}, Cascade: true, IfExists: true}}
		if _, err := sub.execute(x, nil); err != nil {
			return nil, nil, err
		}
		nextCommand(x)
	}
	for _, pn := range desc.Inherits {
		if err := removeChild(x, pn, desc.Key()); err != nil {
			return nil, nil, err
		}
	}
	return lines, nil, nil
}

func isSkipNotice(msg string) bool {
	return len(msg) > 9 && msg[len(msg)-9:] == ", skipping"
}

// cascadeNotice is PostgreSQL's notice for the objects a DROP ...
// CASCADE dropped with its target.
func cascadeNotice(lines []string) Notice {
	if len(lines) == 1 {
		return Notice{Severity: "NOTICE", Code: "00000", Message: "drop cascades to " + lines[0]}
	}
	detail := ""
	for i, l := range lines {
		if i > 0 {
			detail += "\n"
		}
		detail += "drop cascades to " + l
	}
	return Notice{Severity: "NOTICE", Code: "00000", Message: "drop cascades to " + itoa(len(lines)) + " other objects", Detail: detail}
}

// systemColumns are PostgreSQL's system column names, which no partition
// key may use.
var systemColumns = map[string]bool{"tableoid": true, "ctid": true, "xmin": true, "xmax": true, "cmin": true, "cmax": true}

// systemColumnName refuses a user column named as a system column, which
// every PostgreSQL table has.
func systemColumnName(name string) error {
	if systemColumns[name] {
		return pgerr.New(pgerr.DuplicateColumn, "column name \"%s\" conflicts with a system column name", name)
	}
	return nil
}

// partitionOpclass checks operator class name written on a partition key
// column of type t, as PostgreSQL does: it must be a class of the
// strategy's access method (hash for HASH, else btree) that accepts t.
// It returns the class when it is not t's default, which the key's
// definition names, else "". The classes cairn knows order and hash
// their keys as the type's default class does.
func partitionOpclass(name string, t types.T, strategy string) (string, error) {
	method := "btree"
	if strategy == "hash" {
		method = "hash"
	}
	accepts, ok := opclasses[name]
	if !ok {
		return "", pgerr.New(pgerr.UndefinedObject, "operator class \"%s\" does not exist for access method \"%s\"", name, method)
	}
	if !accepts(t) {
		return "", pgerr.New(pgerr.DatatypeMismatch, "operator class \"%s\" does not accept data type %s", name, types.Format(t))
	}
	typname := ""
	if in, ok := types.Lookup(t.ID); ok {
		typname = in.Typname
	}
	if name == typname+"_ops" || name == "text_ops" && t.ID == types.Varchar {
		return "", nil
	}
	return name, nil
}
