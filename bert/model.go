package bert

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/nn"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// ErrMath is returned, wrapped, when the math layer fails during
// inference or training: a recovered panic or a broken internal invariant,
// never bad user input. The error's text carries the cause.
var ErrMath = errors.New("bert: math layer failed")

// errClosed is returned by every method of a closed Model.
var errClosed = errors.New("bert: model is closed")

// Model is a BERT sequence classifier: Hugging Face's
// BertForSequenceClassification in float32 on gorgonia, with its WordPiece
// tokenizer, its labels and the text cleaner applied before tokenization.
// Build one with [Load] or [New].
//
// Concurrency: [Model.Predict] and [Model.PredictBatch] may be called from
// many goroutines at once; each call borrows an inference worker (its own
// gorgonia machines over the shared, read-only weights) from a pool of up
// to GOMAXPROCS workers. [Model.TrainStep], [Model.SetTrainConfig],
// [Model.PlanSteps] and [Model.Close] take the model for themselves: they
// wait for running calls and block new ones. [Model.Save] and
// [Model.Snapshot] run alongside predictions but never during a training
// step.
type Model struct {
	cfg       Config
	tok       *tokenize.WordPiece
	labels    hatetweet.Labels
	cleaner   textclean.Cleaner
	preset    textclean.Preset // the cleaner's preset, valid when hasPreset
	hasPreset bool
	maxLen    int
	freshHead bool
	ps        *paramSet

	mu      sync.RWMutex // write-held by training, restores and Close
	closed  bool
	pool    *pool
	tr      *trainer
	planned int // TrainStep calls planned by PlanSteps; 0 when unknown
}

// New returns a randomly initialised BERT for cfg (see [Config.Validate]),
// with Hugging Face's initialisation: weights and embeddings drawn from
// N(0, initializer_range²) (the padding row of the word embeddings set to
// 0), biases 0, LayerNorm weights 1 and biases 0. Draws come from a PCG
// generator seeded by [WithSeed] (default 0), so equal seeds give equal
// weights. tok must not be nil, and its vocabulary must fit cfg.VocabSize;
// ls names the classes (at least two). The maximum length is the
// tokenizer's [tokenize.WordPiece.MaxLen] capped at max_position_embeddings,
// or a shorter [WithMaxLen]. The cleaner is [textclean.Light] unless
// [WithCleaner] says otherwise; [WithLabels] is rejected (the labels are
// ls). cfg's own id2label is replaced by ls.
func New(cfg Config, tok *tokenize.WordPiece, ls hatetweet.Labels, opts ...Option) (*Model, error) {
	o, err := applyOptions(opts)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	if o.labelsOK {
		errs = append(errs, errors.New("bert: New takes its labels as an argument: WithLabels applies only to Load"))
	}
	if tok == nil {
		errs = append(errs, errors.New("bert: nil tokenizer"))
	}
	if err := ls.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("bert: labels: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults().withLabels(ls)
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if tok.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("bert: tokenizer has %d tokens, vocab_size is %d", tok.VocabSize(), cfg.VocabSize)
	}
	maxLen, err := resolveMaxLen(o, tok.MaxLen(), cfg.MaxPositionEmbeddings)
	if err != nil {
		return nil, err
	}
	if maxLen > tok.MaxLen() {
		return nil, fmt.Errorf("bert: WithMaxLen(%d) exceeds the tokenizer's maximum length %d", maxLen, tok.MaxLen())
	}
	ps := newParamSet(newCkptWeights(cfg), cfg)
	ps.src.HasHead = true
	ps.initAll(rand.New(rand.NewPCG(o.seed, initStream)), cfg)
	return newModel(cfg, tok, ls, ps, o, maxLen, false)
}

// initStream is the second PCG seed of weight initialisation (the first is
// the WithSeed value): the ASCII bytes of "init".
const initStream = 0x696e6974

// newModel finishes a Model: its cleaner and its worker pool.
func newModel(cfg Config, tok *tokenize.WordPiece, ls hatetweet.Labels, ps *paramSet, o options, maxLen int, fresh bool) (*Model, error) {
	m := &Model{cfg: cfg, tok: tok, labels: ls, maxLen: maxLen, freshHead: fresh, ps: ps}
	switch {
	case o.cleanerOK:
		m.cleaner = o.cleaner
		m.preset, m.hasPreset = presetOf(o.cleaner)
	case cfg.Cleaner != "":
		p, err := textclean.ParsePreset(cfg.Cleaner)
		if err != nil {
			return nil, fmt.Errorf("%w: hatetweet_cleaner: %w", ErrBadCheckpoint, err)
		}
		m.cleaner, m.preset, m.hasPreset = p.Cleaner(), p, true
	default:
		m.cleaner, m.preset, m.hasPreset = textclean.Light{}, textclean.PresetLight, true
	}
	m.pool = newPool(runtime.GOMAXPROCS(0))
	return m, nil
}

// presetOf returns the preset whose cleaner c is, if any.
func presetOf(c textclean.Cleaner) (textclean.Preset, bool) {
	switch c := c.(type) {
	case textclean.Light:
		return textclean.PresetLight, true
	case textclean.Tweet:
		if c.RemoveStopwords {
			return textclean.PresetTweetStopwords, true
		}
		return textclean.PresetTweet, true
	}
	return 0, false
}

// Labels returns a copy of the model's class names, in the order of its
// logits.
func (m *Model) Labels() hatetweet.Labels { return append(hatetweet.Labels(nil), m.labels...) }

