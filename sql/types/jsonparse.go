package types

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The JSON parser: PostgreSQL's json lexer and recursive-descent parser
// (src/common/jsonapi.c), with its error messages, details and context
// lines. The lexer runs one token ahead of the parser, as PostgreSQL's
// does, so an invalid token is reported before a misplaced one.

type jsonTok uint8

const (
	tokInvalid jsonTok = iota
	tokString
	tokNumber
	tokObjectStart
	tokObjectEnd
	tokArrayStart
	tokArrayEnd
	tokComma
	tokColon
	tokTrue
	tokFalse
	tokNull
	tokEnd
)

type jsonLexer struct {
	in string
	// build says whether values are built (jsonb): strings are
	// unescaped and their Unicode escapes checked, as PostgreSQL does
	// only when it keeps the values.
	build bool
	// raw keeps each value's input text and its objects' key order
	// (ParseJSONText).
	raw bool
	// stackKB is max_stack_depth in kB (0: the default, 2048).
	stackKB int
	pos     int // next byte to read
	tok     jsonTok
	// start and end delimit the current token; str is a string token's
	// value when building.
	start, end int
	// prevEnd is where the token before the current one ended.
	prevEnd   int
	str       string
	line      int
	lineStart int
	depth     int
}

// jsonError is the 22P02 error for bad JSON text, with PostgreSQL's detail
// and its "JSON data, line n: ..." context.
func (l *jsonLexer) jsonError(detail string) error {
	return l.errorf(pgerr.InvalidTextRepresentation, "invalid input syntax for type json", detail)
}

