package tokenize_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet/tokenize"
)

// vocabTestdata is the directory of the word-vocabulary fixtures; SOURCE
// there says how gen_vocab.py made them.
const vocabTestdata = "testdata/vocab"

// encodeFixture is testdata/vocab/encode.json: token lists with the ids
// shared/anchors/lstm.py's encode gives them (truncated to MaxLen, unpadded).
type encodeFixture struct {
	MinFreq int `json:"min_freq"`
	MaxLen  int `json:"max_len"`
	Rows    []struct {
		Source string   `json:"source"`
		Tokens []string `json:"tokens"`
		IDs    []int    `json:"ids"`
	} `json:"rows"`
}

func readEncodeFixture(tb testing.TB) encodeFixture {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(vocabTestdata, "encode.json"))
	require.NoError(tb, err)
	var f encodeFixture
	require.NoError(tb, json.Unmarshal(data, &f))
	require.NotEmpty(tb, f.Rows)
	return f
}

// fixtureTexts returns the rows of f as texts, tokens joined by spaces.
func fixtureTexts(f encodeFixture) []string {
	texts := make([]string, len(f.Rows))
	for i, r := range f.Rows {
		texts[i] = strings.Join(r.Tokens, " ")
	}
	return texts
}

// valCorpus returns the token lists of the validation texts of f (not its
// synthetic rows).
func valCorpus(tb testing.TB, f encodeFixture) [][]string {
	tb.Helper()
	var corpus [][]string
	for _, r := range f.Rows {
		if strings.HasPrefix(r.Source, "val[") {
			corpus = append(corpus, r.Tokens)
		}
	}
	require.Len(tb, corpus, 300, "gen_vocab.py writes the first 300 val texts")
	return corpus
}

// readTrainTokens reads testdata/vocab/train_tokens.txt.gz: one cleaned
// Davidson training text per line, tokens separated by single spaces.
func readTrainTokens(tb testing.TB) [][]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(vocabTestdata, "train_tokens.txt.gz"))
	require.NoError(tb, err)
	defer func() { require.NoError(tb, f.Close()) }()
	zr, err := gzip.NewReader(f)
	require.NoError(tb, err)
	var out [][]string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		out = append(out, strings.Fields(sc.Text()))
	}
	require.NoError(tb, sc.Err())
	return out
}

// readDavidsonVocab reads the vocabulary gen_vocab.py wrote with PyTorch's
// reference build_vocab.
func readDavidsonVocab(tb testing.TB) *tokenize.Vocab {
	tb.Helper()
	f, err := os.Open(filepath.Join(vocabTestdata, "vocab.json"))
	require.NoError(tb, err)
	defer func() { require.NoError(tb, f.Close()) }()
	v, err := tokenize.ReadVocab(f)
	require.NoError(tb, err)
	return v
}

func vocabTokens(v *tokenize.Vocab) []string {
	out := make([]string, v.VocabSize())
	for id := range out {
		out[id] = v.Token(id)
	}
	return out
}

// TestBuildVocab_davidsonParity checks that BuildVocab on the cleaned
// Davidson training texts gives exactly the vocabulary of the reference
// BiLSTM (tolerance: exact, token for token and byte for byte), and that
// Tokenize and EncodeBatch give its ids.
func TestBuildVocab_davidsonParity(t *testing.T) {
	t.Parallel()
	enc := readEncodeFixture(t)
	train := readTrainTokens(t)
	require.Len(t, train, 19826, "train texts; gen_vocab.py prints this count")

	v, err := tokenize.BuildVocab(train, enc.MinFreq, 0)
	require.NoError(t, err)
	want := readDavidsonVocab(t)
	require.Equal(t, vocabTokens(want), vocabTokens(v))
	assert.Equal(t, want.UnkID(), v.UnkID())

	// WriteTo writes the file format gen_vocab.py writes, byte for byte.
	wantBytes, err := os.ReadFile(filepath.Join(vocabTestdata, "vocab.json"))
	require.NoError(t, err)
	var buf bytes.Buffer
	n, err := v.WriteTo(&buf)
	require.NoError(t, err)
	assert.Equal(t, int64(buf.Len()), n)
	assert.Equal(t, string(wantBytes), buf.String())

	texts := fixtureTexts(enc)
	for i, r := range enc.Rows {
		e, err := v.Tokenize(texts[i])
		require.NoError(t, err, r.Source)
		ids := e.IDs[:min(len(e.IDs), enc.MaxLen)] // lstm.encode truncates to MAX_LEN
		assert.Equal(t, r.IDs, ids, r.Source)
	}

	b, err := tokenize.EncodeBatch(v, texts, enc.MaxLen)
	require.NoError(t, err)
	wantIDs := make([]int, len(texts)*enc.MaxLen) // lstm.encode pads with 0
	wantLens := make([]int, len(texts))
	for i, r := range enc.Rows {
		copy(wantIDs[i*enc.MaxLen:], r.IDs)
		wantLens[i] = len(r.IDs)
	}
	assert.Equal(t, wantIDs, b.IDs)
	assert.Equal(t, wantLens, b.Lengths())
}

