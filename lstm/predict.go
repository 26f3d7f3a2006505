package lstm

import (
	"context"
	"errors"
	"fmt"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/nn"
)

// worker is one inference worker: compiled graphs and scratch space, used
// by one PredictBatch call at a time.
type worker struct {
	cache *nn.ShapeCache[*netGraph]
	rows  [][]int
}

func newWorker() *worker { return &worker{cache: newGraphCache()} }

func (w *worker) close() error { return w.cache.Close() }

// Predict classifies one text. It is PredictBatch with a background
// context and a batch of one.
func (m *Model) Predict(text string) (hatetweet.Prediction, error) {
	ps, err := m.PredictBatch(context.Background(), []string{text})
	if err != nil {
		return hatetweet.Prediction{}, err
	}
	return ps[0], nil
}

// PredictBatch classifies texts and returns one Prediction per text, in
// order (see [hatetweet.Classifier]). Each text is cleaned (Config.Cleaner
// or [WithCleaner]), split into vocabulary ids, and truncated to
// Config.MaxLen tokens; a text with no words reads as one unknown word, so
// any string, including empty or invalid UTF-8, gets a Prediction. Texts
// run in batches of up to 256, each padded to its longest text; padding is
// masked, so a text's prediction does not depend on its batch (within
// 1e-5). An empty texts gives an empty result and a nil error.
//
// PredictBatch checks ctx before each batch and returns an error wrapping
// ctx.Err() once it is done, and one wrapping [ErrClosed] after
// [Model.Close]. A failure inside the math layer is returned as an error
// wrapping [ErrMath]. It is safe for concurrent use; calls beyond the pool
// size (see [WithPoolSize]) wait for a free worker.
func (m *Model) PredictBatch(ctx context.Context, texts []string) (preds []hatetweet.Prediction, err error) {
	if len(texts) == 0 {
		return []hatetweet.Prediction{}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lstm: predict: %w", err)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("lstm: predict: %w", ErrClosed)
	}
	var w *worker
	select {
	case w = <-m.idle:
	case <-ctx.Done():
		return nil, fmt.Errorf("lstm: predict: %w", ctx.Err())
	}
	defer func() {
		if errors.Is(err, ErrMath) {
			// The worker's graphs may be in any state after a failure:
			// start over with a fresh worker.
			_ = w.close() // the failure is already being reported
			w = newWorker()
		}
		m.idle <- w
	}()
	defer recoverMath(&err)
	preds = make([]hatetweet.Prediction, 0, len(texts))
	for start := 0; start < len(texts); start += maxBatch {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("lstm: predict: %w", err)
		}
		chunk := texts[start:min(len(texts), start+maxBatch)]
		if preds, err = w.predict(m, chunk, preds); err != nil {
			return nil, err
		}
	}
	return preds, nil
}

// predict runs one batch of at most maxBatch texts and appends the
// predictions to preds.
func (w *worker) predict(m *Model, texts []string, preds []hatetweet.Prediction) ([]hatetweet.Prediction, error) {
	var longest int
	w.rows, longest = m.encode(texts, w.rows[:0])
	bsz, seq := batchBucket(len(texts)), nn.PaddedLen(longest, m.cfg.MaxLen)
	ng, err := w.cache.Get(bsz, seq, func() (*netGraph, error) { return m.build(bsz, seq, false) })
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMath, err)
	}
	ng.fill(w.rows)
	if err := ng.prog.Run(); err != nil {
		return nil, fmt.Errorf("%w: predict: %w", ErrMath, err)
	}
	logits := ng.logits.Value().Data().([]float32)
	c := len(m.labels)
	for i := range texts {
		p, err := hatetweet.NewPrediction(m.labels, logits[i*c:(i+1)*c])
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMath, err)
		}
		preds = append(preds, p)
	}
	return preds, nil
}

// encode cleans and tokenizes texts, truncating each to MaxLen ids, and
// appends the id slices to rows. It also returns the longest length. Every
// row has at least one id: the vocabulary maps a text without words to one
// unknown word.
func (m *Model) encode(texts []string, rows [][]int) ([][]int, int) {
	longest := 0
	for _, t := range texts {
		enc, err := m.vocab.Tokenize(m.cleaner.Clean(t))
		ids := enc.IDs
		if err != nil || len(ids) == 0 {
			// Unreachable for a Vocab that passed New; keep the contract
			// that every text gets a prediction.
			ids = []int{m.vocab.UnkID()}
		}
		if len(ids) > m.cfg.MaxLen {
			ids = ids[:m.cfg.MaxLen]
		}
		rows = append(rows, ids)
		longest = max(longest, len(ids))
	}
	return rows, longest
}
