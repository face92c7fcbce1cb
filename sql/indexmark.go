package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
)

// indexMarkPlan is ALTER TABLE ... CLUSTER ON index, SET WITHOUT CLUSTER
// and REPLICA IDENTITY: marks kept in the table's descriptor that
// pg_index (indisclustered, indisreplident) and pg_class.relreplident
// show. cairn's rows have no physical order for CLUSTER to restore, and
// it has no logical replication for the identity to serve.
type indexMarkPlan struct{ stmt *ast.AlterTableStmt }

func (p *indexMarkPlan) columns() []Column { return nil }

func (p *indexMarkPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	table, tuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	// index finds a table's index by name: a primary key's (nil desc)
	// or a secondary one.
	index := func(name string) (*catalog.IndexDesc, error) {
		if len(table.PK) > 0 && table.PKConstraintName() == name {
			return nil, nil
		}
		for i := range table.Indexes {
			if table.Indexes[i].Name == name {
				return &table.Indexes[i], nil
			}
		}
		return nil, pgerr.New(pgerr.UndefinedObject, "index \"%s\" for table \"%s\" does not exist", name, table.Name)
	}
	updated := *table
	switch {
	case s.ClusterOn != nil:
		if *s.ClusterOn != "" {
			if _, err := index(*s.ClusterOn); err != nil {
				return nil, err
			}
		}
		updated.ClusterOn = *s.ClusterOn
	case s.ReplicaIdentity == "i":
		ix, err := index(s.ReplicaIndex)
		if err != nil {
			return nil, err
		}
		if ix != nil {
			if err := replicaIdentityIndex(table, ix); err != nil {
				return nil, err
			}
		}
		updated.ReplIdent, updated.ReplIdentIndex = "i", s.ReplicaIndex
	default:
		updated.ReplIdent, updated.ReplIdentIndex = s.ReplicaIdentity, ""
		if s.ReplicaIdentity == "d" {
			updated.ReplIdent = ""
		}
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// replicaIdentityIndex refuses an index REPLICA IDENTITY may not use, as
// PostgreSQL does: it must be unique, immediate, whole-table, on columns
// only, all NOT NULL.
func replicaIdentityIndex(table *catalog.TableDesc, ix *catalog.IndexDesc) error {
	switch {
	case !ix.Unique || ix.Exclusion:
		return pgerr.New(pgerr.WrongObjectType, "cannot use non-unique index \"%s\" as replica identity", ix.Name)
	case ix.Deferrable:
		return pgerr.New(pgerr.WrongObjectType, "cannot use non-immediate index \"%s\" as replica identity", ix.Name)
	case len(ix.Exprs) > 0:
		return pgerr.New(pgerr.FeatureNotSupported, "cannot use expression index \"%s\" as replica identity", ix.Name)
	case ix.Predicate != "":
		return pgerr.New(pgerr.WrongObjectType, "cannot use partial index \"%s\" as replica identity", ix.Name)
	}
	for _, c := range ix.Columns {
		if !table.Columns[c].NotNull {
			return pgerr.New(pgerr.WrongObjectType, "index \"%s\" cannot be used as replica identity because column \"%s\" is nullable", ix.Name, table.Columns[c].Name)
		}
	}
	return nil
}
