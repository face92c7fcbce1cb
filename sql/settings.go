package sql

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// setting describes a run-time parameter cairn knows.
type setting struct {
	name     string // canonical spelling, for ParameterStatus
	def      string
	reported bool // sent to the client as ParameterStatus when it changes
	readOnly bool
	// context, when set, is pg_settings' context of a read-only setting
	// that the server's settings choose (Options.Settings): "postmaster",
	// "backend" or "sighup"; SET refuses it as PostgreSQL does in a
	// session.
	context string
	// check validates and normalizes a new value.
	check func(string) (string, error)
}

var settingsTable = map[string]setting{
	"application_name":                    {name: "application_name", def: "", reported: true},
	"client_encoding":                     {name: "client_encoding", def: "UTF8", reported: true, check: checkEncoding},
	"datestyle":                           {name: "DateStyle", def: "ISO, MDY", reported: true, check: checkDateStyle},
	"default_transaction_read_only":       {name: "default_transaction_read_only", def: "off", reported: true, check: checkBool},
	"default_transaction_isolation":       {name: "default_transaction_isolation", def: ReadCommitted, check: checkIsolation},
	"default_transaction_deferrable":      {name: "default_transaction_deferrable", def: "off", check: checkBool},
	"in_hot_standby":                      {name: "in_hot_standby", def: "off", reported: true, readOnly: true},
	"integer_datetimes":                   {name: "integer_datetimes", def: "on", reported: true, readOnly: true},
	"intervalstyle":                       {name: "IntervalStyle", def: "postgres", reported: true, check: checkIntervalStyle},
	"is_superuser":                        {name: "is_superuser", def: "on", reported: true, readOnly: true},
	"server_encoding":                     {name: "server_encoding", def: "UTF8", reported: true, readOnly: true},
	"server_version":                      {name: "server_version", def: serverVersion, reported: true, readOnly: true},
	"server_version_num":                  {name: "server_version_num", def: "150018", readOnly: true},
	"ssl":                                 {name: "ssl", def: "off", readOnly: true},
	"session_authorization":               {name: "session_authorization", def: "", reported: true, readOnly: true},
	"role":                                {name: "role", def: "none"},
	"standard_conforming_strings":         {name: "standard_conforming_strings", def: "on", reported: true, check: checkOn},
	"timezone":                            {name: "TimeZone", def: "Etc/UTC", reported: true, check: checkTimeZone},
	"extra_float_digits":                  {name: "extra_float_digits", def: "1"},
	"search_path":                         {name: "search_path", def: "\"$user\", public"},
	"statement_timeout":                   {name: "statement_timeout", def: "0", check: checkDuration},
	"lock_timeout":                        {name: "lock_timeout", def: "0", check: checkDuration},
	"idle_in_transaction_session_timeout": {name: "idle_in_transaction_session_timeout", def: "0", check: checkDuration},
	"idle_session_timeout":                {name: "idle_session_timeout", def: "0", check: checkDuration},
	"password_encryption":                 {name: "password_encryption", def: "scram-sha-256", check: checkPasswordEncryption},
	"max_connections":                     {name: "max_connections", def: "100", readOnly: true, context: "postmaster", check: checkInteger("max_connections", 1, 262143)},
	"superuser_reserved_connections":      {name: "superuser_reserved_connections", def: "3", readOnly: true, context: "postmaster", check: checkInteger("superuser_reserved_connections", 0, 262143)},
	"synchronous_commit":                  {name: "synchronous_commit", def: "on", check: checkSyncCommit},
	"session_replication_role":            {name: "session_replication_role", def: "origin", check: checkReplicationRole},
	"client_min_messages":                 {name: "client_min_messages", def: "notice"},
	"max_identifier_length":               {name: "max_identifier_length", def: "63", readOnly: true},
	"allow_system_table_mods":             {name: "allow_system_table_mods", def: "off", readOnly: true}, // cairn's catalogs never change by DDL
	"max_index_keys":                      {name: "max_index_keys", def: "32", readOnly: true},
	"bytea_output":                        {name: "bytea_output", def: "hex", check: checkByteaOutput},
	"transaction_isolation":               {name: "transaction_isolation", def: ReadCommitted},
	"transaction_read_only":               {name: "transaction_read_only", def: "off"},
	"transaction_deferrable":              {name: "transaction_deferrable", def: "off"},
	// work_mem bounds what a sort, a hash aggregate or a hash join keeps
	// in memory before it writes to temporary files (spill.go);
	// temp_file_limit bounds those files (-1: no limit), and
	// log_temp_files logs each one of at least that size when it is
	// removed (-1: none).
	"work_mem":        {name: "work_mem", def: "4MB", check: checkMemoryKB("work_mem", 64)},
	"temp_file_limit": {name: "temp_file_limit", def: "-1", check: checkMemoryKBOrOff("temp_file_limit")},
	"log_temp_files":  {name: "log_temp_files", def: "-1", check: checkMemoryKBOrOff("log_temp_files")},
	// max_stack_depth bounds the nesting of JSON input (below 2MB, in
	// proportion); its range is PostgreSQL's under an 8MB stack limit.
	"max_stack_depth": {name: "max_stack_depth", def: "2MB", check: checkStackDepth},
	// maintenance_work_mem likewise: CREATE INDEX builds in memory.
	"maintenance_work_mem": {name: "maintenance_work_mem", def: "64MB", check: checkMemoryKB("maintenance_work_mem", 1024)},
	// synchronize_seqscans is accepted for the clients that set it
	// (pg_dump turns it off): cairn's scans never start mid-table.
	// row_security = off makes a statement that row security policies
	// would filter fail with 42501 instead (rowsecurity.go).
	"synchronize_seqscans": {name: "synchronize_seqscans", def: "on", check: checkBool},
	// The planner's enable_* switches are accepted and shown, not used:
	// cairn's planner has no costs for them to bias; it reads a table
	// through an index whenever the WHERE clause constrains one.
	"enable_seqscan":                 {name: "enable_seqscan", def: "on", check: checkBool},
	"enable_indexscan":               {name: "enable_indexscan", def: "on", check: checkBool},
	"enable_indexonlyscan":           {name: "enable_indexonlyscan", def: "on", check: checkBool},
	"enable_bitmapscan":              {name: "enable_bitmapscan", def: "on", check: checkBool},
	"enable_sort":                    {name: "enable_sort", def: "on", check: checkBool},
	"enable_hashagg":                 {name: "enable_hashagg", def: "on", check: checkBool},
	"enable_async_append":            {name: "enable_async_append", def: "on", check: checkBool},
	"enable_gathermerge":             {name: "enable_gathermerge", def: "on", check: checkBool},
	"enable_hashjoin":                {name: "enable_hashjoin", def: "on", check: checkBool},
	"enable_incremental_sort":        {name: "enable_incremental_sort", def: "on", check: checkBool},
	"enable_material":                {name: "enable_material", def: "on", check: checkBool},
	"enable_memoize":                 {name: "enable_memoize", def: "on", check: checkBool},
	"enable_mergejoin":               {name: "enable_mergejoin", def: "on", check: checkBool},
	"enable_nestloop":                {name: "enable_nestloop", def: "on", check: checkBool},
	"enable_parallel_append":         {name: "enable_parallel_append", def: "on", check: checkBool},
	"enable_parallel_hash":           {name: "enable_parallel_hash", def: "on", check: checkBool},
	"enable_partition_pruning":       {name: "enable_partition_pruning", def: "on", check: checkBool},
	"enable_partitionwise_aggregate": {name: "enable_partitionwise_aggregate", def: "off", check: checkBool},
	"enable_partitionwise_join":      {name: "enable_partitionwise_join", def: "off", check: checkBool},
	"enable_tidscan":                 {name: "enable_tidscan", def: "on", check: checkBool},
	"row_security":                   {name: "row_security", def: "on", check: checkBool},
	// The settings a pg_dump script starts with: cairn has no function
	// bodies to check, no xml type, one tablespace and one table access
	// method, so they take their one meaningful value, or any for the
	// first two.
	"check_function_bodies":       {name: "check_function_bodies", def: "on", check: checkBool},
	"xmloption":                   {name: "xmloption", def: "content", check: checkXMLOption},
	"default_tablespace":          {name: "default_tablespace", def: "", check: checkOneOf("default_tablespace", "", "pg_default")},
	"default_table_access_method": {name: "default_table_access_method", def: "heap", check: checkOneOf("default_table_access_method", "heap")},
	// The locale settings name the one locale cairn formats numbers and
	// money in (to_char, to_number): C.
	"lc_numeric":  {name: "lc_numeric", def: "C", check: checkOneOf("lc_numeric", "C", "POSIX", "C.UTF-8")},
	"lc_monetary": {name: "lc_monetary", def: "C", check: checkOneOf("lc_monetary", "C", "POSIX", "C.UTF-8")},
	// escape_string_warning only warns about backslashes in strings that
	// standard_conforming_strings = off would read as escapes, which
	// cairn does not allow.
	"escape_string_warning": {name: "escape_string_warning", def: "on", check: checkBool},
	// Logging (stats.go): statements that run long, lock waits longer
	// than deadlock_timeout; connections and checkpoints are logged by
	// the server when its settings say so.
	"log_min_duration_statement": {name: "log_min_duration_statement", def: "-1", check: checkMinDuration},
	"log_lock_waits":             {name: "log_lock_waits", def: "off", check: checkBool},
	"deadlock_timeout":           {name: "deadlock_timeout", def: "1s", check: checkDeadlockTimeout},
	"log_connections":            {name: "log_connections", def: "off", readOnly: true, context: "backend", check: checkBool},
	"log_disconnections":         {name: "log_disconnections", def: "off", readOnly: true, context: "backend", check: checkBool},
	"log_checkpoints":            {name: "log_checkpoints", def: "on", readOnly: true, context: "sighup", check: checkBool},
}

