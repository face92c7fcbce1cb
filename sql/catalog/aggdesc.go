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
	// Moving is the moving-aggregate implementation (MSFUNC, MINVFUNC
	// and their companions), which a window whose frame head moves uses
	// to take rows out of the state instead of starting over; nil for
	// none.
	Moving *AggMoving `json:"moving,omitempty"`
}

// AggMoving is an aggregate's moving-aggregate implementation:
// pg_aggregate's aggm* columns.
type AggMoving struct {
	TransFn AggFn   `json:"transfn"`
	InvFn   AggFn   `json:"invfn"`
	Final   *AggFn  `json:"final,omitempty"`
	State   types.T `json:"state"`
	// InitCond is aggminitval: nil for none.
	InitCond    *string `json:"initcond,omitempty"`
	FinalExtra  bool    `json:"final_extra,omitempty"`
	FinalModify string  `json:"final_modify,omitempty"`
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
	if a.Final != nil && a.Final.OID == oid || a.Combine != nil && a.Combine.OID == oid {
		return true
	}
	m := a.Moving
	return m != nil && (m.TransFn.OID == oid || m.InvFn.OID == oid || m.Final != nil && m.Final.OID == oid)
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

// pg_aggregate: a row for each user-defined aggregate. The built-in
// aggregates are bound by name, not listed here.
func init() {
	regprocT := types.New(types.Regproc)
	pgCatalog["pg_aggregate"] = &SystemView{Name: "pg_aggregate", Columns: Cols(
		"aggfnoid", regprocT, "aggkind", charT, "aggnumdirectargs", int2T, "aggtransfn", regprocT,
		"aggfinalfn", regprocT, "aggcombinefn", regprocT, "aggserialfn", regprocT, "aggdeserialfn", regprocT,
		"aggmtransfn", regprocT, "aggminvtransfn", regprocT, "aggmfinalfn", regprocT, "aggfinalextra", boolT,
		"aggmfinalextra", boolT, "aggfinalmodify", charT, "aggmfinalmodify", charT, "aggsortop", oidT,
		"aggtranstype", oidT, "aggtransspace", int4T, "aggmtranstype", oidT, "aggmtransspace", int4T,
		"agginitval", textT, "aggminitval", textT), Rows: aggregateRows}
}

func aggregateRows(rd Reader) ([][]types.Datum, error) {
	fs, err := userFunctions(rd)
	if err != nil {
		return nil, err
	}
	names := map[uint32]string{}
	for _, f := range fs {
		names[f.OID] = f.Name
	}
	proc := func(fn *AggFn) *types.RegValue {
		if fn == nil {
			return noSupport
		}
		name := fn.Name
		if n, ok := names[fn.OID]; ok && fn.OID != 0 {
			name = n
		}
		return &types.RegValue{OID: fn.ProcOID, Name: name}
	}
	var out [][]types.Datum
	for _, f := range fs {
		a := f.Agg
		if a == nil {
			continue
		}
		var init, minit types.Datum
		if a.InitCond != nil {
			init = *a.InitCond
		}
		mtrans, minv, mfinal, mextra, mmodify, mstate := noSupport, noSupport, noSupport, false, "r", int64(0)
		if m := a.Moving; m != nil {
			mtrans, minv, mfinal, mextra, mmodify, mstate = proc(&m.TransFn), proc(&m.InvFn), proc(m.Final), m.FinalExtra, m.FinalModify, int64(TypeOID(m.State))
			if m.InitCond != nil {
				minit = *m.InitCond
			}
		}
		out = append(out, []types.Datum{&types.RegValue{OID: int64(f.OID), Name: f.Name}, "n", int64(0), proc(&a.TransFn),
			proc(a.Final), proc(a.Combine), noSupport, noSupport,
			mtrans, minv, mfinal, a.FinalExtra,
			mextra, a.FinalModify, mmodify, int64(0),
			int64(TypeOID(a.State)), int64(0), mstate, int64(0),
			init, minit})
	}
	return out, nil
}
