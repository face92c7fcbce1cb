package sql

import (
	"fmt"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The server's configuration file, in postgresql.conf's format: one
// setting a line, "name = value" or "name value", "#" starting a comment.
// A value is a single-quoted string ('' or \' for a quote) or a bare word
// of letters, digits and . _ - + : (a number with a unit such as 4MB or
// 30s is one word). Names are case-insensitive. include directives are
// not supported and are refused, as any unknown name is, with the file
// and line.

// ConfigEntry is one setting of a configuration file.
type ConfigEntry struct {
	Name  string // lower case
	Value string // unquoted
	File  string
	Line  int
}

// ParseConfig parses the configuration file named file whose text is
// data. A line it cannot read is a 42601 error naming the file and line,
// in PostgreSQL's words; a later setting of a name overrides an earlier
// one when applied in order.
func ParseConfig(file string, data []byte) ([]ConfigEntry, error) {
	var out []ConfigEntry
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		e, ok, err := parseConfigLine(strings.TrimSuffix(line, "\r"))
		if err != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "syntax error in file \"%s\" line %d, near %s", file, n, err.Error())
		}
		if !ok {
			continue
		}
		if e.Name == "include" || e.Name == "include_if_exists" || e.Name == "include_dir" {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "%s directives are not supported, in file \"%s\" line %d", e.Name, file, n)
		}
		e.File, e.Line = file, n
		out = append(out, e)
	}
	return out, nil
}

// parseConfigLine reads one line; ok is false for a blank or comment
// line. Its error text is what follows "near" in the syntax error.
func parseConfigLine(line string) (e ConfigEntry, ok bool, err error) {
	p := strings.TrimLeft(line, " \t\f\v")
	if p == "" || p[0] == '#' {
		return e, false, nil
	}
	name := takeWhile(p, isConfigNameByte)
	if name == "" || !isConfigNameStart(name[0]) {
		return e, false, nearToken(p)
	}
	p = strings.TrimLeft(p[len(name):], " \t\f\v")
	if strings.HasPrefix(p, "=") {
		p = strings.TrimLeft(p[1:], " \t\f\v")
	}
	var value string
	switch {
	case p == "" || p[0] == '#':
		return e, false, fmt.Errorf("end of line")
	case p[0] == '\'':
		var rest string
		value, rest, err = unquoteConfigValue(p)
		if err != nil {
			return e, false, err
		}
		p = rest
	default:
		value = takeWhile(p, isConfigWordByte)
		if value == "" {
			return e, false, nearToken(p)
		}
		p = p[len(value):]
	}
	p = strings.TrimLeft(p, " \t\f\v")
	if p != "" && p[0] != '#' {
		return e, false, nearToken(p)
	}
	return ConfigEntry{Name: strings.ToLower(name), Value: value}, true, nil
}

// unquoteConfigValue reads the single-quoted string at the start of p
// and returns it unquoted and what follows it.
func unquoteConfigValue(p string) (value, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\'' && i+1 < len(p) && p[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == '\'':
			return b.String(), p[i+1:], nil
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteByte(p[i])
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("unterminated quoted string")
}

func nearToken(p string) error {
	tok := takeWhile(p, func(c byte) bool { return c != ' ' && c != '\t' })
	return fmt.Errorf("token \"%s\"", tok)
}

func takeWhile(s string, keep func(byte) bool) string {
	i := 0
	for i < len(s) && keep(s[i]) {
		i++
	}
	return s[:i]
}

func isConfigNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isConfigNameByte(c byte) bool {
	return isConfigNameStart(c) || c >= '0' && c <= '9' || c == '.'
}

func isConfigWordByte(c byte) bool {
	return isConfigNameByte(c) || c == '-' || c == '+' || c == ':'
}
