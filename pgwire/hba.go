package pgwire

import (
	"fmt"
	"net"
	"strings"
)

// Host-based authentication: which clients may connect, and how they
// prove who they are, as PostgreSQL's pg_hba.conf says it. Each rule is
// one line:
//
//	local      DATABASE USER METHOD
//	host       DATABASE USER ADDRESS METHOD
//	hostssl    DATABASE USER ADDRESS METHOD
//	hostnossl  DATABASE USER ADDRESS METHOD
//
// DATABASE is all, sameuser, samerole (cairn has no role membership, so
// samerole is sameuser), replication (which no cairn connection is) or a
// comma-separated list of names; USER is all, a name or +name (members
// of name: the role itself, as cairn has no membership), comma-separated;
// ADDRESS is all, samehost, samenet, a CIDR (10.0.0.0/8, ::1/128) or an
// address followed by a mask in a field of its own. A quoted word is a
// name, never a keyword. METHOD is trust, reject, scram-sha-256, md5 or
// password. The first rule whose connection type, database, user and
// address match decides; with none, the connection is refused (28000).
// hostgssenc lines never match (cairn has no GSSAPI encryption) and
// hostnogssenc lines match as host does. Host names, @file inclusions,
// authentication options and the other methods (peer, ident, gss, sspi,
// ldap, radius, cert, pam, bsd) are refused when the rules are parsed.

// HBARule is one host-based authentication rule.
type HBARule struct {
	// Line is the rule's line in its file (1-based), for messages.
	Line int
	// Type is local, host, hostssl, hostnossl, hostgssenc or hostnogssenc.
	Type      string
	Databases []hbaToken
	Users     []hbaToken
	// Addr is the rule's address: "all", "samehost", "samenet", or ""
	// with Net set; empty for local rules.
	Addr   string
	Net    *net.IPNet
	Method string
}

// hbaToken is a database or user name, or a keyword when it was not
// quoted.
type hbaToken struct {
	text   string
	quoted bool
}

func (t hbaToken) keyword(k string) bool { return !t.quoted && t.text == k }

// Authentication methods.
const (
	authTrust    = "trust"
	authReject   = "reject"
	authSCRAM    = "scram-sha-256"
	authMD5      = "md5"
	authPassword = "password"
)

// DefaultHBA are the rules a server without configured ones uses: trust
// over the Unix socket and from loopback addresses, nothing else.
func DefaultHBA() []HBARule {
	rules, err := ParseHBA("local all all trust\nhost all all 127.0.0.0/8 trust\nhost all all ::1/128 trust\n")
	if err != nil {
		panic(err) // a bug: the text above is valid
	}
	return rules
}

