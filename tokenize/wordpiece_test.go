package tokenize_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet/tokenize"
)

// The ids below are line numbers - 1 of tokenize/vocab/bert-base-uncased-
// vocab.txt, the vocab.txt of Hugging Face's bert-base-uncased.
const (
	wpPadID  = 0
	wpUnkID  = 100
	wpClsID  = 101
	wpSepID  = 102
	wpVocabN = 30522 // lines of the file
)

// wpTinyVocab is a small vocabulary for loader tests, as a tiny BERT
// checkpoint would ship: [PAD] first, then the other special tokens.
var wpTinyVocab = []string{
	"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
	"the", "cat", "##s", "sat", "on", "mat", ".", "un", "##believ", "##able", "é",
}

func TestNewDefaultWordPiece(t *testing.T) {
	t.Parallel()
	w, err := tokenize.NewDefaultWordPiece()
	require.NoError(t, err)
	assert.Equal(t, wpVocabN, w.VocabSize())
	assert.Equal(t, wpPadID, w.PadID())
	assert.Equal(t, wpUnkID, w.UnkID())
	assert.Equal(t, wpClsID, w.CLSID())
	assert.Equal(t, wpSepID, w.SEPID())
	assert.True(t, w.DoLowerCase())
	assert.Equal(t, tokenize.DefaultMaxLen, w.MaxLen())
	for _, tok := range []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"} {
		id, ok := w.ID(tok)
		assert.True(t, ok, tok)
		assert.Equal(t, tok, strings.Split(string(bertBaseUncasedVocab(t)), "\n")[id], "id of %s", tok)
	}
	_, ok := w.ID("Café")
	assert.False(t, ok, "ID does not normalise")

	w, err = tokenize.NewDefaultWordPiece(tokenize.WithLowerCase(false), tokenize.WithMaxLen(64))
	require.NoError(t, err)
	assert.False(t, w.DoLowerCase())
	assert.Equal(t, 64, w.MaxLen())
}