// checkByteaOutput takes bytea_output's two values, in any case.
func checkByteaOutput(v string) (string, error) {
	switch l := strings.ToLower(v); l {
	case "hex", "escape":
		return l, nil
	}
	return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"bytea_output\": \"%s\"", v).
		WithHint("Available values: escape, hex.")
}

func checkXMLOption(v string) (string, error) {
	switch l := strings.ToLower(v); l {
	case "content", "document":
		return l, nil
	}
	return "", errInvalidValue
}

// checkOneOf accepts only the values given: what cairn has of the thing
// the setting chooses.
func checkOneOf(name string, values ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		for _, ok := range values {
			if v == ok {
				return v, nil
			}
		}
		return "", pgerr.New(pgerr.FeatureNotSupported, "%s \"%s\" is not supported in cairn", name, v)
	}
}

func defaultSettings() map[string]string {
	m := make(map[string]string, len(settingsTable))
	for k, s := range settingsTable {
		m[k] = s.def
	}
	return m
}

func checkBool(v string) (string, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1":
		return "on", nil
	case "off", "false", "no", "0":
		return "off", nil
	}
	return "", errInvalidValue
}

func checkOn(v string) (string, error) {
	b, err := checkBool(v)
	if err == nil && b != "on" {
		return "", pgerr.New(pgerr.FeatureNotSupported, "only the value \"on\" is supported")
	}
	return b, err
}

