package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The normalized forms are PostgreSQL 15's jsonpath_out.
func TestJSONPathText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`$`, `$`},
		{`$.a.b`, `$."a"."b"`},
		{`lax $.a`, `$."a"`},
		{`strict $.a[*]`, `strict $."a"[*]`},
		{`$[0, 1 to 3, last]`, `$[0,1 to 3,last]`},
		{`$ ? (@.age == 25.0 && @.x > 1 || !(@.y < 2))`, `$?(@."age" == 25.0 && @."x" > 1 || !(@."y" < 2))`},
		{`exists($.a ? (@ == null))`, `exists ($."a"?(@ == null))`},
		{`$.a ? (@ == "x\"y")`, `$."a"?(@ == "x\"y")`},
		{`$.*`, `$.*`},
		{`$.**`, `$.**`},
		{`1 + 2 * 3`, `(1 + 2 * 3)`},
		{`(1 + 2) * 3`, `((1 + 2) * 3)`},
		{`-$.a`, `(-$."a")`},
		{`$.a.size()`, `$."a".size()`},
		{`$var`, `$"var"`},
		{`$."a b"`, `$."a b"`},
		{`$.a starts with "x"`, `($."a" starts with "x")`},
		{`($.a > 1) is unknown`, `($."a" > 1) is unknown`},
		{`$ ? (@.a == 1).b`, `$?(@."a" == 1)."b"`},
		{`1.50`, `1.50`},
		{`-1`, `-1`},
		{`$.a ? (@ like_regex "^x" flag "i")`, `$."a"?(@ like_regex "^x" flag "i")`},
		{`$[last - 1]`, `$[last - 1]`},
		{`$.a == 1 && $.b == 2`, `($."a" == 1 && $."b" == 2)`},
		{`!exists($.a)`, `!(exists ($."a"))`},
		{`$.a + 1 == 3`, `($."a" + 1 == 3)`},
	} {
		d, err := ParseText(New(JSONPathType), tc.in)
		if err != nil || d != tc.want {
			t.Errorf("jsonpath %q = %v, %v; want %s", tc.in, d, err, tc.want)
		}
	}
	for _, bad := range []string{`$.`, `$ ? (@.a`, `$.a +`, `@@`, `$[`, `"abc`} {
		if _, err := ParseJSONPath(bad); pgerr.Code(err) != pgerr.SyntaxError {
			t.Errorf("jsonpath %q: %v, want 42601", bad, err)
		}
	}
}
