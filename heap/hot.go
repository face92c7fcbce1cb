package heap

import (
	"sync"
	"sync/atomic"
)

// hotRows is the set of rows, by key prefix, that lookups read newest
// first. Lookups read it without a lock (an immutable map behind an atomic
// pointer); the rare additions copy it.
type hotRows struct {
	mu   sync.Mutex // serializes additions
	rows atomic.Pointer[map[string]struct{}]
}

func (s *hotRows) has(prefix []byte) bool {
	m := s.rows.Load()
	if m == nil {
		return false
	}
	_, ok := (*m)[string(prefix)]
	return ok
}

// add puts rows in the set; a full set starts afresh, since forgetting a
// row costs one slower lookup of it, not a wrong answer.
func (s *hotRows) add(rows ...[]byte) {
	if len(rows) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]struct{})
	if old := s.rows.Load(); old != nil && len(*old)+len(rows) <= hotRowsMax {
		for k := range *old {
			m[k] = struct{}{}
		}
	}
	for _, r := range rows {
		if len(m) == hotRowsMax {
			break
		}
		m[string(r)] = struct{}{}
	}
	s.rows.Store(&m)
}
