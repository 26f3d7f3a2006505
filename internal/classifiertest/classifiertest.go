package classifiertest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
)

// tol is the Classifier contract's tolerance (STYLE.md §2): probabilities
// sum to 1 within it, and padding moves a prediction by at most it.
const tol = 1e-5

// Inputs is the set of texts that every Classifier must turn into a valid
// Prediction, never an error.
var inputs = []struct {
	name, reason, text string
}{
	{"empty", "no text at all", ""},
	{"whitespace", "spaces, tabs and newlines only", " \t\n  \r\n"},
	{"emoji_only", "no letters", "😂😂🔥💯"},
	{"arabic", "another script", "مرحبا بالعالم"},
	{"chinese", "no spaces between words", "你好世界"},
	{"cyrillic", "another alphabet", "Привет, мир"},
	{"mixed", "mentions, URL, entities, hashtags", "RT @user: &amp;#8220;sooo good&#8221; http://t.co/x #win!!!"},
	{"invalid_utf8", "bytes that are not UTF-8", "bad \xff\xfe bytes \xc3"},
	{"control", "NUL and control characters", "a\x00b\x01c\x7f"},
	{"long", "10,000 characters", strings.Repeat("word ", 2000)},
	{"long_word", "one 10,000-character word", strings.Repeat("x", 10000)},
	{"plain", "an ordinary sentence", "this is a perfectly ordinary tweet"},
}

func texts() []string {
	out := make([]string, len(inputs))
	for i, in := range inputs {
		out[i] = in.text
	}
	return out
}

