package tokenize

import (
	"errors"
	"fmt"

	"github.com/sugarme/tokenizer"
)

// DefaultMaxLen is the maximum length, in tokens including [CLS] and [SEP],
// of the encodings a [WordPiece] returns when neither [WithMaxLen] nor the
// tokenizer files set one: the 512 positions of BERT-base.
const DefaultMaxLen = 512

// maxWordRunes is BERT's max_input_chars_per_word: a longer word is one
// unknown token.
const maxWordRunes = 100

// WordPiece is BERT's WordPiece tokenizer. It reproduces Hugging Face's
// BertTokenizer (BasicTokenizer followed by WordpieceTokenizer) id for id:
//
//   - it drops NUL, U+FFFD, invalid UTF-8 and every character of Unicode
//     category C (control, format, private use, unassigned) except tab,
//     newline and carriage return, which become spaces like category Zs;
//   - it puts spaces around CJK ideographs, NFC-normalises the text and
//     splits it on whitespace;
//   - when lower-casing, it lower-cases each word as Python's str.lower
//     does, NFD-normalises it and drops nonspacing marks (Mn), so
//     "Café naïve" gives "cafe naive" (a tokenizer_config.json or
//     tokenizer.json may turn accent stripping off, as in Hugging Face);
//   - it splits punctuation (ASCII 33–47, 58–64, 91–96, 123–126 and
//     Unicode P*) into single-character words;
//   - it splits each word greedily into the longest vocabulary pieces,
//     continuations prefixed with "##"; a word longer than 100 characters,
//     or with any piece not in the vocabulary, is one unknown token.
//
// Encodings are [CLS] A [SEP], or [CLS] A [SEP] B [SEP] for pairs, with
// type ids 0 for the first segment and 1 for the second, a mask of all 1s,
// and at most [WordPiece.MaxLen] tokens. Special tokens written in the text
// ("[SEP]") are ordinary text, as with Hugging Face's
// split_special_tokens=True, so user text cannot inject them.
//
// Build a WordPiece with [NewWordPiece] or [NewDefaultWordPiece]; the zero
// value is not usable. A WordPiece is immutable and safe for concurrent use
// by multiple goroutines.
type WordPiece struct {
	basic  bertBasic
	model  wordPieceModel
	vocab  map[string]int
	tokens []string // token of each id
	maxLen int

	cls, sep, pad, unk int
	clsTok, sepTok     string
	lowerCase          bool
}

// wordPieceModel is the subword step, sugarme/tokenizer's WordPiece model
// (greedy longest-match-first with a continuation prefix). Tests replace it
// to prove that a panic inside it becomes an error.
type wordPieceModel interface {
	Tokenize(word string) ([]tokenizer.Token, error)
}

// Option configures [NewWordPiece] and [NewDefaultWordPiece].
type Option func(*options)

type options struct {
	lowerCase *bool
	maxLen    int
}

// WithLowerCase overrides lower-casing (Hugging Face's do_lower_case), which
// otherwise comes from tokenizer_config.json or tokenizer.json and defaults
// to true. Accent stripping follows it unless the tokenizer files set
// strip_accents explicitly. Use false only with a cased vocabulary.
func WithLowerCase(lower bool) Option {
	return func(o *options) { o.lowerCase = &lower }
}

// WithMaxLen sets the maximum length of an encoding in tokens, [CLS] and
// [SEP] included; longer texts are truncated (see [WordPiece.Truncate]).
// Without it the length comes from model_max_length in
// tokenizer_config.json, truncation.max_length in tokenizer.json, or
// [DefaultMaxLen]. The constructors reject n below 2.
func WithMaxLen(n int) Option {
	return func(o *options) { o.maxLen = n }
}

// Tokenize returns the encoding [CLS] pieces... [SEP] of text, truncated to
// [WordPiece.MaxLen] tokens by dropping pieces from the end. Any text,
// including empty and invalid UTF-8, gives an encoding; an empty text gives
// [CLS] [SEP]. Words the vocabulary cannot spell become the unknown token,
// not errors. The only errors are a WordPiece not built by [NewWordPiece]
// or [NewDefaultWordPiece] and internal failures of the subword model (a
// recovered panic), never the content of the text.
func (w *WordPiece) Tokenize(text string) (Encoding, error) {
	if w == nil || w.model == nil {
		return Encoding{}, errNoWordPiece
	}
	ids, toks, err := w.pieces(text, w.maxLen-2, nil, nil)
	if err != nil {
		return Encoding{}, err
	}
	return w.assemble(ids, toks, len(ids), 0, false), nil
}

