package sqltest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Kind is the kind of a record.
type Kind int

const (
	KindStatement Kind = iota
	KindQuery
	KindHashThreshold
	KindHalt
)

// Condition is a skipif/onlyif line.
type Condition struct {
	Skip   bool // skipif; false means onlyif
	Engine string
}

// Record is one record of a test file.
type Record struct {
	Kind       Kind
	Line       int // line of the record's first line (conditions included)
	Conditions []Condition
	SQL        string

	// statement
	ExpectError bool

	// query
	Types    string
	Sort     string // nosort, rowsort, valuesort
	Label    string
	Expected []string

	// hash-threshold
	Threshold int
}

// ParseFile reads the records of one file.
func ParseFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// Parse reads records from r.
func Parse(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var out []Record
	i := 0
	for i < len(lines) {
		// Skip blank lines and comments between records.
		if t := strings.TrimSpace(lines[i]); t == "" || strings.HasPrefix(t, "#") {
			i++
			continue
		}
		rec := Record{Line: i + 1}
		// Conditions.
		for i < len(lines) {
			f := strings.Fields(lines[i])
			if len(f) >= 2 && (f[0] == "skipif" || f[0] == "onlyif") {
				rec.Conditions = append(rec.Conditions, Condition{Skip: f[0] == "skipif", Engine: f[1]})
				i++
				continue
			}
			break
		}
		if i >= len(lines) {
			break
		}
		head := strings.Fields(lines[i])
		i++
		if len(head) == 0 {
			continue
		}
		switch head[0] {
		case "statement":
			if len(head) < 2 || (head[1] != "ok" && head[1] != "error") {
				return nil, fmt.Errorf("line %d: statement must be followed by ok or error", rec.Line)
			}
			rec.Kind = KindStatement
			rec.ExpectError = head[1] == "error"
			var sqlLines []string
			for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
				sqlLines = append(sqlLines, lines[i])
				i++
			}
			rec.SQL = strings.Join(sqlLines, "\n")
		case "query":
			if len(head) < 2 {
				return nil, fmt.Errorf("line %d: query needs its column types", rec.Line)
			}
			rec.Kind = KindQuery
			rec.Types = head[1]
			rec.Sort = "nosort"
			if len(head) >= 3 {
				rec.Sort = head[2]
			}
			if len(head) >= 4 {
				rec.Label = head[3]
			}
			switch rec.Sort {
			case "nosort", "rowsort", "valuesort":
			default:
				return nil, fmt.Errorf("line %d: unknown sort mode %q", rec.Line, rec.Sort)
			}
			var sqlLines []string
			for i < len(lines) && strings.TrimSpace(lines[i]) != "" && lines[i] != "----" {
				sqlLines = append(sqlLines, lines[i])
				i++
			}
			rec.SQL = strings.Join(sqlLines, "\n")
			if i < len(lines) && lines[i] == "----" {
				i++
				for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
					rec.Expected = append(rec.Expected, strings.TrimSpace(lines[i]))
					i++
				}
			}
		case "hash-threshold":
			if len(head) < 2 {
				return nil, fmt.Errorf("line %d: hash-threshold needs a number", rec.Line)
			}
			n, err := strconv.Atoi(head[1])
			if err != nil {
				return nil, fmt.Errorf("line %d: bad hash-threshold %q", rec.Line, head[1])
			}
			rec.Kind = KindHashThreshold
			rec.Threshold = n
		case "halt":
			rec.Kind = KindHalt
		default:
			return nil, fmt.Errorf("line %d: unknown record %q", rec.Line, head[0])
		}
		out = append(out, rec)
	}
	return out, nil
}
