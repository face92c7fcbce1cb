package types

// Void is the result type of functions called for their effect
// (pg_advisory_lock); its one value is the empty string, which is not
// NULL. Like unknown, pg_type does not list it.
const Void ID = 2278

func init() {
	register(&Info{ID: Void, Typname: "void", SQLName: "void", Len: 4, unlisted: true, Category: 'P'})
}
