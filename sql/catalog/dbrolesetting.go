package catalog

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// DBRoleSettingTableID is the heap table that holds pg_db_role_setting:
// the run-time parameter defaults ALTER ROLE ... SET and ALTER DATABASE
// ... SET give, one row per (database, role) pair, keyed by the pair.
const DBRoleSettingTableID = heap.SystemTable + 6

// DBRoleSetting is one row of pg_db_role_setting: the "name=value"
// settings a session of role Role in database Database starts with. A
// zero Database applies in every database (ALTER ROLE ... SET), a zero
// Role to every role (ALTER DATABASE ... SET; ALTER ROLE ALL ... SET
// leaves both zero).
type DBRoleSetting struct {
	Database uint32   `json:"db,omitempty"`
	Role     uint32   `json:"role,omitempty"`
	Config   []string `json:"config"`
}

// StoredDBRoleSetting is a DBRoleSetting as read, with its tuple version.
type StoredDBRoleSetting struct {
	DBRoleSetting
	Tuple heap.TupleID
}

func dbRoleSettingKey(database, role uint32) []byte {
	return types.EncodeKey([]types.Datum{int64(database), int64(role)})
}

// DBRoleSettings returns every pg_db_role_setting row visible to snap, by
// database and then role oid.
func (c *Store) DBRoleSettings(snap txn.Snapshot) ([]StoredDBRoleSetting, error) {
	snap.Serializable = false
	var out []StoredDBRoleSetting
	err := c.heap.Scan(snap, DBRoleSettingTableID, func(t heap.Tuple) error {
		var d DBRoleSetting
		if err := json.Unmarshal(t.Data, &d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry of pg_db_role_setting")
		}
		out = append(out, StoredDBRoleSetting{DBRoleSetting: d, Tuple: t.ID})
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Database != out[j].Database {
			return out[i].Database < out[j].Database
		}
		return out[i].Role < out[j].Role
	})
	return out, err
}

// ReplaceDBRoleSetting stores d in place of the version old (nil when
// there was none): old is deleted in op's transaction, and d, unless its
// Config is empty, inserted by later, a later command of it.
func (c *Store) ReplaceDBRoleSetting(op, later heap.Op, old heap.TupleID, d DBRoleSetting) error {
	op.Snap.Serializable = false
	later.Snap.Serializable = false
	if old != nil {
		if err := c.heap.Delete(op, old); err != nil {
			return err
		}
	}
	if len(d.Config) == 0 {
		return nil
	}
	data, err := json.Marshal(&d)
	if err != nil {
		return fmt.Errorf("catalog: encoding a pg_db_role_setting row: %w", err)
	}
	return c.heap.Insert(later, DBRoleSettingTableID, dbRoleSettingKey(d.Database, d.Role), data)
}