// TestVocab_golden pins the WriteTo output of a small vocabulary (built from
// the 300 validation texts of the encode fixture) in
// testdata/vocab/val300.golden. Rewrite it with
// go test ./tokenize -run TestVocab_golden -update, and review the diff.
func TestVocab_golden(t *testing.T) {
	t.Parallel()
	enc := readEncodeFixture(t)
	v, err := tokenize.BuildVocab(valCorpus(t, enc), 2, 0)
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = v.WriteTo(&buf)
	require.NoError(t, err)

	golden := filepath.Join(vocabTestdata, "val300.golden")
	if *update {
		require.NoError(t, writeFileAtomic(golden, buf.Bytes()))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), buf.String())
}

func TestBuildVocab(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		reason           string
		corpus           [][]string
		minFreq, maxSize int
		want             []string // tokens in id order
	}{
		{
			name:   "count_then_code_point",
			reason: "higher counts first; ties in ascending token order",
			corpus: [][]string{{"b", "a", "c", "b"}, {"c", "b", "d"}, {"a"}},
			// counts: b 3, a 2, c 2, d 1
			minFreq: 1,
			want:    []string{"<pad>", "<unk>", "b", "a", "c", "d"},
		},
		{
			name:   "min_freq_2",
			reason: "the reference keeps tokens with count >= min_freq, so count 1 is dropped",
			corpus: [][]string{{"b", "a", "c", "b"}, {"c", "b", "d"}, {"a"}},
			// counts: b 3, a 2, c 2, d 1
			minFreq: 2,
			want:    []string{"<pad>", "<unk>", "b", "a", "c"},
		},
		{
			name:    "min_freq_0_keeps_all",
			reason:  "every token has count >= 0, as in Python",
			corpus:  [][]string{{"x", "y"}},
			minFreq: 0,
			want:    []string{"<pad>", "<unk>", "x", "y"},
		},
		{
			name:    "min_freq_above_all",
			reason:  "no token is frequent enough: only the special tokens remain",
			corpus:  [][]string{{"x", "y", "x"}},
			minFreq: 3,
			want:    []string{"<pad>", "<unk>"},
		},
		{
			name:   "max_size_counts_specials",
			reason: "maxSize 4 leaves room for the two most frequent words",
			corpus: [][]string{{"b", "a", "c", "b"}, {"c", "b", "d"}, {"a"}},
			// counts: b 3, a 2, c 2, d 1
			minFreq: 1, maxSize: 4,
			want: []string{"<pad>", "<unk>", "b", "a"},
		},
		{
			name:    "max_size_2",
			reason:  "maxSize 2 holds only the special tokens",
			corpus:  [][]string{{"a"}},
			minFreq: 1, maxSize: 2,
			want: []string{"<pad>", "<unk>"},
		},
		{
			name:    "max_size_above_size",
			reason:  "a cap above the vocabulary size changes nothing",
			corpus:  [][]string{{"a"}},
			minFreq: 1, maxSize: 100,
			want: []string{"<pad>", "<unk>", "a"},
		},
		{
			name:   "code_point_order",
			reason: "ties sort like Python's sorted(): by code point, not UTF-16 units or locale",
			corpus: [][]string{{"😀", "ｚ", "é", "z", "Z", "a", "ÿ", "Ā"}},
			// python3 -c "print(sorted(['😀','ｚ','é','z','Z','a','ÿ','Ā']))" (3.11.2)
			minFreq: 1,
			want:    []string{"<pad>", "<unk>", "Z", "a", "z", "é", "ÿ", "Ā", "ｚ", "😀"},
		},
		{
			name:    "empty_corpus",
			reason:  "no texts: only the special tokens",
			corpus:  nil,
			minFreq: 2,
			want:    []string{"<pad>", "<unk>"},
		},
		{
			name:    "empty_texts",
			reason:  "texts without tokens add nothing",
			corpus:  [][]string{{}, nil, {"a"}},
			minFreq: 1,
			want:    []string{"<pad>", "<unk>", "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := tokenize.BuildVocab(tt.corpus, tt.minFreq, tt.maxSize)
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.want, vocabTokens(v), tt.reason)
			assert.Equal(t, 0, v.PadID(), "id 0 is padding")
			assert.Equal(t, 1, v.UnkID(), "BuildVocab puts <unk> at id 1")
		})
	}
}

