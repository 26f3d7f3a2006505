package bert

import (
	"errors"
	"fmt"
	"math"
)

// Defaults of [TrainConfig].
const (
	// DefaultLearningRate is 2e-5, the low end of the BERT paper's
	// fine-tuning grid (2e-5 to 5e-5; Hugging Face's Trainer defaults to
	// 5e-5), which is the safer choice for small, noisy tweet data sets.
	DefaultLearningRate = 2e-5
	// DefaultWeightDecay is 0.01, the decay of the usual BERT fine-tuning
	// recipe.
	DefaultWeightDecay = 0.01
	// DefaultClipNorm is 1.0, Hugging Face's max_grad_norm.
	DefaultClipNorm = 1.0
)

// TrainConfig holds the fine-tuning hyperparameters of [Model.TrainStep]:
// AdamW with torch.optim.AdamW semantics (betas 0.9 and 0.999, epsilon
// 1e-8, decoupled weight decay that skips biases and LayerNorm weights), a
// linear warm-up then a linear decay to 0 over the steps announced by
// [Model.PlanSteps], gradient clipping by global norm, optional class
// weights, and the dropout rates of config.json. Set it with
// [Model.SetTrainConfig]; the zero value is the default recipe.
type TrainConfig struct {
	// LearningRate is the peak learning rate per step; 0 means
	// [DefaultLearningRate]. It must not be negative.
	LearningRate float64 `json:"learning_rate"`
	// WeightDecay is AdamW's decoupled decay rate; 0 means
	// [DefaultWeightDecay], and a negative value means no decay. Biases and
	// LayerNorm weights are never decayed.
	WeightDecay float64 `json:"weight_decay"`
	// WarmupSteps is the number of steps over which the learning rate
	// climbs linearly from 0; 0 means WarmupRatio decides.
	WarmupSteps int `json:"warmup_steps"`
	// WarmupRatio is the warm-up as a fraction of the planned steps, in
	// [0, 1), used when WarmupSteps is 0; 0 means no warm-up.
	WarmupRatio float64 `json:"warmup_ratio"`
	// ClipNorm is the largest global L2 norm of the gradient before each
	// step; 0 means [DefaultClipNorm], and a negative value means no
	// clipping.
	ClipNorm float64 `json:"clip_norm"`
	// ClassWeights holds one positive weight per label for the
	// cross-entropy loss (torch's weight=: the loss is Σ w[y]·nll / Σ
	// w[y]); nil means equal weights.
	ClassWeights []float32 `json:"class_weights,omitempty"`
	// DisableDropout turns dropout off during training. By default
	// training uses the dropout rates of config.json (hidden, attention
	// and classifier); inference never drops anything.
	DisableDropout bool `json:"disable_dropout"`
	// Seed seeds the dropout masks; the same seed, data and machine give
	// the same weights. 0 is a valid seed.
	Seed uint64 `json:"seed"`
}

// withDefaults returns a copy of c with zero values replaced by their
// documented defaults.
func (c TrainConfig) withDefaults() TrainConfig {
	if c.LearningRate == 0 {
		c.LearningRate = DefaultLearningRate
	}
	switch {
	case c.WeightDecay == 0:
		c.WeightDecay = DefaultWeightDecay
	case c.WeightDecay < 0:
		c.WeightDecay = 0
	}
	switch {
	case c.ClipNorm == 0:
		c.ClipNorm = DefaultClipNorm
	case c.ClipNorm < 0:
		c.ClipNorm = 0
	}
	c.ClassWeights = append([]float32(nil), c.ClassWeights...)
	if len(c.ClassWeights) == 0 {
		c.ClassWeights = nil
	}
	return c
}

// Validate reports every problem of c at once, joined with errors.Join.
// It does not know the model's labels: [Model.SetTrainConfig] also checks
// that ClassWeights has one weight per label.
func (c TrainConfig) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("bert: train config: "+format, args...))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !finite(c.LearningRate) || c.LearningRate < 0 {
		bad("learning rate %v is negative or not finite", c.LearningRate)
	}
	if !finite(c.WeightDecay) {
		bad("weight decay %v is not finite", c.WeightDecay)
	}
	if c.WarmupSteps < 0 {
		bad("warm-up steps %d is negative", c.WarmupSteps)
	}
	if !(c.WarmupRatio >= 0 && c.WarmupRatio < 1) {
		bad("warm-up ratio %v is outside [0, 1)", c.WarmupRatio)
	}
	if !finite(c.ClipNorm) {
		bad("clip norm %v is not finite", c.ClipNorm)
	}
	for i, w := range c.ClassWeights {
		if !(w > 0) || math.IsInf(float64(w), 0) {
			bad("class weight %d is %v, want a positive number", i, w)
		}
	}
	return errors.Join(errs...)
}

// warmup returns the number of warm-up steps for a run of total steps
// (0 when unknown).
func (c TrainConfig) warmup(total int) int {
	if c.WarmupSteps > 0 {
		return c.WarmupSteps
	}
	return int(math.Ceil(c.WarmupRatio * float64(total)))
}
