package txn

import (
	"encoding/binary"
	"reflect"
	"testing"
)

func TestPreparedRecordRoundTrip(t *testing.T) {
	tests := []*PreparedTxn{
		{GID: "a", XID: 7, Meta: []byte(`{"owner":"x"}`)},
		{GID: "b", XID: 1 << 40, subs: []XID{8, 9}, locks: []heldTableLock{{table: 3, mode: RowExclusive}, {table: 70000, mode: AccessExclusive}}},
		{GID: "c", XID: 12, locks: []heldTableLock{{table: 5, mode: Share}}, Meta: []byte("m")},
	}
	for _, p := range tests {
		got, err := decodePrepared(p.GID, encodePrepared(p))
		if err != nil {
			t.Fatalf("%s: %v", p.GID, err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("%s: decoded %+v, want %+v", p.GID, got, p)
		}
	}
}

func TestPreparedRecordFirstFormat(t *testing.T) {
	// xid | n | subs | meta, as written before table locks were recorded.
	v := binary.BigEndian.AppendUint64(nil, 42)
	v = binary.BigEndian.AppendUint32(v, 1)
	v = binary.BigEndian.AppendUint64(v, 43)
	v = append(v, "meta"...)
	p, err := decodePrepared("g", v)
	if err != nil {
		t.Fatal(err)
	}
	if p.XID != 42 || !reflect.DeepEqual(p.subs, []XID{43}) || p.locks != nil || string(p.Meta) != "meta" {
		t.Fatalf("decoded %+v", p)
	}
}

func TestPreparedRecordMalformed(t *testing.T) {
	good := encodePrepared(&PreparedTxn{GID: "g", XID: 5, subs: []XID{6}, locks: []heldTableLock{{table: 1, mode: Share}}})
	bad := [][]byte{
		nil,
		{preparedFormat2},
		good[:12],          // cut inside the subtransactions
		good[:1+8+4+8+2],   // cut inside the lock count
		good[:len(good)-1], // cut inside a lock
		append(append([]byte(nil), good[:len(good)-1]...), 9),                                           // unknown lock mode
		binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64([]byte{preparedFormat2}, 5), 1<<31), // huge count
	}
	for i, v := range bad {
		if _, err := decodePrepared("g", v); err == nil {
			t.Errorf("case %d (%x): decoded without error", i, v)
		}
	}
}
