package lstm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/nn"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

var (
	// ErrBadCheckpoint is wrapped by every error of [Load] that is due to
	// the model directory's content: an unknown format_version, a missing
	// or malformed file, a truncated safetensors file, or tensors whose
	// shapes disagree with config.json, the vocabulary or the labels.
	ErrBadCheckpoint = errors.New("lstm: bad checkpoint")
	// ErrMath is wrapped by errors of [Model.PredictBatch] and
	// [Model.TrainStep] that come from a failure inside the math layer (a
	// recovered panic or a kernel error). It signals a bug, never bad
	// input text.
	ErrMath = errors.New("lstm: math layer failed")
	// ErrClosed is returned, wrapped, by the methods of a closed [Model].
	ErrClosed = errors.New("lstm: model is closed")
)

// rngStream is the second PCG seed of a Model's generator (the first is
// Config.Seed): the ASCII bytes of "lstm".
const rngStream = 0x6c73746d

// Model is an LSTM text classifier: embedding → (bi)LSTM → final states of
// each direction → dropout (training only) → linear, in float32, with
// PyTorch's parameter layout.
//
// Concurrency: [Model.Predict] and [Model.PredictBatch] are safe for
// concurrent use; the Model keeps a pool of inference workers (see
// [WithPoolSize]), each with its own compiled graphs over the shared,
// read-only weights. [Model.TrainStep], [Model.Save], [Model.PlanSteps],
// the restore function of [Model.Snapshot] and [Model.Close] must not run
// concurrently with other calls; as a safety net TrainStep and restore
// take an exclusive lock, so a PredictBatch running meanwhile waits rather
// than reading half-updated weights.
type Model struct {
	cfg     Config
	vocab   *tokenize.Vocab
	labels  hatetweet.Labels
	cleaner textclean.Cleaner

	emb    *nn.Param
	layers [][]dirParams // [layer][direction]
	fcW    *nn.Param
	fcB    *nn.Param
	params []*nn.Param // every parameter, in checkpoint order

	mu     sync.RWMutex // write-held by TrainStep and restore
	idle   chan *worker // inference workers not in use
	closed bool
	rng    *rand.Rand
	tr     *trainer // nil until the first TrainStep
}

// dirParams are one direction of one LSTM layer, with torch's names.
type dirParams struct{ wih, whh, bih, bhh *nn.Param }

// New returns a Model with fresh weights drawn from a generator seeded by
// cfg.Seed, initialised as PyTorch does: word vectors from N(0, 1) with the
// padding row (id 0) zero, LSTM weights and biases and the classifier from
// U(-1/√fan_in, 1/√fan_in) (fan_in = Hidden for the LSTM). v is the
// vocabulary (id 0 is padding) and ls the labels, in index order.
//
// New returns an error for a nil or empty vocabulary, labels that fail
// [hatetweet.Labels.Validate], a config that fails [Config.Validate],
// ClassWeights whose number differs from the labels', and invalid options.
func New(cfg Config, v *tokenize.Vocab, ls hatetweet.Labels, opts ...Option) (*Model, error) {
	m, err := newModel(cfg, v, ls, opts)
	if err != nil {
		return nil, err
	}
	r := m.rng
	m.emb.Normal(r, 1)
	clear(m.emb.Data[:m.cfg.EmbeddingDim])
	bound := 1 / math.Sqrt(float64(m.cfg.Hidden))
	for _, layer := range m.layers {
		for _, d := range layer {
			for _, p := range []*nn.Param{d.wih, d.whh, d.bih, d.bhh} {
				p.Uniform(r, bound)
			}
		}
	}
	fanIn := m.cfg.dirs() * m.cfg.Hidden
	m.fcW.KaimingUniform(r, fanIn)
	m.fcB.KaimingUniform(r, fanIn)
	return m, nil
}

// newModel checks the arguments and builds a Model with zero weights.
func newModel(cfg Config, v *tokenize.Vocab, ls hatetweet.Labels, opts []Option) (*Model, error) {
	var errs []error
	if v == nil || v.VocabSize() < 2 {
		errs = append(errs, errors.New("lstm: nil vocabulary or one without <pad> and <unk>"))
	}
	if err := ls.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("lstm: labels: %w", err))
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if cfg.ClassWeights != nil && len(cfg.ClassWeights) != len(ls) {
		errs = append(errs, fmt.Errorf("lstm: %d class weights for %d labels", len(cfg.ClassWeights), len(ls)))
	}
	o, err := newOptions(opts)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	m := &Model{
		cfg:     cfg,
		vocab:   v,
		labels:  append(hatetweet.Labels(nil), ls...),
		cleaner: o.cleaner,
		rng:     rand.New(rand.NewPCG(cfg.Seed, rngStream)),
		idle:    make(chan *worker, o.poolSize),
	}
	if m.cleaner == nil {
		m.cleaner = cfg.Cleaner.Cleaner()
	}
	m.emb = nn.NewParam("embedding.weight", v.VocabSize(), cfg.EmbeddingDim)
	m.params = append(m.params, m.emb)
	in := cfg.EmbeddingDim
	for l := range cfg.Layers {
		var layer []dirParams
		for d := range cfg.dirs() {
			sfx := fmt.Sprintf("_l%d", l)
			if d == 1 {
				sfx += "_reverse"
			}
			h := cfg.Hidden
			dp := dirParams{
				wih: nn.NewParam("lstm.weight_ih"+sfx, 4*h, in),
				whh: nn.NewParam("lstm.weight_hh"+sfx, 4*h, h),
				bih: nn.NewParam("lstm.bias_ih"+sfx, 4*h),
				bhh: nn.NewParam("lstm.bias_hh"+sfx, 4*h),
			}
			layer = append(layer, dp)
			m.params = append(m.params, dp.wih, dp.whh, dp.bih, dp.bhh)
		}
		m.layers = append(m.layers, layer)
		in = cfg.dirs() * cfg.Hidden
	}
	m.fcW = nn.NewParam("fc.weight", len(ls), cfg.dirs()*cfg.Hidden)
	m.fcB = nn.NewParam("fc.bias", len(ls))
	m.params = append(m.params, m.fcW, m.fcB)
	for range o.poolSize {
		m.idle <- newWorker()
	}
	return m, nil
}

// Labels returns the model's labels in index order, as a fresh slice.
func (m *Model) Labels() hatetweet.Labels { return append(hatetweet.Labels(nil), m.labels...) }

// Vocab returns the model's vocabulary. A Vocab is immutable and safe for
// concurrent use.
func (m *Model) Vocab() *tokenize.Vocab { return m.vocab }

// Config returns the model's configuration with the defaults applied.
func (m *Model) Config() Config { return m.cfg.withDefaults() }

// Close releases the compiled graphs. Afterwards every method that
// computes returns an error wrapping [ErrClosed]; Close itself may be
// called again. Close must not run concurrently with other calls.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	var errs []error
	for range cap(m.idle) {
		select {
		case w := <-m.idle:
			errs = append(errs, w.close())
		default:
		}
	}
	if m.tr != nil {
		errs = append(errs, m.tr.close())
	}
	return errors.Join(errs...)
}

// recoverMath turns a panic in the math layer into an error wrapping
// [ErrMath].
func recoverMath(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v", ErrMath, r)
	}
}