func (l *jsonLexer) errorf(code, msg, detail string) error {
	ctxStart, ctxEnd := l.lineStart, l.end
	if ctxEnd < ctxStart {
		ctxEnd = ctxStart
	}
	for ctxEnd-ctxStart >= 50 {
		_, n := utf8.DecodeRuneInString(l.in[ctxStart:])
		ctxStart += n
	}
	prefix, suffix := "", ""
	if ctxStart > l.lineStart {
		prefix = "..."
	}
	if l.tok != tokEnd && ctxEnd < len(l.in) && l.in[ctxEnd] != '\n' && l.in[ctxEnd] != '\r' {
		suffix = "..."
	}
	where := "JSON data, line " + itoa(l.line) + ": " + prefix + l.in[ctxStart:ctxEnd] + suffix
	return pgerr.New(code, "%s", msg).WithDetail(detail).WithWhere(where)
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

func (l *jsonLexer) token() string { return l.in[l.start:l.end] }

var punctTok = [256]jsonTok{'{': tokObjectStart, '}': tokObjectEnd, '[': tokArrayStart, ']': tokArrayEnd, ',': tokComma, ':': tokColon}

func jsonAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// next reads the next token, or fails with the lexer's error.
func (l *jsonLexer) next() error {
	in := l.in
	l.prevEnd = l.end
	for l.pos < len(in) {
		c := in[l.pos]
		if c == '\n' {
			l.line++
			l.lineStart = l.pos + 1
		} else if c != ' ' && c != '\t' && c != '\r' {
			break
		}
		l.pos++
	}
	l.start = l.pos
	if l.pos >= len(in) {
		l.tok, l.end = tokEnd, l.pos
		return nil
	}
	c := in[l.pos]
	switch c {
	case '{', '}', '[', ']', ',', ':':
		l.tok = punctTok[c]
		l.pos++
		l.end = l.pos
		return nil
	case '"':
		return l.lexString()
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return l.lexNumber()
	}
	p := l.pos
	for p < len(in) && jsonAlnum(in[p]) {
		p++
	}
	if p == l.pos {
		_, n := utf8.DecodeRuneInString(in[p:])
		l.tok, l.end = tokInvalid, p+n
		return l.jsonError("Token \"" + l.token() + "\" is invalid.")
	}
	l.end, l.pos = p, p
	switch in[l.start:p] {
	case "true":
		l.tok = tokTrue
	case "false":
		l.tok = tokFalse
	case "null":
		l.tok = tokNull
	default:
		l.tok = tokInvalid
		return l.jsonError("Token \"" + l.token() + "\" is invalid.")
	}
	return nil
}

func (l *jsonLexer) lexNumber() error {
	in, s := l.in, l.pos
	bad := false
	digits := func() bool {
		if s >= len(in) || in[s] < '0' || in[s] > '9' {
			return false
		}
		for s < len(in) && in[s] >= '0' && in[s] <= '9' {
			s++
		}
		return true
	}
	if in[s] == '-' {
		s++
	}
	switch {
	case s < len(in) && in[s] == '0':
		s++
	case s < len(in) && in[s] >= '1' && in[s] <= '9':
		digits()
	default:
		bad = true
	}
	if s < len(in) && in[s] == '.' {
		s++
		if !digits() {
			bad = true
		}
	}
	if s < len(in) && (in[s] == 'e' || in[s] == 'E') {
		s++
		if s < len(in) && (in[s] == '+' || in[s] == '-') {
			s++
		}
		if !digits() {
			bad = true
		}
	}
	for s < len(in) && jsonAlnum(in[s]) {
		s++
		bad = true
	}
	l.end, l.pos = s, s
	if bad {
		l.tok = tokInvalid
		return l.jsonError("Token \"" + l.token() + "\" is invalid.")
	}
	l.tok = tokNumber
	return nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (l *jsonLexer) lexString() error {
	in, s := l.in, l.pos
	var sb strings.Builder
	hi := -1
	plain := s + 1 // start of the run of bytes without escapes
	flush := func(to int) {
		if l.build {
			sb.WriteString(in[plain:to])
		}
	}
	invalid := func(end int) error {
		l.tok, l.end = tokInvalid, end
		return l.jsonError("Token \"" + l.token() + "\" is invalid.")
	}
	for {
		s++
		if s >= len(in) {
			return invalid(len(in))
		}
		c := in[s]
		if c == '"' {
			break
		}
		if c < 0x20 {
			l.tok, l.end = tokInvalid, s
			return l.jsonError("Character with value 0x" + string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15]) + " must be escaped.")
		}
		if c != '\\' {
			if l.build && hi != -1 {
				l.tok, l.end = tokInvalid, s+1
				return l.jsonError("Unicode low surrogate must follow a high surrogate.")
			}
			continue
		}
		flush(s)
		s++
		if s >= len(in) {
			return invalid(len(in))
		}
		if in[s] == 'u' {
			ch := 0
			for i := 0; i < 4; i++ {
				s++
				if s >= len(in) {
					return invalid(len(in))
				}
				h := hexVal(in[s])
				if h < 0 {
					_, n := utf8.DecodeRuneInString(in[s:])
					l.tok, l.end = tokInvalid, s+n
					return l.jsonError("\"\\u\" must be followed by four hexadecimal digits.")
				}
				ch = ch<<4 | h
			}
			plain = s + 1
			if !l.build {
				continue
			}
			l.end = s + 1
			switch {
			case utf16.IsSurrogate(rune(ch)) && ch < 0xdc00:
				if hi != -1 {
					l.tok = tokInvalid
					return l.jsonError("Unicode high surrogate must not follow a high surrogate.")
				}
				hi = ch
				continue
			case utf16.IsSurrogate(rune(ch)):
				if hi == -1 {
					l.tok = tokInvalid
					return l.jsonError("Unicode low surrogate must follow a high surrogate.")
				}
				ch = int(utf16.DecodeRune(rune(hi), rune(ch)))
				hi = -1
			case hi != -1:
				l.tok = tokInvalid
				return l.jsonError("Unicode low surrogate must follow a high surrogate.")
			case ch == 0:
				l.tok = tokInvalid
				return l.errorf(pgerr.UntranslatableCharacter, "unsupported Unicode escape sequence", "\\u0000 cannot be converted to text.")
			}
			sb.WriteRune(rune(ch))
			continue
		}
		if l.build && hi != -1 {
			l.tok, l.end = tokInvalid, s+1
			return l.jsonError("Unicode low surrogate must follow a high surrogate.")
		}
		var esc byte
		switch in[s] {
		case '"', '\\', '/':
			esc = in[s]
		case 'b':
			esc = '\b'
		case 'f':
			esc = '\f'
		case 'n':
			esc = '\n'
		case 'r':
			esc = '\r'
		case 't':
			esc = '\t'
		default:
			_, n := utf8.DecodeRuneInString(in[s:])
			l.tok, l.start, l.end = tokInvalid, s, s+n
			return l.jsonError("Escape sequence \"\\" + in[s:s+n] + "\" is invalid.")
		}
		if l.build {
			sb.WriteByte(esc)
		}
		plain = s + 1
	}
	if l.build && hi != -1 {
		l.tok, l.end = tokInvalid, s+1
		return l.jsonError("Unicode low surrogate must follow a high surrogate.")
	}
	flush(s)
	l.tok, l.end, l.pos = tokString, s+1, s+1
	if l.build {
		l.str = sb.String()
	}
	return nil
}

