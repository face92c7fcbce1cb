package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
)

// CREATE TABLE t (LIKE source [INCLUDING|EXCLUDING option ...], ...), as
// PostgreSQL 15 has it. The source's columns are copied where the clause
// stands, with their types and NOT NULL; the options copy more:
//
//   - DEFAULTS: column defaults (a serial's nextval keeps naming the
//     source's sequence, as in PostgreSQL);
//   - GENERATED: generation expressions (without it a generated column
//     becomes an ordinary one);
//   - IDENTITY: identity columns, each with a new sequence of its own;
//   - CONSTRAINTS: CHECK constraints, under their names (never foreign
//     keys);
//   - INDEXES: the primary key, UNIQUE constraints and the other indexes,
//     under names chosen for the new table;
//   - COMMENTS: the columns' and the copied indexes' comments;
//   - STATISTICS, STORAGE, COMPRESSION: accepted, nothing to copy.

// likeParts is what the LIKE clauses of a CREATE TABLE copy besides
// columns, made by the plan once the table exists.
type likeParts struct {
	pk       []int // the source's primary key, as new column indexes
	pkFrom   string
	identity []string // identity columns, whose sequences are made anew
	checks   []catalog.CheckDesc
	indexes  []likeIndex
}

// likeIndex is an index to copy: CREATE INDEX over the new table, and
// the source index's comment.
type likeIndex struct {
	stmt    *ast.CreateIndexStmt
	comment string
}

// likeColumns appends to desc the columns of the LIKE clauses of s that
// stand before column definition at, and collects what else they copy.
func (b *binder) likeColumns(s *ast.CreateTableStmt, desc *catalog.TableDesc, at int, parts *likeParts, spec *inheritSpec) error {
	for _, lc := range s.Likes {
		if lc.At != at {
			continue
		}
		src, err := b.lookupTable(lc.Table)
		if err != nil {
			return err
		}
		if src.Sequence != nil {
			return pgerr.New(pgerr.WrongObjectType, "relation \"%s\" is invalid in LIKE clause", src.Name).WithPosition(lc.Table.Pos).
				WithDetail("This operation is not supported for sequences.")
		}
		opts := lc.Options
		cols := make([]int, len(src.Columns)) // source column -> new column
		for i, c := range src.Columns {
			if j := desc.ColumnIndex(c.Name); j >= 0 && spec != nil && j < spec.inherited {
				// A LIKE column is the table's own definition of a
				// column a parent gives it too: they merge.
				have := &desc.Columns[j]
				if !sameType(have.Type, c.Type) {
					return pgerr.New(pgerr.DatatypeMismatch, "column \"%s\" has a type conflict", c.Name).
						WithDetail(typeDisplay(have.Type) + " versus " + typeDisplay(c.Type))
				}
				spec.notices = append(spec.notices, Notice{Severity: "NOTICE", Code: "00000", Message: "merging column \"" + c.Name + "\" with inherited definition"})
				have.NotLocal = false
				have.NotNull = have.NotNull || c.NotNull
				if opts&ast.LikeDefaults != 0 && c.Generated == "" && c.Default != "" {
					have.Default = c.Default
					delete(spec.conflicting, c.Name)
				}
				cols[i] = j
				continue
			}
			if desc.ColumnIndex(c.Name) >= 0 {
				return pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", c.Name)
			}
			col := catalog.ColumnDesc{Name: c.Name, Type: c.Type, NotNull: c.NotNull}
			if opts&ast.LikeDefaults != 0 && c.Generated == "" {
				col.Default = c.Default
			}
			if opts&ast.LikeGenerated != 0 {
				col.Generated = c.Generated
			}
			if opts&ast.LikeIdentity != 0 && c.Identity != "" {
				col.Identity = c.Identity
				parts.identity = append(parts.identity, c.Name)
			}
			if opts&ast.LikeComments != 0 {
				col.Comment = c.Comment
			}
			cols[i] = len(desc.Columns)
			desc.Columns = append(desc.Columns, col)
		}
		if opts&ast.LikeConstraints != 0 {
			for _, c := range src.Checks {
				parts.checks = append(parts.checks, catalog.CheckDesc{Name: c.Name, Expr: c.Expr})
			}
		}
		if opts&ast.LikeIndexes == 0 {
			continue
		}
		if len(src.PK) > 0 {
			if parts.pk != nil {
				return pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", s.Table.Name)
			}
			parts.pkFrom = src.Name
			for _, c := range src.PK {
				parts.pk = append(parts.pk, cols[c])
			}
		}
		for i := range src.Indexes {
			li, err := b.likeIndex(s, src, &src.Indexes[i], opts)
			if err != nil {
				return err
			}
			parts.indexes = append(parts.indexes, li)
		}
	}
	return nil
}

