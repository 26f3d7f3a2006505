package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// refLayerNorm is LayerNorm in float64, written from the definition.
func refLayerNorm(x, gamma, beta []float32, h int, eps float64) []float64 {
	out := make([]float64, len(x))
	for r := 0; r < len(x)/h; r++ {
		row := x[r*h : (r+1)*h]
		var mean, sq float64
		for _, v := range row {
			mean += float64(v)
		}
		mean /= float64(h)
		for _, v := range row {
			sq += (float64(v) - mean) * (float64(v) - mean)
		}
		std := math.Sqrt(sq/float64(h) + eps) // biased variance
		for j, v := range row {
			out[r*h+j] = (float64(v)-mean)/std*float64(gamma[j]) + float64(beta[j])
		}
	}
	return out
}

func TestLayerNorm_forward(t *testing.T) {
	tests := []struct {
		name, reason string
		shape        []int
		eps          float64
	}{
		{"bert eps", "layer_norm_eps 1e-12", []int{2, 3, 8}, 1e-12},
		{"large eps", "eps visibly shrinks the output", []int{4, 5}, 0.5},
		{"many rows", "rows split over goroutines", []int{600, 16}, 1e-5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, uint64(len(tt.shape))))
			h := tt.shape[len(tt.shape)-1]
			x, gamma, beta := randParam(r, "x", tt.shape...), randParam(r, "g", h), randParam(r, "b", h)
			prog, _, out := runKernel(t, r, &LayerNorm{Eps: tt.eps}, x, gamma, beta)
			require.NoError(t, prog.Run())
			// float32 outputs of O(1) values: 1e-5 (float32 rounding).
			assert.Less(t, maxAbsDiff(out(), refLayerNorm(x.Data, gamma.Data, beta.Data, h, tt.eps)), 1e-5)
		})
	}
}

func TestLayerNorm_gradients(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	x, gamma, beta := randParam(r, "x", 3, 4, 6), randParam(r, "gamma", 6), randParam(r, "beta", 6)
	checkKernel(t, 5, &LayerNorm{Eps: 1e-12}, 12, x, gamma, beta)
	// Enough rows for two goroutines: the partial gamma/beta sums must add up.
	x2, gamma2, beta2 := randParam(r, "x", 1100, 8), randParam(r, "gamma", 8), randParam(r, "beta", 8)
	checkKernel(t, 6, &LayerNorm{Eps: 1e-5}, 8, x2, gamma2, beta2)
}

func TestLayerNorm_OutShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		k            LayerNorm
		in           []tensor.Shape
		ok           bool
	}{
		{"ok", "x [..., H] with [H] gamma and beta", LayerNorm{Eps: 1e-12}, []tensor.Shape{{2, 3, 4}, {4}, {4}}, true},
		{"gamma size", "gamma must match H", LayerNorm{}, []tensor.Shape{{2, 4}, {3}, {4}}, false},
		{"no beta", "three inputs", LayerNorm{}, []tensor.Shape{{2, 4}, {4}}, false},
		{"negative eps", "sqrt of a negative", LayerNorm{Eps: -1}, []tensor.Shape{{2, 4}, {4}, {4}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.k.OutShape(tt.in)
			assert.Equal(t, tt.ok, err == nil, tt.reason)
		})
	}
}
