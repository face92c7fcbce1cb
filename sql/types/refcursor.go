package types

// Refcursor is the type of a PL/pgSQL cursor variable: its value is the
// name of the cursor (portal) it refers to, so a function can open a
// cursor and return it for the caller to FETCH from. Values are Go
// strings; a string converts to it by its text, as PostgreSQL's I/O
// conversion does.
const (
	Refcursor      ID = 1790
	RefcursorArray ID = 2201
)

func init() {
	register(&Info{ID: Refcursor, Typname: "refcursor", SQLName: "refcursor", Len: -1, Array: RefcursorArray, arrays: true,
		Category: 'U', aliases: []string{"refcursor"},
		input: func(_ T, s string) (Datum, error) { return s, nil },
		cast:  castToRefcursor})
}

// castToRefcursor converts a value to refcursor by its text form.
func castToRefcursor(d Datum, from, _ T, _ bool) (Datum, error) {
	if s, ok := d.(string); ok && from.ID != Bpchar && from.ID != Char && from.ID != Bytea {
		return s, nil
	}
	return castText(from, d), nil
}
