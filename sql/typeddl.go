package sql

import (
	"math"
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// The statements that make, change and drop enums and domains, as
// PostgreSQL 15 runs them. Types are catalog entries (catalog/typedesc.go),
// so these statements are transactional like the rest of DDL.

// bindTypeStmt binds the statements of this file: ok is false for others.
func (b *binder) bindTypeStmt(st ast.Stmt) (boundStmt, bool) {
	switch x := st.(type) {
	case *ast.CreateEnumStmt:
		return &createEnumPlan{stmt: x}, true
	case *ast.AlterEnumStmt:
		return &alterEnumPlan{stmt: x}, true
	case *ast.RenameTypeStmt:
		return &renameTypePlan{stmt: x}, true
	case *ast.DropTypeStmt:
		return &dropTypePlan{stmt: x}, true
	case *ast.CreateDomainStmt:
		return &createDomainPlan{stmt: x}, true
	case *ast.AlterDomainStmt:
		return &alterDomainPlan{stmt: x}, true
	case *ast.AlterTypeOwnerStmt:
		return &alterTypeOwnerPlan{stmt: x}, true
	case *ast.CreateCompositeStmt:
		return &createCompositePlan{stmt: x}, true
	case *ast.AlterCompositeStmt:
		return &alterCompositePlan{stmt: x}, true
	}
	return nil, false
}

// typeNameFree fails with 42710 when a type or a relation (which has a
// row type in PostgreSQL) is named name.
func typeNameFree(x *execCtx, name string) error {
	d, _, err := x.s.e.cat.LookupType(x.snap, name)
	if err != nil {
		return err
	}
	if d != nil {
		return pgerr.New(pgerr.DuplicateObject, "type \"%s\" already exists", name)
	}
	rel, _, err := x.s.e.cat.Lookup(x.snap, name)
	if err != nil {
		return err
	}
	if rel != nil && rel.IndexOf == "" {
		return pgerr.New(pgerr.DuplicateObject, "type \"%s\" already exists", name)
	}
	return nil
}

// nextCommand makes what the statement wrote so far visible to what it
// does next (PostgreSQL's CommandCounterIncrement), as a DDL statement
// that drops several columns of one table needs.
func (x *execCtx) nextCommand() {
	x.s.cid++
	x.snap.CID = x.s.cid
}

// relationNameFree fails with 42710 when a user type is named name, which
// a new relation's row type would take in PostgreSQL.
func relationNameFree(x *execCtx, name string) error {
	d, _, err := x.s.e.cat.LookupType(x.snap, name)
	if err != nil {
		return err
	}
	if d != nil && d.IsComposite() {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", name)
	}
	if d != nil {
		return pgerr.New(pgerr.DuplicateObject, "type \"%s\" already exists", name).
			WithHint("A relation has an associated type of the same name, so you must use a name that doesn't conflict with any existing type.")
	}
	return nil
}

// createTypeDesc gives desc an oid and stores it.
func createTypeDesc(x *execCtx, desc *catalog.TableDesc) error {
	e := x.s.e
	var err error
	if desc.ID, err = e.tm.NextOID(); err != nil {
		return err
	}
	if err := e.cat.CreateType(x.op(), desc); err != nil {
		return err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	return nil
}

// replaceTypeDesc stores updated in place of the type version old.
func replaceTypeDesc(x *execCtx, old []byte, updated *catalog.TableDesc) error {
	e := x.s.e
	if err := e.cat.Drop(x.op(), old); err != nil {
		return err
	}
	if err := e.cat.CreateType(x.op(), updated); err != nil {
		return err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	return nil
}

// lookupUserType returns the type named name, failing with 42704 when
// there is none and 42809 when it is not of kind ("e" or "d"; "" for
// either).
func lookupUserType(x *execCtx, name, kind string) (*catalog.TableDesc, []byte, error) {
	d, id, err := x.s.e.cat.LookupType(x.snap, name)
	if err != nil {
		return nil, nil, err
	}
	if d == nil {
		return nil, nil, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", name)
	}
	switch {
	case kind == catalog.TypeEnum && !d.IsEnum():
		return nil, nil, pgerr.New(pgerr.WrongObjectType, "%s is not an enum", name)
	case kind == catalog.TypeDomain && !d.IsDomain():
		return nil, nil, pgerr.New(pgerr.WrongObjectType, "%s is not a domain", name)
	}
	return d, id, nil
}

// cloneType copies d deep enough to change its type description.
func cloneType(d *catalog.TableDesc) *catalog.TableDesc {
	out := *d
	td := *d.Type
	td.Labels = append([]catalog.EnumLabel(nil), td.Labels...)
	td.Checks = append([]catalog.CheckDesc(nil), td.Checks...)
	out.Type = &td
	return &out
}

// checkEnumLabel refuses a label PostgreSQL refuses.
func checkEnumLabel(l string) error {
	if len(l) == 0 || len(l) > types.EnumLabelBytesMax {
		return pgerr.New(pgerr.InvalidName, "invalid enum label \"%s\"", l).
			WithDetail("Labels must be 63 bytes or less.")
	}
	return nil
}

type createEnumPlan struct{ stmt *ast.CreateEnumStmt }

func (p *createEnumPlan) columns() []Column { return nil }

func (p *createEnumPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	if err := typeNameFree(x, s.Name); err != nil {
		return nil, err
	}
	desc := &catalog.TableDesc{Name: s.Name, Type: &catalog.TypeDesc{Kind: catalog.TypeEnum, Labels: []catalog.EnumLabel{}}}
	seen := make(map[string]bool)
	for i, l := range s.Labels {
		if err := checkEnumLabel(l); err != nil {
			return nil, err
		}
		if seen[l] {
			return nil, pgerr.New(pgerr.UniqueViolation, "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"")
		}
		seen[l] = true
		oid, err := x.s.e.tm.NextOID()
		if err != nil {
			return nil, err
		}
		desc.Type.Labels = append(desc.Type.Labels, catalog.EnumLabel{OID: oid, Label: l, Order: float64(i + 1)})
	}
	if err := createTypeDesc(x, desc); err != nil {
		return nil, err
	}
	return &Result{Tag: "CREATE TYPE"}, nil
}

type alterEnumPlan struct{ stmt *ast.AlterEnumStmt }

func (p *alterEnumPlan) columns() []Column { return nil }

func (p *alterEnumPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	d, id, err := lookupUserType(x, s.Name, catalog.TypeEnum)
	if err != nil {
		return nil, err
	}
	res := &Result{Tag: "ALTER TYPE"}
	labels := d.Type.Labels
	find := func(l string) int {
		for i := range labels {
			if labels[i].Label == l {
				return i
			}
		}
		return -1
	}
	updated := cloneType(d)
	if s.Rename {
		i := find(s.OldLabel)
		if i < 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "\"%s\" is not an existing enum label", s.OldLabel)
		}
		if find(s.NewLabel) >= 0 {
			return nil, pgerr.New(pgerr.DuplicateObject, "enum label \"%s\" already exists", s.NewLabel)
		}
		if err := checkEnumLabel(s.NewLabel); err != nil {
			return nil, err
		}
		updated.Type.Labels[i].Label = s.NewLabel
		if err := replaceTypeDesc(x, id, updated); err != nil {
			return nil, err
		}
		if err := relabelEnum(x, d, labels[i].Order, s.NewLabel); err != nil {
			return nil, err
		}
		return res, nil
	}
	if find(s.NewLabel) >= 0 {
		if s.IfNotExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.DuplicateObject,
				Message: "enum label \"" + s.NewLabel + "\" already exists, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.DuplicateObject, "enum label \"%s\" already exists", s.NewLabel)
	}
	if err := checkEnumLabel(s.NewLabel); err != nil {
		return nil, err
	}
	var order float64
	switch {
	case s.Neighbor == "" && len(labels) == 0:
		order = 1
	case s.Neighbor == "":
		order = labels[len(labels)-1].Order + 1
	default:
		i := find(s.Neighbor)
		if i < 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "\"%s\" is not an existing enum label", s.Neighbor)
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		if s.After {
			lo = labels[i].Order
			if i+1 < len(labels) {
				hi = labels[i+1].Order
			}
		} else {
			hi = labels[i].Order
			if i > 0 {
				lo = labels[i-1].Order
			}
		}
		switch {
		case math.IsInf(lo, -1):
			order = hi - 1
		case math.IsInf(hi, 1):
			order = lo + 1
		default:
			order = lo + (hi-lo)/2
		}
		if !(order > lo && order < hi) {
			// The orders are kept in the rows and keys that hold the
			// labels, so cairn does not renumber them as PostgreSQL
			// renumbers pg_enum.
			return nil, pgerr.New(pgerr.ProgramLimitExceeded, "no room to add enum label \"%s\" between its neighbours", s.NewLabel)
		}
	}
	oid, err := x.s.e.tm.NextOID()
	if err != nil {
		return nil, err
	}
	label := catalog.EnumLabel{OID: oid, Label: s.NewLabel, Order: order, XID: uint64(x.tx.XID)}
	label.PGOrder = pgEnumOrder(updated.Type.Labels, find(s.Neighbor), s.Neighbor != "", s.After)
	updated.Type.Labels = append(updated.Type.Labels, label)
	updated.Type.SortLabels()
	if err := replaceTypeDesc(x, id, updated); err != nil {
		return nil, err
	}
	return res, nil
}

