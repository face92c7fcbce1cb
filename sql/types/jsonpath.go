package types

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// jsonpath: the SQL/JSON path language, as far as cairn takes it: lax
// and strict mode, $, @, $variables, literals, member (.key, ."key",
// .*), element ([*], [i], [i to j], last) and recursive (.**)
// accessors, filters ? (...), the methods type(), size(), double(),
// abs(), floor() and ceiling(), arithmetic, comparisons, &&, ||, !,
// exists (...), is unknown, starts with and like_regex. A jsonpath value
// is its text in PostgreSQL's normalized form (Go string); ParseJSONPath
// reads it into a tree that sql/builtins evaluates.
const (
	JSONPathType  ID = 4072
	JSONPathArray ID = 4073
)

func init() {
	register(&Info{ID: JSONPathType, Typname: "jsonpath", SQLName: "jsonpath", Len: -1, Array: JSONPathArray, Category: 'U',
		aliases: []string{"jsonpath"},
		input: func(_ T, s string) (Datum, error) {
			p, err := ParseJSONPath(s)
			if err != nil {
				return nil, err
			}
			return p.String(), nil
		}})
}

// JPKind is the kind of a jsonpath node.
type JPKind uint8

const (
	JPRoot       JPKind = iota // $
	JPCurrent                  // @
	JPLast                     // last
	JPVar                      // $name
	JPString                   // "..."
	JPNumber                   // 1.5
	JPBool                     // true, false
	JPNull                     // null
	JPKey                      // .key
	JPAnyKey                   // .*
	JPAnyArray                 // [*]
	JPAny                      // .**
	JPIndex                    // [i, j to k]
	JPFilter                   // ? (predicate)
	JPMethod                   // .name()
	JPBinary                   // arithmetic, comparison, &&, ||
	JPUnary                    // + and - of an expression
	JPNot                      // !(predicate)
	JPExists                   // exists (expr)
	JPIsUnknown                // (predicate) is unknown
	JPStartsWith               // expr starts with "..."
	JPLikeRegex                // expr like_regex "..." flag "..."
)

// JPNode is a node of a jsonpath: a primary (Kind up to JPNull) or an
// operator, followed by the accessors in Next.
type JPNode struct {
	Kind JPKind
	// Str is a key, variable, string, method name, operator, or
	// like_regex pattern; Flags are like_regex's flags.
	Str, Flags string
	Num        *apd.Decimal
	Bool       bool
	// L and R are an operator's operands; L is the argument of a
	// filter, !, exists, is unknown and a unary operator.
	L, R *JPNode
	// Subs are an index accessor's subscripts: [from, to], to nil for a
	// single index.
	Subs [][2]*JPNode
	Next *JPNode
}

// JSONPath is a parsed jsonpath.
type JSONPath struct {
	Strict bool
	Root   *JPNode
}

// IsPredicate reports whether the node is a predicate (its value is true,
// false or unknown).
func (n *JPNode) IsPredicate() bool {
	switch n.Kind {
	case JPNot, JPExists, JPIsUnknown, JPStartsWith, JPLikeRegex:
		return true
	case JPBinary:
		switch n.Str {
		case "&&", "||", "==", "!=", "<", "<=", ">", ">=":
			return true
		}
	}
	return false
}

func jpSyntax(near string) error {
	if near == "" {
		return pgerr.New(pgerr.SyntaxError, "syntax error at end of jsonpath input")
	}
	return pgerr.New(pgerr.SyntaxError, "syntax error at or near \"%s\" of jsonpath input", near)
}

type jpTok struct {
	kind byte // 'i' identifier/keyword, 's' string, 'n' number, 'v' variable, 'p' punctuation, 0 end
	text string
	num  *apd.Decimal
}

type jpParser struct {
	in  string
	pos int
	tok jpTok
}

func jpIdentChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

