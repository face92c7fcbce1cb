package scram

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// SASLprep prepares a password as PostgreSQL's pg_saslprep does (RFC
// 4013): an ASCII password is used as is; otherwise non-ASCII spaces map
// to a space, characters commonly mapped to nothing are removed, the rest
// is normalized to NFKC, and a result holding prohibited characters
// (controls, private use, non-characters, surrogates, ...) or mixing
// right-to-left and left-to-right text in a way RFC 3454 forbids makes
// the password be used unprepared, as PostgreSQL does.
func SASLprep(password string) string {
	ascii := true
	for i := 0; i < len(password); i++ {
		if password[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || !utf8.ValidString(password) {
		return password
	}
	mapped := make([]rune, 0, len(password))
	for _, r := range password {
		switch {
		case mappedToNothing(r):
		case r != ' ' && unicode.Is(unicode.Zs, r):
			mapped = append(mapped, ' ')
		default:
			mapped = append(mapped, r)
		}
	}
	out := norm.NFKC.String(string(mapped))
	if out == "" {
		return password
	}
	rtl, ltr := false, false
	for _, r := range out {
		if prohibited(r) {
			return password
		}
		if unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana) {
			rtl = true
		} else if unicode.IsLetter(r) {
			ltr = true
		}
	}
	if rtl {
		first, _ := utf8.DecodeRuneInString(out)
		last, _ := utf8.DecodeLastRuneInString(out)
		isRTL := func(r rune) bool {
			return unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana)
		}
		if ltr || !isRTL(first) || !isRTL(last) {
			return password
		}
	}
	return out
}

// mappedToNothing is RFC 3454 table B.1.
func mappedToNothing(r rune) bool {
	switch r {
	case 0x00AD, 0x034F, 0x1806, 0x180B, 0x180C, 0x180D, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return r >= 0xFE00 && r <= 0xFE0F
}

// prohibited is RFC 4013's prohibited output: RFC 3454 tables C.1.2
// (non-ASCII spaces), C.2 (controls), C.3 (private use), C.4
// (non-characters), C.5 (surrogates), C.6-C.9 (inappropriate for plain
// text or canonical representation, change display, tagging).
func prohibited(r rune) bool {
	switch {
	case r != ' ' && unicode.Is(unicode.Zs, r),
		r < 0x20 || r == 0x7F || r >= 0x80 && r <= 0x9F,
		unicode.Is(unicode.Co, r),
		r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE,
		r >= 0xD800 && r <= 0xDFFF,
		r >= 0xFFF9 && r <= 0xFFFD,
		r >= 0x2FF0 && r <= 0x2FFB,
		r == 0x0340 || r == 0x0341 || r == 0x200E || r == 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x206A && r <= 0x206F,
		r == 0xE0001 || r >= 0xE0020 && r <= 0xE007F,
		r == 0x06DD || r == 0x070F || r == 0x180E || r >= 0x200C && r <= 0x200D || r >= 0x2028 && r <= 0x2029 || r >= 0x2060 && r <= 0x2063 || r >= 0x1D173 && r <= 0x1D17A:
		return true
	}
	return false
}