// pgEnumOrder is the enumsortorder PostgreSQL's AddEnumLabel gives a new
// label (after labels[i] when after is set, before it otherwise, or last
// when placed is not set), renumbering the others' 1, 2, ... in labels
// when float4 has no room between the neighbours.
func pgEnumOrder(labels []catalog.EnumLabel, i int, placed, after bool) float32 {
	for renumbered := false; ; renumbered = true {
		switch {
		case !placed && len(labels) == 0:
			return 1
		case !placed:
			return labels[len(labels)-1].DisplayOrder() + 1
		case !after && i == 0:
			return labels[0].DisplayOrder() - 1
		case after && i == len(labels)-1:
			return labels[i].DisplayOrder() + 1
		}
		lo, hi := labels[i-1].DisplayOrder(), labels[i].DisplayOrder()
		if after {
			lo, hi = labels[i].DisplayOrder(), labels[i+1].DisplayOrder()
		}
		mid := (lo + hi) / 2
		if mid != lo && mid != hi || renumbered {
			return mid
		}
		for j := range labels {
			labels[j].PGOrder = float32(j + 1)
		}
	}
}

// typeUse is a column that holds values of a user type.
type typeUse struct {
	table  *catalog.TableDesc
	column int
}

// usesOfType returns the table columns of type d (its values or, for an
// enum, arrays of them; for a domain, the columns declared with it) and
// the domains declared over d.
func usesOfType(x *execCtx, d *catalog.TableDesc) ([]typeUse, []*catalog.TableDesc, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, nil, err
	}
	var uses []typeUse
	for _, t := range all {
		if t.View != "" || t.IndexOf != "" || t.Sequence != nil {
			continue
		}
		for i, c := range t.Columns {
			if d.IsDomain() && c.Domain == d.ID ||
				d.IsEnum() && c.Type.ID&^types.UserArrayBit == types.ID(d.ID) && c.Type.IsUser() ||
				d.IsComposite() && compositeOID(c.Type) == d.ID {
				uses = append(uses, typeUse{table: t, column: i})
			}
		}
	}
	typs, err := x.s.e.cat.Types(x.snap)
	if err != nil {
		return nil, nil, err
	}
	var domains []*catalog.TableDesc
	for _, t := range typs {
		if !t.IsDomain() || t.ID == d.ID {
			continue
		}
		if t.Type.BaseDomain == d.ID || d.IsEnum() && t.Type.Base.ID&^types.UserArrayBit == types.ID(d.ID) && t.Type.Base.IsUser() {
			domains = append(domains, t)
		}
	}
	return uses, domains, nil
}

