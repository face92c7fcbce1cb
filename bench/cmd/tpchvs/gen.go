package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// The generator follows the data rules of the TPC-H specification (clause
// 4.2): row counts proportional to the scale factor, the sparse order keys,
// the partsupp and lineitem supplier formula, the value domains and word
// lists, and the date rules that derive ship, commit and receipt dates,
// return flags, line statuses and order statuses. Its random streams are
// its own (seeded per table), so the rows are not byte-equal to the
// reference generator's, but every predicate of the 22 queries selects the
// fractions the specification's distributions imply.

var (
	startDate   = time.Date(1992, 1, 1, 0, 0, 0, 0, time.UTC)
	currentDate = time.Date(1995, 6, 17, 0, 0, 0, 0, time.UTC)
	endDate     = time.Date(1998, 12, 31, 0, 0, 0, 0, time.UTC)
)

type nationRow struct {
	name   string
	region int
}

var nations = []nationRow{
	{"ALGERIA", 0}, {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1}, {"EGYPT", 4},
	{"ETHIOPIA", 0}, {"FRANCE", 3}, {"GERMANY", 3}, {"INDIA", 2}, {"INDONESIA", 2},
	{"IRAN", 4}, {"IRAQ", 4}, {"JAPAN", 2}, {"JORDAN", 4}, {"KENYA", 0},
	{"MOROCCO", 0}, {"MOZAMBIQUE", 0}, {"PERU", 1}, {"CHINA", 2}, {"ROMANIA", 3},
	{"SAUDI ARABIA", 4}, {"VIETNAM", 2}, {"RUSSIA", 3}, {"UNITED KINGDOM", 3}, {"UNITED STATES", 1},
}

var regions = []string{"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"}

var colors = strings.Fields(`almond antique aquamarine azure beige bisque black blanched blue
	blush brown burlywood burnished chartreuse chiffon chocolate coral cornflower cornsilk cream
	cyan dark deep dim dodger drab firebrick floral forest frosted gainsboro ghost goldenrod
	green grey honeydew hot indian ivory khaki lace lavender lawn lemon light lime linen
	magenta maroon medium metallic midnight mint misty moccasin navajo navy olive orange orchid
	pale papaya peach peru pink plum powder puff purple red rose rosy royal saddle salmon sandy
	seashell sienna sky slate smoke snow spring steel tan thistle tomato turquoise violet wheat
	white yellow`)

var (
	typeSyllable1      = []string{"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"}
	typeSyllable2      = []string{"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"}
	typeSyllable3      = []string{"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"}
	containerSyllable1 = []string{"SM", "LG", "MED", "JUMBO", "WRAP"}
	containerSyllable2 = []string{"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"}
	segments           = []string{"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"}
	priorities         = []string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}
	instructions       = []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	modes              = []string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
)

// The grammar's word classes (specification clause 4.2.2.13).
var (
	nouns        = strings.Split(`foxes|ideas|theodolites|pinto beans|instructions|dependencies|excuses|platelets|asymptotes|courts|dolphins|multipliers|sauternes|warthogs|frets|dinos|attainments|somas|Tiresias|patterns|forges|braids|hockey players|frays|warhorses|dugouts|notornis|epitaphs|pearls|tithes|waters|orbits|gifts|sheaves|depths|sentiments|decoys|realms|pains|grouches|escapades|packages|requests|accounts|deposits`, "|")
	verbs        = strings.Split(`sleep|wake|are|cajole|haggle|nag|use|boost|affix|detect|integrate|maintain|nod|was|lose|sublate|solve|thrash|promise|engage|hinder|print|x-ray|breach|eat|grow|impress|mold|poach|serve|run|dazzle|snooze|doze|unwind|kindle|play|hang|believe|doubt`, "|")
	adjectives   = strings.Split(`furious|sly|careful|blithe|quick|fluffy|slow|quiet|ruthless|thin|close|dogged|daring|brave|stealthy|permanent|enticing|idle|busy|regular|final|ironic|even|bold|silent|special|pending|unusual|express`, "|")
	adverbs      = strings.Split(`sometimes|always|never|furiously|slyly|carefully|blithely|quickly|fluffily|slowly|quietly|ruthlessly|thinly|closely|doggedly|daringly|bravely|stealthily|permanently|enticingly|idly|busily|regularly|finally|ironically|evenly|boldly|silently`, "|")
	prepositions = strings.Split(`about|above|according to|across|after|against|along|alongside of|among|around|at|atop|before|behind|beneath|beside|besides|between|beyond|by|despite|during|except|for|from|in place of|inside|instead of|into|near|of|on|outside|over|past|since|through|throughout|to|toward|under|until|up|upon|without|with|within`, "|")
	auxiliaries  = strings.Split(`do|may|might|shall|will|would|can|could|should|ought to|must|will have to|shall have to|could have to|should have to|must have to|need to|try to`, "|")
	terminators  = []string{".", ";", ":", "?", "!", "--"}
)

