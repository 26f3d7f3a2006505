package tokenize

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Special tokens of a vocabulary made by [BuildVocab]. [ReadVocab] accepts
// other names, given by the file's "pad" and "unk" fields.
const (
	// VocabPadToken is the padding token; it always has id 0.
	VocabPadToken = "<pad>"
	// VocabUnkToken is the unknown-word token; BuildVocab gives it id 1.
	VocabUnkToken = "<unk>"
)

// vocabFormatVersion is the format_version that [Vocab.WriteTo] writes and
// the only one [ReadVocab] accepts.
const vocabFormatVersion = 1

// Vocab is a word-level vocabulary, the tokenizer of the LSTM pipeline. Id 0
// is the padding token, one id is the unknown-word token (id 1 for a
// vocabulary from [BuildVocab]), and the other ids are words.
//
// A Vocab is made by [BuildVocab] or [ReadVocab] and is immutable afterwards,
// so it is safe for concurrent use by multiple goroutines. The zero Vocab
// holds no tokens: its Tokenize returns an error.
type Vocab struct {
	tokens []string       // id -> token; tokens[0] is the padding token
	ids    map[string]int // token -> id
	unk    int            // id of the unknown-word token
}

// BuildVocab builds the vocabulary of a tokenized corpus, the way the
// reference BiLSTM (shared/anchors/lstm.py, build_vocab) does: it counts every
// token, keeps those seen at least minFreq times, and sorts them by
// descending count, ties broken by ascending token (byte order, which for
// valid UTF-8 is Unicode code-point order, as in Python). Id 0 is
// [VocabPadToken], id 1 is [VocabUnkToken], and the words follow from id 2.
//
// minFreq 0 or 1 keeps every token. maxSize caps the vocabulary size,
// counting the two special tokens, by dropping the least frequent words; 0
// means no cap. A negative minFreq or maxSize, or a maxSize of 1, is an error.
//
// Every token must be a word that [Vocab.Tokenize] can produce and that the
// file format can hold: not empty, valid UTF-8, without whitespace, and not
// one of the special tokens. Otherwise BuildVocab returns an error wrapping
// [ErrBadVocab] that names the text and the position of the token. An empty
// corpus gives a vocabulary of the two special tokens.
func BuildVocab(tokenized [][]string, minFreq, maxSize int) (*Vocab, error) {
	switch {
	case minFreq < 0:
		return nil, fmt.Errorf("tokenize: build vocab: minimum frequency %d, want at least 0", minFreq)
	case maxSize < 0 || maxSize == 1:
		return nil, fmt.Errorf("tokenize: build vocab: maximum size %d, want 0 (no cap) or at least 2", maxSize)
	}
	counts := make(map[string]int)
	for i, toks := range tokenized {
		for j, tok := range toks {
			if _, seen := counts[tok]; !seen {
				if err := checkVocabToken(tok); err != nil {
					return nil, fmt.Errorf("%w: text %d, token %d: %w", ErrBadVocab, i, j, err)
				}
				if tok == VocabPadToken || tok == VocabUnkToken {
					return nil, fmt.Errorf("%w: text %d, token %d: %q is a special token", ErrBadVocab, i, j, tok)
				}
			}
			counts[tok]++
		}
	}
	words := make([]string, 0, len(counts))
	for tok, n := range counts {
		if n >= minFreq {
			words = append(words, tok)
		}
	}
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	if maxSize > 0 && len(words) > maxSize-2 {
		words = words[:maxSize-2]
	}
	tokens := make([]string, 0, len(words)+2)
	tokens = append(tokens, VocabPadToken, VocabUnkToken)
	tokens = append(tokens, words...)
	return newVocab(tokens, VocabUnkToken)
}

// vocabFile is the JSON form of a Vocab, format_version 1.
type vocabFile struct {
	FormatVersion int      `json:"format_version"`
	Pad           string   `json:"pad"`
	Unk           string   `json:"unk"`
	Tokens        []string `json:"tokens"`
}

