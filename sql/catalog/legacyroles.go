package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/cairndb/cairn/heap"
)

// MoveLegacyRoles moves the roles that earlier versions of cairn kept in
// SchemaTableID, beside the schemas users create, to RolesTableID, where
// they are read now; it reports how many it moved. A role's row is told
// from a schema's by its JSON: RoleDesc writes "Name", SchemaDesc "name".
// It runs once at start-up, in op's transaction, before any session.
func MoveLegacyRoles(op heap.Op, h *heap.Heap) (int, error) {
	op.Snap.Serializable = false
	type legacy struct {
		id   heap.TupleID
		name string
		data []byte
	}
	var found []legacy
	err := h.Scan(op.Snap, SchemaTableID, func(t heap.Tuple) error {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(t.Data, &fields); err != nil {
			return fmt.Errorf("catalog: decoding a schema row: %w", err)
		}
		raw, isRole := fields["Name"]
		if !isRole {
			return nil
		}
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return fmt.Errorf("catalog: decoding a role's name: %w", err)
		}
		found = append(found, legacy{id: t.ID, name: name, data: append([]byte(nil), t.Data...)})
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, r := range found {
		if err := h.Delete(op, r.id); err != nil {
			return 0, fmt.Errorf("catalog: moving role %q: %w", r.name, err)
		}
		if err := h.Insert(op, RolesTableID, catalogKey(r.name), r.data); err != nil {
			return 0, fmt.Errorf("catalog: moving role %q: %w", r.name, err)
		}
	}
	return len(found), nil
}
