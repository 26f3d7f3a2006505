package train

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/evaluate"
)

func newTrainer(t *testing.T, cfg Config) *Trainer {
	t.Helper()
	if cfg.Labels == nil {
		cfg.Labels = hatetweet.DavidsonLabels()
	}
	tr, err := New(cfg)
	require.NoError(t, err)
	return tr
}

// levelF1 is the validation macro F1 of fakeModel at a script level: the
// first level examples of valSet predicted right, the rest as (gold+1)%3.
func levelF1(t *testing.T, level int) float64 {
	t.Helper()
	c := evaluate.NewConfusion(hatetweet.DavidsonLabels())
	for i, ex := range valSet() {
		pred := ex.Label
		if i >= level {
			pred = (ex.Label + 1) % 3
		}
		require.NoError(t, c.Add(ex.Label, pred))
	}
	return c.Report().Macro.F1
}

func TestNew_defaults(t *testing.T) {
	t.Parallel()
	ls := hatetweet.DavidsonLabels()
	cfg := Config{Labels: ls, Seed: 7}
	before := cfg
	tr, err := New(cfg)
	require.NoError(t, err)

	got := tr.Config()
	assert.Equal(t, DefaultEpochs, got.Epochs)
	assert.Equal(t, DefaultBatchSize, got.BatchSize)
	assert.Equal(t, DefaultEvalBatchSize, got.EvalBatchSize)
	assert.Equal(t, uint64(7), got.Seed)
	assert.Zero(t, got.Patience, "0 means no early stopping and stays 0")

	assert.Equal(t, before.Epochs, cfg.Epochs, "New must not change the caller's config")
	assert.Equal(t, before.BatchSize, cfg.BatchSize)
	assert.Equal(t, before.EvalBatchSize, cfg.EvalBatchSize)
	ls[0] = "changed"
	assert.Equal(t, "hate", tr.Config().Labels[0], "New must copy the labels")
	got.Labels[1] = "changed"
	assert.Equal(t, "offensive", tr.Config().Labels[1], "Config must return a copy of the labels")
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	ls := hatetweet.DavidsonLabels()
	tests := []struct {
		name    string
		reason  string
		cfg     Config
		wantErr int // number of joined problems
	}{
		{name: "zero_with_labels", reason: "zero values mean defaults", cfg: Config{Labels: ls}},
		{name: "all_set", reason: "every field valid", cfg: Config{Epochs: 3, BatchSize: 16, Seed: 1, Patience: 2, MinDelta: 0.01, EvalBatchSize: 64, Labels: ls}},
		{name: "no_labels", reason: "labels are required", cfg: Config{}, wantErr: 1},
		{name: "one_label", reason: "a classifier needs 2 labels", cfg: Config{Labels: ls[:1]}, wantErr: 1},
		{name: "negative_epochs", reason: "epochs < 0", cfg: Config{Epochs: -1, Labels: ls}, wantErr: 1},
		{name: "negative_batch", reason: "batch size < 0", cfg: Config{BatchSize: -1, Labels: ls}, wantErr: 1},
		{name: "negative_patience", reason: "patience < 0", cfg: Config{Patience: -1, Labels: ls}, wantErr: 1},
		{name: "negative_min_delta", reason: "min delta < 0", cfg: Config{MinDelta: -0.1, Labels: ls}, wantErr: 1},
		{name: "nan_min_delta", reason: "NaN compares false with everything", cfg: Config{MinDelta: math.NaN(), Labels: ls}, wantErr: 1},
		{name: "inf_min_delta", reason: "no improvement could ever count", cfg: Config{MinDelta: math.Inf(1), Labels: ls}, wantErr: 1},
		{name: "negative_eval_batch", reason: "eval batch size < 0", cfg: Config{EvalBatchSize: -1, Labels: ls}, wantErr: 1},
		{
			name:    "everything_wrong",
			reason:  "every problem is reported at once",
			cfg:     Config{Epochs: -1, BatchSize: -2, Patience: -3, MinDelta: -1, EvalBatchSize: -4},
			wantErr: 6,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.cfg.Validate()
			_, newErr := New(tc.cfg)
			if tc.wantErr == 0 {
				require.NoError(t, err, tc.reason)
				require.NoError(t, newErr, tc.reason)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig, tc.reason)
			require.ErrorIs(t, newErr, ErrInvalidConfig, tc.reason)
			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok, "Validate joins its problems with errors.Join")
			require.Len(t, joined.Unwrap(), tc.wantErr, tc.reason)
			for _, e := range joined.Unwrap() {
				assert.ErrorIs(t, e, ErrInvalidConfig, "each problem wraps ErrInvalidConfig")
			}
		})
	}
}

