package types

import (
	"strings"
	"time"
)

// dynamicAbbrevs are the time zone abbreviations of PostgreSQL's Default
// set whose offset changed over the years: each stands for the offset its
// zone gave it at the time in question (timezonesets/Default, the lines
// naming a zone instead of an offset).
var dynamicAbbrevs = map[string]string{
	"art": "America/Argentina/Buenos_Aires", "arst": "America/Argentina/Buenos_Aires",
	"clt": "America/Santiago", "gyt": "America/Guyana", "pyt": "America/Asuncion", "vet": "America/Caracas",
	"davt": "Antarctica/Davis", "mawt": "Antarctica/Mawson",
	"amst": "Asia/Yerevan", "anast": "Asia/Anadyr", "anat": "Asia/Anadyr", "azst": "Asia/Baku", "azt": "Asia/Baku",
	"gest": "Asia/Tbilisi", "get": "Asia/Tbilisi", "irkst": "Asia/Irkutsk", "irkt": "Asia/Irkutsk",
	"kgt": "Asia/Bishkek", "krast": "Asia/Krasnoyarsk", "krat": "Asia/Krasnoyarsk", "lkt": "Asia/Colombo",
	"magst": "Asia/Magadan", "magt": "Asia/Magadan", "novst": "Asia/Novosibirsk", "novt": "Asia/Novosibirsk",
	"omsst": "Asia/Omsk", "omst": "Asia/Omsk", "petst": "Asia/Kamchatka", "pett": "Asia/Kamchatka",
	"tmt": "Asia/Ashgabat", "ulat": "Asia/Ulaanbaatar", "vlast": "Asia/Vladivostok", "vlat": "Asia/Vladivostok",
	"yakst": "Asia/Yakutsk", "yakt": "Asia/Yakutsk", "yekt": "Asia/Yekaterinburg",
	"fkst": "Atlantic/Stanley", "fkt": "Atlantic/Stanley", "lhdt": "Australia/Lord_Howe",
	"msk": "Europe/Moscow", "volt": "Europe/Volgograd", "iot": "Indian/Chagos",
	"ckt": "Pacific/Rarotonga", "easst": "Pacific/Easter", "east": "Pacific/Easter", "kost": "Pacific/Kosrae",
	"lint": "Pacific/Kiritimati", "nut": "Pacific/Niue", "tkt": "Pacific/Fakaofo",
}

// DynamicAbbrev is the zone of a time-varying abbreviation (MSK is
// Europe/Moscow's), with ok false for other names.
func DynamicAbbrev(name string) (*time.Location, bool) {
	zone, ok := dynamicAbbrevs[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return LoadZone(zone)
}

// AbbrevOffset is the offset, in seconds east of UTC, that abbreviation
// abbr had in zone z at instant t, found as PostgreSQL's
// pg_interpret_timezone_abbrev finds it: the offset of the latest period
// of z at or before t that used abbr, else of the first one after t. ok
// is false when z never used abbr (the zone's own offset applies then).
func AbbrevOffset(z *time.Location, abbr string, t time.Time) (offset int, ok bool) {
	// A zone changes a few hundred times at most; the bound keeps a
	// broken zone from looping.
	const maxPeriods = 4096
	u := t.In(z)
	for i := 0; i < maxPeriods; i++ {
		name, off := u.Zone()
		if strings.EqualFold(name, abbr) {
			return off, true
		}
		start, _ := u.ZoneBounds()
		if start.IsZero() {
			break
		}
		u = start.Add(-time.Second).In(z)
	}
	u = t.In(z)
	for i := 0; i < maxPeriods; i++ {
		_, end := u.ZoneBounds()
		if end.IsZero() {
			break
		}
		u = end.In(z)
		if name, off := u.Zone(); strings.EqualFold(name, abbr) {
			return off, true
		}
	}
	return 0, false
}

// AbbrevInstant is the instant of wall time w (its fields read as local
// time) written with the time-varying abbreviation abbr of zone z, as
// PostgreSQL's DetermineTimeZoneAbbrevOffset finds it: the abbreviation's
// offset at the instant the wall time has in z.
func AbbrevInstant(z *time.Location, abbr string, w time.Time) time.Time {
	probe := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), z)
	off, ok := AbbrevOffset(z, abbr, probe)
	if !ok {
		return probe.UTC()
	}
	wall := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	return wall.Add(-time.Duration(off) * time.Second)
}
