package catalog

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/types"
)

// AggDef is what CREATE AGGREGATE defines beyond the routine itself:
// pg_aggregate's row. The support functions are kept by the function
// they resolved to when the aggregate was created: a user routine by
// its oid (a routine's oid survives a rename), a built-in function by
// its name (which, like its oid, does not change).
type AggDef struct {
	TransFn AggFn   `json:"transfn"`
	Final   *AggFn  `json:"final,omitempty"`
	Combine *AggFn  `json:"combine,omitempty"`
	State   types.T `json:"state"`
	// InitCond is the initial state's text (agginitval); nil for none,
	// when the state starts as NULL.
	InitCond *string `json:"initcond,omitempty"`
	// FinalExtra passes the final function one NULL per aggregate
	// argument after the state (FINALFUNC_EXTRA).
	FinalExtra bool `json:"final_extra,omitempty"`
	// FinalModify is aggfinalmodify: "r", "s" or "w".
	FinalModify string `json:"final_modify,omitempty"`
}

// AggFn names one support function of an aggregate: OID for a user
// routine (0 for a built-in one), Name its name, ProcOID the oid
// pg_aggregate shows (the built-in function's listed oid, or OID).
type AggFn struct {
	OID     uint32 `json:"oid,omitempty"`
	Name    string `json:"name"`
	ProcOID int64  `json:"proc_oid,omitempty"`
}

// References reports whether the aggregate uses the user routine oid
// as one of its support functions.
func (a *AggDef) References(oid uint32) bool {
	if a == nil {
		return false
	}
	if a.TransFn.OID == oid {
		return true
	}
	return a.Final != nil && a.Final.OID == oid || a.Combine != nil && a.Combine.OID == oid
}

// BuiltinProcOID is the pg_proc oid of the built-in function name taking
// args; 0 when pg_proc does not list it.
func BuiltinProcOID(name string, args []types.ID) int64 {
	ids := make([]string, len(args))
	for i, a := range args {
		ids[i] = strconv.Itoa(int(a))
	}
	if p, ok := builtinProcs[name+"("+strings.Join(ids, ",")+")"]; ok {
		return p.oid
	}
	return 0
}
