package hatetweet_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/hatetweet/hatetweet"

// policy is the dependency table of STYLE.md §1: for each package (relative to
// the module root, "" for the root), the project packages and the third-party
// module prefixes its non-test code may import. The standard library is
// always allowed. It is policy: change it in a design review, never to make a
// build pass.
var policy = map[string]struct{ project, thirdParty []string }{
	"":                        {},
	"textclean":               {},
	"tokenize":                {project: []string{""}, thirdParty: []string{"github.com/sugarme/tokenizer", "golang.org/x/text"}},
	"evaluate":                {project: []string{""}},
	"train":                   {project: []string{"", "evaluate"}},
	"dataset":                 {project: []string{""}},
	"serve":                   {project: []string{""}},
	"internal/nn":             {project: []string{""}, thirdParty: []string{"gorgonia.org/gorgonia", "gorgonia.org/tensor", "github.com/chewxy/hm"}},
	"internal/safetensors":    {project: []string{"internal/atomicfile"}},
	"internal/atomicfile":     {},
	"internal/classifiertest": {project: []string{""}, thirdParty: []string{"github.com/stretchr/testify"}},
	"bert":                    {project: []string{"", "textclean", "tokenize", "internal/nn", "internal/safetensors", "internal/atomicfile"}, thirdParty: []string{"gorgonia.org/gorgonia", "gorgonia.org/tensor", "github.com/nlpodyssey/gopickle"}},
	"lstm":                    {project: []string{"", "textclean", "tokenize", "internal/nn", "internal/safetensors"}, thirdParty: []string{"gorgonia.org/gorgonia", "gorgonia.org/tensor"}},
}

type goPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		t.Fatalf("go list: %v\n%s", err, exitErr.Stderr)
	}
	require.NoError(t, err)
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	r, ok := strings.CutPrefix(path, module+"/")
	return r, ok
}

func isStdlib(path string) bool { return !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") }

// TestImportPolicy fails on any import edge that the table in STYLE.md §1 does
// not allow. Examples may import anything; tests may also use testify and
// the conformance suite; the root's external tests (the README's quick start
// as an Example) may import any project package, which cannot form a cycle.
func TestImportPolicy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, p := range listPackages(t) {
		name, _ := rel(p.ImportPath)
		if strings.HasPrefix(name, "examples/") {
			continue
		}
		rule, ok := policy[name]
		if !ok {
			t.Errorf("package %q is not in the dependency table of STYLE.md §1", p.ImportPath)
			continue
		}
		check := func(imports []string, test bool) {
			for _, imp := range imports {
				if isStdlib(imp) {
					continue
				}
				if r, ok := rel(imp); ok {
					if r == name || contains(rule.project, r) || (test && r == "internal/classifiertest") {
						continue
					}
					t.Errorf("%s imports %s: not allowed by STYLE.md §1", p.ImportPath, imp)
					continue
				}
				if hasPrefix(rule.thirdParty, imp) || (test && strings.HasPrefix(imp, "github.com/stretchr/testify")) {
					continue
				}
				t.Errorf("%s imports third-party %s: not allowed by STYLE.md §1", p.ImportPath, imp)
			}
		}
		check(p.Imports, false)
		check(p.TestImports, true)
		if name != "" {
			check(p.XTestImports, true)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func hasPrefix(prefixes []string, s string) bool {
	for _, p := range prefixes {
		if s == p || strings.HasPrefix(s, p+"/") {
			return true
		}
	}
	return false
}
