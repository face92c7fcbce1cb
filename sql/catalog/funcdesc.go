package catalog

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// User-defined functions and procedures. Each is a FuncDesc, a JSON row
// of a heap table of its own (FunctionTableID) keyed by its schema, name
// and input argument types (Signature), so that two routines of one
// schema cannot have the same name and input types (the heap's unique
// key refuses the second; package sql reports 42723), DDL on them is
// transactional, and they survive restarts with the data. pg_proc shows
// them (pgproc.go) beside the built-in functions.

// FunctionTableID is the heap table that holds user-defined functions
// and procedures.
const FunctionTableID = heap.SystemTable + 10

// Routine kinds, as pg_proc.prokind spells them.
const (
	KindFunc      = "f"
	KindProcedure = "p"
	KindAggregate = "a"
)

// FuncArg is one declared parameter of a routine.
type FuncArg struct {
	Name string  `json:"name,omitempty"`
	Type types.T `json:"type"`
	// Mode is "i", "o", "b" (INOUT), "v" (VARIADIC) or "t" (a column of
	// RETURNS TABLE), as proargmodes spells them.
	Mode string `json:"mode"`
	// Default is the DEFAULT expression's SQL text; "" for none.
	Default string `json:"default,omitempty"`
}

// IsInput reports whether the argument is passed by a call (IN, INOUT
// or VARIADIC).
func (a FuncArg) IsInput() bool { return a.Mode == "i" || a.Mode == "b" || a.Mode == "v" }

// IsOutput reports whether the argument is part of the result (OUT,
// INOUT or TABLE).
func (a FuncArg) IsOutput() bool { return a.Mode == "o" || a.Mode == "b" || a.Mode == "t" }

// FuncDesc describes a user-defined function or procedure.
type FuncDesc struct {
	OID    uint32    `json:"oid"`
	Schema string    `json:"schema"`
	Name   string    `json:"name"`
	Kind   string    `json:"kind"`
	Owner  uint32    `json:"owner"`
	Args   []FuncArg `json:"args,omitempty"`
	// Result is the result type (void for a procedure without output
	// arguments, record for several OUT arguments); SetOf makes the
	// function set-returning. Table marks RETURNS TABLE.
	Result types.T `json:"result"`
	SetOf  bool    `json:"setof,omitempty"`
	// Language is the language's name (sql, plpgsql, ...).
	Language string `json:"language"`
	// Body is the source text of a string body (prosrc); SQLBody the
	// statements of a SQL-standard body, Return marking RETURN expr (its
	// one statement is then "SELECT expr").
	Body    string   `json:"body,omitempty"`
	SQLBody []string `json:"sql_body,omitempty"`
	// StdBody marks a SQL-standard body (BEGIN ATOMIC END may have no
	// statements).
	StdBody bool `json:"std_body,omitempty"`
	Return  bool `json:"return,omitempty"`
	// Returns are the statements of a BEGIN ATOMIC body written as
	// RETURN expr (stored as SELECT expr), by index, for its display.
	Returns []int `json:"returns,omitempty"`
	// Volatility is "i", "s" or "v"; Parallel "s", "r" or "u".
	Volatility string  `json:"volatility"`
	Strict     bool    `json:"strict,omitempty"`
	SecDef     bool    `json:"secdef,omitempty"`
	Leakproof  bool    `json:"leakproof,omitempty"`
	Parallel   string  `json:"parallel"`
	Cost       float64 `json:"cost"`
	Rows       float64 `json:"rows,omitempty"`
	// Config is proconfig: "name=value" settings applied while it runs.
	Config []string `json:"config,omitempty"`
	// ACL is proacl when HasACL is set, the default otherwise.
	ACL     []ACLItem `json:"acl,omitempty"`
	HasACL  bool      `json:"has_acl,omitempty"`
	Comment string    `json:"comment,omitempty"`
	// Deps are the user types the routine's arguments and result name
	// (pg_depend), by oid.
	Deps []uint32 `json:"deps,omitempty"`
	// Agg is the definition of an aggregate (Kind "a"), its pg_aggregate
	// row; nil for other routines.
	Agg *AggDef `json:"agg,omitempty"`
}

