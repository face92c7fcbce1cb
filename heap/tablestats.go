package heap

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
)

// TableCounts are the row versions written to one table's storage since
// the heap was opened, whether their transactions committed or not (as
// PostgreSQL's n_tup_ins, n_tup_upd and n_tup_del count them).
type TableCounts struct {
	Inserted, Updated, Deleted uint64
}

// tableCounters are the per-table counters behind TableCounts. A table's
// counters are made once and never removed while the heap is open; the
// hot path is a map load and an atomic add.
type tableCounters struct {
	m sync.Map // uint32 -> *tableCount
}

type tableCount struct {
	ins, upd, del atomic.Uint64
}

func (c *tableCounters) of(table uint32) *tableCount {
	if v, ok := c.m.Load(table); ok {
		return v.(*tableCount)
	}
	v, _ := c.m.LoadOrStore(table, new(tableCount))
	return v.(*tableCount)
}

// TableCounts returns the counts of every table written since Open, by
// storage id.
func (h *Heap) TableCounts() map[uint32]TableCounts {
	out := make(map[uint32]TableCounts)
	h.counts.m.Range(func(k, v any) bool {
		c := v.(*tableCount)
		out[k.(uint32)] = TableCounts{Inserted: c.ins.Load(), Updated: c.upd.Load(), Deleted: c.del.Load()}
		return true
	})
	return out
}

// tableOf is the storage id of a tuple id.
func tableOf(id TupleID) uint32 { return binary.BigEndian.Uint32(id[1:5]) }

// LiveDead counts the versions of table that a snapshot taken now would
// see (live: no deleter, or one that rolled back; and the inserts of
// running transactions) and those vacuum may remove or will once their
// deleters end (dead: VersionDead and VersionDying), by reading every
// version: a cost in proportion to the table's size.
func (h *Heap) LiveDead(table uint32) (live, dead int64, err error) {
	err = h.ForEachVersion(table, func(_ []byte, st VersionState) error {
		if st == VersionLive {
			live++
		} else {
			dead++
		}
		return nil
	})
	return live, dead, err
}
