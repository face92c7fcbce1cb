package catalog

import (
	"sort"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// pg_proc lists the built-in functions of package builtins's registry
// that PostgreSQL 15 also has in pg_catalog (procoids.go holds their
// oids), one row per overload; the functions the binder knows by name
// (the catalog, JSON, array and set-returning ones) are not listed, and
// cairn has no user-defined functions. psql's \df reads it: without a
// pattern it lists no function, as on a fresh PostgreSQL database, and
// \df abs lists abs's overloads.

// builtinProc is what PostgreSQL's pg_proc row of a built-in overload
// says beyond its signature.
type builtinProc struct {
	oid      int64
	volatile byte // provolatile: i, s or v
	parallel byte // proparallel: s, r or u
	src      string
}

// Proc is a pg_proc row's signature.
type Proc struct {
	OID    int64
	Name   string
	Args   []types.ID
	Result types.ID
	info   builtinProc
}

// Procs returns the listed built-in functions, by oid.
func Procs() []Proc {
	var out []Proc
	for _, f := range builtins.All() {
		for _, o := range f.Overloads {
			ids := make([]string, len(o.Args))
			for i, a := range o.Args {
				ids[i] = strconv.Itoa(int(a))
			}
			p, ok := builtinProcs[f.Name+"("+strings.Join(ids, ",")+")"]
			if !ok {
				continue
			}
			out = append(out, Proc{OID: p.oid, Name: f.Name, Args: o.Args, Result: o.Result, info: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}

// ProcByOID returns the listed function with oid.
func ProcByOID(oid int64) (Proc, bool) {
	for _, p := range Procs() {
		if p.OID == oid {
			return p, true
		}
	}
	return Proc{}, false
}

// Arguments is pg_get_function_arguments: the argument types as
// format_type prints them.
func (p Proc) Arguments() string {
	names := make([]string, len(p.Args))
	for i, a := range p.Args {
		names[i] = types.Format(types.New(a))
	}
	return strings.Join(names, ", ")
}

func procRows(Reader) ([][]types.Datum, error) {
	var out [][]types.Datum
	for _, p := range Procs() {
		args := &types.Array{Elems: make([]types.Datum, len(p.Args))}
		for i, a := range p.Args {
			args.Elems[i] = int64(a)
		}
		out = append(out, []types.Datum{p.OID, p.Name, int64(types.OIDPgCatalog), int64(types.OIDBootstrapSuperuser),
			int64(oidInternalLanguage), float64(1), float64(0), int64(0), int64(0),
			"f", false, false, true, false,
			string(p.info.volatile), string(p.info.parallel), int64(len(p.Args)), int64(0),
			int64(p.Result), args, nil, nil,
			nil, nil, nil, p.info.src,
			nil, nil, nil, nil})
	}
	return out, nil
}
