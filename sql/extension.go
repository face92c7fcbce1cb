package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// builtinExtensions are the extensions whose most used functions cairn
// has built in: CREATE EXTENSION accepts them and changes nothing, since
// those functions (pgcrypto's digest and gen_random_bytes, uuid-ossp's
// uuid_generate_v4) exist without it; their other functions (crypt,
// hmac, uuid_generate_v1 ...) do not exist in cairn. pg_extension does not list them,
// and creating one twice without IF NOT EXISTS is not refused (PostgreSQL
// answers 42710).
var builtinExtensions = map[string]bool{"pgcrypto": true, "uuid-ossp": true}

// createExtensionPlan is CREATE EXTENSION of a built-in extension.
type createExtensionPlan struct{}

func (createExtensionPlan) columns() []Column { return nil }

func (createExtensionPlan) execute(*execCtx, *evalCtx) (*Result, error) {
	return &Result{Tag: "CREATE EXTENSION"}, nil
}

// bindCreateExtension refuses any other extension as PostgreSQL does
// one it has no control file for.
func bindCreateExtension(x *ast.CreateExtensionStmt) (boundStmt, error) {
	if !builtinExtensions[x.Name] {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "extension \"%s\" is not available", x.Name).
			WithHint("cairn cannot load extensions; it accepts pgcrypto and uuid-ossp, whose common functions it has built in.")
	}
	return createExtensionPlan{}, nil
}
