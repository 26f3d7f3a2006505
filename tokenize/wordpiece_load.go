package tokenize

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sugarme/tokenizer/model"
	"github.com/sugarme/tokenizer/model/wordpiece"
)

// bertSettings is what the loaders read besides the vocabulary: the
// settings of Hugging Face's tokenizer_config.json or tokenizer.json.
type bertSettings struct {
	lowerCase    bool
	stripAccents *bool // nil follows lowerCase
	chinese      bool
	clean        bool
	unk, cls     string
	sep, pad     string
	prefix       string // continuation prefix of pieces, "##"
	maxWordRunes int
	maxLen       int // 0: not set
}

// defaultBertSettings returns BertTokenizer's defaults: uncased, with
// [UNK], [CLS], [SEP] and [PAD].
func defaultBertSettings() bertSettings {
	return bertSettings{
		lowerCase: true, chinese: true, clean: true,
		unk: "[UNK]", cls: "[CLS]", sep: "[SEP]", pad: "[PAD]",
		prefix: "##", maxWordRunes: maxWordRunes,
	}
}

// NewWordPiece reads a BERT WordPiece tokenizer from path, which is one of:
//
//   - a vocab.txt file (one token per line, id = line number - 1), with
//     the settings of a tokenizer_config.json in the same directory when
//     there is one (do_lower_case, strip_accents, tokenize_chinese_chars,
//     the special tokens, model_max_length) and BertTokenizer's defaults
//     (uncased) otherwise;
//   - a Hugging Face tokenizer.json (any file name ending in .json) with a
//     WordPiece model, BertNormalizer and BertPreTokenizer;
//   - a directory holding either; vocab.txt wins when it has both, as it
//     does for Hugging Face's BertTokenizer.
//
// Special-token ids come from the vocabulary. The padding token ([PAD]) must
// have id 0, and the unknown, [CLS] and [SEP] tokens must be present. An
// empty vocabulary, a duplicate token, invalid UTF-8 or a missing special
// token gives an error wrapping [ErrBadVocab] that names the file and line;
// a tokenizer.json whose model or normaliser this package does not
// implement gives an error wrapping [errors.ErrUnsupported]; a missing file
// wraps [fs.ErrNotExist]. A vocab.txt line ending in "\r\n" is read without
// the "\r". Options are applied after the files: [WithLowerCase] overrides
// do_lower_case and [WithMaxLen] (at least 2) the maximum length, whose
// default is [DefaultMaxLen].
func NewWordPiece(path string, opts ...Option) (*WordPiece, error) {
	o, err := wordPieceOptions(opts)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err)
	}
	if fi.IsDir() {
		vocab := filepath.Join(path, "vocab.txt")
		ok, err := wpFileExists(vocab)
		if err != nil {
			return nil, err
		}
		if ok {
			return loadVocabTxt(vocab, o)
		}
		tj := filepath.Join(path, "tokenizer.json")
		if ok, err = wpFileExists(tj); err != nil {
			return nil, err
		}
		if ok {
			return loadTokenizerJSON(tj, o)
		}
		return nil, fmt.Errorf("tokenize: %s has no vocab.txt or tokenizer.json: %w", path, fs.ErrNotExist)
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return loadTokenizerJSON(path, o)
	}
	return loadVocabTxt(path, o)
}

// NewDefaultWordPiece returns the WordPiece tokenizer of bert-base-uncased,
// whose 30,522-token vocabulary is embedded in the package (taken from
// github.com/sugarme/tokenizer v0.3.0, Apache-2.0; see tokenize/vocab):
// lower-casing, accent stripping, [PAD]=0, [UNK]=100, [CLS]=101,
// [SEP]=102, and [DefaultMaxLen] tokens unless [WithMaxLen] says otherwise.
// It errors only for invalid options.
func NewDefaultWordPiece(opts ...Option) (*WordPiece, error) {
	o, err := wordPieceOptions(opts)
	if err != nil {
		return nil, err
	}
	toks, err := readVocabTxt(strings.NewReader(bertBaseUncasedVocab), bertBaseUncasedName)
	if err != nil {
		return nil, err
	}
	return buildWordPiece(toks, defaultBertSettings(), o, bertBaseUncasedName)
}

