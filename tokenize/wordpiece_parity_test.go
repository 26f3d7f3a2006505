package tokenize_test

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet/tokenize"
)

// wpParityPath is the parity fixture written by ref_tokenizer.py beside it
// (SOURCE.md there says how).
const wpParityPath = "testdata/wordpiece/parity.jsonl"

// wpCase is one record of the parity fixture.
type wpCase struct {
	Name          string   `json:"name"`
	Text          string   `json:"text"`
	TextPair      *string  `json:"text_pair"`
	TextHex       string   `json:"text_hex"`
	DoLowerCase   bool     `json:"do_lower_case"`
	StripAccents  *bool    `json:"strip_accents"`
	MaxLen        int      `json:"max_len"`
	Tokens        []string `json:"tokens"`
	IDs           []int    `json:"ids"`
	TypeIDs       []int    `json:"type_ids"`
	RefUnassigned []int32  `json:"ref_unassigned"`
}

// input returns the text the case tokenizes: the raw bytes when the case
// holds invalid UTF-8.
func (c wpCase) input(tb testing.TB) string {
	if c.TextHex == "" {
		return c.Text
	}
	b, err := hex.DecodeString(c.TextHex)
	require.NoError(tb, err)
	return string(b)
}

// newerUnicode returns the code points that the reference's Unicode
// tables (14.0, Python 3.11) leave unassigned but Go's (15.0) assign.
// Such characters are dropped by the reference and kept by Go, so the two
// cannot agree on them.
func (c wpCase) newerUnicode() []rune {
	var out []rune
	for _, r := range c.RefUnassigned {
		if unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co) {
			out = append(out, r)
		}
	}
	return out
}

// readWPParity reads the parity fixture.
func readWPParity(tb testing.TB) []wpCase {
	tb.Helper()
	f, err := os.Open(wpParityPath)
	require.NoError(tb, err)
	defer func() { require.NoError(tb, f.Close()) }()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var header struct {
		Header struct {
			Records int `json:"records"`
		} `json:"header"`
	}
	require.True(tb, sc.Scan(), "header line")
	require.NoError(tb, json.Unmarshal(sc.Bytes(), &header))
	var cases []wpCase
	for sc.Scan() {
		var c wpCase
		require.NoError(tb, json.Unmarshal(sc.Bytes(), &c))
		cases = append(cases, c)
	}
	require.NoError(tb, sc.Err())
	require.Len(tb, cases, header.Header.Records, "the header counts the records")
	return cases
}

// wpFactory builds and caches one tokenizer per configuration of the
// parity fixture: lower-casing, explicit accent stripping and max length.
type wpFactory struct {
	dir string // vocab.txt copies live under it
	mu  sync.Mutex
	got map[string]*tokenize.WordPiece
}

func (f *wpFactory) get(tb testing.TB, lower bool, strip *bool, maxLen int) *tokenize.WordPiece {
	tb.Helper()
	key := fmt.Sprint(lower, strip != nil && *strip, strip == nil, maxLen)
	f.mu.Lock()
	defer f.mu.Unlock()
	if w, ok := f.got[key]; ok {
		return w
	}
	var (
		w   *tokenize.WordPiece
		err error
	)
	opts := []tokenize.Option{tokenize.WithLowerCase(lower), tokenize.WithMaxLen(maxLen)}
	if strip == nil {
		w, err = tokenize.NewDefaultWordPiece(opts...)
	} else {
		dir := filepath.Join(f.dir, key)
		require.NoError(tb, os.MkdirAll(dir, 0o755))
		writeWPFile(tb, dir, "vocab.txt", string(bertBaseUncasedVocab(tb)))
		writeWPFile(tb, dir, "tokenizer_config.json", fmt.Sprintf(`{"do_lower_case": %t, "strip_accents": %t}`, lower, *strip))
		w, err = tokenize.NewWordPiece(dir, opts...)
	}
	require.NoError(tb, err)
	f.got[key] = w
	return w
}

// bertBaseUncasedVocab reads the embedded vocabulary's source file.
func bertBaseUncasedVocab(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile("vocab/bert-base-uncased-vocab.txt")
	require.NoError(tb, err)
	return b
}

