package types

// Void is the result type of functions called for their effect
// (pg_advisory_lock); its one value is the empty string, which is not
// NULL. Like unknown, pg_type does not list it.
const Void ID = 2278

func init() {
	register(&Info{ID: Void, Typname: "void", SQLName: "void", Len: 4, unlisted: true, Category: 'P'})
}

// Trigger is the result type of trigger functions (RETURNS trigger):
// such a function is only run by the triggers that name it, never
// called in an expression.
const Trigger ID = 2279

func init() {
	register(&Info{ID: Trigger, Typname: "trigger", SQLName: "trigger", Len: 4, unlisted: true, Category: 'P'})
}

// The polymorphic pseudo-types a routine's parameters and result may be
// declared with. A call resolves them to actual types from its arguments
// (package sql): the anyelement family to one type shared by all such
// arguments, the anycompatible family to the common type of its
// arguments. No column of a table may have one of these types. anyarray
// is also the type of pg_stats' most_common_vals and histogram_bounds,
// whose element type is the described column's: cairn carries such a
// value as its array's text form (a string), as PostgreSQL's anyarray
// output prints it.
const (
	AnyElement              ID = 2283
	AnyArray                ID = 2277
	AnyNonArray             ID = 2776
	AnyEnum                 ID = 3500
	AnyRange                ID = 3831
	AnyMultirange           ID = 4537
	AnyCompatible           ID = 5077
	AnyCompatibleArray      ID = 5078
	AnyCompatibleNonArray   ID = 5079
	AnyCompatibleRange      ID = 5080
	AnyCompatibleMultirange ID = 4538
)

func init() {
	for _, p := range []struct {
		id   ID
		name string
	}{
		{AnyElement, "anyelement"}, {AnyArray, "anyarray"}, {AnyNonArray, "anynonarray"},
		{AnyEnum, "anyenum"}, {AnyRange, "anyrange"}, {AnyMultirange, "anymultirange"},
		{AnyCompatible, "anycompatible"}, {AnyCompatibleArray, "anycompatiblearray"},
		{AnyCompatibleNonArray, "anycompatiblenonarray"}, {AnyCompatibleRange, "anycompatiblerange"},
		{AnyCompatibleMultirange, "anycompatiblemultirange"},
	} {
		register(&Info{ID: p.id, Typname: p.name, SQLName: p.name, Len: -1, unlisted: true, Category: 'P', aliases: []string{p.name}})
	}
}

// IsPolymorphic reports whether id is one of the polymorphic
// pseudo-types.
func IsPolymorphic(id ID) bool {
	switch id {
	case AnyElement, AnyArray, AnyNonArray, AnyEnum, AnyRange, AnyMultirange,
		AnyCompatible, AnyCompatibleArray, AnyCompatibleNonArray, AnyCompatibleRange, AnyCompatibleMultirange:
		return true
	}
	return false
}

// IsPseudo reports whether id is a pseudo-type (pg_type's category P),
// which no column may have.
func IsPseudo(id ID) bool {
	in, ok := byID[id]
	return ok && in.Category == 'P'
}
