package lint

import (
	"go/build"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/cairndb/cairn"

// layers orders cairn's packages from the top down: a package may import
// only packages of a later layer (or, within internal/, other internal
// packages). Every package of the module must be listed; a pattern ending
// in "/" covers the packages under it.
var layers = [][]string{
	{"cmd/cairn"},
	{"sqltest"},
	{"."}, // the cairn package: Open, the database/sql driver
	{"metrics"},
	{"pgwire"},
	{"shard"},
	{"sql"},
	{"sql/plpgsql"},
	{"sql/catalog"},
	{"sql/parser"},
	{"sql/builtins"},
	{"sql/sequence"},
	{"sql/types"},
	{"sql/ast"},
	{"heap"},
	{"txn"},
	{"checkpoint"},
	{"wal"},
	{"lsm"},
	{"internal/"},
}

// storage are the packages below SQL: they must not know it, in their
// tests either.
var storage = []string{"heap", "txn", "checkpoint", "wal", "lsm", "internal/vfs"}

// parserOnly are the imports only sql/parser may make (tests included):
// the C parser, its WebAssembly build and their protobuf parse trees.
var parserOnly = []string{"github.com/pganalyze/pg_query_go", "github.com/wasilibs/go-pgquery"}

// pkg is one package of the module, by its path relative to the module.
type pkg struct {
	rel         string
	imports     []string // non-test imports
	testImports []string // in-package and external test imports
}

// TestImportDirection: no package imports one above it in layers, only
// sql/parser imports pg_query_go, and storage packages do not import sql.
func TestImportDirection(t *testing.T) {
	pkgs := modulePackages(t)
	if len(pkgs) < len(layers) {
		t.Fatalf("found %d packages; is the module root right?", len(pkgs))
	}
	for _, p := range pkgs {
		rank := layerOf(p.rel)
		if rank < 0 {
			t.Errorf("package %s is in no layer: add it to layers in internal/lint/lint_test.go", p.rel)
			continue
		}
		for _, imp := range p.imports {
			rel, ok := moduleRel(imp)
			if !ok {
				continue
			}
			r := layerOf(rel)
			internal := strings.HasPrefix(p.rel, "internal/") && strings.HasPrefix(rel, "internal/")
			if r <= rank && !internal {
				t.Errorf("%s imports %s, which is not below it (layers in internal/lint/lint_test.go)", p.rel, rel)
			}
		}
		for _, imp := range append(append([]string(nil), p.imports...), p.testImports...) {
			for _, only := range parserOnly {
				if (imp == only || strings.HasPrefix(imp, only+"/")) && p.rel != "sql/parser" {
					t.Errorf("%s imports %s: only sql/parser may see the parser's node types", p.rel, imp)
				}
			}
			if rel, ok := moduleRel(imp); ok && isStorage(p.rel) && (rel == "sql" || strings.HasPrefix(rel, "sql/") || rel == "sqltest") {
				t.Errorf("storage package %s imports %s", p.rel, rel)
			}
		}
	}
}

// layerOf is rel's index in layers, or -1.
func layerOf(rel string) int {
	for i, l := range layers {
		for _, pat := range l {
			if pat == rel || strings.HasSuffix(pat, "/") && strings.HasPrefix(rel, pat) {
				return i
			}
		}
	}
	return -1
}

func isStorage(rel string) bool {
	for _, s := range storage {
		if rel == s || strings.HasPrefix(rel, s+"/") {
			return true
		}
	}
	return false
}

// moduleRel is imp relative to the module ("." for its root package); ok
// is false for packages outside it.
func moduleRel(imp string) (string, bool) {
	if imp == module {
		return ".", true
	}
	rel, ok := strings.CutPrefix(imp, module+"/")
	return rel, ok
}

// modulePackages lists the module's packages with their imports, reading
// the source tree with go/build (no build, no go command). Directories
// holding another module (bench/), testdata and hidden directories are
// skipped.
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.HasPrefix(string(data), "module "+module+"\n") {
		t.Fatalf("%s is not the root of %s: %v", root, module, err)
	}
	var out []pkg
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != root {
			if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
		}
		// Both builds count: with cgo and without it (the WebAssembly parser).
		var p pkg
		for _, cgo := range []bool{true, false} {
			ctx := build.Default
			ctx.CgoEnabled = cgo
			bp, err := ctx.ImportDir(path, 0)
			if err != nil {
				if _, ok := err.(*build.NoGoError); ok {
					continue
				}
				return err
			}
			p.imports = append(p.imports, bp.Imports...)
			p.testImports = append(p.testImports, bp.TestImports...)
			p.testImports = append(p.testImports, bp.XTestImports...)
		}
		if p.imports == nil && p.testImports == nil {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		p.rel = filepath.ToSlash(rel)
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out
}
