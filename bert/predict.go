package bert

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/nn"
	"github.com/hatetweet/hatetweet/tokenize"
)

// predictChunk is the most texts PredictBatch runs through the network at
// once; ctx is checked between chunks.
const predictChunk = 64

// Predict classifies one text. It is PredictBatch with a background
// context and a batch of one.
func (m *Model) Predict(text string) (hatetweet.Prediction, error) {
	ps, err := m.PredictBatch(context.Background(), []string{text})
	if err != nil {
		return hatetweet.Prediction{}, err
	}
	return ps[0], nil
}

// PredictBatch classifies texts and returns one [hatetweet.Prediction] per
// text, in order, with probabilities and raw logits. Each text is cleaned,
// tokenized with WordPiece and truncated to [Model.MaxLen] tokens (as
// Hugging Face truncates: pieces are dropped from the end, [CLS] and [SEP]
// kept); texts run in chunks of up to 64, grouped by length when there are
// more, each chunk padded to its longest member (rounded up to a multiple
// of 8 tokens, at most MaxLen, so that compiled graphs are reused).
// Padding is masked, so a text's prediction does not depend on the rest
// of its batch (within 1e-5). Any string, including empty and invalid UTF-8, gets a
// prediction. An empty batch gives an empty result and a nil error.
//
// PredictBatch is safe for concurrent use. It checks ctx before each chunk
// and returns an error wrapping ctx.Err() once ctx is done. A failure of
// the math layer gives an error wrapping [ErrMath]; a closed model gives an
// error.
func (m *Model) PredictBatch(ctx context.Context, texts []string) (out []hatetweet.Prediction, err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bert: predict: %w", err)
	}
	if len(texts) == 0 {
		return []hatetweet.Prediction{}, nil
	}
	encs, err := m.tokenize(texts) // the tokenizer and cleaner are immutable
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, errClosed
	}
	w, err := m.pool.get(ctx)
	if err != nil {
		return nil, fmt.Errorf("bert: predict: %w", err)
	}
	defer m.pool.put(w)
	// Longer inputs run together, so that each chunk carries little
	// padding; results go back to the callers' order.
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	if len(texts) > predictChunk {
		slices.SortStableFunc(order, func(a, b int) int { return encs[a].Len() - encs[b].Len() })
	}
	out = make([]hatetweet.Prediction, len(texts))
	c := len(m.labels)
	chunk := make([]tokenize.Encoding, 0, predictChunk)
	for start := 0; start < len(texts); start += predictChunk {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bert: predict: %w", err)
		}
		idx := order[start:min(start+predictChunk, len(texts))]
		chunk = chunk[:0]
		for _, i := range idx {
			chunk = append(chunk, encs[i])
		}
		logits, err := m.forward(w, pad(chunk, m.maxLen))
		if err != nil {
			return nil, err
		}
		for r, i := range idx {
			if out[i], err = hatetweet.NewPrediction(m.labels, logits[r*c:(r+1)*c]); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrMath, err)
			}
		}
	}
	return out, nil
}

// tokenize cleans and tokenizes texts, and truncates each to MaxLen
// tokens as Hugging Face does ([tokenize.WordPiece.Truncate]).
func (m *Model) tokenize(texts []string) ([]tokenize.Encoding, error) {
	encs := make([]tokenize.Encoding, len(texts))
	for i, text := range texts {
		e, err := m.tok.Tokenize(m.cleaner.Clean(text))
		if err != nil {
			return nil, fmt.Errorf("bert: text %d: %w", i, err)
		}
		if e.Len() > m.maxLen {
			e = m.tok.Truncate(e, m.maxLen)
		}
		encs[i] = e
	}
	return encs, nil
}

// pad lays encodings out as a batch padded to the longest of them (at
// least 2 tokens, [CLS] and [SEP]), rounded up by [nn.PaddedLen].
func pad(encs []tokenize.Encoding, maxLen int) tokenize.Batch {
	longest := 2
	for _, e := range encs {
		longest = max(longest, e.Len())
	}
	seqLen := nn.PaddedLen(longest, maxLen)
	b := tokenize.Batch{
		Size: len(encs), SeqLen: seqLen,
		IDs:     make([]int, len(encs)*seqLen),
		TypeIDs: make([]int, len(encs)*seqLen),
		Mask:    make([]int, len(encs)*seqLen),
	}
	for i, e := range encs {
		copy(b.IDs[i*seqLen:], e.IDs)
		copy(b.TypeIDs[i*seqLen:], e.TypeIDs)
		copy(b.Mask[i*seqLen:], e.Mask)
	}
	return b
}