func TestTrainer_Fit_shuffle(t *testing.T) {
	t.Parallel()
	const n, epochs = 50, 3
	run := func(seed uint64) [][]string {
		m := &fakeModel{ls: hatetweet.DavidsonLabels()}
		_, err := newTrainer(t, Config{Epochs: epochs, BatchSize: n, Seed: seed}).Fit(t.Context(), m, trainSet(n), nil)
		require.NoError(t, err)
		require.Len(t, m.batches, epochs, "batch size n: one batch per epoch")
		out := make([][]string, epochs)
		for i, b := range m.batches {
			out[i] = texts(b)
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	assert.Equal(t, a, b, "the same seed gives the same order")
	assert.NotEqual(t, a, c, "another seed gives another order")
	want := texts(trainSet(n))
	slices.Sort(want)
	for e, order := range a {
		got := slices.Clone(order)
		slices.Sort(got)
		assert.Equal(t, want, got, "epoch %d visits every example once", e+1)
	}
	assert.NotEqual(t, texts(trainSet(n)), a[0], "epoch 1 is shuffled")
	assert.NotEqual(t, a[0], a[1], "every epoch is reshuffled")
	assert.NotEqual(t, a[1], a[2], "every epoch is reshuffled")
}

func TestTrainer_Fit_batches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reason    string
		n, bs     int
		epochs    int
		wantSizes []int // per epoch
	}{
		{name: "partial_last", reason: "10 = 4+4+2", n: 10, bs: 4, epochs: 2, wantSizes: []int{4, 4, 2}},
		{name: "exact", reason: "8 = 4+4, no empty batch", n: 8, bs: 4, epochs: 2, wantSizes: []int{4, 4}},
		{name: "larger_than_set", reason: "one partial batch", n: 3, bs: 32, epochs: 3, wantSizes: []int{3}},
		{name: "size_one", reason: "pure SGD", n: 3, bs: 1, epochs: 1, wantSizes: []int{1, 1, 1}},
		{name: "default", reason: "BatchSize 0 means 32: 70 = 32+32+6", n: 70, bs: 0, epochs: 1, wantSizes: []int{32, 32, 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := &fakeModel{ls: hatetweet.DavidsonLabels()}
			var batches []BatchStats
			tr := newTrainer(t, Config{Epochs: tc.epochs, BatchSize: tc.bs, OnBatch: func(b BatchStats) { batches = append(batches, b) }})
			h, err := tr.Fit(t.Context(), m, trainSet(tc.n), nil)
			require.NoError(t, err, tc.reason)

			var want []int
			for range tc.epochs {
				want = append(want, tc.wantSizes...)
			}
			var got []int
			for _, b := range m.batches {
				got = append(got, len(b))
			}
			assert.Equal(t, want, got, tc.reason)
			assert.Equal(t, []int{len(want)}, m.planned, "PlanSteps is told epochs × ceil(n/bs), once")
			assert.Equal(t, len(want), h.Steps)
			assert.Equal(t, StopCompleted, h.Stopped)
			require.Len(t, h.Epochs, tc.epochs)
			for i, es := range h.Epochs {
				assert.Equal(t, i+1, es.Epoch)
				assert.Equal(t, tc.n, es.Examples)
				assert.Equal(t, len(tc.wantSizes), es.Steps)
				assert.Nil(t, es.Val, "no validation set")
			}

			require.Len(t, batches, len(want), "OnBatch after every step")
			seen := 0
			for i, b := range batches {
				step := i%len(tc.wantSizes) + 1
				if step == 1 {
					seen = 0
				}
				seen += tc.wantSizes[step-1]
				assert.Equal(t, BatchStats{
					Epoch: i/len(tc.wantSizes) + 1, Epochs: tc.epochs, Step: step, Steps: len(tc.wantSizes),
					Loss: 1, Examples: seen, ExamplesPerSec: b.ExamplesPerSec,
				}, b)
				assert.GreaterOrEqual(t, b.ExamplesPerSec, 0.0)
			}
		})
	}
}

