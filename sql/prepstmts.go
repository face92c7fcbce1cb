package sql

import (
	"time"

	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// The session's named prepared statements, as pg_prepared_statements
// lists them: those PREPARE made (from_sql) and those a Parse message of
// the extended protocol named. Both kinds share one namespace and both
// run under EXECUTE, as in PostgreSQL.
//
// cairn binds a prepared statement once and runs that one plan with every
// set of parameter values (it binds again only when the catalog, the
// search path or the role changed), so every execution counts as a
// generic plan and custom_plans stays 0. PostgreSQL plans its first five
// executions of a statement with parameters for their values (custom)
// and then usually settles on a generic plan; the total of the two
// columns is the number of executions in both.

// namedStmt is one named prepared statement.
type namedStmt struct {
	p *Prepared
	// source is the query string the statement came from: the client's
	// whole simple Query for a PREPARE (PostgreSQL shows that string,
	// other statements in it included), the Parse message's query for
	// a protocol statement.
	source  string
	at      time.Time // prepare_time
	fromSQL bool
}

// namedPrepared returns the prepared statement PREPARE or a Parse made
// under name.
func (s *Session) namedPrepared(name string) (*Prepared, bool) {
	if n, ok := s.sqlPrepared[name]; ok {
		return n.p, true
	}
	if n, ok := s.protoStmts[name]; ok {
		return n.p, true
	}
	return nil, false
}

// pgPreparedStatements is pg_prepared_statements: the session's named
// prepared statements.
var pgPreparedStatements = &sysView{
	name: "pg_prepared_statements",
	cols: resultColumns(catalog.Cols("name", textT, "statement", textT, "prepare_time", types.New(types.TimestampTZ),
		"parameter_types", types.New(types.RegtypeArray), "from_sql", boolT,
		"generic_plans", types.New(types.Int8), "custom_plans", types.New(types.Int8))),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		b := &binder{s: x.s, snap: x.snap}
		var out [][]types.Datum
		for _, m := range []map[string]*namedStmt{x.s.sqlPrepared, x.s.protoStmts} {
			for name, n := range m {
				params := make([]types.Datum, len(n.p.ParamTypes))
				for i, t := range n.p.ParamTypes {
					params[i] = regtypeOf(b, t)
				}
				out = append(out, []types.Datum{name, n.source, n.at, &types.Array{Elems: params}, n.fromSQL, n.p.runs, int64(0)})
			}
		}
		return out, nil
	},
}

func init() { sessionSystemViews[pgPreparedStatements.name] = pgPreparedStatements }

// regtypeOf is t as a regtype value, named as format_type names it.
func regtypeOf(b *binder, t types.T) *types.RegValue {
	if t.IsUser() {
		return &types.RegValue{OID: int64(t.TypeOID()), Name: b.typeName(t)}
	}
	return types.NewReg(types.Regtype, int64(t.TypeOID()), nil)
}
