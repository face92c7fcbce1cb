package builtins

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// PostgreSQL's regular expressions are Henry Spencer's AREs; cairn runs
// them on Go's regexp package (RE2) after translating the pattern:
//
//   - \m, \M and \y become \b, \Y becomes \B, \Z becomes \z; \b (a
//     backspace in an ARE) becomes \x08, \e and \a their characters, and
//     \x, \u and \U escapes RE2's \x{...}.
//   - The flags: s (the default) lets . and [^...] match a newline; n
//     and m make ^ and $ match at lines and keep . and [^...] off
//     newlines; p and w are the two halves of n; x drops white space and
//     #-comments; q makes the pattern a literal; i and c fold case or do
//     not. Embedded (?flags) at the start and the ***= and ***: directors
//     are read too.
//   - Back-references (\1) and lookahead and lookbehind constraints have
//     no RE2 form: such a pattern is 0A000. The BRE and ERE flavours (b,
//     e) are 0A000 too.
//   - [:alpha:], [:upper:], [:lower:], [:alnum:] and \w take in the
//     letters of every script, as in a UTF-8 database; \W inside a
//     bracket, \d and the other classes stay ASCII, and \b, standing for
//     \m, \M and \y, sees ASCII word characters only.
//   - An ARE prefers the longest match unless it has a non-greedy
//     quantifier: such patterns run in RE2's leftmost-longest mode (a|ab
//     matches all of "ab"), the others leftmost-first. RE2 does not pick
//     subexpressions by POSIX's rules, so within an equally long match
//     the groups can differ ((a|ab)(c|bcd) on "abcd" gives a, bcd where
//     PostgreSQL gives ab, c). SUBSTRING ... SIMILAR, which SQL defines
//     through match preferences, makes its first part's quantifiers lazy.
//
// Positions and counts (start, regexp_instr's answer) are characters.

// reFlags are the options of a regexp function's flags argument.
type reFlags struct {
	glob      bool // g: every match, not the first
	icase     bool
	newlineNL bool // n or p: . and [^...] do not match a newline
	newlineAn bool // n or w: ^ and $ match at newlines
	expanded  bool // x
	literal   bool // q
}

func parseReFlags(opts string) (reFlags, error) {
	var f reFlags
	for _, r := range opts {
		switch r {
		case 'g':
			f.glob = true
		case 'i':
			f.icase = true
		case 'c':
			f.icase = false
		case 'n', 'm':
			f.newlineNL, f.newlineAn = true, true
		case 'p':
			f.newlineNL, f.newlineAn = true, false
		case 'w':
			f.newlineNL, f.newlineAn = false, true
		case 's':
			f.newlineNL, f.newlineAn = false, false
		case 'x':
			f.expanded = true
		case 't':
			f.expanded = false
		case 'q':
			f.literal = true
		case 'b', 'e':
			return f, pgerr.New(pgerr.FeatureNotSupported, "basic and extended regular expression flavours are not supported")
		default:
			return f, pgerr.New(pgerr.InvalidParameterValue, "invalid regular expression option: \"%c\"", r)
		}
	}
	return f, nil
}

// Regexp is a compiled ARE.
type Regexp struct {
	re *regexp.Regexp
	// after finds the first match after the first character of its
	// input, with that character as context for ^ and \b.
	after *regexp.Regexp
}

// reCache keeps the patterns compiled lately, as PostgreSQL's regexp.c
// keeps its last MAX_CACHED_RES.
var reCache = struct {
	sync.Mutex
	m map[string]*Regexp
}{m: map[string]*Regexp{}}

// compileRegexp compiles an ARE with its flags.
func compileRegexp(pattern string, f reFlags) (*Regexp, error) {
	key := pattern + "\x00" + flagKey(f)
	reCache.Lock()
	re, ok := reCache.m[key]
	reCache.Unlock()
	if ok {
		return re, nil
	}
	src, err := translateARE(pattern, f)
	if err != nil {
		return nil, err
	}
	re, err = compileRE2(src)
	if err != nil {
		return nil, err
	}
	reCache.Lock()
	if len(reCache.m) >= regexpCacheMax {
		for k := range reCache.m {
			delete(reCache.m, k)
			break
		}
	}
	reCache.m[key] = re
	reCache.Unlock()
	return re, nil
}