// expected is the parse error for the current token where something else
// was due; at the end of the input it is "ended unexpectedly".
func (l *jsonLexer) expected(what string) error {
	if l.tok == tokEnd {
		return l.jsonError("The input string ended unexpectedly.")
	}
	return l.jsonError("Expected " + what + ", but found \"" + l.token() + "\".")
}

// value parses one value starting at the current token and leaves the
// lexer on the token after it.
func (l *jsonLexer) value() (*JSON, error) {
	if !l.raw {
		return l.value1()
	}
	start := l.start
	v, err := l.value1()
	if err != nil {
		return nil, err
	}
	// The lexer is on the token after the value: the value ends where
	// the last token before it did.
	v.raw = strings.TrimRight(l.in[start:l.prevEnd], " \t\n\r")
	return v, nil
}

func (l *jsonLexer) value1() (*JSON, error) {
	switch l.tok {
	case tokObjectStart:
		return l.object()
	case tokArrayStart:
		return l.array()
	}
	var out *JSON
	switch l.tok {
	case tokString:
		if l.build {
			out = JSONStr(l.str)
		}
	case tokNumber:
		if l.build {
			d, _, err := apd.NewFromString(l.token())
			if err != nil {
				// The lexer took its syntax: it is out of apd's range,
				// whose exponents stop at 100000 (PostgreSQL's numeric
				// takes up to 131071 digits before the point).
				return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
			}
			if d.IsZero() {
				d.Negative = false
			}
			if !l.raw && numericOverflows(d) {
				return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
			}
			out = JSONNum(d)
		}
	case tokTrue, tokFalse:
		out = JSONBoolean(l.tok == tokTrue)
	case tokNull:
		out = JSONNullValue
	default:
		return nil, l.expected("JSON value")
	}
	return out, l.next()
}

func (l *jsonLexer) enter() error {
	l.depth++
	if l.depth > jsonDepthLimit(l.stackKB) {
		kb := l.stackKB
		if kb == 0 {
			kb = DefaultStackDepthKB
		}
		return pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded").
			WithHint(fmt.Sprintf("Increase the configuration parameter \"max_stack_depth\" (currently %dkB), after ensuring the platform's stack depth limit is adequate.", kb))
	}
	return nil
}

// DefaultStackDepthKB is max_stack_depth's default, 2MB.
const DefaultStackDepthKB = 2048

// jsonDepthLimit is the nesting a JSON text may have under a
// max_stack_depth of kb (0: the default): JSONDepthMax at the default,
// less in proportion below it, as PostgreSQL's stack runs out sooner. A
// larger setting does not raise it, so that every stored value reads
// back under any setting.
func jsonDepthLimit(kb int) int {
	if kb <= 0 || kb >= DefaultStackDepthKB {
		return JSONDepthMax
	}
	return JSONDepthMax * kb / DefaultStackDepthKB
}

