package sql

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Expression and partial indexes. The catalog keeps an expression key and
// a partial index's predicate as SQL text over the table's columns
// (catalog.IndexDesc.Exprs, Predicate); whoever computes the entries of
// such an index binds them once for the statement (indexKeys) and
// evaluates them per row. A row is in a partial index when the predicate
// is true for it; a row that leaves the predicate keeps its old entry
// until VACUUM, which is harmless: a scan re-checks the whole WHERE
// clause, and a unique check recomputes the conflicting row's key and
// membership before it counts it.

// boundIndex is an index's keys and predicate bound over its table's
// columns.
type boundIndex struct {
	desc  *catalog.IndexDesc
	exprs []expr // per key: nil for a column key
	types []types.T
	pred  expr // nil for a whole-table index
	// names are the keys as a DETAIL line shows them.
	names []string
}

// bindIndex binds idx of table.
func (b *binder) bindIndex(table *catalog.TableDesc, idx *catalog.IndexDesc) (*boundIndex, error) {
	n := len(idx.Columns)
	bi := &boundIndex{desc: idx, exprs: make([]expr, n), types: make([]types.T, n), names: make([]string, n)}
	sc := tableScope(table, ast.TableRef{Name: table.Name})
	for i, c := range idx.Columns {
		text := idx.KeyExpr(i)
		if text == "" {
			if c < 0 || c >= len(table.Columns) {
				return nil, pgerr.New(pgerr.DataCorrupted, "index \"%s\" names column %d of table \"%s\", which has %d", idx.Name, c, table.Name, len(table.Columns))
			}
			bi.names[i], bi.types[i] = table.Columns[c].Name, table.Columns[c].Type
			continue
		}
		e, err := b.parseCheck(text)
		if err != nil {
			return nil, err
		}
		if bi.exprs[i], err = b.bindExpr(e, sc); err != nil {
			return nil, err
		}
		bi.types[i] = bi.exprs[i].Type()
		// As pg_get_indexdef prints the key: parenthesized unless a call.
		bi.names[i] = parser.DeparseCheck(text, viewColumns(table), true)
		if !parser.LooksLikeCall(text) {
			bi.names[i] = "(" + bi.names[i] + ")"
		}
	}
	if idx.Predicate != "" {
		e, err := b.parseCheck(idx.Predicate)
		if err != nil {
			return nil, err
		}
		if bi.pred, err = b.bindCheckExpr(e, table); err != nil {
			return nil, err
		}
	}
	return bi, nil
}