func TestNewWordPiece(t *testing.T) {
	t.Parallel()
	vocab := strings.Join(wpTinyVocab, "\n") + "\n"
	tests := []struct {
		name, reason string
		files        map[string]string // relative path -> content
		path         string            // relative to the temp dir
		opts         []tokenize.Option
		text         string
		wantTokens   []string // between [CLS] and [SEP]
		wantLower    bool
		wantMaxLen   int
	}{
		{
			name: "vocab_txt", reason: "a vocab.txt alone is uncased BertTokenizer",
			files: map[string]string{"vocab.txt": vocab}, path: "vocab.txt",
			text: "The CATS sat on the mat.", wantTokens: []string{"the", "cat", "##s", "sat", "on", "the", "mat", "."},
			wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "directory", reason: "a directory holding vocab.txt loads it",
			files: map[string]string{"vocab.txt": vocab}, path: ".",
			text: "Unbelievable cats", wantTokens: []string{"un", "##believ", "##able", "cat", "##s"},
			wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "any_file_name", reason: "a vocabulary need not be called vocab.txt",
			files: map[string]string{"my-vocab.txt": vocab}, path: "my-vocab.txt",
			text: "dog", wantTokens: []string{"[UNK]"}, wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "crlf_vocab", reason: "a vocab.txt with CRLF line ends reads as with LF",
			files: map[string]string{"vocab.txt": strings.Join(wpTinyVocab, "\r\n")}, path: "vocab.txt",
			text: "the cat", wantTokens: []string{"the", "cat"}, wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "config_cased", reason: "do_lower_case false in tokenizer_config.json keeps case",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"do_lower_case": false}`},
			path:  "vocab.txt", text: "The cat", wantTokens: []string{"[UNK]", "cat"}, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "config_overridden", reason: "WithLowerCase overrides the config",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"do_lower_case": false}`},
			path:  "vocab.txt", opts: []tokenize.Option{tokenize.WithLowerCase(true)},
			text: "The cat", wantTokens: []string{"the", "cat"}, wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "config_keep_accents", reason: "strip_accents false keeps é while lower-casing",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"strip_accents": false}`},
			path:  ".", text: "É", wantTokens: []string{"é"}, wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "config_max_len", reason: "model_max_length sets the maximum length",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"model_max_length": 4}`},
			path:  ".", text: "the cat sat", wantTokens: []string{"the", "cat"}, wantLower: true, wantMaxLen: 4,
		},
		{
			name: "config_max_len_huge", reason: "HF's 1e30 'no limit' leaves the default",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"model_max_length": 1000000000000000019884624838656}`},
			path:  ".", text: "the", wantTokens: []string{"the"}, wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "option_max_len", reason: "WithMaxLen wins over the config",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"model_max_length": 4}`},
			path:  ".", opts: []tokenize.Option{tokenize.WithMaxLen(3)},
			text: "the cat sat", wantTokens: []string{"the"}, wantLower: true, wantMaxLen: 3,
		},
		{
			name: "config_special_tokens", reason: "special tokens named in the config, as strings or AddedToken objects",
			files: map[string]string{
				"vocab.txt": "<pad>\n<unk>\n<s>\n</s>\nthe\n",
				"tokenizer_config.json": `{"pad_token": "<pad>", "unk_token": {"content": "<unk>", "lstrip": false},
					"cls_token": "<s>", "sep_token": "</s>"}`,
			},
			path: ".", text: "the dog", wantTokens: []string{"the", "<unk>"}, wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "tokenizer_json", reason: "a tokenizer.json in a directory without vocab.txt",
			files: map[string]string{"tokenizer.json": wpTokenizerJSON(t, wpTinyVocab, nil)},
			path:  ".", text: "The CATS", wantTokens: []string{"the", "cat", "##s"}, wantLower: true, wantMaxLen: tokenize.DefaultMaxLen,
		},
		{
			name: "tokenizer_json_settings", reason: "normaliser flags, template and truncation of a tokenizer.json",
			files: map[string]string{"bert.json": wpTokenizerJSON(t, wpTinyVocab, func(m map[string]any) {
				m["normalizer"].(map[string]any)["lowercase"] = false
				m["truncation"] = map[string]any{"max_length": 5}
				m["post_processor"] = map[string]any{
					"type": "TemplateProcessing",
					"single": []any{
						map[string]any{"SpecialToken": map[string]any{"id": "[CLS]", "type_id": 0}},
						map[string]any{"Sequence": map[string]any{"id": "A", "type_id": 0}},
						map[string]any{"SpecialToken": map[string]any{"id": "[SEP]", "type_id": 0}},
					},
				}
			})},
			path: "bert.json", text: "The cat sat on", wantTokens: []string{"[UNK]", "cat", "sat"}, wantMaxLen: 5,
		},
		{
			name: "vocab_txt_wins", reason: "with both files, vocab.txt (and its config) is used, as by BertTokenizer",
			files: map[string]string{
				"vocab.txt":             vocab,
				"tokenizer_config.json": `{"do_lower_case": false}`,
				"tokenizer.json":        wpTokenizerJSON(t, wpTinyVocab, nil),
			},
			path: ".", text: "The", wantTokens: []string{"[UNK]"}, wantMaxLen: tokenize.DefaultMaxLen,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tt.files {
				writeWPFile(t, dir, name, content)
			}
			w, err := tokenize.NewWordPiece(filepath.Join(dir, tt.path), tt.opts...)
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.wantLower, w.DoLowerCase(), tt.reason)
			assert.Equal(t, tt.wantMaxLen, w.MaxLen(), tt.reason)
			assert.Equal(t, 0, w.PadID(), tt.reason)
			e, err := w.Tokenize(tt.text)
			require.NoError(t, err)
			want := append(append([]string{w.Token(w.CLSID())}, tt.wantTokens...), w.Token(w.SEPID()))
			assert.Equal(t, want, e.Tokens, tt.reason)
			for i, tok := range e.Tokens {
				id, ok := w.ID(tok)
				require.True(t, ok, tok)
				assert.Equal(t, id, e.IDs[i], "id of %s", tok)
			}
		})
	}
}