// encode cleans, tokenizes and pads texts into one batch.
func (m *Model) encode(texts []string) (tokenize.Batch, error) {
	encs, err := m.tokenize(texts)
	if err != nil {
		return tokenize.Batch{}, err
	}
	return pad(encs, m.maxLen), nil
}

// forward runs an encoded batch through w's inference net for its shape
// and returns the logits, [b.Size, labels] row-major.
func (m *Model) forward(w *worker, b tokenize.Batch) (logits []float32, err error) {
	defer recoverMath(&err)
	if err := m.checkBatch(b); err != nil {
		return nil, err
	}
	n, err := w.nets.Get(b.Size, b.SeqLen, func() (*net, error) {
		return buildNet(m.cfg, m.ps, b.Size, b.SeqLen, false)
	})
	if err != nil {
		return nil, mathErr(err)
	}
	n.setInputs(b)
	logits, err = n.run()
	return logits, mathErr(err)
}

// checkBatch checks an encoded batch against the model before any tensor
// exists: ids in the vocabulary, type ids in the type vocabulary, a length
// within the position embeddings, masks of 0 and 1.
func (m *Model) checkBatch(b tokenize.Batch) error {
	n := b.Size * b.SeqLen
	switch {
	case b.Size < 1 || b.SeqLen < 1:
		return fmt.Errorf("bert: empty batch of %d×%d tokens", b.Size, b.SeqLen)
	case b.SeqLen > m.cfg.MaxPositionEmbeddings:
		return fmt.Errorf("bert: %d tokens exceed max_position_embeddings %d", b.SeqLen, m.cfg.MaxPositionEmbeddings)
	case len(b.IDs) != n || len(b.TypeIDs) != n || len(b.Mask) != n:
		return fmt.Errorf("bert: %w: batch of %d×%d tokens has %d ids, %d type ids and %d mask values",
			hatetweet.ErrLengthMismatch, b.Size, b.SeqLen, len(b.IDs), len(b.TypeIDs), len(b.Mask))
	}
	for i := range n {
		if id := b.IDs[i]; id < 0 || id >= m.cfg.VocabSize {
			return fmt.Errorf("bert: token id %d outside the vocabulary of %d", id, m.cfg.VocabSize)
		}
		if t := b.TypeIDs[i]; t < 0 || t >= m.cfg.TypeVocabSize {
			return fmt.Errorf("bert: token type id %d outside [0, %d)", t, m.cfg.TypeVocabSize)
		}
		if k := b.Mask[i]; k != 0 && k != 1 {
			return fmt.Errorf("bert: mask value %d is not 0 or 1", k)
		}
	}
	return nil
}

// mathErr wraps an error of the math layer with [ErrMath], keeping its
// chain.
func mathErr(err error) error {
	if err == nil || errors.Is(err, ErrMath) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrMath, err)
}

// recoverMath turns a panic into an error wrapping [ErrMath]; deferred by
// every entry point that runs the math layer.
func recoverMath(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: recovered panic: %v", ErrMath, r)
	}
}

// worker is one goroutine's inference state: compiled nets per shape.
type worker struct {
	nets *nn.ShapeCache[*net]
}

// pool lends workers to PredictBatch calls: up to max of them, created on
// demand and kept for reuse.
type pool struct {
	idle chan *worker
	mu   sync.Mutex
	all  []*worker
	max  int
}

// Limits of a worker's cache of compiled inference nets: at most 8 shapes
// and 64×256 tokens in all (activation memory grows with the tokens); the
// least recently used nets are released beyond that. A net compiles in a
// few milliseconds.
const (
	inferNets      = 8
	inferNetTokens = 64 * 256
)

func newPool(n int) *pool {
	n = max(1, n)
	return &pool{idle: make(chan *worker, n), max: n}
}

// get returns an idle worker, a new one while there are fewer than max, or
// waits for one until ctx is done.
func (p *pool) get(ctx context.Context) (*worker, error) {
	select {
	case w := <-p.idle:
		return w, nil
	default:
	}
	p.mu.Lock()
	if len(p.all) < p.max {
		w := &worker{nets: nn.NewShapeCache[*net](inferNets, inferNetTokens)}
		p.all = append(p.all, w)
		p.mu.Unlock()
		return w, nil
	}
	p.mu.Unlock()
	select {
	case w := <-p.idle:
		return w, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pool) put(w *worker) { p.idle <- w }

// close releases every worker's nets; no worker may be in use.
func (p *pool) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	for _, w := range p.all {
		err = errors.Join(err, w.nets.Close())
	}
	p.all = nil
	return err
}