// InputArgs are the arguments a call passes, in order.
func (f *FuncDesc) InputArgs() []FuncArg {
	var out []FuncArg
	for _, a := range f.Args {
		if a.IsInput() {
			out = append(out, a)
		}
	}
	return out
}

// OutputArgs are the arguments that make up the result.
func (f *FuncDesc) OutputArgs() []FuncArg {
	var out []FuncArg
	for _, a := range f.Args {
		if a.IsOutput() {
			out = append(out, a)
		}
	}
	return out
}

// InputTypes are the types of InputArgs: the function's signature.
func (f *FuncDesc) InputTypes() []types.T {
	in := f.InputArgs()
	out := make([]types.T, len(in))
	for i, a := range in {
		out[i] = a.Type
	}
	return out
}

// NumDefaults is pronargdefaults: how many trailing input arguments
// have defaults.
func (f *FuncDesc) NumDefaults() int {
	n := 0
	for _, a := range f.InputArgs() {
		if a.Default != "" {
			n++
		}
	}
	return n
}

// Variadic reports whether the last input argument is VARIADIC.
func (f *FuncDesc) Variadic() bool {
	in := f.InputArgs()
	return len(in) > 0 && in[len(in)-1].Mode == "v"
}

// Signature is the routine's identity within its schema: its name and
// its input types' oids, "f(23,25)".
func (f *FuncDesc) Signature() string {
	return FuncSignature(f.Name, f.InputTypes())
}

// FuncSignature is Signature for a name and argument types.
func FuncSignature(name string, args []types.T) string {
	ids := make([]string, len(args))
	for i, a := range args {
		ids[i] = strconv.Itoa(int(a.ID))
	}
	return name + "(" + strings.Join(ids, ",") + ")"
}

func funcKey(schema, sig string) []byte {
	return types.EncodeKey([]types.Datum{schema, sig})
}

func (c *Store) decodeFunc(t heap.Tuple) (*FuncDesc, error) {
	c.mu.Lock()
	d, ok := c.funcs[string(t.ID)]
	c.mu.Unlock()
	if ok {
		return d, nil
	}
	d = new(FuncDesc)
	if err := json.Unmarshal(t.Data, d); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry of a function")
	}
	c.mu.Lock()
	if c.funcs == nil {
		c.funcs = make(map[string]*FuncDesc)
	}
	c.funcs[string(t.ID)] = d
	c.mu.Unlock()
	return d, nil
}

// FuncEntry is a routine with the id of its tuple version, which
// DropFunction takes.
type FuncEntry struct {
	*FuncDesc
	ID heap.TupleID
}

// Functions returns every user-defined routine visible to snap, in oid
// order. Callers must not modify the descriptors (they write a changed
// copy with ReplaceFunction).
func (c *Store) Functions(snap txn.Snapshot) ([]FuncEntry, error) {
	snap.Serializable = false
	var out []FuncEntry
	err := c.heap.Scan(snap, FunctionTableID, func(t heap.Tuple) error {
		d, err := c.decodeFunc(t)
		if err != nil {
			return err
		}
		out = append(out, FuncEntry{FuncDesc: d, ID: t.ID})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out, err
}

// CreateFunction adds desc in op's transaction; a routine of the same
// schema, name and input types visible to op is 42723.
func (c *Store) CreateFunction(op heap.Op, desc *FuncDesc) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("catalog: encoding function descriptor: %w", err)
	}
	err = c.heap.Insert(op, FunctionTableID, funcKey(desc.Schema, desc.Signature()), data)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return pgerr.New(pgerr.DuplicateFunction, "function \"%s\" already exists with same argument types", desc.Name)
	}
	return err
}

// DropFunction deletes the routine version id in op's transaction.
func (c *Store) DropFunction(op heap.Op, id heap.TupleID) error {
	op.Snap.Serializable = false
	return c.heap.Delete(op, id)
}

// ReplaceFunction swaps version id for desc, which may have a new name,
// schema or signature.
// The old version is deleted in op's transaction and the new one inserted
// by later, a later command of it.
func (c *Store) ReplaceFunction(op, later heap.Op, id heap.TupleID, desc *FuncDesc) error {
	if err := c.DropFunction(op, id); err != nil {
		return err
	}
	return c.CreateFunction(later, desc)
}