// alnum is the character set of random v-strings (at least 64 symbols).
const alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,."

// gen holds the parameters of one data set.
type gen struct {
	sf   float64
	seed uint64
	pool string // text the comments are cut from
}

func newGen(sf float64, seed uint64) *gen {
	g := &gen{sf: sf, seed: seed}
	g.pool = buildTextPool(rand.New(rand.NewPCG(seed, 0x7e87)), 4<<20)
	return g
}

func (g *gen) count(base int) int {
	n := int(float64(base) * g.sf)
	if n < 1 {
		n = 1
	}
	return n
}

func (g *gen) customers() int { return g.count(150000) }
func (g *gen) orders() int    { return g.count(1500000) }
func (g *gen) parts() int     { return g.count(200000) }
func (g *gen) suppliers() int { return g.count(10000) }

// rng returns the random stream of one table; each table has its own so
// that generating one table does not depend on having generated another.
func (g *gen) rng(table uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, table))
}

// buildTextPool builds size bytes of sentences from the grammar of clause
// 4.2.2.14; text fields are substrings of it at random offsets.
func buildTextPool(r *rand.Rand, size int) string {
	var b strings.Builder
	pick := func(words []string) string { return words[r.IntN(len(words))] }
	nounPhrase := func() {
		switch r.IntN(4) {
		case 0:
			b.WriteString(pick(nouns))
		case 1:
			b.WriteString(pick(adjectives) + " " + pick(nouns))
		case 2:
			b.WriteString(pick(adjectives) + ", " + pick(adjectives) + " " + pick(nouns))
		default:
			b.WriteString(pick(adverbs) + " " + pick(adjectives) + " " + pick(nouns))
		}
	}
	verbPhrase := func() {
		switch r.IntN(4) {
		case 0:
			b.WriteString(pick(verbs))
		case 1:
			b.WriteString(pick(auxiliaries) + " " + pick(verbs))
		case 2:
			b.WriteString(pick(verbs) + " " + pick(adverbs))
		default:
			b.WriteString(pick(auxiliaries) + " " + pick(verbs) + " " + pick(adverbs))
		}
	}
	prepPhrase := func() {
		b.WriteString(pick(prepositions) + " the ")
		nounPhrase()
	}
	for b.Len() < size {
		nounPhrase()
		b.WriteByte(' ')
		switch r.IntN(5) {
		case 0:
			verbPhrase()
		case 1:
			verbPhrase()
			b.WriteByte(' ')
			prepPhrase()
		case 2:
			verbPhrase()
			b.WriteByte(' ')
			nounPhrase()
		case 3:
			prepPhrase()
			b.WriteByte(' ')
			verbPhrase()
			b.WriteByte(' ')
			nounPhrase()
		default:
			prepPhrase()
			b.WriteByte(' ')
			verbPhrase()
			b.WriteByte(' ')
			prepPhrase()
		}
		b.WriteString(pick(terminators))
		b.WriteByte(' ')
	}
	return b.String()
}

// text is a random substring of the pool whose length is uniform in
// [lo, hi] (a "text string" of clause 4.2.2.10).
func (g *gen) text(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	off := r.IntN(len(g.pool) - n)
	return g.pool[off : off+n]
}

// vstring is a random v-string whose length is uniform in [lo, hi].
func vstring(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[r.IntN(len(alnum))]
	}
	return string(b)
}