// wordPieceOptions applies and validates opts.
func wordPieceOptions(opts []Option) (options, error) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.maxLen != 0 && o.maxLen < 2 {
		return o, fmt.Errorf("tokenize: max length %d, want at least 2 (for [CLS] and [SEP])", o.maxLen)
	}
	return o, nil
}

// wpFileExists reports whether path exists; errors other than not existing
// are returned.
func wpFileExists(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("tokenize: %w", err)
}

// loadVocabTxt reads a vocab.txt and the tokenizer_config.json beside it.
func loadVocabTxt(path string, o options) (_ *WordPiece, err error) {
	set := defaultBertSettings()
	cfg := filepath.Join(filepath.Dir(path), "tokenizer_config.json")
	ok, err := wpFileExists(cfg)
	if err != nil {
		return nil, err
	}
	if ok {
		if set, err = readTokenizerConfig(cfg, set); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	toks, err := readVocabTxt(f, path)
	if err != nil {
		return nil, err
	}
	return buildWordPiece(toks, set, o, path)
}

// readVocabTxt reads one token per line from r. name names r in errors.
func readVocabTxt(r io.Reader, name string) ([]string, error) {
	br := bufio.NewReader(r)
	var toks []string
	lineOf := make(map[string]int)
	for line := 1; ; line++ {
		s, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("tokenize: read %s: %w", name, err)
		}
		if s == "" && err == io.EOF {
			break
		}
		s = strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("%w: %s line %d: invalid UTF-8", ErrBadVocab, name, line)
		}
		if first, dup := lineOf[s]; dup {
			return nil, fmt.Errorf("%w: %s line %d: duplicate token %q (also on line %d)", ErrBadVocab, name, line, s, first)
		}
		lineOf[s] = line
		toks = append(toks, s)
		if err == io.EOF {
			break
		}
	}
	return toks, nil
}

// hfTokenName is a special token in tokenizer_config.json: a string, or an
// AddedToken object with the string in "content".
type hfTokenName string

// UnmarshalJSON implements json.Unmarshaler.
func (t *hfTokenName) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = hfTokenName(s)
		return nil
	}
	var obj struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*t = hfTokenName(obj.Content)
	return nil
}

// hfTokenizerConfig holds the fields of tokenizer_config.json that
// BertTokenizer reads.
type hfTokenizerConfig struct {
	DoLowerCase          *bool        `json:"do_lower_case"`
	StripAccents         *bool        `json:"strip_accents"`
	TokenizeChineseChars *bool        `json:"tokenize_chinese_chars"`
	DoBasicTokenize      *bool        `json:"do_basic_tokenize"`
	UnkToken             hfTokenName  `json:"unk_token"`
	ClsToken             hfTokenName  `json:"cls_token"`
	SepToken             hfTokenName  `json:"sep_token"`
	PadToken             hfTokenName  `json:"pad_token"`
	ModelMaxLength       *json.Number `json:"model_max_length"`
}

// readTokenizerConfig applies the tokenizer_config.json at path to set.
func readTokenizerConfig(path string, set bertSettings) (bertSettings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return set, fmt.Errorf("tokenize: %w", err)
	}
	var c hfTokenizerConfig
	if err := json.Unmarshal(data, &c); err != nil {
		return set, fmt.Errorf("%w: %s: %w", ErrBadVocab, path, err)
	}
	if c.DoBasicTokenize != nil && !*c.DoBasicTokenize {
		return set, fmt.Errorf("tokenize: %s: do_basic_tokenize false: %w", path, errors.ErrUnsupported)
	}
	if c.DoLowerCase != nil {
		set.lowerCase = *c.DoLowerCase
	}
	set.stripAccents = c.StripAccents
	if c.TokenizeChineseChars != nil {
		set.chinese = *c.TokenizeChineseChars
	}
	for _, p := range []struct {
		dst *string
		src hfTokenName
	}{{&set.unk, c.UnkToken}, {&set.cls, c.ClsToken}, {&set.sep, c.SepToken}, {&set.pad, c.PadToken}} {
		if p.src != "" {
			*p.dst = string(p.src)
		}
	}
	if c.ModelMaxLength != nil {
		set.maxLen = wpSaneMaxLen(c.ModelMaxLength.String())
	}
	return set, nil
}

