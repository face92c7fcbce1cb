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
	// start and end are the token's byte offsets in the source.
	start, end int
}

// scanTokens splits src into tokens, skipping comments and string
// constants (which become a token "'" so that statement shapes stay).
func scanTokens(src string) []token {
	var out []token
	line := 1
	i := 0
	for i < len(src) {
		n, from := len(out), i
		scanOne(src, &i, &line, &out)
		if len(out) > n {
			out[n].start, out[n].end = from, i
		}
	}
	return out
}

// scanOne reads the token (or blank, or comment) at *i.
func scanOne(src string, ip *int, linep *int, outp *[]token) {
	i, line, out := *ip, *linep, *outp
	defer func() { *ip, *linep, *outp = i, line, out }()
	{
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
		case c == '$' && dollarTag(src[i:]) != "":
			// A dollar-quoted string: to the same tag.
			tag := dollarTag(src[i:])
			end := strings.Index(src[i+len(tag):], tag)
			body := src[i:]
			if end >= 0 {
				body = src[i : i+len(tag)+end+len(tag)]
			}
			line += strings.Count(body, "\n")
			i += len(body)
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
				i = min(j+1+end+len(tag), len(src))
				out = append(out, token{text: "'", line: line})
				return
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
}

// dollarTag is the $tag$ (or $$) s starts with; "" when it starts with
// none (a parameter $1 is no tag).
func dollarTag(s string) string {
	if len(s) < 2 || s[0] != '$' {
		return ""
	}
	j := 1
	for j < len(s) && s[j] != '$' {
		c := s[j]
		if !(c == '_' || c >= 0x80 || unicode.IsLetter(rune(c)) || j > 1 && c >= '0' && c <= '9') {
			return ""
		}
		j++
	}
	if j >= len(s) {
		return ""
	}
	return s[:j+1]
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

// TypeRef is the type of a declaration in a DECLARE section: its text
// and byte offsets in the body.
type TypeRef struct {
	Var        string // the variable declared (lower case unless quoted)
	Name       string
	Start, End int
	Line       int
}

// DeclaredTypes lists the type names of the body's variable
// declarations that are one (possibly qualified) name with nothing
// after it but a default, NOT NULL or COLLATE: those a table's or
// composite type's name may be (or name%ROWTYPE), which PL/pgSQL then
// treats as a row type. pg_query's parser has no catalog and compiles
// those as scalars, refusing r.f := v; the caller declares them record
// for it instead, and gives the datums their type back (TypedRecord).
func DeclaredTypes(src string) []TypeRef {
	toks := scanTokens(src)
	var out []TypeRef
	inDecl := false
	atItem := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.quoted && t.text == "declare" {
			inDecl, atItem = true, true
			continue
		}
		if !t.quoted && t.text == "begin" {
			inDecl = false
			continue
		}
		if !inDecl {
			continue
		}
		if t.text == ";" {
			atItem = true
			continue
		}
		if !atItem {
			continue
		}
		atItem = false
		// name [CONSTANT] type ...
		j := i + 1
		if j < len(toks) && !toks[j].quoted && toks[j].text == "constant" {
			j++
		}
		if j >= len(toks) || (!toks[j].quoted && !isIdentStart(toks[j].text[0])) {
			continue
		}
		if !toks[j].quoted && (toks[j].text == "alias" || toks[j].text == "cursor" || toks[j].text == "scroll" || toks[j].text == "no" || toks[j].text == "record") {
			continue
		}
		start, k := toks[j].start, j+1
		for k+1 < len(toks) && toks[k].text == "." {
			k += 2
		}
		end := toks[k-1].end
		if k+1 < len(toks) && toks[k].text == "%" && toks[k+1].text == "rowtype" {
			end = toks[k+1].end
			k += 2
		}
		if k < len(toks) {
			switch next := toks[k].text; {
			case next == ";" || next == ":=" || next == "=" || next == "default" || next == "not" || next == "collate":
			default:
				continue
			}
		}
		out = append(out, TypeRef{Var: t.text, Name: src[start:end], Start: start, End: end, Line: toks[j].line})
	}
	return out
}

// OuterDeclarations lists the names the DECLARE section of src's
// outermost block declares.
func OuterDeclarations(src string) []string {
	blocks := blockDecls(src)
	if len(blocks) == 0 {
		return nil
	}
	var out []string
	for _, d := range blocks[0] {
		out = append(out, d.name)
	}
	return out
}

// OuterBegin is the byte offset in src just past the BEGIN keyword of its
// outermost block, or -1 when there is none.
func OuterBegin(src string) int {
	for _, t := range scanTokens(src) {
		if !t.quoted && t.text == "begin" {
			return t.end
		}
	}
	return -1
}
