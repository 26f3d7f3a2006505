package bert

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/nn"
	"github.com/hatetweet/hatetweet/tokenize"
)

// dropoutStream is the second PCG seed of the dropout masks (the first is
// TrainConfig.Seed): the ASCII bytes of "dropout".
const dropoutStream = 0x64726f706f7574

// Limits of the cache of compiled training nets: 4 shapes and 2×32×128
// tokens (a training net holds every activation for the backward pass).
const (
	trainNets      = 4
	trainNetTokens = 2 * 32 * 128
)

// trainer is the optimiser state of a Model: created by SetTrainConfig or
// the first TrainStep, reset by SetTrainConfig.
type trainer struct {
	cfg  TrainConfig // defaults applied
	adam *nn.Adam
	rng  *rand.Rand
	step int
	nets *nn.ShapeCache[*net]
	// gradNorm is the global gradient norm before clipping of the latest
	// step, for tests.
	gradNorm float64
}

func newTrainer(c TrainConfig, params []*nn.Param, nets *nn.ShapeCache[*net]) (*trainer, error) {
	c = c.withDefaults()
	for _, p := range params {
		if len(p.Grad) != len(p.Data) {
			p.Grad = make([]float32, len(p.Data))
		}
	}
	adam, err := nn.NewAdam(params, nn.AdamConfig{
		LearningRate: c.LearningRate,
		WeightDecay:  c.WeightDecay,
		Decoupled:    true,
	})
	if err != nil {
		return nil, fmt.Errorf("bert: %w", err)
	}
	if nets == nil {
		nets = nn.NewShapeCache[*net](trainNets, trainNetTokens)
	}
	return &trainer{cfg: c, adam: adam, rng: rand.New(rand.NewPCG(c.Seed, dropoutStream)), nets: nets}, nil
}

// lrScale returns the learning-rate multiplier of the current step: a
// linear warm-up from 0, then a linear decay to 0 at the planned total
// (Hugging Face's get_linear_schedule_with_warmup); without a plan (total
// 0), the rate stays at its peak after the warm-up.
func (t *trainer) lrScale(total int) float64 {
	warm := t.cfg.warmup(total)
	if total > 0 {
		return nn.LinearWarmupDecay(t.step, warm, total)
	}
	if t.step < warm {
		return float64(t.step) / float64(warm)
	}
	return 1
}

func (t *trainer) close() error { return t.nets.Close() }

// SetTrainConfig validates c and makes it the recipe of the following
// [Model.TrainStep] calls. It restarts the optimiser: moments, step count
// and dropout generator start afresh (the plan of [Model.PlanSteps] is
// kept). ClassWeights, when set, must hold one weight
// per label. Without a call, TrainStep uses the zero TrainConfig.
func (m *Model) SetTrainConfig(c TrainConfig) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ClassWeights != nil && len(c.ClassWeights) != len(m.labels) {
		return fmt.Errorf("bert: train config: %w: %d class weights for %d labels",
			hatetweet.ErrLengthMismatch, len(c.ClassWeights), len(m.labels))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errClosed
	}
	var nets *nn.ShapeCache[*net]
	if m.tr != nil {
		nets = m.tr.nets
	}
	tr, err := newTrainer(c, m.ps.all, nets)
	if err != nil {
		return err
	}
	m.tr = tr
	return nil
}

// PlanSteps tells the model how many TrainStep calls the run will make, so
// that the learning rate decays linearly to 0 at the last one (after the
// warm-up). train.Trainer.Fit calls it before the first step. A total of
// 0 or less means unknown: the rate then stays at its peak after warm-up.
func (m *Model) PlanSteps(total int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.planned = max(0, total)
}

// TrainStep runs one optimisation step on batch: forward pass with
// training dropout, class-weighted cross-entropy, backward pass, gradient
// clipping by global norm, and one AdamW update at the scheduled learning
// rate (see [TrainConfig]). It returns the batch's mean loss before the
// update. Texts are cleaned, tokenized and padded as by
// [Model.PredictBatch].
//
// The batch must not be empty and its labels must index [Model.Labels]
// (otherwise the error wraps [hatetweet.ErrUnknownLabel]); nothing is
// changed then. A loss that is NaN or infinite is returned without
// updating the weights. ctx is checked before the step. A failure of the
// math layer gives an error wrapping [ErrMath]. TrainStep is not safe for
// concurrent use with any other method.
func (m *Model) TrainStep(ctx context.Context, batch []hatetweet.Example) (loss float64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("bert: train step: %w", err)
	}
	if len(batch) == 0 {
		return 0, errors.New("bert: train step: empty batch")
	}
	texts := make([]string, len(batch))
	labels := make([]int, len(batch))
	for i, ex := range batch {
		if ex.Label < 0 || int(ex.Label) >= len(m.labels) {
			return 0, fmt.Errorf("bert: train step: example %d: %w: %d, want 0..%d",
				i, hatetweet.ErrUnknownLabel, ex.Label, len(m.labels)-1)
		}
		texts[i], labels[i] = ex.Text, int(ex.Label)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, errClosed
	}
	b, err := m.encode(texts)
	if err != nil {
		return 0, err
	}
	return m.trainEncoded(b, labels)
}

// trainEncoded runs one step on an encoded batch; m.mu must be held for
// writing.
func (m *Model) trainEncoded(b tokenize.Batch, labels []int) (loss float64, err error) {
	defer recoverMath(&err)
	if err := m.checkBatch(b); err != nil {
		return 0, err
	}
	if len(labels) != b.Size {
		return 0, fmt.Errorf("bert: %w: %d labels for %d texts", hatetweet.ErrLengthMismatch, len(labels), b.Size)
	}
	if m.tr == nil {
		if m.tr, err = newTrainer(TrainConfig{}, m.ps.all, nil); err != nil {
			return 0, err
		}
	}
	t := m.tr
	n, err := t.nets.Get(b.Size, b.SeqLen, func() (*net, error) {
		return buildNet(m.cfg, m.ps, b.Size, b.SeqLen, true)
	})
	if err != nil {
		return 0, mathErr(err)
	}
	n.setInputs(b)
	n.setDropout(t.rng, !t.cfg.DisableDropout)
	n.loss.Targets = labels
	n.loss.Weights = t.cfg.ClassWeights
	if err := n.prog.Run(); err != nil {
		return 0, mathErr(err)
	}
	loss = n.loss.Loss
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, nil
	}
	t.gradNorm = nn.ClipGlobalNorm(m.ps.all, t.cfg.ClipNorm)
	t.adam.Step(t.lrScale(m.planned))
	t.step++
	return loss, nil
}

// Snapshot copies the current weights and returns a function that puts
// the copy back, as train.Trainer.Fit uses to keep the best epoch. The
// restore function may be called more than once; it does not touch the
// optimiser state. It fails on a closed model.
func (m *Model) Snapshot() (restore func() error, err error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, errClosed
	}
	saved := nn.Snapshot(m.ps.all)
	return func() error {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.closed {
			return errClosed
		}
		if err := nn.Restore(m.ps.all, saved); err != nil {
			return fmt.Errorf("bert: restore: %w", err)
		}
		return nil
	}, nil
}
