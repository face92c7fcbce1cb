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
// (the catalog, JSON, array and set-returning ones) are not listed. The
// user-defined routines follow (pgprocuser.go). psql's \df reads it: without a
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

// key is the function's signature as builtinProcs and the function ACL
// table key it: its name and argument type oids, "abs(23)".
func (p Proc) key() string {
	ids := make([]string, len(p.Args))
	for i, a := range p.Args {
		ids[i] = strconv.Itoa(int(a))
	}
	return p.Name + "(" + strings.Join(ids, ",") + ")"
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

// FunctionACLReader is a Reader that knows the ACLs GRANT and REVOKE gave
// the built-in functions, by signature key ("md5(25)"); pg_proc shows
// them in proacl.
type FunctionACLReader interface {
	Reader
	FunctionACLs() (map[string][]ACLItem, error)
}

func procRows(rd Reader) ([][]types.Datum, error) {
	var acls map[string][]ACLItem
	var rels *Relations
	if fr, ok := rd.(FunctionACLReader); ok {
		var err error
		if acls, err = fr.FunctionACLs(); err != nil {
			return nil, err
		}
		if len(acls) > 0 {
			if rels, err = rd.Relations(); err != nil {
				return nil, err
			}
		}
	}
	var out [][]types.Datum
	for _, p := range Procs() {
		var proacl types.Datum
		if acl, ok := acls[p.key()]; ok {
			proacl = rels.ACLDatum(acl, true)
		}
		args := &types.Array{Elems: make([]types.Datum, len(p.Args))}
		for i, a := range p.Args {
			args.Elems[i] = int64(a)
		}
		out = append(out, []types.Datum{p.OID, p.Name, int64(types.OIDPgCatalog), int64(types.OIDBootstrapSuperuser),
			int64(oidInternalLanguage), float64(1), float64(0), int64(0), noSupport,
			"f", false, false, true, false,
			string(p.info.volatile), string(p.info.parallel), int64(len(p.Args)), int64(0),
			int64(p.Result), args, nil, nil,
			nil, nil, nil, p.info.src,
			nil, nil, nil, proacl})
	}
	user, err := userProcRows(rd)
	if err != nil {
		return nil, err
	}
	return append(out, user...), nil
}
