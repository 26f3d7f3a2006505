package tokenize_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/tokenize"
)

// update rewrites the package's golden files (testdata/**/*.golden) instead
// of comparing against them: go test ./tokenize -run TestX -update. It is the
// only -update flag of this test package.
var update = flag.Bool("update", false, "rewrite golden files")

// writeFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so a failed write leaves the old file in place.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.Remove(f.Name()))
		}
	}()
	if _, err := f.Write(data); err != nil {
		return errors.Join(err, f.Close())
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func benchName(size int) string { return fmt.Sprintf("size=%d", size) }

var errTokenize = errors.New("tokenize failed")

// fixedTokenizer returns the Encoding stored for each text, and errTokenize
// for any other text.
type fixedTokenizer map[string]tokenize.Encoding

func (ft fixedTokenizer) Tokenize(text string) (tokenize.Encoding, error) {
	e, ok := ft[text]
	if !ok {
		return tokenize.Encoding{}, fmt.Errorf("%w: %q", errTokenize, text)
	}
	return e, nil
}

// endsTruncater is a fixedTokenizer whose Truncate keeps the last token, the
// way BERT keeps [SEP].
type endsTruncater struct{ fixedTokenizer }

func (endsTruncater) Truncate(e tokenize.Encoding, maxLen int) tokenize.Encoding {
	n := e.Len()
	cut := func(s []int) []int { return append(append([]int(nil), s[:maxLen-1]...), s[n-1]) }
	return tokenize.Encoding{IDs: cut(e.IDs), TypeIDs: cut(e.TypeIDs), Mask: cut(e.Mask)}
}

// lazyTruncater is a Truncater that returns the encoding unchanged.
type lazyTruncater struct{ fixedTokenizer }

func (lazyTruncater) Truncate(e tokenize.Encoding, _ int) tokenize.Encoding { return e }

// brokenTruncater is a Truncater that drops the mask.
type brokenTruncater struct{ fixedTokenizer }

func (brokenTruncater) Truncate(e tokenize.Encoding, maxLen int) tokenize.Encoding {
	return tokenize.Encoding{IDs: e.IDs[:maxLen], TypeIDs: e.TypeIDs[:maxLen]}
}

// plainEncoding builds an Encoding with TypeIDs 0 and Mask 1.
func plainEncoding(ids ...int) tokenize.Encoding {
	return tokenize.Encoding{IDs: ids, TypeIDs: make([]int, len(ids)), Mask: repeatInt(1, len(ids))}
}

// bertLike is one BERT-shaped encoding: [CLS]=101 ... [SEP]=102 with a
// second segment, as WordPiece makes for a pair.
var bertLike = tokenize.Encoding{
	IDs:     []int{101, 5, 6, 102, 7, 8, 102},
	TypeIDs: []int{0, 0, 0, 0, 1, 1, 1},
	Mask:    []int{1, 1, 1, 1, 1, 1, 1},
}

func TestEncodeBatch(t *testing.T) {
	t.Parallel()
	// ids: <pad> 0, <unk> 1, the 2, cat 3, sat 4 (counts 3, 2, 1)
	v, err := tokenize.BuildVocab([][]string{{"the", "cat", "sat"}, {"the", "cat"}, {"the"}}, 1, 0)
	require.NoError(t, err)

	tests := []struct {
		name    string
		reason  string
		tok     tokenize.Tokenizer
		texts   []string
		seqLen  int
		want    tokenize.Batch
		lengths []int
	}{
		{
			name:   "vocab_pad_and_truncate",
			reason: "short rows are right-padded with 0 and masked; long rows keep their first seqLen tokens",
			tok:    v, texts: []string{"the cat", "", "the cat sat the", "dog"}, seqLen: 3,
			want: tokenize.Batch{Size: 4, SeqLen: 3,
				IDs:     []int{2, 3, 0, 1, 0, 0, 2, 3, 4, 1, 0, 0},
				TypeIDs: make([]int, 12),
				Mask:    []int{1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0}},
			lengths: []int{2, 1, 3, 1},
		},
		{
			name:   "exact_length",
			reason: "an encoding of exactly seqLen tokens is neither cut nor padded",
			tok:    v, texts: []string{"sat cat the"}, seqLen: 3,
			want:    tokenize.Batch{Size: 1, SeqLen: 3, IDs: []int{4, 3, 2}, TypeIDs: make([]int, 3), Mask: []int{1, 1, 1}},
			lengths: []int{3},
		},
		{
			name:   "seq_len_1",
			reason: "1 is the smallest sequence length",
			tok:    v, texts: []string{"cat the"}, seqLen: 1,
			want:    tokenize.Batch{Size: 1, SeqLen: 1, IDs: []int{3}, TypeIDs: []int{0}, Mask: []int{1}},
			lengths: []int{1},
		},
		{
			name:   "empty_batch",
			reason: "no texts give an empty batch with the requested SeqLen",
			tok:    v, texts: nil, seqLen: 8,
			want:    tokenize.Batch{Size: 0, SeqLen: 8, IDs: []int{}, TypeIDs: []int{}, Mask: []int{}},
			lengths: []int{},
		},
		{
			name:   "type_ids_kept",
			reason: "segment ids are copied and padding has type id 0",
			tok:    fixedTokenizer{"pair": bertLike}, texts: []string{"pair"}, seqLen: 9,
			want: tokenize.Batch{Size: 1, SeqLen: 9,
				IDs:     []int{101, 5, 6, 102, 7, 8, 102, 0, 0},
				TypeIDs: []int{0, 0, 0, 0, 1, 1, 1, 0, 0},
				Mask:    []int{1, 1, 1, 1, 1, 1, 1, 0, 0}},
			lengths: []int{7},
		},
		{
			name:   "truncater_keeps_special",
			reason: "a Truncater decides what to keep: here the final [SEP]",
			tok:    endsTruncater{fixedTokenizer{"pair": bertLike, "short": plainEncoding(101, 9, 102)}},
			texts:  []string{"pair", "short"}, seqLen: 4,
			want: tokenize.Batch{Size: 2, SeqLen: 4,
				IDs:     []int{101, 5, 6, 102, 101, 9, 102, 0},
				TypeIDs: []int{0, 0, 0, 1, 0, 0, 0, 0},
				Mask:    []int{1, 1, 1, 1, 1, 1, 1, 0}},
			lengths: []int{4, 3},
		},
		{
			name:   "truncater_too_long",
			reason: "when Truncate leaves the encoding too long, the first seqLen tokens are kept",
			tok:    lazyTruncater{fixedTokenizer{"pair": bertLike}}, texts: []string{"pair"}, seqLen: 2,
			want:    tokenize.Batch{Size: 1, SeqLen: 2, IDs: []int{101, 5}, TypeIDs: []int{0, 0}, Mask: []int{1, 1}},
			lengths: []int{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := tokenize.EncodeBatch(tt.tok, tt.texts, tt.seqLen)
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.want, b, tt.reason)
			assert.Equal(t, tt.lengths, b.Lengths(), tt.reason)
		})
	}
}

