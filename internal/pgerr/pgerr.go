package pgerr

import (
	"context"
	"errors"
	"fmt"
)

// SQLSTATE codes used by cairn. Names follow PostgreSQL's errcodes.txt.
const (
	SuccessfulCompletion            = "00000"
	Warning                         = "01000"
	PrivilegeNotGranted             = "01007"
	PrivilegeNotRevoked             = "01006"
	InvalidGrantOperation           = "0LP01"
	InvalidGrantor                  = "0L000"
	ConnectionException             = "08000"
	ProtocolViolation               = "08P01"
	FeatureNotSupported             = "0A000"
	CardinalityViolation            = "21000"
	DataException                   = "22000"
	StringDataRightTruncation       = "22001"
	NumericValueOutOfRange          = "22003"
	NullValueNotAllowed             = "22004"
	InvalidArgumentForNtile         = "22014"
	InvalidArgumentForNthValue      = "22016"
	InvalidPrecedingOrFollowingSize = "22013"
	InvalidDatetimeFormat           = "22007"
	DatetimeFieldOverflow           = "22008"
	DivisionByZero                  = "22012"
	InvalidParameterValue           = "22023"
	CharacterNotInRepertoire        = "22021"
	InvalidTextRepresentation       = "22P02"
	BadCopyFileFormat               = "22P04"
	InvalidEscapeSequence           = "22025"
	IntegrityConstraintViolation    = "23000"
	NotNullViolation                = "23502"
	ForeignKeyViolation             = "23503"
	UniqueViolation                 = "23505"
	ExclusionViolation              = "23P01"
	CheckViolation                  = "23514"
	InvalidTransactionState         = "25000"
	ActiveSQLTransaction            = "25001"
	NoActiveSQLTransaction          = "25P01"
	InFailedSQLTransaction          = "25P02"
	ReadOnlySQLTransaction          = "25006"
	InvalidSQLStatementName         = "26000"
	InvalidAuthorizationSpec        = "28000"
	InvalidPassword                 = "28P01"
	IdleInTransactionSessionTimeout = "25P03"
	IdleSessionTimeout              = "57P05"
	InvalidCursorName               = "34000"
	InvalidSavepointSpecification   = "3B001"
	InvalidCatalogName              = "3D000"
	SerializationFailure            = "40001"
	DeadlockDetected                = "40P01"
	SyntaxError                     = "42601"
	InsufficientPrivilege           = "42501"
	GroupingError                   = "42803"
	WindowingError                  = "42P20"
	InvalidForeignKey               = "42830"
	CannotCoerce                    = "42846"
	DatatypeMismatch                = "42804"
	UndefinedFunction               = "42883"
	UndefinedColumn                 = "42703"
	UndefinedTable                  = "42P01"
	UndefinedObject                 = "42704"
	UndefinedParameter              = "42P02"
	DuplicateTable                  = "42P07"
	DuplicateSchema                 = "42P06"
	ReservedName                    = "42939"
	InvalidSchemaDefinition         = "42P15"
	DuplicateObject                 = "42710"
	DuplicateColumn                 = "42701"
	AmbiguousColumn                 = "42702"
	AmbiguousAlias                  = "42P09"
	InvalidColumnDefinition         = "42611"
	AmbiguousFunction               = "42725"
	InvalidColumnReference          = "42P10"
	InvalidObjectDefinition         = "42P17"
	InvalidTableDefinition          = "42P16"
	InvalidRecursion                = "42P19"
	IndeterminateDatatype           = "42P18"
	AmbiguousParameter              = "42P08"
	WrongObjectType                 = "42809"
	InvalidName                     = "42602"
	NameTooLong                     = "42622"
	InvalidSchemaName               = "3F000"
	ProgramLimitExceeded            = "54000"
	StatementTooComplex             = "54001"
	TooManyColumns                  = "54011"
	TooManyArguments                = "54023"
	ObjectNotInPrerequisiteState    = "55000"
	DependentObjectsStillExist      = "2BP01"
	ObjectInUse                     = "55006"
	UnsafeNewEnumValueUsage         = "55P04"
	LockNotAvailable                = "55P03"
	QueryCanceled                   = "57014"
	AdminShutdown                   = "57P01"
	InsufficientResources           = "53000"
	DiskFull                        = "53100"
	OutOfMemory                     = "53200"
	TooManyConnections              = "53300"
	ConfigurationLimitExceeded      = "53400"
	IOError                         = "58030"
	InternalError                   = "XX000"
	DataCorrupted                   = "XX001"
	IndexCorrupted                  = "XX002"
	InvalidPreparedStatementDefin   = "42P14"
	CantChangeRuntimeParam          = "55P02"
	DuplicatePreparedStatement      = "42P05"
	InvalidRegularExpression        = "2201B"
	SubstringError                  = "22011"
	InvalidUseOfEscapeCharacter     = "2200C"
	InvalidArgumentForLogarithm     = "2201E"
	InvalidArgumentForPowerFunction = "2201F"
	InvalidArgumentForWidthBucket   = "2201G"
	InvalidRowCountInLimit          = "2201W"
	InvalidRowCountInOffset         = "2201X"
	SequenceGeneratorLimitExceeded  = "2200H"
	GeneratedAlways                 = "428C9"
	DuplicateCursor                 = "42P03"
	UntranslatableCharacter         = "22P05"
	ArraySubscriptError             = "2202E"
)

