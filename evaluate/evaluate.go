package evaluate

import (
	"context"
	"errors"
	"fmt"

	"github.com/hatetweet/hatetweet"
)

// defaultBatchSize is the number of texts per PredictBatch call unless
// [WithBatchSize] says otherwise.
const defaultBatchSize = 256

// Option configures [Evaluate].
type Option func(*options)

type options struct {
	batchSize int
}

// WithBatchSize sets how many texts [Evaluate] passes to each PredictBatch
// call; the default is 256. A size below 1 makes Evaluate return an error.
func WithBatchSize(n int) Option {
	return func(o *options) { o.batchSize = n }
}

// Evaluate predicts the text of every example with c, in batches of 256
// texts (see [WithBatchSize]) and in order, and compares the predictions with
// the examples' labels. Empty data gives a Report with no examples, all
// metrics 0, without calling c.
//
// Before predicting anything it validates its inputs: c must not be nil, ls
// must pass [hatetweet.Labels.Validate], and every example's label must be in
// [0, len(ls)), otherwise the error wraps [hatetweet.ErrUnknownLabel]. A
// batch for which c returns a different number of predictions than texts is
// an error wrapping [hatetweet.ErrLengthMismatch]; a predicted label out of
// range wraps [hatetweet.ErrUnknownLabel]; an error from c is returned
// wrapped. Evaluate checks ctx before every batch and returns an error
// wrapping ctx.Err() once ctx is done. On any error the Report is the zero
// value.
//
// Evaluate is safe for concurrent use when c is.
func Evaluate(ctx context.Context, c hatetweet.Classifier, ls hatetweet.Labels, data []hatetweet.Example, opts ...Option) (Report, error) {
	o := options{batchSize: defaultBatchSize}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.batchSize < 1 {
		return Report{}, fmt.Errorf("evaluate: batch size %d, want at least 1", o.batchSize)
	}
	if c == nil {
		return Report{}, errors.New("evaluate: nil classifier")
	}
	if err := ls.Validate(); err != nil {
		return Report{}, fmt.Errorf("evaluate: labels: %w", err)
	}
	for i, ex := range data {
		if ex.Label < 0 || int(ex.Label) >= len(ls) {
			return Report{}, fmt.Errorf("evaluate: example %d: %w: %d, want 0..%d", i, hatetweet.ErrUnknownLabel, ex.Label, len(ls)-1)
		}
	}

	conf := NewConfusion(ls)
	for start := 0; start < len(data); start += o.batchSize {
		if err := ctx.Err(); err != nil {
			return Report{}, fmt.Errorf("evaluate: stopped after %d of %d examples: %w", start, len(data), err)
		}
		batch := data[start:min(start+o.batchSize, len(data))]
		texts := make([]string, len(batch))
		for i, ex := range batch {
			texts[i] = ex.Text
		}
		preds, err := c.PredictBatch(ctx, texts)
		if err != nil {
			return Report{}, fmt.Errorf("evaluate: predict examples %d..%d: %w", start, start+len(batch)-1, err)
		}
		if len(preds) != len(texts) {
			return Report{}, fmt.Errorf("evaluate: predict examples %d..%d: %w: %d predictions for %d texts",
				start, start+len(batch)-1, hatetweet.ErrLengthMismatch, len(preds), len(texts))
		}
		for i, p := range preds {
			if err := conf.Add(batch[i].Label, p.Label); err != nil {
				return Report{}, fmt.Errorf("evaluate: example %d: %w", start+i, err)
			}
		}
	}
	return conf.Report(), nil
}
