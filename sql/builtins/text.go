package builtins

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The string functions of PostgreSQL's varlena.c and oracle_compat.c.
// Lengths and positions count characters, not bytes.

func init() {
	const (
		text, i4, i8 = types.Text, types.Int4, types.Int8
		bytea, b     = types.Bytea, types.Bool
	)
	register("concat", &Overload{Result: text, VariadicAny: true, CalledOnNull: true, AnyFn: concatAny})
	// textcat is the function behind text || text.
	register("textcat", &Overload{Args: []types.ID{text, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return a[0].(string) + a[1].(string), nil
	}})
	register("concat_ws", &Overload{Args: []types.ID{text}, Result: text, VariadicAny: true, CalledOnNull: true, AnyFn: concatWS})
	register("format",
		&Overload{Args: []types.ID{text}, Result: text, CalledOnNull: true, Fn: func(a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			return formatText(&AnyCall{Args: a, Types: []types.T{types.New(text)}})
		}},
		&Overload{Args: []types.ID{text}, Result: text, VariadicAny: true, CalledOnNull: true, AnyFn: func(c *AnyCall) (types.Datum, error) {
			if c.Args[0] == nil {
				return nil, nil
			}
			return formatText(c)
		}})
	register("left", &Overload{Args: []types.ID{text, i4}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		r := []rune(a[0].(string))
		return string(r[:leftCount(len(r), a[1].(int64))]), nil
	}})
	register("right", &Overload{Args: []types.ID{text, i4}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		r := []rune(a[0].(string))
		return string(r[len(r)-leftCount(len(r), a[1].(int64)):]), nil
	}})
	pad := func(left bool) func(a []types.Datum) (types.Datum, error) {
		return func(a []types.Datum) (types.Datum, error) {
			fill := " "
			if len(a) == 3 {
				fill = a[2].(string)
			}
			return padText(a[0].(string), a[1].(int64), fill, left)
		}
	}
	register("lpad",
		&Overload{Args: []types.ID{text, i4}, Result: text, Fn: pad(true)},
		&Overload{Args: []types.ID{text, i4, text}, Result: text, Fn: pad(true)})
	register("rpad",
		&Overload{Args: []types.ID{text, i4}, Result: text, Fn: pad(false)},
		&Overload{Args: []types.ID{text, i4, text}, Result: text, Fn: pad(false)})
	register("split_part", &Overload{Args: []types.ID{text, text, i4}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return splitPart(a[0].(string), a[1].(string), a[2].(int64))
	}})
	register("translate", &Overload{Args: []types.ID{text, text, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return translateText(a[0].(string), a[1].(string), a[2].(string)), nil
	}})
	register("ascii", &Overload{Args: []types.ID{text}, Result: i4, Fn: func(a []types.Datum) (types.Datum, error) {
		r, _ := utf8.DecodeRuneInString(a[0].(string))
		if a[0].(string) == "" {
			r = 0
		}
		return int64(r), nil
	}})
	register("chr", &Overload{Args: []types.ID{i4}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return chr(a[0].(int64))
	}})
	register("initcap", &Overload{Args: []types.ID{text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return initcap(a[0].(string)), nil
	}})
	register("to_hex",
		&Overload{Args: []types.ID{i4}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return strconv.FormatUint(uint64(uint32(a[0].(int64))), 16), nil
		}},
		&Overload{Args: []types.ID{i8}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return strconv.FormatUint(uint64(a[0].(int64)), 16), nil
		}})
	register("overlay",
		&Overload{Args: []types.ID{text, text, i4}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return overlayText(a[0].(string), a[1].(string), a[2].(int64), int64(utf8.RuneCountInString(a[1].(string))))
		}},
		&Overload{Args: []types.ID{text, text, i4, i4}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return overlayText(a[0].(string), a[1].(string), a[2].(int64), a[3].(int64))
		}})
	register("unistr", &Overload{Args: []types.ID{text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return unistr(a[0].(string))
	}})
	register("starts_with", &Overload{Args: []types.ID{text, text}, Result: b, Fn: func(a []types.Datum) (types.Datum, error) {
		return strings.HasPrefix(a[0].(string), a[1].(string)), nil
	}})
	likeEscape := func(a []types.Datum) (types.Datum, error) { return LikeEscape(a[0].(string), a[1].(string)) }
	register("like_escape",
		&Overload{Args: []types.ID{text, text}, Result: text, Fn: likeEscape},
		&Overload{Args: []types.ID{bytea, bytea}, Result: bytea, Fn: likeEscape})
	register("similar_to_escape",
		&Overload{Args: []types.ID{text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			p, _, err := similarToRegexp(a[0].(string), `\`)
			return p, err
		}},
		&Overload{Args: []types.ID{text, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			p, _, err := similarToRegexp(a[0].(string), a[1].(string))
			return p, err
		}})
	substr := func(a []types.Datum) (types.Datum, error) {
		length := int64(-1)
		if len(a) == 3 {
			if length = a[2].(int64); length < 0 {
				return nil, pgerr.New(pgerr.SubstringError, "negative substring length not allowed")
			}
		}
		return substringText(a[0].(string), a[1].(int64), length), nil
	}
	for _, name := range []string{"substr", "substring"} {
		register(name,
			&Overload{Args: []types.ID{text, i4}, Result: text, Fn: substr},
			&Overload{Args: []types.ID{text, i4, i4}, Result: text, Fn: substr})
	}
	register("substring",
		&Overload{Args: []types.ID{text, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return substringRegexp(a[0].(string), a[1].(string))
		}},
		&Overload{Args: []types.ID{text, text, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return substringSimilar(a[0].(string), a[1].(string), a[2].(string))
		}})
}

// leftCount is how many characters left(s, n) keeps of a string of
// length chars: the first n, or all but the last -n.
func leftCount(length int, n int64) int {
	if n < 0 {
		n = max(int64(length)+n, 0)
	}
	return int(min(n, int64(length)))
}

// concatAny is concat: the text form of every argument that is not
// NULL, run together; NULL for concat(VARIADIC NULL).
func concatAny(c *AnyCall) (types.Datum, error) {
	if c.SpreadNull {
		return nil, nil
	}
	var sb strings.Builder
	for i, v := range c.Args {
		if v != nil {
			s := c.Text(i)
			if err := textFits(sb.Len(), len(s)); err != nil {
				return nil, err
			}
			sb.WriteString(s)
		}
	}
	return sb.String(), nil
}

// concatWS is concat_ws: the arguments after the separator that are not
// NULL, joined by it; NULL when the separator is.
func concatWS(c *AnyCall) (types.Datum, error) {
	if c.Args[0] == nil || c.SpreadNull {
		return nil, nil
	}
	sep := c.Args[0].(string)
	var sb strings.Builder
	first := true
	for i := 1; i < len(c.Args); i++ {
		if c.Args[i] == nil {
			continue
		}
		s := c.Text(i)
		if !first {
			s = sep + s
		}
		first = false
		if err := textFits(sb.Len(), len(s)); err != nil {
			return nil, err
		}
		sb.WriteString(s)
	}
	return sb.String(), nil
}

// textFits refuses a string of have+add bytes, as a PostgreSQL string
// buffer refuses to grow past 1 GB.
func textFits(have, add int) error {
	if int64(have)+int64(add) >= textBytesMax {
		return pgerr.New(pgerr.ProgramLimitExceeded, "out of memory").
			WithDetail(fmt.Sprintf("Cannot enlarge string buffer containing %d bytes by %d more bytes.", have, add))
	}
	return nil
}

// padText is lpad (left) and rpad: s filled with fill to length
// characters, or cut to them.
func padText(s string, length int64, fill string, left bool) (types.Datum, error) {
	if length <= 0 {
		return "", nil
	}
	if length*utf8.UTFMax >= textBytesMax {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
	}
	r := []rune(s)
	if int64(len(r)) >= length || fill == "" {
		return string(r[:min(int64(len(r)), length)]), nil
	}
	f := []rune(fill)
	out := make([]rune, 0, length)
	if !left {
		out = append(out, r...)
	}
	for i := 0; int64(len(out)) < length-int64(len(r))*boolInt(left); i++ {
		out = append(out, f[i%len(f)])
	}
	if left {
		out = append(out, r...)
	}
	return string(out), nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// splitPart is split_part: the n-th field of s split at delim, counted
// from the end when n is negative; "" past the last field.
func splitPart(s, delim string, n int64) (types.Datum, error) {
	if n == 0 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "field position must not be zero")
	}
	if s == "" {
		return "", nil
	}
	if delim == "" {
		// The whole string is the one field.
		if n == 1 || n == -1 {
			return s, nil
		}
		return "", nil
	}
	fields := strings.Split(s, delim)
	if n < 0 {
		n += int64(len(fields)) + 1
		if n <= 0 {
			return "", nil
		}
	}
	if n > int64(len(fields)) {
		return "", nil
	}
	return fields[n-1], nil
}

// translateText is translate: each character of s found in from becomes
// the character at the same place in to, or is dropped when to is
// shorter.
func translateText(s, from, to string) string {
	f, t := []rune(from), []rune(to)
	var sb strings.Builder
	for _, r := range s {
		i := -1
		for j, c := range f {
			if c == r {
				i = j
				break
			}
		}
		switch {
		case i < 0:
			sb.WriteRune(r)
		case i < len(t):
			sb.WriteRune(t[i])
		}
	}
	return sb.String()
}

// chr is the character with code point n in UTF-8.
func chr(n int64) (types.Datum, error) {
	switch {
	case n < 0:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "character number must be positive")
	case n == 0:
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "null character not permitted")
	}
	c := uint32(n)
	if c > unicode.MaxRune {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested character too large for encoding: %d", c)
	}
	if c >= 0xD800 && c <= 0xDFFF {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested character not valid for encoding: %d", c)
	}
	return string(rune(c)), nil
}

// initcap upper-cases the first letter of each word (a run of letters
// and digits) and lower-cases the others.
func initcap(s string) string {
	var sb strings.Builder
	inWord := false
	for _, r := range s {
		if inWord {
			sb.WriteRune(unicode.ToLower(r))
		} else {
			sb.WriteRune(unicode.ToUpper(r))
		}
		inWord = unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return sb.String()
}

// substringText is substring(s FROM start FOR length), length -1 for no
// FOR: the characters from start, a position that may lie before the
// first character.
func substringText(s string, start, length int64) string {
	r := []rune(s)
	end := int64(len(r)) + 1
	if length >= 0 && start+length < end {
		end = start + length
	}
	start = max(start, 1)
	if start >= end {
		return ""
	}
	return string(r[start-1 : end-1])
}

// overlayText is overlay(s PLACING sub FROM start FOR n).
func overlayText(s, sub string, start, n int64) (types.Datum, error) {
	if start <= 0 || n < 0 {
		return nil, pgerr.New(pgerr.SubstringError, "negative substring length not allowed")
	}
	return substringText(s, 1, start-1) + sub + substringText(s, start+n, -1), nil
}

// unistr decodes the Unicode escapes \XXXX, \+XXXXXX, \uXXXX and
// \UXXXXXXXX, UTF-16 surrogate pairs joined, and \\.
func unistr(s string) (types.Datum, error) {
	var sb strings.Builder
	var pairFirst rune
	invalidPair := pgerr.New(pgerr.SyntaxError, "invalid Unicode surrogate pair")
	for len(s) > 0 {
		if s[0] != '\\' {
			if pairFirst != 0 {
				return nil, invalidPair
			}
			sb.WriteByte(s[0])
			s = s[1:]
			continue
		}
		var digits, skip int
		switch {
		case len(s) >= 2 && s[1] == '\\':
			if pairFirst != 0 {
				return nil, invalidPair
			}
			sb.WriteByte('\\')
			s = s[2:]
			continue
		case len(s) >= 5 && isHex(s[1:5]):
			digits, skip = 4, 1
		case len(s) >= 6 && s[1] == 'u' && isHex(s[2:6]):
			digits, skip = 4, 2
		case len(s) >= 8 && s[1] == '+' && isHex(s[2:8]):
			digits, skip = 6, 2
		case len(s) >= 10 && s[1] == 'U' && isHex(s[2:10]):
			digits, skip = 8, 2
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "invalid Unicode escape").
				WithHint(`Unicode escapes must be \XXXX, \+XXXXXX, \uXXXX, or \UXXXXXXXX.`)
		}
		v, _ := strconv.ParseUint(s[skip:skip+digits], 16, 32)
		c := rune(v)
		if c <= 0 || c > unicode.MaxRune {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid Unicode code point: %0*X", digits, v)
		}
		switch {
		case pairFirst != 0:
			if c < 0xDC00 || c > 0xDFFF {
				return nil, invalidPair
			}
			c = (pairFirst-0xD800)<<10 + (c - 0xDC00) + 0x10000
			pairFirst = 0
		case c >= 0xDC00 && c <= 0xDFFF:
			return nil, invalidPair
		}
		if c >= 0xD800 && c <= 0xDBFF {
			pairFirst = c
		} else {
			sb.WriteRune(c)
		}
		s = s[skip+digits:]
	}
	if pairFirst != 0 {
		return nil, invalidPair
	}
	return sb.String(), nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// LikeEscape is like_escape: pattern with its escape character escape
// rewritten to the backslash LIKE reads, or with no escape character
// at all when escape is empty. An escape of more than one character is
// 22025.
func LikeEscape(pattern, escape string) (types.Datum, error) {
	if escape == "" {
		return strings.ReplaceAll(pattern, `\`, `\\`), nil
	}
	e, size := utf8.DecodeRuneInString(escape)
	if size != len(escape) {
		return nil, pgerr.New(pgerr.InvalidEscapeSequence, "invalid escape string").
			WithHint("Escape string must be empty or one character.")
	}
	if e == '\\' {
		return pattern, nil
	}
	var sb strings.Builder
	afterEscape := false
	for _, r := range pattern {
		switch {
		case r == e && !afterEscape:
			sb.WriteByte('\\')
			afterEscape = true
			continue
		case r == '\\':
			sb.WriteByte('\\')
			if !afterEscape {
				sb.WriteByte('\\')
			}
		default:
			sb.WriteRune(r)
		}
		afterEscape = false
	}
	return sb.String(), nil
}

// formatText is format(): fmt with its %s, %I and %L conversions
// replaced by the arguments after it, as PostgreSQL's text_format
// does, positions (%2$s), widths (%10s, %*s, %*2$s) and the - flag
// included.
func formatText(c *AnyCall) (types.Datum, error) {
	f := c.Args[0].(string)
	nargs := len(c.Args)
	var sb strings.Builder
	unterminated := pgerr.New(pgerr.InvalidParameterValue, "unterminated format() type specifier").
		WithHint(`For a single "%%" use "%%%%".`)
	tooFew := pgerr.New(pgerr.InvalidParameterValue, "too few arguments for format()")
	arg := 0
	i := 0
	// digits reads a number at i, if there is one.
	digits := func() (int64, bool, error) {
		var n int64
		found := false
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			n = n*10 + int64(f[i]-'0')
			if n > 1<<31-1 {
				return 0, false, pgerr.New(pgerr.NumericValueOutOfRange, "number is out of range")
			}
			found = true
			if i++; i >= len(f) {
				return 0, false, unterminated
			}
		}
		return n, found, nil
	}
	for ; i < len(f); i++ {
		if f[i] != '%' {
			sb.WriteByte(f[i])
			continue
		}
		if i++; i >= len(f) {
			return nil, unterminated
		}
		if f[i] == '%' {
			sb.WriteByte('%')
			continue
		}
		argPos, widthPos := int64(0), int64(-1)
		var width int64
		leftAlign := false
		n, found, err := digits()
		if err != nil {
			return nil, err
		}
		if found && f[i] != '$' {
			width = n
		} else {
			if found {
				if n == 0 {
					return nil, pgerr.New(pgerr.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
				}
				argPos = n
				if i++; i >= len(f) {
					return nil, unterminated
				}
			}
			for f[i] == '-' {
				leftAlign = true
				if i++; i >= len(f) {
					return nil, unterminated
				}
			}
			if f[i] == '*' {
				if i++; i >= len(f) {
					return nil, unterminated
				}
				n, found, err := digits()
				if err != nil {
					return nil, err
				}
				widthPos = 0
				if found {
					if f[i] != '$' {
						return nil, pgerr.New(pgerr.InvalidParameterValue, `width argument position must be ended by "$"`)
					}
					if n == 0 {
						return nil, pgerr.New(pgerr.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
					}
					widthPos = n
					if i++; i >= len(f) {
						return nil, unterminated
					}
				}
			} else {
				n, found, err := digits()
				if err != nil {
					return nil, err
				}
				if found {
					width = n
				}
			}
		}
		conv := f[i]
		if conv != 's' && conv != 'I' && conv != 'L' {
			_, size := utf8.DecodeRuneInString(f[i:])
			return nil, pgerr.New(pgerr.InvalidParameterValue, "unrecognized format() type specifier \"%s\"", f[i:i+size]).
				WithHint(`For a single "%%" use "%%%%".`)
		}
		if widthPos >= 0 {
			if widthPos > 0 {
				arg = int(widthPos)
			} else {
				arg++
			}
			if arg >= nargs {
				return nil, tooFew
			}
			width = 0
			if c.Args[arg] != nil {
				if w, ok := c.Args[arg].(int64); ok && (c.Types[arg].ID == types.Int4 || c.Types[arg].ID == types.Int2) {
					width = w
				} else {
					w, err := strconv.ParseInt(strings.TrimSpace(c.Text(arg)), 10, 32)
					if err != nil {
						return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type integer: \"%s\"", c.Text(arg))
					}
					width = w
				}
			}
		}
		if argPos > 0 {
			arg = int(argPos)
		} else {
			arg++
		}
		if arg >= nargs {
			return nil, tooFew
		}
		var s string
		if c.Args[arg] == nil {
			switch conv {
			case 'L':
				s = "NULL"
			case 'I':
				return nil, pgerr.New(pgerr.NullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
			}
		} else {
			s = c.Text(arg)
			switch conv {
			case 'I':
				s = QuoteIdent(s)
			case 'L':
				s = QuoteLiteral(s)
			}
		}
		if width < 0 {
			if width <= -1<<31 {
				return nil, pgerr.New(pgerr.ProgramLimitExceeded, "number is out of range")
			}
			leftAlign, width = true, -width
		}
		pad := int(width) - utf8.RuneCountInString(s)
		if pad > 0 && !leftAlign {
			sb.WriteString(strings.Repeat(" ", pad))
		}
		if err := textFits(sb.Len(), len(s)+max(pad, 0)); err != nil {
			return nil, err
		}
		sb.WriteString(s)
		if pad > 0 && leftAlign {
			sb.WriteString(strings.Repeat(" ", pad))
		}
	}
	return sb.String(), nil
}

// QuoteLiteral is quote_literal: s as a string literal, quotes doubled,
// and written E'...' with backslashes doubled when it has any.
func QuoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		q = "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}

// QuoteIdent is quote_ident: s as is when it is a lower-case identifier
// that is no keyword PostgreSQL quotes, else in double quotes.
func QuoteIdent(s string) string {
	plain := s != ""
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '$')) {
			plain = false
		}
	}
	if plain && !quotedKeyword[s] {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func init() {
	text := types.Text
	register("quote_ident", &Overload{Args: []types.ID{text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return QuoteIdent(a[0].(string)), nil
	}})
	register("quote_literal", &Overload{Args: []types.ID{text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
		return QuoteLiteral(a[0].(string)), nil
	}})
	register("quote_nullable", &Overload{Args: []types.ID{text}, Result: text, CalledOnNull: true, Fn: func(a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return "NULL", nil
		}
		return QuoteLiteral(a[0].(string)), nil
	}})
}