func checkSyncCommit(v string) (string, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1", "local", "remote_write", "remote_apply":
		return "on", nil
	case "off", "false", "no", "0":
		return "off", nil
	}
	return "", errInvalidValue
}

func checkEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(v, "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	}
	return "", pgerr.New(pgerr.FeatureNotSupported, "conversion to encoding \"%s\" is not supported", v)
}

// checkDateStyle accepts the ISO output style and any field order for
// input (MDY, DMY, YMD, and their old names US, European, ...).
func checkDateStyle(v string) (string, error) {
	order := "MDY"
	for _, part := range strings.Split(v, ",") {
		switch strings.ToUpper(strings.TrimSpace(part)) {
		case "ISO", "DEFAULT", "":
		case "MDY", "US", "NONEURO", "NONEUROPEAN":
			order = "MDY"
		case "DMY", "EURO", "EUROPEAN":
			order = "DMY"
		case "YMD":
			order = "YMD"
		default:
			return "", pgerr.New(pgerr.FeatureNotSupported, "DateStyle \"%s\" is not supported; only the ISO output style is", v)
		}
	}
	return "ISO, " + order, nil
}

// checkTimeZone accepts any zone types.LoadZone knows, spelled as the
// zone database spells it.
func checkTimeZone(v string) (string, error) {
	z, ok := types.LoadZone(v)
	if !ok {
		return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"TimeZone\": \"%s\"", v)
	}
	return z.String(), nil
}

func checkIntervalStyle(v string) (string, error) {
	switch l := strings.ToLower(v); l {
	case types.IntervalStylePostgres, types.IntervalStylePostgresVerbose, types.IntervalStyleSQLStandard, types.IntervalStyleISO8601:
		return l, nil
	}
	return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"intervalstyle\": \"%s\"", v).
		WithHint("Available values: postgres, postgres_verbose, sql_standard, iso_8601.")
}