func TestTrainer_Fit_trainLoss(t *testing.T) {
	t.Parallel()
	// Batches of 4, 4 and 2 with losses 1, 2, 3 (the step number): the
	// size-weighted mean is (4·1 + 4·2 + 2·3) / 10 = 1.8, the second epoch's
	// (4·4 + 4·5 + 2·6) / 10 = 4.8.
	m := &fakeModel{ls: hatetweet.DavidsonLabels(), loss: func(step int, _ []hatetweet.Example) float64 { return float64(step) }}
	h, err := newTrainer(t, Config{Epochs: 2, BatchSize: 4}).Fit(t.Context(), m, trainSet(10), nil)
	require.NoError(t, err)
	require.Len(t, h.Epochs, 2)
	assert.InDelta(t, 1.8, h.Epochs[0].TrainLoss, 1e-12)
	assert.InDelta(t, 4.8, h.Epochs[1].TrainLoss, 1e-12)
	for _, es := range h.Epochs {
		assert.Positive(t, es.Duration)
		assert.InDelta(t, float64(es.Examples)/es.Duration.Seconds(), es.ExamplesPerSec, 1e-6*es.ExamplesPerSec)
	}
}

func TestTrainer_Fit_earlyStopping(t *testing.T) {
	t.Parallel()
	// Levels (correct validation predictions out of 12) per epoch; levelF1
	// turns them into the macro F1 the trainer sees.
	tests := []struct {
		name         string
		reason       string
		script       []int
		epochs       int
		patience     int
		minDelta     float64
		snapshotter  bool
		wantEpochs   int
		wantBest     int
		wantStopped  StopReason
		wantImproved []bool
	}{
		{
			name: "stops_after_patience", reason: "best at 2, then 2 epochs without improvement",
			script: []int{4, 10, 6, 5, 12}, epochs: 5, patience: 2, snapshotter: true,
			wantEpochs: 4, wantBest: 2, wantStopped: StopEarly, wantImproved: []bool{true, true, false, false},
		},
		{
			name: "improvement_resets_patience", reason: "3 beats 2, so epochs 4 and 5 are needed to stop",
			script: []int{4, 6, 8, 7, 7, 12}, epochs: 6, patience: 2, snapshotter: true,
			wantEpochs: 5, wantBest: 3, wantStopped: StopEarly, wantImproved: []bool{true, true, true, false, false},
		},
		{
			name: "equal_is_no_improvement", reason: "an equal F1 does not improve (strict, as the anchor script)",
			script: []int{6, 6, 6, 6}, epochs: 4, patience: 2, snapshotter: true,
			wantEpochs: 3, wantBest: 1, wantStopped: StopEarly, wantImproved: []bool{true, false, false},
		},
		{
			name: "last_epoch_completes", reason: "running out of epochs is completion, not early stopping",
			script: []int{6, 4}, epochs: 2, patience: 1, snapshotter: true,
			wantEpochs: 2, wantBest: 1, wantStopped: StopCompleted, wantImproved: []bool{true, false},
		},
		{
			name: "no_patience", reason: "patience 0 never stops early, but still restores the best",
			script: []int{10, 4, 3, 2}, epochs: 4, patience: 0, snapshotter: true,
			wantEpochs: 4, wantBest: 1, wantStopped: StopCompleted, wantImproved: []bool{true, false, false, false},
		},
		{
			name: "min_delta", reason: "6→7 correct gains less than MinDelta 0.2, 6→12 more",
			script: []int{6, 7, 12}, epochs: 3, patience: 5, minDelta: 0.2, snapshotter: true,
			wantEpochs: 3, wantBest: 3, wantStopped: StopCompleted, wantImproved: []bool{true, false, true},
		},
		{
			name: "without_snapshotter", reason: "early stopping works, the model keeps its last weights",
			script: []int{4, 10, 6, 5, 12}, epochs: 5, patience: 2,
			wantEpochs: 4, wantBest: 2, wantStopped: StopEarly, wantImproved: []bool{true, true, false, false},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f1s := make([]float64, len(tc.script))
			for i, l := range tc.script {
				f1s[i] = levelF1(t, l)
			}
			// Precondition: the script's F1s order as their levels do.
			for i := 1; i < len(f1s); i++ {
				if tc.script[i] > tc.script[i-1] {
					require.Greater(t, f1s[i], f1s[i-1], "levels %v give F1 %v", tc.script, f1s)
				}
			}

			const n, bs = 10, 4 // 3 steps per epoch
			fm := &fakeModel{ls: hatetweet.DavidsonLabels(), stepsPerEpoch: 3, script: tc.script}
			var m Trainable = plainModel{fm}
			if tc.snapshotter {
				m = fm
			}
			var onEpoch []int
			tr := newTrainer(t, Config{
				Epochs: tc.epochs, BatchSize: bs, Patience: tc.patience, MinDelta: tc.minDelta, EvalBatchSize: 5,
				OnEpoch: func(es EpochStats) error { onEpoch = append(onEpoch, es.Epoch); return nil },
			})
			h, err := tr.Fit(t.Context(), m, trainSet(n), valSet())
			require.NoError(t, err, tc.reason)

			assert.Equal(t, tc.wantStopped, h.Stopped, tc.reason)
			require.Len(t, h.Epochs, tc.wantEpochs, tc.reason)
			assert.Equal(t, tc.wantBest, h.BestEpoch, tc.reason)
			assert.Equal(t, f1s[tc.wantBest-1], h.BestMacroF1, tc.reason)
			var improved []bool
			for i, es := range h.Epochs {
				improved = append(improved, es.Improved)
				require.NotNil(t, es.Val)
				assert.Equal(t, f1s[i], es.ValMacroF1, "epoch %d", i+1)
				assert.Equal(t, es.Val.Macro.F1, es.ValMacroF1)
				assert.Equal(t, valSetSize, es.Val.Total)
			}
			assert.Equal(t, tc.wantImproved, improved, tc.reason)
			assert.Equal(t, len(h.Epochs), len(onEpoch), "OnEpoch after every epoch")

			// 12 validation texts in batches of EvalBatchSize 5: 5+5+2 per epoch.
			for i := 0; i < len(fm.predict); i += 3 {
				assert.Equal(t, []int{5, 5, 2}, fm.predict[i:i+3])
			}

			stepsRun := tc.wantEpochs * 3
			if tc.snapshotter {
				bestLast := tc.wantBest == tc.wantEpochs
				assert.Equal(t, tc.wantBest*3, fm.version, "the best epoch's weights are restored")
				assert.Equal(t, countTrue(tc.wantImproved), fm.snapshots, "one snapshot per improvement")
				if bestLast {
					assert.Zero(t, fm.restores, "no restore when the last weights are the best")
				} else {
					assert.Equal(t, 1, fm.restores)
				}
				assert.Equal(t, []int{tc.epochs * 3}, fm.planned)
			} else {
				assert.Equal(t, stepsRun, fm.version, "without Snapshotter the last weights stay")
				assert.Empty(t, fm.planned, "plainModel is no Scheduler")
			}
		})
	}
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func TestTrainer_Fit_cancel(t *testing.T) {
	t.Parallel()
	// Script: epoch 1 best (level 10), later epochs worse; 3 steps per epoch.
	tests := []struct {
		name        string
		reason      string
		cancelAt    int  // cancel during this TrainStep (1-based over the run); 0: before Fit
		modelSees   bool // the model returns ctx.Err() from the step it is cancelled in
		wantEpochs  int
		wantSteps   int
		wantVersion int // weights when Fit returns
	}{
		{name: "before_fit", reason: "nothing runs", cancelAt: 0, wantEpochs: 0, wantSteps: 0, wantVersion: 0},
		{name: "mid_epoch_2", reason: "step 5 completes, Fit notices before step 6; best epoch 1 restored", cancelAt: 5, wantEpochs: 1, wantSteps: 5, wantVersion: 3},
		{name: "model_returns_ctx_err", reason: "the model's context error counts as cancellation", cancelAt: 8, modelSees: true, wantEpochs: 2, wantSteps: 7, wantVersion: 3},
		{name: "during_validation", reason: "step 3 ends epoch 1, Evaluate sees the cancelled ctx; no snapshot yet", cancelAt: 3, wantEpochs: 0, wantSteps: 3, wantVersion: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			fm := &fakeModel{ls: hatetweet.DavidsonLabels(), stepsPerEpoch: 3, script: []int{10, 4, 3, 2}}
			fm.stepErr = func(ctx context.Context, step int) error {
				if step == tc.cancelAt {
					cancel()
					if tc.modelSees {
						return ctx.Err()
					}
				}
				return nil
			}
			if tc.cancelAt == 0 {
				cancel()
			}
			h, err := newTrainer(t, Config{Epochs: 4, BatchSize: 4}).Fit(ctx, fm, trainSet(10), valSet())
			require.ErrorIs(t, err, context.Canceled, tc.reason)
			assert.Equal(t, StopCancelled, h.Stopped)
			assert.Len(t, h.Epochs, tc.wantEpochs, tc.reason)
			assert.Equal(t, tc.wantSteps, h.Steps, tc.reason)
			assert.Equal(t, tc.wantVersion, fm.version, tc.reason)
		})
	}
}

