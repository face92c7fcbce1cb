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
