package parser

import (
	"context"
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// TestTranslateUserTypes translates the enum and domain statements: what
// each becomes (its fields that carry meaning, printed), or the SQLSTATE
// PostgreSQL 15 answers for what it refuses while parsing.
func TestTranslateUserTypes(t *testing.T) {
	show := func(s ast.Stmt) string {
		switch x := s.(type) {
		case *ast.CreateDomainStmt:
			checks := ""
			for _, c := range x.Checks {
				checks += fmt.Sprintf(" check %q %s", c.Name, c.SQL)
			}
			return fmt.Sprintf("domain %s %s[] %v notnull %v default %q%s", x.Name, x.Type.Name, x.Type.Array, x.NotNull, x.DefaultSQL, checks)
		case *ast.AlterDomainStmt:
			return fmt.Sprintf("alter domain %s %s %q %q %q %v %v", x.Name, x.Action, x.Constraint, x.DefaultSQL, x.Check.SQL, x.Check.NotValid, x.IfExists)
		}
		return fmt.Sprintf("%T %+v", s, s)
	}
	for _, tc := range []struct{ sql, want, code string }{
		{sql: "CREATE TYPE Mood AS ENUM ('sad', 'OK')", want: "*ast.CreateEnumStmt &{Name:mood Labels:[sad OK]}"},
		{sql: "CREATE TYPE public.e AS ENUM ()", want: "*ast.CreateEnumStmt &{Name:e Labels:[]}"},
		{sql: "CREATE TYPE other.e AS ENUM ()", code: pgerr.InvalidSchemaName},
		{sql: "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok'",
			want: "*ast.AlterEnumStmt &{Name:mood Rename:false OldLabel: NewLabel:meh Neighbor:ok After:false IfNotExists:true}"},
		{sql: "ALTER TYPE mood ADD VALUE 'x' AFTER 'ok'",
			want: "*ast.AlterEnumStmt &{Name:mood Rename:false OldLabel: NewLabel:x Neighbor:ok After:true IfNotExists:false}"},
		{sql: "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'",
			want: "*ast.AlterEnumStmt &{Name:mood Rename:true OldLabel:ok NewLabel:fine Neighbor: After:false IfNotExists:false}"},
		{sql: "ALTER TYPE mood RENAME TO feeling", want: "*ast.RenameTypeStmt &{Name:mood NewName:feeling Domain:false}"},
		{sql: "ALTER DOMAIN d RENAME TO e", want: "*ast.RenameTypeStmt &{Name:d NewName:e Domain:true}"},
		{sql: "DROP TYPE IF EXISTS a, public.b CASCADE", want: "*ast.DropTypeStmt &{Names:[a b] IfExists:true Cascade:true Domain:false}"},
		{sql: "DROP DOMAIN d RESTRICT", want: "*ast.DropTypeStmt &{Names:[d] IfExists:false Cascade:false Domain:true}"},
		{sql: "CREATE DOMAIN d AS int DEFAULT 3 NOT NULL CONSTRAINT pos CHECK (VALUE > 0) CHECK (value < 10)",
			want: `domain d int4[] false notnull true default "3" check "pos" value > 0 check "" value < 10`},
		{sql: "CREATE DOMAIN d varchar(5)[] NULL", want: `domain d varchar[] true notnull false default ""`},
		{sql: "CREATE DOMAIN d AS int NOT NULL NULL", code: pgerr.SyntaxError},
		{sql: "CREATE DOMAIN d AS int DEFAULT 1 DEFAULT 2", code: pgerr.SyntaxError},
		{sql: "CREATE DOMAIN d AS int UNIQUE", code: pgerr.SyntaxError},
		{sql: "CREATE DOMAIN d AS int CHECK (VALUE > 0) NOT VALID", code: pgerr.SyntaxError},
		{sql: "ALTER DOMAIN d SET DEFAULT 5", want: `alter domain d set default "" "5" "" false false`},
		{sql: "ALTER DOMAIN d DROP DEFAULT", want: `alter domain d drop default "" "" "" false false`},
		{sql: "ALTER DOMAIN d SET NOT NULL", want: `alter domain d set not null "" "" "" false false`},
		{sql: "ALTER DOMAIN d DROP NOT NULL", want: `alter domain d drop not null "" "" "" false false`},
		{sql: "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE <> 0) NOT VALID", want: `alter domain d add constraint "" "" "value <> 0" true false`},
		{sql: "ALTER DOMAIN d ADD CONSTRAINT c NOT NULL", code: pgerr.SyntaxError},
		{sql: "ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c", want: `alter domain d drop constraint "c" "" "" false true`},
		{sql: "ALTER DOMAIN d VALIDATE CONSTRAINT c", want: `alter domain d validate constraint "c" "" "" false false`},
	} {
		stmts, _, err := ParseStatements(context.Background(), tc.sql, Config{})
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%s: %v, want SQLSTATE %s", tc.sql, err, tc.code)
			}
			continue
		}
		if err != nil || len(stmts) != 1 {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if got := show(stmts[0].Stmt); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.sql, got, tc.want)
		}
	}
}