// between is uniform in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// phone follows clause 4.2.2.9: the country code is the nation key + 10.
func phone(r *rand.Rand, nation int) string {
	return fmt.Sprintf("%02d-%03d-%03d-%04d", nation+10, between(r, 100, 999), between(r, 100, 999), between(r, 1000, 9999))
}

// money prints cents as a decimal with two digits.
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

func date(t time.Time) string { return t.Format("2006-01-02") }

// retailCents is P_RETAILPRICE in cents (clause 4.2.3).
func retailCents(partkey int) int64 {
	return int64(90000 + (partkey/10)%20001 + 100*(partkey%1000))
}

// partsuppSupplier is the supplier of a part's i-th partsupp row (i in
// 0..3), the formula of clause 4.2.3 that lineitem uses as well.
func partsuppSupplier(partkey, i, suppliers int) int {
	return (partkey+i*(suppliers/4+(partkey-1)/suppliers))%suppliers + 1
}

// orderKey is the key of the n-th order (n from 1): only the first 8 of
// every 32 keys are used.
func orderKey(n int) int64 {
	return int64((n-1)/8*32 + (n-1)%8 + 1)
}

// rowWriter writes COPY text-format rows.
type rowWriter struct{ w *bufio.Writer }

func (rw rowWriter) row(fields ...string) {
	for i, f := range fields {
		if i > 0 {
			rw.w.WriteByte('\t')
		}
		rw.w.WriteString(f)
	}
	rw.w.WriteByte('\n')
}

// write generates the rows of table into w in COPY text format.
func (g *gen) write(table string, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	rw := rowWriter{bw}
	itoa := strconv.Itoa
	switch table {
	case "region":
		r := g.rng(1)
		for k, name := range regions {
			rw.row(itoa(k), name, g.text(r, 31, 115))
		}
	case "nation":
		r := g.rng(2)
		for k, n := range nations {
			rw.row(itoa(k), n.name, itoa(n.region), g.text(r, 31, 114))
		}
	case "supplier":
		r := g.rng(3)
		for k := 1; k <= g.suppliers(); k++ {
			nation := r.IntN(len(nations))
			comment := g.text(r, 25, 100)
			// About SF*5 suppliers each get complaints and recommendations
			// (clause 4.2.3), the rows query 16 excludes.
			switch x := r.IntN(2000); x {
			case 0, 1:
				comment = bbbComment(r, comment, []string{"Complaints", "Recommends"}[x])
			}
			rw.row(itoa(k), fmt.Sprintf("Supplier#%09d", k), vstring(r, 10, 40), itoa(nation),
				phone(r, nation), money(int64(between(r, -99999, 999999))), comment)
		}
	case "part":
		r := g.rng(4)
		for k := 1; k <= g.parts(); k++ {
			perm := r.Perm(len(colors))
			name := strings.Join([]string{colors[perm[0]], colors[perm[1]], colors[perm[2]], colors[perm[3]], colors[perm[4]]}, " ")
			m := between(r, 1, 5)
			typ := typeSyllable1[r.IntN(6)] + " " + typeSyllable2[r.IntN(5)] + " " + typeSyllable3[r.IntN(5)]
			container := containerSyllable1[r.IntN(5)] + " " + containerSyllable2[r.IntN(8)]
			rw.row(itoa(k), name, fmt.Sprintf("Manufacturer#%d", m), fmt.Sprintf("Brand#%d%d", m, between(r, 1, 5)),
				typ, itoa(between(r, 1, 50)), container, money(retailCents(k)), g.text(r, 5, 22))
		}
	case "partsupp":
		r := g.rng(5)
		s := g.suppliers()
		for k := 1; k <= g.parts(); k++ {
			for i := range 4 {
				rw.row(itoa(k), itoa(partsuppSupplier(k, i, s)), itoa(between(r, 1, 9999)),
					money(int64(between(r, 100, 100000))), g.text(r, 49, 198))
			}
		}
	case "customer":
		r := g.rng(6)
		for k := 1; k <= g.customers(); k++ {
			nation := r.IntN(len(nations))
			rw.row(itoa(k), fmt.Sprintf("Customer#%09d", k), vstring(r, 10, 40), itoa(nation),
				phone(r, nation), money(int64(between(r, -99999, 999999))), segments[r.IntN(5)], g.text(r, 29, 116))
		}
	case "orders", "lineitem":
		g.ordersAndLines(func(o *order) {
			if table == "orders" {
				rw.row(strconv.FormatInt(o.key, 10), itoa(o.cust), o.status, money(o.total), date(o.date),
					o.priority, o.clerk, "0", o.comment)
				return
			}
			for i := range o.lines {
				l := &o.lines[i]
				rw.row(strconv.FormatInt(o.key, 10), itoa(l.part), itoa(l.supp), itoa(i+1), itoa(l.qty),
					money(l.extended), money(int64(l.discount)), money(int64(l.tax)), l.returnFlag, l.lineStatus,
					date(l.ship), date(l.commit), date(l.receipt), l.instruct, l.mode, l.comment)
			}
		})
	default:
		return fmt.Errorf("unknown table %q", table)
	}
	return bw.Flush()
}

