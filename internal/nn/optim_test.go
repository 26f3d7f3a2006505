package nn

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type optimCase struct {
	Kind        string  `json:"kind"`
	LR          float64 `json:"lr"`
	WeightDecay float64 `json:"weight_decay"`
	Clip        float64 `json:"clip"`
	Warmup      int     `json:"warmup"`
	Total       int     `json:"total"`
	Start       struct{ W, B []float32 }
	Grads       []struct{ W, B []float32 }
	Norms       []float64
	End         struct{ W, B []float32 }
}

func loadOptimCases(t *testing.T) []optimCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/optim.json")
	require.NoError(t, err)
	var f struct{ Cases []optimCase }
	require.NoError(t, json.Unmarshal(raw, &f))
	require.Len(t, f.Cases, 4)
	return f.Cases
}

// TestAdam_torchParity replays the gradients recorded by gen_optim.py and
// expects torch's weights (tolerance in testdata/SOURCE).
func TestAdam_torchParity(t *testing.T) {
	for _, c := range loadOptimCases(t) {
		t.Run(c.Kind, func(t *testing.T) {
			w := NewParam("w", 3, 4)
			b := NewParam("b", 4)
			b.NoDecay = true
			copy(w.Data, c.Start.W)
			copy(b.Data, c.Start.B)
			params := []*Param{w, b}
			opt, err := NewAdam(params, AdamConfig{LearningRate: c.LR, WeightDecay: c.WeightDecay, Decoupled: c.Kind == "adamw"})
			require.NoError(t, err)
			for s, g := range c.Grads {
				copy(w.Grad, g.W)
				copy(b.Grad, g.B)
				norm := ClipGlobalNorm(params, c.Clip)
				assert.InEpsilon(t, c.Norms[s], norm, 1e-5)
				scale := 1.0
				if c.Total > 0 {
					scale = LinearWarmupDecay(s, c.Warmup, c.Total)
				}
				opt.Step(scale)
			}
			assert.InDeltaSlice(t, c.End.W, w.Data, 1e-6)
			assert.InDeltaSlice(t, c.End.B, b.Data, 1e-6)
		})
	}
}

// TestAdam_settingsChangeTheUpdate shows that each setting has an effect,
// so none is silently ignored.
func TestAdam_settingsChangeTheUpdate(t *testing.T) {
	update := func(cfg AdamConfig, noDecay bool) []float32 {
		p := NewParam("p", 4)
		copy(p.Data, []float32{1, -2, 3, -4})
		copy(p.Grad, []float32{0.5, 0.1, -0.3, 0.2})
		p.NoDecay = noDecay
		opt, err := NewAdam([]*Param{p}, cfg)
		require.NoError(t, err)
		opt.Step(1)
		copy(p.Grad, []float32{0.2, -0.1, 0.3, 0.1})
		opt.Step(1)
		return p.Data
	}
	base := AdamConfig{LearningRate: 0.1}
	ref := update(base, false)
	tests := []struct {
		name   string
		cfg    AdamConfig
		reason string
	}{
		{"learning rate", AdamConfig{LearningRate: 0.2}, "step size scales with it"},
		{"beta1", AdamConfig{LearningRate: 0.1, Beta1: 0.5}, "first moment decays faster"},
		{"beta2", AdamConfig{LearningRate: 0.1, Beta2: 0.5}, "second moment decays faster"},
		{"epsilon", AdamConfig{LearningRate: 0.1, Epsilon: 1}, "a large epsilon damps the step"},
		{"weight decay", AdamConfig{LearningRate: 0.1, WeightDecay: 0.5}, "L2 term joins the gradient"},
		{"decoupled", AdamConfig{LearningRate: 0.1, WeightDecay: 0.5, Decoupled: true}, "AdamW shrinks the weights instead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotEqual(t, ref, update(tt.cfg, false), tt.reason)
		})
	}
	t.Run("no decay", func(t *testing.T) {
		cfg := AdamConfig{LearningRate: 0.1, WeightDecay: 0.5, Decoupled: true}
		assert.Equal(t, ref, update(cfg, true), "NoDecay params ignore weight decay")
	})
}

func TestAdamConfig_Validate(t *testing.T) {
	err := AdamConfig{LearningRate: -1, Beta1: 1, Beta2: -0.1, Epsilon: -1, WeightDecay: -1}.Validate()
	require.Error(t, err)
	for _, want := range []string{"learning rate", "beta1", "beta2", "epsilon", "weight decay"} {
		assert.ErrorContains(t, err, want)
	}
	assert.NoError(t, AdamConfig{}.Validate())
	_, err = NewAdam(nil, AdamConfig{})
	assert.Error(t, err)
}

func TestLinearWarmupDecay(t *testing.T) {
	// Values of HF's get_linear_schedule_with_warmup(warmup=2, total=6).
	want := []float64{0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0}
	for s, w := range want {
		assert.InDelta(t, w, LinearWarmupDecay(s, 2, 6), 1e-12, "step %d", s)
	}
}

func TestClipGlobalNorm(t *testing.T) {
	p := NewParam("p", 2)
	copy(p.Grad, []float32{3, 4})
	assert.InDelta(t, 5, ClipGlobalNorm([]*Param{p}, 0), 1e-9)
	assert.Equal(t, []float32{3, 4}, p.Grad, "maxNorm 0 only measures")
	assert.InDelta(t, 5, ClipGlobalNorm([]*Param{p}, 1), 1e-9)
	assert.InDelta(t, 1, ClipGlobalNorm([]*Param{p}, 0), 1e-5)
}
