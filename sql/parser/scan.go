package parser

import (
	"strings"
	"unicode/utf8"
)

// A prescan reads a query string once, in linear time, with PostgreSQL's
// lexical rules (comments, the four kinds of string literal, dollar quotes,
// quoted identifiers, operators) and no grammar. It finds what must be known
// before the C parser may run:
//
//   - an upper bound on how deeply each statement's parse tree can nest, so
//     that a statement the C parser would recurse through too deeply is
//     refused with 54001 instead of overflowing its stack;
//   - where statements end, so that a long string of statements is parsed
//     in chunks, with cancellation checked between chunks;
//   - identifiers longer than NAMEDATALEN-1 bytes, which PostgreSQL's scanner
//     reports with a NOTICE as it truncates them.
//
// # The depth bound
//
// Nesting in PostgreSQL's raw parse tree comes from two sources. Right
// recursion (prefix operators such as NOT and unary minus, parentheses,
// function calls) is bounded by bison's own parser stack, which fails with
// "memory exhausted" (42601) at 10,000 entries before any deep tree is built.
// Left recursion — chains of binary and postfix operators (a + b + c,
// x::t::t), set operations (q UNION q UNION q) and joins (a JOIN b JOIN c) —
// builds a nested tree with a shallow parser stack, so nothing but this bound
// limits it.
//
// The bound keeps a stack of frames, one per open parenthesis, bracket or
// CASE. Each frame counts the binary and postfix operators seen since the
// last point where a new, independent subtree starts in that frame: a comma,
// AND or OR (PostgreSQL flattens AND and OR chains into one node), WHEN, THEN
// or ELSE. Set operations and joins are counted separately and never reset
// inside their frame, since their chains span commas. The bound of a
// statement is the largest sum over the frame stack of (operators + chain +
// 1) seen at any point. An operator that follows another operator, an open
// parenthesis, a comma or a reserved keyword is a prefix operator and is not
// counted; any other operator is counted, so a misjudged one errs on the
// high side.

// statement is one statement of a query string found by the prescan.
type statement struct {
	start, end int // byte offsets; end excludes the terminating semicolon
	depth      int // upper bound on the nesting of its parse tree
}

// prescan is the result of scanning a whole query string.
type prescan struct {
	stmts []statement
	// splittable is false when statement boundaries cannot be trusted to
	// the prescan: a SQL-standard function body (BEGIN ATOMIC ... END)
	// holds semicolons of its own.
	splittable bool
	notices    []Notice
	// tokens counts the string's tokens, which is what the memory of a
	// parse grows with.
	tokens int
}

// frameKind says what opened a frame.
type frameKind uint8

const (
	frameBase frameKind = iota
	frameParen
	frameBracket
	frameCase
)

type frame struct {
	kind frameKind
	// run counts binary and postfix operators since the frame's last
	// reset; chain counts set operations and joins.
	run, chain int
	// between is set after BETWEEN until its AND, which is not a boolean
	// AND.
	between bool
}

// scanner holds the state of one prescan.
type scanner struct {
	q      string
	out    prescan
	frames []frame
	// base is the sum of (run + chain + 1) over every frame but the top.
	base  int
	depth int // the current statement's bound so far
	start int // where the current statement starts
	// operand is true when the previous token ends an operand, so that an
	// operator after it is binary.
	operand bool
	// countPrefix counts prefix operators (and NOT) too. The limit leaves
	// them to bison's stack; tests bound the whole tree's depth with it.
	countPrefix bool
}

func scan(q string) prescan { return scanWith(q, countPrefixOps) }

func scanWith(q string, countPrefix bool) prescan {
	s := &scanner{q: q, out: prescan{splittable: true}, countPrefix: countPrefix}
	s.resetStatement(0)
	i := 0
	for i < len(q) {
		c := q[i]
		s.out.tokens++
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.out.tokens--
			i++
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			s.out.tokens--
			i = skipLineComment(q, i)
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			s.out.tokens--
			i = skipBlockComment(q, i)
		case c == '\'':
			i = skipQuoted(q, i+1, '\'', false)
			s.operand = true
		case c == '"':
			i = s.quotedIdent(i)
		case c == '$':
			i = s.dollar(i)
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			i = skipNumber(q, i)
			s.operand = true
		case isIdentStart(c):
			i = s.word(i)
		case c == '(' || c == '[':
			kind := frameParen
			if c == '[' {
				kind = frameBracket
			}
			s.push(kind)
			i++
		case c == ')' || c == ']':
			s.pop(frameParen, frameBracket)
			s.operand = true
			i++
		case c == ',':
			s.top().run = 0
			s.operand = false
			i++
		case c == ';':
			if len(s.frames) == 1 {
				s.endStatement(i)
				i++
				s.resetStatement(i)
			} else {
				i++
			}
		case c == ':' && i+1 < len(q) && q[i+1] == ':':
			// A type cast is a postfix operator.
			s.count()
			s.operand = false
			i += 2
		case isOpChar(c):
			i = s.operator(i)
		default:
			// ':' alone, '.', and bytes the C scanner will reject.
			s.operand = c == '.'
			i++
		}
	}
	s.endStatement(len(q))
	return s.out
}