// ReadVocab reads a vocabulary written by [Vocab.WriteTo]: a JSON object
//
//	{"format_version": 1, "pad": "<pad>", "unk": "<unk>", "tokens": ["<pad>", "<unk>", ...]}
//
// with the tokens in id order. The padding token must be at id 0 and the
// unknown-word token must be in the list (at any id). ReadVocab returns an
// error wrapping [ErrBadVocab], naming the problem, for malformed JSON,
// unknown fields or trailing data, a missing or unknown format_version, an
// empty token list, an empty pad or unk name, a padding token that is not at
// id 0, a missing unknown-word token, and an empty, duplicate or
// whitespace-containing token. Errors from r are returned wrapped, not as
// ErrBadVocab.
func ReadVocab(r io.Reader) (*Vocab, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("tokenize: read vocab: %w", err)
	}
	// Check the version before the strict decode, so a file of a newer
	// format is reported as such rather than as having unknown fields.
	var version struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &version); err != nil {
		return nil, fmt.Errorf("%w: malformed JSON: %w", ErrBadVocab, err)
	}
	switch {
	case version.FormatVersion == nil:
		return nil, fmt.Errorf("%w: missing format_version", ErrBadVocab)
	case *version.FormatVersion != vocabFormatVersion:
		return nil, fmt.Errorf("%w: unknown format_version %d, want %d", ErrBadVocab, *version.FormatVersion, vocabFormatVersion)
	}
	var f vocabFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: malformed JSON: %w", ErrBadVocab, err)
	}
	switch {
	case len(f.Tokens) == 0:
		return nil, fmt.Errorf("%w: empty token list", ErrBadVocab)
	case f.Pad == "":
		return nil, fmt.Errorf("%w: missing pad token name", ErrBadVocab)
	case f.Unk == "":
		return nil, fmt.Errorf("%w: missing unk token name", ErrBadVocab)
	case f.Tokens[0] != f.Pad:
		return nil, fmt.Errorf("%w: id 0 is %q, want the pad token %q", ErrBadVocab, f.Tokens[0], f.Pad)
	}
	return newVocab(f.Tokens, f.Unk)
}

// newVocab checks tokens (id order, padding at id 0) and indexes them. It
// owns tokens from then on.
func newVocab(tokens []string, unk string) (*Vocab, error) {
	v := &Vocab{tokens: tokens, ids: make(map[string]int, len(tokens)), unk: -1}
	for id, tok := range tokens {
		if err := checkVocabToken(tok); err != nil {
			return nil, fmt.Errorf("%w: id %d: %w", ErrBadVocab, id, err)
		}
		if prev, dup := v.ids[tok]; dup {
			return nil, fmt.Errorf("%w: duplicate token %q at ids %d and %d", ErrBadVocab, tok, prev, id)
		}
		v.ids[tok] = id
		if tok == unk {
			v.unk = id
		}
	}
	if v.unk < 0 {
		return nil, fmt.Errorf("%w: missing unk token %q", ErrBadVocab, unk)
	}
	if v.unk == 0 {
		return nil, fmt.Errorf("%w: unk token %q at id 0, the padding id", ErrBadVocab, unk)
	}
	return v, nil
}

// checkVocabToken reports why tok cannot be a vocabulary token.
func checkVocabToken(tok string) error {
	switch {
	case tok == "":
		return errors.New("empty token")
	case !utf8.ValidString(tok):
		return fmt.Errorf("token %q is not valid UTF-8", tok)
	case strings.ContainsFunc(tok, isPySpace):
		return fmt.Errorf("token %q contains whitespace", tok)
	}
	return nil
}

