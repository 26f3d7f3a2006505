package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/evaluate"
)

// ErrDiverged is returned, wrapped, by [Trainer.Fit] when TrainStep reports a
// NaN or infinite loss.
var ErrDiverged = errors.New("train: loss diverged")

// Trainable is a classifier that can take one optimiser step.
//
// TrainStep runs a forward and backward pass over batch and updates the
// weights once; it returns the batch's mean loss. batch is never empty, its
// labels are in range, and it is not used by Fit after TrainStep returns. Fit
// never calls TrainStep concurrently with other methods of the model.
type Trainable interface {
	hatetweet.Classifier
	TrainStep(ctx context.Context, batch []hatetweet.Example) (loss float64, err error)
}

// Snapshotter is an optional interface of a [Trainable]: Fit uses it to keep
// the weights of the best validation epoch. Snapshot copies the current
// weights in memory and returns a function that puts that copy back; the
// restore function may be called more than once. Models implement it without
// importing this package.
type Snapshotter interface {
	Snapshot() (restore func() error, err error)
}

// Scheduler is an optional interface of a [Trainable] whose optimiser needs
// the run's length, for example for a warm-up and linear-decay learning-rate
// schedule. Fit calls PlanSteps once, before the first TrainStep, with the
// number of TrainStep calls the run makes if it does not stop early:
// Epochs × ceil(len(trainSet) / BatchSize).
type Scheduler interface {
	PlanSteps(total int)
}

// Trainer runs the training loop of [Trainer.Fit] with a fixed [Config].
//
// A Trainer is immutable after [New]: Fit may run concurrently on different
// models (each Fit has its own shuffle generator), and the hooks of its
// Config are then called from each Fit's goroutine.
type Trainer struct {
	cfg Config
}

// New returns a Trainer for cfg after [Config.Validate]; its errors wrap
// [ErrInvalidConfig]. The defaults are applied to a copy of cfg, which is
// never changed.
func New(cfg Config) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Trainer{cfg: cfg.withDefaults()}, nil
}

// Config returns the Trainer's configuration with the defaults applied.
func (t *Trainer) Config() Config {
	c := t.cfg
	c.Labels = append(hatetweet.Labels(nil), c.Labels...)
	return c
}

// shuffleStream is the second PCG seed of the shuffle generator (the first is
// Config.Seed): the ASCII bytes of "shuffle".
const shuffleStream = 0x73687566666c65

// Fit trains m on trainSet for the configured number of epochs.
//
// It first validates its input, before any step: m must not be nil, trainSet
// must not be empty, and every label of trainSet and valSet must index
// Config.Labels (otherwise the error wraps [hatetweet.ErrUnknownLabel]). If m
// is a [Scheduler], Fit then calls PlanSteps once.
//
// Each epoch shuffles trainSet (see Config.Seed), cuts it into batches of
// BatchSize in that order (the last one partial), and calls TrainStep on each,
// checking ctx before every step. If valSet is not empty, Fit then evaluates
// m on it with [evaluate.Evaluate] and compares the macro F1 with the best so
// far; if it improved and m is a [Snapshotter], Fit snapshots the weights.
// Then it calls Config.OnEpoch, and stops early once Patience epochs in a row
// have not improved. Without a validation set there is no early stopping.
//
// Whenever Fit returns after taking a snapshot (completed, stopped early,
// cancelled, stopped by OnEpoch or failed), it first restores the best
// epoch's weights; otherwise m keeps the weights of its last step. A failed
// restore is joined to the returned error.
//
// Fit always returns the History so far, with Stopped set. Errors: ctx's
// error, wrapped, when ctx is done ([StopCancelled]); OnEpoch's error, wrapped
// ([StopCallback]); a TrainStep error wrapped with its epoch and step, a NaN
// or infinite loss wrapping [ErrDiverged], or a validation or snapshot error
// ([StopFailed]).
func (t *Trainer) Fit(ctx context.Context, m Trainable, trainSet, valSet []hatetweet.Example) (History, error) {
	if m == nil {
		return History{}, errors.New("train: nil model")
	}
	if len(trainSet) == 0 {
		return History{}, errors.New("train: empty training set")
	}
	if err := checkLabels("training", trainSet, t.cfg.Labels); err != nil {
		return History{}, err
	}
	if err := checkLabels("validation", valSet, t.cfg.Labels); err != nil {
		return History{}, err
	}
	r := &run{cfg: t.cfg, m: m, trainSet: trainSet, valSet: valSet}
	r.snap, _ = m.(Snapshotter)
	err := r.loop(ctx)
	if r.restore != nil && r.dirty {
		if rerr := r.restore(); rerr != nil {
			err = errors.Join(err, fmt.Errorf("train: restore weights of epoch %d: %w", r.h.BestEpoch, rerr))
		}
	}
	return r.h, err
}

func checkLabels(set string, data []hatetweet.Example, ls hatetweet.Labels) error {
	for i, ex := range data {
		if ex.Label < 0 || int(ex.Label) >= len(ls) {
			return fmt.Errorf("train: %s example %d: %w: %d, want 0..%d", set, i, hatetweet.ErrUnknownLabel, ex.Label, len(ls)-1)
		}
	}
	return nil
}

