package pgerr

// The conditions of user-defined functions and procedures.
const (
	InvalidFunctionDefinition = "42P13"
	DuplicateFunction         = "42723"
)

// TooManyArguments is 54023: a routine with more than 100 arguments.
const TooManyArguments = "54023"