func TestBuildVocab_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		reason           string
		corpus           [][]string
		minFreq, maxSize int
		badVocab         bool   // error wraps ErrBadVocab
		msg              string // the error names the problem
	}{
		{name: "negative_min_freq", reason: "a frequency cannot be negative",
			corpus: [][]string{{"a"}}, minFreq: -1, msg: "minimum frequency -1"},
		{name: "negative_max_size", reason: "a size cannot be negative",
			corpus: [][]string{{"a"}}, maxSize: -1, msg: "maximum size -1"},
		{name: "max_size_1", reason: "a cap of 1 cannot hold both special tokens",
			corpus: [][]string{{"a"}}, maxSize: 1, msg: "maximum size 1"},
		{name: "empty_token", reason: "an empty token cannot be produced by Tokenize nor stored",
			corpus: [][]string{{"a"}, {"b", ""}}, badVocab: true, msg: "text 1, token 1: empty token"},
		{name: "whitespace_token", reason: "Tokenize splits on whitespace, so the token is unreachable",
			corpus: [][]string{{"a b"}}, badVocab: true, msg: `"a b" contains whitespace`},
		{name: "python_space_token", reason: "U+001F is whitespace to Python's str.split()",
			corpus: [][]string{{"a\x1fb"}}, badVocab: true, msg: "contains whitespace"},
		{name: "invalid_utf8", reason: "JSON cannot hold invalid UTF-8, so WriteTo could not round-trip it",
			corpus: [][]string{{"a\xffb"}}, badVocab: true, msg: "not valid UTF-8"},
		{name: "pad_token", reason: "<pad> is reserved for id 0",
			corpus: [][]string{{"<pad>"}}, badVocab: true, msg: `"<pad>" is a special token`},
		{name: "unk_token", reason: "<unk> is reserved for id 1",
			corpus: [][]string{{"<unk>"}}, badVocab: true, msg: `"<unk>" is a special token`},
		{name: "bad_token_below_min_freq", reason: "every token is checked, not only those kept",
			corpus: [][]string{{"a", "a", ""}}, minFreq: 2, badVocab: true, msg: "empty token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := tokenize.BuildVocab(tt.corpus, tt.minFreq, tt.maxSize)
			require.Error(t, err, tt.reason)
			assert.Nil(t, v)
			assert.Equal(t, tt.badVocab, errors.Is(err, tokenize.ErrBadVocab), tt.reason)
			assert.Contains(t, err.Error(), tt.msg, tt.reason)
			assert.True(t, strings.HasPrefix(err.Error(), "tokenize: "), "errors carry the package prefix")
		})
	}
}