// run is the state of one Fit.
type run struct {
	cfg              Config
	m                Trainable
	snap             Snapshotter // nil when m is not a Snapshotter
	trainSet, valSet []hatetweet.Example

	h       History
	restore func() error // puts back the best snapshot; nil before the first
	dirty   bool         // a TrainStep ran since the last snapshot
}

// loop runs the epochs and sets r.h.Stopped.
func (r *run) loop(ctx context.Context) error {
	n, bs := len(r.trainSet), r.cfg.BatchSize
	steps := (n + bs - 1) / bs
	if s, ok := r.m.(Scheduler); ok {
		s.PlanSteps(r.cfg.Epochs * steps)
	}
	rng := rand.New(rand.NewPCG(r.cfg.Seed, shuffleStream))
	perm := make([]int, n)
	for epoch := 1; epoch <= r.cfg.Epochs; epoch++ {
		for i := range perm {
			perm[i] = i
		}
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })

		es, err := r.epoch(ctx, epoch, steps, perm)
		if err != nil {
			return err
		}
		if len(r.valSet) > 0 {
			if err := r.validate(ctx, &es); err != nil {
				return err
			}
		}
		r.h.Epochs = append(r.h.Epochs, es)
		if r.cfg.OnEpoch != nil {
			if err := r.cfg.OnEpoch(es); err != nil {
				r.h.Stopped = StopCallback
				return fmt.Errorf("train: OnEpoch after epoch %d: %w", epoch, err)
			}
		}
		if r.cfg.Patience > 0 && r.h.BestEpoch > 0 && epoch-r.h.BestEpoch >= r.cfg.Patience && epoch < r.cfg.Epochs {
			r.h.Stopped = StopEarly
			return nil
		}
	}
	r.h.Stopped = StopCompleted
	return nil
}

// epoch runs the training steps of one epoch over trainSet in perm order.
func (r *run) epoch(ctx context.Context, epoch, steps int, perm []int) (EpochStats, error) {
	bs := r.cfg.BatchSize
	es := EpochStats{Epoch: epoch}
	var lossSum float64
	start := time.Now()
	for step := 1; step <= steps; step++ {
		if err := ctx.Err(); err != nil {
			r.h.Stopped = StopCancelled
			return es, fmt.Errorf("train: epoch %d before step %d of %d: %w", epoch, step, steps, err)
		}
		idx := perm[(step-1)*bs : min(step*bs, len(perm))]
		batch := make([]hatetweet.Example, len(idx))
		for i, j := range idx {
			batch[i] = r.trainSet[j]
		}
		r.dirty = true
		loss, err := r.m.TrainStep(ctx, batch)
		if err != nil {
			r.h.Stopped = StopFailed
			if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				r.h.Stopped = StopCancelled
			}
			return es, fmt.Errorf("train: epoch %d step %d of %d: %w", epoch, step, steps, err)
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			r.h.Stopped = StopFailed
			return es, fmt.Errorf("train: epoch %d step %d of %d: %w: loss %v", epoch, step, steps, ErrDiverged, loss)
		}
		r.h.Steps++
		es.Steps++
		es.Examples += len(batch)
		lossSum += loss * float64(len(batch))
		if r.cfg.OnBatch != nil {
			r.cfg.OnBatch(BatchStats{
				Epoch: epoch, Epochs: r.cfg.Epochs, Step: step, Steps: steps,
				Loss: loss, Examples: es.Examples, ExamplesPerSec: perSecond(es.Examples, time.Since(start)),
			})
		}
	}
	es.Duration = time.Since(start)
	es.TrainLoss = lossSum / float64(es.Examples)
	es.ExamplesPerSec = perSecond(es.Examples, es.Duration)
	return es, nil
}

// validate evaluates the model on valSet, updates the best epoch and takes a
// snapshot on improvement.
func (r *run) validate(ctx context.Context, es *EpochStats) error {
	start := time.Now()
	rep, err := evaluate.Evaluate(ctx, r.m, r.cfg.Labels, r.valSet, evaluate.WithBatchSize(r.cfg.EvalBatchSize))
	if err != nil {
		r.h.Stopped = StopFailed
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			r.h.Stopped = StopCancelled
		}
		return fmt.Errorf("train: validate epoch %d: %w", es.Epoch, err)
	}
	es.ValDuration = time.Since(start)
	es.Val = &rep
	es.ValMacroF1 = rep.Macro.F1
	if r.h.BestEpoch > 0 && es.ValMacroF1 <= r.h.BestMacroF1+r.cfg.MinDelta {
		return nil
	}
	if r.snap != nil {
		restore, err := r.snap.Snapshot()
		if err == nil && restore == nil {
			err = errors.New("nil restore function")
		}
		if err != nil {
			r.h.Stopped = StopFailed
			return fmt.Errorf("train: snapshot epoch %d: %w", es.Epoch, err)
		}
		r.restore, r.dirty = restore, false
	}
	es.Improved = true
	r.h.BestEpoch, r.h.BestMacroF1 = es.Epoch, es.ValMacroF1
	return nil
}

// perSecond returns n/d in events per second, 0 when d is not positive.
func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