// wpSaneMaxLen parses a maximum length; values that are not integers in
// [2, 1<<20] (such as Hugging Face's 1e30 for "no limit") give 0, not set.
func wpSaneMaxLen(s string) int {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 2 || n > 1<<20 {
		return 0
	}
	return int(n)
}

// hfTokenizerJSON holds the fields of a Hugging Face tokenizer.json that a
// BERT WordPiece tokenizer uses.
type hfTokenizerJSON struct {
	Normalizer *struct {
		Type               string `json:"type"`
		CleanText          *bool  `json:"clean_text"`
		HandleChineseChars *bool  `json:"handle_chinese_chars"`
		StripAccents       *bool  `json:"strip_accents"`
		Lowercase          *bool  `json:"lowercase"`
	} `json:"normalizer"`
	PreTokenizer *struct {
		Type string `json:"type"`
	} `json:"pre_tokenizer"`
	PostProcessor *struct {
		Type   string            `json:"type"`
		Sep    []json.RawMessage `json:"sep"`
		Cls    []json.RawMessage `json:"cls"`
		Single []struct {
			SpecialToken *struct {
				ID string `json:"id"`
			} `json:"SpecialToken"`
			Sequence *struct {
				ID string `json:"id"`
			} `json:"Sequence"`
		} `json:"single"`
	} `json:"post_processor"`
	Padding *struct {
		PadToken string `json:"pad_token"`
	} `json:"padding"`
	Truncation *struct {
		MaxLength json.Number `json:"max_length"`
	} `json:"truncation"`
	Model struct {
		Type                    string         `json:"type"`
		UnkToken                string         `json:"unk_token"`
		ContinuingSubwordPrefix *string        `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    *int           `json:"max_input_chars_per_word"`
		Vocab                   map[string]int `json:"vocab"`
	} `json:"model"`
}

// loadTokenizerJSON reads a Hugging Face tokenizer.json.
func loadTokenizerJSON(path string, o options) (*WordPiece, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err)
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, fmt.Errorf("%w: %s line %d: invalid UTF-8", ErrBadVocab, path, 1+bytes.Count(data[:i], []byte("\n")))
	}
	var tj hfTokenizerJSON
	if err := json.Unmarshal(data, &tj); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadVocab, path, err)
	}
	set := defaultBertSettings()
	if err := tj.apply(&set, path); err != nil {
		return nil, err
	}
	toks := make([]string, len(tj.Model.Vocab))
	seen := make([]bool, len(toks))
	for tok, id := range tj.Model.Vocab {
		switch {
		case id < 0 || id >= len(toks):
			return nil, fmt.Errorf("%w: %s: token %q has id %d, outside [0, %d)", ErrBadVocab, path, tok, id, len(toks))
		case seen[id]:
			return nil, fmt.Errorf("%w: %s: id %d is used by %q and %q", ErrBadVocab, path, id, toks[id], tok)
		}
		toks[id], seen[id] = tok, true
	}
	return buildWordPiece(toks, set, o, path)
}

// apply copies the settings of tj to set, and rejects pipelines that
// WordPiece does not implement.
func (tj *hfTokenizerJSON) apply(set *bertSettings, path string) error {
	unsupported := func(what, typ string) error {
		return fmt.Errorf("tokenize: %s: %s %q: %w", path, what, typ, errors.ErrUnsupported)
	}
	if tj.Model.Type != "WordPiece" {
		return unsupported("model", tj.Model.Type)
	}
	n := tj.Normalizer
	if n == nil || n.Type != "BertNormalizer" {
		typ := "null"
		if n != nil {
			typ = n.Type
		}
		return unsupported("normalizer", typ)
	}
	if p := tj.PreTokenizer; p == nil || p.Type != "BertPreTokenizer" {
		typ := "null"
		if p != nil {
			typ = p.Type
		}
		return unsupported("pre_tokenizer", typ)
	}
	setBool := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	setBool(&set.clean, n.CleanText)
	setBool(&set.chinese, n.HandleChineseChars)
	setBool(&set.lowerCase, n.Lowercase)
	set.stripAccents = n.StripAccents
	if tj.Model.UnkToken != "" {
		set.unk = tj.Model.UnkToken
	}
	if p := tj.Model.ContinuingSubwordPrefix; p != nil {
		set.prefix = *p
	}
	if m := tj.Model.MaxInputCharsPerWord; m != nil {
		set.maxWordRunes = *m
	}
	if pp := tj.PostProcessor; pp != nil {
		switch pp.Type {
		case "BertProcessing":
			if len(pp.Cls) != 2 || len(pp.Sep) != 2 ||
				json.Unmarshal(pp.Cls[0], &set.cls) != nil || json.Unmarshal(pp.Sep[0], &set.sep) != nil {
				return fmt.Errorf("%w: %s: post_processor: want cls and sep as [token, id]", ErrBadVocab, path)
			}
		case "TemplateProcessing":
			s := pp.Single
			if len(s) != 3 || s[0].SpecialToken == nil || s[1].Sequence == nil || s[2].SpecialToken == nil {
				return unsupported("post_processor single template of type", pp.Type)
			}
			set.cls, set.sep = s[0].SpecialToken.ID, s[2].SpecialToken.ID
		default:
			return unsupported("post_processor", pp.Type)
		}
	}
	if p := tj.Padding; p != nil && p.PadToken != "" {
		set.pad = p.PadToken
	}
	if t := tj.Truncation; t != nil {
		set.maxLen = wpSaneMaxLen(t.MaxLength.String())
	}
	return nil
}

// buildWordPiece checks toks (token of each id) against set, applies o, and
// builds the tokenizer. name names the vocabulary in errors.
func buildWordPiece(toks []string, set bertSettings, o options, name string) (*WordPiece, error) {
	if len(toks) == 0 {
		return nil, fmt.Errorf("%w: %s: empty", ErrBadVocab, name)
	}
	if toks[0] != set.pad {
		return nil, fmt.Errorf("%w: %s: id 0 is %q, want the padding token %q", ErrBadVocab, name, toks[0], set.pad)
	}
	vocab := make(model.Vocab, len(toks))
	for id, tok := range toks {
		if _, dup := vocab[tok]; dup {
			return nil, fmt.Errorf("%w: %s: duplicate token %q", ErrBadVocab, name, tok)
		}
		vocab[tok] = id
	}
	var missing []string
	for _, tok := range []string{set.unk, set.cls, set.sep} {
		if _, ok := vocab[tok]; !ok {
			missing = append(missing, tok)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s: no special token %q", ErrBadVocab, name, missing)
	}
	if set.maxWordRunes < 1 {
		return nil, fmt.Errorf("%w: %s: max_input_chars_per_word %d, want at least 1", ErrBadVocab, name, set.maxWordRunes)
	}
	if o.lowerCase != nil {
		set.lowerCase = *o.lowerCase
	}
	strip := set.lowerCase
	if set.stripAccents != nil {
		strip = *set.stripAccents
	}
	maxLen := DefaultMaxLen
	if set.maxLen != 0 {
		maxLen = set.maxLen
	}
	if o.maxLen != 0 {
		maxLen = o.maxLen
	}
	m := wordpiece.NewWordPieceBuilder().
		Vocab(&vocab).
		UnkToken(set.unk).
		ContinuingSubwordPrefix(set.prefix).
		MaxInputCharsPerWord(set.maxWordRunes).
		Build()
	return &WordPiece{
		basic:     bertBasic{clean: set.clean, chinese: set.chinese, lower: set.lowerCase, strip: strip},
		model:     m,
		vocab:     vocab,
		tokens:    toks,
		maxLen:    maxLen,
		cls:       vocab[set.cls],
		sep:       vocab[set.sep],
		pad:       0,
		unk:       vocab[set.unk],
		clsTok:    set.cls,
		sepTok:    set.sep,
		lowerCase: set.lowerCase,
	}, nil
}
