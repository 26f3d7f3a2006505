package bert

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/nn"
	"github.com/hatetweet/hatetweet/internal/safetensors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// trainRef is testdata/tiny-a-train/train.json. SOURCE:
// bert/testdata/gen_fixtures.py (refbert.py, PyTorch 1.13, float32):
// five torch.optim.AdamW steps on tiny-a with dropout off; tolerances in
// the file (loss 1e-4, weights 1e-4, or 2× the float32-vs-float64 drift
// for tensors whose true gradient is zero).
type trainRef struct {
	Hyper struct {
		LR            float64   `json:"lr"`
		WeightDecay   float64   `json:"weight_decay"`
		WarmupSteps   int       `json:"warmup_steps"`
		TrainingSteps int       `json:"training_steps"`
		MaxGradNorm   float64   `json:"max_grad_norm"`
		ClassWeights  []float32 `json:"class_weights"`
		Dropout       float64   `json:"dropout"`
	} `json:"hyperparameters"`
	Batches []refBatch `json:"batches"`
	Steps   []struct {
		Batch    int     `json:"batch"`
		LR       float64 `json:"lr"`
		Loss     float64 `json:"loss"`
		GradNorm float64 `json:"grad_norm_before_clip"`
	} `json:"steps"`
	Tolerance struct {
		Loss    float64 `json:"loss"`
		Weights float64 `json:"weights"`
	} `json:"tolerance"`
	Drift map[string]float64 `json:"f32_vs_f64_max_abs_diff"`
}

// Tests that train do not run in parallel: gorgonia.Grad lazily hashes a
// package-level constant node, a data race (benign, but flagged by -race)
// when two goroutines compile their first training graphs at once.

// TestModel_TrainStep_parity replays the reference fine-tuning run and
// expects PyTorch's losses, gradient norms, learning rates and final
// weights.
func TestModel_TrainStep_parity(t *testing.T) {
	raw, err := os.ReadFile("testdata/tiny-a-train/train.json")
	require.NoError(t, err)
	var ref trainRef
	require.NoError(t, json.Unmarshal(raw, &ref))
	require.Len(t, ref.Steps, 5)
	require.Zero(t, ref.Hyper.Dropout)

	m, err := Load("testdata/tiny-a")
	require.NoError(t, err)
	defer func() { assert.NoError(t, m.Close()) }()
	require.NoError(t, m.SetTrainConfig(TrainConfig{
		LearningRate:   ref.Hyper.LR,
		WeightDecay:    ref.Hyper.WeightDecay,
		WarmupSteps:    ref.Hyper.WarmupSteps,
		ClipNorm:       ref.Hyper.MaxGradNorm,
		ClassWeights:   ref.Hyper.ClassWeights,
		DisableDropout: true,
	}))
	m.PlanSteps(ref.Hyper.TrainingSteps)
	for i, st := range ref.Steps {
		rb := ref.Batches[st.Batch]
		assert.InDelta(t, st.LR, ref.Hyper.LR*m.tr.lrScale(m.planned), 1e-12, "step %d learning rate", i)
		m.mu.Lock()
		loss, err := m.trainEncoded(rb.toBatch(), rb.Labels)
		m.mu.Unlock()
		require.NoError(t, err)
		assert.InDelta(t, st.Loss, loss, ref.Tolerance.Loss, "step %d loss", i)
		assert.InDelta(t, st.GradNorm, m.tr.gradNorm, ref.Tolerance.Loss, "step %d gradient norm", i)
	}

	f, err := safetensors.ReadFile(filepath.Join("testdata", "tiny-a-train", "weights_after.safetensors"))
	require.NoError(t, err)
	for _, p := range m.ps.all {
		want, shape, err := f.Float32(p.Name)
		require.NoError(t, err, p.Name)
		require.Equal(t, p.Shape, shape, p.Name)
		tol := math.Max(ref.Tolerance.Weights, 2*ref.Drift[p.Name])
		var worst float64
		for j := range want {
			worst = math.Max(worst, math.Abs(float64(want[j])-float64(p.Data[j])))
		}
		assert.LessOrEqual(t, worst, tol, "%s", p.Name)
	}
}

var trainBatch = []hatetweet.Example{
	{Text: "you are a stupid idiot", Label: 0},
	{Text: "i love this song", Label: 2},
	{Text: "shut up you ugly idiot", Label: 1},
	{Text: "what a nice day", Label: 2},
}

// trainSteps loads tiny-a, applies c and runs n steps on trainBatch; it
// returns the model and the losses.
func trainSteps(t *testing.T, c TrainConfig, n int) (*Model, []float64) {
	t.Helper()
	m := loadTiny(t, "tiny-a")
	require.NoError(t, m.SetTrainConfig(c))
	var losses []float64
	for range n {
		loss, err := m.TrainStep(t.Context(), trainBatch)
		require.NoError(t, err)
		losses = append(losses, loss)
	}
	return m, losses
}

// TestModel_TrainStep_deterministic: with dropout on (config.json's 0.1),
// the same seed gives bit-identical weights and another seed other
// weights; with dropout off the seed does not matter.
func TestModel_TrainStep_deterministic(t *testing.T) {
	a, _ := trainSteps(t, TrainConfig{LearningRate: 1e-3, Seed: 11}, 3)
	b, _ := trainSteps(t, TrainConfig{LearningRate: 1e-3, Seed: 11}, 3)
	c, _ := trainSteps(t, TrainConfig{LearningRate: 1e-3, Seed: 12}, 3)
	assert.Equal(t, nnData(a), nnData(b), "same seed")
	assert.NotEqual(t, nnData(a), nnData(c), "dropout masks differ between seeds")
	d, _ := trainSteps(t, TrainConfig{LearningRate: 1e-3, Seed: 11, DisableDropout: true}, 3)
	e, _ := trainSteps(t, TrainConfig{LearningRate: 1e-3, Seed: 12, DisableDropout: true}, 3)
	assert.Equal(t, nnData(d), nnData(e), "no dropout, no randomness")
	assert.NotEqual(t, nnData(a), nnData(d), "dropout is on by default")
}