func compileRE2(src string) (*Regexp, error) {
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: %s", reErrorText(err))
	}
	// The match after the first character of the input: leftmost for
	// the pattern as for the whole, since the one character is all
	// that comes before it.
	after, err := regexp.Compile(`(?s:.)(` + src + `)`)
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: %s", reErrorText(err))
	}
	if !hasLazyQuantifier(src) {
		// An ARE with no non-greedy quantifier prefers the longest
		// match (a|ab matches all of "ab").
		re.Longest()
		after.Longest()
	}
	return &Regexp{re: re, after: after}, nil
}

// hasLazyQuantifier reports whether an RE2 pattern has a non-greedy
// quantifier, which makes an ARE prefer shorter matches.
func hasLazyQuantifier(src string) bool {
	t, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return false
	}
	var walk func(*syntax.Regexp) bool
	walk = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
			if r.Flags&syntax.NonGreedy != 0 {
				return true
			}
		}
		for _, sub := range r.Sub {
			if walk(sub) {
				return true
			}
		}
		return false
	}
	return walk(t)
}

func reErrorText(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return string(se.Code)
	}
	return err.Error()
}

func flagKey(f reFlags) string {
	b := []byte("......")
	for i, on := range []bool{f.glob, f.icase, f.newlineNL, f.newlineAn, f.expanded, f.literal} {
		if on {
			b[i] = '1'
		}
	}
	return string(b)
}

// CompileRegexp compiles the pattern of the ~ and ~* operators.
func CompileRegexp(pattern string, icase bool) (*Regexp, error) {
	return compileRegexp(pattern, reFlags{icase: icase})
}

// MatchString reports whether s has a match.
func (r *Regexp) MatchString(s string) bool { return r.re.MatchString(s) }

// NumGroups is the number of capturing groups.
func (r *Regexp) NumGroups() int { return r.re.NumSubexp() }

// find returns the submatch offsets of the first match starting at byte
// offset pos or later, seeing the text before pos as context.
func (r *Regexp) find(s string, pos int) []int {
	if pos == 0 {
		return r.re.FindStringSubmatchIndex(s)
	}
	if pos > len(s) {
		return nil
	}
	_, size := utf8.DecodeLastRuneInString(s[:pos])
	from := pos - size
	m := r.after.FindStringSubmatchIndex(s[from:])
	if m == nil {
		return nil
	}
	out := m[2:]
	for i := range out {
		if out[i] >= 0 {
			out[i] += from
		}
	}
	return out
}

