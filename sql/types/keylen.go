package types

// KeyValueLen returns the length of the first value's encoding in key b
// (EncodeKey), so that a caller can find the columns of a multi-column
// index key. It knows the fixed-size encodings and the escaped strings
// and numerics; false for another tag (geometric, jsonb, array, record,
// network values) or a truncated key.
func KeyValueLen(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	switch b[0] {
	case KeyNull:
		n = 1
	case 0x10: // bool
		n = 2
	case 0x11, 0x12, 0x15, 0x1a, 0x1c, 0x21: // int, float, timestamp, time, enum, money
		n = 9
	case 0x1b: // timetz
		n = 13
	case 0x17: // uuid
		n = 17
	case 0x19: // interval
		n = 17
	case 0x1f: // macaddr
		n = 7
	case 0x20: // macaddr8
		n = 9
	case 0x13, 0x14: // text, numeric: escaped, ending 0x00 0x01
		for i := 1; i+1 < len(b); i++ {
			if b[i] == 0 {
				if b[i+1] == 1 {
					return i + 2, true
				}
				i++ // 0x00 0xff is an escaped zero byte
			}
		}
		return 0, false
	default:
		return 0, false
	}
	return n, n <= len(b)
}