// Config returns the model's configuration (config.json with defaults
// applied and id2label set to the model's labels).
func (m *Model) Config() Config {
	c := m.cfg
	c.Architectures = slices.Clone(c.Architectures)
	if c.ClassifierDropout != nil {
		p := *c.ClassifierDropout
		c.ClassifierDropout = &p
	}
	return c.withLabels(m.labels)
}

// MaxLen returns the maximum input length in tokens, [CLS] and [SEP]
// included; longer texts are truncated.
func (m *Model) MaxLen() int { return m.maxLen }

// FreshHead reports whether the classifier head was drawn at random by
// [Load] because the checkpoint had none (a plain BertModel or
// BertForPreTraining checkpoint). Such a model must be fine-tuned before its
// predictions mean anything. A model saved after that and loaded again
// reports false.
func (m *Model) FreshHead() bool { return m.freshHead }

// Close releases the model's gorgonia machines. It waits for running calls;
// afterwards every method that computes returns an error. Close is
// idempotent.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	err := m.pool.close()
	if m.tr != nil {
		err = errors.Join(err, m.tr.close())
	}
	return err
}

// paramSet holds every parameter as an [nn.Param] under its Hugging Face
// name, with typed access for building graphs. The Params share their data
// with src, the checkpoint form that [writeWeights] saves, so an optimiser
// step or a restore updates both.
type paramSet struct {
	word, pos, typ *nn.Param
	embLN          norm
	layers         []layerParams
	poolW, poolB   *nn.Param
	clsW, clsB     *nn.Param
	all            []*nn.Param // in the canonical order of HF's state dict
	src            *ckptWeights
}

// norm is a LayerNorm's weight (gamma) and bias (beta).
type norm struct{ g, b *nn.Param }

// layerParams holds one encoder layer's parameters.
type layerParams struct {
	qW, qB, kW, kB, vW, vB *nn.Param
	aoW, aoB               *nn.Param
	attLN                  norm
	iW, iB, oW, oB         *nn.Param
	outLN                  norm
}

// newParamSet wraps w's tensors, for a cfg that names the model's labels,
// in Params. Tensors that w does not hold (all of them for [New], the
// classifier for a checkpoint without a head) get zero-filled data, which
// w then shares. Biases and LayerNorm weights are marked NoDecay.
func newParamSet(w *ckptWeights, cfg Config) *paramSet {
	ps := &paramSet{src: w}
	byT := map[*ckptTensor]*nn.Param{}
	for _, p := range w.params(cfg) {
		if len(p.T.Data) != ckptNumel(p.Shape) {
			*p.T = ckptTensor{Shape: slices.Clone(p.Shape), Data: make([]float32, ckptNumel(p.Shape))}
		}
		// Grad is allocated by the first training step: inference needs
		// none.
		np := &nn.Param{Name: p.Name, Shape: slices.Clone(p.Shape), Data: p.T.Data, NoDecay: !p.decayed()}
		ps.all = append(ps.all, np)
		byT[p.T] = np
	}
	ps.word, ps.pos, ps.typ = byT[&w.WordEmb], byT[&w.PosEmb], byT[&w.TypeEmb]
	ps.embLN = norm{byT[&w.EmbNorm], byT[&w.EmbNormBias]}
	for i := range w.Layers {
		l := &w.Layers[i]
		ps.layers = append(ps.layers, layerParams{
			qW: byT[&l.Query], qB: byT[&l.QueryBias],
			kW: byT[&l.Key], kB: byT[&l.KeyBias],
			vW: byT[&l.Value], vB: byT[&l.ValueBias],
			aoW: byT[&l.AttnOut], aoB: byT[&l.AttnOutBias],
			attLN: norm{byT[&l.AttnNorm], byT[&l.AttnNormBias]},
			iW:    byT[&l.Inter], iB: byT[&l.InterBias],
			oW: byT[&l.Out], oB: byT[&l.OutBias],
			outLN: norm{byT[&l.OutNorm], byT[&l.OutNormBias]},
		})
	}
	ps.poolW, ps.poolB = byT[&w.Pooler], byT[&w.PoolerBias]
	ps.clsW, ps.clsB = byT[&w.Classifier], byT[&w.ClassifierBias]
	return ps
}

// initAll draws every parameter as Hugging Face's _init_weights does, in
// canonical order, and zeroes the padding row of the word embeddings.
func (ps *paramSet) initAll(r *rand.Rand, cfg Config) {
	for _, p := range ps.all {
		initParam(r, p, cfg)
	}
	h, pad := cfg.HiddenSize, cfg.PadTokenID
	clear(ps.word.Data[pad*h : (pad+1)*h])
	ps.word.Touch()
}

// initHead draws the classifier head only: weight N(0,
// initializer_range²), bias 0.
func (ps *paramSet) initHead(r *rand.Rand, cfg Config) {
	initParam(r, ps.clsW, cfg)
	initParam(r, ps.clsB, cfg)
}

// initParam draws p: LayerNorm weights 1, other vectors (biases) 0,
// matrices and embeddings N(0, initializer_range²).
func initParam(r *rand.Rand, p *nn.Param, cfg Config) {
	switch {
	case strings.HasSuffix(p.Name, "LayerNorm.weight"):
		for i := range p.Data {
			p.Data[i] = 1
		}
	case len(p.Shape) == 1:
		clear(p.Data)
	default:
		p.Normal(r, cfg.InitializerRange)
	}
	p.Touch()
}
