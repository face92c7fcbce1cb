package parser

import (
	"context"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// FuzzParse checks the prescan against PostgreSQL's own scanner and parser,
// for any input:
//   - Parse never panics, and fails only with a SQLSTATE;
//   - every statement end the prescan chunks at is a semicolon token of
//     PostgreSQL's scanner, outside parentheses (so chunking never changes
//     what a string means);
//   - the parse tree nests no deeper than a small multiple of the prescan's
//     bound, prefix operators included (so the bound protects the C stack).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT 1", "SELECT 1+1*2; SELECT 'a;b'", "SELECT E'\\';' ; SELECT $$;$$", "SELECT $a$ $$ $a$",
		"SELECT (SELECT (SELECT 1 UNION SELECT 2))", "SELECT CASE WHEN a THEN b ELSE c END",
		"SELECT a FROM t JOIN u ON t.x = u.x JOIN v USING (y) WHERE a BETWEEN 1 AND 2 AND NOT b",
		"SELECT x::int[]::text, ARRAY[1,2][1], '{1}'::int[] @> ARRAY[1] OR x IS DISTINCT FROM y",
		"SELECT 1 -- c\n; /* a /* b */ ; */ SELECT U&'\\0061', U&\"\\0061\", B'1', X'f', N'x'",
		"INSERT INTO t VALUES (1, -2), (3, - - 4) RETURNING *", "SELECT f(a => 1, b := 2)",
		"SELECT - - - NOT NOT 1 = 1", "SELECT 1 AT TIME ZONE 'UTC' COLLATE \"C\" OPERATOR(pg_catalog.+) 1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > 4096 || strings.IndexByte(q, 0) >= 0 {
			// Parse refuses NUL (22021); the C scanner would stop there.
			if _, err := Parse(context.Background(), q, Config{}, func(Chunk) error { return nil }); len(q) <= 4096 && codeOf(err) != "22021" {
				t.Fatalf("NUL in a query: %v", err)
			}
			return
		}
		pre := scanWith(q, true)
		if scanned, err := scanTokens(q); err == nil {
			semis := map[int]bool{}
			depth := 0
			for _, tok := range scanned.Tokens {
				switch tok.Token {
				case pg.Token_ASCII_40, pg.Token_ASCII_91:
					depth++
				case pg.Token_ASCII_41, pg.Token_ASCII_93:
					// An unmatched closer is the parser's to refuse.
					depth = max(depth-1, 0)
				case pg.Token_ASCII_59:
					if depth == 0 {
						semis[int(tok.Start)] = true
					}
				}
			}
			if pre.splittable {
				for _, st := range pre.stmts[:len(pre.stmts)-1] {
					if !semis[st.end] {
						t.Fatalf("the prescan ends a statement at %d, which PostgreSQL's scanner does not: %q", st.end, q)
					}
				}
			}
		}
		bound := 0
		for _, st := range pre.stmts {
			bound = max(bound, st.depth)
		}
		_, err := Parse(context.Background(), q, Config{}, func(c Chunk) error {
			if d := nodeDepth(c.Tree.ProtoReflect()); d > 4*bound+16 {
				t.Fatalf("parse tree %d deep, prescan bound %d: %q", d, bound, q)
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(codeOf(err), "4") && !strings.HasPrefix(codeOf(err), "2") && codeOf(err) != "54001" {
			t.Fatalf("error without a SQLSTATE of bad input: %s %v", codeOf(err), err)
		}
	})
}

// nodeDepth is the largest number of pg.Node messages on a path from m.
func nodeDepth(m protoreflect.Message) int {
	deepest := 0
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				deepest = max(deepest, nodeDepth(l.Get(i).Message()))
			}
		} else if !fd.IsMap() {
			deepest = max(deepest, nodeDepth(v.Message()))
		}
		return true
	})
	if m.Descriptor().Name() == "Node" {
		deepest++
	}
	return deepest
}
