package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExpNonPos compares expNonPos with math.Exp over (-87, 0], where
// softmax and GELU use it, at relative tolerance 2.4e-7 (2 ulp).
func TestExpNonPos(t *testing.T) {
	t.Parallel()
	for x := float32(-87); x <= 0; x += 0.00731 {
		want := math.Exp(float64(x))
		got := float64(expNonPos(x))
		if math.Abs(got-want) > 2.4e-7*want {
			t.Fatalf("expNonPos(%v) = %v, want %v", x, got, want)
		}
	}
	tests := []struct {
		name, reason string
		x            float32
		want         float64
	}{
		{"zero", "e⁰", 0, 1},
		{"masked score", "softmax of a padded key", -math.MaxFloat32, 0},
		{"below normal", "flushed to zero", -90, 0},
		{"smallest normal", "the last value kept", -87.3, math.Exp(float64(float32(-87.3)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.InDelta(t, tt.want, float64(expNonPos(tt.x)), 2.4e-7*tt.want, tt.reason)
		})
	}
	assert.True(t, math.IsNaN(float64(expNonPos(float32(math.NaN())))))
}

// TestErff checks erff's documented 5e-7 bound against math.Erf, its
// oddness and its limits.
func TestErff(t *testing.T) {
	t.Parallel()
	for x := float32(-6); x <= 6; x += 0.000913 {
		if d := math.Abs(math.Erf(float64(x)) - float64(erff(x))); d > 5e-7 {
			t.Fatalf("erff(%v) is off by %.3g", x, d)
		}
		if erff(-x) != -erff(x) {
			t.Fatalf("erff(-%v) != -erff(%v)", x, x)
		}
	}
	assert.Equal(t, float32(1), erff(float32(math.Inf(1))))
	assert.Equal(t, float32(-1), erff(float32(math.Inf(-1))))
	assert.True(t, math.IsNaN(float64(erff(float32(math.NaN())))))
}

func TestGELU_forward(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	// 40000 values: split over goroutines.
	x := randParam(r, "x", 200, 200)
	x.Normal(r, 3)
	prog, _, out := runKernel(t, r, &GELU{}, x)
	require.NoError(t, prog.Run())
	want := make([]float64, len(x.Data))
	for i, v := range x.Data {
		want[i] = 0.5 * float64(v) * (1 + math.Erf(float64(v)/math.Sqrt2)) // exact erf GELU
	}
	// |x|·|erf error| with |x| ≲ 15: 5e-6.
	assert.Less(t, maxAbsDiff(out(), want), 5e-6)
}

func TestGELU_gradients(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	x := randParam(r, "x", 4, 5, 6)
	x.Normal(r, 2)
	checkKernel(t, 10, &GELU{}, 40, x)
}

// TestGELU_vectorised compares the AVX2 GELU forward and gradient with
// the scalar formulas they vectorise, over [-10, 10] and special values.
// The tolerance, 2e-6 absolute plus 1e-6 relative, covers the different
// rounding of fused multiply-adds (a few ulp of values up to 10).
func TestGELU_vectorised(t *testing.T) {
	t.Parallel()
	if !lstmAVX2 {
		t.Skip("no AVX2/FMA: the scalar path is the only one")
	}
	var x []float32
	for v := float32(-10); v <= 10; v += 0.00377 {
		x = append(x, v)
	}
	x = append(x, 0, float32(math.Inf(1)), float32(math.Inf(-1)), 1e-30, -1e-30, 40, -40)
	for len(x)%8 != 0 {
		x = append(x, 0.5)
	}
	n := len(x)
	y, cdf, dx, g := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range g {
		g[i] = 1 + float32(i%7)*0.25
	}
	geluAVX2(&y[0], &cdf[0], &x[0], n)
	geluGradAVX2(&dx[0], &g[0], &cdf[0], &x[0], n)
	for i, v := range x {
		c := 0.5 * (1 + erff(v*invSqrt2))
		wantY := v * c
		if math.IsInf(float64(v), 0) {
			assert.Equal(t, c, cdf[i], "cdf(%v)", v)
			continue
		}
		pdf := invSqrt2Pi * expNonPos(-0.5*v*v)
		wantDX := g[i] * (c + v*pdf)
		tol := func(w float32) float64 { return 2e-6 + 1e-6*math.Abs(float64(w)) }
		require.InDelta(t, c, cdf[i], tol(c), "cdf(%v)", v)
		require.InDelta(t, wantY, y[i], tol(wantY), "gelu(%v)", v)
		require.InDelta(t, wantDX, dx[i], tol(wantDX), "gelu'(%v)", v)
	}
	nan := []float32{float32(math.NaN()), 1, 2, 3, 4, 5, 6, 7}
	geluAVX2(&y[0], &cdf[0], &nan[0], 8)
	assert.True(t, math.IsNaN(float64(y[0])), "NaN stays NaN")
}

// TestExpShiftAVX2 compares the vectorised e^(x-shift) of softmax with
// expNonPos: relative 4e-7 per value (2 ulp plus FMA rounding), exact 0
// for masked scores, NaN kept, and the returned sum within 1e-6 relative.
func TestExpShiftAVX2(t *testing.T) {
	t.Parallel()
	if !lstmAVX2 {
		t.Skip("no AVX2/FMA: the scalar path is the only one")
	}
	var x []float32
	for v := float32(-90); v <= 3; v += 0.0123 {
		x = append(x, v)
	}
	x = append(x, -math.MaxFloat32, -math.MaxFloat32+3, -87.3, -87.4)
	for len(x)%8 != 0 {
		x = append(x, 0)
	}
	const shift = 3
	dst := make([]float32, len(x))
	sum := expShiftAVX2(&dst[0], &x[0], shift, len(x))
	var want float64
	for i, v := range x {
		e := expNonPos(v - shift)
		want += float64(e)
		require.InDelta(t, e, dst[i], 4e-7*float64(e)+1e-45, "e^(%v-3)", v)
		if e == 0 {
			require.Zero(t, dst[i], "flushed: e^(%v-3)", v)
		}
	}
	assert.InDelta(t, want, float64(sum), 1e-6*want)
	nan := []float32{float32(math.NaN()), 0, 0, 0, 0, 0, 0, 0}
	assert.True(t, math.IsNaN(float64(expShiftAVX2(&dst[0], &nan[0], 0, 8))), "NaN stays NaN")
}