func (s *scanner) top() *frame { return &s.frames[len(s.frames)-1] }

func (s *scanner) resetStatement(start int) {
	s.frames = append(s.frames[:0], frame{kind: frameBase})
	s.base, s.depth, s.start, s.operand = 0, 1, start, false
}

func (s *scanner) endStatement(end int) {
	if strings.TrimSpace(s.q[s.start:end]) == "" && end == len(s.q) && len(s.out.stmts) > 0 {
		return
	}
	s.out.stmts = append(s.out.stmts, statement{start: s.start, end: end, depth: s.depth})
}

// note records the current depth after a change.
func (s *scanner) note() {
	t := s.top()
	if d := s.base + t.run + t.chain + 1; d > s.depth {
		s.depth = d
	}
}

func (s *scanner) count() {
	s.top().run++
	s.note()
}

func (s *scanner) push(kind frameKind) {
	t := s.top()
	s.base += t.run + t.chain + 1
	s.frames = append(s.frames, frame{kind: kind})
	s.operand = false
	s.note()
}

// pop closes the top frame if it is one of kinds; a close that matches
// nothing is left for the C parser to reject.
func (s *scanner) pop(kinds ...frameKind) {
	if len(s.frames) == 1 {
		return
	}
	k := s.top().kind
	for _, want := range kinds {
		if k == want {
			s.frames = s.frames[:len(s.frames)-1]
			t := s.top()
			s.base -= t.run + t.chain + 1
			return
		}
	}
}

// operator scans an operator token as PostgreSQL's lexer does: a run of
// operator characters that stops before "--" or "/*".
func (s *scanner) operator(i int) int {
	j := i
	for j < len(s.q) && isOpChar(s.q[j]) {
		if j > i && (s.q[j] == '-' && s.q[j-1] == '-' || s.q[j] == '*' && s.q[j-1] == '/') {
			j--
			break
		}
		j++
	}
	if j == i {
		j = i + 1
	}
	if s.operand || s.countPrefix {
		s.count()
	}
	s.operand = false
	return j
}

// quotedIdent scans "..." and reports a name that will be truncated.
func (s *scanner) quotedIdent(i int) int {
	end := skipQuoted(s.q, i+1, '"', false)
	if end-1 > i && s.q[end-1] == '"' {
		if name := strings.ReplaceAll(s.q[i+1:end-1], `""`, `"`); len(name) > identifierBytesMax {
			s.truncationNotice(name)
		}
	}
	s.operand = true
	return end
}

// dollar scans a parameter ($1) or a dollar-quoted string ($tag$...$tag$).
func (s *scanner) dollar(i int) int {
	q := s.q
	j := i + 1
	if j < len(q) && q[j] >= '0' && q[j] <= '9' {
		for j < len(q) && (q[j] >= '0' && q[j] <= '9' || q[j] == '_') {
			j++
		}
		s.operand = true
		return j
	}
	if j < len(q) && isIdentStart(q[j]) {
		for j < len(q) && isDollarTagCont(q[j]) {
			j++
		}
	}
	if j >= len(q) || q[j] != '$' {
		// Not a delimiter: PostgreSQL's lexer takes the '$' alone.
		s.operand = false
		return i + 1
	}
	delim := q[i : j+1]
	end := strings.Index(q[j+1:], delim)
	s.operand = true
	if end < 0 {
		return len(q) // unterminated: the C parser says so
	}
	return j + 1 + end + len(delim)
}

// word scans an identifier or keyword, with the string prefixes E”, B”,
// X”, N” and U&” / U&"".
func (s *scanner) word(i int) int {
	q := s.q
	j := i + 1
	for j < len(q) && isIdentCont(q[j]) {
		j++
	}
	w := q[i:j]
	if j < len(q) && len(w) == 1 {
		switch c := w[0] | 0x20; {
		case q[j] == '\'' && (c == 'e'):
			s.operand = true
			return skipQuoted(q, j+1, '\'', true)
		case q[j] == '\'' && (c == 'b' || c == 'x' || c == 'n'):
			s.operand = true
			return skipQuoted(q, j+1, '\'', false)
		case c == 'u' && q[j] == '&' && j+1 < len(q) && (q[j+1] == '\'' || q[j+1] == '"'):
			s.operand = true
			return skipQuoted(q, j+2, q[j+1], false)
		}
	}
	s.keyword(w)
	return j
}