func TestTrainer_Fit_onEpochError(t *testing.T) {
	t.Parallel()
	errStop := errors.New("stop now")
	fm := &fakeModel{ls: hatetweet.DavidsonLabels(), stepsPerEpoch: 3, script: []int{10, 4, 3}}
	tr := newTrainer(t, Config{Epochs: 3, BatchSize: 4, OnEpoch: func(es EpochStats) error {
		if es.Epoch == 2 {
			return errStop
		}
		return nil
	}})
	h, err := tr.Fit(t.Context(), fm, trainSet(10), valSet())
	require.ErrorIs(t, err, errStop)
	assert.Equal(t, StopCallback, h.Stopped)
	assert.Len(t, h.Epochs, 2, "the epoch OnEpoch saw is in the history")
	assert.Equal(t, 1, h.BestEpoch)
	assert.Equal(t, 3, fm.version, "the best epoch (1) is restored")
	assert.Equal(t, 6, len(fm.batches), "no step after the callback's error")
}

func TestTrainer_Fit_failures(t *testing.T) {
	t.Parallel()
	errStep := errors.New("step failed")
	errSnap := errors.New("snapshot failed")
	errRestore := errors.New("restore failed")
	tests := []struct {
		name        string
		reason      string
		setup       func(m *fakeModel)
		target      error
		wantSteps   int
		wantVersion int
		wantStopped StopReason
	}{
		{
			name: "nan_loss", reason: "a NaN loss at step 5 (epoch 2) diverged; best epoch 1 restored",
			setup: func(m *fakeModel) {
				m.loss = func(step int, _ []hatetweet.Example) float64 {
					if step == 5 {
						return math.NaN()
					}
					return 1
				}
			},
			target: ErrDiverged, wantSteps: 4, wantVersion: 3, wantStopped: StopFailed,
		},
		{
			name: "inf_loss", reason: "+Inf diverged too",
			setup: func(m *fakeModel) {
				m.loss = func(step int, _ []hatetweet.Example) float64 {
					if step == 2 {
						return math.Inf(1)
					}
					return 1
				}
			},
			target: ErrDiverged, wantSteps: 1, wantVersion: 2, wantStopped: StopFailed,
		},
		{
			name: "step_error", reason: "a TrainStep error is returned wrapped; best epoch 1 restored",
			setup: func(m *fakeModel) {
				m.stepErr = func(_ context.Context, step int) error {
					if step == 6 {
						return errStep
					}
					return nil
				}
			},
			target: errStep, wantSteps: 5, wantVersion: 3, wantStopped: StopFailed,
		},
		{
			name: "snapshot_error", reason: "a failed snapshot stops Fit",
			setup:  func(m *fakeModel) { m.snapshotErr = errSnap },
			target: errSnap, wantSteps: 3, wantVersion: 3, wantStopped: StopFailed,
		},
		{
			name: "nil_restore", reason: "Snapshot must return a restore function",
			setup:     func(m *fakeModel) { m.nilRestore = true },
			wantSteps: 3, wantVersion: 3, wantStopped: StopFailed,
		},
		{
			name: "restore_error", reason: "a failed restore is joined to the result",
			setup:  func(m *fakeModel) { m.restoreErr = errRestore },
			target: errRestore, wantSteps: 9, wantVersion: 9, wantStopped: StopCompleted,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fm := &fakeModel{ls: hatetweet.DavidsonLabels(), stepsPerEpoch: 3, script: []int{10, 4, 3}}
			tc.setup(fm)
			h, err := newTrainer(t, Config{Epochs: 3, BatchSize: 4}).Fit(t.Context(), fm, trainSet(10), valSet())
			require.Error(t, err, tc.reason)
			if tc.target != nil {
				require.ErrorIs(t, err, tc.target, tc.reason)
			}
			assert.Equal(t, tc.wantStopped, h.Stopped, tc.reason)
			assert.Equal(t, tc.wantSteps, h.Steps, tc.reason)
			assert.Equal(t, tc.wantVersion, fm.version, tc.reason)
		})
	}
}

