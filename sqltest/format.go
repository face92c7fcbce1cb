package sqltest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ValueKind says how a result value was typed by the engine.
type ValueKind byte

const (
	ValueNull ValueKind = iota
	ValueInt
	ValueFloat // float and numeric
	ValueText
	// ValueBool is a boolean: 1 or 0 in an integer column, as the
	// reference runner reads booleans.
	ValueBool
)

// Value is one result value as the engine produced it: its kind and its
// text form.
type Value struct {
	Kind ValueKind
	Text string
}

// formatValue renders v for a column of type letter t.
func formatValue(v Value, t byte) string {
	if v.Kind == ValueNull {
		return "NULL"
	}
	switch t {
	case 'I':
		switch v.Kind {
		case ValueInt:
			return v.Text
		case ValueBool:
			if v.Text == "t" || v.Text == "true" {
				return "1"
			}
			return "0"
		case ValueFloat:
			f, _ := strconv.ParseFloat(v.Text, 64)
			return strconv.FormatInt(int64(f), 10)
		}
		return strconv.FormatInt(leadingInt(v.Text), 10)
	case 'R':
		var f float64
		if v.Kind == ValueText {
			f = leadingFloat(v.Text)
		} else {
			f, _ = strconv.ParseFloat(v.Text, 64)
		}
		s := fmt.Sprintf("%.3f", f)
		if s == "-0.000" {
			s = "0.000"
		}
		return s
	}
	if v.Text == "" {
		return "(empty)"
	}
	var b strings.Builder
	for _, r := range v.Text {
		if r < 0x20 || r > 0x7e {
			b.WriteByte('@')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func leadingInt(s string) int64 {
	s = strings.TrimSpace(s)
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	return n
}

func leadingFloat(s string) float64 {
	s = strings.TrimSpace(s)
	for end := len(s); end > 0; end-- {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return f
		}
	}
	return 0
}

// formatResult renders rows for the query's column types and sort mode.
func formatResult(rows [][]Value, types, sortMode string) []string {
	formatted := make([][]string, len(rows))
	for i, r := range rows {
		formatted[i] = make([]string, len(r))
		for j, v := range r {
			t := byte('T')
			if j < len(types) {
				t = types[j]
			}
			formatted[i][j] = formatValue(v, t)
		}
	}
	switch sortMode {
	case "rowsort":
		sort.SliceStable(formatted, func(a, b int) bool {
			x, y := formatted[a], formatted[b]
			for k := 0; k < len(x) && k < len(y); k++ {
				if x[k] != y[k] {
					return x[k] < y[k]
				}
			}
			return len(x) < len(y)
		})
	}
	var values []string
	for _, r := range formatted {
		values = append(values, r...)
	}
	if sortMode == "valuesort" {
		sort.Strings(values)
	}
	return values
}

// hashValues is the MD5 of every value followed by a newline.
func hashValues(values []string) string {
	h := md5.New()
	for _, v := range values {
		h.Write([]byte(v))
		h.Write([]byte("\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func hashLine(values []string) string {
	return fmt.Sprintf("%d values hashing to %s", len(values), hashValues(values))
}
