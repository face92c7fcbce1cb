package sql

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/sql/types"
)

// The cursors PL/pgSQL opens are the session's SQL cursors (cursor.go):
// a body's OPEN materializes its query's rows as DECLARE does, so that
// the caller can FETCH from a cursor a function returned, in the same
// transaction, by its name.

func (r *plRuntime) OpenCursor(ctx context.Context, name string, rows *plpgsql.Rows, noScroll bool) (string, error) {
	s := r.s
	if name == "" {
		for {
			s.unnamedPortals++
			name = "<unnamed portal " + strconv.Itoa(s.unnamedPortals) + ">"
			if _, dup := s.cursors[name]; !dup {
				break
			}
		}
	} else if _, dup := s.cursors[name]; dup {
		return "", pgerr.New(pgerr.DuplicateCursor, "cursor \"%s\" already in use", name)
	}
	cols := make([]Column, len(rows.Names))
	for i := range cols {
		cols[i] = Column{Name: rows.Names[i], Type: rows.Types[i]}
	}
	// A cursor opened outside a transaction block lives until the
	// statement's transaction ends, as one opened in it does.
	level := max(s.gucLevel(), 1)
	if s.cursors == nil {
		s.cursors = make(map[string]*cursor)
	}
	s.cursors[name] = &cursor{cols: cols, rows: rows.Rows, noScroll: noScroll, level: level}
	return name, nil
}

func (r *plRuntime) CursorOpen(name string) bool {
	_, ok := r.s.cursors[name]
	return ok
}

func (r *plRuntime) FetchCursor(ctx context.Context, name, direction string, count int64, move bool) (*plpgsql.Rows, error) {
	c, ok := r.s.cursors[name]
	if !ok {
		return nil, pgerr.New(pgerr.InvalidCursorName, "cursor \"%s\" does not exist", name)
	}
	rows, err := c.move(name, direction, count)
	if err != nil {
		return nil, err
	}
	out := &plpgsql.Rows{Count: int64(len(rows))}
	if !move {
		for _, col := range c.cols {
			out.Names = append(out.Names, col.Name)
			out.Types = append(out.Types, col.Type)
		}
		out.Rows = rows
	}
	return out, nil
}

func (r *plRuntime) CloseCursor(ctx context.Context, name string) error {
	c, ok := r.s.cursors[name]
	if !ok {
		return pgerr.New(pgerr.InvalidCursorName, "cursor \"%s\" does not exist", name)
	}
	r.s.closeCursors(func(o *cursor) bool { return o == c })
	return nil
}

// cursorParamDecls declares, at the start of body's outermost block, a
// refcursor variable for each named refcursor input parameter of r,
// initialized from it. pg_query's PL/pgSQL grammar gives parameters no
// type (it has no catalog), so it would refuse OPEN, FETCH or CLOSE of
// such a parameter; the variable, which shadows the parameter and holds
// its value, has the type the grammar needs. The declaration is written
// on the body's first line, so line numbers stay as written. It returns
// the body and the names it declared.
func cursorParamDecls(r *Routine, body string) (string, []string) {
	var decl strings.Builder
	var names []string
	declared := plpgsql.OuterDeclarations(body)
	n := 0
	for _, p := range r.Params {
		if p.Mode == "o" || p.Mode == "t" {
			continue
		}
		n++
		if p.Mode != "i" || p.Name == "" || p.Type.ID != types.Refcursor || slices.Contains(declared, strings.ToLower(p.Name)) {
			// A body that declares the name itself has no use for the
			// parameter under it.
			continue
		}
		decl.WriteString("DECLARE " + parser.QuoteIdent(p.Name) + " refcursor := $" + strconv.Itoa(n) + "; ")
		names = append(names, p.Name)
	}
	if decl.Len() == 0 {
		return body, nil
	}
	at := blockStart(body)
	return body[:at] + decl.String() + body[at:], names
}

// blockStart is the offset of the outermost block's DECLARE or BEGIN in
// body: past blanks, comments and a <<label>>.
func blockStart(body string) int {
	i := 0
	for i < len(body) {
		switch {
		case body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r' || body[i] == '\f':
			i++
		case strings.HasPrefix(body[i:], "--"):
			for i < len(body) && body[i] != '\n' {
				i++
			}
		case strings.HasPrefix(body[i:], "/*"):
			end := strings.Index(body[i+2:], "*/")
			if end < 0 {
				return i
			}
			i += end + 4
		case strings.HasPrefix(body[i:], "<<"):
			end := strings.Index(body[i:], ">>")
			if end < 0 {
				return i
			}
			i += end + 2
		default:
			return i
		}
	}
	return i
}