// ParseHBA parses rules in pg_hba.conf's format. An error names the line.
func ParseHBA(text string) ([]HBARule, error) {
	var rules []HBARule
	for i, line := range strings.Split(text, "\n") {
		fields, err := hbaFields(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if len(fields) == 0 {
			continue
		}
		r, err := parseHBALine(i+1, fields)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// hbaFields splits a line into fields, each a list of comma-separated
// tokens, dropping a comment (# outside quotes).
func hbaFields(line string) ([][]hbaToken, error) {
	var fields [][]hbaToken
	var field []hbaToken
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
			i++
		}
		if i >= len(line) || line[i] == '#' {
			break
		}
		var tok strings.Builder
		quoted := false
		inQuote := false
		for i < len(line) {
			ch := line[i]
			if inQuote {
				if ch == '"' {
					if i+1 < len(line) && line[i+1] == '"' {
						tok.WriteByte('"')
						i += 2
						continue
					}
					inQuote = false
				} else {
					tok.WriteByte(ch)
				}
				i++
				continue
			}
			if ch == '"' {
				inQuote, quoted = true, true
				i++
				continue
			}
			if ch == ' ' || ch == '\t' || ch == '\r' || ch == ',' || ch == '#' {
				break
			}
			tok.WriteByte(ch)
			i++
		}
		if inQuote {
			return nil, fmt.Errorf("unterminated quoted string")
		}
		field = append(field, hbaToken{text: tok.String(), quoted: quoted})
		if i < len(line) && line[i] == ',' {
			i++
			continue // the list goes on in this field
		}
		fields = append(fields, field)
		field = nil
	}
	if field != nil {
		return nil, fmt.Errorf("end of line after a comma")
	}
	return fields, nil
}

func parseHBALine(n int, fields [][]hbaToken) (HBARule, error) {
	r := HBARule{Line: n}
	single := func(f []hbaToken, what string) (string, error) {
		if len(f) != 1 {
			return "", fmt.Errorf("multiple values specified for %s", what)
		}
		return f[0].text, nil
	}
	typ, err := single(fields[0], "connection type")
	if err != nil {
		return r, err
	}
	switch typ {
	case "local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc":
	default:
		return r, fmt.Errorf("invalid connection type \"%s\"", typ)
	}
	r.Type = typ
	need := 4
	if typ != "local" {
		need = 5
	}
	if len(fields) < need {
		return r, fmt.Errorf("end-of-line before authentication method")
	}
	r.Databases, r.Users = fields[1], fields[2]
	for _, t := range append(append([]hbaToken(nil), r.Databases...), r.Users...) {
		if !t.quoted && strings.HasPrefix(t.text, "@") {
			return r, fmt.Errorf("file inclusion (%s) is not supported by cairn", t.text)
		}
	}
	rest := fields[3:]
	if typ != "local" {
		addr, err := single(rest[0], "IP address")
		if err != nil {
			return r, err
		}
		rest = rest[1:]
		switch addr {
		case "all", "samehost", "samenet":
			r.Addr = addr
		default:
			if strings.Contains(addr, "/") {
				_, ipnet, err := net.ParseCIDR(addr)
				if err != nil {
					return r, fmt.Errorf("invalid IP address \"%s\"", addr)
				}
				r.Net = ipnet
				break
			}
			ip := net.ParseIP(addr)
			if ip == nil {
				return r, fmt.Errorf("host name \"%s\" as an address is not supported by cairn: give an IP address or CIDR", addr)
			}
			if len(rest) < 2 {
				return r, fmt.Errorf("end-of-line before netmask specification")
			}
			mask, err := single(rest[0], "netmask")
			if err != nil {
				return r, err
			}
			rest = rest[1:]
			m := net.ParseIP(mask)
			if m == nil {
				return r, fmt.Errorf("invalid IP mask \"%s\"", mask)
			}
			if ip4 := ip.To4(); ip4 != nil {
				ip, m = ip4, m.To4()
			}
			if m == nil || len(m) != len(ip) {
				return r, fmt.Errorf("IP address and mask do not match")
			}
			r.Net = &net.IPNet{IP: ip.Mask(net.IPMask(m)), Mask: net.IPMask(m)}
		}
	}
	method, err := single(rest[0], "authentication type")
	if err != nil {
		return r, err
	}
	switch method {
	case authTrust, authReject, authSCRAM, authMD5, authPassword:
	case "peer", "ident", "gss", "sspi", "pam", "ldap", "radius", "cert", "bsd":
		return r, fmt.Errorf("authentication method \"%s\" is not supported by cairn", method)
	default:
		return r, fmt.Errorf("invalid authentication method \"%s\"", method)
	}
	r.Method = method
	if len(rest) > 1 {
		return r, fmt.Errorf("authentication option \"%s\" is not supported by cairn", rest[1][0].text)
	}
	return r, nil
}

// hbaClient is what the rules match a connection on.
type hbaClient struct {
	local    bool   // over a Unix-domain socket
	ip       net.IP // the client's address (TCP)
	tls      bool
	user, db string
}

// matchHBA returns the first rule that matches c, or nil.
func matchHBA(rules []HBARule, c hbaClient, localNets func() []*net.IPNet) *HBARule {
	for i := range rules {
		r := &rules[i]
		switch r.Type {
		case "local":
			if !c.local {
				continue
			}
		case "host", "hostnogssenc":
			if c.local {
				continue
			}
		case "hostssl":
			if c.local || !c.tls {
				continue
			}
		case "hostnossl":
			if c.local || c.tls {
				continue
			}
		default: // hostgssenc: cairn has no GSSAPI encryption
			continue
		}
		if !c.local && !r.matchAddr(c.ip, localNets) {
			continue
		}
		if !matchDatabase(r.Databases, c.db, c.user) || !matchUser(r.Users, c.user) {
			continue
		}
		return r
	}
	return nil
}

func (r *HBARule) matchAddr(ip net.IP, localNets func() []*net.IPNet) bool {
	if ip4 := ip.To4(); ip4 != nil {
		ip = ip4
	}
	switch r.Addr {
	case "all":
		return true
	case "samehost", "samenet":
		for _, n := range localNets() {
			if r.Addr == "samehost" && n.IP.Equal(ip) || r.Addr == "samenet" && n.Contains(ip) {
				return true
			}
		}
		return false
	}
	// An IPv4 rule matches IPv4 clients and an IPv6 rule IPv6 ones.
	return r.Net != nil && len(r.Net.IP) == len(ip) && r.Net.Contains(ip)
}

func matchDatabase(toks []hbaToken, db, user string) bool {
	for _, t := range toks {
		switch {
		case t.keyword("all"):
			return true
		case t.keyword("sameuser"), t.keyword("samerole"), t.keyword("samegroup"):
			if db == user {
				return true
			}
		case t.keyword("replication"):
			// No cairn connection is a replication connection.
		case t.text == db:
			return true
		}
	}
	return false
}

func matchUser(toks []hbaToken, user string) bool {
	for _, t := range toks {
		switch {
		case t.keyword("all"):
			return true
		case !t.quoted && strings.HasPrefix(t.text, "+"):
			// Members of the role: cairn has no membership, so the
			// role itself.
			if t.text[1:] == user {
				return true
			}
		case t.text == user:
			return true
		}
	}
	return false
}

// interfaceNets lists the addresses of the machine's interfaces with
// their networks (samehost, samenet).
func interfaceNets() []*net.IPNet {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []*net.IPNet
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			ip := n.IP
			if ip4 := ip.To4(); ip4 != nil {
				n = &net.IPNet{IP: ip4, Mask: n.Mask[len(n.Mask)-net.IPv4len:]}
			}
			out = append(out, n)
		}
	}
	return out
}
