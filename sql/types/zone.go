package types

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	// The IANA zone database, embedded so that time zones work on a
	// machine without /usr/share/zoneinfo.
	_ "time/tzdata"
)

var zoneCache sync.Map // lower-cased name -> *time.Location

// posixZone is a POSIX TZ string with a fixed offset: a name (three or
// more letters, or <...>) and hours west of UTC.
var posixZone = regexp.MustCompile(`^(<[^>]+>|[A-Za-z]{3,}|)([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$`)

// LoadZone resolves a time zone as the TimeZone setting and timestamptz
// text name one: an IANA name in any letter case (Europe/Paris, utc), a
// number of hours east of UTC (-8, 5.5, as SET TIME ZONE takes it), or a
// POSIX TZ string with a fixed offset in hours west of UTC (UTC+3,
// <-08>+08, or +02:00 without a name).
func LoadZone(name string) (*time.Location, bool) {
	if name == "" || strings.EqualFold(name, "local") || strings.Contains(name, "..") {
		return nil, false
	}
	key := strings.ToLower(name)
	if z, ok := zoneCache.Load(key); ok {
		return z.(*time.Location), true
	}
	z := loadZone(name)
	if z == nil {
		return nil, false
	}
	zoneCache.Store(key, z)
	return z, true
}

func loadZone(name string) *time.Location {
	if h, err := strconv.ParseFloat(name, 64); err == nil {
		if h < -15.99 || h > 15.99 || h != h {
			return nil
		}
		secs := int(h * 3600)
		return time.FixedZone(ZoneDisplayName(secs), secs)
	}
	for _, cand := range []string{name, titleZone(name), strings.ToUpper(name)} {
		if z, err := time.LoadLocation(cand); err == nil {
			return z
		}
	}
	if m := posixZone.FindStringSubmatch(name); m != nil {
		west := 0
		for i, unit := range []int{3600, 60, 1} {
			if m[3+i] != "" {
				n, _ := strconv.Atoi(m[3+i])
				west += n * unit
			}
		}
		if m[2] == "-" {
			west = -west
		}
		if west > 15*3600+59*60+59 || west < -(15*3600+59*60+59) {
			return nil
		}
		return time.FixedZone(name, -west)
	}
	return nil
}

// ZoneDisplayName is how PostgreSQL shows a TimeZone given as an offset
// of secs east of UTC: <-08>+08.
func ZoneDisplayName(secs int) string {
	return "<" + FormatZoneOffset(secs) + ">" + FormatZoneOffset(-secs)
}

// titleZone capitalizes each word of a zone name, as the zone database
// spells them (america/new_york is America/New_York).
func titleZone(name string) string {
	b := []byte(strings.ToLower(name))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}