// writeWPFile writes content to dir/name.
func writeWPFile(tb testing.TB, dir, name, content string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	require.NoError(tb, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// TestWordPiece_parity checks WordPiece against the ids, tokens and type
// ids of the Python reference (ref_tokenizer.py, the algorithm of Hugging
// Face's BertTokenizer) on Davidson tweets and hand-written hard cases,
// single texts, pairs, truncations, cased and accent-keeping settings.
// Tolerance: exact.
func TestWordPiece_parity(t *testing.T) {
	t.Parallel()
	cases := readWPParity(t)
	require.GreaterOrEqual(t, len(cases), 300, "the brief asks for at least 300 strings")
	f := &wpFactory{dir: t.TempDir(), got: map[string]*tokenize.WordPiece{}}
	full := f.get(t, true, nil, tokenize.DefaultMaxLen)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			if rs := c.newerUnicode(); len(rs) > 0 {
				t.Skipf("reason: %U are unassigned in the reference's Unicode 14.0 (dropped there) "+
					"but assigned in Go's Unicode 15.0 (kept here)", rs)
			}
			w := f.get(t, c.DoLowerCase, c.StripAccents, c.MaxLen)
			var (
				e   tokenize.Encoding
				err error
			)
			if c.TextPair != nil {
				e, err = w.TokenizePair(c.input(t), *c.TextPair)
			} else {
				e, err = w.Tokenize(c.input(t))
			}
			require.NoError(t, err)
			assert.Equal(t, c.Tokens, e.Tokens, "tokens")
			assert.Equal(t, c.IDs, e.IDs, "ids")
			assert.Equal(t, c.TypeIDs, e.TypeIDs, "type ids")
			assert.Equal(t, wpOnes(len(c.IDs)), e.Mask, "mask")

			// Truncate gives the same as tokenizing at the shorter length.
			if c.MaxLen < tokenize.DefaultMaxLen && c.DoLowerCase && c.StripAccents == nil {
				if c.TextPair != nil {
					e, err = full.TokenizePair(c.input(t), *c.TextPair)
				} else {
					e, err = full.Tokenize(c.input(t))
				}
				require.NoError(t, err)
				if e.Len() < tokenize.DefaultMaxLen {
					tr := full.Truncate(e, c.MaxLen)
					assert.Equal(t, c.IDs, tr.IDs, "Truncate(%d) ids", c.MaxLen)
					assert.Equal(t, c.TypeIDs, tr.TypeIDs, "Truncate(%d) type ids", c.MaxLen)
					assert.Equal(t, c.Tokens, tr.Tokens, "Truncate(%d) tokens", c.MaxLen)
				}
			}
		})
	}
}

// TestWordPiece_parityCoverage pins what the fixture must exercise, so that
// a regenerated fixture cannot silently lose a kind of case.
func TestWordPiece_parityCoverage(t *testing.T) {
	t.Parallel()
	var pairs, truncated, cased, noStrip, invalid, skipped int
	for _, c := range readWPParity(t) {
		switch {
		case c.TextPair != nil:
			pairs++
		case c.TextHex != "":
			invalid++
		}
		if c.MaxLen < tokenize.DefaultMaxLen {
			truncated++
		}
		if !c.DoLowerCase {
			cased++
		}
		if c.StripAccents != nil {
			noStrip++
		}
		if len(c.newerUnicode()) > 0 {
			skipped++
		}
	}
	assert.GreaterOrEqual(t, pairs, 20, "pairs")
	assert.GreaterOrEqual(t, truncated, 20, "truncated cases")
	assert.GreaterOrEqual(t, cased, 10, "cased cases")
	assert.GreaterOrEqual(t, noStrip, 5, "strip_accents=false cases")
	assert.GreaterOrEqual(t, invalid, 5, "invalid UTF-8 cases")
	// Two cases hold Unicode 15.0 characters on purpose (U+1FAE8, U+31350);
	// anything else skipped means the fixture or the tables changed.
	assert.Equal(t, 2, skipped, "cases skipped for Unicode version differences")
}

// wpOnes returns n ones.
func wpOnes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}