// viewColumns lists table's columns for the deparser.
func viewColumns(table *catalog.TableDesc) []parser.ViewColumn {
	cols := make([]parser.ViewColumn, len(table.Columns))
	for i, c := range table.Columns {
		cols[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
	}
	return cols
}

// indexKeys computes the index entries of one table's rows, binding
// each computed index once: a statement's writer binds them all with its
// plan (bindIndexKeys), other users on first use.
type indexKeys struct {
	table *catalog.TableDesc
	bound map[uint32]*boundIndex
}

func newIndexKeys(table *catalog.TableDesc) *indexKeys {
	return &indexKeys{table: table}
}

// bindIndexKeys binds every computed index of table.
func (b *binder) bindIndexKeys(table *catalog.TableDesc) (*indexKeys, error) {
	k := newIndexKeys(table)
	for i := range table.Indexes {
		idx := &table.Indexes[i]
		if !idx.Computed() {
			continue
		}
		bi, err := b.bindIndex(table, idx)
		if err != nil {
			return nil, err
		}
		if k.bound == nil {
			k.bound = make(map[uint32]*boundIndex)
		}
		k.bound[idx.ID] = bi
	}
	return k, nil
}

// get returns idx bound, or nil for an index on columns only.
func (k *indexKeys) get(x *execCtx, idx *catalog.IndexDesc) (*boundIndex, error) {
	if !idx.Computed() {
		return nil, nil
	}
	if bi := k.bound[idx.ID]; bi != nil {
		return bi, nil
	}
	bi, err := (&binder{s: x.s, snap: x.snap}).bindIndex(k.table, idx)
	if err != nil {
		return nil, err
	}
	if k.bound == nil {
		k.bound = make(map[uint32]*boundIndex)
	}
	k.bound[idx.ID] = bi
	return bi, nil
}

// values returns row's key values in idx, and whether row is in idx at
// all (a partial index's predicate is true for it).
func (k *indexKeys) values(x *execCtx, idx *catalog.IndexDesc, row []types.Datum) ([]types.Datum, bool, error) {
	bi, err := k.get(x, idx)
	if err != nil {
		return nil, false, err
	}
	vals := make([]types.Datum, len(idx.Columns))
	if bi == nil {
		for i, c := range idx.Columns {
			vals[i] = row[c]
		}
		return vals, true, nil
	}
	ec := &evalCtx{exec: x}
	if bi.pred != nil {
		v, err := bi.pred.Eval(ec, row)
		if err != nil || v != true {
			return nil, false, err
		}
	}
	for i, c := range idx.Columns {
		if bi.exprs[i] == nil {
			vals[i] = row[c]
			continue
		}
		if vals[i], err = bi.exprs[i].Eval(ec, row); err != nil {
			return nil, false, err
		}
	}
	return vals, true, nil
}

// entry returns row's key in idx, and whether row is in idx. idx must
// not be a GIN index, whose rows have several entries (entries).
func (k *indexKeys) entry(x *execCtx, idx *catalog.IndexDesc, row []types.Datum) ([]byte, bool, error) {
	vals, in, err := k.values(x, idx, row)
	if err != nil || !in {
		return nil, false, err
	}
	return indexEntryKeys(idx, vals)[0], true, nil
}

// entries returns the keys of row's entries in idx (indexEntryKeys), and
// whether row is in idx.
func (k *indexKeys) entries(x *execCtx, idx *catalog.IndexDesc, row []types.Datum) ([][]byte, bool, error) {
	vals, in, err := k.values(x, idx, row)
	if err != nil || !in {
		return nil, false, err
	}
	return indexEntryKeys(idx, vals), true, nil
}

// describe renders idx's keys and vals for a DETAIL line:
// "(lower(email))=(a@b)".
func (k *indexKeys) describe(x *execCtx, idx *catalog.IndexDesc, vals []types.Datum) string {
	bi, err := k.get(x, idx)
	names, out := make([]string, len(idx.Columns)), make([]string, len(idx.Columns))
	for i, c := range idx.Columns {
		t := types.New(types.Text)
		switch {
		case bi != nil && err == nil:
			names[i], t = bi.names[i], bi.types[i]
		case c >= 0:
			names[i], t = k.table.Columns[c].Name, k.table.Columns[c].Type
		default:
			names[i] = idx.KeyExpr(i)
		}
		if vals[i] == nil {
			out[i] = "null"
		} else {
			out[i] = types.FormatText(t, vals[i])
		}
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(out, ", ") + ")"
}

// keyHasNull reports whether key values vals of a unique index escape the
// uniqueness check: one is NULL, and the index does not treat NULLs as
// equal (NULLS NOT DISTINCT).
func keyHasNull(idx *catalog.IndexDesc, vals []types.Datum) bool {
	if idx.NullsNotDistinct {
		return false
	}
	for _, v := range vals {
		if v == nil {
			return true
		}
	}
	return false
}

// indexDesc checks CREATE INDEX s on table and describes the index.
func (b *binder) indexDesc(s *ast.CreateIndexStmt, table *catalog.TableDesc) (catalog.IndexDesc, error) {
	idx := catalog.IndexDesc{Name: s.Name, Unique: s.Unique, Constraint: s.Constraint, NullsNotDistinct: s.NullsNotDistinct && s.Unique,
		Deferrable: s.Deferrable, Deferred: s.Deferred, Exclusion: s.Exclusion}
	method := s.Method
	if method == "" {
		method = "btree"
	}
	switch method {
	case "btree":
	case "hash":
		idx.Method = "hash"
		hashRefuses := func(what string) error {
			return pgerr.New(pgerr.FeatureNotSupported, "access method \"hash\" does not support %s", what)
		}
		switch {
		case s.Unique && !s.Exclusion:
			return idx, hashRefuses("unique indexes")
		case len(s.Columns) > 1:
			return idx, hashRefuses("multicolumn indexes")
		case len(s.Include) > 0:
			return idx, hashRefuses("included columns")
		case slices.ContainsFunc(s.Columns, func(c ast.IndexColumn) bool { return c.Desc }):
			return idx, hashRefuses("ASC/DESC options")
		case slices.ContainsFunc(s.Columns, func(c ast.IndexColumn) bool { return c.Nulls != "" }):
			return idx, hashRefuses("NULLS FIRST/LAST options")
		}
	case "gin", "gist":
		if err := amRefuses(s, method); err != nil {
			return idx, err
		}
		idx.Method = method
	case "spgist", "brin":
		// Checked once the keys' types are known (noOpclass).
	default:
		return idx, pgerr.New(pgerr.UndefinedObject, "access method \"%s\" does not exist", method)
	}
	sc := tableScope(table, ast.TableRef{Name: table.Name})
	anyExpr, anyNulls := false, false
	for _, c := range s.Columns {
		nullsFirst := c.Desc
		switch c.Nulls {
		case "first":
			nullsFirst = true
		case "last":
			nullsFirst = false
		}
		anyNulls = anyNulls || nullsFirst != c.Desc
		idx.Desc = append(idx.Desc, c.Desc)
		idx.NullsFirst = append(idx.NullsFirst, nullsFirst)
		if c.Expr != nil {
			if err := indexExprAllowed(c.Expr, "index expression", "index expressions"); err != nil {
				return idx, err
			}
			if err := systemColumnRef(c.Expr, table); err != nil {
				return idx, err
			}
			mark := len(b.routinesUsed)
			e, err := b.bindExpr(c.Expr, sc)
			if err != nil {
				return idx, err
			}
			if err := b.checkImmutableRoutines(mark, "index expression"); err != nil {
				return idx, err
			}
			if e.Type().ID == types.Record {
				return idx, pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" has pseudo-type record", indexColumnNames(s)[len(idx.Columns)])
			}
			idx.Columns = append(idx.Columns, -1)
			idx.Exprs = append(idx.Exprs, c.SQL)
			idx.ExprTypes = append(idx.ExprTypes, e.Type())
			anyExpr = true
			continue
		}
		i := table.ColumnIndex(c.Name)
		if i < 0 {
			return idx, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", c.Name)
		}
		idx.Columns = append(idx.Columns, i)
		idx.Exprs = append(idx.Exprs, "")
		idx.ExprTypes = append(idx.ExprTypes, types.T{})
	}
	anyClass := false
	for k, c := range s.Columns {
		t := idx.ExprTypes[k]
		if idx.Columns[k] >= 0 {
			t = table.Columns[idx.Columns[k]].Type
		}
		coll, class, err := keyClass(c, t, method)
		if err != nil {
			return idx, err
		}
		idx.Collations = append(idx.Collations, coll)
		idx.Opclasses = append(idx.Opclasses, class)
		anyClass = anyClass || coll != "" || class != ""
	}
	if !anyClass {
		idx.Collations, idx.Opclasses = nil, nil
	}
	switch method {
	case "gin", "gist", "spgist", "brin":
		kept := true
		var refusal *pgerr.Error
		if method == "spgist" || method == "brin" {
			kept = false
			refusal = pgerr.New(pgerr.FeatureNotSupported, "index access method \"%s\" is not supported", method)
		}
		for i, c := range idx.Columns {
			t := idx.ExprTypes[i]
			if c >= 0 {
				t = table.Columns[c].Type
			}
			if !hasOpclass(method, t) {
				return idx, pgerr.New(pgerr.UndefinedObject, "data type %s has no default operator class for access method \"%s\"", types.Format(t), method).
					WithHint("You must specify an operator class for the index or define a default operator class for the data type.")
			}
			if kept && !amKeeps(method, t) {
				kept = false
				refusal = pgerr.New(pgerr.FeatureNotSupported, "index access method \"%s\" is not supported for data type %s", method, types.Format(t))
			}
		}
		if !kept {
			return idx, refusal.WithHint("cairn keeps btree and hash indexes, GIN indexes on arrays and GiST indexes on box, point, polygon and circle.")
		}
	}
	if !anyExpr {
		idx.Exprs, idx.ExprTypes = nil, nil
	}
	if !anyNulls {
		idx.NullsFirst = nil
	}
	if !slices.Contains(idx.Desc, true) {
		idx.Desc = nil
	}
	for _, name := range s.Include {
		i := table.ColumnIndex(name)
		if i < 0 {
			return idx, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", name)
		}
		idx.Include = append(idx.Include, i)
	}
	if s.Where != nil {
		if err := systemColumnRef(s.Where, table); err != nil {
			return idx, err
		}
		if err := indexExprAllowed(s.Where, "index predicate", "index predicates"); err != nil {
			return idx, err
		}
		mark := len(b.routinesUsed)
		if _, err := b.bindWhere(s.Where, sc); err != nil {
			return idx, err
		}
		if err := b.checkImmutableRoutines(mark, "index predicate"); err != nil {
			return idx, err
		}
		idx.Predicate = s.WhereSQL
	}
	return idx, nil
}

// keyClass checks the COLLATE and operator class written on index key c
// of type t, and returns what the index's definition shows of them: a
// collation other than the default, an operator class other than the
// type's default. cairn orders text by code point, as the C collation
// and the pattern operator classes do, so either orders keys alike.
func keyClass(c ast.IndexColumn, t types.T, method string) (coll, class string, err error) {
	if err := geoKeyClass(c, t, method); err != nil {
		return "", "", err
	}
	if c.Collation != "" {
		if !t.IsString() {
			return "", "", pgerr.New(pgerr.DatatypeMismatch, "collations are not supported by type %s", types.Format(t))
		}
		switch c.Collation {
		case "default":
		case "C", "POSIX", "ucs_basic":
			coll = c.Collation
		default:
			return "", "", pgerr.New(pgerr.UndefinedObject, "collation \"%s\" for encoding \"UTF8\" does not exist", c.Collation)
		}
	}
	if c.Opclass == "" {
		return coll, "", nil
	}
	accepts, ok := opclasses[c.Opclass]
	if !ok {
		return "", "", pgerr.New(pgerr.UndefinedObject, "operator class \"%s\" does not exist for access method \"%s\"", c.Opclass, method)
	}
	if !accepts(t) {
		return "", "", pgerr.New(pgerr.DatatypeMismatch, "operator class \"%s\" does not accept data type %s", c.Opclass, types.Format(t))
	}
	if strings.HasSuffix(c.Opclass, "_pattern_ops") {
		class = c.Opclass
	}
	return coll, class, nil
}

// opclasses are the btree and hash operator classes cairn accepts, with
// the types each takes.
var opclasses = map[string]func(types.T) bool{
	"text_ops":            func(t types.T) bool { return t.IsString() },
	"varchar_ops":         func(t types.T) bool { return t.IsString() },
	"bpchar_ops":          func(t types.T) bool { return t.ID == types.Bpchar },
	"text_pattern_ops":    func(t types.T) bool { return t.IsString() && t.ID != types.Bpchar },
	"varchar_pattern_ops": func(t types.T) bool { return t.IsString() && t.ID != types.Bpchar },
	"bpchar_pattern_ops":  func(t types.T) bool { return t.ID == types.Bpchar },
	"int2_ops":            func(t types.T) bool { return t.IsInteger() },
	"int4_ops":            func(t types.T) bool { return t.IsInteger() },
	"int8_ops":            func(t types.T) bool { return t.IsInteger() },
	"float4_ops":          func(t types.T) bool { return t.ID == types.Float4 || t.ID == types.Float8 },
	"float8_ops":          func(t types.T) bool { return t.ID == types.Float4 || t.ID == types.Float8 },
	"numeric_ops":         func(t types.T) bool { return t.ID == types.Numeric },
	"bool_ops":            func(t types.T) bool { return t.ID == types.Bool },
	"bytea_ops":           func(t types.T) bool { return t.ID == types.Bytea },
	"uuid_ops":            func(t types.T) bool { return t.ID == types.UUID },
	"inet_ops":            func(t types.T) bool { return t.IsNetwork() },
	"cidr_ops":            func(t types.T) bool { return t.IsNetwork() },
	"macaddr_ops":         func(t types.T) bool { return t.ID == types.MacAddr },
	"macaddr8_ops":        func(t types.T) bool { return t.ID == types.MacAddr8 },
	"name_ops":            func(t types.T) bool { return t.IsString() },
	"oid_ops":             func(t types.T) bool { return t.IsOIDLike() || t.IsInteger() },
	"date_ops":            func(t types.T) bool { return t.IsTime() },
	"timestamp_ops":       func(t types.T) bool { return t.IsTime() },
	"timestamptz_ops":     func(t types.T) bool { return t.IsTime() },
}

// hasOpclass reports whether PostgreSQL 15 has a default operator class
// of access method for type t (without extensions), so that a refusal
// names the same cause PostgreSQL's would.
func hasOpclass(method string, t types.T) bool {
	switch method {
	case "gin":
		return t.IsArray() || t.ID == types.JSONB
	case "gist":
		// Its classes cover box, point, polygon and circle, the range,
		// inet and text search types.
		return t.ID == types.BoxType || t.ID == types.PointType || t.ID == types.PolygonType || t.ID == types.CircleType
	case "spgist":
		return t.IsString() && t.ID != types.Bpchar || t.IsNetwork() ||
			t.ID == types.BoxType || t.ID == types.PointType || t.ID == types.PolygonType
	}
	return true // brin has classes for the ordered scalar types
}

// indexExprAllowed refuses in an index expression or predicate e what
// PostgreSQL refuses there: subqueries, aggregates, window functions and
// functions that are not immutable. what names e ("index expression"),
// plural its plural.
func indexExprAllowed(e ast.Expr, what, plural string) error {
	var bad error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch f := x.(type) {
		case *ast.SubqueryExpr:
			bad = pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in %s", what).WithPosition(x.Position())
		case *ast.FuncCall:
			switch {
			case f.Over != nil:
				bad = pgerr.New(pgerr.WindowingError, "window functions are not allowed in %s", plural).WithPosition(x.Position())
			case isAggregate(f.Name):
				bad = pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in %s", plural).WithPosition(x.Position())
			case volatileFunction(f.Name) || stableFunction(f.Name):
				bad = pgerr.New(pgerr.InvalidObjectDefinition, "functions in %s must be marked IMMUTABLE", what)
			}
		}
		return bad == nil
	})
	return bad
}

