package sql

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// heapTableArg maps the heap methods that read or write a table's rows to
// the position of their table argument, which must be a storage id.
var heapTableArg = map[string]int{
	"Insert": 1, "InsertRow": 1, "InsertRows": 1, "InsertVersion": 1,
	"Scan": 1, "ScanKey": 1, "Update": 1, "ScanIndex": 1,
	"InsertUniqueIndexEntry": 1, "LoadRows": 1, "MoveRows": 1,
	"TableSize": 0, "Vacuum": 0, "VacuumDirty": 0, "VacuumIndex": 0,
	"ForEachVersion": 0, "DropTableData": 0,
}

// TestHeapCallsUseStorageID fails when the package passes a descriptor's
// OID (x.ID) where the heap wants the table's storage id: after a rewrite
// the OID names storage that VACUUM deletes (catalog.TableDesc.StorageID).
func TestHeapCallsUseStorageID(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pos, ok := heapTableArg[sel.Sel.Name]
			if !ok || !isHeapReceiver(sel.X) || pos >= len(call.Args) {
				return true
			}
			checked++
			if arg, ok := call.Args[pos].(*ast.SelectorExpr); ok && arg.Sel.Name == "ID" {
				t.Errorf("%s: heap.%s is given a relation's OID; pass its StorageID()", fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("found only %d heap calls to check; has the heap's API or its receivers' names changed?", checked)
	}
}

// isHeapReceiver reports whether e is how this package names the heap:
// e.heap, x.s.e.heap and the like, or a local h.
func isHeapReceiver(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "h"
	case *ast.SelectorExpr:
		return x.Sel.Name == "heap"
	}
	return false
}
