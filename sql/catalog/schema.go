package catalog

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Schemas. A relation lives in one schema (TableDesc.Schema, empty for
// public). Descriptors are keyed by Key: a public relation by its bare
// name, as before schemas existed (so older data directories read
// unchanged), any other by schema, a NUL byte and name. PostgreSQL
// identifiers cannot hold NUL, so the two forms never collide. The
// references between relations (ForeignKeyDesc.RefTable, IndexOf,
// SequenceDesc.OwnedBy, ColumnDesc.IdentitySeq) hold keys, so that two
// schemas may hold relations of the same name.
//
// A name a statement gives (ast.TableRef.Name) is either bare, resolved
// through the search path, or qualified in the same form as a key
// (QualifiedName): "public\x00t" names public's t exactly.
//
// The schemas a user creates are rows of their own heap table
// (SchemaTableID), keyed by name, so they are transactional as relations
// are. public and pg_catalog are built in; a session's temporary schema
// (pg_temp_N, TempSchemaPrefix) exists while the session has temporary
// relations and is not stored: its relations carry its name.

// SchemaTableID is the heap table that holds the schemas users create.
const SchemaTableID = heap.SystemTable + 1

// TempSchemaPrefix starts the name of every session's temporary schema,
// pg_temp_N for the session's temporary slot N.
const TempSchemaPrefix = "pg_temp_"

// tempNamespaceOIDBit marks a temporary schema's oid: its slot with this
// bit set. Object ids are allocated from 16384 up and stay far below it.
const tempNamespaceOIDBit = 1 << 29

// OIDInformationSchema is information_schema's oid in a fresh PostgreSQL
// 15 cluster.
const OIDInformationSchema = 13183

// oidPgToast is pg_toast's oid.
const oidPgToast = 99

// SchemaDesc describes a schema a user created.
type SchemaDesc struct {
	OID     uint32 `json:"oid"`
	Name    string `json:"name"`
	Owner   string `json:"owner,omitempty"`
	Comment string `json:"comment,omitempty"`
	// ACL is nspacl when HasACL is set, the default otherwise.
	ACL    []ACLItem `json:"acl,omitempty"`
	HasACL bool      `json:"has_acl,omitempty"`
}

// Key is the catalog key of the relation named name in schema.
func Key(schema, name string) string {
	if schema == "" || schema == "public" {
		return name
	}
	return schema + "\x00" + name
}

// Key is the descriptor's catalog key.
func (t *TableDesc) Key() string { return Key(t.Schema, t.Name) }

// SchemaName is the name of the descriptor's schema.
func (t *TableDesc) SchemaName() string {
	if t.Schema == "" {
		return "public"
	}
	return t.Schema
}

// Temp reports whether the relation is temporary.
func (t *TableDesc) Temp() bool { return IsTempSchema(t.Schema) }

// IsTempSchema reports whether schema is a session's temporary schema.
func IsTempSchema(schema string) bool { return strings.HasPrefix(schema, TempSchemaPrefix) }

// TempSchemaName names the temporary schema of temporary slot n.
func TempSchemaName(n int) string { return TempSchemaPrefix + strconv.Itoa(n) }

// TempNamespaceOID is the oid of temporary schema name, false when name
// is no temporary schema.
func TempNamespaceOID(name string) (int64, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(name, TempSchemaPrefix))
	if !IsTempSchema(name) || err != nil || n <= 0 {
		return 0, false
	}
	return tempNamespaceOIDBit | int64(n), true
}

// QualifiedName is the form a statement's explicitly qualified name takes
// in ast.TableRef.Name.
func QualifiedName(schema, name string) string { return parser.QualifiedName(schema, name) }

// SplitName splits a key or qualified name into its schema ("" when
// bare) and relation name.
func SplitName(key string) (schema, name string) {
	if i := strings.IndexByte(key, 0); i >= 0 {
		return key[:i], key[i+1:]
	}
	return "", key
}

// DisplayName is a key or qualified name as messages show it: schema.name.
func DisplayName(key string) string { return strings.ReplaceAll(key, "\x00", ".") }

func schemaKey(name string) []byte { return types.EncodeKey([]types.Datum{name}) }

// LookupSchema returns the schema named name a user created, visible to
// snap (nil if none), and its tuple version.
func (c *Store) LookupSchema(snap txn.Snapshot, name string) (*SchemaDesc, heap.TupleID, error) {
	snap.Serializable = false
	var desc *SchemaDesc
	var id heap.TupleID
	err := c.heap.ScanKey(snap, SchemaTableID, schemaKey(name), func(t heap.Tuple) error {
		d := new(SchemaDesc)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for schema %q", name)
		}
		desc, id = d, t.ID
		return nil
	})
	return desc, id, err
}

// Schemas returns the schemas users created, visible to snap.
func (c *Store) Schemas(snap txn.Snapshot) ([]*SchemaDesc, error) {
	snap.Serializable = false
	var out []*SchemaDesc
	err := c.heap.Scan(snap, SchemaTableID, func(t heap.Tuple) error {
		d := new(SchemaDesc)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for a schema")
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// CreateSchema adds desc in op's transaction; a name taken by a schema
// visible to op is 42P06.
func (c *Store) CreateSchema(op heap.Op, desc *SchemaDesc) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("catalog: encoding schema descriptor: %w", err)
	}
	err = c.heap.Insert(op, SchemaTableID, schemaKey(desc.Name), data)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return pgerr.New(pgerr.DuplicateSchema, "schema \"%s\" already exists", desc.Name)
	}
	return err
}

// DropSchema deletes the schema version id (from LookupSchema) in op's
// transaction.
func (c *Store) DropSchema(op heap.Op, id heap.TupleID) error {
	op.Snap.Serializable = false
	return c.heap.Delete(op, id)
}

// Namespace is a schema as pg_namespace lists it.
type Namespace struct {
	OID     int64
	Name    string
	Owner   int64
	Comment string
	ACL     []ACLItem
	HasACL  bool
}

// BuiltinNamespaces are the schemas every database has.
var BuiltinNamespaces = []Namespace{
	{OID: types.OIDPgCatalog, Name: "pg_catalog", Owner: types.OIDBootstrapSuperuser, Comment: "system catalog schema"},
	{OID: oidPgToast, Name: "pg_toast", Owner: types.OIDBootstrapSuperuser, Comment: "reserved schema for TOAST tables"},
	{OID: types.OIDPublic, Name: "public", Owner: types.OIDPgDatabaseOwner, Comment: "standard public schema"},
	{OID: OIDInformationSchema, Name: "information_schema", Owner: types.OIDBootstrapSuperuser},
}

// SchemaOrPublic is schema, or public for the empty name a public
// relation's descriptor holds.
func SchemaOrPublic(schema string) string {
	if schema == "" {
		return "public"
	}
	return schema
}

// SplitSearchPath splits a search_path value into its schema names,
// unquoted (quoted names keep their case, others are lower-cased); "$user"
// stays as it is.
func SplitSearchPath(path string) []string {
	var out []string
	for _, item := range strings.Split(path, ",") {
		item = strings.TrimSpace(item)
		if len(item) >= 2 && item[0] == '"' && item[len(item)-1] == '"' {
			item = strings.ReplaceAll(item[1:len(item)-1], `""`, `"`)
		} else {
			item = strings.ToLower(item)
		}
		if item != "" {
			out = append(out, item)
		}
	}
	return out
}
