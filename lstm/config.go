package lstm

import (
	"errors"
	"fmt"
	"math"

	"github.com/hatetweet/hatetweet/textclean"
)

// Defaults for the zero values of [Config]: the reference BiLSTM
// (shared/anchors/lstm.py).
const (
	DefaultEmbeddingDim = 100
	DefaultHidden       = 128
	DefaultLayers       = 1
	DefaultDropout      = 0.3
	DefaultMaxLen       = 64
	DefaultLearningRate = 1e-3
)

// Config holds the architecture and training hyperparameters of a [Model].
// It is saved with the model (config.json) and read back by [Load].
// [New] applies the defaults to a copy; the caller's struct is never
// changed. [Model.Config] returns the copy with defaults applied.
type Config struct {
	// EmbeddingDim is the size of a word vector. 0 means
	// [DefaultEmbeddingDim] (100).
	EmbeddingDim int `json:"embedding_dim"`
	// Hidden is the LSTM state size per direction. 0 means
	// [DefaultHidden] (128).
	Hidden int `json:"hidden"`
	// Layers is the number of stacked LSTM layers. 0 means
	// [DefaultLayers] (1).
	Layers int `json:"layers"`
	// Direction says whether the LSTM reads forward only or both ways. The
	// zero value is [Bidirectional].
	Direction Direction `json:"direction"`
	// Dropout is the probability of zeroing a feature of the final states
	// before the classifier, during training only. 0 means
	// [DefaultDropout] (0.3); a negative value means no dropout. It must be
	// below 1. There is no dropout between stacked layers.
	Dropout float64 `json:"dropout"`
	// MaxLen is the number of tokens kept from each text (its first
	// MaxLen); longer texts are truncated. 0 means [DefaultMaxLen] (64).
	MaxLen int `json:"max_len"`
	// Seed seeds the model's random number generator, which draws the
	// initial weights and the dropout masks: the same Seed, vocabulary,
	// labels and training batches give bit-identical weights on the same
	// machine. 0 is a valid seed.
	Seed uint64 `json:"seed"`
	// Cleaner names the cleaner applied to every text before tokenizing;
	// it is saved with the model. The zero value is
	// [textclean.PresetTweet], the cleaning of the reference model;
	// [textclean.PresetNone] skips cleaning. Build the vocabulary from
	// text cleaned the same way. [WithCleaner] overrides it for one Model
	// without saving.
	Cleaner textclean.Preset `json:"cleaner"`

	// LearningRate is the optimiser's base step size. 0 means
	// [DefaultLearningRate] (1e-3).
	LearningRate float64 `json:"learning_rate"`
	// Optimizer selects Adam (the zero value) or AdamW.
	Optimizer Optimizer `json:"optimizer"`
	// WeightDecay is the weight decay of every parameter: an L2 penalty
	// with [Adam], decoupled decay with [AdamW]. 0 means none.
	WeightDecay float64 `json:"weight_decay"`
	// ClipNorm is the largest global L2 norm of the gradients; larger
	// gradients are scaled down to it before each step, as
	// torch.nn.utils.clip_grad_norm_. 0 means no clipping.
	ClipNorm float64 `json:"clip_norm"`
	// ClassWeights holds one cross-entropy weight per label, as
	// torch.nn.CrossEntropyLoss(weight=...); nil means equal weights. See
	// train.ClassWeights for inverse-frequency weights.
	ClassWeights []float32 `json:"class_weights,omitempty"`
	// Schedule shapes the learning rate over the run. The zero value is
	// [ScheduleConstant].
	Schedule Schedule `json:"schedule"`
	// WarmupSteps is the number of steps over which the learning rate
	// rises linearly from 0, for either schedule. 0 means no warm-up.
	WarmupSteps int `json:"warmup_steps"`
}

// withDefaults returns a copy of c with the defaults applied and its own
// copy of ClassWeights.
func (c Config) withDefaults() Config {
	if c.EmbeddingDim == 0 {
		c.EmbeddingDim = DefaultEmbeddingDim
	}
	if c.Hidden == 0 {
		c.Hidden = DefaultHidden
	}
	if c.Layers == 0 {
		c.Layers = DefaultLayers
	}
	if c.Dropout == 0 {
		c.Dropout = DefaultDropout
	}
	if c.MaxLen == 0 {
		c.MaxLen = DefaultMaxLen
	}
	if c.LearningRate == 0 {
		c.LearningRate = DefaultLearningRate
	}
	if c.ClassWeights != nil {
		c.ClassWeights = append([]float32(nil), c.ClassWeights...)
	}
	return c
}

// dropout returns the dropout probability in effect: 0 for none.
func (c Config) dropout() float64 { return max(0, c.Dropout) }

// dirs returns the number of LSTM directions.
func (c Config) dirs() int {
	if c.Direction == Forward {
		return 1
	}
	return 2
}

// Validate reports every problem with c at once, joined with errors.Join.
// It checks the fields as given, so zero values (meaning "use the
// default") are valid. The number of ClassWeights is checked against the
// labels by [New] and [Load].
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("lstm: config: "+format, args...))
	}
	if c.EmbeddingDim < 0 {
		bad("embedding dim %d, want at least 0 (0 means %d)", c.EmbeddingDim, DefaultEmbeddingDim)
	}
	if c.Hidden < 0 {
		bad("hidden size %d, want at least 0 (0 means %d)", c.Hidden, DefaultHidden)
	}
	if c.Layers < 0 {
		bad("layers %d, want at least 0 (0 means %d)", c.Layers, DefaultLayers)
	}
	if !c.Direction.valid() {
		bad("unknown direction %d", int(c.Direction))
	}
	if math.IsNaN(c.Dropout) || c.Dropout >= 1 {
		bad("dropout %v, want below 1 (0 means %v, negative means none)", c.Dropout, DefaultDropout)
	}
	if c.MaxLen < 0 {
		bad("max len %d, want at least 0 (0 means %d)", c.MaxLen, DefaultMaxLen)
	}
	if _, err := c.Cleaner.MarshalText(); err != nil {
		bad("cleaner: %w", err)
	}
	if !finite(c.LearningRate) || c.LearningRate < 0 {
		bad("learning rate %v, want a finite value of at least 0 (0 means %v)", c.LearningRate, DefaultLearningRate)
	}
	if !c.Optimizer.valid() {
		bad("unknown optimizer %d", int(c.Optimizer))
	}
	if !finite(c.WeightDecay) || c.WeightDecay < 0 {
		bad("weight decay %v, want a finite value of at least 0", c.WeightDecay)
	}
	if !finite(c.ClipNorm) || c.ClipNorm < 0 {
		bad("clip norm %v, want a finite value of at least 0 (0 means no clipping)", c.ClipNorm)
	}
	for i, w := range c.ClassWeights {
		if !finite(float64(w)) || w < 0 {
			bad("class weight %d is %v, want a finite value of at least 0", i, w)
		}
	}
	if !c.Schedule.valid() {
		bad("unknown schedule %d", int(c.Schedule))
	}
	if c.WarmupSteps < 0 {
		bad("warmup steps %d, want at least 0", c.WarmupSteps)
	}
	return errors.Join(errs...)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