// findAll returns the matches from byte offset pos on, as PostgreSQL's
// regexp functions walk them: each search starts where the last match
// ended, one character further after an empty match. ignoreDegenerate
// drops empty matches at the start or end of s or right after the last
// match, as the split functions do. limit bounds the number returned (<= 0 for none).
func (r *Regexp) findAll(s string, pos int, glob, ignoreDegenerate bool, limit int) [][]int {
	var out [][]int
	prevEnd := 0
	for pos <= len(s) {
		m := r.find(s, pos)
		if m == nil {
			break
		}
		empty := m[0] == m[1]
		if !ignoreDegenerate || m[0] < len(s) && m[1] > prevEnd {
			out = append(out, m)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		if !glob {
			break
		}
		pos, prevEnd = m[1], m[1]
		if empty {
			if pos >= len(s) {
				break
			}
			_, size := utf8.DecodeRuneInString(s[pos:])
			pos += size
		}
	}
	return out
}

// translateARE rewrites an ARE with its flags as an RE2 pattern.
func translateARE(p string, f reFlags) (string, error) {
	switch {
	case strings.HasPrefix(p, "***="):
		p, f.literal = p[4:], true
	case strings.HasPrefix(p, "***:"):
		p = p[4:]
	}
	if !f.literal && strings.HasPrefix(p, "(?") && !strings.HasPrefix(p, "(?:") && !strings.HasPrefix(p, "(?=") &&
		!strings.HasPrefix(p, "(?!") && !strings.HasPrefix(p, "(?<") {
		end := strings.IndexByte(p, ')')
		if end < 0 {
			return "", pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: invalid embedded option")
		}
		var err error
		if f, err = embeddedFlags(p[2:end], f); err != nil {
			return "", err
		}
		p = p[end+1:]
	}
	var b strings.Builder
	switch {
	case f.newlineAn:
		b.WriteString("(?m)")
	}
	if !f.newlineNL {
		b.WriteString("(?s)")
	}
	if f.icase {
		b.WriteString("(?i)")
	}
	if f.literal {
		b.WriteString(regexp.QuoteMeta(p))
		return b.String(), nil
	}
	unsupported := func(what string) error {
		return pgerr.New(pgerr.FeatureNotSupported, "regular expression %s are not supported", what)
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case f.expanded && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'):
			continue
		case f.expanded && c == '#':
			for i < len(p) && p[i] != '\n' {
				i++
			}
			continue
		case c == '(' && strings.HasPrefix(p[i:], "(?"):
			if strings.HasPrefix(p[i:], "(?:") {
				b.WriteString("(?:")
				i += 2
				continue
			}
			return "", unsupported("lookahead and lookbehind constraints")
		case c == '[':
			j, err := translateBracket(&b, p, i, f)
			if err != nil {
				return "", err
			}
			i = j
			continue
		case c == '\\':
			if i+1 >= len(p) {
				return "", pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: invalid escape \\ sequence")
			}
			i++
			e := p[i]
			switch {
			case e >= '1' && e <= '9':
				return "", unsupported("back-references")
			case e == 'm' || e == 'M' || e == 'y':
				b.WriteString(`\b`)
			case e == 'Y':
				b.WriteString(`\B`)
			case e == 'Z':
				b.WriteString(`\z`)
			case e == 'b':
				b.WriteString(`\x08`)
			case e == 'e':
				b.WriteString(`\x1b`)
			case e == 'a':
				b.WriteString(`\x07`)
			case e == 'x' || e == 'u' || e == 'U':
				n := map[byte]int{'x': 8, 'u': 4, 'U': 8}[e]
				j := i + 1
				for j < len(p) && j-i-1 < n && isHex(p[j:j+1]) {
					j++
				}
				if j == i+1 {
					return "", pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: invalid escape \\ sequence")
				}
				b.WriteString(`\x{` + p[i+1:j] + `}`)
				i = j - 1
			case e == '0':
				b.WriteString(`\x00`)
			case e == 'w':
				b.WriteString(`[\p{L}0-9_]`)
			case e == 'W':
				b.WriteString(`[^\p{L}0-9_]`)
			case strings.IndexByte("AdDsStnrfv", e) >= 0:
				b.WriteByte('\\')
				b.WriteByte(e)
			case e < utf8.RuneSelf && (e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z'):
				return "", pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: invalid escape \\ sequence")
			case e < utf8.RuneSelf:
				b.WriteString(regexp.QuoteMeta(string(e)))
			default:
				// A multi-byte character stands for itself.
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// translateBracket copies the bracket expression of p starting at i and
// returns the index of its closing ].
func translateBracket(b *strings.Builder, p string, i int, f reFlags) (int, error) {
	unbalanced := pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: brackets [] not balanced")
	b.WriteByte('[')
	j := i + 1
	if j < len(p) && p[j] == '^' {
		b.WriteByte('^')
		if f.newlineNL {
			b.WriteString(`\n`)
		}
		j++
	}
	if j < len(p) && p[j] == ']' {
		b.WriteString(`\]`)
		j++
	}
	for ; j < len(p); j++ {
		switch c := p[j]; {
		case c == ']':
			b.WriteByte(']')
			return j, nil
		case c == '[' && j+1 < len(p) && p[j+1] == ':':
			end := strings.Index(p[j:], ":]")
			if end < 0 {
				return 0, unbalanced
			}
			b.WriteString(bracketClass(p[j : j+end+2]))
			j += end + 1
		case c == '[' && j+1 < len(p) && (p[j+1] == '.' || p[j+1] == '='):
			return 0, pgerr.New(pgerr.FeatureNotSupported, "regular expression collating elements and equivalence classes are not supported")
		case c == '[':
			b.WriteString(`\[`)
		case c == '\\' && j+1 < len(p):
			j++
			switch e := p[j]; {
			case e == 'w':
				b.WriteString(`\p{L}0-9_`)
			case strings.IndexByte("dDsSWtnrfv", e) >= 0:
				b.WriteByte('\\')
				b.WriteByte(e)
			case e == 'b':
				b.WriteString(`\x08`)
			case e < utf8.RuneSelf && (e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z' || e >= '0' && e <= '9'):
				return 0, pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: invalid escape \\ sequence")
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return 0, unbalanced
}

// bracketClass is a [:class:] of a bracket expression: the letter
// classes take in every script's letters, as PostgreSQL's do in a UTF-8
// database; the others are RE2's own (ASCII).
func bracketClass(c string) string {
	switch c {
	case "[:alpha:]":
		return `\p{L}`
	case "[:upper:]":
		return `\p{Lu}`
	case "[:lower:]":
		return `\p{Ll}`
	case "[:alnum:]":
		return `\p{L}0-9`
	}
	return c
}

func embeddedFlags(opts string, f reFlags) (reFlags, error) {
	g := f.glob
	nf, err := parseReFlags(opts)
	if err != nil || strings.ContainsRune(opts, 'g') {
		return f, pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: invalid embedded option")
	}
	// Options not named keep the function's.
	for _, r := range opts {
		switch r {
		case 'i', 'c':
			f.icase = nf.icase
		case 'n', 'm', 'p', 'w', 's':
			f.newlineNL, f.newlineAn = nf.newlineNL, nf.newlineAn
		case 'x', 't':
			f.expanded = nf.expanded
		case 'q':
			f.literal = true
		}
	}
	f.glob = g
	return f, nil
}

// runeOffset converts a 1-based character position to a byte offset of
// s; past the end it is len(s)+1 (no match can start there).
func runeOffset(s string, chars int64) int {
	if chars <= 1 {
		return 0
	}
	n := int64(1)
	for i := range s {
		if n == chars {
			return i
		}
		n++
	}
	if n == chars {
		return len(s)
	}
	return len(s) + 1
}

// charPos is the 1-based character position of byte offset off of s.
func charPos(s string, off int) int64 {
	return int64(utf8.RuneCountInString(s[:off])) + 1
}

func init() {
	const (
		text, i4, b = types.Text, types.Int4, types.Bool
	)
	textArr := types.TextArray
	args := func(ids ...types.ID) []types.ID { return ids }
	// regexp_match
	match := func(a []types.Datum) (types.Datum, error) {
		flags := ""
		if len(a) == 3 {
			flags = a[2].(string)
		}
		f, err := noGlobal(flags, "regexp_match()", "Use the regexp_matches function instead.")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp(a[1].(string), f)
		if err != nil {
			return nil, err
		}
		s := a[0].(string)
		m := re.find(s, 0)
		if m == nil {
			return nil, nil
		}
		return matchArray(s, m), nil
	}
	register("regexp_match",
		&Overload{Args: args(text, text), Result: textArr, Fn: match},
		&Overload{Args: args(text, text, text), Result: textArr, Fn: match})
	// regexp_replace
	replace := func(a []types.Datum) (types.Datum, error) {
		s, pat, repl := a[0].(string), a[1].(string), a[2].(string)
		start, n, flags := int64(1), int64(1), ""
		switch len(a) {
		case 4:
			if fl, ok := a[3].(string); ok {
				flags = fl
			} else {
				start = a[3].(int64)
			}
		case 5:
			start, n = a[3].(int64), a[4].(int64)
		case 6:
			start, n, flags = a[3].(int64), a[4].(int64), a[5].(string)
		}
		if start <= 0 {
			return nil, invalidParam("start", start)
		}
		if n < 0 {
			return nil, invalidParam("n", n)
		}
		f, err := parseReFlags(flags)
		if err != nil {
			return nil, err
		}
		if len(a) <= 4 && f.glob {
			n = 0
		}
		re, err := compileRegexp(pat, f)
		if err != nil {
			return nil, err
		}
		return regexpReplace(s, re, repl, runeOffset(s, start), int(min(n, 1<<31)))
	}
	register("regexp_replace",
		&Overload{Args: args(text, text, text), Result: text, Fn: replace},
		&Overload{Args: args(text, text, text, text), Result: text, Fn: replace},
		&Overload{Args: args(text, text, text, i4), Result: text, Fn: replace},
		&Overload{Args: args(text, text, text, i4, i4), Result: text, Fn: replace},
		&Overload{Args: args(text, text, text, i4, i4, text), Result: text, Fn: replace})
	// regexp_count
	count := func(a []types.Datum) (types.Datum, error) {
		s := a[0].(string)
		start, flags := int64(1), ""
		if len(a) > 2 {
			start = a[2].(int64)
		}
		if len(a) > 3 {
			flags = a[3].(string)
		}
		if start <= 0 {
			return nil, invalidParam("start", start)
		}
		f, err := noGlobal(flags, "regexp_count()", "")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp(a[1].(string), f)
		if err != nil {
			return nil, err
		}
		return int64(len(re.findAll(s, runeOffset(s, start), true, false, 0))), nil
	}
	register("regexp_count",
		&Overload{Args: args(text, text), Result: i4, Fn: count},
		&Overload{Args: args(text, text, i4), Result: i4, Fn: count},
		&Overload{Args: args(text, text, i4, text), Result: i4, Fn: count})
	// regexp_like
	like := func(a []types.Datum) (types.Datum, error) {
		flags := ""
		if len(a) == 3 {
			flags = a[2].(string)
		}
		f, err := noGlobal(flags, "regexp_like()", "")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp(a[1].(string), f)
		if err != nil {
			return nil, err
		}
		return re.MatchString(a[0].(string)), nil
	}
	register("regexp_like",
		&Overload{Args: args(text, text), Result: b, Fn: like},
		&Overload{Args: args(text, text, text), Result: b, Fn: like})
	// regexp_instr
	instr := func(a []types.Datum) (types.Datum, error) {
		s := a[0].(string)
		start, n, endOpt, flags, sub := int64(1), int64(1), int64(0), "", int64(0)
		if len(a) > 2 {
			start = a[2].(int64)
		}
		if len(a) > 3 {
			n = a[3].(int64)
		}
		if len(a) > 4 {
			endOpt = a[4].(int64)
		}
		if len(a) > 5 {
			flags = a[5].(string)
		}
		if len(a) > 6 {
			sub = a[6].(int64)
		}
		switch {
		case start <= 0:
			return nil, invalidParam("start", start)
		case n <= 0:
			return nil, invalidParam("n", n)
		case endOpt != 0 && endOpt != 1:
			return nil, invalidParam("endoption", endOpt)
		case sub < 0:
			return nil, invalidParam("subexpr", sub)
		}
		f, err := noGlobal(flags, "regexp_instr()", "")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp(a[1].(string), f)
		if err != nil {
			return nil, err
		}
		ms := re.findAll(s, runeOffset(s, start), true, false, int(min(n, 1<<31)))
		if int64(len(ms)) < n || sub > int64(re.NumGroups()) {
			return int64(0), nil
		}
		m := ms[n-1]
		so, eo := m[2*sub], m[2*sub+1]
		if so < 0 {
			return int64(0), nil
		}
		if endOpt == 1 {
			return charPos(s, eo), nil
		}
		return charPos(s, so), nil
	}
	register("regexp_instr",
		&Overload{Args: args(text, text), Result: i4, Fn: instr},
		&Overload{Args: args(text, text, i4), Result: i4, Fn: instr},
		&Overload{Args: args(text, text, i4, i4), Result: i4, Fn: instr},
		&Overload{Args: args(text, text, i4, i4, i4), Result: i4, Fn: instr},
		&Overload{Args: args(text, text, i4, i4, i4, text), Result: i4, Fn: instr},
		&Overload{Args: args(text, text, i4, i4, i4, text, i4), Result: i4, Fn: instr})
	// regexp_substr
	substr := func(a []types.Datum) (types.Datum, error) {
		s := a[0].(string)
		start, n, flags, sub := int64(1), int64(1), "", int64(0)
		if len(a) > 2 {
			start = a[2].(int64)
		}
		if len(a) > 3 {
			n = a[3].(int64)
		}
		if len(a) > 4 {
			flags = a[4].(string)
		}
		if len(a) > 5 {
			sub = a[5].(int64)
		}
		switch {
		case start <= 0:
			return nil, invalidParam("start", start)
		case n <= 0:
			return nil, invalidParam("n", n)
		case sub < 0:
			return nil, invalidParam("subexpr", sub)
		}
		f, err := noGlobal(flags, "regexp_substr()", "")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp(a[1].(string), f)
		if err != nil {
			return nil, err
		}
		ms := re.findAll(s, runeOffset(s, start), true, false, int(min(n, 1<<31)))
		if int64(len(ms)) < n || sub > int64(re.NumGroups()) {
			return nil, nil
		}
		m := ms[n-1]
		if m[2*sub] < 0 {
			return nil, nil
		}
		return s[m[2*sub]:m[2*sub+1]], nil
	}
	register("regexp_substr",
		&Overload{Args: args(text, text), Result: text, Fn: substr},
		&Overload{Args: args(text, text, i4), Result: text, Fn: substr},
		&Overload{Args: args(text, text, i4, i4), Result: text, Fn: substr},
		&Overload{Args: args(text, text, i4, i4, text), Result: text, Fn: substr},
		&Overload{Args: args(text, text, i4, i4, text, i4), Result: text, Fn: substr})
	// regexp_split_to_array
	split := func(a []types.Datum) (types.Datum, error) {
		flags := ""
		if len(a) == 3 {
			flags = a[2].(string)
		}
		parts, err := RegexpSplit(a[0].(string), a[1].(string), flags, "regexp_split_to_array()")
		if err != nil {
			return nil, err
		}
		return &types.Array{Elems: parts}, nil
	}
	register("regexp_split_to_array",
		&Overload{Args: args(text, text), Result: textArr, Fn: split},
		&Overload{Args: args(text, text, text), Result: textArr, Fn: split})
}

func invalidParam(name string, v int64) error {
	return pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", name, v)
}

// noGlobal parses flags of a function that refuses the g option.
func noGlobal(flags, fn, hint string) (reFlags, error) {
	f, err := parseReFlags(flags)
	if err != nil {
		return f, err
	}
	if f.glob {
		e := pgerr.New(pgerr.InvalidParameterValue, "%s does not support the \"global\" option", fn)
		if hint != "" {
			e = e.WithHint(hint)
		}
		return f, e
	}
	return f, nil
}

// matchArray is the text[] of a match: its groups, NULL for one that
// took no part, or the whole match when the pattern has none.
func matchArray(s string, m []int) *types.Array {
	if len(m) == 2 {
		return &types.Array{Elems: []types.Datum{s[m[0]:m[1]]}}
	}
	out := make([]types.Datum, 0, len(m)/2-1)
	for i := 2; i < len(m); i += 2 {
		if m[i] < 0 {
			out = append(out, nil)
		} else {
			out = append(out, s[m[i]:m[i+1]])
		}
	}
	return &types.Array{Elems: out}
}

// RegexpMatches is regexp_matches: the text[] of each match, every
// match with the g flag.
func RegexpMatches(s, pattern, flags string) ([]types.Datum, error) {
	f, err := parseReFlags(flags)
	if err != nil {
		return nil, err
	}
	re, err := compileRegexp(pattern, f)
	if err != nil {
		return nil, err
	}
	var out []types.Datum
	for _, m := range re.findAll(s, 0, f.glob, false, 0) {
		out = append(out, matchArray(s, m))
	}
	return out, nil
}

// RegexpSplit is regexp_split_to_table (fn names the function for its
// errors): the pieces of s between the matches of pattern, empty matches
// at either end of s ignored.
func RegexpSplit(s, pattern, flags, fn string) ([]types.Datum, error) {
	f, err := noGlobal(flags, fn, "")
	if err != nil {
		return nil, err
	}
	re, err := compileRegexp(pattern, f)
	if err != nil {
		return nil, err
	}
	var out []types.Datum
	prev := 0
	for _, m := range re.findAll(s, 0, true, true, 0) {
		out = append(out, s[prev:m[0]])
		prev = m[1]
	}
	return append(out, s[prev:]), nil
}

// regexpReplace replaces the matches of re in s from byte offset start:
// all of them when n is 0, else the n-th.
func regexpReplace(s string, re *Regexp, repl string, start, n int) (types.Datum, error) {
	var sb strings.Builder
	done := 0
	count := 0
	for _, m := range re.findAll(s, start, true, false, 0) {
		count++
		if n > 0 && count < n {
			continue
		}
		if err := textFits(sb.Len(), m[0]-done); err != nil {
			return nil, err
		}
		sb.WriteString(s[done:m[0]])
		if err := appendReplacement(&sb, s, repl, m); err != nil {
			return nil, err
		}
		done = m[1]
		if n > 0 {
			break
		}
	}
	sb.WriteString(s[done:])
	return sb.String(), nil
}

// appendReplacement writes repl for match m: \1 to \9 are groups, \& the
// match and \\ a backslash; any other backslash stands for itself.
func appendReplacement(sb *strings.Builder, s, repl string, m []int) error {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' {
			sb.WriteByte(c)
			continue
		}
		if i+1 >= len(repl) {
			sb.WriteByte('\\')
			break
		}
		e := repl[i+1]
		g := -1
		switch {
		case e >= '1' && e <= '9':
			g = int(e - '0')
		case e == '&':
			g = 0
		case e == '\\':
			sb.WriteByte('\\')
			i++
			continue
		default:
			sb.WriteByte('\\')
			continue
		}
		i++
		if 2*g+1 < len(m) && m[2*g] >= 0 {
			if err := textFits(sb.Len(), m[2*g+1]-m[2*g]); err != nil {
				return err
			}
			sb.WriteString(s[m[2*g]:m[2*g+1]])
		}
	}
	return nil
}

// substringRegexp is substring(s FROM pattern): the part of the first
// match the first group took, or the whole match when the pattern has
// no group; NULL without a match.
func substringRegexp(s, pattern string) (types.Datum, error) {
	re, err := compileRegexp(pattern, reFlags{})
	if err != nil {
		return nil, err
	}
	return firstGroup(s, re), nil
}

func firstGroup(s string, re *Regexp) types.Datum {
	m := re.find(s, 0)
	if m == nil {
		return nil
	}
	if len(m) > 2 {
		if m[2] < 0 {
			return nil
		}
		return s[m[2]:m[3]]
	}
	return s[m[0]:m[1]]
}

// substringSimilar is substring(s SIMILAR pattern ESCAPE escape).
func substringSimilar(s, pattern, escape string) (types.Datum, error) {
	_, lazy, err := similarToRegexp(pattern, escape)
	if err != nil {
		return nil, err
	}
	src, err := translateARE(lazy, reFlags{})
	if err != nil {
		return nil, err
	}
	re, err := compileRE2(src)
	if err != nil {
		return nil, err
	}
	return firstGroup(s, re), nil
}

// similarToRegexp is similar_to_escape: the ARE a SIMILAR TO pattern
// stands for, as PostgreSQL's similar_escape_internal writes it. lazy is
// the same pattern with the quantifiers of its first part made lazy, the
// form substringSimilar runs on RE2 (see the package comment above).
func similarToRegexp(pattern, escape string) (are, lazy string, err error) {
	var esc rune = -1
	if escape != "" {
		r, size := utf8.DecodeRuneInString(escape)
		if size != len(escape) {
			return "", "", pgerr.New(pgerr.InvalidEscapeSequence, "invalid escape string").
				WithHint("Escape string must be empty or one character.")
		}
		esc = r
	}
	var b, l strings.Builder
	both := func(s string) { b.WriteString(s); l.WriteString(s) }
	both("^(?:")
	afterEscape, inClass := false, false
	nquotes := 0
	for _, c := range pattern {
		switch {
		case afterEscape:
			if c == '"' && !inClass {
				switch nquotes {
				case 0:
					both("){1,1}?(")
				case 1:
					both("){1,1}(?:")
				default:
					return "", "", pgerr.New(pgerr.InvalidUseOfEscapeCharacter,
						"SQL regular expression may not contain more than two escape-double-quote separators")
				}
				nquotes++
			} else {
				both(`\` + string(c))
			}
			afterEscape = false
		case c == esc:
			afterEscape = true
		case inClass:
			if c == '\\' {
				both(`\`)
			}
			both(string(c))
			if c == ']' {
				inClass = false
			}
		case c == '[':
			both("[")
			inClass = true
		case c == '%':
			both(".*")
			if nquotes == 0 {
				l.WriteByte('?')
			}
		case c == '_':
			both(".")
		case c == '(':
			both("(?:")
		case c == '\\' || c == '.' || c == '^' || c == '$':
			both(`\` + string(c))
		case (c == '*' || c == '+' || c == '?' || c == '}') && nquotes == 0:
			both(string(c))
			l.WriteByte('?')
		default:
			both(string(c))
		}
	}
	both(")$")
	if nquotes == 0 {
		// With no separator the whole pattern is the middle part.
		return b.String(), b.String(), nil
	}
	return b.String(), l.String(), nil
}
