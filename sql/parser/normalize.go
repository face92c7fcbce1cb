package parser

// normalizeTextBytesMax bounds the text Normalize works on: a longer one
// is kept as it is (its constants stay), so that a bulk INSERT of
// megabytes is not parsed a second time for its statistics.
const normalizeTextBytesMax = 16 << 10

// Normalize replaces the constants of one optimizable statement (SELECT,
// INSERT, UPDATE, DELETE, MERGE) by $n parameters, numbered after the
// highest parameter it already has, as pg_stat_statements shows it: the
// libpg_query normalizer walks the statement's constants as PostgreSQL's
// does. A text it cannot normalize (too long, or refused) comes back as it
// is, with ok false.
func Normalize(text string) (normalized string, ok bool) {
	if len(text) > normalizeTextBytesMax {
		return text, false
	}
	n, err := normalize(text)
	if err != nil {
		return text, false
	}
	return n, true
}
