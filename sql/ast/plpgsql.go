package ast

// DoStmt is DO [LANGUAGE name] 'body': an anonymous code block run once.
// It writes through the statements it runs, each checked on its own, so
// it declares no WritesDatabase.
type DoStmt struct {
	Language string // lower case; "plpgsql" when not given
	Body     string
	// BodyPos is the 1-based character position of the body's string
	// constant in the query text (0: unknown).
	BodyPos int32
}

func (*DoStmt) Tag() string { return "DO" }
