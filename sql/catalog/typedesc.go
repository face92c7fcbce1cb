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

// User-defined types: enums and domains. A type is a catalog entry like a
// relation (a TableDesc whose Type is set, with the type's oid in ID and
// its name in Name), so that it is transactional and a plan that used it
// is invalidated by its change, but it is kept under a key of its own:
// types and relations are looked up apart (LookupType, Types), and All
// and Lookup never return a type.

// Type kinds, as pg_type.typtype spells them.
const (
	TypeEnum   = "e"
	TypeDomain = "d"
)

// TypeDesc describes a user-defined type.
type TypeDesc struct {
	Kind string `json:"kind"`
	// Labels are an enum's labels in sort order.
	Labels []EnumLabel `json:"labels,omitempty"`
	// Base is a domain's base type; NotNull, Default and Checks its
	// constraints and default (Default as SQL text; empty for none).
	Base    types.T     `json:"base,omitempty"`
	NotNull bool        `json:"not_null,omitempty"`
	Default string      `json:"default,omitempty"`
	Checks  []CheckDesc `json:"checks,omitempty"`
	// BaseDomain is the domain a domain was declared over (Base is then
	// that domain's base type, whose checks apply too); 0 for none.
	BaseDomain uint32 `json:"base_domain,omitempty"`
	// Comment is the type's COMMENT ON text.
	Comment string `json:"comment,omitempty"`
	// RelOID is a composite type's pg_class oid (pg_type.typrelid); its
	// attributes are the desc's Columns (composite.go).
	RelOID uint32 `json:"rel_oid,omitempty"`
}

// EnumLabel is one label of an enum: pg_enum's row.
type EnumLabel struct {
	OID   uint32  `json:"oid"`
	Label string  `json:"label"`
	Order float64 `json:"order"`
	// PGOrder is pg_enum.enumsortorder as PostgreSQL would have it: a
	// float4, midway between the neighbours' and renumbered 1, 2, ...
	// when float4 has no room, while Order (which rows and keys hold)
	// never changes. 0 when it is Order.
	PGOrder float32 `json:"pg_order,omitempty"`
	// XID is the transaction that added the label by ALTER TYPE ... ADD
	// VALUE, which may not use it before it commits; 0 for labels made
	// with the type.
	XID uint64 `json:"xid,omitempty"`
}

// DisplayOrder is pg_enum.enumsortorder.
func (l EnumLabel) DisplayOrder() float32 {
	if l.PGOrder != 0 {
		return l.PGOrder
	}
	return float32(l.Order)
}

// Enum is desc's enum as the types package takes it.
func (t *TableDesc) Enum() *types.Enum {
	e := &types.Enum{ID: types.ID(t.ID), Name: t.Name, Labels: make([]types.EnumValue, len(t.Type.Labels))}
	for i, l := range t.Type.Labels {
		e.Labels[i] = types.EnumValue{Order: l.Order, Label: l.Label}
	}
	return e
}

// IsEnum and IsDomain say which kind of user type t is (both false for a
// relation).
func (t *TableDesc) IsEnum() bool   { return t.Type != nil && t.Type.Kind == TypeEnum }
func (t *TableDesc) IsDomain() bool { return t.Type != nil && t.Type.Kind == TypeDomain }

// ArrayOID is the oid of the type's array type (pg_type.typarray): its
// own with types.UserArrayBit set. A domain over an array has none.
func (t *TableDesc) ArrayOID() uint32 {
	if t.IsDomain() && t.Type.Base.IsArray() {
		return 0
	}
	return t.ID | uint32(types.UserArrayBit)
}

// SortLabels puts an enum's labels in sort order.
func (t *TypeDesc) SortLabels() {
	sort.SliceStable(t.Labels, func(i, j int) bool { return t.Labels[i].Order < t.Labels[j].Order })
}

// typeKey keys a type's entry apart from a relation of the same name.
func typeKey(name string) []byte {
	return types.EncodeKey([]types.Datum{name, int64(1)})
}

// LookupType returns the user type named name visible to snap (nil if
// none) and the id of its tuple version, which Drop takes.
func (c *Store) LookupType(snap txn.Snapshot, name string) (*TableDesc, heap.TupleID, error) {
	snap.Serializable = false
	var desc *TableDesc
	var id heap.TupleID
	err := c.heap.ScanKey(snap, TableID, typeKey(name), func(t heap.Tuple) error {
		d, err := c.decode(t)
		if err != nil {
			return err
		}
		desc, id = d, t.ID
		return nil
	})
	return desc, id, err
}

// Types returns every user type visible to snap, in oid order.
func (c *Store) Types(snap txn.Snapshot) ([]*TableDesc, error) {
	snap.Serializable = false
	var out []*TableDesc
	err := c.heap.Scan(snap, TableID, func(t heap.Tuple) error {
		d, err := c.decode(t)
		if err != nil {
			return err
		}
		if d.Type != nil {
			out = append(out, d)
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// TypeByOID returns the user type with oid id visible to snap, and the id
// of its tuple version; nil if none.
func (c *Store) TypeByOID(snap txn.Snapshot, oid uint32) (*TableDesc, heap.TupleID, error) {
	all, err := c.Types(snap)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range all {
		if d.ID == oid {
			return c.LookupType(snap, d.Name)
		}
	}
	return nil, nil, nil
}

// CreateType adds the user type desc in op's transaction; a name taken by
// a type visible to op is 42710.
func (c *Store) CreateType(op heap.Op, desc *TableDesc) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("catalog: encoding type descriptor: %w", err)
	}
	err = c.heap.Insert(op, TableID, typeKey(desc.Name), data)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return pgerr.New(pgerr.DuplicateObject, "type \"%s\" already exists", desc.Name)
	}
	return err
}
