package types

import (
	"strings"
)

// Bool is boolean; its values are Go bools.
const (
	Bool      ID = 16
	BoolArray ID = 1000
)

func init() {
	register(&Info{ID: Bool, Typname: "bool", SQLName: "boolean", Len: 1, Array: BoolArray, arrays: true,
		Category: 'B', Preferred: true,
		aliases: []string{"bool", "boolean"},
		input:   func(_ T, s string) (Datum, error) { return parseBool(s) },
		cast:    castToBool})
}

// parseBool is boolin.
func parseBool(s string) (Datum, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "tr", "tru", "true", "y", "ye", "yes", "on", "1":
		return true, nil
	case "f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0":
		return false, nil
	}
	return nil, invalidInput(New(Bool), s)
}

// castToBool converts text and int4 (0 is false) to boolean.
func castToBool(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case int64:
		if from.ID == Int4 {
			return v != 0, nil
		}
	}
	return nil, cannotCast(from, to)
}