func TestVocab_Tokenize(t *testing.T) {
	t.Parallel()
	// ids: <pad> 0, <unk> 1, the 2, cat 3, sat 4 (counts 3, 2, 1; see the corpus)
	v, err := tokenize.BuildVocab([][]string{{"the", "cat", "sat"}, {"the", "cat"}, {"the"}}, 1, 0)
	require.NoError(t, err)
	require.Equal(t, []string{"<pad>", "<unk>", "the", "cat", "sat"}, vocabTokens(v))

	tests := []struct {
		name   string
		reason string
		text   string
		ids    []int
	}{
		{name: "known_words", reason: "each word maps to its id", text: "the cat sat", ids: []int{2, 3, 4}},
		{name: "unknown_word", reason: "unknown words map to <unk>, not to an error", text: "the dog", ids: []int{2, 1}},
		{name: "empty", reason: "the reference encodes an empty text as [<unk>]", text: "", ids: []int{1}},
		{name: "whitespace_only", reason: "no words is the same as empty", text: " \t\n\u00a0\u3000", ids: []int{1}},
		{name: "runs_of_space", reason: "any run of whitespace separates two words", text: "\tthe \n\r cat  ", ids: []int{2, 3}},
		{name: "python_separators", reason: "U+001C..U+001F split words in Python's str.split()", text: "the\x1ccat\x1dsat\x1ethe\x1fcat", ids: []int{2, 3, 4, 2, 3}},
		{name: "unicode_spaces", reason: "U+0085, U+00A0, U+2028, U+3000 are whitespace to str.split()", text: "the\u0085cat\u00a0sat\u2028the\u3000cat", ids: []int{2, 3, 4, 2, 3}},
		{name: "zero_width_not_space", reason: "U+200B and U+FEFF are not whitespace to str.split()", text: "the\u200bcat\ufeffsat", ids: []int{1}},
		{name: "no_cleaning", reason: "Tokenize does not lowercase or strip punctuation", text: "The cat.", ids: []int{1, 1}},
		{name: "pad_word", reason: "the padding token never comes from text", text: "<pad> cat", ids: []int{1, 3}},
		{name: "unk_word", reason: "the word <unk> is the unknown token", text: "<unk>", ids: []int{1}},
		{name: "invalid_utf8", reason: "invalid bytes stay inside a word, which is unknown", text: "the \xff\xfe cat\xff", ids: []int{2, 1, 1}},
		{name: "long_text", reason: "Tokenize does not truncate", text: strings.Repeat("cat ", 1000), ids: repeatInt(3, 1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := v.Tokenize(tt.text)
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.ids, e.IDs, tt.reason)
			assert.Equal(t, make([]int, len(tt.ids)), e.TypeIDs, "TypeIDs are all 0")
			assert.Equal(t, repeatInt(1, len(tt.ids)), e.Mask, "Mask is all 1")
			want := make([]string, len(tt.ids))
			for i, id := range tt.ids {
				want[i] = v.Token(id)
			}
			assert.Equal(t, want, e.Tokens, "Tokens are the vocabulary tokens of IDs")
		})
	}
}

func TestVocab_Tokenize_slicesIndependent(t *testing.T) {
	t.Parallel()
	v, err := tokenize.BuildVocab([][]string{{"a", "b"}}, 1, 0)
	require.NoError(t, err)
	e, err := v.Tokenize("a b")
	require.NoError(t, err)
	// An append to one slice must not overwrite the next one.
	e.IDs = append(e.IDs, 99)
	e.TypeIDs = append(e.TypeIDs, 99)
	assert.Equal(t, []int{0, 0}, e.TypeIDs[:2])
	assert.Equal(t, []int{1, 1}, e.Mask)
}

func TestVocab_nil(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]*tokenize.Vocab{"nil": nil, "zero": {}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Tokenize("a")
			require.Error(t, err, "a vocabulary without tokens cannot tokenize")
			_, err = v.WriteTo(io.Discard)
			require.Error(t, err, "nor be written")
			assert.Equal(t, 0, v.VocabSize())
			assert.Equal(t, 0, v.UnkID())
			assert.Empty(t, v.Token(0))
			_, ok := v.ID("a")
			assert.False(t, ok)
		})
	}
}

