package textclean_test

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// parityRow is one line of testdata/clean_parity.jsonl.
//
// SOURCE: testdata/gen_clean.py (see testdata/SOURCE): CPython 3.11.2 running
// clean() of anchors/clean.py; tolerance: exact string equality.
type parityRow struct {
	In      string `json:"in"`
	InHex   string `json:"in_hex"` // set when the case is invalid UTF-8: the raw bytes
	Out     string `json:"out"`
	OutStop string `json:"out_stop"`
	line    int
}

// raw returns the bytes to feed the Go cleaners: the invalid UTF-8 of the
// case when there is one, else In.
func (r parityRow) raw(t testing.TB) string {
	if r.InHex == "" {
		return r.In
	}
	b, err := hex.DecodeString(r.InHex)
	require.NoError(t, err, "line %d", r.line)
	return string(b)
}

// readJSONL decodes every line of testdata/name into a T.
func readJSONL[T any](t testing.TB, name string, setLine func(*T, int)) []T {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer func() { require.NoError(t, f.Close()) }()
	var rows []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for line := 1; sc.Scan(); line++ {
		var r T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), "%s line %d", name, line)
		if setLine != nil {
			setLine(&r, line)
		}
		rows = append(rows, r)
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, rows, name)
	return rows
}

func readParity(t testing.TB) []parityRow {
	return readJSONL(t, "clean_parity.jsonl", func(r *parityRow, line int) { r.line = line })
}

// stepsRow is one line of testdata/steps_parity.jsonl: the text after each
// step of clean(). SOURCE: as for parityRow.
type stepsRow struct {
	In          string `json:"in"`
	Decode      string `json:"decode"`
	Lower       string `json:"lower"`
	Apostrophes string `json:"apostrophes"`
	URLs        string `json:"urls"`
	Mentions    string `json:"mentions"`
	Hashtags    string `json:"hashtags"`
	RT          string `json:"rt"`
	Squeeze     string `json:"squeeze"`
	Special     string `json:"special"`
	Trim        string `json:"trim"`
	Stop        string `json:"stop"`
}