func TestTrainer_Fit_stepErrorNamesStep(t *testing.T) {
	t.Parallel()
	errStep := errors.New("boom")
	fm := &fakeModel{ls: hatetweet.DavidsonLabels(), stepErr: func(_ context.Context, step int) error {
		if step == 5 {
			return errStep
		}
		return nil
	}}
	_, err := newTrainer(t, Config{Epochs: 2, BatchSize: 4}).Fit(t.Context(), fm, trainSet(10), nil)
	require.ErrorIs(t, err, errStep)
	// Step 5 of the run is step 2 of 3 in epoch 2.
	assert.Equal(t, "train: epoch 2 step 2 of 3: boom", err.Error())
}

func TestTrainer_Fit_invalidInput(t *testing.T) {
	t.Parallel()
	fm := &fakeModel{ls: hatetweet.DavidsonLabels()}
	bad := []hatetweet.Example{{Text: "x", Label: 3}}
	tests := []struct {
		name     string
		reason   string
		m        Trainable
		train    []hatetweet.Example
		val      []hatetweet.Example
		isTarget error
	}{
		{name: "nil_model", reason: "nothing to train", train: trainSet(3)},
		{name: "empty_train", reason: "an epoch needs an example", m: fm},
		{name: "train_label", reason: "label 3 with 3 labels", m: fm, train: append(trainSet(3), bad...), isTarget: hatetweet.ErrUnknownLabel},
		{name: "val_label", reason: "label 3 with 3 labels", m: fm, train: trainSet(3), val: bad, isTarget: hatetweet.ErrUnknownLabel},
		{name: "negative_label", reason: "labels are indices", m: fm, train: []hatetweet.Example{{Label: -1}}, isTarget: hatetweet.ErrUnknownLabel},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := newTrainer(t, Config{}).Fit(t.Context(), tc.m, tc.train, tc.val)
			require.Error(t, err, tc.reason)
			if tc.isTarget != nil {
				require.ErrorIs(t, err, tc.isTarget, tc.reason)
			}
			assert.Equal(t, History{}, h)
		})
	}
	assert.Empty(t, fm.batches, "input is validated before any step")
	assert.Empty(t, fm.planned, "input is validated before PlanSteps")
}

