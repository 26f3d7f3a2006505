package textclean

import (
	"bufio"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pyUnicode holds testdata/unicode_py.txt: how CPython 3.11.2 (Unicode
// 14.0) classifies every code point. SOURCE: testdata/gen_clean.py, see
// testdata/SOURCE; tolerance: exact, except where Python has the code point
// unassigned (Go has Unicode 15.0).
type pyUnicode struct {
	word, space, unassigned, ignorable, cased []bool
	lower                                     map[rune]string
}

func readPyUnicode(t *testing.T) pyUnicode {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "unicode_py.txt"))
	require.NoError(t, err)
	defer func() { require.NoError(t, f.Close()) }()
	n := utf8.MaxRune + 1
	u := pyUnicode{
		word: make([]bool, n), space: make([]bool, n), unassigned: make([]bool, n),
		ignorable: make([]bool, n), cased: make([]bool, n), lower: map[rune]string{},
	}
	sets := map[string][]bool{"word": u.word, "space": u.space, "unassigned": u.unassigned, "ignorable": u.ignorable, "cased": u.cased}
	hexRune := func(s string) rune {
		v, err := strconv.ParseUint(s, 16, 32)
		require.NoError(t, err)
		return rune(v)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if fields[0] == "lower" {
			var b strings.Builder
			for _, h := range fields[2:] {
				b.WriteRune(hexRune(h))
			}
			u.lower[hexRune(fields[1])] = b.String()
			continue
		}
		set, ok := sets[fields[0]]
		require.True(t, ok, "unknown line %q", sc.Text())
		require.Len(t, fields, 3)
		for r := hexRune(fields[1]); r <= hexRune(fields[2]); r++ {
			set[r] = true
		}
	}
	require.NoError(t, sc.Err())
	return u
}

// TestRuneClasses compares the rune predicates that stand in for Python's
// \w, \s and the final-sigma rule, and the Lower step, with Python on every
// code point.
func TestRuneClasses(t *testing.T) {
	t.Parallel()
	u := readPyUnicode(t)
	var newer int // code points unassigned in Python 3.11 where Go (Unicode 15.0) differs
	var buf []byte
	var enc [utf8.UTFMax]byte
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue // surrogates cannot occur in valid UTF-8
		}
		if u.unassigned[r] {
			if isWord(r) != u.word[r] || isCaseIgnorable(r) != u.ignorable[r] {
				newer++
			}
			continue
		}
		if isWord(r) != u.word[r] {
			assert.Failf(t, "isWord", "%U: Go %v, Python %v", r, isWord(r), u.word[r])
		}
		if isSpace(r) != u.space[r] {
			assert.Failf(t, "isSpace", "%U: Go %v, Python %v", r, isSpace(r), u.space[r])
		}
		if isCaseIgnorable(r) != u.ignorable[r] {
			assert.Failf(t, "isCaseIgnorable", "%U: Go %v, Python %v", r, isCaseIgnorable(r), u.ignorable[r])
		}
		if !u.ignorable[r] && isCased(r) != u.cased[r] {
			assert.Failf(t, "isCased", "%U: Go %v, Python %v", r, isCased(r), u.cased[r])
		}
		want, ok := u.lower[r]
		if !ok {
			want = string(r)
		}
		buf = appendLower(buf[:0], enc[:utf8.EncodeRune(enc[:], r)])
		if string(buf) != want {
			assert.Failf(t, "Lower", "%U: Go %q, Python %q", r, buf, want)
		}
	}
	t.Logf("%d code points unassigned in Python's Unicode classify differently in Go's", newer)
}

// TestEntityTable cross-checks the table generated from Python with Go's
// own HTML entity table: both come from the WHATWG list.
func TestEntityTable(t *testing.T) {
	t.Parallel()
	// 2231 names in Python 3.11's html.entities.html5.
	require.Len(t, html5Entities, 2231)
	names := make([]string, 0, len(html5Entities))
	for name := range html5Entities {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "nGt;" || name == "nLt;" {
			// Go's html/entity.go comments these two out ("TODO: Handle
			// replacements that are wider than their names"); Python has them.
			continue
		}
		assert.Equal(t, html5Entities[name], html.UnescapeString("&"+name), "entity %q", name)
	}
}

// TestStopwords checks the embedded list: scikit-learn 1.2.1's
// ENGLISH_STOP_WORDS has 318 words.
func TestStopwords(t *testing.T) {
	t.Parallel()
	assert.Len(t, stopwords, 318)
	for _, w := range []string{"the", "not", "a", "yourselves"} {
		assert.Contains(t, stopwords, w)
	}
	assert.NotContains(t, stopwords, "#")
}
