package sql

import (
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// pg_stats: the statistics ANALYZE stored (analyze.go), one row per
// analyzed column of a table the current role may read, in PostgreSQL's
// columns. most_common_vals and histogram_bounds are anyarray values
// printed as arrays of the column's type. cairn gathers no statistics of
// an inheritance tree as a whole (inherited is always false) nor of array
// elements (the *_elem* columns are NULL), and checks SELECT on the
// table, not column privileges.
var pgStats = &sysView{
	name: "pg_stats",
	cols: resultColumns(catalog.Cols("schemaname", nameT, "tablename", nameT, "attname", nameT,
		"inherited", boolT, "null_frac", float4T, "avg_width", int4T, "n_distinct", float4T,
		"most_common_vals", anyArrayT, "most_common_freqs", float4ArrayT, "histogram_bounds", anyArrayT,
		"correlation", float4T, "most_common_elems", anyArrayT, "most_common_elem_freqs", float4ArrayT,
		"elem_count_histogram", float4ArrayT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		rels, err := x.Relations()
		if err != nil {
			return nil, err
		}
		all, err := x.s.e.cat.AllStatistics(x.snap)
		if err != nil {
			return nil, err
		}
		byTable := make(map[uint32]*catalog.StoredStatistics, len(all))
		for _, st := range all {
			byTable[st.Table] = st
		}
		var out [][]types.Datum
		for _, t := range rels.Tables {
			st := byTable[t.ID]
			if st == nil || !analyzable(t) || x.checkRelPriv(t, catalog.PrivSelect) != nil {
				continue
			}
			if err := x.tick(); err != nil {
				return nil, err
			}
			schema := t.Schema
			if schema == "" {
				schema = "public"
			}
			dec := decodeRelStats(&st.TableStatistics)
			for _, c := range t.Columns {
				cs := dec.cols[c.Name]
				if cs == nil || cs.Type.ID != c.Type.ID {
					continue
				}
				row := []types.Datum{schema, t.Name, c.Name, false,
					float4Datum(cs.NullFrac), int64(cs.AvgWidth), float4Datum(cs.Distinct),
					anyArrayText(c.Type, cs.mcv), float4Array(cs.MCF), anyArrayText(c.Type, cs.hist),
					nil, nil, nil, nil}
				if cs.Correlation != nil {
					row[10] = float4Datum(*cs.Correlation)
				}
				out = append(out, row)
			}
		}
		return out, nil
	},
}

var (
	float4T      = types.New(types.Float4)
	float4ArrayT = types.New(types.Float4Array)
	anyArrayT    = types.New(types.AnyArray)
)

func init() { sessionSystemViews[pgStats.name] = pgStats }

// float4Datum is f rounded to a real.
func float4Datum(f float64) types.Datum { return float64(float32(f)) }

func float4Array(fs []float64) types.Datum {
	if len(fs) == 0 {
		return nil
	}
	a := &types.Array{Elems: make([]types.Datum, len(fs))}
	for i, f := range fs {
		a.Elems[i] = float4Datum(f)
	}
	return a
}

// anyArrayText is vals as an array of type t prints; NULL for none.
func anyArrayText(t types.T, vals []types.Datum) types.Datum {
	if len(vals) == 0 {
		return nil
	}
	info, ok := types.Lookup(t.ID)
	if !ok || info.Array == 0 {
		return nil
	}
	return types.FormatText(types.T{ID: info.Array, Mod: t.Mod}, &types.Array{Elems: vals})
}
