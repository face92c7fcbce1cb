package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
)

// refuseSystemCatalog refuses ALTER TABLE on a system catalog (pg_class,
// pg_attribute, ...), as PostgreSQL does without allow_system_table_mods:
// 42501, where a missing relation would be 42P01. A user relation of the
// same name found first on the search path is altered as usual.
func (b *binder) refuseSystemCatalog(ref ast.TableRef) error {
	_, bare := catalog.SplitName(ref.Name)
	if _, sys := catalog.SystemTableOID(bare); !sys {
		return nil
	}
	if !ref.System {
		d, _, err := b.s.lookupRel(b.snap, ref.Name)
		if err != nil || d != nil {
			return err
		}
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "permission denied: \"%s\" is a system catalog", bare)
}