func checkIsolation(v string) (string, error) {
	l := strings.ToLower(v)
	switch l {
	case ReadCommitted, RepeatableRead, Serializable:
		return l, nil
	case "read uncommitted":
		return ReadCommitted, nil
	}
	return "", errInvalidValue
}

var errInvalidValue = pgerr.New(pgerr.InvalidParameterValue, "invalid value")

// execSettings runs SET, RESET and SHOW.
func (s *Session) execSettings(st ast.Stmt) (*Result, error) {
	switch x := st.(type) {
	case *ast.ShowStmt:
		return s.show(x.Name)
	case *ast.SetStmt:
		if x.Name == "role" || x.Name == "session_authorization" {
			snap := s.e.tm.ReadSnapshot()
			if s.tx != nil {
				snap = s.currentSnapshot()
			}
			return (&execCtx{ctx: context.Background(), s: s, tx: s.tx, snap: snap, planGen: s.e.gen.Load(), mem: &s.mem}).setRole(x)
		}
		return s.set(x)
	}
	return nil, pgerr.New(pgerr.InternalError, "not a settings statement")
}

func (s *Session) show(name string) (*Result, error) {
	if name == "all" {
		return s.showAll(), nil
	}
	name, v, ok := s.settingValue(name)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
	}
	return &Result{Columns: []Column{{Name: name, Type: types.New(types.Text)}}, Rows: [][]types.Datum{{v}}, Tag: "SHOW"}, nil
}

// showAll is SHOW ALL: every parameter of the session with the value SHOW
// shows, in name order, in PostgreSQL's three columns. cairn keeps no
// descriptions of its parameters, so description is empty.
func (s *Session) showAll() *Result {
	names := make([]string, 0, len(s.settings))
	for name := range s.settings {
		names = append(names, name)
	}
	sort.Strings(names)
	rows := make([][]types.Datum, 0, len(names))
	for _, name := range names {
		canonical, v, _ := s.settingValue(name)
		rows = append(rows, []types.Datum{canonical, v, ""})
	}
	text := types.New(types.Text)
	return &Result{Columns: []Column{{Name: "name", Type: text}, {Name: "setting", Type: text}, {Name: "description", Type: text}},
		Rows: rows, Tag: "SHOW"}
}

// settingValue is the value of parameter name (lower case) as SHOW and
// current_setting show it, with the name's canonical spelling; ok is false
// when there is no such parameter.
func (s *Session) settingValue(name string) (canonical, value string, ok bool) {
	var v string
	switch name {
	case "transaction_isolation", "transaction isolation level":
		v = s.isolation
		if v == "" || s.tx == nil {
			v = s.settings["default_transaction_isolation"]
		}
		name = "transaction_isolation"
	case "transaction_read_only":
		v = "off"
		if s.readOnly {
			v = "on"
		}
	case "transaction_deferrable":
		v = s.settings["default_transaction_deferrable"]
		if s.tx != nil {
			v = map[bool]string{true: "on", false: "off"}[s.deferrable]
		}
	default:
		val, ok := s.settings[name]
		if !ok {
			return name, "", false
		}
		v = val
		if def, known := settingsTable[name]; known {
			name = def.name
		}
	}
	return name, v, true
}

func (s *Session) set(x *ast.SetStmt) (*Result, error) {
	if x.Reset && x.Name == "all" {
		return s.resetAll()
	}
	if x.Name == "transaction" || x.Name == "session characteristics" {
		return s.setTransaction(x)
	}
	if x.Name == "transaction snapshot" && len(x.Value) == 1 {
		return &Result{Tag: "SET"}, s.importSnapshot(x.Value[0])
	}
	name := x.Name
	if name == "transaction_isolation" {
		if s.tx == nil {
			return &Result{Tag: "SET", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "SET TRANSACTION can only be used in transaction blocks"}}}, nil
		}
		return &Result{Tag: "SET"}, s.applyTxnModes(strings.ToLower(strings.Join(x.Value, " ")), nil, nil)
	}
	if x.Local && !s.inBlock() {
		// The implicit transaction of a SET would end at once.
		return &Result{Tag: "SET", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "SET LOCAL can only be used in transaction blocks"}}}, nil
	}
	var value *string
	if x.Value != nil {
		v := strings.Join(x.Value, ", ")
		value = &v
	}
	if err := s.checkSetPrivilege(name); err != nil {
		return nil, err
	}
	def, changed, err := s.assign(name, value, x.Local)
	if err != nil {
		return nil, err
	}
	res := &Result{Tag: x.Tag()}
	if changed && def.reported {
		res.ParameterChanges = append(res.ParameterChanges, Parameter{Name: def.name, Value: s.settings[name]})
	}
	return res, nil
}

