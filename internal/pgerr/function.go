package pgerr

// The conditions of user-defined functions and procedures.
const (
	InvalidFunctionDefinition = "42P13"
	DuplicateFunction         = "42723"
)
