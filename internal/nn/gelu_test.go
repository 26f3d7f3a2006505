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