// assign gives the run-time parameter name (lower case) a value, checked
// and normalized as SET does; a nil value restores the default. Inside a
// transaction the change is undone if the transaction or the savepoint
// it is made under rolls back, and, with local set (SET LOCAL), when the
// transaction ends (gucstack.go). It reports whether the value changed.
//
// A name with a dot in it is a custom parameter (an extension's, or an
// application's own, as set_config('app.user_id', ...) uses them): any
// value is accepted, and once set it stays defined, empty when its
// setting is undone, as PostgreSQL's placeholders do.
func (s *Session) assign(name string, value *string, local bool) (setting, bool, error) {
	def, ok := settingsTable[name]
	if !ok {
		if !strings.Contains(name, ".") {
			return def, false, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
		}
		if !customSettingName(name) {
			return def, false, pgerr.New(pgerr.InvalidName, "invalid configuration parameter name \"%s\"", name).
				WithDetail("Custom parameter names must be two or more simple identifiers separated by dots.")
		}
		def = setting{name: name}
	}
	if def.readOnly {
		return def, false, readOnlySettingError(name, def)
	}
	v := def.def
	if rv, ok := s.resetVals[name]; ok {
		v = rv
	}
	if value != nil {
		v = *value
		if def.check != nil {
			checked, err := def.check(v)
			if err != nil {
				if err == errInvalidValue {
					return def, false, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
				}
				return def, false, err
			}
			v = checked
		}
	}
	s.guc.push(name, s.settings[name], s.gucLevel(), local)
	if cur, ok := s.settings[name]; ok && cur == v {
		return def, false, nil
	}
	s.settings[name] = v
	return def, true, nil
}

// customSettingName reports whether name is a valid custom parameter
// name: two or more identifiers joined by dots.
func customSettingName(name string) bool {
	parts := strings.Split(name, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for i, r := range p {
			if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 || i > 0 && (r >= '0' && r <= '9' || r == '$')) {
				return false
			}
		}
	}
	return true
}

// gucLevel is the transaction nesting level settings are changed at: 0
// outside a transaction, 1 in it, n+1 under its n-th open savepoint.
func (s *Session) gucLevel() int {
	if s.tx == nil {
		return 0
	}
	return 1 + len(s.savepoints)
}

// restoreSetting gives name back a value gucStack kept, noting a reported
// parameter's change for the client.
func (s *Session) restoreSetting(name, value string) {
	if s.settings[name] == value {
		return
	}
	s.settings[name] = value
	if def, ok := settingsTable[name]; ok && def.reported {
		s.paramChanges = append(s.paramChanges, Parameter{Name: def.name, Value: value})
	}
}

// applyStartup applies the parameters of a StartupMessage: each one is a
// run-time parameter checked as SET checks it, except "options", which
// holds command-line switches (-c name=value, --name=value) as libpq's
// PGOPTIONS sends them. As in PostgreSQL, an unknown parameter or a bad
// value refuses the connection.
func (s *Session) applyStartup(startup map[string]string) error {
	for k, v := range startup {
		switch k = strings.ToLower(k); k {
		case "user", "database":
			continue
		case "replication":
			if b, err := checkBool(v); err != nil || b != "off" {
				return pgerr.New(pgerr.FeatureNotSupported, "replication connections are not supported")
			}
			continue
		case "options":
			pairs, err := parseStartupOptions(v)
			if err != nil {
				return err
			}
			for _, p := range pairs {
				if err := s.checkSetPrivilege(p[0]); err != nil {
					return err
				}
				if _, _, err := s.assign(p[0], &p[1], false); err != nil {
					return err
				}
				s.noteResetValue(p[0])
				s.noteResetSource(p[0], sourceClient)
			}
			continue
		}
		if err := s.checkSetPrivilege(k); err != nil {
			return err
		}
		if _, _, err := s.assign(k, &v, false); err != nil {
			return err
		}
		s.noteResetValue(k)
		s.noteResetSource(k, sourceClient)
	}
	return nil
}