// keyword applies an identifier or keyword to the depth bound.
func (s *scanner) keyword(w string) {
	if len(w) > 10 {
		if len(w) > identifierBytesMax {
			s.truncationNotice(downcase(w))
		}
		s.operand = true
		return
	}
	var buf [10]byte
	kw := string(lower(buf[:0], w))
	t := s.top()
	switch kw {
	case "and":
		if t.between {
			t.between = false
		} else {
			t.run = 0
		}
	case "or", "when", "then", "else":
		t.run = 0
	case "case":
		s.push(frameCase)
		return
	case "end":
		if t.kind == frameCase {
			s.pop(frameCase)
			s.operand = true
			return
		}
	case "union", "intersect", "except", "join":
		t.chain++
		s.note()
	case "between":
		t.between = true
		s.count()
	case "is", "isnull", "notnull", "like", "ilike", "similar", "in", "overlaps", "collate":
		s.count()
	case "at", "operator":
		// Unreserved: a column may be called "at"; counting it then
		// only raises the bound.
		s.count()
		s.operand = true
		return
	case "atomic":
		s.out.splittable = false
	case "not":
		if s.countPrefix {
			s.count()
		}
	}
	s.operand = !reservedBeforeExpr(kw)
}

// reservedBeforeExpr reports reserved and type-function-name keywords after
// which an expression may start, so that an operator right after them is
// a prefix operator. Unreserved keywords can be column names: an operator
// after one of them counts as binary.
func reservedBeforeExpr(kw string) bool {
	switch kw {
	case "and", "or", "not", "select", "where", "then", "else", "when", "case", "on", "having",
		"returning", "limit", "offset", "in", "is", "like", "ilike", "similar", "distinct", "all",
		"any", "some", "array", "using", "default", "check", "union", "intersect", "except",
		"from", "group", "order", "collate", "as", "to", "for", "with", "into", "overlaps",
		"join", "between", "isnull", "notnull", "variadic", "symmetric", "asymmetric", "both",
		"leading", "trailing", "escape", "by", "values", "set", "return", "exists":
		return true
	}
	return false
}

func (s *scanner) truncationNotice(name string) {
	cut := identifierBytesMax
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	s.out.notices = append(s.out.notices, Notice{
		Code:    nameTooLong,
		Message: "identifier \"" + name + "\" will be truncated to \"" + name[:cut] + "\"",
	})
}

// nameTooLong is SQLSTATE 42622.
const nameTooLong = "42622"

// skipQuoted returns the offset after the literal whose body starts at i
// and ends with an unescaped quote; a doubled quote is part of the body,
// and so is a backslash-escaped character when backslash is set (E”
// strings). An unterminated literal runs to the end.
func skipQuoted(q string, i int, quote byte, backslash bool) int {
	for i < len(q) {
		c := q[i]
		switch {
		case backslash && c == '\\':
			i += 2
			continue
		case c == quote:
			if i+1 < len(q) && q[i+1] == quote {
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return len(q)
}

func skipLineComment(q string, i int) int {
	for i < len(q) && q[i] != '\n' && q[i] != '\r' {
		i++
	}
	return i
}

// skipBlockComment skips a comment that may nest, as PostgreSQL's do.
func skipBlockComment(q string, i int) int {
	level := 0
	for i < len(q) {
		switch {
		case q[i] == '/' && i+1 < len(q) && q[i+1] == '*':
			level++
			i += 2
		case q[i] == '*' && i+1 < len(q) && q[i+1] == '/':
			level--
			i += 2
			if level == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(q)
}

func skipNumber(q string, i int) int {
	for i < len(q) {
		c := q[i]
		switch {
		case c >= '0' && c <= '9', c == '.', c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			i++
		case (c == '+' || c == '-') && (q[i-1] == 'e' || q[i-1] == 'E'):
			i++
		default:
			return i
		}
	}
	return i
}

func isOpChar(c byte) bool {
	return strings.IndexByte("+-*/<>=~!@#%^&|`?", c) >= 0
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentCont(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}

func isDollarTagCont(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

// lower appends w with ASCII letters lowered.
func lower(dst []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// downcase lowers ASCII letters only, as PostgreSQL does for identifiers
// in a multibyte encoding.
func downcase(w string) string { return string(lower(make([]byte, 0, len(w)), w)) }
