package lstm

import (
	"context"
	"errors"
	"fmt"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/nn"
)

// trainer is the training state of a Model: its graphs, its optimiser and
// the planned length of the run.
type trainer struct {
	cache   *nn.ShapeCache[*netGraph]
	adam    *nn.Adam
	planned int
	rows    [][]int
}

func (t *trainer) close() error { return t.cache.Close() }

// TrainStep takes one optimiser step on batch and returns the batch's mean
// cross-entropy loss (weighted by Config.ClassWeights as
// torch.nn.CrossEntropyLoss(weight=...) does) before the step. It encodes
// the texts as [Model.PredictBatch] does, draws a dropout mask from the
// model's seeded generator, back-propagates, clips the gradients' global
// norm to Config.ClipNorm (when set), and updates every weight with Adam
// or AdamW at the learning rate of Config.Schedule.
//
// The batch must not be empty, and every label must index the model's
// labels (otherwise the error wraps [hatetweet.ErrUnknownLabel]); it is
// checked before any weight changes. With [ScheduleLinear], [Model.PlanSteps]
// must have been called. Errors wrap ctx.Err() when ctx is done on entry,
// [ErrClosed] after Close, and [ErrMath] for a failure in the math layer,
// in which case the weights are unchanged.
//
// TrainStep must not run concurrently with other calls; it takes the
// model's exclusive lock, so concurrent PredictBatch calls wait.
func (m *Model) TrainStep(ctx context.Context, batch []hatetweet.Example) (loss float64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("lstm: train step: %w", err)
	}
	if len(batch) == 0 {
		return 0, errors.New("lstm: train step: empty batch")
	}
	for i, ex := range batch {
		if ex.Label < 0 || int(ex.Label) >= len(m.labels) {
			return 0, fmt.Errorf("lstm: train step: example %d: %w: %d, want 0..%d",
				i, hatetweet.ErrUnknownLabel, ex.Label, len(m.labels)-1)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, fmt.Errorf("lstm: train step: %w", ErrClosed)
	}
	if m.tr == nil {
		m.tr = &trainer{cache: newGraphCache()}
	}
	if m.tr.adam == nil {
		adam, err := nn.NewAdam(m.params, nn.AdamConfig{
			LearningRate: m.cfg.LearningRate,
			WeightDecay:  m.cfg.WeightDecay,
			Decoupled:    m.cfg.Optimizer == AdamW,
		})
		if err != nil {
			return 0, fmt.Errorf("lstm: train step: %w", err)
		}
		m.tr.adam = adam
	}
	lrScale, err := m.lrScale()
	if err != nil {
		return 0, err
	}
	defer func() {
		if errors.Is(err, ErrMath) {
			// Graphs may be in any state after a failure: rebuild them.
			_ = m.tr.close() // the failure is already being reported
		}
	}()
	defer recoverMath(&err)

	tr := m.tr
	texts := make([]string, len(batch))
	for i, ex := range batch {
		texts[i] = ex.Text
	}
	var longest int
	tr.rows, longest = m.encode(texts, tr.rows[:0])
	seq := nn.PaddedLen(longest, m.cfg.MaxLen)
	ng, err := tr.cache.Get(len(batch), seq, func() (*netGraph, error) { return m.build(len(batch), seq, true) })
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrMath, err)
	}
	ng.fill(tr.rows)
	for i, ex := range batch {
		ng.ce.Targets[i] = int(ex.Label)
	}
	if ng.drop != nil {
		nn.FillDropoutMask(m.rng, ng.drop.Mask, m.cfg.dropout())
	}
	if err = ng.prog.Run(); err != nil {
		return 0, fmt.Errorf("%w: train step: %w", ErrMath, err)
	}
	loss = ng.ce.Loss
	if m.cfg.ClipNorm > 0 {
		nn.ClipGlobalNorm(m.params, m.cfg.ClipNorm)
	}
	tr.adam.Step(lrScale)
	return loss, nil
}

// lrScale returns the learning-rate multiplier of the next step.
func (m *Model) lrScale() (float64, error) {
	step, warmup := m.tr.adam.Steps(), m.cfg.WarmupSteps
	switch m.cfg.Schedule {
	case ScheduleLinear:
		if m.tr.planned == 0 {
			return 0, errors.New("lstm: train step: the linear schedule needs PlanSteps first")
		}
		return nn.LinearWarmupDecay(step, warmup, m.tr.planned), nil
	default:
		if step < warmup {
			return float64(step) / float64(warmup), nil
		}
		return 1, nil
	}
}

// PlanSteps tells the model how many TrainStep calls the run will make, for
// [ScheduleLinear]; train.Trainer calls it before the first step. It has no
// effect on [ScheduleConstant]. PlanSteps must not run concurrently with
// other calls.
func (m *Model) PlanSteps(total int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tr == nil {
		m.tr = &trainer{cache: newGraphCache()}
	}
	m.tr.planned = total
}

// Snapshot copies the current weights and returns a function that puts
// that copy back, for keeping the best epoch of a run (train.Snapshotter).
// The restore function may be called more than once; it restores the
// weights only, not the optimiser's moments or the dropout generator, as
// torch's load_state_dict does. Snapshot returns an error wrapping
// [ErrClosed] after Close, and so does restore.
func (m *Model) Snapshot() (restore func() error, err error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("lstm: snapshot: %w", ErrClosed)
	}
	snap := nn.Snapshot(m.params)
	return func() error {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.closed {
			return fmt.Errorf("lstm: restore snapshot: %w", ErrClosed)
		}
		if err := nn.Restore(m.params, snap); err != nil {
			return fmt.Errorf("lstm: restore snapshot: %w", err)
		}
		return nil
	}, nil
}