func TestTrainer_Fit_concurrent(t *testing.T) {
	t.Parallel()
	// A Trainer is immutable: two Fits at once on different models see the
	// same batches (run under -race).
	tr := newTrainer(t, Config{Epochs: 2, BatchSize: 3, Seed: 5})
	models := []*fakeModel{{ls: hatetweet.DavidsonLabels()}, {ls: hatetweet.DavidsonLabels()}}
	errs := make([]error, len(models))
	var wg sync.WaitGroup
	for i, m := range models {
		wg.Go(func() { _, errs[i] = tr.Fit(t.Context(), m, trainSet(10), nil) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, models[0].batches, models[1].batches)
}

func TestStopReason_text(t *testing.T) {
	t.Parallel()
	for r := StopNone; r <= StopFailed; r++ {
		b, err := r.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, r.String(), string(b))
		var back StopReason
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, r, back)
	}
	_, err := StopReason(99).MarshalText()
	require.Error(t, err)
	assert.Equal(t, "StopReason(99)", StopReason(99).String())
	var r StopReason
	require.Error(t, r.UnmarshalText([]byte("bogus")))
}

func TestHistory_JSON(t *testing.T) {
	t.Parallel()
	fm := &fakeModel{ls: hatetweet.DavidsonLabels(), stepsPerEpoch: 3, script: []int{10, 4}}
	h, err := newTrainer(t, Config{Epochs: 2, BatchSize: 4}).Fit(t.Context(), fm, trainSet(10), valSet())
	require.NoError(t, err)
	raw, err := json.Marshal(h)
	require.NoError(t, err)
	var back struct {
		Stopped   string `json:"stopped"`
		BestEpoch int    `json:"best_epoch"`
		Epochs    []struct {
			Epoch int `json:"epoch"`
			Val   struct {
				MacroF1 float64 `json:"macro_f1"`
			} `json:"val"`
		} `json:"epochs"`
	}
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, "completed", back.Stopped)
	assert.Equal(t, 1, back.BestEpoch)
	require.Len(t, back.Epochs, 2)
	assert.Equal(t, h.Epochs[1].ValMacroF1, back.Epochs[1].Val.MacroF1)

	var cfgJSON map[string]any
	raw, err = json.Marshal(Config{Labels: hatetweet.DavidsonLabels(), OnEpoch: func(EpochStats) error { return nil }})
	require.NoError(t, err, "hooks are not encoded")
	require.NoError(t, json.Unmarshal(raw, &cfgJSON))
	assert.ElementsMatch(t, []string{"epochs", "batch_size", "seed", "patience", "min_delta", "eval_batch_size", "labels"}, keys(cfgJSON))
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
