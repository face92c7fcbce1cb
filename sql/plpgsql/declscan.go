package plpgsql

import (
	"strings"
	"unicode"
)

// pg_query's JSON does not say which block declares which variable (a
// block's initvarnos are left out). The declarations are read from the
// body's text instead: each BEGIN opens one block, in the order the
// parser met them, and the DECLARE section before it lists its variables
// in order. The parser numbers datums in the order it reads them, so
// each declared name is matched to the first unclaimed datum of that name
// (see claim in parse.go).

// decl is one item of a DECLARE section: a variable, or an alias of
// another name.
type decl struct {
	name  string
	alias string // ALIAS FOR target; "" for a variable
}

// token is a word of the body: an identifier (lower-cased unless
// quoted), a keyword, or punctuation.
type token struct {
	text   string
	quoted bool
	line   int
}

// scanTokens splits src into tokens, skipping comments and string
// constants (which become a token "'" so that statement shapes stay).
func scanTokens(src string) []token {
	var out []token
	line := 1
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			depth := 0
			for i < len(src) {
				if strings.HasPrefix(src[i:], "/*") {
					depth++
					i += 2
					continue
				}
				if strings.HasPrefix(src[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
					continue
				}
				if src[i] == '\n' {
					line++
				}
				i++
			}
		case c == '\'' || ((c == 'e' || c == 'E') && i+1 < len(src) && src[i+1] == '\''):
			escapes := c != '\''
			if escapes {
				i++
			}
			i++
			for i < len(src) {
				if src[i] == '\n' {
					line++
				}
				if escapes && src[i] == '\\' {
					i += 2
					continue
				}
				if src[i] == '\'' {
					if i+1 < len(src) && src[i+1] == '\'' {
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
			out = append(out, token{text: "'", line: line})
		case c == '"':
			j := i + 1
			var b strings.Builder
			for j < len(src) {
				if src[j] == '"' {
					if j+1 < len(src) && src[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(src[j])
				j++
			}
			out = append(out, token{text: b.String(), quoted: true, line: line})
			i = j + 1
		case c == '$':
			// $n parameter or $tag$ ... $tag$.
			j := i + 1
			for j < len(src) && (isIdentByte(src[j]) && !(j == i+1 && src[j] >= '0' && src[j] <= '9')) {
				j++
			}
			if j < len(src) && src[j] == '$' {
				tag := src[i : j+1]
				end := strings.Index(src[j+1:], tag)
				if end < 0 {
					end = len(src) - j - 1
				}
				line += strings.Count(src[i:j+1+end], "\n")
				i = j + 1 + end + len(tag)
				out = append(out, token{text: "'", line: line})
				continue
			}
			j = i + 1
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			out = append(out, token{text: src[i:j], line: line})
			i = j
		case isIdentStart(c):
			j := i
			for j < len(src) && isIdentByte(src[j]) {
				j++
			}
			out = append(out, token{text: strings.ToLower(src[i:j]), line: line})
			i = j
		case c == ':' && i+1 < len(src) && (src[i+1] == '=' || src[i+1] == ':'):
			out = append(out, token{text: src[i : i+2], line: line})
			i += 2
		case c == '<' && i+1 < len(src) && src[i+1] == '<', c == '>' && i+1 < len(src) && src[i+1] == '>':
			out = append(out, token{text: src[i : i+2], line: line})
			i += 2
		default:
			out = append(out, token{text: string(c), line: line})
			i++
		}
	}
	return out
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 0x80 || unicode.IsLetter(rune(c))
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c == '$' || (c >= '0' && c <= '9')
}

// blockDecls returns, for each block of src in the order their BEGINs
// appear, the items of its DECLARE section.
func blockDecls(src string) [][]decl {
	toks := scanTokens(src)
	var out [][]decl
	var pending []decl
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.quoted {
			continue
		}
		switch t.text {
		case "begin":
			out = append(out, pending)
			pending = nil
		case "declare":
			// Items up to BEGIN: name ... ; at parenthesis depth 0.
			i++
			for i < len(toks) && !(toks[i].text == "begin" && !toks[i].quoted) {
				if toks[i].text == "declare" && !toks[i].quoted {
					i++
					continue
				}
				if toks[i].text == "<<" {
					// A label between DECLARE sections of nested
					// blocks cannot occur; skip defensively.
					for i < len(toks) && toks[i].text != ">>" {
						i++
					}
					i++
					continue
				}
				d := decl{name: toks[i].text}
				j := i + 1
				if j < len(toks) && toks[j].text == "alias" && !toks[j].quoted {
					if j+2 < len(toks) {
						d.alias = toks[j+2].text
					}
				}
				depth := 0
				for ; j < len(toks); j++ {
					switch toks[j].text {
					case "(", "[":
						depth++
					case ")", "]":
						depth--
					}
					if toks[j].text == ";" && depth <= 0 {
						break
					}
				}
				pending = append(pending, d)
				i = j + 1
			}
			i--
		}
	}
	return out
}
