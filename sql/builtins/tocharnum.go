package builtins

import (
	"math"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// to_char of numbers, a port of the number half of PostgreSQL's
// formatting.c (NUMDesc_prepare, NUM_processor, NUM_numpart_to_char) in
// the C locale: 9, 0, . and D, comma and G, S, MI, PL, SG, PR, FM, L, TH,
// V and EEEE; "quoted text" and other characters are copied. Roman
// numerals (RN) are not done and are 0A000.

// The number pattern keywords, in the order PostgreSQL tries them.
const (
	numComma = iota + 1
	numDec
	num0
	num9
	numB
	numC
	numD
	numE
	numFM
	numG
	numL
	numMI
	numPL
	numPR
	numRN
	numSG
	numSP
	numS
	numTH
	numV
	numth
	numrn
)

var numKeywords = []struct {
	name string
	id   int
}{
	{",", numComma}, {".", numDec}, {"0", num0}, {"9", num9}, {"B", numB}, {"C", numC}, {"D", numD},
	{"EEEE", numE}, {"FM", numFM}, {"G", numG}, {"L", numL}, {"MI", numMI}, {"PL", numPL}, {"PR", numPR},
	{"RN", numRN}, {"SG", numSG}, {"SP", numSP}, {"S", numS}, {"TH", numTH}, {"V", numV},
	{"b", numB}, {"c", numC}, {"d", numD}, {"eeee", numE}, {"fm", numFM}, {"g", numG}, {"l", numL},
	{"mi", numMI}, {"pl", numPL}, {"pr", numPR}, {"rn", numrn}, {"sg", numSG}, {"sp", numSP}, {"s", numS},
	{"th", numth}, {"v", numV},
}

// numFlag bits of numDesc.flag.
const (
	fDecimal = 1 << iota
	fLDecimal
	fZero
	fBlank
	fFillMode
	fLSign
	fBracket
	fMinus
	fPlus
	fRoman
	fMulti
	fPlusPost
	fMinusPost
	fEEEE
)

const (
	lsignNone = iota
	lsignPre
	lsignPost
)

type numNode struct {
	id   int    // 0 for a character copied as is
	text string // the character
}

type numDesc struct {
	pre, post, lsign, flag          int
	zeroStart, zeroEnd, preLsignNum int
	multi                           int
}

func (d *numDesc) is(f int) bool { return d.flag&f != 0 }

func numFormatError(msg string) *pgerr.Error {
	return pgerr.New(pgerr.SyntaxError, "%s", msg)
}

// parseNumFormat is parse_format with NUM_FLAG and NUMDesc_prepare.
func parseNumFormat(f string) ([]numNode, *numDesc, error) {
	d := &numDesc{}
	var nodes []numNode
	for i := 0; i < len(f); {
		matched := false
		for _, k := range numKeywords {
			if strings.HasPrefix(f[i:], k.name) {
				if err := d.prepare(k.id); err != nil {
					return nil, nil, err
				}
				nodes = append(nodes, numNode{id: k.id})
				i += len(k.name)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if f[i] == '"' {
			i++
			for i < len(f) {
				if f[i] == '"' {
					i++
					break
				}
				if f[i] == '\\' && i+1 < len(f) {
					i++
				}
				n := charLen(f[i:])
				nodes = append(nodes, numNode{text: f[i : i+n]})
				i += n
			}
			continue
		}
		if f[i] == '\\' && i+1 < len(f) && f[i+1] == '"' {
			i++
		}
		n := charLen(f[i:])
		nodes = append(nodes, numNode{text: f[i : i+n]})
		i += n
	}
	return nodes, d, nil
}

func charLen(s string) int {
	for i := range s {
		if i > 0 {
			return i
		}
	}
	return len(s)
}

// prepare is NUMDesc_prepare for one keyword.
func (d *numDesc) prepare(id int) error {
	if d.is(fEEEE) && id != numE {
		return numFormatError(`"EEEE" must be the last pattern used`)
	}
	switch id {
	case num9:
		if d.is(fBracket) {
			return numFormatError(`"9" must be ahead of "PR"`)
		}
		switch {
		case d.is(fMulti):
			d.multi++
		case d.is(fDecimal):
			d.post++
		default:
			d.pre++
		}
	case num0:
		if d.is(fBracket) {
			return numFormatError(`"0" must be ahead of "PR"`)
		}
		if !d.is(fZero) && !d.is(fDecimal) {
			d.flag |= fZero
			d.zeroStart = d.pre + 1
		}
		if !d.is(fDecimal) {
			d.pre++
		} else {
			d.post++
		}
		d.zeroEnd = d.pre + d.post
	case numB:
		if d.pre == 0 && d.post == 0 && !d.is(fZero) {
			d.flag |= fBlank
		}
	case numD, numDec:
		if id == numD {
			d.flag |= fLDecimal
		}
		if d.is(fDecimal) {
			return numFormatError("multiple decimal points")
		}
		if d.is(fMulti) {
			return numFormatError(`cannot use "V" and decimal point together`)
		}
		d.flag |= fDecimal
	case numFM:
		d.flag |= fFillMode
	case numS:
		if d.is(fLSign) {
			return numFormatError(`cannot use "S" twice`)
		}
		if d.is(fPlus) || d.is(fMinus) || d.is(fBracket) {
			return numFormatError(`cannot use "S" and "PL"/"MI"/"SG"/"PR" together`)
		}
		if !d.is(fDecimal) {
			d.lsign, d.preLsignNum = lsignPre, d.pre
			d.flag |= fLSign
		} else if d.lsign == lsignNone {
			d.lsign = lsignPost
			d.flag |= fLSign
		}
	case numMI:
		if d.is(fLSign) {
			return numFormatError(`cannot use "S" and "MI" together`)
		}
		d.flag |= fMinus
		if d.is(fDecimal) {
			d.flag |= fMinusPost
		}
	case numPL:
		if d.is(fLSign) {
			return numFormatError(`cannot use "S" and "PL" together`)
		}
		d.flag |= fPlus
		if d.is(fDecimal) {
			d.flag |= fPlusPost
		}
	case numSG:
		if d.is(fLSign) {
			return numFormatError(`cannot use "S" and "SG" together`)
		}
		d.flag |= fMinus | fPlus
	case numPR:
		if d.is(fLSign) || d.is(fPlus) || d.is(fMinus) {
			return numFormatError(`cannot use "PR" and "S"/"PL"/"MI"/"SG" together`)
		}
		d.flag |= fBracket
	case numRN, numrn:
		return pgerr.New(pgerr.FeatureNotSupported, "roman numerals in to_char are not supported")
	case numV:
		if d.is(fDecimal) {
			return numFormatError(`cannot use "V" and decimal point together`)
		}
		d.flag |= fMulti
	case numE:
		if d.is(fEEEE) {
			return numFormatError(`cannot use "EEEE" twice`)
		}
		if d.is(fBlank) || d.is(fFillMode) || d.is(fLSign) || d.is(fBracket) || d.is(fMinus) || d.is(fPlus) || d.is(fRoman) || d.is(fMulti) {
			return numFormatError(`"EEEE" is incompatible with other formats`).
				WithDetail(`"EEEE" may only be used together with digit and decimal point patterns.`)
		}
		d.flag |= fEEEE
	}
	return nil
}

// numProc is NUMProc for to_char.
type numProc struct {
	d            *numDesc
	sign         byte
	signWrote    bool
	numCount     int
	numIn        bool
	numCurr      int
	outPreSpaces int
	number       string
	pos          int // number_p: an index into number
	lastRelevant int // -1 for none
	out          strings.Builder
}

func (p *numProc) at(i int) byte {
	if i < len(p.number) {
		return p.number[i]
	}
	return 0
}

func (p *numProc) predecSpace() bool {
	return !p.d.is(fZero) && p.pos == 0 && p.at(0) == '0' && p.d.post != 0
}

// lastRelevantDecnum is get_last_relevant_decnum: the index of the last
// nonzero digit after the decimal point, or of the point.
func lastRelevantDecnum(num string) int {
	i := strings.IndexByte(num, '.')
	if i < 0 {
		return -1
	}
	r := i
	for j := i + 1; j < len(num); j++ {
		if num[j] != '0' {
			r = j
		}
	}
	return r
}

// numToChar is NUM_processor in the to_char direction.
func numToChar(nodes []numNode, d *numDesc, number string, outPreSpaces int, sign byte) (string, error) {
	p := &numProc{d: d, number: number, outPreSpaces: outPreSpaces, lastRelevant: -1}
	if d.zeroStart > 0 {
		d.zeroStart--
	}
	if d.is(fEEEE) {
		return number, nil
	}
	p.sign = sign
	if d.is(fPlus) || d.is(fMinus) {
		p.signWrote = !(d.is(fPlus) && !d.is(fMinus))
	} else {
		if p.sign != '-' && d.is(fFillMode) {
			d.flag &^= fBracket
		}
		p.signWrote = p.sign == '+' && d.is(fFillMode) && !d.is(fLSign)
		if d.lsign == lsignPre && d.pre == d.preLsignNum {
			d.lsign = lsignPost
		}
	}
	p.numCount = d.post + d.pre - 1
	if d.is(fFillMode) && d.is(fDecimal) {
		p.lastRelevant = lastRelevantDecnum(number)
		if p.lastRelevant >= 0 && d.zeroEnd > p.outPreSpaces {
			lastZero := min(len(number)-1, d.zeroEnd-p.outPreSpaces)
			if p.lastRelevant < lastZero {
				p.lastRelevant = lastZero
			}
		}
	}
	if !p.signWrote && p.outPreSpaces == 0 {
		p.numCount++
	}
	for _, n := range nodes {
		if n.id == 0 {
			p.out.WriteString(n.text)
			continue
		}
		switch n.id {
		case num9, num0, numDec, numD:
			p.numpart(n.id)
		case numComma:
			switch {
			case p.numIn:
				p.out.WriteByte(',')
			case !d.is(fFillMode):
				p.out.WriteByte(' ')
			}
		case numG:
			switch {
			case p.numIn:
				p.out.WriteByte(',')
			case !d.is(fFillMode):
				p.out.WriteByte(' ')
			}
		case numL:
			p.out.WriteByte(' ')
		case numTH, numth:
			if p.at(0) == '#' || p.sign == '-' || d.is(fDecimal) {
				continue
			}
			th, err := numberSuffix(number, n.id == numTH)
			if err != nil {
				return "", err
			}
			p.out.WriteString(th)
		case numMI:
			switch {
			case p.sign == '-':
				p.out.WriteByte('-')
			case !d.is(fFillMode):
				p.out.WriteByte(' ')
			}
		case numPL:
			switch {
			case p.sign == '+':
				p.out.WriteByte('+')
			case !d.is(fFillMode):
				p.out.WriteByte(' ')
			}
		case numSG:
			p.out.WriteByte(p.sign)
		}
	}
	out := p.out.String()
	// A digit position past the end of the number writes the string's
	// terminating NUL in PostgreSQL, which ends the result there.
	if i := strings.IndexByte(out, 0); i >= 0 {
		out = out[:i]
	}
	return out, nil
}

// numberSuffix is get_th: st, nd, rd or th after the number's last digit.
func numberSuffix(num string, upper bool) (string, error) {
	last := num[len(num)-1]
	if last < '0' || last > '9' {
		return "", pgerr.New(pgerr.InvalidTextRepresentation, "\"%s\" is not a number", num)
	}
	if len(num) > 1 && num[len(num)-2] == '1' {
		last = '0'
	}
	s := "th"
	switch last {
	case '1':
		s = "st"
	case '2':
		s = "nd"
	case '3':
		s = "rd"
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s, nil
}

// numpart is NUM_numpart_to_char.
func (p *numProc) numpart(id int) {
	d := p.d
	p.numIn = false
	if !p.signWrote &&
		(p.numCurr >= p.outPreSpaces || d.is(fZero) && d.zeroStart == p.numCurr) &&
		(!p.predecSpace() || p.lastRelevant >= 0 && p.at(p.lastRelevant) == '.') {
		switch {
		case d.is(fLSign):
			if d.lsign == lsignPre {
				p.out.WriteByte(p.sign)
				p.signWrote = true
			}
		case d.is(fBracket):
			if p.sign == '+' {
				p.out.WriteByte(' ')
			} else {
				p.out.WriteByte('<')
			}
			p.signWrote = true
		case p.sign == '+':
			if !d.is(fFillMode) {
				p.out.WriteByte(' ')
			}
			p.signWrote = true
		case p.sign == '-':
			p.out.WriteByte('-')
			p.signWrote = true
		}
	}
	switch {
	case p.numCurr < p.outPreSpaces && (d.zeroStart > p.numCurr || !d.is(fZero)):
		if !d.is(fFillMode) {
			p.out.WriteByte(' ')
		}
	case d.is(fZero) && p.numCurr < p.outPreSpaces && d.zeroStart <= p.numCurr:
		p.out.WriteByte('0')
		p.numIn = true
	default:
		if p.at(p.pos) == '.' {
			if p.lastRelevant < 0 || p.at(p.lastRelevant) != '.' || d.is(fFillMode) {
				p.out.WriteByte('.')
			}
		} else {
			switch {
			case p.lastRelevant >= 0 && p.pos > p.lastRelevant && id != num0:
			case p.predecSpace():
				if !d.is(fFillMode) {
					p.out.WriteByte(' ')
				} else if p.lastRelevant >= 0 && p.at(p.lastRelevant) == '.' {
					p.out.WriteByte('0')
				}
			default:
				p.out.WriteByte(p.at(p.pos))
				p.numIn = true
			}
		}
		if p.pos < len(p.number) {
			p.pos++
		}
	}
	end := p.numCount
	if p.outPreSpaces > 0 {
		end++
	}
	if d.is(fDecimal) {
		end++
	}
	if p.lastRelevant >= 0 && p.lastRelevant == p.pos {
		end = p.numCurr
	}
	if p.numCurr+1 == end {
		switch {
		case p.signWrote && d.is(fBracket):
			if p.sign == '+' {
				p.out.WriteByte(' ')
			} else {
				p.out.WriteByte('>')
			}
		case d.is(fLSign) && d.lsign == lsignPost:
			p.out.WriteByte(p.sign)
		}
	}
	p.numCurr++
}

// hashes is the number that overflows its format: # for each digit.
func hashes(pre, post int) string {
	b := []byte(strings.Repeat("#", pre+post+1))
	b[pre] = '.'
	return string(b)
}

// splitSign takes the sign off a number's text.
func splitSign(s string) (string, byte) {
	if strings.HasPrefix(s, "-") {
		return s[1:], '-'
	}
	return s, '+'
}

// preSpaces is how many digit positions before the point the number
// leaves empty, or the number's #s when it has too many digits.
func preSpaces(numstr string, d *numDesc) (string, int) {
	pre := len(numstr)
	if i := strings.IndexByte(numstr, '.'); i >= 0 {
		pre = i
	}
	switch {
	case pre < d.pre:
		return numstr, d.pre - pre
	case pre > d.pre:
		return hashes(d.pre, d.post), 0
	}
	return numstr, 0
}

// sciNumeric is numeric_out_sci: d in exponent form with scale digits
// after the point.
func sciNumeric(d *apd.Decimal, scale int) string {
	if d.Form == apd.NaN {
		return "NaN"
	}
	if d.Form == apd.Infinite {
		if d.Negative {
			return "-Infinity"
		}
		return "Infinity"
	}
	exp := 0
	if !d.IsZero() {
		exp = int(d.NumDigits()) + int(d.Exponent) - 1
	}
	sig := new(apd.Decimal).Set(d)
	sig.Exponent -= int32(exp)
	sig, _ = roundTo(sig, int32(scale))
	return types.FormatNumeric(sig) + "e" + formatExp(exp)
}

func formatExp(exp int) string {
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	s := strconv.Itoa(exp)
	if len(s) < 2 {
		s = "0" + s
	}
	return sign + s
}

// toCharNumeric is numeric_to_char (and int4_to_char and int8_to_char,
// which come to the same).
func toCharNumeric(v *apd.Decimal, f string) (types.Datum, error) {
	if f == "" {
		return "", nil
	}
	nodes, d, err := parseNumFormat(f)
	if err != nil {
		return nil, err
	}
	var numstr string
	outPre := 0
	sign := byte('+')
	if d.is(fEEEE) {
		org := sciNumeric(v, d.post)
		switch {
		case v.Form != apd.Finite:
			b := []byte(strings.Repeat("#", d.pre+d.post+6))
			b[0], b[d.pre+1] = ' ', '.'
			numstr = string(b)
		case !strings.HasPrefix(org, "-"):
			numstr = " " + org
		default:
			numstr = org
		}
	} else {
		val := v
		if d.is(fMulti) && v.Form == apd.Finite {
			val = new(apd.Decimal).Set(v)
			val.Exponent += int32(d.multi)
			d.pre += d.multi
		}
		x := val
		if val.Form == apd.Finite {
			x, err = roundTo(new(apd.Decimal).Set(val), int32(d.post))
			if err != nil {
				return nil, err
			}
		}
		numstr, sign = splitSign(types.FormatNumeric(x))
		numstr, outPre = preSpaces(numstr, d)
	}
	return numToChar(nodes, d, numstr, outPre, sign)
}

// toCharFloat is float8_to_char and float4_to_char.
func toCharFloat(v float64, f string, float4 bool) (types.Datum, error) {
	if f == "" {
		return "", nil
	}
	nodes, d, err := parseNumFormat(f)
	if err != nil {
		return nil, err
	}
	digits, bits := 15, 64
	if float4 {
		digits, bits = 6, 32
	}
	var numstr string
	outPre := 0
	sign := byte('+')
	if d.is(fEEEE) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b := []byte(strings.Repeat("#", d.pre+d.post+6))
			b[0], b[d.pre+1] = ' ', '.'
			numstr = string(b)
		} else {
			s := strconv.FormatFloat(v, 'e', d.post, bits)
			mant, exp, _ := strings.Cut(s, "e")
			n, _ := strconv.Atoi(exp)
			numstr = mant + "e" + formatExp(n)
			if !strings.HasPrefix(numstr, "-") {
				numstr = " " + numstr
			}
		}
	} else {
		val := v
		if d.is(fMulti) {
			val = v * math.Pow(10, float64(d.multi))
			d.pre += d.multi
		}
		orgLen := len(cFloat(math.Abs(val), 0, bits))
		switch {
		case orgLen >= digits:
			d.post = 0
		case orgLen+d.post > digits:
			d.post = digits - orgLen
		}
		numstr, sign = splitSign(cFloat(val, d.post, bits))
		numstr, outPre = preSpaces(numstr, d)
	}
	return numToChar(nodes, d, numstr, outPre, sign)
}

// cFloat is printf's %.*f as PostgreSQL's snprintf writes it.
func cFloat(v float64, prec, bits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(v, 'f', prec, bits)
}

func init() {
	text := types.Text
	for _, id := range []types.ID{types.Int4, types.Int8} {
		register("to_char", &Overload{Args: []types.ID{id, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return toCharNumeric(apd.New(a[0].(int64), 0), a[1].(string))
		}})
	}
	register("to_char",
		&Overload{Args: []types.ID{types.Numeric, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return toCharNumeric(a[0].(*apd.Decimal), a[1].(string))
		}},
		&Overload{Args: []types.ID{types.Float4, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return toCharFloat(a[0].(float64), a[1].(string), true)
		}},
		&Overload{Args: []types.ID{types.Float8, text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) {
			return toCharFloat(a[0].(float64), a[1].(string), false)
		}})
}

// numReader is NUMProc in the to_number direction.
type numReader struct {
	d        *numDesc
	in       string
	pos      int    // inout_p
	number   []byte // number[0] is the sign: ' ', '-' or '+'
	readPre  int
	readPost int
	readDec  bool
}

func (r *numReader) over() bool      { return r.pos >= len(r.in) }
func (r *numReader) fits(n int) bool { return r.pos+n <= len(r.in) }
func (r *numReader) at(i int) byte {
	if i < len(r.in) {
		return r.in[i]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// numpart is NUM_numpart_from_char.
func (r *numReader) numpart(id int) {
	d := r.d
	if r.over() {
		return
	}
	if r.in[r.pos] == ' ' {
		r.pos++
	}
	if r.over() {
		return
	}
	if r.number[0] == ' ' && (id == num0 || id == num9) && r.readPre+r.readPost == 0 {
		c := r.in[r.pos]
		switch {
		case d.is(fLSign) && d.lsign == lsignPre:
			if c == '-' || c == '+' {
				r.pos++
				r.number[0] = c
			}
		case c == '-' || d.is(fBracket) && c == '<':
			r.number[0] = '-'
			r.pos++
		case c == '+':
			r.number[0] = '+'
			r.pos++
		}
	}
	if r.over() {
		return
	}
	isRead := false
	if c := r.in[r.pos]; isDigit(c) {
		if r.readDec && r.readPost == d.post {
			return
		}
		r.number = append(r.number, c)
		if r.readDec {
			r.readPost++
		} else {
			r.readPre++
		}
		isRead = true
	} else if d.is(fDecimal) && !r.readDec && c == '.' {
		r.number = append(r.number, '.')
		r.readDec = true
		isRead = true
	}
	if r.over() {
		return
	}
	if r.number[0] == ' ' && r.readPre+r.readPost > 0 {
		switch {
		case d.is(fLSign) && isRead && r.pos+1 < len(r.in) && !isDigit(r.in[r.pos+1]):
			if c := r.in[r.pos+1]; c == '-' || c == '+' {
				r.pos++
				r.number[0] = c
			}
		case !isRead && !d.is(fLSign) && (d.is(fPlus) || d.is(fMinus)):
			if c := r.in[r.pos]; c == '-' || c == '+' {
				r.number[0] = c
			}
		}
	}
}

// toNumber is numeric_to_number: s read by the template f, as numeric
// with the precision and scale the template gives.
func toNumber(s, f string) (types.Datum, error) {
	nodes, d, err := parseNumFormat(f)
	if err != nil {
		return nil, err
	}
	if d.is(fEEEE) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, `"EEEE" not supported for input`)
	}
	r := &numReader{d: d, in: s, number: []byte{' '}}
	for _, n := range nodes {
		if r.over() {
			break
		}
		if n.id == 0 {
			r.pos += charLen(r.in[r.pos:])
			continue
		}
		switch n.id {
		case num9, num0, numDec, numD:
			r.numpart(n.id)
		case numComma, numG:
			if d.is(fFillMode) || r.in[r.pos] != ',' {
				continue
			}
		case numL:
			// The currency symbol (a blank in the C locale), or any one
			// character that cannot start the number, as PostgreSQL 15
			// is seen to skip.
			if c := r.in[r.pos]; isDigit(c) || c == '-' || c == '+' {
				continue
			}
		case numTH, numth:
			if r.number[0] == '#' || d.is(fDecimal) {
				continue
			}
			r.pos++
		case numMI:
			if r.in[r.pos] == '-' {
				r.number[0] = '-'
			}
		case numPL:
			if r.in[r.pos] == '+' {
				r.number[0] = '+'
			}
		case numSG:
			if c := r.in[r.pos]; c == '-' || c == '+' {
				r.number[0] = c
			}
		default:
			continue
		}
		r.pos++
	}
	num := string(r.number)
	num = strings.TrimSuffix(num, ".")
	scale := r.readPost
	prec := d.pre + d.multi + scale
	v, err := types.ParseText(types.New(types.Numeric), num)
	if err != nil {
		return nil, err
	}
	mod := int32(prec<<16|scale&0x7ff) + 4
	out, err := types.Cast(v, types.New(types.Numeric), types.T{ID: types.Numeric, Mod: mod}, false)
	if err != nil {
		return nil, err
	}
	if d.is(fMulti) {
		x := new(apd.Decimal).Set(out.(*apd.Decimal))
		x.Exponent -= int32(d.multi)
		return x, nil
	}
	return out, nil
}

func init() {
	register("to_number", &Overload{Args: []types.ID{types.Text, types.Text}, Result: types.Numeric, Fn: func(a []types.Datum) (types.Datum, error) {
		return toNumber(a[0].(string), a[1].(string))
	}})
}