// likeIndex describes the copy of index ix of table src for the table
// CREATE TABLE s makes.
func (b *binder) likeIndex(s *ast.CreateTableStmt, src *catalog.TableDesc, ix *catalog.IndexDesc, opts uint32) (likeIndex, error) {
	stmt := &ast.CreateIndexStmt{Table: s.Table, Unique: ix.Unique, Constraint: ix.Constraint,
		NullsNotDistinct: ix.NullsNotDistinct, Method: ix.Method}
	for k, c := range ix.Columns {
		col := ast.IndexColumn{Desc: ix.IsDesc(k), Collation: ix.KeyCollation(k), Opclass: ix.KeyOpclass(k)}
		if ix.IsNullsFirst(k) != col.Desc {
			col.Nulls = map[bool]string{true: "first", false: "last"}[ix.IsNullsFirst(k)]
		}
		if text := ix.KeyExpr(k); text != "" {
			e, err := b.parseCheck(text)
			if err != nil {
				return likeIndex{}, err
			}
			col.Expr, col.SQL = e, text
		} else {
			col.Name = src.Columns[c].Name
		}
		stmt.Columns = append(stmt.Columns, col)
	}
	for _, c := range ix.Include {
		stmt.Include = append(stmt.Include, src.Columns[c].Name)
	}
	if ix.Predicate != "" {
		e, err := b.parseCheck(ix.Predicate)
		if err != nil {
			return likeIndex{}, err
		}
		stmt.Where, stmt.WhereSQL = e, ix.Predicate
	}
	if ix.Constraint {
		// A UNIQUE constraint's index is named as the constraint would be.
		stmt.Name = s.Table.Name
		for _, c := range ix.Columns {
			stmt.Name += "_" + src.Columns[c].Name
		}
		stmt.Name = parser.TruncateIdent(stmt.Name + "_key")
	}
	li := likeIndex{stmt: stmt}
	if opts&ast.LikeComments != 0 {
		li.comment = ix.Comment
	}
	return li, nil
}

// applyLikePK makes the copied primary key the table's, unless it has
// one of its own.
func applyLikePK(s *ast.CreateTableStmt, desc *catalog.TableDesc, parts *likeParts) error {
	if parts.pk == nil {
		return nil
	}
	if len(desc.PK) > 0 {
		return pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", s.Table.Name)
	}
	desc.PK = slices.Clone(parts.pk)
	for _, c := range desc.PK {
		desc.Columns[c].NotNull = true
	}
	return nil
}

// createLikeIndexes makes the indexes the LIKE clauses copy, as later
// commands of the statement so that they see the table just created.
func (p *createTablePlan) createLikeIndexes(x *execCtx) error {
	for _, li := range p.like.indexes {
		later := *x
		later.snap.CID = x.s.cid
		x.s.cid++
		plan := &createIndexPlan{stmt: li.stmt}
		if li.stmt.Name == "" {
			name, err := plan.chooseName(&later, p.desc)
			if err != nil {
				return err
			}
			stmt := *li.stmt
			stmt.Name = name
			plan.stmt = &stmt
		}
		if _, err := plan.execute(&later, nil); err != nil {
			return err
		}
		if li.comment == "" {
			continue
		}
		later.snap.CID = x.s.cid
		x.s.cid++
		table, tuple, err := x.s.lookupRel(later.snap, p.stmt.Table.Name)
		if err != nil {
			return err
		}
		updated := *table
		updated.Indexes = slices.Clone(table.Indexes)
		for i := range updated.Indexes {
			if updated.Indexes[i].Name == plan.stmt.Name {
				updated.Indexes[i].Comment = li.comment
			}
		}
		if err := replaceTableDesc(&later, tuple, &updated); err != nil {
			return err
		}
	}
	return nil
}