// Run runs the conformance suite on classifiers made by newC, whose labels
// are ls. See the package documentation for what it checks.
func Run(t *testing.T, newC func(*testing.T) hatetweet.Classifier, ls hatetweet.Labels) {
	t.Helper()
	require.NoError(t, ls.Validate(), "labels")

	t.Run("empty_batch", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		for _, in := range [][]string{nil, {}} {
			out, err := c.PredictBatch(t.Context(), in)
			require.NoError(t, err)
			assert.Empty(t, out)
		}
	})

	t.Run("any_string", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		for _, in := range inputs {
			t.Run(in.name, func(t *testing.T) {
				out, err := c.PredictBatch(t.Context(), []string{in.text})
				require.NoError(t, err, in.reason)
				require.Len(t, out, 1)
				checkPrediction(t, ls, out[0], in.reason)
			})
		}
	})

	t.Run("length_and_order", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		all := texts()
		out, err := c.PredictBatch(t.Context(), all)
		require.NoError(t, err)
		require.Len(t, out, len(all))
		for i, text := range all {
			checkPrediction(t, ls, out[i], inputs[i].reason)
			one, err := c.PredictBatch(t.Context(), []string{text})
			require.NoError(t, err)
			assertSame(t, one[0], out[i], "text %d (%s) alone and in a batch", i, inputs[i].name)
		}
	})

	t.Run("deterministic", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		first, err := c.PredictBatch(t.Context(), texts())
		require.NoError(t, err)
		second, err := c.PredictBatch(t.Context(), texts())
		require.NoError(t, err)
		assert.Equal(t, first, second, "the same batch twice")
	})

	t.Run("padding_invariance", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		short, long := "short text", strings.Repeat("a much longer text with many words ", 8)
		alone := make(map[string]hatetweet.Prediction)
		for _, s := range []string{short, long, ""} {
			out, err := c.PredictBatch(t.Context(), []string{s})
			require.NoError(t, err)
			alone[s] = out[0]
		}
		for _, batch := range [][]string{{short, long}, {long, short}, {short, long, long, short, "", long}} {
			out, err := c.PredictBatch(t.Context(), batch)
			require.NoError(t, err)
			require.Len(t, out, len(batch))
			for i, s := range batch {
				assertSame(t, alone[s], out[i], "text %d of a batch of %d", i, len(batch))
			}
		}
	})

	t.Run("large_batch", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		// More texts than one internal batch of the models here (256).
		batch := make([]string, 300)
		for i := range batch {
			batch[i] = fmt.Sprintf("text number %d %s", i, inputs[i%len(inputs)].text[:min(40, len(inputs[i%len(inputs)].text))])
		}
		out, err := c.PredictBatch(t.Context(), batch)
		require.NoError(t, err)
		require.Len(t, out, len(batch))
		for _, i := range []int{0, 255, 256, 299} {
			one, err := c.PredictBatch(t.Context(), batch[i:i+1])
			require.NoError(t, err)
			assertSame(t, one[0], out[i], "text %d of %d", i, len(batch))
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := c.PredictBatch(ctx, []string{"some text"})
		require.ErrorIs(t, err, context.Canceled)
		ctx, cancel = context.WithDeadline(t.Context(), time.Unix(0, 0))
		defer cancel()
		_, err = c.PredictBatch(ctx, texts())
		require.ErrorIs(t, err, context.DeadlineExceeded)
		// The classifier still works afterwards.
		out, err := c.PredictBatch(t.Context(), []string{"some text"})
		require.NoError(t, err)
		checkPrediction(t, ls, out[0], "after cancellation")
	})

	t.Run("concurrent", func(t *testing.T) {
		t.Parallel()
		c := newC(t)
		all := texts()
		want := make([]hatetweet.Prediction, len(all))
		for i, text := range all {
			out, err := c.PredictBatch(t.Context(), []string{text})
			require.NoError(t, err)
			want[i] = out[0]
		}
		const goroutines, rounds = 8, 4
		var wg sync.WaitGroup
		errs := make(chan error, goroutines*rounds)
		got := make([][]hatetweet.Prediction, goroutines)
		for g := range goroutines {
			wg.Go(func() {
				for r := range rounds {
					// Each goroutine sends batches of a different size.
					n := 1 + (g+r)%len(all)
					out, err := c.PredictBatch(t.Context(), all[:n])
					if err != nil {
						errs <- err
						return
					}
					if r == rounds-1 {
						got[g] = out
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		for g, out := range got {
			for i, p := range out {
				assertSame(t, want[i], p, "goroutine %d, text %d", g, i)
			}
		}
	})
}

// checkPrediction checks one Prediction's invariants: one probability per
// label, each in [0, 1], summing to 1 within tol; Label the argmax with the
// lowest index on ties; Name the label's name; and, when Logits are set,
// one logit per label whose softmax is Probs.
func checkPrediction(t *testing.T, ls hatetweet.Labels, p hatetweet.Prediction, reason string) {
	t.Helper()
	require.Len(t, p.Probs, len(ls), reason)
	var sum float64
	best := 0
	for i, v := range p.Probs {
		assert.False(t, math.IsNaN(float64(v)), "%s: prob %d is NaN", reason, i)
		assert.GreaterOrEqual(t, v, float32(0), reason)
		assert.LessOrEqual(t, v, float32(1), reason)
		sum += float64(v)
		if v > p.Probs[best] {
			best = i
		}
	}
	assert.InDelta(t, 1, sum, tol, "%s: probabilities sum", reason)
	assert.Equal(t, hatetweet.Label(best), p.Label, "%s: label is the first argmax", reason)
	assert.Equal(t, ls[p.Label], p.Name, reason)
	if p.Logits != nil {
		require.Len(t, p.Logits, len(ls), reason)
		assert.InDeltaSlice(t, hatetweet.Softmax(p.Logits), p.Probs, tol, "%s: probs are the softmax of the logits", reason)
	}
}

// assertSame checks that two predictions of the same text agree within
// tol.
func assertSame(t *testing.T, want, got hatetweet.Prediction, msgAndArgs ...any) {
	t.Helper()
	require.Len(t, got.Probs, len(want.Probs), msgAndArgs...)
	require.Len(t, got.Logits, len(want.Logits), msgAndArgs...)
	assert.Equal(t, want.Label, got.Label, msgAndArgs...)
	assert.InDeltaSlice(t, want.Probs, got.Probs, tol, msgAndArgs...)
	if want.Logits != nil || got.Logits != nil {
		assert.InDeltaSlice(t, want.Logits, got.Logits, tol, msgAndArgs...)
	}
}
