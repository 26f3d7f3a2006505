package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestActivations compares the fast float32 activations with float64 math
// over [-100, 100]. Tolerances: exp32 is Cephes expf, within 2 ulp (relative
// 3e-7); sigmoid32 and tanh32 are bounded by 1, so absolute 3e-7.
func TestActivations(t *testing.T) {
	t.Parallel()
	var worstExp, worstSig, worstTanh float64
	for i := -200000; i <= 200000; i++ {
		x := float32(i) / 2000
		if x >= lstmExpLo && x <= lstmExpHi {
			want := math.Exp(float64(x))
			worstExp = max(worstExp, math.Abs(float64(exp32(x))-want)/want)
		}
		worstSig = max(worstSig, math.Abs(float64(sigmoid32(x))-1/(1+math.Exp(-float64(x)))))
		worstTanh = max(worstTanh, math.Abs(float64(tanh32(x))-math.Tanh(float64(x))))
	}
	assert.Less(t, worstExp, 3e-7, "exp32 relative error")
	assert.Less(t, worstSig, 3e-7, "sigmoid32 absolute error")
	assert.Less(t, worstTanh, 3e-7, "tanh32 absolute error")
	// Saturation: no NaN or Inf at the extremes.
	for _, x := range []float32{-1e30, -100, 100, 1e30} {
		assert.False(t, math.IsNaN(float64(sigmoid32(x))) || math.IsInf(float64(sigmoid32(x)), 0))
		assert.False(t, math.IsNaN(float64(tanh32(x))) || math.IsInf(float64(tanh32(x)), 0))
	}
	assert.Equal(t, float32(1), tanh32(100))
	assert.Equal(t, float32(-1), tanh32(-100))
	// NaN in gives NaN out rather than a plausible number.
	assert.True(t, math.IsNaN(float64(sigmoid32(float32(math.NaN())))))
}

// TestActivationSlices checks the vectorised slice forms (AVX2 where
// available) against the scalar ones, including lengths that are not a
// multiple of 8, in place, and the saturated and NaN ends. Tolerance:
// both compute the same Cephes method; FMA contraction differs, 2e-7.
func TestActivationSlices(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 7, 8, 9, 64, 131} {
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(i-n/2) * 0.37
		}
		if n > 3 {
			src[0], src[1], src[2] = -1e30, 1e30, 100
		}
		for _, f := range []struct {
			name   string
			slice  func(dst, src []float32)
			scalar func(float32) float32
		}{{"sigmoid", sigmoidSlice, sigmoid32}, {"tanh", tanhSlice, tanh32}} {
			got := append([]float32(nil), src...)
			f.slice(got, got)
			for i, x := range src {
				assert.InDelta(t, f.scalar(x), got[i], 2e-7, "%s(%v), n=%d", f.name, x, n)
			}
		}
	}
	nan := []float32{float32(math.NaN()), 0, 0, 0, 0, 0, 0, 0}
	sigmoidSlice(nan, nan)
	assert.True(t, math.IsNaN(float64(nan[0])), "NaN propagates")
}

// TestLSTMCell compares the fused AVX2 cell with the plain Go cell, with
// and without a previous cell state. Tolerance: the same Cephes method,
// with FMA contraction in one of them, 1e-6.
func TestLSTMCell(t *testing.T) {
	t.Parallel()
	if !lstmAVX2 {
		t.Skip("no AVX2/FMA on this CPU")
	}
	for _, n := range []int{8, 24, 128} {
		for _, withPrev := range []bool{false, true} {
			r := rand.New(rand.NewPCG(uint64(n), 9))
			g, bias, cprev := randSlice(r, 4*n), randSlice(r, 4*n), randSlice(r, n)
			for i := range g {
				g[i] *= 6 // reach the saturated ends too
			}
			if !withPrev {
				cprev = nil
			}
			gw, cw, tw, hw := append([]float32(nil), g...), make([]float32, n), make([]float32, n), make([]float32, n)
			lstmCellForwardGo(gw, bias, cprev, cw, tw, hw)
			ga, ca, ta, ha := append([]float32(nil), g...), make([]float32, n), make([]float32, n), make([]float32, n)
			lstmCellForward(ga, bias, cprev, ca, ta, ha)
			assert.InDeltaSlice(t, gw, ga, 1e-6, "activations, n=%d prev=%v", n, withPrev)
			assert.InDeltaSlice(t, cw, ca, 1e-6, "c")
			assert.InDeltaSlice(t, tw, ta, 1e-6, "tanh c")
			assert.InDeltaSlice(t, hw, ha, 1e-6, "h")
		}
	}
}