// relabelEnum gives every stored value of enum d with sort order order the
// label label: rows keep an enum value's label beside its order, so
// renaming a label rewrites the rows that hold it (keys hold only the
// order and stay).
func relabelEnum(x *execCtx, d *catalog.TableDesc, order float64, label string) error {
	uses, _, err := usesOfType(x, d)
	if err != nil {
		return err
	}
	byTable := map[uint32][]int{}
	tables := map[uint32]*catalog.TableDesc{}
	for _, u := range uses {
		byTable[u.table.ID] = append(byTable[u.table.ID], u.column)
		tables[u.table.ID] = u.table
	}
	var relabel func(v types.Datum) types.Datum
	relabel = func(v types.Datum) types.Datum {
		switch e := v.(type) {
		case types.EnumValue:
			if e.Order == order {
				e.Label = label
			}
			return e
		case *types.Array:
			out := &types.Array{Elems: make([]types.Datum, len(e.Elems))}
			for i, el := range e.Elems {
				out.Elems[i] = relabel(el)
			}
			return out
		}
		return v
	}
	for id, cols := range byTable {
		t := tables[id]
		if err := x.lockTableForDDL(t.ID, txn.AccessExclusive); err != nil {
			return err
		}
		transform := func(row []types.Datum) ([]types.Datum, error) {
			out := append([]types.Datum(nil), row...)
			for _, c := range cols {
				if c < len(out) {
					out[c] = relabel(out[c])
				}
			}
			return out, nil
		}
		if err := rewriteTable(x, t, t, transform, false, nil); err != nil {
			return err
		}
	}
	return nil
}

type renameTypePlan struct{ stmt *ast.RenameTypeStmt }

