package sqltest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Outcome is everything a differential run compares about one statement:
// its SQLSTATE (empty on success), command tag, result columns (name and
// type OID), values in PostgreSQL's text form (nil is NULL), and the
// WARNINGs it raised (SQLSTATE and message; other notices are not
// compared).
type Outcome struct {
	Code     string
	Message  string
	Tag      string
	Columns  []string
	Rows     [][]*string
	Warnings []string
}

// columnLabel is how a result column shows in an Outcome: its name and
// type OID. A user-defined type's OID (an enum's, its array's) depends on
// what else the database made before it, so it shows as "user".
func columnLabel(name string, oid uint32) string {
	if oid >= types.FirstUserOID {
		return name + ":user"
	}
	return fmt.Sprintf("%s:%d", name, oid)
}

// warningLine is how a WARNING shows in an Outcome.
func warningLine(code, message string) string { return "WARNING " + code + ": " + message }

// Render prints the outcome; rows are sorted when sortRows is set.
func (o Outcome) Render(sortRows bool) string {
	if o.Code != "" {
		return "ERROR " + o.Code + ": " + o.Message
	}
	var b strings.Builder
	b.WriteString(o.Tag)
	if len(o.Columns) > 0 {
		b.WriteString(" [" + strings.Join(o.Columns, ", ") + "]")
	}
	rows := make([]string, len(o.Rows))
	for i, r := range o.Rows {
		vals := make([]string, len(r))
		for j, v := range r {
			if v == nil {
				vals[j] = "NULL"
			} else {
				vals[j] = strconv.Quote(*v)
			}
		}
		rows[i] = "(" + strings.Join(vals, ", ") + ")"
	}
	if sortRows {
		sort.Strings(rows)
	}
	for _, r := range rows {
		b.WriteString("\n  " + r)
	}
	for _, w := range o.Warnings {
		b.WriteString("\n  " + w)
	}
	return b.String()
}

// equalOutcome compares two outcomes; messages may differ, codes may not.
func equalOutcome(a, b Outcome, sortRows bool) bool {
	if a.Code != "" || b.Code != "" {
		return a.Code == b.Code
	}
	return a.Render(sortRows) == b.Render(sortRows)
}

// Outcomer is implemented by connections that can report a full Outcome.
type Outcomer interface {
	Outcome(ctx context.Context, query string) Outcome
}

func (c *embeddedConn) Outcome(ctx context.Context, query string) Outcome {
	res, err := c.run(ctx, query)
	if err != nil {
		return Outcome{Code: pgerr.Code(err), Message: err.Error()}
	}
	o := Outcome{Tag: res.Tag, Warnings: c.warnings}
	for _, col := range res.Columns {
		o.Columns = append(o.Columns, columnLabel(col.Name, col.Type.TypeOID()))
	}
	for _, r := range res.Rows {
		row := make([]*string, len(r))
		for j, d := range r {
			if d != nil {
				s := types.FormatTextStyle(res.Columns[j].Type, d, res.Format)
				row[j] = &s
			}
		}
		o.Rows = append(o.Rows, row)
	}
	return o
}

func (c *remoteConn) Outcome(ctx context.Context, query string) Outcome {
	// Read result by result: the field descriptions of a query that
	// returns no rows are only available from the result reader.
	var o Outcome
	c.notices.warnings = nil
	mrr := c.conn.PgConn().Exec(ctx, query)
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		o = Outcome{}
		for _, f := range rr.FieldDescriptions() {
			o.Columns = append(o.Columns, columnLabel(f.Name, f.DataTypeOID))
		}
		for rr.NextRow() {
			vals := rr.Values()
			row := make([]*string, len(vals))
			for j, v := range vals {
				if v != nil {
					s := string(v)
					row[j] = &s
				}
			}
			o.Rows = append(o.Rows, row)
		}
		tag, err := rr.Close()
		if err != nil {
			break
		}
		o.Tag = tag.String()
	}
	o.Warnings = c.notices.warnings
	if err := mrr.Close(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return Outcome{Code: pe.Code, Message: pe.Message}
		}
		return Outcome{Code: "connection", Message: err.Error()}
	}
	if c.created != nil {
		if m := createRe.FindStringSubmatch(query); m != nil {
			c.created[strings.ToLower(m[2])] = strings.ToUpper(m[1])
		}
	}
	return o
}