// bbbComment embeds "Customer ... Complaints" (or Recommends) into a
// supplier comment, keeping its length.
func bbbComment(r *rand.Rand, comment, word string) string {
	insert := "Customer " + strings.Repeat("x", r.IntN(4)) + word
	if len(insert) >= len(comment) {
		return insert
	}
	at := r.IntN(len(comment) - len(insert) + 1)
	return comment[:at] + insert + comment[at+len(insert):]
}

type order struct {
	key      int64
	cust     int
	status   string
	total    int64
	date     time.Time
	priority string
	clerk    string
	comment  string
	lines    []line
}

type line struct {
	part, supp, qty int
	extended        int64
	discount, tax   int // hundredths
	returnFlag      string
	lineStatus      string
	ship, commit    time.Time
	receipt         time.Time
	instruct, mode  string
	comment         string
}

// ordersAndLines generates every order with its line items. Orders and
// lineitem are written from the same stream so that they agree.
func (g *gen) ordersAndLines(emit func(*order)) {
	r := g.rng(7)
	customers, parts, suppliers := g.customers(), g.parts(), g.suppliers()
	clerks := max(g.count(1000), 1)
	dateSpan := int(endDate.Sub(startDate).Hours()/24) - 151
	var o order
	for n := 1; n <= g.orders(); n++ {
		o.key = orderKey(n)
		// Customer keys divisible by 3 never order (clause 4.2.3), so a
		// third of the customers have no orders.
		o.cust = between(r, 1, customers)
		for o.cust%3 == 0 && customers > 2 {
			o.cust = between(r, 1, customers)
		}
		o.date = startDate.AddDate(0, 0, r.IntN(dateSpan+1))
		o.priority = priorities[r.IntN(5)]
		o.clerk = fmt.Sprintf("Clerk#%09d", between(r, 1, clerks))
		o.comment = g.text(r, 19, 78)
		o.lines = o.lines[:0]
		o.total = 0
		allF, allO := true, true
		for range between(r, 1, 7) {
			var l line
			l.part = between(r, 1, parts)
			l.supp = partsuppSupplier(l.part, r.IntN(4), suppliers)
			l.qty = between(r, 1, 50)
			l.extended = int64(l.qty) * retailCents(l.part)
			l.discount = between(r, 0, 10)
			l.tax = between(r, 0, 8)
			l.ship = o.date.AddDate(0, 0, between(r, 1, 121))
			l.commit = o.date.AddDate(0, 0, between(r, 30, 90))
			l.receipt = l.ship.AddDate(0, 0, between(r, 1, 30))
			if l.receipt.After(currentDate) {
				l.returnFlag = "N"
			} else {
				l.returnFlag = []string{"R", "A"}[r.IntN(2)]
			}
			if l.ship.After(currentDate) {
				l.lineStatus = "O"
				allF = false
			} else {
				l.lineStatus = "F"
				allO = false
			}
			l.instruct = instructions[r.IntN(4)]
			l.mode = modes[r.IntN(7)]
			l.comment = g.text(r, 10, 43)
			// extendedprice * (1 + tax) * (1 - discount), in cents, rounded.
			o.total += (l.extended*int64(100+l.tax)*int64(100-l.discount) + 5000) / 10000
			o.lines = append(o.lines, l)
		}
		switch {
		case allF:
			o.status = "F"
		case allO:
			o.status = "O"
		default:
			o.status = "P"
		}
		emit(&o)
	}
}