func TestVocab_IDToken(t *testing.T) {
	t.Parallel()
	v, err := tokenize.BuildVocab([][]string{{"a", "b", "a"}}, 1, 0)
	require.NoError(t, err)
	require.Equal(t, 4, v.VocabSize(), "<pad> <unk> a b")
	for id := range v.VocabSize() {
		got, ok := v.ID(v.Token(id))
		assert.True(t, ok)
		assert.Equal(t, id, got, "ID inverts Token")
	}
	id, ok := v.ID("zzz")
	assert.False(t, ok)
	assert.Equal(t, v.UnkID(), id, "an unknown token gives the unk id")
	id, ok = v.ID("<pad>")
	assert.True(t, ok, "ID is an exact lookup, special tokens included")
	assert.Equal(t, 0, id)
	assert.Empty(t, v.Token(-1))
	assert.Empty(t, v.Token(v.VocabSize()))
}

func TestReadVocab(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		input  string
		unk    int
		tokens []string
	}{
		{
			name:   "written_format",
			reason: "the format WriteTo writes",
			input:  `{"format_version": 1, "pad": "<pad>", "unk": "<unk>", "tokens": ["<pad>", "<unk>", "a"]}`,
			unk:    1, tokens: []string{"<pad>", "<unk>", "a"},
		},
		{
			name:   "other_names_and_unk_position",
			reason: "special names come from the file, and unk may be at any id but 0",
			input:  `{"format_version":1,"pad":"[PAD]","unk":"[UNK]","tokens":["[PAD]","a","b","[UNK]"]}`,
			unk:    3, tokens: []string{"[PAD]", "a", "b", "[UNK]"},
		},
		{
			name:   "non_ascii",
			reason: "JSON escapes and UTF-8 decode to the same tokens",
			input:  `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>","caf\u00e9","😀"]}`,
			unk:    1, tokens: []string{"<pad>", "<unk>", "café", "😀"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := tokenize.ReadVocab(strings.NewReader(tt.input))
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.tokens, vocabTokens(v), tt.reason)
			assert.Equal(t, tt.unk, v.UnkID(), tt.reason)
			assert.Equal(t, 0, v.PadID())
		})
	}
}