func TestEncodeBatch_errors(t *testing.T) {
	t.Parallel()
	v, err := tokenize.BuildVocab([][]string{{"a"}}, 1, 0)
	require.NoError(t, err)
	var nilVocab *tokenize.Vocab
	short := tokenize.Encoding{IDs: []int{1, 2, 3}, TypeIDs: []int{0}, Mask: []int{1, 1, 1}}

	tests := []struct {
		name    string
		reason  string
		tok     tokenize.Tokenizer
		texts   []string
		seqLen  int
		wantErr error  // matched with errors.Is when not nil
		msg     string // the error names the problem
	}{
		{name: "nil_tokenizer", reason: "a nil dependency is rejected, not dereferenced",
			tok: nil, texts: []string{"a"}, seqLen: 4, msg: "nil tokenizer"},
		{name: "nil_vocab", reason: "a typed nil *Vocab reports its own error",
			tok: nilVocab, texts: []string{"a"}, seqLen: 4, msg: "text 0"},
		{name: "seq_len_0", reason: "a row needs room for one token",
			tok: v, texts: []string{"a"}, seqLen: 0, msg: "sequence length 0"},
		{name: "seq_len_negative", reason: "a negative length is meaningless",
			tok: v, texts: nil, seqLen: -3, msg: "sequence length -3"},
		{name: "tokenizer_error", reason: "the tokenizer's error is wrapped with the text index",
			tok: fixedTokenizer{"ok": plainEncoding(1)}, texts: []string{"ok", "missing"}, seqLen: 4,
			wantErr: errTokenize, msg: "text 1"},
		{name: "length_mismatch", reason: "unequal IDs, TypeIDs and Mask cannot be one row",
			tok: fixedTokenizer{"short": short}, texts: []string{"short"}, seqLen: 8,
			wantErr: hatetweet.ErrLengthMismatch, msg: "3 ids, 1 type ids, 3 mask values"},
		{name: "length_mismatch_needing_truncation", reason: "checked before truncating, so a short TypeIDs cannot be sliced past its end",
			tok: fixedTokenizer{"short": short}, texts: []string{"short"}, seqLen: 2,
			wantErr: hatetweet.ErrLengthMismatch, msg: "3 ids, 1 type ids"},
		{name: "truncater_mismatch", reason: "a Truncater's result is checked too",
			tok: brokenTruncater{fixedTokenizer{"pair": bertLike}}, texts: []string{"pair"}, seqLen: 3,
			wantErr: hatetweet.ErrLengthMismatch, msg: "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tokenize.EncodeBatch(tt.tok, tt.texts, tt.seqLen)
			require.Error(t, err, tt.reason)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr, tt.reason)
			}
			assert.Contains(t, err.Error(), tt.msg, tt.reason)
		})
	}
}

func BenchmarkEncodeBatch(b *testing.B) {
	enc := readEncodeFixture(b)
	all := fixtureTexts(enc)
	v := readDavidsonVocab(b)
	for _, size := range []int{1, 32} {
		texts := all[:size]
		b.Run(benchName(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tokenize.EncodeBatch(v, texts, enc.MaxLen); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "tweets/s")
		})
	}
}
