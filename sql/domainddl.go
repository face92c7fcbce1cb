package sql

import (
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// CREATE DOMAIN and ALTER DOMAIN. A domain is a base type with a default
// and constraints (catalog.TypeDesc); values cast or assigned to it are
// checked (usertype.go), and changing its constraints checks the values
// already stored in the columns declared with it.

type createDomainPlan struct{ stmt *ast.CreateDomainStmt }

func (p *createDomainPlan) columns() []Column { return nil }

func (p *createDomainPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	if err := typeNameFree(x, s.Name); err != nil {
		return nil, err
	}
	b := &binder{s: x.s, snap: x.snap}
	base, baseDom, err := b.resolveType(s.Type)
	if err != nil {
		return nil, err
	}
	if err := b.checkTypeUsage(base, baseDom); err != nil {
		return nil, err
	}
	if base.ID == types.Unknown || base.ID == types.Void {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "\"%s\" is not a valid base type for a domain", s.Type.Name)
	}
	desc := &catalog.TableDesc{Name: s.Name, Type: &catalog.TypeDesc{Kind: catalog.TypeDomain, Base: base, NotNull: s.NotNull}}
	if baseDom != nil {
		desc.Type.BaseDomain = baseDom.ID
	}
	if s.Default != nil {
		if err := checkDefault(s.Default); err != nil {
			return nil, err
		}
		e, err := b.bindExpr(s.Default, nil)
		if err != nil {
			return nil, err
		}
		if _, err := b.assign(e, base, s.Name, s.Default.Position()); err != nil {
			return nil, err
		}
		if !isNullConst(e) {
			desc.Type.Default = s.DefaultSQL
		}
	}
	for _, c := range s.Checks {
		if _, err := b.bindCheckExpr(c.Expr, domainScope(desc)); err != nil {
			return nil, err
		}
		name := c.Name
		if name == "" {
			name = domainCheckName(desc)
		} else if domainHasCheck(desc, name) {
			return nil, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for domain \"%s\" already exists", name, s.Name)
		}
		id, err := x.s.e.tm.NextOID()
		if err != nil {
			return nil, err
		}
		desc.Type.Checks = append(desc.Type.Checks, catalog.CheckDesc{ID: id, Name: name, Expr: c.SQL})
	}
	if err := createTypeDesc(x, desc); err != nil {
		return nil, err
	}
	return &Result{Tag: "CREATE DOMAIN"}, nil
}

func domainHasCheck(d *catalog.TableDesc, name string) bool {
	for _, c := range d.Type.Checks {
		if c.Name == name {
			return true
		}
	}
	return false
}

// domainCheckName names an unnamed domain CHECK constraint as PostgreSQL
// does: domain_check, then domain_check1 and on while taken.
func domainCheckName(d *catalog.TableDesc) string {
	for n := 0; ; n++ {
		name := d.Name + "_check"
		if n > 0 {
			name += strconv.Itoa(n)
		}
		if !domainHasCheck(d, name) {
			return name
		}
	}
}

type alterDomainPlan struct{ stmt *ast.AlterDomainStmt }

func (p *alterDomainPlan) columns() []Column { return nil }

