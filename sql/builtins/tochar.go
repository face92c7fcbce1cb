package builtins

import (
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/sql/types"
)

// to_char of dates, timestamps and intervals: PostgreSQL's template
// patterns (YYYY, MM, Month, DD, Day, HH24, MI, SS, MS, US, FF1-FF6, AM,
// AD, Q, WW, IW, IYYY, J, TZ, OF, RM, ...), the FM prefix that drops
// padding, the TH suffix, "quoted text" and backslash escapes; anything
// else is copied.

// toCharPatterns are the template patterns, longest first where one is a
// prefix of another.
var toCharPatterns = []string{
	"Y,YYY", "YYYY", "YYY", "YY", "Y",
	"IYYY", "IYY", "IY", "IDDD", "ID", "IW", "I",
	"HH24", "HH12", "HH", "MI", "SSSSS", "SSSS", "SS", "MS", "US",
	"FF1", "FF2", "FF3", "FF4", "FF5", "FF6",
	"A.M.", "P.M.", "AM", "PM", "A.D.", "B.C.", "AD", "BC",
	"MONTH", "MON", "MM", "DAY", "DDD", "DD", "DY", "D",
	"CC", "Q", "WW", "W", "J", "RM", "TZH", "TZM", "TZ", "OF",
}

// ToChar formats w, a local time in a zone whose abbreviation is zoneAbbr
// and offset zoneEast, with the template tmpl.
func ToChar(w time.Time, tmpl string, zoneAbbr string, zoneEast int) string {
	var b strings.Builder
	hour := w.Hour()
	year := w.Year()
	bc := year <= 0
	absYear := year
	if bc {
		absYear = 1 - year
	}
	isoYear, isoWeek := w.ISOWeek()
	absIsoYear := isoYear
	if absIsoYear <= 0 {
		absIsoYear = 1 - isoYear
	}
	jan4 := time.Date(isoYear, 1, 4, 0, 0, 0, 0, time.UTC)
	isoStart := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	isoDay := int(time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC).Sub(isoStart).Hours()/24) + 1
	us := w.Nanosecond() / 1000
	for i := 0; i < len(tmpl); {
		if tmpl[i] == '"' {
			i++
			for i < len(tmpl) && tmpl[i] != '"' {
				if tmpl[i] == '\\' && i+1 < len(tmpl) {
					i++
				}
				b.WriteByte(tmpl[i])
				i++
			}
			i++
			continue
		}
		if tmpl[i] == '\\' && i+1 < len(tmpl) && tmpl[i+1] == '"' {
			b.WriteByte('"')
			i += 2
			continue
		}
		fm := false
		if strings.HasPrefix(strings.ToUpper(tmpl[i:]), "FM") {
			fm = true
			i += 2
		}
		pat, word := "", ""
		for _, p := range toCharPatterns {
			if len(tmpl)-i >= len(p) && strings.EqualFold(tmpl[i:i+len(p)], p) {
				pat, word = p, tmpl[i:i+len(p)]
				break
			}
		}
		if pat == "" {
			if !fm {
				b.WriteByte(tmpl[i])
				i++
			}
			continue
		}
		i += len(pat)
		num := func(v, width int) string {
			s := strconv.Itoa(v)
			if !fm && len(s) < width {
				s = strings.Repeat("0", width-len(s)) + s
			}
			return s
		}
		name := func(full string, width int) string {
			s := full
			switch {
			case word == strings.ToUpper(word):
				s = strings.ToUpper(s)
			case word == strings.ToLower(word):
				s = strings.ToLower(s)
			}
			if !fm && len(s) < width {
				s += strings.Repeat(" ", width-len(s))
			}
			return s
		}
		caseOf := func(up string) string {
			if word == strings.ToLower(word) {
				return strings.ToLower(up)
			}
			return up
		}
		var out string
		numeric := true
		switch pat {
		case "Y,YYY":
			out = strconv.Itoa(absYear/1000) + "," + num(absYear%1000, 3)
		case "YYYY":
			out = num(absYear, 4)
		case "YYY":
			out = num(absYear%1000, 3)
		case "YY":
			out = num(absYear%100, 2)
		case "Y":
			out = num(absYear%10, 1)
		case "IYYY":
			out = num(absIsoYear, 4)
		case "IYY":
			out = num(absIsoYear%1000, 3)
		case "IY":
			out = num(absIsoYear%100, 2)
		case "I":
			out = num(absIsoYear%10, 1)
		case "IDDD":
			out = num(isoDay, 3)
		case "ID":
			out = num((int(w.Weekday())+6)%7+1, 1)
		case "IW":
			out = num(isoWeek, 2)
		case "HH", "HH12":
			h := hour % 12
			if h == 0 {
				h = 12
			}
			out = num(h, 2)
		case "HH24":
			out = num(hour, 2)
		case "MI":
			out = num(w.Minute(), 2)
		case "SS":
			out = num(w.Second(), 2)
		case "SSSS", "SSSSS":
			out = strconv.Itoa(hour*3600 + w.Minute()*60 + w.Second())
		case "MS":
			out = num(us/1000, 3)
		case "US":
			out = num(us, 6)
		case "FF1", "FF2", "FF3", "FF4", "FF5", "FF6":
			n := int(pat[2] - '0')
			v := us
			for k := n; k < 6; k++ {
				v /= 10
			}
			out = num(v, n)
		case "AM", "PM", "A.M.", "P.M.":
			numeric = false
			m := "AM"
			if hour >= 12 {
				m = "PM"
			}
			if strings.Contains(pat, ".") {
				m = m[:1] + "." + m[1:] + "."
			}
			out = caseOf(m)
		case "AD", "BC", "A.D.", "B.C.":
			numeric = false
			e := "AD"
			if bc {
				e = "BC"
			}
			if strings.Contains(pat, ".") {
				e = e[:1] + "." + e[1:] + "."
			}
			out = caseOf(e)
		case "MONTH":
			numeric = false
			out = name(w.Month().String(), 9)
		case "MON":
			numeric = false
			out = name(w.Month().String()[:3], 0)
		case "MM":
			out = num(int(w.Month()), 2)
		case "DAY":
			numeric = false
			out = name(w.Weekday().String(), 9)
		case "DY":
			numeric = false
			out = name(w.Weekday().String()[:3], 0)
		case "DDD":
			out = num(w.YearDay(), 3)
		case "DD":
			out = num(w.Day(), 2)
		case "D":
			out = num(int(w.Weekday())+1, 1)
		case "CC":
			c := (absYear + 99) / 100
			if bc {
				// A negative century takes a digit more, as "%03d".
				out = "-" + num(c, 2)
				break
			}
			out = num(c, 2)
		case "Q":
			out = num((int(w.Month())-1)/3+1, 1)
		case "WW":
			out = num((w.YearDay()-1)/7+1, 2)
		case "W":
			out = num((w.Day()-1)/7+1, 1)
		case "J":
			out = strconv.FormatInt(julian(w), 10)
		case "RM":
			numeric = false
			r := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}[w.Month()-1]
			if word == "rm" {
				r = strings.ToLower(r)
			}
			if !fm {
				r += strings.Repeat(" ", 4-len(r))
			}
			out = r
		case "TZ":
			numeric = false
			out = zoneAbbr
			if word == "tz" {
				out = strings.ToLower(out)
			}
		case "OF":
			numeric = false
			out = types.FormatZoneOffset(zoneEast)
		case "TZH":
			numeric = false
			sign := "+"
			if zoneEast < 0 {
				sign = "-"
			}
			out = sign + num(abs(zoneEast)/3600, 2)
		case "TZM":
			out = num(abs(zoneEast)/60%60, 2)
		}
		b.WriteString(out)
		if numeric && i+1 < len(tmpl)+1 && len(tmpl)-i >= 2 && (tmpl[i:i+2] == "TH" || tmpl[i:i+2] == "th") {
			b.WriteString(ordinal(out, tmpl[i:i+2] == "TH"))
			i += 2
		}
	}
	return b.String()
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// ordinal is the English suffix of the number s (st, nd, rd, th).
func ordinal(s string, upper bool) string {
	n, _ := strconv.Atoi(strings.TrimLeft(s, "0"))
	suf := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suf = "st"
		case 2:
			suf = "nd"
		case 3:
			suf = "rd"
		}
	}
	if upper {
		return strings.ToUpper(suf)
	}
	return suf
}

func init() {
	// to_char of a timestamptz is bound in package sql, which knows the
	// session's zone.
	for _, id := range []types.ID{types.Timestamp} {
		register("to_char", &Overload{Args: []types.ID{id, types.Text}, Result: types.Text, Fn: func(a []types.Datum) (types.Datum, error) {
			t := a[0].(time.Time)
			if types.Infinite(t) != 0 {
				return nil, nil
			}
			return ToChar(t, a[1].(string), "", 0), nil
		}})
	}
}