// TokenizePair returns the encoding [CLS] A [SEP] B [SEP] of the texts a
// and b, with type id 0 for [CLS] A [SEP] and 1 for B [SEP]. When it is
// longer than [WordPiece.MaxLen] it is truncated longest-first, as Hugging
// Face's truncation=True: pieces are dropped from the end of the longer
// segment, from B when they are equally long. With a MaxLen of 2 the result
// is [CLS] [SEP]. Errors are as for [WordPiece.Tokenize].
func (w *WordPiece) TokenizePair(a, b string) (Encoding, error) {
	if w == nil || w.model == nil {
		return Encoding{}, errNoWordPiece
	}
	budget := max(w.maxLen-3, 0)
	ids, toks, err := w.pieces(a, budget, nil, nil)
	if err != nil {
		return Encoding{}, err
	}
	la := len(ids)
	ids, toks, err = w.pieces(b, budget, ids, toks)
	if err != nil {
		return Encoding{}, err
	}
	if w.maxLen < 3 {
		return w.assemble(nil, nil, 0, 0, false), nil
	}
	na, nb := longestFirst(la, len(ids)-la, budget)
	ids = append(ids[:na], ids[la:la+nb]...)
	toks = append(toks[:na], toks[la:la+nb]...)
	return w.assemble(ids, toks, na, nb, true), nil
}

// pieces appends to ids and toks the WordPiece tokens of text, stopping
// after limit tokens. A panic in the subword model becomes an error.
func (w *WordPiece) pieces(text string, limit int, ids []int, toks []string) (_ []int, _ []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("tokenize: wordpiece: internal panic: %v", r)
		}
	}()
	n := 0
	if limit <= 0 {
		return ids, toks, nil
	}
	w.basic.words(text, func(word string) bool {
		ps, perr := w.model.Tokenize(word)
		if perr != nil {
			err = fmt.Errorf("tokenize: wordpiece: %w", perr)
			return false
		}
		for _, p := range ps {
			id, ok := w.vocab[p.Value]
			if !ok || id != p.Id {
				err = fmt.Errorf("tokenize: wordpiece: model returned piece %q with id %d, not in the vocabulary", p.Value, p.Id)
				return false
			}
			ids = append(ids, id)
			toks = append(toks, p.Value)
			if n++; n == limit {
				return false
			}
		}
		return true
	})
	return ids, toks, err
}

// assemble builds [CLS] ids[:na] [SEP], followed by ids[na:na+nb] [SEP]
// with type id 1 for a pair.
func (w *WordPiece) assemble(ids []int, toks []string, na, nb int, pair bool) Encoding {
	n := na + 2
	if pair {
		n += nb + 1
	}
	e := Encoding{
		Tokens:  make([]string, 0, n),
		IDs:     make([]int, 0, n),
		TypeIDs: make([]int, n),
		Mask:    make([]int, n),
	}
	e.IDs = append(e.IDs, w.cls)
	e.Tokens = append(e.Tokens, w.clsTok)
	e.IDs = append(append(e.IDs, ids[:na]...), w.sep)
	e.Tokens = append(append(e.Tokens, toks[:na]...), w.sepTok)
	if pair {
		e.IDs = append(append(e.IDs, ids[na:na+nb]...), w.sep)
		e.Tokens = append(append(e.Tokens, toks[na:na+nb]...), w.sepTok)
		for i := na + 2; i < n; i++ {
			e.TypeIDs[i] = 1
		}
	}
	for i := range e.Mask {
		e.Mask[i] = 1
	}
	return e
}

// longestFirst returns the segment lengths after Hugging Face's
// longest-first truncation of segments of la and lb tokens to budget
// tokens in all: one token at a time from the end of the longer segment,
// from the second when they are equally long.
func longestFirst(la, lb, budget int) (int, int) {
	if la+lb <= budget {
		return la, lb
	}
	if la > lb {
		la -= min(la-lb, la+lb-budget)
	} else {
		lb -= min(lb-la, la+lb-budget)
	}
	if excess := la + lb - budget; excess > 0 { // la == lb here
		lb -= (excess + 1) / 2
		la -= excess / 2
	}
	return la, lb
}