func (p *jpParser) next() error {
	in := p.in
	for p.pos < len(in) && (in[p.pos] == ' ' || in[p.pos] == '\t' || in[p.pos] == '\n' || in[p.pos] == '\r' || in[p.pos] == '\f') {
		p.pos++
	}
	if p.pos >= len(in) {
		p.tok = jpTok{}
		return nil
	}
	c := in[p.pos]
	start := p.pos
	switch {
	case c == '"':
		s, end, err := jpString(in, p.pos)
		if err != nil {
			return err
		}
		p.pos = end
		p.tok = jpTok{kind: 's', text: s}
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(in) && in[p.pos+1] >= '0' && in[p.pos+1] <= '9':
		e := p.pos
		for e < len(in) && in[e] >= '0' && in[e] <= '9' {
			e++
		}
		if e < len(in) && in[e] == '.' && e+1 < len(in) && in[e+1] >= '0' && in[e+1] <= '9' {
			e++
			for e < len(in) && in[e] >= '0' && in[e] <= '9' {
				e++
			}
		}
		if e < len(in) && (in[e] == 'e' || in[e] == 'E') {
			f := e + 1
			if f < len(in) && (in[f] == '+' || in[f] == '-') {
				f++
			}
			if f < len(in) && in[f] >= '0' && in[f] <= '9' {
				for f < len(in) && in[f] >= '0' && in[f] <= '9' {
					f++
				}
				e = f
			}
		}
		if e < len(in) && jpIdentChar(in[e]) {
			for e < len(in) && jpIdentChar(in[e]) {
				e++
			}
			return pgerr.New(pgerr.SyntaxError, "trailing junk after numeric literal at or near \"%s\" of jsonpath input", in[start:e])
		}
		d, _, err := apd.NewFromString(in[start:e])
		if err != nil {
			return jpSyntax(in[start:e])
		}
		p.pos = e
		p.tok = jpTok{kind: 'n', text: in[start:e], num: d}
	case c == '$':
		e := p.pos + 1
		if e < len(in) && in[e] == '"' {
			s, end, err := jpString(in, e)
			if err != nil {
				return err
			}
			p.pos = end
			p.tok = jpTok{kind: 'v', text: s}
			return nil
		}
		for e < len(in) && jpIdentChar(in[e]) {
			e++
		}
		p.pos = e
		if e == start+1 {
			p.tok = jpTok{kind: 'p', text: "$"}
		} else {
			p.tok = jpTok{kind: 'v', text: in[start+1 : e]}
		}
	case jpIdentChar(c):
		e := p.pos
		for e < len(in) && jpIdentChar(in[e]) {
			e++
		}
		p.pos = e
		p.tok = jpTok{kind: 'i', text: in[start:e]}
	default:
		for _, op := range []string{"==", "!=", "<>", "<=", ">=", "&&", "||", "**"} {
			if strings.HasPrefix(in[p.pos:], op) {
				p.pos += 2
				p.tok = jpTok{kind: 'p', text: op}
				return nil
			}
		}
		if strings.IndexByte("@.[]()?,*+-/%<>!{}", c) < 0 {
			_, n := utf8.DecodeRuneInString(in[p.pos:])
			return jpSyntax(in[p.pos : p.pos+n])
		}
		p.pos++
		p.tok = jpTok{kind: 'p', text: string(c)}
	}
	return nil
}

// jpString reads a double-quoted jsonpath string at in[at], with JSON's
// escapes (and \x and \u{...} as PostgreSQL takes them).
func jpString(in string, at int) (string, int, error) {
	var sb strings.Builder
	for i := at + 1; i < len(in); i++ {
		c := in[i]
		switch c {
		case '"':
			return sb.String(), i + 1, nil
		case '\\':
			i++
			if i >= len(in) {
				return "", 0, pgerr.New(pgerr.SyntaxError, "unexpected end after backslash at end of jsonpath input")
			}
			switch in[i] {
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			case 't':
				sb.WriteByte('\t')
			case 'v':
				sb.WriteByte('\v')
			case 'u':
				if i+4 >= len(in) {
					return "", 0, pgerr.New(pgerr.SyntaxError, "invalid Unicode escape sequence at or near \"%s\" of jsonpath input", in[i-1:])
				}
				r, err := strconv.ParseUint(in[i+1:i+5], 16, 32)
				if err != nil || r == 0 {
					return "", 0, pgerr.New(pgerr.SyntaxError, "invalid Unicode escape sequence at or near \"%s\" of jsonpath input", in[i-1:i+5])
				}
				sb.WriteRune(rune(r))
				i += 4
			default:
				sb.WriteByte(in[i])
			}
		default:
			sb.WriteByte(c)
		}
	}
	return "", 0, pgerr.New(pgerr.SyntaxError, "unterminated quoted string at end of jsonpath input")
}

func (p *jpParser) is(kind byte, text string) bool {
	return p.tok.kind == kind && (p.tok.kind == 'i' && strings.EqualFold(p.tok.text, text) || p.tok.text == text)
}

func (p *jpParser) expect(text string) error {
	if !p.is('p', text) {
		return jpSyntax(p.tok.text)
	}
	return p.next()
}