// Statement is one statement of a differential file.
type Statement struct {
	Line int
	SQL  string
}

// ReadStatements reads the statements of a .sql file (each ends at a line
// whose last non-blank character is ';' outside a dollar-quoted string, so
// a function body may span lines; "--" lines and blank lines between
// statements are ignored) or of a sqllogictest file (the SQL of every
// statement and query record, conditions ignored).
func ReadStatements(path string) ([]Statement, error) {
	if strings.HasSuffix(path, ".test") || strings.HasSuffix(path, ".slt") {
		recs, err := ParseFile(path)
		if err != nil {
			return nil, err
		}
		var out []Statement
		for _, r := range recs {
			if r.Kind == KindStatement || r.Kind == KindQuery {
				out = append(out, Statement{Line: r.Line, SQL: r.SQL})
			}
		}
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Statement
	var cur []string
	start := 0
	dollar := "" // the open dollar quote's tag ("$$", "$body$"), if any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if len(cur) == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "--")) {
			continue
		}
		if len(cur) == 0 {
			start = n
		}
		cur = append(cur, line)
		dollar = dollarQuoteAfter(line, dollar)
		if dollar == "" && strings.HasSuffix(trimmed, ";") {
			out = append(out, Statement{Line: start, SQL: strings.Join(cur, "\n")})
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, Statement{Line: start, SQL: strings.Join(cur, "\n")})
	}
	return out, sc.Err()
}

// dollarQuoteAfter returns the dollar quote open at the end of line, given
// open, the one open at its start ("" for none). It knows only dollar
// quotes: a "$tag$" inside a '...' string or a comment would mislead it,
// which the differential files avoid.
func dollarQuoteAfter(line, open string) string {
	for i := 0; i < len(line); i++ {
		if open != "" {
			j := strings.Index(line[i:], open)
			if j < 0 {
				return open
			}
			i += j + len(open) - 1
			open = ""
			continue
		}
		if line[i] == '-' && strings.HasPrefix(line[i:], "--") {
			return ""
		}
		if line[i] != '$' || (i > 0 && isTagChar(line[i-1])) {
			continue
		}
		j := i + 1
		for j < len(line) && isTagChar(line[j]) {
			j++
		}
		if j < len(line) && line[j] == '$' && (j == i+1 || !isDigit(line[i+1])) {
			open = line[i : j+1]
			i = j
		}
	}
	return open
}

func isTagChar(c byte) bool {
	return c == '_' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Difference is a statement two targets answered differently.
type Difference struct {
	File  string
	Line  int
	SQL   string
	A, B  string // rendered outcomes
	NameA string
	NameB string
}

func (d Difference) String() string {
	return fmt.Sprintf("%s:%d: %s\n  %s: %s\n  %s: %s", d.File, d.Line, d.SQL,
		d.NameA, strings.ReplaceAll(d.A, "\n", "\n    "), d.NameB, strings.ReplaceAll(d.B, "\n", "\n    "))
}

var orderByRe = regexp.MustCompile(`(?i)\border\s+by\b`)

// DiffFile runs every statement of path on a fresh database of each target,
// in order, and returns the statements whose outcomes differ, plus the
// number of statements compared. Rows of a statement without ORDER BY are
// compared as sets.
func DiffFile(ctx context.Context, path string, a, b Target) ([]Difference, int, error) {
	stmts, err := ReadStatements(path)
	if err != nil {
		return nil, 0, err
	}
	ca, err := a.Open(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("opening %s: %w", a.Name(), err)
	}
	defer ca.Close()
	cb, err := b.Open(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("opening %s: %w", b.Name(), err)
	}
	defer cb.Close()
	oa, okA := ca.(Outcomer)
	ob, okB := cb.(Outcomer)
	if !okA || !okB {
		return nil, 0, errors.New("sqltest: target cannot report outcomes")
	}
	var diffs []Difference
	for _, st := range stmts {
		ra := oa.Outcome(ctx, st.SQL)
		rb := ob.Outcome(ctx, st.SQL)
		sortRows := !orderByRe.MatchString(st.SQL)
		if !equalOutcome(ra, rb, sortRows) {
			diffs = append(diffs, Difference{File: path, Line: st.Line, SQL: st.SQL,
				NameA: a.Name(), NameB: b.Name(), A: ra.Render(sortRows), B: rb.Render(sortRows)})
		}
	}
	return diffs, len(stmts), nil
}
