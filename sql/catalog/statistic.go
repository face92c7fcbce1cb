package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// StatisticTableID is the heap table that holds what ANALYZE found in
// each table (PostgreSQL's pg_statistic, and the reltuples and relpages
// it stores in pg_class): one row per table, keyed by the table's oid,
// written under MVCC like every catalog row, so that an ANALYZE in a
// transaction that rolls back leaves the statistics as they were.
const StatisticTableID = heap.SystemTable + 12

// TableStatistics is what ANALYZE found in one table.
type TableStatistics struct {
	Table uint32 `json:"table"`
	// Rows and Pages are the table's live rows when it was analyzed and
	// the 8kB pages PostgreSQL would have stored them in (reltuples,
	// relpages).
	Rows  float64 `json:"rows"`
	Pages float64 `json:"pages"`
	// Columns are the analyzed columns' statistics.
	Columns []ColumnStatistics `json:"columns"`
}

// ColumnStatistics is one pg_statistic row: a column's statistics over
// the sample ANALYZE read. Values are stored in the row encoding of the
// column's type (Type), which they are decoded back into.
type ColumnStatistics struct {
	Name string  `json:"name"`
	Type types.T `json:"type"`
	// NullFrac is the fraction of the rows whose value is NULL;
	// AvgWidth the average width in bytes of the non-NULL values.
	NullFrac float64 `json:"null_frac"`
	AvgWidth int32   `json:"avg_width"`
	// Distinct is the number of distinct non-NULL values, or, negative,
	// minus their number divided by the rows (when it grows with the
	// table), as pg_stats' n_distinct.
	Distinct float64 `json:"n_distinct"`
	// MCV are the most common values (EncodeRow of them), most common
	// first, and MCF the fraction of all rows holding each.
	MCV []byte    `json:"mcv,omitempty"`
	MCF []float64 `json:"mcf,omitempty"`
	// Histogram holds the bounds of buckets of equal population over the
	// values not in MCV (EncodeRow of them), ascending.
	Histogram []byte `json:"histogram,omitempty"`
	// Correlation is the correlation between the values' order and
	// their physical order; nil when the type has no ordering.
	Correlation *float64 `json:"correlation,omitempty"`
}

// StoredStatistics is a TableStatistics as read, with its tuple version.
type StoredStatistics struct {
	TableStatistics
	Tuple heap.TupleID
}

func statisticKey(table uint32) []byte {
	return types.EncodeKey([]types.Datum{int64(table)})
}

// Statistics returns the statistics of table visible to snap, or nil.
func (c *Store) Statistics(snap txn.Snapshot, table uint32) (*StoredStatistics, error) {
	snap.Serializable = false
	var out *StoredStatistics
	err := c.heap.ScanKey(snap, StatisticTableID, statisticKey(table), func(t heap.Tuple) error {
		s, err := decodeStatistics(t)
		out = s
		return err
	})
	return out, err
}

// AllStatistics returns every table's statistics visible to snap.
func (c *Store) AllStatistics(snap txn.Snapshot) ([]*StoredStatistics, error) {
	snap.Serializable = false
	var out []*StoredStatistics
	err := c.heap.Scan(snap, StatisticTableID, func(t heap.Tuple) error {
		s, err := decodeStatistics(t)
		if err == nil {
			out = append(out, s)
		}
		return err
	})
	return out, err
}

func decodeStatistics(t heap.Tuple) (*StoredStatistics, error) {
	s := &StoredStatistics{Tuple: t.ID}
	if err := json.Unmarshal(t.Data, &s.TableStatistics); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry of pg_statistic")
	}
	return s, nil
}

// ReplaceStatistics stores st in place of the version old (nil when there
// was none): old is deleted in op's transaction and st inserted by later,
// a later command of it. A nil st only deletes (the table was dropped).
func (c *Store) ReplaceStatistics(op, later heap.Op, old heap.TupleID, st *TableStatistics) error {
	op.Snap.Serializable = false
	later.Snap.Serializable = false
	if old != nil {
		if err := c.heap.Delete(op, old); err != nil {
			return err
		}
	}
	if st == nil {
		return nil
	}
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("catalog: encoding a pg_statistic row: %w", err)
	}
	return c.heap.Insert(later, StatisticTableID, statisticKey(st.Table), data)
}
