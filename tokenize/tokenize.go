package tokenize

import (
	"errors"
	"fmt"

	"github.com/hatetweet/hatetweet"
)

// ErrBadVocab is returned by loaders when a vocabulary file is malformed:
// empty, with duplicate tokens, without a padding token at id 0, or without
// the special tokens the tokenizer needs. [BuildVocab] also returns it for
// tokens that cannot be in a vocabulary. Errors wrap it with a message that
// names the problem; test with errors.Is.
var ErrBadVocab = errors.New("tokenize: bad vocabulary")

// Encoding is one tokenized text. IDs, TypeIDs and Mask have equal lengths;
// Tokens holds the token strings for IDs (it may be nil for encodings that do
// not keep them). Mask is 1 for real tokens and 0 for padding; TypeIDs are
// the segment ids of BERT sentence pairs (all 0 for a single text).
type Encoding struct {
	Tokens  []string
	IDs     []int
	TypeIDs []int
	Mask    []int
}

// Len returns the number of tokens in e.
func (e Encoding) Len() int { return len(e.IDs) }

// Tokenizer turns a text into token ids.
//
// Implementations map unknown words to their unknown token rather than
// failing, keep id 0 for padding, and return Encodings whose IDs, TypeIDs and
// Mask have equal lengths. Both implementations in this package ([WordPiece]
// and [Vocab]) are safe for concurrent use once built.
type Tokenizer interface {
	Tokenize(text string) (Encoding, error)
}

// Batch is a padded, row-major batch of encodings: row i occupies
// [i*SeqLen, (i+1)*SeqLen) of IDs, TypeIDs and Mask, each of length
// Size*SeqLen. Padding positions have id 0, type id 0 and mask 0.
type Batch struct {
	Size, SeqLen int
	IDs, TypeIDs []int
	Mask         []int
}

// Lengths returns the number of real (unmasked) tokens in each row of b.
func (b Batch) Lengths() []int {
	out := make([]int, b.Size)
	for i := range out {
		for _, m := range b.Mask[i*b.SeqLen : (i+1)*b.SeqLen] {
			out[i] += m
		}
	}
	return out
}

// Truncater is implemented by tokenizers that know how to shorten an
// encoding to a maximum length while keeping their special tokens (for
// example BERT's [CLS] and [SEP]). [EncodeBatch] uses it when present and
// otherwise keeps the first seqLen tokens.
type Truncater interface {
	Truncate(e Encoding, maxLen int) Encoding
}

// EncodeBatch tokenizes texts with t and pads them to seqLen tokens. Longer
// encodings are truncated to seqLen (through [Truncater] when t implements
// it, so special tokens are kept); shorter ones are padded on the right with
// id 0. A seqLen below 1, or a nil tokenizer, is an error, and so is an
// error from t (returned wrapped, with the index of the text). An Encoding
// whose IDs, TypeIDs and Mask differ in length, before or after truncation,
// gives an error wrapping [hatetweet.ErrLengthMismatch]. An empty texts slice
// gives an empty Batch with the given SeqLen.
func EncodeBatch(t Tokenizer, texts []string, seqLen int) (Batch, error) {
	if t == nil {
		return Batch{}, errors.New("tokenize: nil tokenizer")
	}
	if seqLen < 1 {
		return Batch{}, fmt.Errorf("tokenize: sequence length %d, want at least 1", seqLen)
	}
	b := Batch{
		Size:    len(texts),
		SeqLen:  seqLen,
		IDs:     make([]int, len(texts)*seqLen),
		TypeIDs: make([]int, len(texts)*seqLen),
		Mask:    make([]int, len(texts)*seqLen),
	}
	tr, _ := t.(Truncater)
	for i, text := range texts {
		e, err := t.Tokenize(text)
		if err != nil {
			return Batch{}, fmt.Errorf("tokenize: text %d: %w", i, err)
		}
		if err := checkLengths(e); err != nil {
			return Batch{}, fmt.Errorf("tokenize: text %d: %w", i, err)
		}
		if e.Len() > seqLen {
			if tr != nil {
				e = tr.Truncate(e, seqLen)
				if err := checkLengths(e); err != nil {
					return Batch{}, fmt.Errorf("tokenize: text %d: truncated: %w", i, err)
				}
			}
			if e.Len() > seqLen {
				e = Encoding{IDs: e.IDs[:seqLen], TypeIDs: e.TypeIDs[:seqLen], Mask: e.Mask[:seqLen]}
			}
		}
		off := i * seqLen
		copy(b.IDs[off:], e.IDs)
		copy(b.TypeIDs[off:], e.TypeIDs)
		copy(b.Mask[off:], e.Mask)
	}
	return b, nil
}

// checkLengths returns an error wrapping [hatetweet.ErrLengthMismatch] unless
// e's IDs, TypeIDs and Mask have equal lengths.
func checkLengths(e Encoding) error {
	if len(e.TypeIDs) != e.Len() || len(e.Mask) != e.Len() {
		return fmt.Errorf("%w: %d ids, %d type ids, %d mask values",
			hatetweet.ErrLengthMismatch, e.Len(), len(e.TypeIDs), len(e.Mask))
	}
	return nil
}
