package heap

import "fmt"

// HasIndexEntry reports whether index holds the entry for the row whose
// primary key encodes as pk, under key. Consistency checks use it: every
// live row must be reachable through each of its table's indexes.
func (h *Heap) HasIndexEntry(index uint32, key, pk []byte) (bool, error) {
	entry, _ := indexEntry(index, key, pk)
	_, ok, err := h.store.Get(entry)
	if err != nil {
		return false, fmt.Errorf("heap: reading index entry: %w", err)
	}
	return ok, nil
}
