package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// refAttention is multi-head attention in float64, written from the
// definition (Hugging Face's eager BertSelfAttention); masked keys are
// left out of the softmax, which is what adding min_float32 amounts to.
func refAttention(q, k, v []float32, mask []int, drop []float32, b, t, h, heads int) []float64 {
	d := h / heads
	out := make([]float64, b*t*h)
	for bi := range b {
		for hd := range heads {
			for i := range t {
				scores := make([]float64, t)
				mx := math.Inf(-1)
				for j := range t {
					if mask != nil && mask[bi*t+j] == 0 {
						scores[j] = math.Inf(-1)
						continue
					}
					var s float64
					for x := range d {
						s += float64(q[(bi*t+i)*h+hd*d+x]) * float64(k[(bi*t+j)*h+hd*d+x])
					}
					scores[j] = s / math.Sqrt(float64(d))
					mx = math.Max(mx, scores[j])
				}
				var z float64
				for j := range t {
					scores[j] = math.Exp(scores[j] - mx)
					z += scores[j]
				}
				for j := range t {
					p := scores[j] / z
					if drop != nil {
						p *= float64(drop[((bi*heads+hd)*t+i)*t+j])
					}
					for x := range d {
						out[(bi*t+i)*h+hd*d+x] += p * float64(v[(bi*t+j)*h+hd*d+x])
					}
				}
			}
		}
	}
	return out
}

func TestAttention_forward(t *testing.T) {
	tests := []struct {
		name, reason string
		b, seq, h    int
		heads        int
		mask         []int
		dropout      float64
	}{
		{"one head", "plain scaled dot-product attention", 2, 3, 4, 1, nil, 0},
		{"two heads padded", "padded keys get no weight", 2, 4, 6, 2, []int{1, 1, 1, 0, 1, 1, 0, 0}, 0},
		{"dropout", "probabilities times the dropout mask", 2, 4, 6, 3, []int{1, 1, 1, 1, 1, 0, 0, 0}, 0.3},
		{"many jobs", "jobs spread over goroutines", 16, 12, 8, 2, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(21, uint64(tt.b*tt.seq)))
			q, k, v := randParam(r, "q", tt.b, tt.seq, tt.h), randParam(r, "k", tt.b, tt.seq, tt.h), randParam(r, "v", tt.b, tt.seq, tt.h)
			att := &Attention{Heads: tt.heads, Mask: tt.mask}
			if tt.dropout > 0 {
				att.DropMask = make([]float32, tt.b*tt.heads*tt.seq*tt.seq)
				FillDropoutMask(r, att.DropMask, tt.dropout)
			}
			prog, _, out := runKernel(t, r, att, q, k, v)
			require.NoError(t, prog.Run())
			want := refAttention(q.Data, k.Data, v.Data, tt.mask, att.DropMask, tt.b, tt.seq, tt.h, tt.heads)
			// float32 GEMMs and softmax over a few O(1) terms: 2e-6.
			assert.Less(t, maxAbsDiff(out(), want), 2e-6, tt.reason)
		})
	}
}

// TestAttention_allMasked: a sequence with no real key (never built by
// the models, which always keep [CLS]) gets uniform weights, as in Hugging
// Face, where every score becomes min_float32.
func TestAttention_allMasked(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 22))
	q, k, v := randParam(r, "q", 1, 3, 2), randParam(r, "k", 1, 3, 2), randParam(r, "v", 1, 3, 2)
	prog, _, out := runKernel(t, r, &Attention{Heads: 1, Mask: []int{0, 0, 0}}, q, k, v)
	require.NoError(t, prog.Run())
	got := out()
	for i := range 3 {
		for x := range 2 {
			mean := (v.Data[x] + v.Data[2+x] + v.Data[4+x]) / 3
			assert.InDelta(t, mean, got[i*2+x], 1e-6)
		}
	}
}

func TestAttention_gradients(t *testing.T) {
	tests := []struct {
		name, reason string
		heads        int
		mask         []int
		dropout      float64
	}{
		{"no mask", "every key real", 2, nil, 0},
		{"padded", "padded keys pass no gradient", 2, []int{1, 1, 1, 0, 1, 1, 0, 0}, 0},
		{"dropout", "gradient through the dropout mask", 1, []int{1, 1, 1, 1, 1, 1, 1, 0}, 0.25},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(23, uint64(i)))
			const b, seq, h = 2, 4, 6
			q, k, v := randParam(r, "q", b, seq, h), randParam(r, "k", b, seq, h), randParam(r, "v", b, seq, h)
			att := &Attention{Heads: tt.heads, Mask: tt.mask}
			if tt.dropout > 0 {
				att.DropMask = make([]float32, b*tt.heads*seq*seq)
				FillDropoutMask(r, att.DropMask, tt.dropout)
			}
			checkKernel(t, 24+uint64(i), att, 16, q, k, v)
		})
	}
}

func TestAttention_badInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		att          Attention
		in           []tensor.Shape
		shapeOK      bool
	}{
		{"heads do not divide", "6 features, 4 heads", Attention{Heads: 4}, []tensor.Shape{{1, 2, 6}, {1, 2, 6}, {1, 2, 6}}, false},
		{"zero heads", "no heads", Attention{}, []tensor.Shape{{1, 2, 6}, {1, 2, 6}, {1, 2, 6}}, false},
		{"k shape", "q, k and v must agree", Attention{Heads: 1}, []tensor.Shape{{1, 2, 6}, {1, 3, 6}, {1, 2, 6}}, false},
		{"short mask", "mask needs B·T values", Attention{Heads: 1, Mask: []int{1}}, []tensor.Shape{{1, 2, 6}, {1, 2, 6}, {1, 2, 6}}, true},
		{"mask value", "mask values are 0 or 1", Attention{Heads: 1, Mask: []int{1, 2}}, []tensor.Shape{{1, 2, 6}, {1, 2, 6}, {1, 2, 6}}, true},
		{"short drop mask", "B·heads·T·T multipliers", Attention{Heads: 1, DropMask: []float32{1}}, []tensor.Shape{{1, 2, 6}, {1, 2, 6}, {1, 2, 6}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.att.OutShape(tt.in)
			if !tt.shapeOK {
				assert.Error(t, err, tt.reason)
				return
			}
			require.NoError(t, err)
			in := make([]*tensor.Dense, 3)
			for i, s := range tt.in {
				in[i] = tensor.New(tensor.WithShape(s...), tensor.WithBacking(make([]float32, s.TotalSize())))
			}
			_, err = tt.att.Forward(in)
			assert.Error(t, err, tt.reason)
		})
	}
}