// Error is an error with a SQLSTATE code and PostgreSQL's optional fields.
type Error struct {
	Code     string
	Message  string
	Detail   string
	Hint     string
	Position int32 // 1-based character offset into the query; 0 = none
	// Where is the context the error arose in, as PostgreSQL's CONTEXT
	// field ("COPY t, line 3").
	Where string
	// Schema, Table, Column and Constraint name the object an integrity
	// error is about, as PostgreSQL's fields of the same names do (drivers
	// expose them, e.g. pgconn.PgError.ConstraintName).
	Schema, Table, Column, Constraint string
	// DataType names the data type an error is about: the domain whose
	// constraint a value failed (PostgreSQL's data_type_name field).
	DataType string
	// Complete marks Message as the whole message for the client (see
	// Shown): layers above may wrap the error with Go context for logs
	// (fmt.Errorf prefixes), which the client does not see. Storage
	// failures use it, so that a client reads PostgreSQL's wording.
	Complete bool
	cause    error
}

func (e *Error) Error() string { return e.Message }

// SQLState returns the code; drivers such as pgx expose the same method, so
// callers can test for it with an interface.
func (e *Error) SQLState() string { return e.Code }

// Unwrap returns the error this one wraps, if any.
func (e *Error) Unwrap() error { return e.cause }

// New returns an error with the given code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches code to err; the message is err's message.
func Wrap(err error, code string) error {
	if err == nil {
		return nil
	}
	return &Error{Code: code, Message: err.Error(), cause: err}
}

// Wrapf attaches code to err, with a message prefix giving context.
func Wrapf(err error, code, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &Error{Code: code, Message: fmt.Sprintf(format, args...) + ": " + err.Error(), cause: err}
}

// WithDetail returns e with its Detail set.
func (e *Error) WithDetail(detail string) *Error { e.Detail = detail; return e }

// WithHint returns e with its Hint set.
func (e *Error) WithHint(hint string) *Error { e.Hint = hint; return e }

// WithCause returns e wrapping cause (for errors.Is and errors.As); the
// message stays e's own.
func (e *Error) WithCause(cause error) *Error { e.cause = cause; return e }

// AsComplete returns e marked Complete.
func (e *Error) AsComplete() *Error { e.Complete = true; return e }

// WithObject returns e naming the schema, table, column and constraint it
// is about ("" for those that do not apply).
func (e *Error) WithObject(schema, table, column, constraint string) *Error {
	e.Schema, e.Table, e.Column, e.Constraint = schema, table, column, constraint
	return e
}

// WithDataType returns e naming the data type it is about.
func (e *Error) WithDataType(name string) *Error { e.DataType = name; return e }

// WithWhere returns e with its Where set.
func (e *Error) WithWhere(where string) *Error { e.Where = where; return e }

// WithPosition returns e with its Position set.
func (e *Error) WithPosition(pos int32) *Error { e.Position = pos; return e }

// Code reports the SQLSTATE of err: the innermost specific code in its
// chain, or XX000 when none is attached. Code(nil) is 00000.
func Code(err error) string {
	if err == nil {
		return SuccessfulCompletion
	}
	code := InternalError
	for e := err; e != nil; e = errors.Unwrap(e) {
		if pe, ok := e.(*Error); ok && pe.Code != InternalError && pe.Code != "" {
			code = pe.Code
		}
	}
	return code
}

// Find returns the outermost *Error in err's chain, or nil.
func Find(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// FromContext is the error of a statement whose context ended: the
// context's cause when it is an *Error (a cancel request, a shutdown, a
// lost client), "canceling statement due to statement timeout" for a
// deadline, and "canceling statement due to user request" otherwise, both
// 57014. It is nil while ctx is live.
func FromContext(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	var pe *Error
	if cause := context.Cause(ctx); errors.As(cause, &pe) {
		return cause
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return New(QueryCanceled, "canceling statement due to statement timeout")
	}
	return New(QueryCanceled, "canceling statement due to user request")
}

// Shown returns the error whose fields a client is shown for err: the
// outermost Complete *Error in its chain, or nil when there is none (then
// the message is err.Error() and the other fields are Find's).
func Shown(err error) *Error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if pe, ok := e.(*Error); ok && pe.Complete {
			return pe
		}
	}
	return nil
}