func (l *jsonLexer) object() (*JSON, error) {
	if err := l.enter(); err != nil {
		return nil, err
	}
	defer func() { l.depth-- }()
	if err := l.next(); err != nil {
		return nil, err
	}
	var keys []string
	var vals []*JSON
	switch l.tok {
	case tokString:
		for {
			if l.tok != tokString {
				return nil, l.expected("string")
			}
			key := l.str
			if err := l.next(); err != nil {
				return nil, err
			}
			if l.tok != tokColon {
				return nil, l.expected("\":\"")
			}
			if err := l.next(); err != nil {
				return nil, err
			}
			v, err := l.value()
			if err != nil {
				return nil, err
			}
			if l.build {
				keys, vals = append(keys, key), append(vals, v)
			}
			if l.tok != tokComma {
				break
			}
			if err := l.next(); err != nil {
				return nil, err
			}
		}
	case tokObjectEnd:
	default:
		return nil, l.expected("string or \"}\"")
	}
	if l.tok != tokObjectEnd {
		return nil, l.expected("\",\" or \"}\"")
	}
	var out *JSON
	switch {
	case l.raw:
		out = &JSON{Kind: JSONObject, Keys: keys, Vals: vals, ordered: true}
	case l.build:
		out = NewJSONObject(keys, vals)
	}
	return out, l.next()
}

func (l *jsonLexer) array() (*JSON, error) {
	if err := l.enter(); err != nil {
		return nil, err
	}
	defer func() { l.depth-- }()
	if err := l.next(); err != nil {
		return nil, err
	}
	var elems []*JSON
	if l.tok != tokArrayEnd {
		for {
			v, err := l.value()
			if err != nil {
				return nil, err
			}
			if l.build {
				elems = append(elems, v)
			}
			if l.tok != tokComma {
				break
			}
			if err := l.next(); err != nil {
				return nil, err
			}
		}
	}
	if l.tok != tokArrayEnd {
		return nil, l.expected("\",\" or \"]\"")
	}
	var out *JSON
	if l.build {
		out = &JSON{Kind: JSONArrayKind, Elems: elems}
		if out.Elems == nil {
			out.Elems = []*JSON{}
		}
	}
	return out, l.next()
}

func parseJSON(s string, build bool) (*JSON, error) { return parseJSONStyle(s, build, Style{}) }

func parseJSONStyle(s string, build bool, st Style) (*JSON, error) {
	l := &jsonLexer{in: s, build: build, line: 1, stackKB: st.MaxStackDepthKB}
	if err := l.next(); err != nil {
		return nil, err
	}
	v, err := l.value()
	if err != nil {
		return nil, err
	}
	if l.tok != tokEnd {
		return nil, l.jsonError("Expected end of input, but found \"" + l.token() + "\".")
	}
	return v, nil
}

// ParseJSONB is jsonb_in: the text s as a jsonb value.
func ParseJSONB(s string) (*JSON, error) { return parseJSON(s, true) }

// ParseJSONText reads json text s into a value whose parts keep their
// text (JSON.Text) and whose objects keep their keys in input order with
// duplicates, as json's operators and functions see them.
func ParseJSONText(s string) (*JSON, error) {
	l := &jsonLexer{in: s, build: true, raw: true, line: 1}
	if err := l.next(); err != nil {
		return nil, err
	}
	v, err := l.value()
	if err != nil {
		return nil, err
	}
	if l.tok != tokEnd {
		return nil, l.jsonError("Expected end of input, but found \"" + l.token() + "\".")
	}
	return v, nil
}

// ValidateJSON is json_in's check: nil when s is JSON text.
func ValidateJSON(s string) error {
	_, err := parseJSON(s, false)
	return err
}

// ParseJSONBStyle is ParseJSONB with the nesting the style's
// max_stack_depth allows.
func ParseJSONBStyle(s string, st Style) (*JSON, error) { return parseJSONStyle(s, true, st) }

// ValidateJSONStyle is ValidateJSON with the nesting the style's
// max_stack_depth allows.
func ValidateJSONStyle(s string, st Style) error {
	_, err := parseJSONStyle(s, false, st)
	return err
}

// numericOverflows reports whether d is outside numeric's range: more
// than 131072 digits before the decimal point or 16383 after it.
func numericOverflows(d *apd.Decimal) bool {
	if d.Exponent < -16383 {
		return true
	}
	return int64(d.NumDigits())+int64(d.Exponent) > 131072
}