// TestModel_TrainStep_learns: repeated steps on one batch drive its loss
// down (deterministic: dropout off).
func TestModel_TrainStep_learns(t *testing.T) {
	_, losses := trainSteps(t, TrainConfig{LearningRate: 3e-3, DisableDropout: true}, 25)
	assert.Less(t, losses[len(losses)-1], losses[0]/2, "losses %v", losses)
}

func TestModel_TrainStep_errors(t *testing.T) {
	t.Parallel()
	m := loadTiny(t, "tiny-a")
	before := nn.Snapshot(m.ps.all)
	_, err := m.TrainStep(t.Context(), nil)
	assert.Error(t, err, "empty batch")
	_, err = m.TrainStep(t.Context(), []hatetweet.Example{{Text: "x", Label: 3}})
	assert.ErrorIs(t, err, hatetweet.ErrUnknownLabel)
	_, err = m.TrainStep(t.Context(), []hatetweet.Example{{Text: "x", Label: -1}})
	assert.ErrorIs(t, err, hatetweet.ErrUnknownLabel)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = m.TrainStep(ctx, trainBatch)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, before, nn.Snapshot(m.ps.all), "failed steps change nothing")

	err = m.SetTrainConfig(TrainConfig{ClassWeights: []float32{1, 2}})
	assert.ErrorIs(t, err, hatetweet.ErrLengthMismatch, "3 labels")
	assert.Error(t, m.SetTrainConfig(TrainConfig{LearningRate: -1}))
}

func TestTrainConfig_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		c            TrainConfig
		ok           bool
	}{
		{"zero", "the default recipe", TrainConfig{}, true},
		{"no decay no clip", "negative values switch them off", TrainConfig{WeightDecay: -1, ClipNorm: -1}, true},
		{"negative lr", "no ascent", TrainConfig{LearningRate: -1e-5}, false},
		{"nan lr", "not a number", TrainConfig{LearningRate: math.NaN()}, false},
		{"warm-up steps", "negative", TrainConfig{WarmupSteps: -1}, false},
		{"warm-up ratio", "a fraction below 1", TrainConfig{WarmupRatio: 1}, false},
		{"class weight", "weights are positive", TrainConfig{ClassWeights: []float32{1, 0, 1}}, false},
		{"infinite decay", "not finite", TrainConfig{WeightDecay: math.Inf(1)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.ok, tt.c.Validate() == nil, tt.reason)
		})
	}
	c := TrainConfig{ClassWeights: []float32{1, 2}}
	d := c.withDefaults()
	assert.Equal(t, DefaultLearningRate, d.LearningRate)
	assert.Equal(t, DefaultWeightDecay, d.WeightDecay)
	assert.Equal(t, DefaultClipNorm, d.ClipNorm)
	d.ClassWeights[0] = 9
	assert.Equal(t, float32(1), c.ClassWeights[0], "defaults apply to a copy")
	off := TrainConfig{WeightDecay: -1, ClipNorm: -2}.withDefaults()
	assert.Zero(t, off.WeightDecay)
	assert.Zero(t, off.ClipNorm)
}

// TestTrainer_lrScale checks the schedule against Hugging Face's
// get_linear_schedule_with_warmup (values by hand: warm-up 2 of 8 steps
// gives 0, 0.5, 1, 5/6, ...).
func TestTrainer_lrScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		c            TrainConfig
		total        int
		want         []float64
	}{
		{"planned", "warm-up then decay to 0", TrainConfig{WarmupSteps: 2}, 8, []float64{0, 0.5, 1, 5.0 / 6, 4.0 / 6, 3.0 / 6, 2.0 / 6, 1.0 / 6, 0, 0}},
		{"ratio", "ceil(0.25·8) = 2 warm-up steps", TrainConfig{WarmupRatio: 0.25}, 8, []float64{0, 0.5, 1, 5.0 / 6}},
		{"unplanned", "constant after warm-up", TrainConfig{WarmupSteps: 2}, 0, []float64{0, 0.5, 1, 1, 1}},
		{"no warm-up", "full rate at once", TrainConfig{}, 4, []float64{1, 0.75, 0.5, 0.25, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := &trainer{cfg: tt.c.withDefaults()}
			for i, want := range tt.want {
				tr.step = i
				assert.InDelta(t, want, tr.lrScale(tt.total), 1e-12, "step %d: %s", i, tt.reason)
			}
		})
	}
}

func TestModel_Snapshot(t *testing.T) {
	m := loadTiny(t, "tiny-a")
	before := nn.Snapshot(m.ps.all)
	restore, err := m.Snapshot()
	require.NoError(t, err)
	_, err = m.TrainStep(t.Context(), trainBatch)
	require.NoError(t, err)
	require.NotEqual(t, before, nn.Snapshot(m.ps.all))
	require.NoError(t, restore())
	assert.Equal(t, before, nn.Snapshot(m.ps.all))
	require.NoError(t, restore(), "restore may run twice")
}