// parseStartupOptions splits the startup "options" parameter as
// PostgreSQL does: words are separated by unescaped white space, and a
// backslash takes the next character literally. It returns the name/value
// pairs of its -c and -- switches, names lower-cased and with '-' read as
// '_'.
func parseStartupOptions(opts string) ([][2]string, error) {
	var words []string
	var word strings.Builder
	inWord, escaped := false, false
	for _, r := range opts {
		switch {
		case escaped:
			word.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped, inWord = true, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	var pairs [][2]string
	for i := 0; i < len(words); i++ {
		w := words[i]
		var opt string
		switch {
		case w == "-c":
			if i+1 == len(words) {
				return nil, pgerr.New(pgerr.SyntaxError, "invalid command-line argument for server process: %s", w)
			}
			i++
			opt = words[i]
		case strings.HasPrefix(w, "--"):
			opt = w[2:]
		case strings.HasPrefix(w, "-c"):
			opt = w[2:]
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "invalid command-line argument for server process: %s", w)
		}
		name, value, ok := strings.Cut(opt, "=")
		if !ok {
			if strings.HasPrefix(w, "--") {
				return nil, pgerr.New(pgerr.SyntaxError, "--%s requires a value", opt)
			}
			return nil, pgerr.New(pgerr.SyntaxError, "-c %s requires a value", opt)
		}
		pairs = append(pairs, [2]string{strings.ReplaceAll(strings.ToLower(name), "-", "_"), value})
	}
	return pairs, nil
}

// setTransaction handles SET TRANSACTION and SET SESSION CHARACTERISTICS AS
// TRANSACTION, whose modes arrive as name=value pairs.
func (s *Session) setTransaction(x *ast.SetStmt) (*Result, error) {
	var isolation string
	var readOnly, deferrable *bool
	for _, kv := range x.Value {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "transaction_isolation":
			isolation = strings.ToLower(v)
		case "transaction_read_only":
			ro := v == "1"
			readOnly = &ro
		case "transaction_deferrable":
			d := v == "1"
			deferrable = &d
		}
	}
	if x.Name == "session characteristics" {
		if isolation != "" {
			v, err := checkIsolation(isolation)
			if err != nil {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"default_transaction_isolation\": \"%s\"", isolation)
			}
			s.settings["default_transaction_isolation"] = v
		}
		if readOnly != nil {
			s.settings["default_transaction_read_only"] = map[bool]string{true: "on", false: "off"}[*readOnly]
		}
		if deferrable != nil {
			s.settings["default_transaction_deferrable"] = map[bool]string{true: "on", false: "off"}[*deferrable]
		}
		return &Result{Tag: "SET"}, nil
	}
	if s.tx == nil || !s.inBlock() {
		return &Result{Tag: "SET", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "SET TRANSACTION can only be used in transaction blocks"}}}, nil
	}
	return &Result{Tag: "SET"}, s.applyTxnModes(isolation, readOnly, deferrable)
}

// parseDuration reads a time setting as PostgreSQL does: a bare number is
// milliseconds; units us, ms, s, min, h and d are accepted.
// durationUnits are the units of time settings; a bare number is in
// milliseconds.
var durationUnits = map[string]time.Duration{"": time.Millisecond, "us": time.Microsecond, "ms": time.Millisecond,
	"s": time.Second, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}

func parseDuration(v string) (time.Duration, error) {
	if v == "0" {
		// The default of every timeout, read at each statement.
		return 0, nil
	}
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || n < 0 {
		return 0, errInvalidValue
	}
	u, ok := durationUnits[strings.TrimSpace(v[i:])]
	if !ok {
		return 0, errInvalidValue
	}
	return time.Duration(n * float64(u)), nil
}

// checkDuration normalizes a time setting as PostgreSQL shows it: rounded
// to whole milliseconds, in the largest unit that divides it exactly.
func checkDuration(v string) (string, error) {
	d, err := parseDuration(v)
	if err != nil {
		return "", err
	}
	ms := d.Round(time.Millisecond).Milliseconds()
	if ms == 0 {
		return "0", nil
	}
	for _, u := range []struct {
		name string
		ms   int64
	}{{"d", 86_400_000}, {"h", 3_600_000}, {"min", 60_000}, {"s", 1000}} {
		if ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.name, nil
		}
	}
	return strconv.FormatInt(ms, 10) + "ms", nil
}

