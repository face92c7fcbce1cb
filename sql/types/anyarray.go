package types

// AnyArray is the pseudo-type of a column that holds arrays of any
// element type, each row's its own: pg_stats' most_common_vals and
// histogram_bounds, whose element type is the described column's. cairn
// carries such a value as its array's text form (a string), as
// PostgreSQL's anyarray output prints it. Like void, pg_type does not
// list it.
const AnyArray ID = 2277

func init() {
	register(&Info{ID: AnyArray, Typname: "anyarray", SQLName: "anyarray", Len: -1, unlisted: true, Category: 'P'})
}