// ParseJSONPath reads a jsonpath; errors are 42601 as PostgreSQL's.
func ParseJSONPath(s string) (*JSONPath, error) {
	p := &jpParser{in: s}
	if err := p.next(); err != nil {
		return nil, err
	}
	out := &JSONPath{}
	if p.is('i', "strict") || p.is('i', "lax") {
		out.Strict = p.is('i', "strict")
		if err := p.next(); err != nil {
			return nil, err
		}
	}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != 0 {
		return nil, jpSyntax(p.tok.text)
	}
	out.Root = n
	return out, nil
}

// Binary operators' priorities, as PostgreSQL prints and parses them.
func jpPriority(n *JPNode) int {
	switch n.Kind {
	case JPBinary:
		switch n.Str {
		case "||":
			return 0
		case "&&":
			return 1
		case "+", "-":
			return 3
		case "*", "/", "%":
			return 4
		}
		return 2
	case JPStartsWith:
		return 2
	case JPUnary:
		return 5
	}
	return 6
}

func (p *jpParser) or(depth int) (*JPNode, error) {
	if depth > 1000 {
		return nil, pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded")
	}
	l, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.is('p', "||") {
		if err := p.next(); err != nil {
			return nil, err
		}
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		l = &JPNode{Kind: JPBinary, Str: "||", L: l, R: r}
	}
	return l, nil
}

func (p *jpParser) and(depth int) (*JPNode, error) {
	l, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	for p.is('p', "&&") {
		if err := p.next(); err != nil {
			return nil, err
		}
		r, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		l = &JPNode{Kind: JPBinary, Str: "&&", L: l, R: r}
	}
	return l, nil
}

func (p *jpParser) not(depth int) (*JPNode, error) {
	if p.is('p', "!") {
		if err := p.next(); err != nil {
			return nil, err
		}
		if !p.is('p', "(") && !p.is('i', "exists") {
			return nil, jpSyntax(p.tok.text)
		}
		arg, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		return &JPNode{Kind: JPNot, L: arg}, nil
	}
	return p.comparison(depth)
}

