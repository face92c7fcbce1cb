package parser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Notice is a message for the client that the scanner emits while parsing,
// as PostgreSQL's does (identifier truncation).
type Notice struct {
	Code    string
	Message string
}

// Chunk is a run of whole statements of a query string with their parse
// tree. Locations inside Tree are byte offsets into Text.
type Chunk struct {
	Text string
	// ByteOffset and RuneOffset locate Text in the query string.
	ByteOffset, RuneOffset int
	Tree                   *pg.ParseResult
}

// Config is what a caller adds to a parse. The zero value is valid.
type Config struct {
	// Reserve, when set, is called once the prescan has read the string
	// and before the C parser runs, with an estimate of the memory the
	// parse and its translation will hold at their peak. An error stops
	// the parse and is returned.
	Reserve func(bytes int64) error
}

// MemoryCost estimates the memory parsing text and translating its trees
// holds at its peak: about 256 bytes per token (C parse nodes, their
// protobuf encoding, the Go tree and the AST) and four copies of the text
// (the scanner's literal buffer, the C string, the encoding, the Go
// strings), as measured on IN lists, VALUES lists, long literals and long
// strings of statements.
func MemoryCost(tokens, textBytes int) int64 {
	return int64(tokens)*tokenBytes + int64(textBytes)*4
}

// tokenBytes is MemoryCost's allowance per token.
const tokenBytes = 256

// Parse parses a query string that may hold any number of statements and
// hands fn its chunks in order, so that the caller can translate each tree
// and let it go before the next is built. It returns the scanner's
// notices. Errors carry SQLSTATEs: 22021 for invalid UTF-8, 42601 for a
// syntax error (with its position in query), 54001 for a statement nested
// too deeply, and the error of ctx (pgerr.FromContext) when it ends between
// chunks; an error of fn is returned as it is. Nothing is handed to fn
// before the whole string is known to be free of those errors.
func Parse(ctx context.Context, query string, cfg Config, fn func(Chunk) error) ([]Notice, error) {
	if !utf8.ValidString(query) || strings.IndexByte(query, 0) >= 0 {
		// The C parser would stop at a NUL without a word; PostgreSQL
		// never sees one, since its strings end there.
		return nil, invalidUTF8(query)
	}
	pre := scan(query)
	for _, st := range pre.stmts {
		if st.depth > depthMax {
			return nil, tooDeep()
		}
	}
	if cfg.Reserve != nil {
		if err := cfg.Reserve(MemoryCost(pre.tokens, len(query))); err != nil {
			return nil, err
		}
	}
	if !pre.splittable || len(query) <= chunkBytesMax {
		tree, err := parseText(query, maxDepth(pre.stmts))
		if err != nil {
			return nil, err
		}
		return pre.notices, fn(Chunk{Text: query, Tree: tree})
	}
	// A syntax error in any chunk must stop the whole string before any
	// of it runs, as it does in PostgreSQL; trees are decoded as they are
	// translated, so the C parser's output is kept until then, in its
	// compact encoding.
	var chunks []chunkBytes
	runes := 0
	for start, i := 0, 0; i < len(pre.stmts); {
		if err := ctx.Err(); err != nil {
			return nil, pgerr.FromContext(ctx)
		}
		// A chunk ends at a statement boundary once it holds
		// chunkBytesMax, and takes the semicolon that ends its last
		// statement.
		j, depth := i, 0
		for j < len(pre.stmts) && (j == i || pre.stmts[j].end-start <= chunkBytesMax) {
			depth = max(depth, pre.stmts[j].depth)
			j++
		}
		end := len(query)
		if j < len(pre.stmts) {
			end = pre.stmts[j].start
		}
		text := query[start:end]
		buf, err := parseC(text, depth > inlineDepthMax)
		if err != nil {
			err = sqlError(err)
			var pe *pgerr.Error
			if errors.As(err, &pe) && pe.Position > 0 {
				pe.Position += int32(runes)
			}
			return nil, err
		}
		chunks = append(chunks, chunkBytes{Chunk: Chunk{Text: text, ByteOffset: start, RuneOffset: runes}, tree: buf})
		runes += utf8.RuneCountInString(text)
		start, i = end, j
	}
	for i := range chunks {
		if err := ctx.Err(); err != nil {
			return nil, pgerr.FromContext(ctx)
		}
		c := chunks[i].Chunk
		var err error
		if c.Tree, err = decode(chunks[i].tree); err != nil {
			return nil, err
		}
		chunks[i].tree = nil
		if err := fn(c); err != nil {
			return nil, err
		}
	}
	return pre.notices, nil
}