func TestReadVocab_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		input  string
		msg    string // the error names the problem
	}{
		{name: "empty_input", reason: "nothing to read", input: "", msg: "malformed JSON"},
		{name: "not_json", reason: "a vocab.txt is not this format", input: "<pad>\n<unk>\n", msg: "malformed JSON"},
		{name: "truncated", reason: "a cut-off file", input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>",`, msg: "malformed JSON"},
		{name: "trailing_data", reason: "two objects are not one vocabulary",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>"]} {}`, msg: "malformed JSON"},
		{name: "array", reason: "the top level is an object", input: `["<pad>","<unk>"]`, msg: "malformed JSON"},
		{name: "null", reason: "null has no version", input: `null`, msg: "missing format_version"},
		{name: "no_version", reason: "unversioned files are rejected", input: `{"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>"]}`, msg: "missing format_version"},
		{name: "unknown_version", reason: "a newer format is not guessed at",
			input: `{"format_version":2,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>"],"extra":1}`, msg: "unknown format_version 2"},
		{name: "version_0", reason: "0 is not a version", input: `{"format_version":0,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>"]}`, msg: "unknown format_version 0"},
		{name: "version_string", reason: "the version is a number", input: `{"format_version":"1","tokens":["<pad>"]}`, msg: "malformed JSON"},
		{name: "unknown_field", reason: "a typo in version 1 is an error, not ignored",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokenz":["<pad>","<unk>"]}`, msg: "unknown field"},
		{name: "wrong_type", reason: "tokens is a list of strings", input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":[1,2]}`, msg: "malformed JSON"},
		{name: "empty_tokens", reason: "a vocabulary needs tokens", input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":[]}`, msg: "empty token list"},
		{name: "missing_tokens", reason: "a vocabulary needs tokens", input: `{"format_version":1,"pad":"<pad>","unk":"<unk>"}`, msg: "empty token list"},
		{name: "missing_pad", reason: "the pad name is required", input: `{"format_version":1,"unk":"<unk>","tokens":["<pad>","<unk>"]}`, msg: "missing pad"},
		{name: "missing_unk_name", reason: "the unk name is required", input: `{"format_version":1,"pad":"<pad>","tokens":["<pad>","<unk>"]}`, msg: "missing unk token name"},
		{name: "pad_not_at_0", reason: "id 0 is padding in every vocabulary",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<unk>","<pad>"]}`, msg: `id 0 is "<unk>", want the pad token "<pad>"`},
		{name: "unk_not_in_tokens", reason: "unknown words need an id",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","a"]}`, msg: `missing unk token "<unk>"`},
		{name: "unk_is_pad", reason: "unknown words must not look like padding",
			input: `{"format_version":1,"pad":"<pad>","unk":"<pad>","tokens":["<pad>","a"]}`, msg: "at id 0, the padding id"},
		{name: "duplicate", reason: "two ids for one token",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>","a","b","a"]}`, msg: `duplicate token "a" at ids 2 and 4`},
		{name: "invalid_utf8_duplicate", reason: "JSON decoding turns invalid bytes into U+FFFD, so these collide",
			input: "{\"format_version\":1,\"pad\":\"<pad>\",\"unk\":\"<unk>\",\"tokens\":[\"<pad>\",\"<unk>\",\"\xff\",\"\xfe\"]}", msg: "duplicate token"},
		{name: "empty_string_token", reason: "an empty token cannot come from text",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>",""]}`, msg: "id 2: empty token"},
		{name: "null_token", reason: "null decodes to an empty token",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>",null]}`, msg: "id 2: empty token"},
		{name: "whitespace_token", reason: "Tokenize could never produce it",
			input: `{"format_version":1,"pad":"<pad>","unk":"<unk>","tokens":["<pad>","<unk>","a b"]}`, msg: `id 2: token "a b" contains whitespace`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := tokenize.ReadVocab(strings.NewReader(tt.input))
			require.ErrorIs(t, err, tokenize.ErrBadVocab, tt.reason)
			assert.Nil(t, v)
			assert.Contains(t, err.Error(), tt.msg, tt.reason)
		})
	}
}

func TestReadVocab_readError(t *testing.T) {
	t.Parallel()
	_, err := tokenize.ReadVocab(io.MultiReader(strings.NewReader(`{"format`), iotest.ErrReader(errRead)))
	require.ErrorIs(t, err, errRead, "the reader's error stays matchable")
	assert.NotErrorIs(t, err, tokenize.ErrBadVocab, "a failed read is not a bad vocabulary")
}

var errRead = errors.New("read failed")

func TestVocab_WriteTo(t *testing.T) {
	t.Parallel()
	v, err := tokenize.BuildVocab([][]string{{"café", "a", "<b>", "a"}, {"it's", "😀"}}, 1, 0)
	require.NoError(t, err)

	var buf bytes.Buffer
	n, err := v.WriteTo(&buf)
	require.NoError(t, err)
	assert.Equal(t, int64(buf.Len()), n, "WriteTo returns the bytes written")
	assert.True(t, strings.HasSuffix(buf.String(), "\n"))
	assert.Contains(t, buf.String(), `"<b>"`, "no HTML escaping of < and >")
	assert.Contains(t, buf.String(), `"format_version": 1`)

	got, err := tokenize.ReadVocab(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, vocabTokens(v), vocabTokens(got), "round trip")
	assert.Equal(t, v.UnkID(), got.UnkID())

	var again bytes.Buffer
	_, err = got.WriteTo(&again)
	require.NoError(t, err)
	assert.Equal(t, buf.String(), again.String(), "written bytes are stable")
}

func TestVocab_WriteTo_writerErrors(t *testing.T) {
	t.Parallel()
	v, err := tokenize.BuildVocab([][]string{{"a", "b"}}, 1, 0)
	require.NoError(t, err)
	var full bytes.Buffer
	size, err := v.WriteTo(&full)
	require.NoError(t, err)

	tests := []struct {
		name    string
		reason  string
		w       *limitWriter
		wantErr error
	}{
		{name: "failing_writer", reason: "the writer's error is returned wrapped",
			w: &limitWriter{limit: 5, err: errWrite}, wantErr: errWrite},
		{name: "short_write", reason: "a short write without an error is io.ErrShortWrite",
			w: &limitWriter{limit: 5}, wantErr: io.ErrShortWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := v.WriteTo(tt.w)
			require.ErrorIs(t, err, tt.wantErr, tt.reason)
			assert.Equal(t, int64(5), n, "n counts the bytes the writer accepted")
			assert.Less(t, n, size)
		})
	}
}

var errWrite = errors.New("write failed")

// limitWriter accepts limit bytes, then stops with err (which may be nil).
type limitWriter struct {
	limit int
	err   error
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if len(p) <= w.limit {
		w.limit -= len(p)
		return len(p), nil
	}
	n := w.limit
	w.limit = 0
	return n, w.err
}

// TestVocab_concurrent runs Tokenize, ID, Token and WriteTo from several
// goroutines; with -race it checks that a built Vocab is safe to share.
func TestVocab_concurrent(t *testing.T) {
	t.Parallel()
	enc := readEncodeFixture(t)
	texts := fixtureTexts(enc)
	v := readDavidsonVocab(t)
	want := make([][]int, len(texts))
	for i, text := range texts {
		e, err := v.Tokenize(text)
		require.NoError(t, err)
		want[i] = e.IDs
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for g := range errs {
		wg.Go(func() {
			for i, text := range texts {
				e, err := v.Tokenize(text)
				if err == nil && !slices.Equal(want[i], e.IDs) {
					err = errors.New("different ids for text " + enc.Rows[i].Source)
				}
				if err != nil {
					errs[g] = err
					return
				}
				v.ID(v.Token(e.IDs[0]))
			}
			_, errs[g] = v.WriteTo(io.Discard)
		})
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
}

func FuzzVocab_Tokenize(f *testing.F) {
	enc := readEncodeFixture(f)
	for _, text := range fixtureTexts(enc) {
		f.Add(text)
	}
	for _, s := range []string{"", " ", "\t\n\r\v\f", "\x1c\x1d\x1e\x1f", "\u00a0\u1680\u2028\u3000",
		"<pad>", "<unk>", "<pad> <unk> a", "\xff", "a\xffb \xfe", "\xe2\x80", "😀 ✨ café", strings.Repeat("a ", 500)} {
		f.Add(s)
	}
	v, err := tokenize.BuildVocab(valCorpus(f, enc), 1, 0)
	require.NoError(f, err)

	f.Fuzz(func(t *testing.T, text string) {
		e, err := v.Tokenize(text)
		require.NoError(t, err)
		n := e.Len()
		require.GreaterOrEqual(t, n, 1, "an empty text gives [<unk>]")
		require.Len(t, e.TypeIDs, n)
		require.Len(t, e.Mask, n)
		require.Len(t, e.Tokens, n)
		for i, id := range e.IDs {
			require.Greater(t, id, 0, "ids in [1, VocabSize): 0 is only padding")
			require.Less(t, id, v.VocabSize())
			require.Equal(t, 0, e.TypeIDs[i])
			require.Equal(t, 1, e.Mask[i])
			require.Equal(t, v.Token(id), e.Tokens[i])
			require.True(t, utf8.ValidString(e.Tokens[i]), "tokens come from the vocabulary")
		}
		// Surrounding whitespace does not change the encoding.
		e2, err := v.Tokenize(" \t" + text + "\n\x1f")
		require.NoError(t, err)
		require.Equal(t, e.IDs, e2.IDs)
	})
}

func BenchmarkVocab_Tokenize(b *testing.B) {
	enc := readEncodeFixture(b)
	all := fixtureTexts(enc)
	v := readDavidsonVocab(b)
	for _, size := range []int{1, 32} {
		texts := all[:size]
		b.Run(benchName(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, text := range texts {
					if _, err := v.Tokenize(text); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "tweets/s")
		})
	}
}

func repeatInt(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