// checkMemoryKB checks a memory setting counted in kB as PostgreSQL's
// parse_int does: a number, a fraction rounded to whole kB, and an
// optional unit B, kB, MB, GB or TB; at least minKB and within int32. It
// shows the value in the largest unit that divides it exactly.
func checkMemoryKB(name string, minKB int64) func(string) (string, error) {
	invalid := func(v, hint string) error {
		e := pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
		if hint != "" {
			e = e.WithHint(hint)
		}
		return e
	}
	return func(v string) (string, error) {
		t := strings.TrimLeft(v, " \t\n\r\f\v")
		i := 0
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
			i++
		}
		if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
			j := i + 1
			if j < len(t) && (t[j] == '+' || t[j] == '-') {
				j++
			}
			if j < len(t) && t[j] >= '0' && t[j] <= '9' {
				for i = j; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
				}
			}
		}
		n, err := strconv.ParseFloat(t[:i], 64)
		if err != nil {
			return "", invalid(v, "")
		}
		if unit := strings.TrimSpace(t[i:]); unit != "" {
			mult, ok := map[string]float64{"B": 1.0 / 1024, "kB": 1, "MB": 1 << 10, "GB": 1 << 20, "TB": 1 << 30}[unit]
			if !ok {
				return "", invalid(v, `Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".`)
			}
			n *= mult
		}
		n = math.RoundToEven(n)
		if math.IsNaN(n) || n > math.MaxInt32 || n < math.MinInt32 {
			return "", invalid(v, "Value exceeds integer range.")
		}
		kb := int64(n)
		if kb < minKB {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%d kB is outside the valid range for parameter \"%s\" (%d .. %d)", kb, name, minKB, math.MaxInt32)
		}
		for _, u := range []struct {
			name string
			kb   int64
		}{{"TB", 1 << 30}, {"GB", 1 << 20}, {"MB", 1 << 10}} {
			if kb%u.kb == 0 {
				return strconv.FormatInt(kb/u.kb, 10) + u.name, nil
			}
		}
		return strconv.FormatInt(kb, 10) + "kB", nil
	}
}

// checkMemoryKBOrOff checks a memory setting in kB where -1 means off;
// -1 and 0 show without a unit, as in PostgreSQL.
func checkMemoryKBOrOff(name string) func(string) (string, error) {
	check := checkMemoryKB(name, -1)
	return func(v string) (string, error) {
		c, err := check(v)
		switch c {
		case "-1kB":
			c = "-1"
		case "0TB":
			c = "0"
		}
		return c, err
	}
}

func (s *Session) durationSetting(name string) time.Duration {
	d, err := parseDuration(s.settings[name])
	if err != nil {
		return 0
	}
	return d
}

func (s *Session) lockTimeout() time.Duration { return s.durationSetting("lock_timeout") }

// IdleInTransactionTimeout is idle_in_transaction_session_timeout: how
// long the session may wait for its client inside a transaction before the
// server ends it (0: forever).
func (s *Session) IdleInTransactionTimeout() time.Duration {
	return s.durationSetting("idle_in_transaction_session_timeout")
}

// StatementTimeout is statement_timeout: how long a statement may take
// (0: forever).
func (s *Session) StatementTimeout() time.Duration {
	return s.durationSetting("statement_timeout")
}

// bindSettingFunc binds set_config(text, text, boolean) and
// current_setting(text [, boolean]); ok is false for any other name.
//
// set_config(name, value, is_local) is SET (SET LOCAL when is_local) run
// by a query: it returns the new value as current_setting shows it. A
// NULL value resets the parameter and a NULL is_local is false, as in
// PostgreSQL; a NULL name is an error. current_setting(name) is SHOW's
// value; with missing_ok true an unknown name gives NULL instead of 42704.
func (b *binder) bindSettingFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	f := &builtins.Func{Name: name}
	switch name {
	case "set_config":
		f.Overloads = []*builtins.Overload{{Args: []types.ID{types.Text, types.Text, types.Bool}, Result: types.Text}}
	case "current_setting":
		f.Overloads = []*builtins.Overload{{Args: []types.ID{types.Text}, Result: types.Text},
			{Args: []types.ID{types.Text, types.Bool}, Result: types.Text}}
	default:
		return nil, false, nil
	}
	if _, err := b.resolveArgs(f, args, pos); err != nil {
		return nil, true, err
	}
	if name == "current_setting" {
		return &ctxFuncExpr{t: types.New(types.Text), args: args, fn: currentSetting}, true, nil
	}
	return &settingFuncExpr{args: args}, true, nil
}