// chunkBytes is a chunk whose tree is still in pg_query's encoding.
type chunkBytes struct {
	Chunk
	tree []byte
}

func maxDepth(stmts []statement) int {
	d := 0
	for _, st := range stmts {
		d = max(d, st.depth)
	}
	return d
}

// parseText runs the C parser over text, whose statements nest at most
// depth deep, and decodes its tree.
func parseText(text string, depth int) (*pg.ParseResult, error) {
	buf, err := parseC(text, depth > inlineDepthMax)
	if err != nil {
		return nil, sqlError(err)
	}
	return decode(buf)
}

// decode decodes pg_query's protobuf encoding of a parse tree.
func decode(buf []byte) (*pg.ParseResult, error) {
	tree := &pg.ParseResult{}
	opts := proto.UnmarshalOptions{RecursionLimit: protoRecursionLimit}
	if err := opts.Unmarshal(buf, tree); err != nil {
		if strings.Contains(err.Error(), "recursion") {
			return nil, tooDeep()
		}
		return nil, pgerr.Wrapf(err, pgerr.InternalError, "decoding parse tree")
	}
	return tree, nil
}

// sqlError gives an error of the C parser its SQLSTATE. The C parser
// reports messages only; the codes are those PostgreSQL's scanner and
// grammar raise with them.
func sqlError(err error) error {
	var ce *cError
	if !errors.As(err, &ce) {
		return pgerr.Wrap(err, pgerr.InternalError)
	}
	code := pgerr.SyntaxError
	switch {
	case strings.HasPrefix(ce.message, "invalid byte sequence for encoding"):
		code = pgerr.CharacterNotInRepertoire
	case strings.HasPrefix(ce.message, "unsafe use of "):
		code = nonstandardUseOfEscapeCharacter
	case strings.HasPrefix(ce.message, "frame start cannot be "), strings.HasPrefix(ce.message, "frame end cannot be "),
		strings.HasPrefix(ce.message, "frame starting from "):
		// The grammar's checks of a window frame's bounds.
		code = pgerr.WindowingError
	case strings.HasPrefix(ce.message, "role name \""), strings.HasSuffix(ce.message, "cannot be used as a role name here"):
		// The grammar's RoleId: public, none and the special role
		// specifiers are reserved.
		code = pgerr.ReservedName
	case strings.HasPrefix(ce.message, "unrecognized partitioning strategy "),
		strings.HasPrefix(ce.message, "column number must be in range from 1 to "):
		// PARTITION BY takes any identifier; the grammar refuses one
		// that names no strategy as an invalid parameter value, as it does
		// a column number out of range in ALTER INDEX ... ALTER COLUMN n
		// SET STATISTICS.
		code = pgerr.InvalidParameterValue
	case ce.message == "CREATE OR REPLACE CONSTRAINT TRIGGER is not supported":
		code = pgerr.FeatureNotSupported
	}
	e := pgerr.New(code, "%s", ce.message)
	if ce.cursorPos > 0 {
		e.Position = int32(ce.cursorPos)
	}
	return e
}

// nonstandardUseOfEscapeCharacter is SQLSTATE 22P06.
const nonstandardUseOfEscapeCharacter = "22P06"

func tooDeep() error {
	return pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded").
		WithHint("The statement nests expressions too deeply.")
}

// invalidUTF8 reports the first invalid byte sequence (or NUL) as
// PostgreSQL does.
func invalidUTF8(s string) error {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || r == 0 {
			return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x%02x", s[i])
		}
		i += n
	}
	return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
}

// Deparse turns a parse tree back into SQL text.
func Deparse(tree *pg.ParseResult) (string, error) {
	if deparseDepthMax > 0 && messageDepth(tree.ProtoReflect()) > deparseDepthMax {
		return "", pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded").
			WithHint(fmt.Sprintf("The pure-Go build of cairn deparses statements nested at most %d levels deep; the cgo build has no such limit.", deparseDepthMax))
	}
	buf, err := proto.Marshal(tree)
	if err != nil {
		return "", pgerr.Wrapf(err, pgerr.InternalError, "encoding parse tree")
	}
	text, err := deparseC(buf)
	if err != nil {
		return "", sqlError(err)
	}
	return text, nil
}

// messageDepth is the nesting depth of m's messages.
func messageDepth(m protoreflect.Message) int {
	deepest := 0
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Kind() != protoreflect.MessageKind, fd.IsMap():
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				deepest = max(deepest, messageDepth(l.Get(i).Message()))
			}
		default:
			deepest = max(deepest, messageDepth(v.Message()))
		}
		return true
	})
	return deepest + 1
}