func (p *jpParser) comparison(depth int) (*JPNode, error) {
	l, err := p.additive(depth)
	if err != nil {
		return nil, err
	}
	switch {
	case p.tok.kind == 'p' && (p.tok.text == "==" || p.tok.text == "!=" || p.tok.text == "<>" || p.tok.text == "<" ||
		p.tok.text == "<=" || p.tok.text == ">" || p.tok.text == ">="):
		op := p.tok.text
		if op == "<>" {
			op = "!="
		}
		if err := p.next(); err != nil {
			return nil, err
		}
		r, err := p.additive(depth)
		if err != nil {
			return nil, err
		}
		return &JPNode{Kind: JPBinary, Str: op, L: l, R: r}, nil
	case p.is('i', "starts"):
		if err := p.next(); err != nil {
			return nil, err
		}
		if !p.is('i', "with") {
			return nil, jpSyntax(p.tok.text)
		}
		if err := p.next(); err != nil {
			return nil, err
		}
		var r *JPNode
		switch p.tok.kind {
		case 's':
			r = &JPNode{Kind: JPString, Str: p.tok.text}
		case 'v':
			r = &JPNode{Kind: JPVar, Str: p.tok.text}
		default:
			return nil, jpSyntax(p.tok.text)
		}
		if err := p.next(); err != nil {
			return nil, err
		}
		return &JPNode{Kind: JPStartsWith, L: l, R: r}, nil
	case p.is('i', "like_regex"):
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.tok.kind != 's' {
			return nil, jpSyntax(p.tok.text)
		}
		n := &JPNode{Kind: JPLikeRegex, L: l, Str: p.tok.text}
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.is('i', "flag") {
			if err := p.next(); err != nil {
				return nil, err
			}
			if p.tok.kind != 's' {
				return nil, jpSyntax(p.tok.text)
			}
			for _, f := range p.tok.text {
				if !strings.ContainsRune("isxmq", f) {
					return nil, pgerr.New(pgerr.SyntaxError, "invalid input syntax for type jsonpath").
						WithDetail("Unrecognized flag character \"" + string(f) + "\" in LIKE_REGEX predicate.")
				}
			}
			n.Flags = p.tok.text
			if err := p.next(); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	return l, nil
}

func (p *jpParser) additive(depth int) (*JPNode, error) {
	l, err := p.multiplicative(depth)
	if err != nil {
		return nil, err
	}
	for p.is('p', "+") || p.is('p', "-") {
		op := p.tok.text
		if err := p.next(); err != nil {
			return nil, err
		}
		r, err := p.multiplicative(depth)
		if err != nil {
			return nil, err
		}
		l = &JPNode{Kind: JPBinary, Str: op, L: l, R: r}
	}
	return l, nil
}

func (p *jpParser) multiplicative(depth int) (*JPNode, error) {
	l, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for p.is('p', "*") || p.is('p', "/") || p.is('p', "%") {
		op := p.tok.text
		if err := p.next(); err != nil {
			return nil, err
		}
		r, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		l = &JPNode{Kind: JPBinary, Str: op, L: l, R: r}
	}
	return l, nil
}

func (p *jpParser) unary(depth int) (*JPNode, error) {
	if p.is('p', "+") || p.is('p', "-") {
		op := p.tok.text
		if err := p.next(); err != nil {
			return nil, err
		}
		arg, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		if arg.Kind == JPNumber && arg.Next == nil {
			// A signed number is a literal.
			if op == "-" {
				arg.Num = new(apd.Decimal).Neg(arg.Num)
			}
			return arg, nil
		}
		return &JPNode{Kind: JPUnary, Str: op, L: arg}, nil
	}
	return p.accessorExpr(depth)
}

func (p *jpParser) accessorExpr(depth int) (*JPNode, error) {
	var head *JPNode
	switch {
	case p.is('p', "("):
		if err := p.next(); err != nil {
			return nil, err
		}
		inner, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		if p.is('i', "is") {
			if err := p.next(); err != nil {
				return nil, err
			}
			if !p.is('i', "unknown") {
				return nil, jpSyntax(p.tok.text)
			}
			if err := p.next(); err != nil {
				return nil, err
			}
			return &JPNode{Kind: JPIsUnknown, L: inner}, nil
		}
		if inner.Next == nil && jpPriority(inner) == 6 {
			head = inner
		} else {
			head = inner
			if p.startsAccessor() {
				// (expr).key: the accessors apply to the whole.
				head = &JPNode{Kind: JPBinary, Str: "()", L: inner}
			}
		}
	case p.is('i', "exists"):
		if err := p.next(); err != nil {
			return nil, err
		}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		arg, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &JPNode{Kind: JPExists, L: arg}, nil
	default:
		var err error
		if head, err = p.primary(); err != nil {
			return nil, err
		}
	}
	tail := head
	for tail.Next != nil {
		tail = tail.Next
	}
	for p.startsAccessor() {
		acc, err := p.accessor(depth)
		if err != nil {
			return nil, err
		}
		tail.Next = acc
		tail = acc
	}
	return head, nil
}

func (p *jpParser) startsAccessor() bool {
	return p.is('p', ".") || p.is('p', "[") || p.is('p', "?")
}

func (p *jpParser) primary() (*JPNode, error) {
	t := p.tok
	var n *JPNode
	switch {
	case t.kind == 'p' && t.text == "$":
		n = &JPNode{Kind: JPRoot}
	case t.kind == 'p' && t.text == "@":
		n = &JPNode{Kind: JPCurrent}
	case t.kind == 'v':
		n = &JPNode{Kind: JPVar, Str: t.text}
	case t.kind == 's':
		n = &JPNode{Kind: JPString, Str: t.text}
	case t.kind == 'n':
		n = &JPNode{Kind: JPNumber, Num: t.num}
	case p.is('i', "true"), p.is('i', "false"):
		n = &JPNode{Kind: JPBool, Bool: strings.EqualFold(t.text, "true")}
	case p.is('i', "null"):
		n = &JPNode{Kind: JPNull}
	case p.is('i', "last"):
		n = &JPNode{Kind: JPLast}
	default:
		return nil, jpSyntax(t.text)
	}
	return n, p.next()
}

var jpMethods = map[string]bool{"type": true, "size": true, "double": true, "abs": true, "floor": true, "ceiling": true}

func (p *jpParser) accessor(depth int) (*JPNode, error) {
	switch {
	case p.is('p', "?"):
		if err := p.next(); err != nil {
			return nil, err
		}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		pred, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &JPNode{Kind: JPFilter, L: pred}, nil
	case p.is('p', "["):
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.is('p', "*") {
			if err := p.next(); err != nil {
				return nil, err
			}
			return &JPNode{Kind: JPAnyArray}, p.expect("]")
		}
		n := &JPNode{Kind: JPIndex}
		for {
			from, err := p.or(depth + 1)
			if err != nil {
				return nil, err
			}
			var to *JPNode
			if p.is('i', "to") {
				if err := p.next(); err != nil {
					return nil, err
				}
				if to, err = p.or(depth + 1); err != nil {
					return nil, err
				}
			}
			n.Subs = append(n.Subs, [2]*JPNode{from, to})
			if !p.is('p', ",") {
				break
			}
			if err := p.next(); err != nil {
				return nil, err
			}
		}
		return n, p.expect("]")
	}
	// '.'
	if err := p.next(); err != nil {
		return nil, err
	}
	switch {
	case p.is('p', "*"):
		return &JPNode{Kind: JPAnyKey}, p.next()
	case p.is('p', "**"):
		return &JPNode{Kind: JPAny}, p.next()
	case p.tok.kind == 's':
		n := &JPNode{Kind: JPKey, Str: p.tok.text}
		return n, p.next()
	case p.tok.kind == 'i':
		name := p.tok.text
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.is('p', "(") && jpMethods[name] {
			if err := p.next(); err != nil {
				return nil, err
			}
			return &JPNode{Kind: JPMethod, Str: name}, p.expect(")")
		}
		return &JPNode{Kind: JPKey, Str: name}, nil
	}
	return nil, jpSyntax(p.tok.text)
}

// String is the jsonpath's text in PostgreSQL's normalized form.
func (jp *JSONPath) String() string {
	var b []byte
	if jp.Strict {
		b = append(b, "strict "...)
	}
	return string(appendJPNode(b, jp.Root, true))
}

func appendJPNode(b []byte, n *JPNode, brackets bool) []byte {
	switch n.Kind {
	case JPRoot:
		b = append(b, '$')
	case JPCurrent:
		b = append(b, '@')
	case JPLast:
		b = append(b, "last"...)
	case JPVar:
		b = AppendJSONString(append(b, '$'), n.Str)
	case JPString:
		b = AppendJSONString(b, n.Str)
	case JPNumber:
		b = append(b, FormatNumeric(n.Num)...)
	case JPBool:
		b = strconv.AppendBool(b, n.Bool)
	case JPNull:
		b = append(b, "null"...)
	case JPBinary:
		if n.Str == "()" {
			b = appendJPNode(append(b, '('), n.L, false)
			b = append(b, ')')
			break
		}
		if brackets {
			b = append(b, '(')
		}
		b = appendJPNode(b, n.L, jpPriority(n.L) <= jpPriority(n))
		b = append(b, ' ')
		b = append(b, n.Str...)
		b = append(b, ' ')
		b = appendJPNode(b, n.R, jpPriority(n.R) <= jpPriority(n))
		if brackets {
			b = append(b, ')')
		}
	case JPStartsWith:
		if brackets {
			b = append(b, '(')
		}
		b = appendJPNode(b, n.L, jpPriority(n.L) <= jpPriority(n))
		b = append(b, " starts with "...)
		b = appendJPNode(b, n.R, false)
		if brackets {
			b = append(b, ')')
		}
	case JPLikeRegex:
		if brackets {
			b = append(b, '(')
		}
		b = appendJPNode(b, n.L, jpPriority(n.L) <= jpPriority(n))
		b = AppendJSONString(append(b, " like_regex "...), n.Str)
		if n.Flags != "" {
			b = AppendJSONString(append(b, " flag "...), n.Flags)
		}
		if brackets {
			b = append(b, ')')
		}
	case JPUnary:
		if brackets {
			b = append(b, '(')
		}
		b = append(b, n.Str...)
		b = appendJPNode(b, n.L, jpPriority(n.L) <= jpPriority(n))
		if brackets {
			b = append(b, ')')
		}
	case JPNot:
		b = appendJPNode(append(b, "!("...), n.L, false)
		b = append(b, ')')
	case JPExists:
		b = appendJPNode(append(b, "exists ("...), n.L, false)
		b = append(b, ')')
	case JPIsUnknown:
		b = appendJPNode(append(b, '('), n.L, false)
		b = append(b, ") is unknown"...)
	default:
		b = appendJPAccessor(b, n)
	}
	for a := n.Next; a != nil; a = a.Next {
		b = appendJPAccessor(b, a)
	}
	return b
}

func appendJPAccessor(b []byte, n *JPNode) []byte {
	switch n.Kind {
	case JPKey:
		return AppendJSONString(append(b, '.'), n.Str)
	case JPAnyKey:
		return append(b, ".*"...)
	case JPAny:
		return append(b, ".**"...)
	case JPAnyArray:
		return append(b, "[*]"...)
	case JPIndex:
		b = append(b, '[')
		for i, s := range n.Subs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJPNode(b, s[0], false)
			if s[1] != nil {
				b = appendJPNode(append(b, " to "...), s[1], false)
			}
		}
		return append(b, ']')
	case JPFilter:
		b = appendJPNode(append(b, "?("...), n.L, false)
		return append(b, ')')
	case JPMethod:
		return append(append(append(b, '.'), n.Str...), "()"...)
	}
	return b
}