// isPySpace reports whether r separates words: the whitespace of Python's
// str.split(), which is Go's [unicode.IsSpace] plus the information
// separators U+001C..U+001F.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// WriteTo writes v to w as indented JSON in the format [ReadVocab] reads
// (format_version 1), with the tokens in id order, and returns the number of
// bytes written. The output ends with a newline and is the same for equal
// vocabularies. A short write is an error ([io.ErrShortWrite] when w does not
// say why).
func (v *Vocab) WriteTo(w io.Writer) (int64, error) {
	if v == nil || len(v.tokens) == 0 {
		return 0, errors.New("tokenize: write vocab: nil or empty vocabulary")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "<pad>" readable
	enc.SetIndent("", "  ")
	f := vocabFile{FormatVersion: vocabFormatVersion, Pad: v.tokens[0], Unk: v.tokens[v.unk], Tokens: v.tokens}
	if err := enc.Encode(f); err != nil {
		return 0, fmt.Errorf("tokenize: write vocab: %w", err)
	}
	n, err := w.Write(buf.Bytes())
	if err == nil && n < buf.Len() {
		err = io.ErrShortWrite
	}
	if err != nil {
		return int64(n), fmt.Errorf("tokenize: write vocab: %w", err)
	}
	return int64(n), nil
}

// VocabSize returns the number of tokens in v, special tokens included; ids
// are in [0, VocabSize). It is 0 for a nil or zero Vocab.
func (v *Vocab) VocabSize() int {
	if v == nil {
		return 0
	}
	return len(v.tokens)
}

// ID returns the id of token and true, or the unknown-word id and false when
// token is not in v. The lookup is exact: token is not cleaned or split.
func (v *Vocab) ID(token string) (int, bool) {
	if v == nil {
		return 0, false
	}
	id, ok := v.ids[token]
	if !ok {
		return v.unk, false
	}
	return id, true
}

// Token returns the token with the given id, or "" when id is out of range.
func (v *Vocab) Token(id int) string {
	if v == nil || id < 0 || id >= len(v.tokens) {
		return ""
	}
	return v.tokens[id]
}

// PadID returns the id of the padding token. It is 0 in every vocabulary.
func (v *Vocab) PadID() int { return 0 }

// UnkID returns the id of the unknown-word token: 1 for a vocabulary from
// [BuildVocab], and wherever the file puts it for one from [ReadVocab].
func (v *Vocab) UnkID() int {
	if v == nil {
		return 0
	}
	return v.unk
}

// Tokenize splits text on whitespace (the characters Python's str.split()
// splits on) and maps each word to its id, and unknown words to [Vocab.UnkID].
// It does not clean text: pass it the output of a cleaner such as
// textclean.Tweet, as the vocabulary was built from cleaned text. A word
// equal to the padding token also maps to the unknown id, so id 0 never
// appears in an Encoding. Invalid UTF-8 is kept inside words and maps to the
// unknown id.
//
// Like the reference BiLSTM, a text with no words (empty or whitespace only)
// gives one unknown token rather than an empty Encoding. Tokenize does not
// truncate; [EncodeBatch] does. The Encoding's Tokens are the vocabulary
// tokens of its IDs (so unknown words read as the unk token), TypeIDs are
// all 0 and Mask is all 1.
//
// The only error is for a nil or zero Vocab.
func (v *Vocab) Tokenize(text string) (Encoding, error) {
	if v == nil || len(v.tokens) == 0 {
		return Encoding{}, errors.New("tokenize: nil or empty vocabulary")
	}
	n := countPyFields(text)
	if n == 0 {
		return Encoding{Tokens: []string{v.tokens[v.unk]}, IDs: []int{v.unk}, TypeIDs: []int{0}, Mask: []int{1}}, nil
	}
	// One allocation for the three int slices; capacities are capped so an
	// append to one cannot overwrite another.
	ints := make([]int, 3*n)
	e := Encoding{
		Tokens:  make([]string, 0, n),
		IDs:     ints[0:0:n],
		TypeIDs: ints[n : 2*n : 2*n],
		Mask:    ints[2*n : 3*n : 3*n],
	}
	for word := range pyFields(text) {
		id, ok := v.ids[word]
		if !ok || id == 0 {
			id = v.unk
		}
		e.Tokens = append(e.Tokens, v.tokens[id])
		e.IDs = append(e.IDs, id)
	}
	for i := range e.Mask {
		e.Mask[i] = 1
	}
	return e, nil
}

// countPyFields returns the number of words pyFields yields for s.
func countPyFields(s string) int {
	n := 0
	inWord := false
	for _, r := range s {
		sp := isPySpace(r)
		if !sp && !inWord {
			n++
		}
		inWord = !sp
	}
	return n
}

// pyFields yields the maximal runs of non-space runes of s, as substrings of
// s (so invalid UTF-8 bytes stay as they are).
func pyFields(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		start := -1
		for i, r := range s {
			if isPySpace(r) {
				if start >= 0 && !yield(s[start:i]) {
					return
				}
				start = -1
			} else if start < 0 {
				start = i
			}
		}
		if start >= 0 {
			yield(s[start:])
		}
	}
}