func currentSetting(x *execCtx, a []types.Datum) (types.Datum, error) {
	name := strings.ToLower(a[0].(string))
	_, v, ok := x.s.settingValue(name)
	if !ok {
		if len(a) == 2 && a[1].(bool) {
			return nil, nil
		}
		return nil, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", a[0].(string))
	}
	return v, nil
}

// settingFuncExpr is set_config, which, unlike other functions, takes
// NULL arguments.
type settingFuncExpr struct{ args []expr }

func (e *settingFuncExpr) Type() types.T { return types.New(types.Text) }

func (e *settingFuncExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	var vals [3]types.Datum
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	if vals[0] == nil {
		return nil, pgerr.New(pgerr.NullValueNotAllowed, "SET requires parameter name")
	}
	s := c.exec.s
	name := strings.ToLower(vals[0].(string))
	var value *string
	if vals[1] != nil {
		v := vals[1].(string)
		value = &v
	}
	local := vals[2] == true
	if name == "transaction_isolation" || name == "transaction_read_only" || name == "transaction_deferrable" {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "set_config of %s is not supported; use SET TRANSACTION", name)
	}
	if err := s.checkSetPrivilege(name); err != nil {
		return nil, err
	}
	def, changed, err := s.assign(name, value, local)
	if err != nil {
		return nil, err
	}
	if changed && def.reported {
		s.paramChanges = append(s.paramChanges, Parameter{Name: def.name, Value: s.settings[name]})
	}
	_, v, _ := s.settingValue(name)
	return v, nil
}

// pgSettings is pg_settings: the session's run-time parameters, one row
// each, with the value SHOW shows (PostgreSQL shows memory and time
// values in their base unit and names the unit; cairn shows SHOW's form
// and no unit). context is internal for the read-only ones, user for the
// rest; source is default while the value is the default, session once
// it was changed; sourcefile and sourceline name the configuration file
// line a value from one came from.
var pgSettings = &sysView{
	name: "pg_settings",
	cols: resultColumns(catalog.Cols("name", textT, "setting", textT, "unit", textT, "context", textT,
		"source", textT, "boot_val", textT, "reset_val", textT, "sourcefile", textT, "sourceline", int4T,
		"pending_restart", boolT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		s := x.s
		names := make([]string, 0, len(s.settings))
		for name := range s.settings {
			names = append(names, name)
		}
		sort.Strings(names)
		var out [][]types.Datum
		for _, name := range names {
			canonical, v, _ := s.settingValue(name)
			def, known := settingsTable[name]
			context, source := settingContext(name), s.settingSource(name, v)
			if def.readOnly {
				context = "internal"
				if def.context != "" {
					context = def.context
				}
			}
			var boot, reset types.Datum
			if known {
				boot, reset = def.def, def.def
			}
			if rv, ok := s.resetVals[name]; ok {
				reset = rv
			}
			var file, line types.Datum
			// As in PostgreSQL, only a superuser sees where the file is.
			if loc, ok := s.resetFiles[name]; ok && source == sourceConfigFile && s.isSuperuser() {
				file, line = loc.file, int64(loc.line)
			}
			out = append(out, []types.Datum{canonical, v, nil, context, source, boot, reset, file, line, false})
		}
		return out, nil
	},
}

// stackDepthMaxKB is the largest max_stack_depth PostgreSQL accepts
// under the usual 8MB stack rlimit (less its 512kB of slop).
const stackDepthMaxKB = 7680

// checkStackDepth validates max_stack_depth: a memory size from 100kB
// to stackDepthMaxKB.
func checkStackDepth(v string) (string, error) {
	out, err := checkMemoryKB("max_stack_depth", 100)(v)
	if err != nil {
		return "", err
	}
	if stackDepthKB(out) > stackDepthMaxKB {
		return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"max_stack_depth\": %d", stackDepthKB(out)).
			WithDetail(fmt.Sprintf("\"max_stack_depth\" must not exceed %dkB.", stackDepthMaxKB)).
			WithHint("Increase the platform's stack depth limit via \"ulimit -s\" or local equivalent.")
	}
	return out, nil
}

// stackDepthKB reads a normalized max_stack_depth (2MB, 100kB) in kB;
// 0 for anything else.
func stackDepthKB(v string) int {
	for unit, kb := range map[string]int{"kB": 1, "MB": 1 << 10, "GB": 1 << 20, "TB": 1 << 30} {
		if n, ok := strings.CutSuffix(v, unit); ok {
			if k, err := strconv.Atoi(n); err == nil {
				return k * kb
			}
		}
	}
	return 0
}