// Truncate shortens e to at most maxLen tokens and implements [Truncater]
// for [EncodeBatch]. An encoding made by this WordPiece keeps its [CLS] and
// [SEP] tokens: a single text keeps [CLS], its first maxLen-2 pieces and
// [SEP]; a pair (type ids 1 after the first [SEP]) is cut longest-first as
// in [WordPiece.TokenizePair]. Any other encoding, or a maxLen too small to
// hold the special tokens (below 2, or 3 for a pair), keeps its first
// maxLen tokens. A maxLen below 1 gives an empty encoding. Tokens is cut in
// step when it is as long as IDs and is nil otherwise. e is not modified;
// when it is no longer than maxLen it is returned as is.
func (w *WordPiece) Truncate(e Encoding, maxLen int) Encoding {
	n := e.Len()
	if n <= maxLen {
		return e
	}
	if w == nil || len(e.TypeIDs) != n || len(e.Mask) != n {
		return wpCutEncoding(e, maxLen) // malformed: let the caller see the lengths
	}
	if n < 2 || e.IDs[0] != w.cls || e.IDs[n-1] != w.sep || maxLen < 2 {
		return wpCutEncoding(e, maxLen)
	}
	second := -1 // index of the first token of segment B
	for i, t := range e.TypeIDs {
		if t != 0 {
			second = i
			break
		}
	}
	keep := make([]int, 0, maxLen) // indices into e
	switch {
	case second < 0:
		keep = wpAppendRange(keep, 0, maxLen-1)
		keep = append(keep, n-1)
	case second >= 2 && e.IDs[second-1] == w.sep && maxLen >= 3:
		la, lb := second-2, n-1-second
		na, nb := longestFirst(la, lb, maxLen-3)
		keep = wpAppendRange(keep, 0, 1+na)
		keep = append(keep, second-1)
		keep = wpAppendRange(keep, second, second+nb)
		keep = append(keep, n-1)
	default:
		return wpCutEncoding(e, maxLen)
	}
	return wpPickEncoding(e, keep)
}

// wpAppendRange appends lo, lo+1, ..., hi-1 to xs.
func wpAppendRange(xs []int, lo, hi int) []int {
	for i := lo; i < hi; i++ {
		xs = append(xs, i)
	}
	return xs
}

// wpCutEncoding returns a copy of the first max(n, 0) positions of e; each
// slice is cut only when it is long enough.
func wpCutEncoding(e Encoding, n int) Encoding {
	n = max(n, 0)
	cut := func(xs []int) []int {
		out := make([]int, min(len(xs), n))
		copy(out, xs)
		return out
	}
	out := Encoding{IDs: cut(e.IDs), TypeIDs: cut(e.TypeIDs), Mask: cut(e.Mask)}
	if len(e.Tokens) == e.Len() {
		out.Tokens = make([]string, len(out.IDs))
		copy(out.Tokens, e.Tokens)
	}
	return out
}

// wpPickEncoding returns a new encoding of the positions keep of e.
func wpPickEncoding(e Encoding, keep []int) Encoding {
	out := Encoding{
		IDs:     make([]int, len(keep)),
		TypeIDs: make([]int, len(keep)),
		Mask:    make([]int, len(keep)),
	}
	withTokens := len(e.Tokens) == e.Len()
	if withTokens {
		out.Tokens = make([]string, len(keep))
	}
	for i, k := range keep {
		out.IDs[i], out.TypeIDs[i], out.Mask[i] = e.IDs[k], e.TypeIDs[k], e.Mask[k]
		if withTokens {
			out.Tokens[i] = e.Tokens[k]
		}
	}
	return out
}

// VocabSize returns the number of tokens in the vocabulary; ids are in
// [0, VocabSize).
func (w *WordPiece) VocabSize() int { return len(w.vocab) }

// ID returns the id of token and whether the vocabulary has it. Tokens
// are matched exactly, without normalisation; continuation pieces carry
// their "##" prefix.
func (w *WordPiece) ID(token string) (int, bool) {
	id, ok := w.vocab[token]
	return id, ok
}

// Token returns the token of id, or "" when id is outside [0, VocabSize).
func (w *WordPiece) Token(id int) string {
	if id < 0 || id >= len(w.tokens) {
		return ""
	}
	return w.tokens[id]
}

// CLSID returns the id of the classification token, [CLS] unless the
// tokenizer files name another, which starts every encoding.
func (w *WordPiece) CLSID() int { return w.cls }

// SEPID returns the id of the separator token, [SEP] unless the tokenizer
// files name another, which ends every segment.
func (w *WordPiece) SEPID() int { return w.sep }

// PadID returns the id of the padding token, [PAD] unless the tokenizer
// files name another. It is always 0: the loaders reject vocabularies with
// padding elsewhere.
func (w *WordPiece) PadID() int { return w.pad }

// UnkID returns the id of the unknown token, [UNK] unless the tokenizer
// files name another, which replaces every word that the vocabulary cannot
// spell.
func (w *WordPiece) UnkID() int { return w.unk }

// DoLowerCase reports whether w lower-cases text (Hugging Face's
// do_lower_case).
func (w *WordPiece) DoLowerCase() bool { return w.lowerCase }

// MaxLen returns the maximum length of the encodings w returns, in tokens,
// [CLS] and [SEP] included.
func (w *WordPiece) MaxLen() int { return w.maxLen }

// errNoWordPiece is returned by methods called on a nil or zero WordPiece.
var errNoWordPiece = errors.New("tokenize: WordPiece not built by NewWordPiece or NewDefaultWordPiece")
