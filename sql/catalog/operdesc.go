package catalog

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// User-defined operators (CREATE OPERATOR). Each is an OperatorDesc, a
// JSON row of a heap table of its own (OperatorTableID) keyed by its
// schema, name and argument types, so that a second operator of one
// schema with the same name and argument types is refused (package sql
// reports 42723), and DDL on them is transactional and durable.

// OperatorTableID is the heap table that holds user-defined operators.
const OperatorTableID = heap.SystemTable + 14

// OperandType is a declared operand (or result) type: the type values
// carry, and the oid of the domain it was declared as (0 for none), as
// expression types do not keep domains.
type OperandType struct {
	Type   types.T `json:"type"`
	Domain uint32  `json:"domain,omitempty"`
}

// OID is the operand type's pg_type oid: the domain's when declared as one.
func (o OperandType) OID() uint32 {
	if o.Domain != 0 {
		return o.Domain
	}
	return TypeOID(o.Type)
}

// OperatorDesc describes a user-defined operator. Left is nil for a
// prefix operator.
type OperatorDesc struct {
	OID    uint32       `json:"oid"`
	Schema string       `json:"schema"`
	Name   string       `json:"name"`
	Owner  uint32       `json:"owner"`
	Left   *OperandType `json:"left,omitempty"`
	Right  OperandType  `json:"right"`
	Result types.T      `json:"result"`
	// Fn is the function the operator calls (a user routine by oid, or a
	// built-in function by name).
	Fn AggFn `json:"fn"`
}

// Kind is pg_operator.oprkind: "b" for infix, "l" for prefix.
func (d *OperatorDesc) Kind() string {
	if d.Left == nil {
		return "l"
	}
	return "b"
}

func operatorKey(schema, name string, left, right uint32) []byte {
	return types.EncodeKey([]types.Datum{schema, name + "(" + strconv.Itoa(int(left)) + "," + strconv.Itoa(int(right)) + ")"})
}

func (d *OperatorDesc) key() []byte {
	var left uint32
	if d.Left != nil {
		left = d.Left.OID()
	}
	return operatorKey(d.Schema, d.Name, left, d.Right.OID())
}

// OperatorEntry is an operator with the id of its tuple version, which
// DropOperator takes.
type OperatorEntry struct {
	*OperatorDesc
	ID heap.TupleID
}

// Operators returns every user-defined operator visible to snap, in oid
// order. Callers must not modify the descriptors.
func (c *Store) Operators(snap txn.Snapshot) ([]OperatorEntry, error) {
	if c.operators.Load() == operatorsNone {
		return nil, nil
	}
	snap.Serializable = false
	var out []OperatorEntry
	err := c.heap.Scan(snap, OperatorTableID, func(t heap.Tuple) error {
		d := new(OperatorDesc)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry of an operator")
		}
		out = append(out, OperatorEntry{OperatorDesc: d, ID: t.ID})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	if err == nil && len(out) == 0 {
		// Every operator created since the database opened set
		// operatorsMaybe first, so the swap fails if one could exist
		// that snap does not see.
		c.operators.CompareAndSwap(operatorsUnknown, operatorsNone)
	}
	return out, err
}

const (
	operatorsUnknown = iota
	operatorsNone
	operatorsMaybe
)

// CreateOperator adds desc in op's transaction; an operator of the same
// schema, name and argument types visible to op is 42723.
func (c *Store) CreateOperator(op heap.Op, desc *OperatorDesc) error {
	c.operators.Store(operatorsMaybe)
	op.Snap.Serializable = false
	data, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("catalog: encoding operator descriptor: %w", err)
	}
	err = c.heap.Insert(op, OperatorTableID, desc.key(), data)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return pgerr.New(pgerr.DuplicateFunction, "operator %s already exists", desc.Name)
	}
	return err
}

// DropOperator deletes the operator version id in op's transaction.
func (c *Store) DropOperator(op heap.Op, id heap.TupleID) error {
	op.Snap.Serializable = false
	return c.heap.Delete(op, id)
}

// OperatorReader is a Reader that knows the user-defined operators
// visible to the statement.
type OperatorReader interface {
	Reader
	Operators() ([]*OperatorDesc, error)
}

// operatorRows are pg_operator's rows: the user-defined operators (the
// built-in ones are not listed).
func operatorRows(rd Reader) ([][]types.Datum, error) {
	or, ok := rd.(OperatorReader)
	if !ok {
		return nil, nil
	}
	ops, err := or.Operators()
	if err != nil || len(ops) == 0 {
		return nil, err
	}
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, o := range ops {
		var left int64
		if o.Left != nil {
			left = int64(o.Left.OID())
		}
		out = append(out, []types.Datum{int64(o.OID), o.Name, r.NamespaceOID(o.Schema), int64(o.Owner),
			o.Kind(), false, false, left, int64(o.Right.OID()),
			int64(TypeOID(o.Result)), int64(0), int64(0), o.Fn.ProcOID, int64(0), int64(0)})
	}
	return out, nil
}
