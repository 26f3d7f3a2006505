package bert

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/classifiertest"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadTiny loads a fixture model and closes it when the test ends.
func loadTiny(t *testing.T, dir string, opts ...Option) *Model {
	t.Helper()
	m, err := Load(filepath.Join("testdata", dir), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, m.Close()) })
	return m
}

func TestModel_conformance(t *testing.T) {
	t.Parallel()
	classifiertest.Run(t, func(t *testing.T) hatetweet.Classifier {
		return loadTiny(t, "tiny-a")
	}, hatetweet.DavidsonLabels())
}

// TestModel_PredictBatch_texts runs the fixtures' single-text rows through
// the whole text path (no cleaning, WordPiece from vocab.txt, padding to
// the batch's longest text) and expects the PyTorch logits, which
// gen_fixtures.py computed on batches padded differently (tolerance 1e-4
// from expected.json).
func TestModel_PredictBatch_texts(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"tiny-a", "tiny-b"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			exp := readExpected(t, dir)
			m := loadTiny(t, dir, WithCleaner(textclean.PresetNone.Cleaner()))
			var texts []string
			var want []float64
			for _, rb := range exp.Batches {
				for i, tx := range rb.Texts {
					if len(tx) == 1 {
						texts = append(texts, tx[0])
						want = append(want, rb.Logits[i]...)
					}
				}
			}
			require.NotEmpty(t, texts)
			out, err := m.PredictBatch(t.Context(), texts)
			require.NoError(t, err)
			var got []float64
			for _, p := range out {
				got = append(got, toF64(p.Logits)...)
			}
			assert.InDeltaSlice(t, want, got, exp.Tolerance.Logits)
			one, err := m.Predict(texts[0])
			require.NoError(t, err)
			assert.Equal(t, out[0].Label, one.Label)
			assert.InDeltaSlice(t, want[:len(m.Labels())], toF64(one.Logits), exp.Tolerance.Logits)
		})
	}
}

// TestModel_PredictBatch_truncates: a text longer than MaxLen gets a
// prediction (it is truncated, never rejected), the same as its first
// MaxLen-2 pieces.
func TestModel_PredictBatch_truncates(t *testing.T) {
	t.Parallel()
	m := loadTiny(t, "tiny-a", WithMaxLen(8), WithCleaner(textclean.PresetNone.Cleaner()))
	require.Equal(t, 8, m.MaxLen())
	long := strings.Repeat("you are so nice and ", 20)
	cut := "you are so nice and you" // the first 6 word pieces
	out, err := m.PredictBatch(t.Context(), []string{long, cut})
	require.NoError(t, err)
	assert.InDeltaSlice(t, toF64(out[1].Logits), toF64(out[0].Logits), 1e-6)
}

// TestModel_PredictBatch_concurrent hammers one model from many goroutines
// with batches of different sizes, so that workers, shapes and the net
// caches are shared; run with -race.
func TestModel_PredictBatch_concurrent(t *testing.T) {
	t.Parallel()
	m := loadTiny(t, "tiny-a")
	texts := []string{"you are a stupid idiot", "what a beautiful day!", "", "i love this song so much",
		"they are trash and should go back home", "lol"}
	want, err := m.PredictBatch(t.Context(), texts)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for r := range 6 {
				n := 1 + (g+r)%len(texts)
				out, err := m.PredictBatch(t.Context(), texts[:n])
				if !assert.NoError(t, err) {
					return
				}
				for i := range out {
					assert.InDeltaSlice(t, toF64(want[i].Logits), toF64(out[i].Logits), 1e-5)
				}
			}
		})
	}
	wg.Wait()
}

// TestModel_recoversPanics breaks an internal invariant (a weight tensor
// shorter than its shape) and expects errors wrapping ErrMath from the
// entry points instead of a crash.
func TestModel_recoversPanics(t *testing.T) {
	m := loadTiny(t, "tiny-a")
	m.ps.pos.Data = m.ps.pos.Data[:3]
	_, err := m.PredictBatch(t.Context(), []string{"you are nice"})
	require.ErrorIs(t, err, ErrMath)
	_, err = m.TrainStep(t.Context(), []hatetweet.Example{{Text: "you are nice", Label: 2}})
	require.ErrorIs(t, err, ErrMath)
}

func TestModel_closed(t *testing.T) {
	t.Parallel()
	m, err := Load("testdata/tiny-a")
	require.NoError(t, err)
	_, err = m.Predict("warm up a worker")
	require.NoError(t, err)
	require.NoError(t, m.Close())
	require.NoError(t, m.Close(), "Close is idempotent")
	_, err = m.PredictBatch(context.Background(), []string{"x"})
	assert.ErrorIs(t, err, errClosed)
	_, err = m.TrainStep(context.Background(), []hatetweet.Example{{Text: "x"}})
	assert.ErrorIs(t, err, errClosed)
	assert.ErrorIs(t, m.Save(t.TempDir()), errClosed)
	_, err = m.Snapshot()
	assert.ErrorIs(t, err, errClosed)
}

// TestPad_buckets: batches are padded to their longest member rounded up
// to a multiple of nn.LenBucket, never past the maximum length, so that
// batches of similar lengths share a compiled net.
func TestPad_buckets(t *testing.T) {
	t.Parallel()
	enc := func(n int) tokenize.Encoding {
		return tokenize.Encoding{IDs: make([]int, n), TypeIDs: make([]int, n), Mask: make([]int, n)}
	}
	tests := []struct {
		name           string
		lens           []int
		maxLen, seqLen int
		reason         string
	}{
		{"rounds up", []int{3, 9}, 64, 16, "longest 9 → next multiple of 8"},
		{"exact multiple", []int{8, 2}, 64, 8, "no extra padding when the longest is a multiple"},
		{"capped", []int{13}, 14, 14, "never beyond the maximum length"},
		{"at least CLS and SEP", []int{0}, 64, 8, "2 tokens, rounded up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var encs []tokenize.Encoding
			for _, n := range tt.lens {
				encs = append(encs, enc(n))
			}
			b := pad(encs, tt.maxLen)
			assert.Equal(t, tt.seqLen, b.SeqLen, tt.reason)
			assert.Len(t, b.IDs, len(tt.lens)*tt.seqLen)
		})
	}
}