func (p *renameTypePlan) columns() []Column { return nil }

func (p *renameTypePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	kind := ""
	if s.Domain {
		kind = catalog.TypeDomain
	}
	d, id, err := lookupUserType(x, s.Name, kind)
	if err != nil {
		return nil, err
	}
	if err := typeNameFree(x, s.NewName); err != nil {
		return nil, err
	}
	updated := cloneType(d)
	updated.Name = s.NewName
	if err := x.s.e.cat.Drop(x.op(), id); err != nil {
		return nil, err
	}
	if err := x.s.e.cat.CreateType(x.op(), updated); err != nil {
		return nil, err
	}
	x.s.e.catalogChanged()
	x.s.wroteCatalog = true
	if d.IsComposite() {
		// The columns that hold its values name it in their types.
		if err := reshapeUses(x, d, updated, nil, 0); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: s.Tag()}, nil
}

type dropTypePlan struct{ stmt *ast.DropTypeStmt }

func (p *dropTypePlan) columns() []Column { return nil }

func (p *dropTypePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	res := &Result{Tag: s.Tag()}
	var lines []string
	for _, name := range s.Names {
		d, _, err := x.s.e.cat.LookupType(x.snap, name)
		if err != nil {
			return nil, err
		}
		if d == nil {
			if s.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "type \"" + name + "\" does not exist, skipping"})
				continue
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", name)
		}
		if s.Domain && !d.IsDomain() {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a domain", name)
		}
		dropped, err := dropType(x, ec, d, s.Cascade, 0)
		if err != nil {
			return nil, err
		}
		lines = append(lines, dropped...)
	}
	switch {
	case len(lines) == 1:
		res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: lines[0]})
	case len(lines) > 1:
		res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
			Message: "drop cascades to " + itoa(len(lines)) + " other objects", Detail: strings.Join(lines, "\n")})
	}
	return res, nil
}