// stableFunction names functions whose value is fixed within a statement
// but not forever (the current time, user, database or settings), which
// an index may not use either.
func stableFunction(name string) bool {
	switch name {
	case "current_date", "localtimestamp", "current_time", "localtime", "current_user", "current_database",
		"current_schema", "current_schemas", "age", "to_char", "to_timestamp", "to_date", "session_user", "user":
		return true
	}
	return false
}

// indexColumnNames names an index's columns as PostgreSQL does for its
// attributes and its chosen name: a column key by the column, an
// expression key by its function's name or "expr", then the INCLUDE
// columns; a repeated name gets 1, 2, ... appended.
func indexColumnNames(s *ast.CreateIndexStmt) []string {
	var out []string
	seen := make(map[string]bool)
	add := func(name string) {
		n := name
		for i := 1; seen[n]; i++ {
			n = name + strconv.Itoa(i)
		}
		seen[n] = true
		out = append(out, n)
	}
	for _, c := range s.Columns {
		if c.Expr == nil {
			add(c.Name)
		} else {
			add(parser.IndexColumnName(c.SQL))
		}
	}
	for _, c := range s.Include {
		add(c)
	}
	return out
}

// internalExec is an execution context for the engine's own work outside
// any client session (VACUUM of index entries, Engine.Check), as of snap:
// enough to evaluate index expressions, which are immutable.
func (e *Engine) internalExec(snap txn.Snapshot) *execCtx {
	s := &Session{e: e, user: "postgres", settings: defaultSettings(), guc: gucStack{}, mem: stmtMemory{budget: e.opts.Memory}}
	return &execCtx{ctx: context.Background(), s: s, snap: snap, mem: &s.mem}
}