func (p *alterDomainPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	d, id, err := lookupUserType(x, s.Name, catalog.TypeDomain)
	if err != nil {
		return nil, err
	}
	res := &Result{Tag: "ALTER DOMAIN"}
	updated := cloneType(d)
	b := &binder{s: x.s, snap: x.snap}
	switch s.Action {
	case "set default":
		if err := checkDefault(s.Default); err != nil {
			return nil, err
		}
		e, err := b.bindExpr(s.Default, nil)
		if err != nil {
			return nil, err
		}
		if _, err := b.assign(e, d.Type.Base, d.Name, s.Default.Position()); err != nil {
			return nil, err
		}
		updated.Type.Default = s.DefaultSQL
		if isNullConst(e) {
			updated.Type.Default = ""
		}
	case "drop default":
		updated.Type.Default = ""
	case "drop not null":
		updated.Type.NotNull = false
	case "set not null":
		if !d.Type.NotNull {
			if err := checkDomainData(x, b, d, nil, true); err != nil {
				return nil, err
			}
		}
		updated.Type.NotNull = true
	case "add constraint":
		c := s.Check
		cond, err := b.bindCheckExpr(c.Expr, domainScope(d))
		if err != nil {
			return nil, err
		}
		name := c.Name
		if name == "" {
			name = domainCheckName(d)
		} else if domainHasCheck(d, name) {
			return nil, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for domain \"%s\" already exists", name, d.Name)
		}
		if !c.NotValid {
			if err := checkDomainData(x, b, d, &boundCheck{name: name, cond: cond}, false); err != nil {
				return nil, err
			}
		}
		oid, err := x.s.e.tm.NextOID()
		if err != nil {
			return nil, err
		}
		updated.Type.Checks = append(updated.Type.Checks, catalog.CheckDesc{ID: oid, Name: name, Expr: c.SQL, NotValid: c.NotValid})
	case "drop constraint", "validate constraint":
		i := -1
		for j, c := range d.Type.Checks {
			if c.Name == s.Constraint {
				i = j
			}
		}
		if i < 0 {
			if s.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "constraint \"" + s.Constraint + "\" of domain \"" + d.Name + "\" does not exist, skipping"})
				return res, nil
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" of domain \"%s\" does not exist", s.Constraint, d.Name)
		}
		if s.Action == "drop constraint" {
			updated.Type.Checks = append(updated.Type.Checks[:i:i], updated.Type.Checks[i+1:]...)
			break
		}
		if !d.Type.Checks[i].NotValid {
			return res, nil
		}
		e, err := b.parseCheck(d.Type.Checks[i].Expr)
		if err != nil {
			return nil, err
		}
		cond, err := b.bindCheckExpr(e, domainScope(d))
		if err != nil {
			return nil, err
		}
		if err := checkDomainData(x, b, d, &boundCheck{name: s.Constraint, cond: cond}, false); err != nil {
			return nil, err
		}
		updated.Type.Checks[i].NotValid = false
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "ALTER DOMAIN %s is not supported", s.Action)
	}
	if err := replaceTypeDesc(x, id, updated); err != nil {
		return nil, err
	}
	return res, nil
}

// checkDomainData checks the values stored in the columns declared with
// domain d (or a domain over it): against check, or for NULLs when
// notNull is set, as ALTER DOMAIN ADD CONSTRAINT and SET NOT NULL do.
func checkDomainData(x *execCtx, b *binder, d *catalog.TableDesc, check *boundCheck, notNull bool) error {
	var cols []typeUse
	seen := map[uint32]bool{}
	var walk func(t *catalog.TableDesc, depth int) error
	walk = func(t *catalog.TableDesc, depth int) error {
		if depth > typeDepthMax || seen[t.ID] {
			return nil
		}
		seen[t.ID] = true
		uses, domains, err := usesOfType(x, t)
		if err != nil {
			return err
		}
		cols = append(cols, uses...)
		for _, dom := range domains {
			if err := walk(dom, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(d, 0); err != nil {
		return err
	}
	ec := &evalCtx{exec: x}
	for _, u := range cols {
		col := u.table.Columns[u.column].Name
		if catalog.DomainArrayColumn(u.table.Columns[u.column], d) {
			// PostgreSQL 15 does not look into arrays of a domain.
			return pgerr.New(pgerr.FeatureNotSupported, "cannot alter type \"%s\" because column \"%s.%s\" uses it", d.Name, u.table.Name, col)
		}
		err := x.s.e.heap.Scan(x.snap, u.table.StorageID(), func(t heap.Tuple) error {
			if err := x.tick(); err != nil {
				return err
			}
			row, err := types.DecodeRow(t.Data)
			if err != nil {
				return err
			}
			if u.column >= len(row) {
				return nil
			}
			vals := []types.Datum{row[u.column]}
			if a, ok := row[u.column].(*types.Array); ok && !d.Type.Base.IsArray() {
				vals = a.Elems // an array of the domain
			} else if row[u.column] == nil && u.table.Columns[u.column].Type.IsArray() && !d.Type.Base.IsArray() {
				vals = nil
			}
			for _, v := range vals {
				if notNull && v == nil {
					return pgerr.New(pgerr.NotNullViolation, "column \"%s\" of table \"%s\" contains null values", col, u.table.Name)
				}
				if check != nil {
					bad, err := failsCheck(ec, []boundCheck{*check}, []types.Datum{v})
					if err != nil {
						return err
					}
					if bad != nil {
						return pgerr.New(pgerr.CheckViolation, "column \"%s\" of table \"%s\" contains values that violate the new constraint", col, u.table.Name)
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