// dropType drops d; with cascade, first the columns and domains that use
// it (returning "drop cascades to ..." lines), otherwise it fails with
// 2BP01 when there are any.
func dropType(x *execCtx, ec *evalCtx, d *catalog.TableDesc, cascade bool, depth int) ([]string, error) {
	if depth > typeDepthMax {
		return nil, pgerr.New(pgerr.StatementTooComplex, "domains nest too deeply")
	}
	uses, domains, err := usesOfType(x, d)
	if err != nil {
		return nil, err
	}
	keyTables, uses := splitKeyUses(uses)
	if d.IsComposite() {
		// Its typed tables go with it.
		typed, err := typedTablesOf(x, d)
		if err != nil {
			return nil, err
		}
		keyTables = append(keyTables, typed...)
	}
	var lines []string
	for _, dom := range domains {
		lines = append(lines, "type "+dom.Name+" depends on type "+d.Name)
	}
	for _, t := range keyTables {
		lines = append(lines, "table "+t.Name+" depends on type "+d.Name)
	}
	for _, u := range uses {
		name := d.Name
		if c := u.table.Columns[u.column]; c.Type.IsArray() && (d.IsEnum() && c.Type.IsUser() || d.IsDomain() && catalog.DomainArrayColumn(c, d)) {
			name += "[]"
		} else if d.IsComposite() {
			name = compositeColumnName(d, c.Type)
		}
		lines = append(lines, "column "+u.table.Columns[u.column].Name+" of table "+u.table.Name+" depends on type "+name)
	}
	if d.IsComposite() {
		attrLines, _, err := compositeAttrUses(x, d)
		if err != nil {
			return nil, err
		}
		lines = append(lines, attrLines...)
	}
	routines, err := routinesUsingType(x, d.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range routines {
		lines = append(lines, kindWord(r.FuncDesc)+" "+routineSigText(r.FuncDesc, false)+" depends on type "+d.Name)
	}
	if len(lines) > 0 && !cascade {
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop type %s because other objects depend on it", d.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	var out []string
	for _, r := range routines {
		if err := x.s.e.cat.DropFunction(x.op(), r.ID); err != nil {
			return nil, err
		}
		out = append(out, "drop cascades to "+kindWord(r.FuncDesc)+" "+routineSigText(r.FuncDesc, false))
	}
	for _, dom := range domains {
		more, err := dropType(x, ec, dom, true, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, "drop cascades to type "+dom.Name)
		out = append(out, more...)
	}
	if d.IsComposite() {
		more, err := dropCompositeAttrUses(x, d)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	more, err := dropKeyTables(x, ec, keyTables)
	if err != nil {
		return nil, err
	}
	out = append(out, more...)
	// Columns go by name, re-read each time: dropping one renumbers its
	// table's columns.
	for _, u := range uses {
		x.nextCommand()
		col := u.table.Columns[u.column].Name
		drop := &dropColumnPlan{stmt: &ast.AlterTableStmt{Table: ast.TableRef{Name: u.table.Name}, DropColumn: &ast.DropColumn{Name: col, MissingOk: true, Cascade: true}}}
		if _, err := drop.execute(x, ec); err != nil {
			return nil, err
		}
		out = append(out, "drop cascades to column "+col+" of table "+u.table.Name)
	}
	x.nextCommand()
	bound, err := bindingViews(x)
	if err != nil {
		return nil, err
	}
	_, id, err := x.s.e.cat.LookupType(x.snap, d.Name)
	if err != nil {
		return nil, err
	}
	if id == nil {
		return out, nil // dropped through another path already
	}
	if err := x.s.e.cat.Drop(x.op(), id); err != nil {
		return nil, err
	}
	x.s.e.catalogChanged()
	x.s.wroteCatalog = true
	// cairn keeps a view as its query text: the views that bound before
	// and do not bind without the type use it (directly or through
	// other views).
	for {
		x.nextCommand()
		now, err := bindingViews(x)
		if err != nil {
			return nil, err
		}
		var broken []*catalog.TableDesc
		for _, v := range bound {
			if !slices.ContainsFunc(now, func(w *catalog.TableDesc) bool { return w.Name == v.Name }) {
				broken = append(broken, v)
			}
		}
		if len(broken) == 0 {
			return out, nil
		}
		if !cascade {
			var lines []string
			for _, v := range broken {
				lines = append(lines, "view "+v.Name+" depends on type "+d.Name)
			}
			return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop type %s because other objects depend on it", d.Name).
				WithDetail(strings.Join(lines, "\n")).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		for _, v := range broken {
			_, vid, err := x.s.e.cat.Lookup(x.snap, v.Key())
			if err != nil {
				return nil, err
			}
			if vid == nil {
				continue
			}
			if err := x.s.e.cat.Drop(x.op(), vid); err != nil {
				return nil, err
			}
			out = append(out, "drop cascades to view "+v.Name)
		}
		bound = now
	}
}

// bindingViews returns the views whose queries bind against the catalog
// the statement sees.
func bindingViews(x *execCtx) ([]*catalog.TableDesc, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	var out []*catalog.TableDesc
	for _, v := range all {
		if v.View == "" {
			continue
		}
		b := &binder{s: x.s, snap: x.snap}
		if _, _, err := b.bindViewRef(v, &ast.TableRef{Name: v.Name}); err != nil {
			if pgerr.Code(err) == pgerr.DataCorrupted {
				return nil, err
			}
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// commentOnType is COMMENT ON TYPE and COMMENT ON DOMAIN.
func commentOnType(x *execCtx, s *ast.CommentStmt) (*Result, error) {
	kind := ""
	if s.Kind == "domain" {
		kind = catalog.TypeDomain
	}
	d, id, err := lookupUserType(x, s.Relation.Name, "")
	if err != nil {
		return nil, err
	}
	if kind == catalog.TypeDomain && !d.IsDomain() {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a domain", d.Name)
	}
	updated := cloneType(d)
	updated.Type.Comment = ""
	if s.Comment != nil {
		updated.Type.Comment = *s.Comment
	}
	if err := replaceTypeDesc(x, id, updated); err != nil {
		return nil, err
	}
	return &Result{Tag: "COMMENT"}, nil
}

// alterTypeOwnerPlan is ALTER TYPE and ALTER DOMAIN ... OWNER TO: as for
// relations (bindAlterOwner), every type is owned by postgres, so naming
// that role (or the current user) succeeds and changes nothing, as
// pg_dump's output needs.
type alterTypeOwnerPlan struct{ stmt *ast.AlterTypeOwnerStmt }

func (p *alterTypeOwnerPlan) columns() []Column { return nil }

func (p *alterTypeOwnerPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	kind := ""
	if s.Domain {
		kind = catalog.TypeDomain
	}
	if _, _, err := lookupUserType(x, s.Name, kind); err != nil {
		return nil, err
	}
	switch s.Owner {
	case "", types.UserName(types.OIDBootstrapSuperuser):
	case types.UserName(types.OIDPgDatabaseOwner):
		return nil, pgerr.New(pgerr.FeatureNotSupported, "types are owned by %s in cairn", types.UserName(types.OIDBootstrapSuperuser))
	default:
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", s.Owner)
	}
	return &Result{Tag: s.Tag()}, nil
}
