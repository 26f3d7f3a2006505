package evaluate

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
)

// fakeClassifier predicts the label written in each text ("0", "1", ...);
// any other text is predicted as label 0. It records its batch sizes and can
// be scripted to misbehave.
type fakeClassifier struct {
	ls      hatetweet.Labels
	batches []int
	// before runs at the start of each PredictBatch call, with its 0-based index.
	before func(call int)
	// mangle may change the predictions of a call before they are returned.
	mangle func(call int, ps []hatetweet.Prediction) ([]hatetweet.Prediction, error)
}

func (f *fakeClassifier) PredictBatch(ctx context.Context, texts []string) ([]hatetweet.Prediction, error) {
	call := len(f.batches)
	f.batches = append(f.batches, len(texts))
	if f.before != nil {
		f.before(call)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]hatetweet.Prediction, len(texts))
	for i, s := range texts {
		l, err := strconv.Atoi(s)
		if err != nil {
			l = 0
		}
		logits := make([]float32, len(f.ls))
		if l >= 0 && l < len(logits) {
			logits[l] = 5
		}
		p, err := hatetweet.NewPrediction(f.ls, logits)
		if err != nil {
			return nil, err
		}
		p.Label = hatetweet.Label(l) // keep out-of-range labels, to test validation
		out[i] = p
	}
	if f.mangle != nil {
		return f.mangle(call, out)
	}
	return out, nil
}

// examples returns n examples whose gold labels cycle 0,1,2 and whose texts
// make fakeClassifier predict the gold label, except every fifth one, which is
// predicted as (gold+1)%3.
func examples(n int) []hatetweet.Example {
	out := make([]hatetweet.Example, n)
	for i := range out {
		gold := i % 3
		pred := gold
		if i%5 == 0 {
			pred = (gold + 1) % 3
		}
		out[i] = hatetweet.Example{Text: strconv.Itoa(pred), Label: hatetweet.Label(gold)}
	}
	return out
}

func TestEvaluate_matchesConfusion(t *testing.T) {
	t.Parallel()
	ls := hatetweet.DavidsonLabels()
	data := examples(600)
	f := &fakeClassifier{ls: ls}
	got, err := Evaluate(t.Context(), f, ls, data)
	require.NoError(t, err)

	want := NewConfusion(ls)
	for _, ex := range data {
		pred, err := strconv.Atoi(ex.Text)
		require.NoError(t, err)
		require.NoError(t, want.Add(ex.Label, hatetweet.Label(pred)))
	}
	assert.Equal(t, want.Report(), got)
	// 600 = 256 + 256 + 88 with the default batch size of 256.
	assert.Equal(t, []int{256, 256, 88}, f.batches)
	// examples(600) predicts 120 of 600 wrongly (every fifth).
	assert.InDelta(t, 480.0/600, got.Accuracy, 1e-15)
}

func TestEvaluate_batchSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		n      int
		size   int
		want   []int
	}{
		{name: "partial_last", reason: "5 = 2+2+1: the last batch is partial", n: 5, size: 2, want: []int{2, 2, 1}},
		{name: "exact", reason: "4 = 2+2: no empty trailing batch", n: 4, size: 2, want: []int{2, 2}},
		{name: "one_batch", reason: "fewer examples than the batch size", n: 3, size: 10, want: []int{3}},
		{name: "size_one", reason: "batch size 1 calls once per example", n: 3, size: 1, want: []int{1, 1, 1}},
		{name: "empty", reason: "empty data never calls the classifier", n: 0, size: 2, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ls := hatetweet.DavidsonLabels()
			f := &fakeClassifier{ls: ls}
			r, err := Evaluate(t.Context(), f, ls, examples(tc.n), WithBatchSize(tc.size))
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, f.batches, tc.reason)
			assert.Equal(t, tc.n, r.Total, tc.reason)
		})
	}
}

func TestEvaluate_empty(t *testing.T) {
	t.Parallel()
	ls := hatetweet.DavidsonLabels()
	f := &fakeClassifier{ls: ls}
	r, err := Evaluate(t.Context(), f, ls, nil)
	require.NoError(t, err)
	assert.Equal(t, NewConfusion(ls).Report(), r, "no examples: every metric 0 (zero_division=0)")
	assert.Empty(t, f.batches)
}