// wpTokenizerJSON returns a Hugging Face tokenizer.json for a BERT
// WordPiece tokenizer with the vocabulary toks, changed by edit when it is
// not nil.
func wpTokenizerJSON(tb testing.TB, toks []string, edit func(map[string]any)) string {
	tb.Helper()
	vocab := make(map[string]int, len(toks))
	for i, tok := range toks {
		vocab[tok] = i
	}
	m := map[string]any{
		"version":      "1.0",
		"added_tokens": []any{},
		"normalizer": map[string]any{
			"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
			"strip_accents": nil, "lowercase": true,
		},
		"pre_tokenizer": map[string]any{"type": "BertPreTokenizer"},
		"post_processor": map[string]any{
			"type": "BertProcessing", "sep": []any{"[SEP]", 3}, "cls": []any{"[CLS]", 2},
		},
		"decoder": map[string]any{"type": "WordPiece", "prefix": "##", "cleanup": true},
		"model": map[string]any{
			"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
			"max_input_chars_per_word": 100, "vocab": vocab,
		},
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	require.NoError(tb, err)
	return string(b)
}

// TestNewWordPiece_tokenizerJSONParity checks that bert-base-uncased read
// from a tokenizer.json encodes the parity texts as the embedded vocab.txt.
func TestNewWordPiece_tokenizerJSONParity(t *testing.T) {
	t.Parallel()
	toks := strings.Split(strings.TrimSuffix(string(bertBaseUncasedVocab(t)), "\n"), "\n")
	path := writeWPFile(t, t.TempDir(), "tokenizer.json", wpTokenizerJSON(t, toks, func(m map[string]any) {
		m["post_processor"] = map[string]any{
			"type": "BertProcessing", "sep": []any{"[SEP]", wpSepID}, "cls": []any{"[CLS]", wpClsID},
		}
	}))
	fromJSON, err := tokenize.NewWordPiece(path)
	require.NoError(t, err)
	def, err := tokenize.NewDefaultWordPiece()
	require.NoError(t, err)
	assert.Equal(t, def.VocabSize(), fromJSON.VocabSize())
	for _, c := range readWPParity(t) {
		want, err := def.Tokenize(c.input(t))
		require.NoError(t, err)
		got, err := fromJSON.Tokenize(c.input(t))
		require.NoError(t, err)
		assert.Equal(t, want, got, c.Name)
	}
}

func TestNewWordPiece_errors(t *testing.T) {
	t.Parallel()
	vocab := strings.Join(wpTinyVocab, "\n") + "\n"
	tests := []struct {
		name, reason string
		files        map[string]string
		path         string
		opts         []tokenize.Option
		wantIs       error
		wantMsg      string // substring of the error
	}{
		{
			name: "missing_path", reason: "a path that does not exist",
			path: "nope.txt", wantIs: fs.ErrNotExist, wantMsg: "nope.txt",
		},
		{
			name: "empty_dir", reason: "a directory with neither file",
			files: map[string]string{"README": "x"}, path: ".", wantIs: fs.ErrNotExist, wantMsg: "no vocab.txt or tokenizer.json",
		},
		{
			name: "empty_file", reason: "an empty vocabulary",
			files: map[string]string{"vocab.txt": ""}, path: "vocab.txt", wantIs: tokenize.ErrBadVocab, wantMsg: "empty",
		},
		{
			name: "pad_not_first", reason: "id 0 must be padding",
			files: map[string]string{"vocab.txt": "[UNK]\n[PAD]\n[CLS]\n[SEP]\n"}, path: "vocab.txt",
			wantIs: tokenize.ErrBadVocab, wantMsg: `id 0 is "[UNK]"`,
		},
		{
			name: "no_unk", reason: "the unknown token is required",
			files: map[string]string{"vocab.txt": "[PAD]\n[CLS]\n[SEP]\n"}, path: "vocab.txt",
			wantIs: tokenize.ErrBadVocab, wantMsg: "[UNK]",
		},
		{
			name: "no_cls_sep", reason: "[CLS] and [SEP] are required",
			files: map[string]string{"vocab.txt": "[PAD]\n[UNK]\n"}, path: "vocab.txt",
			wantIs: tokenize.ErrBadVocab, wantMsg: `["[CLS]" "[SEP]"]`,
		},
		{
			name: "duplicate", reason: "a token twice, named with both lines",
			files: map[string]string{"vocab.txt": vocab + "cat\n"}, path: "vocab.txt",
			wantIs: tokenize.ErrBadVocab, wantMsg: `line 17: duplicate token "cat" (also on line 7)`,
		},
		{
			name: "invalid_utf8", reason: "a line that is not UTF-8, named by line",
			files: map[string]string{"vocab.txt": vocab + "ok\n\xff\xfe\n"}, path: "vocab.txt",
			wantIs: tokenize.ErrBadVocab, wantMsg: "line 18: invalid UTF-8",
		},
		{
			name: "config_not_json", reason: "a broken tokenizer_config.json",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": "{"}, path: "vocab.txt",
			wantIs: tokenize.ErrBadVocab, wantMsg: "tokenizer_config.json",
		},
		{
			name: "config_no_basic_tokenize", reason: "do_basic_tokenize false is not implemented",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"do_basic_tokenize": false}`},
			path:  "vocab.txt", wantIs: errors.ErrUnsupported, wantMsg: "do_basic_tokenize",
		},
		{
			name: "config_pad_renamed", reason: "the padding token named by the config must be at id 0",
			files: map[string]string{"vocab.txt": vocab, "tokenizer_config.json": `{"pad_token": "<pad>"}`},
			path:  "vocab.txt", wantIs: tokenize.ErrBadVocab, wantMsg: `want the padding token "<pad>"`,
		},
		{
			name: "json_broken", reason: "a tokenizer.json that is not JSON",
			files: map[string]string{"tokenizer.json": `{"model": `}, path: "tokenizer.json",
			wantIs: tokenize.ErrBadVocab, wantMsg: "tokenizer.json",
		},
		{
			name: "json_invalid_utf8", reason: "invalid UTF-8 in a tokenizer.json, named by line",
			files: map[string]string{"tokenizer.json": "{\n\"x\": \"\xff\"}"}, path: "tokenizer.json",
			wantIs: tokenize.ErrBadVocab, wantMsg: "line 2: invalid UTF-8",
		},
		{
			name: "json_bpe", reason: "only WordPiece models",
			files: map[string]string{"tokenizer.json": wpTokenizerJSON(t, wpTinyVocab, func(m map[string]any) {
				m["model"].(map[string]any)["type"] = "BPE"
			})}, path: "tokenizer.json", wantIs: errors.ErrUnsupported, wantMsg: `model "BPE"`,
		},
		{
			name: "json_sequence_normalizer", reason: "only BertNormalizer",
			files: map[string]string{"tokenizer.json": wpTokenizerJSON(t, wpTinyVocab, func(m map[string]any) {
				m["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{}}
			})}, path: "tokenizer.json", wantIs: errors.ErrUnsupported, wantMsg: `normalizer "Sequence"`,
		},
		{
			name: "json_whitespace_pretokenizer", reason: "only BertPreTokenizer",
			files: map[string]string{"tokenizer.json": wpTokenizerJSON(t, wpTinyVocab, func(m map[string]any) {
				m["pre_tokenizer"] = map[string]any{"type": "Whitespace"}
			})}, path: "tokenizer.json", wantIs: errors.ErrUnsupported, wantMsg: `pre_tokenizer "Whitespace"`,
		},
		{
			name: "json_id_gap", reason: "ids must be 0..n-1",
			files: map[string]string{"tokenizer.json": wpTokenizerJSON(t, wpTinyVocab, func(m map[string]any) {
				m["model"].(map[string]any)["vocab"].(map[string]int)["gap"] = 99
			})}, path: "tokenizer.json", wantIs: tokenize.ErrBadVocab, wantMsg: `"gap" has id 99`,
		},
		{
			name: "json_id_twice", reason: "two tokens with one id",
			files: map[string]string{"tokenizer.json": wpTokenizerJSON(t, []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]"}, func(m map[string]any) {
				m["model"].(map[string]any)["vocab"].(map[string]int)["[SEP]"] = 2
				m["model"].(map[string]any)["vocab"].(map[string]int)["x"] = 4
			})}, path: "tokenizer.json", wantIs: tokenize.ErrBadVocab, wantMsg: "id 2 is used by",
		},
		{
			name: "max_len_too_small", reason: "room for [CLS] and [SEP] at least",
			files: map[string]string{"vocab.txt": vocab}, path: "vocab.txt",
			opts: []tokenize.Option{tokenize.WithMaxLen(1)}, wantMsg: "max length 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tt.files {
				writeWPFile(t, dir, name, content)
			}
			w, err := tokenize.NewWordPiece(filepath.Join(dir, tt.path), tt.opts...)
			require.Error(t, err, tt.reason)
			assert.Nil(t, w)
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs, tt.reason)
			}
			assert.Contains(t, err.Error(), tt.wantMsg, tt.reason)
			assert.True(t, strings.HasPrefix(err.Error(), "tokenize: "), "package prefix: %v", err)
		})
	}
}

func TestNewDefaultWordPiece_badOption(t *testing.T) {
	t.Parallel()
	_, err := tokenize.NewDefaultWordPiece(tokenize.WithMaxLen(-3))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "max length -3")
}

func TestWordPiece_Tokenize(t *testing.T) {
	t.Parallel()
	w, err := tokenize.NewDefaultWordPiece(tokenize.WithMaxLen(8))
	require.NoError(t, err)
	tests := []struct {
		name, reason, text string
		want               []string
	}{
		// Expected tokens: HF BertTokenizer on bert-base-uncased, as quoted
		// in the issue that this tokenizer implements.
		{"accents", "lower-case, NFD, drop Mn", "Café naïve résumé", []string{"[CLS]", "cafe", "naive", "resume", "[SEP]"}},
		{"zero_width", "Cf characters vanish", "\u200bzero\u200dwidth", []string{"[CLS]", "zero", "##wi", "##dt", "##h", "[SEP]"}},
		{"empty", "an empty text is [CLS] [SEP]", "", []string{"[CLS]", "[SEP]"}},
		{"invalid_utf8", "invalid bytes are dropped", "\xff\xfe", []string{"[CLS]", "[SEP]"}},
		{"special_as_text", "[SEP] in the text is not the separator", "[SEP]", []string{"[CLS]", "[", "sep", "]", "[SEP]"}},
		{"truncated", "8 tokens: [CLS], six pieces, [SEP]", "a b c d e f g h", []string{"[CLS]", "a", "b", "c", "d", "e", "f", "[SEP]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := w.Tokenize(tt.text)
			require.NoError(t, err)
			assert.Equal(t, tt.want, e.Tokens, tt.reason)
			assert.Len(t, e.IDs, len(tt.want))
			assert.Equal(t, make([]int, len(tt.want)), e.TypeIDs, "single texts have type id 0")
			assert.Equal(t, wpOnes(len(tt.want)), e.Mask)
		})
	}
}

func TestWordPiece_TokenizePair(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		maxLen       int
		a, b         string
		want         []string
		wantTypes    []int
	}{
		{
			name: "fits", reason: "[CLS] A [SEP] B [SEP], B with type 1", maxLen: 512,
			a: "hello world", b: "good bye",
			want:      []string{"[CLS]", "hello", "world", "[SEP]", "good", "bye", "[SEP]"},
			wantTypes: []int{0, 0, 0, 0, 1, 1, 1},
		},
		{
			name: "longest_first", reason: "the longer segment loses tokens first", maxLen: 7,
			a: "a b c d e", b: "x",
			want:      []string{"[CLS]", "a", "b", "c", "[SEP]", "x", "[SEP]"},
			wantTypes: []int{0, 0, 0, 0, 0, 1, 1},
		},
		{
			name: "equal_lengths", reason: "equal segments: B loses the odd token", maxLen: 8,
			a: "a b c d", b: "w x y z",
			want:      []string{"[CLS]", "a", "b", "c", "[SEP]", "w", "x", "[SEP]"},
			wantTypes: []int{0, 0, 0, 0, 0, 1, 1, 1},
		},
		{
			name: "max_len_2", reason: "no room for a pair: [CLS] [SEP]", maxLen: 2,
			a: "a", b: "b", want: []string{"[CLS]", "[SEP]"}, wantTypes: []int{0, 0},
		},
		{
			name: "empty_second", reason: "an empty B still ends with [SEP] of type 1", maxLen: 512,
			a: "a", b: "", want: []string{"[CLS]", "a", "[SEP]", "[SEP]"}, wantTypes: []int{0, 0, 0, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := tokenize.NewDefaultWordPiece(tokenize.WithMaxLen(tt.maxLen))
			require.NoError(t, err)
			e, err := w.TokenizePair(tt.a, tt.b)
			require.NoError(t, err)
			assert.Equal(t, tt.want, e.Tokens, tt.reason)
			assert.Equal(t, tt.wantTypes, e.TypeIDs, tt.reason)
			assert.Equal(t, wpOnes(len(tt.want)), e.Mask)
		})
	}
}

func TestWordPiece_Truncate(t *testing.T) {
	t.Parallel()
	w, err := tokenize.NewDefaultWordPiece()
	require.NoError(t, err)
	single, err := w.Tokenize("a b c d e")
	require.NoError(t, err)
	pair, err := w.TokenizePair("a b c d e", "x y")
	require.NoError(t, err)
	pairNoB, err := w.TokenizePair("a b c", "")
	require.NoError(t, err)
	foreign := tokenize.Encoding{IDs: []int{5, 6, 7, 8}, TypeIDs: []int{0, 0, 0, 0}, Mask: []int{1, 1, 1, 1}}
	noTokens := single
	noTokens.Tokens = nil
	tests := []struct {
		name, reason string
		in           tokenize.Encoding
		maxLen       int
		want         []string // tokens; nil when wantIDs is used
		wantIDs      []int
		wantTypes    []int
	}{
		{name: "longer_max", reason: "nothing to cut", in: single, maxLen: 50,
			want: []string{"[CLS]", "a", "b", "c", "d", "e", "[SEP]"}, wantTypes: []int{0, 0, 0, 0, 0, 0, 0}},
		{name: "single", reason: "keep [CLS], the first pieces, [SEP]", in: single, maxLen: 4,
			want: []string{"[CLS]", "a", "b", "[SEP]"}, wantTypes: []int{0, 0, 0, 0}},
		{name: "single_2", reason: "[CLS] [SEP] only", in: single, maxLen: 2,
			want: []string{"[CLS]", "[SEP]"}, wantTypes: []int{0, 0}},
		{name: "single_1", reason: "too short for both specials: first tokens", in: single, maxLen: 1,
			want: []string{"[CLS]"}, wantTypes: []int{0}},
		{name: "zero", reason: "maxLen 0 is empty", in: single, maxLen: 0,
			want: []string{}, wantTypes: []int{}},
		{name: "pair", reason: "longest first: A shrinks to B's length", in: pair, maxLen: 7,
			want: []string{"[CLS]", "a", "b", "[SEP]", "x", "y", "[SEP]"}, wantTypes: []int{0, 0, 0, 0, 1, 1, 1}},
		{name: "pair_odd", reason: "then B loses first", in: pair, maxLen: 6,
			want: []string{"[CLS]", "a", "b", "[SEP]", "x", "[SEP]"}, wantTypes: []int{0, 0, 0, 0, 1, 1}},
		{name: "pair_3", reason: "both segments empty", in: pair, maxLen: 3,
			want: []string{"[CLS]", "[SEP]", "[SEP]"}, wantTypes: []int{0, 0, 1}},
		{name: "pair_empty_second", reason: "an empty B keeps its [SEP]", in: pairNoB, maxLen: 4,
			want: []string{"[CLS]", "a", "[SEP]", "[SEP]"}, wantTypes: []int{0, 0, 0, 1}},
		{name: "pair_2", reason: "too short for a pair: first tokens", in: pair, maxLen: 2,
			want: []string{"[CLS]", "a"}, wantTypes: []int{0, 0}},
		{name: "foreign", reason: "no [CLS]...[SEP]: first tokens", in: foreign, maxLen: 2,
			wantIDs: []int{5, 6}, wantTypes: []int{0, 0}},
		{name: "no_tokens", reason: "Tokens nil stays nil", in: noTokens, maxLen: 3,
			wantIDs: []int{wpClsID, single.IDs[1], wpSepID}, wantTypes: []int{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := wpClone(tt.in)
			got := w.Truncate(tt.in, tt.maxLen)
			assert.Equal(t, before, tt.in, "the input is not modified")
			if tt.want != nil {
				assert.Equal(t, tt.want, got.Tokens, tt.reason)
				ids := make([]int, len(tt.want))
				for i, tok := range tt.want {
					ids[i], _ = w.ID(tok)
				}
				assert.Equal(t, ids, got.IDs, tt.reason)
			} else {
				assert.Nil(t, got.Tokens, tt.reason)
				assert.Equal(t, tt.wantIDs, got.IDs, tt.reason)
			}
			assert.Equal(t, tt.wantTypes, got.TypeIDs, tt.reason)
			assert.Equal(t, wpOnes(len(tt.wantTypes)), got.Mask, tt.reason)
			if len(got.IDs) > 0 && len(tt.in.IDs) > tt.maxLen {
				got.IDs[0] = -1
				assert.NotEqual(t, -1, tt.in.IDs[0], "the result does not share memory with the input")
			}
		})
	}
}

// wpClone returns a deep copy of e.
func wpClone(e tokenize.Encoding) tokenize.Encoding {
	c := tokenize.Encoding{
		IDs:     append([]int(nil), e.IDs...),
		TypeIDs: append([]int(nil), e.TypeIDs...),
		Mask:    append([]int(nil), e.Mask...),
	}
	if e.Tokens != nil {
		c.Tokens = append([]string(nil), e.Tokens...)
	}
	return c
}

// TestEncodeBatch_wordPiece checks that EncodeBatch keeps [SEP] when it
// truncates through WordPiece.Truncate, and pads with id 0.
func TestEncodeBatch_wordPiece(t *testing.T) {
	t.Parallel()
	w, err := tokenize.NewDefaultWordPiece()
	require.NoError(t, err)
	b, err := tokenize.EncodeBatch(w, []string{"a b c d e f g", "hi"}, 5)
	require.NoError(t, err)
	a, _ := w.ID("a")
	bID, _ := w.ID("b")
	c, _ := w.ID("c")
	hi, _ := w.ID("hi")
	assert.Equal(t, []int{wpClsID, a, bID, c, wpSepID, wpClsID, hi, wpSepID, wpPadID, wpPadID}, b.IDs)
	assert.Equal(t, []int{1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, b.Mask)
	assert.Equal(t, make([]int, 10), b.TypeIDs)
}

func TestWordPiece_zeroValue(t *testing.T) {
	t.Parallel()
	var zero tokenize.WordPiece
	_, err := zero.Tokenize("x")
	assert.Error(t, err)
	_, err = zero.TokenizePair("x", "y")
	assert.Error(t, err)
	var nilWP *tokenize.WordPiece
	_, err = nilWP.Tokenize("x")
	assert.Error(t, err)
	e := nilWP.Truncate(tokenize.Encoding{IDs: []int{1, 2}, TypeIDs: []int{0, 0}, Mask: []int{1, 1}}, 1)
	assert.Equal(t, []int{1}, e.IDs, "a nil WordPiece cuts like any foreign encoding")
}

// TestWordPiece_concurrent tokenizes the parity texts from many goroutines
// at once (run with -race) and checks that the results match a sequential
// run.
func TestWordPiece_concurrent(t *testing.T) {
	t.Parallel()
	w, err := tokenize.NewDefaultWordPiece()
	require.NoError(t, err)
	cases := readWPParity(t)
	want := make([]tokenize.Encoding, len(cases))
	for i, c := range cases {
		want[i], err = w.Tokenize(c.input(t))
		require.NoError(t, err)
	}
	const workers = 8
	got := make([][]tokenize.Encoding, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			out := make([]tokenize.Encoding, len(cases))
			for k := range cases {
				i := (k + g*len(cases)/workers) % len(cases) // different orders
				e, err := w.Tokenize(cases[i].input(t))
				if err != nil {
					errs[g] = fmt.Errorf("case %d: %w", i, err)
					return
				}
				out[i] = e
			}
			got[g] = out
		})
	}
	wg.Wait()
	for g := range workers {
		require.NoError(t, errs[g])
		assert.Equal(t, want, got[g], "worker %d", g)
	}
}

// FuzzWordPiece_Tokenize checks, for any input, that Tokenize and
// TokenizePair do not fail or panic, that ids are in [0, VocabSize) and
// match the tokens, that lengths agree and stay within MaxLen, and that
// encodings start with [CLS] and end with [SEP]. Seeds: every parity input.
func FuzzWordPiece_Tokenize(f *testing.F) {
	for _, c := range readWPParity(f) {
		f.Add(c.input(f))
		if c.TextPair != nil {
			f.Add(*c.TextPair)
		}
	}
	w, err := tokenize.NewDefaultWordPiece(tokenize.WithMaxLen(48))
	require.NoError(f, err)
	check := func(t *testing.T, e tokenize.Encoding) {
		n := e.Len()
		require.GreaterOrEqual(t, n, 2)
		require.LessOrEqual(t, n, w.MaxLen())
		require.Len(t, e.TypeIDs, n)
		require.Len(t, e.Mask, n)
		require.Len(t, e.Tokens, n)
		assert.Equal(t, w.CLSID(), e.IDs[0])
		assert.Equal(t, w.SEPID(), e.IDs[n-1])
		for i, id := range e.IDs {
			require.True(t, id >= 0 && id < w.VocabSize(), "id %d out of range", id)
			want, ok := w.ID(e.Tokens[i])
			require.True(t, ok, "token %q not in the vocabulary", e.Tokens[i])
			require.Equal(t, want, id, "token %q", e.Tokens[i])
			require.Equal(t, 1, e.Mask[i])
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, err := w.Tokenize(text)
		require.NoError(t, err)
		check(t, e)
		assert.Equal(t, make([]int, e.Len()), e.TypeIDs)
		again, err := w.Tokenize(text)
		require.NoError(t, err)
		assert.Equal(t, e, again, "deterministic")

		half := len(text) / 2
		p, err := w.TokenizePair(text[:half], text[half:])
		require.NoError(t, err)
		check(t, p)
	})
}

// BenchmarkWordPiece_Tokenize tokenizes Davidson tweets from the parity
// fixture, one and 32 per iteration.
func BenchmarkWordPiece_Tokenize(b *testing.B) {
	w, err := tokenize.NewDefaultWordPiece()
	require.NoError(b, err)
	var tweets []string
	for _, c := range readWPParity(b) {
		if strings.HasPrefix(c.Name, "davidson_test_") && c.MaxLen == tokenize.DefaultMaxLen &&
			!strings.HasSuffix(c.Name, "_unescaped") {
			tweets = append(tweets, c.Text)
		}
	}
	require.GreaterOrEqual(b, len(tweets), 32)
	for _, size := range []int{1, 32} {
		texts := tweets[:size]
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			b.ReportAllocs()
			tokens := 0
			for b.Loop() {
				for _, text := range texts {
					e, err := w.Tokenize(text)
					if err != nil {
						b.Fatal(err)
					}
					tokens += e.Len()
				}
			}
			b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "tweets/s")
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
