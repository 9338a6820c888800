// Package docs holds no code: its test keeps docs/hardening.md true.
package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// testRef is `<package dir>/<TestName>[/<subtest>]` in backquotes.
var testRef = regexp.MustCompile("`([a-z][a-z0-9/_]*?)/((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)(/[^`]+)?`")

// TestHardeningTableNamesRealTests fails when docs/hardening.md names a
// test function that its package does not have, a subtest that function
// does not run, or when a row of either table is missing or covered by
// nothing.
func TestHardeningTableNamesRealTests(t *testing.T) {
	doc, err := os.ReadFile("hardening.md")
	if err != nil {
		t.Fatal(err)
	}
	packages := map[string]map[string]*ast.FuncDecl{} // package dir -> its test files' functions
	funcsOf := func(dir string) map[string]*ast.FuncDecl {
		if funcs, ok := packages[dir]; ok {
			return funcs
		}
		packages[dir] = testFuncs(t, filepath.Join("..", dir))
		return packages[dir]
	}

	rows := map[string]map[int]int{} // table -> row number -> references
	table := ""
	for n, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			table = h
			rows[table] = map[int]int{}
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		row, err := strconv.Atoi(strings.TrimSpace(cells[1]))
		if err != nil {
			continue // header or separator
		}
		if _, dup := rows[table][row]; dup {
			t.Errorf("line %d: row %d of %q twice", n+1, row, table)
		}
		refs := testRef.FindAllStringSubmatch(cells[3], -1)
		rows[table][row] = len(refs)
		for _, ref := range refs {
			dir, name, sub := ref[1], ref[2], strings.TrimPrefix(ref[3], "/")
			funcs := funcsOf(dir)
			if len(funcs) == 0 {
				t.Errorf("line %d: %s: no test files in %s", n+1, ref[0], dir)
				continue
			}
			fn, ok := funcs[name]
			if !ok {
				t.Errorf("line %d: %s: no func %s in %s/*_test.go", n+1, ref[0], name, dir)
				continue
			}
			if sub != "" && !subtestNames(fn, funcs)[sub] {
				t.Errorf("line %d: %s: %s runs no subtest %q", n+1, ref[0], name, sub)
			}
		}
	}
	for table, want := range map[string]int{"Bad inputs": 40, "Hardening issue": 11, "Hardening round 3": 13} {
		for row := 1; row <= want; row++ {
			switch refs, ok := rows[table][row]; {
			case !ok:
				t.Errorf("%s: row %d is missing", table, row)
			case refs == 0:
				t.Errorf("%s: row %d names no test", table, row)
			}
		}
		if len(rows[table]) != want {
			t.Errorf("%s: %d rows, want %d", table, len(rows[table]), want)
		}
	}
}

// testFuncs parses the *_test.go files of dir: its top-level functions by
// name.
func testFuncs(t *testing.T, dir string) map[string]*ast.FuncDecl {
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	funcs := map[string]*ast.FuncDecl{}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Body != nil {
				funcs[fn.Name.Name] = fn
			}
		}
	}
	return funcs
}

// subtestNames are the subtests fn runs, as go test names them (spaces
// become underscores): the literal names of its t.Run calls, and the
// names of its table rows where a t.Run, in fn or in a function fn calls,
// takes its name from a row's field (t.Run(tt.name, ...)) or from a
// literal list fn ranges over (for _, n := range []string{...}).
func subtestNames(fn *ast.FuncDecl, funcs map[string]*ast.FuncDecl) map[string]bool {
	names := map[string]bool{}
	add := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				names[strings.ReplaceAll(s, " ", "_")] = true
			}
		}
	}
	// The bodies whose t.Run calls count: fn's and its direct callees'
	// (a table runner such as runRuleCases).
	bodies := []*ast.BlockStmt{fn.Body}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && funcs[id.Name] != nil && funcs[id.Name] != fn {
				bodies = append(bodies, funcs[id.Name].Body)
			}
		}
		return true
	})
	for _, body := range bodies {
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 || !isMethod(call, "Run") {
				return true
			}
			switch arg := call.Args[0].(type) {
			case *ast.BasicLit:
				add(arg)
			case *ast.SelectorExpr:
				for _, v := range fieldValues(fn.Body, arg.Sel.Name) {
					add(v)
				}
			case *ast.Ident:
				for _, v := range rangedOver(fn.Body, arg.Name) {
					add(v)
				}
			}
			return true
		})
	}
	return names
}

// isMethod reports a call x.name(...).
func isMethod(call *ast.CallExpr, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name
}

// fieldValues are the values of field in the table literals of body: keyed
// (name: "x"), or by position in a slice of an inline struct type.
func fieldValues(body *ast.BlockStmt, field string) []ast.Expr {
	var out []ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if key, ok := kv.Key.(*ast.Ident); ok && key.Name == field {
					out = append(out, kv.Value)
				}
			}
		}
		if i := fieldIndex(lit.Type, field); i >= 0 {
			for _, e := range lit.Elts {
				if row, ok := e.(*ast.CompositeLit); ok && len(row.Elts) > i {
					if _, keyed := row.Elts[i].(*ast.KeyValueExpr); !keyed {
						out = append(out, row.Elts[i])
					}
				}
			}
		}
		return true
	})
	return out
}

// fieldIndex is the position of field in a []struct{...} type, or -1.
func fieldIndex(typ ast.Expr, field string) int {
	slice, ok := typ.(*ast.ArrayType)
	if !ok {
		return -1
	}
	st, ok := slice.Elt.(*ast.StructType)
	if !ok {
		return -1
	}
	i := 0
	for _, f := range st.Fields.List {
		for _, name := range f.Names {
			if name.Name == field {
				return i
			}
			i++
		}
	}
	return -1
}

// rangedOver are the elements of the literal list that body ranges over
// into the variable name.
func rangedOver(body *ast.BlockStmt, name string) []ast.Expr {
	var out []ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		loop, ok := n.(*ast.RangeStmt)
		if !ok {
			return true
		}
		if v, ok := loop.Value.(*ast.Ident); ok && v.Name == name {
			if lit, ok := loop.X.(*ast.CompositeLit); ok {
				out = append(out, lit.Elts...)
			}
		}
		return true
	})
	return out
}