func TestEvaluate_invalidInput(t *testing.T) {
	t.Parallel()
	ls := hatetweet.DavidsonLabels()
	tests := []struct {
		name   string
		reason string
		c      hatetweet.Classifier
		ls     hatetweet.Labels
		data   []hatetweet.Example
		opts   []Option
		target error // nil: any error
	}{
		{name: "nil_classifier", reason: "nothing to evaluate", ls: ls, data: examples(3)},
		{name: "one_label", reason: "a classifier needs at least 2 labels", c: &fakeClassifier{ls: ls}, ls: ls[:1], data: examples(1)},
		{name: "duplicate_labels", reason: "labels must be distinct", c: &fakeClassifier{ls: ls}, ls: hatetweet.Labels{"a", "a"}, data: examples(1)},
		{
			name: "gold_out_of_range", reason: "gold label 3 with 3 labels",
			c: &fakeClassifier{ls: ls}, ls: ls,
			data:   []hatetweet.Example{{Text: "0", Label: 0}, {Text: "0", Label: 3}},
			target: hatetweet.ErrUnknownLabel,
		},
		{
			name: "gold_negative", reason: "labels are indices",
			c: &fakeClassifier{ls: ls}, ls: ls,
			data:   []hatetweet.Example{{Text: "0", Label: -1}},
			target: hatetweet.ErrUnknownLabel,
		},
		{name: "batch_size_zero", reason: "a batch must hold a text", c: &fakeClassifier{ls: ls}, ls: ls, data: examples(3), opts: []Option{WithBatchSize(0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := Evaluate(t.Context(), tc.c, tc.ls, tc.data, tc.opts...)
			require.Error(t, err, tc.reason)
			if tc.target != nil {
				require.ErrorIs(t, err, tc.target, tc.reason)
			}
			assert.Equal(t, Report{}, r)
			if f, ok := tc.c.(*fakeClassifier); ok {
				assert.Empty(t, f.batches, "inputs are validated before any prediction")
			}
		})
	}
}

func TestEvaluate_badClassifier(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	tests := []struct {
		name   string
		reason string
		mangle func(call int, ps []hatetweet.Prediction) ([]hatetweet.Prediction, error)
		target error
	}{
		{
			name: "too_few", reason: "a buggy classifier drops a prediction in the second batch",
			mangle: func(call int, ps []hatetweet.Prediction) ([]hatetweet.Prediction, error) {
				if call == 1 {
					return ps[:len(ps)-1], nil
				}
				return ps, nil
			},
			target: hatetweet.ErrLengthMismatch,
		},
		{
			name: "too_many", reason: "a buggy classifier adds a prediction",
			mangle: func(_ int, ps []hatetweet.Prediction) ([]hatetweet.Prediction, error) {
				return append(ps, ps[0]), nil
			},
			target: hatetweet.ErrLengthMismatch,
		},
		{
			name: "label_out_of_range", reason: "a predicted label must index the labels",
			mangle: func(_ int, ps []hatetweet.Prediction) ([]hatetweet.Prediction, error) {
				ps[0].Label = 7
				return ps, nil
			},
			target: hatetweet.ErrUnknownLabel,
		},
		{
			name: "error", reason: "the classifier's error is returned wrapped",
			mangle: func(_ int, _ []hatetweet.Prediction) ([]hatetweet.Prediction, error) {
				return nil, errBoom
			},
			target: errBoom,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ls := hatetweet.DavidsonLabels()
			f := &fakeClassifier{ls: ls, mangle: tc.mangle}
			r, err := Evaluate(t.Context(), f, ls, examples(10), WithBatchSize(4))
			require.ErrorIs(t, err, tc.target, tc.reason)
			assert.Equal(t, Report{}, r)
		})
	}
}

func TestEvaluate_cancel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reason    string
		cancelAt  int // cancel at the start of this PredictBatch call; -1: before Evaluate
		wantCalls int
	}{
		{name: "before_start", reason: "a done context is seen before the first batch", cancelAt: -1, wantCalls: 0},
		{name: "during_first_batch", reason: "the classifier sees the cancelled ctx and returns its error", cancelAt: 0, wantCalls: 1},
		{name: "during_second_batch", reason: "cancellation mid-run stops at the next batch", cancelAt: 1, wantCalls: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			ls := hatetweet.DavidsonLabels()
			f := &fakeClassifier{ls: ls, before: func(call int) {
				if call == tc.cancelAt {
					cancel()
				}
			}}
			if tc.cancelAt < 0 {
				cancel()
			}
			r, err := Evaluate(ctx, f, ls, examples(10), WithBatchSize(3))
			require.ErrorIs(t, err, context.Canceled, tc.reason)
			assert.Len(t, f.batches, tc.wantCalls, tc.reason)
			assert.Equal(t, Report{}, r)
		})
	}
}

func TestEvaluate_cancelBetweenBatches(t *testing.T) {
	t.Parallel()
	// A classifier that ignores ctx: Evaluate itself must notice between
	// batches.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ls := hatetweet.DavidsonLabels()
	f := &fakeClassifier{ls: ls, mangle: func(call int, ps []hatetweet.Prediction) ([]hatetweet.Prediction, error) {
		if call == 0 {
			cancel()
		}
		return ps, nil
	}}
	_, err := Evaluate(ctx, f, ls, examples(10), WithBatchSize(3))
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []int{3}, f.batches)
}
