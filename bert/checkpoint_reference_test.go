package bert

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ckptRefForward is a plain float64 BERT forward pass over the weights a
// checkpoint gave, for one unpadded-or-padded row: it exists only to show
// that readWeights maps every stored tensor to the right parameter (names,
// legacy gamma/beta, [out, in] orientation, dtype conversion), by
// reproducing the PyTorch reference's outputs. It masks padded keys by
// skipping them, which equals HF's additive finfo.min mask after softmax.
// It returns the pooler output and, when w has a head, the logits.
func ckptRefForward(w *ckptWeights, cfg Config, ids, types, mask []int) (pooled, logits []float64) {
	cfg = cfg.withDefaults()
	h, heads := cfg.HiddenSize, cfg.NumAttentionHeads
	dh := h / heads
	n := len(ids)
	linear := func(wt, b ckptTensor, x []float64) []float64 {
		out, in := wt.Shape[0], wt.Shape[1]
		y := make([]float64, out)
		for o := range out {
			s := float64(b.Data[o])
			for i := range in {
				s += float64(wt.Data[o*in+i]) * x[i]
			}
			y[o] = s
		}
		return y
	}
	norm := func(g, b ckptTensor, x []float64) []float64 {
		var mean, v float64
		for _, xi := range x {
			mean += xi
		}
		mean /= float64(len(x))
		for _, xi := range x {
			v += (xi - mean) * (xi - mean)
		}
		v /= float64(len(x))
		y := make([]float64, len(x))
		for i, xi := range x {
			y[i] = (xi-mean)/math.Sqrt(v+cfg.LayerNormEps)*float64(g.Data[i]) + float64(b.Data[i])
		}
		return y
	}
	add := func(a, b []float64) []float64 {
		y := make([]float64, len(a))
		for i := range a {
			y[i] = a[i] + b[i]
		}
		return y
	}
	x := make([][]float64, n)
	for t := range n {
		e := make([]float64, h)
		for i := range h {
			e[i] = float64(w.WordEmb.Data[ids[t]*h+i]) + float64(w.TypeEmb.Data[types[t]*h+i]) + float64(w.PosEmb.Data[t*h+i])
		}
		x[t] = norm(w.EmbNorm, w.EmbNormBias, e)
	}
	for _, l := range w.Layers {
		q, k, v := make([][]float64, n), make([][]float64, n), make([][]float64, n)
		for t := range n {
			q[t], k[t], v[t] = linear(l.Query, l.QueryBias, x[t]), linear(l.Key, l.KeyBias, x[t]), linear(l.Value, l.ValueBias, x[t])
		}
		next := make([][]float64, n)
		for t := range n {
			ctx := make([]float64, h)
			for hd := range heads {
				lo := hd * dh
				scores := make([]float64, n)
				maxS := math.Inf(-1)
				for j := range n {
					if mask[j] == 0 {
						continue
					}
					var s float64
					for d := range dh {
						s += q[t][lo+d] * k[j][lo+d]
					}
					scores[j] = s / math.Sqrt(float64(dh))
					maxS = math.Max(maxS, scores[j])
				}
				var sum float64
				for j := range n {
					if mask[j] == 1 {
						scores[j] = math.Exp(scores[j] - maxS)
						sum += scores[j]
					}
				}
				for j := range n {
					if mask[j] == 1 {
						for d := range dh {
							ctx[lo+d] += scores[j] / sum * v[j][lo+d]
						}
					}
				}
			}
			a := norm(l.AttnNorm, l.AttnNormBias, add(linear(l.AttnOut, l.AttnOutBias, ctx), x[t]))
			inter := linear(l.Inter, l.InterBias, a)
			for i, z := range inter {
				inter[i] = 0.5 * z * (1 + math.Erf(z/math.Sqrt2)) // HF "gelu"
			}
			next[t] = norm(l.OutNorm, l.OutNormBias, add(linear(l.Out, l.OutBias, inter), a))
		}
		x = next
	}
	pooled = linear(w.Pooler, w.PoolerBias, x[0])
	for i := range pooled {
		pooled[i] = math.Tanh(pooled[i])
	}
	if w.HasHead {
		logits = linear(w.Classifier, w.ClassifierBias, pooled)
	}
	return pooled, logits
}

// TestReadWeights_reproducesReference feeds the fixtures' ids through
// ckptRefForward on the weights readWeights returns and compares with the
// PyTorch outputs in expected.json (tolerance there: 1e-4).
func TestReadWeights_reproducesReference(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"tiny-a", "tiny-b", "tiny-c"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", name)
			cfg, err := readConfig(filepath.Join(dir, ckptConfigFile))
			require.NoError(t, err)
			w, err := readWeights(dir, cfg)
			require.NoError(t, err)
			fx := ckptLoadFixture(t, name)
			for _, b := range fx.Batches {
				for r := range b.InputIDs {
					pooled, logits := ckptRefForward(w, cfg, b.InputIDs[r], b.TokenTypeIDs[r], b.AttentionMask[r])
					assert.InDeltaSlice(t, b.Pooled[r], pooled, fx.Tolerance.Pooled, "%s/%s row %d pooled", name, b.Name, r)
					if b.Logits == nil {
						assert.False(t, w.HasHead, "only headless fixtures lack logits")
						continue
					}
					assert.InDeltaSlice(t, b.Logits[r], logits, fx.Tolerance.Logits, "%s/%s row %d logits", name, b.Name, r)
				}
			}
		})
	}
}

// TestReadWeights_reproducesFineTuned checks weights_after.safetensors of
// the fine-tuning fixture the same way: the weights PyTorch had after five
// AdamW steps are readable under HF names (as written by refbert's
// safetensors writer) and complete.
func TestReadWeights_fineTunedFixture(t *testing.T) {
	t.Parallel()
	cfg, err := readConfig("testdata/tiny-a/config.json")
	require.NoError(t, err)
	src, err := openSafetensors("testdata/tiny-a-train/weights_after.safetensors")
	require.NoError(t, err)
	defer func() { require.NoError(t, src.Close()) }()
	after, err := readWeightsFrom(src, cfg)
	require.NoError(t, err)
	before, err := readWeights("testdata/tiny-a", cfg)
	require.NoError(t, err)
	require.True(t, after.HasHead)
	ps, qs := before.params(cfg), after.params(cfg)
	moved := 0
	for i := range ps {
		require.Equal(t, ps[i].T.Shape, qs[i].T.Shape, ps[i].Name)
		for j := range ps[i].T.Data {
			if ps[i].T.Data[j] != qs[i].T.Data[j] {
				moved++
				break
			}
		}
	}
	// train.json max_abs_change_from_start: every tensor moves in 5 steps
	// (weight decay alone moves the embeddings' unused rows).
	assert.Equal(t, len(ps), moved, "every parameter changed during fine-tuning")
}
