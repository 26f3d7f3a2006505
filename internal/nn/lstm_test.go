package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// lstmWeights are one direction's parameters in torch layout.
type lstmWeights struct{ wih, whh, bih, bhh *Param }

func newLSTMWeights(r *rand.Rand, prefix string, in, hid int) lstmWeights {
	return lstmWeights{
		wih: randParam(r, prefix+"wih", 4*hid, in),
		whh: randParam(r, prefix+"whh", 4*hid, hid),
		bih: randParam(r, prefix+"bih", 4*hid),
		bhh: randParam(r, prefix+"bhh", 4*hid),
	}
}

func (w lstmWeights) params() []*Param { return []*Param{w.wih, w.whh, w.bih, w.bhh} }

// refLSTM is a direct float64 transcription of torch.nn.LSTM over a packed
// batch: each row runs alone for its own length; padded outputs are zero.
func refLSTM(x []float32, bsz, seq, in int, lens []int, dirs []lstmWeights) []float64 {
	hid := dirs[0].whh.Shape[1]
	w := len(dirs) * hid
	out := make([]float64, bsz*seq*w)
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	for b := range bsz {
		for d, wt := range dirs {
			h := make([]float64, hid)
			c := make([]float64, hid)
			for s := range lens[b] {
				t := s
				if d == 1 {
					t = lens[b] - 1 - s
				}
				g := make([]float64, 4*hid)
				for j := range 4 * hid {
					v := float64(wt.bih.Data[j] + wt.bhh.Data[j])
					for p := range in {
						v += float64(wt.wih.Data[j*in+p]) * float64(x[(b*seq+t)*in+p])
					}
					for p := range hid {
						v += float64(wt.whh.Data[j*hid+p]) * h[p]
					}
					g[j] = v
				}
				for j := range hid {
					i, f, gg, o := sig(g[j]), sig(g[hid+j]), math.Tanh(g[2*hid+j]), sig(g[3*hid+j])
					c[j] = f*c[j] + i*gg
					h[j] = o * math.Tanh(c[j])
					out[(b*seq+t)*w+d*hid+j] = h[j]
				}
			}
		}
	}
	return out
}

func lstmInputs(g *Graph, x *Param, dirs []lstmWeights) []*gorgonia.Node {
	nodes := []*gorgonia.Node{g.Param(x)}
	for _, d := range dirs {
		for _, p := range d.params() {
			nodes = append(nodes, g.Param(p))
		}
	}
	return nodes
}

// TestLSTM_forward compares the kernel with refLSTM on batches with
// lengths 0, 1, T and in between, both directions and one, hidden sizes
// that hit full and partial GEMM tiles. Tolerance 1e-5: float32 with the
// fast activations (TestActivations) against float64.
func TestLSTM_forward(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		reason      string
		bsz, seq    int
		in, hid     int
		dirs        int
		lens        []int
		withPadding bool
	}{
		{"bi_mixed", "variable lengths incl. 1 and T", 5, 6, 3, 4, 2, []int{6, 1, 3, 6, 2}, true},
		{"uni_mixed", "forward only", 4, 5, 3, 4, 1, []int{2, 5, 1, 4}, true},
		{"zero_length", "a row of length 0 gives zeros", 3, 4, 2, 3, 2, []int{0, 4, 2}, true},
		{"one_row", "batch of one, length 1", 1, 1, 5, 8, 2, []int{1}, false},
		{"wide", "hidden 20: partial 16-column blocks, 13 rows: a partial 6-row panel", 13, 7, 17, 20, 2,
			[]int{7, 7, 6, 5, 5, 4, 3, 3, 2, 1, 1, 7, 2}, true},
		{"big", "hidden 128 as in the reference model", 9, 4, 30, 128, 2, []int{4, 3, 1, 2, 4, 4, 1, 2, 3}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(11, uint64(tc.hid)))
			x := randParam(r, "x", tc.bsz, tc.seq, tc.in)
			var dirs []lstmWeights
			for d := range tc.dirs {
				dirs = append(dirs, newLSTMWeights(r, string(rune('a'+d)), tc.in, tc.hid))
			}
			k := &LSTM{Lengths: tc.lens}
			g := NewGraph()
			out := g.Apply(k, lstmInputs(g, x, dirs)...)
			prog, err := g.Compile(nil)
			require.NoError(t, err)
			defer func() { assert.NoError(t, prog.Close()) }()
			require.NoError(t, prog.Run())
			want := refLSTM(x.Data, tc.bsz, tc.seq, tc.in, tc.lens, dirs)
			got := out.Value().Data().([]float32)
			require.Len(t, got, len(want))
			for i := range want {
				assert.InDelta(t, want[i], float64(got[i]), 1e-5, "%s: element %d", tc.reason, i)
			}
			// Run again: reused buffers give the same result.
			first := append([]float32(nil), got...)
			require.NoError(t, prog.Run())
			assert.Equal(t, first, out.Value().Data().([]float32))
		})
	}
}

// TestLSTM_paddingInvariance checks that what sits in padded positions, and
// how long the padded axis is, changes nothing in a row's output.
func TestLSTM_paddingInvariance(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	const in, hid = 3, 4
	dirs := []lstmWeights{newLSTMWeights(r, "f", in, hid), newLSTMWeights(r, "b", in, hid)}
	run := func(x *Param, lens []int) []float32 {
		g := NewGraph()
		out := g.Apply(&LSTM{Lengths: lens}, lstmInputs(g, x, dirs)...)
		prog, err := g.Compile(nil)
		require.NoError(t, err)
		defer func() { assert.NoError(t, prog.Close()) }()
		require.NoError(t, prog.Run())
		return append([]float32(nil), out.Value().Data().([]float32)...)
	}
	alone := randParam(r, "alone", 1, 3, in)
	single := run(alone, []int{3})
	// The same row second in a batch of 2, padded to 7 steps with noise.
	batch := randParam(r, "batch", 2, 7, in)
	copy(batch.Data[7*in:], alone.Data)
	padded := run(batch, []int{7, 3})
	row := padded[7*2*hid : 7*2*hid+3*2*hid]
	assert.InDeltaSlice(t, single, row, 1e-6)
	for _, v := range padded[7*2*hid+3*2*hid:] {
		assert.Zero(t, v, "padded steps output zeros")
	}
}

// TestLSTM_gradients checks every gradient of a 2-layer bidirectional
// stack read through LastState, and of a forward-only layer read at every
// step, against finite differences (checkGrads).
func TestLSTM_gradients(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		dirs   int
		layers int
		last   bool
		lens   []int
	}{
		{"bi_2layer_last", "final states of a 2-layer BiLSTM, lengths 1…T", 2, 2, true, []int{4, 1, 3, 2}},
		{"uni_all_steps", "every output step of a forward-only layer", 1, 1, false, []int{2, 4, 1, 3}},
		{"bi_all_steps_zero_len", "every step of a BiLSTM with a length-0 row", 2, 1, false, []int{3, 0, 4, 1}},
		{"uni_2layer_last", "final state of a 2-layer forward-only LSTM", 1, 2, true, []int{1, 4, 4, 2}},
		{"padded_strides", "hidden 16 and input 64: every padded row stride (padStride)", 2, 2, true, []int{3, 4, 1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const bsz, seq, classes = 4, 4, 3
			in, hid := 3, 4
			if tc.name == "padded_strides" {
				in, hid = 64, 16
			}
			r := rand.New(rand.NewPCG(21, uint64(tc.dirs*10+tc.layers)))
			x := randParam(r, "x", bsz, seq, in)
			g := NewGraph()
			h := g.Param(x)
			params := []*Param{x}
			width := in
			for l := range tc.layers {
				var dirs []lstmWeights
				for d := range tc.dirs {
					dirs = append(dirs, newLSTMWeights(r, string(rune('a'+l*2+d)), width, hid))
				}
				nodes := []*gorgonia.Node{h}
				for _, d := range dirs {
					for _, p := range d.params() {
						nodes = append(nodes, g.Param(p))
						params = append(params, p)
					}
				}
				h = g.Apply(&LSTM{Lengths: tc.lens}, nodes...)
				width = tc.dirs * hid
			}
			targets := []int{0, 2, 1, 1}
			if tc.last {
				h = g.Apply(&LastState{Lengths: tc.lens, Bidirectional: tc.dirs == 2}, h)
			} else {
				h = g.Apply(Reshape(bsz*seq, width), h)
				targets = make([]int, bsz*seq)
				for i := range targets {
					targets[i] = r.IntN(classes)
				}
			}
			w, b := randParam(r, "w", classes, width), randParam(r, "b", classes)
			params = append(params, w, b)
			ce := &SoftmaxCrossEntropy{Targets: targets}
			loss := g.Apply(ce, g.Apply(&Linear{}, h, g.Param(w), g.Param(b)))
			prog, err := g.Compile(loss)
			require.NoError(t, err)
			defer func() { assert.NoError(t, prog.Close()) }()
			run := func() (float64, error) { err := prog.Run(); return ce.Loss, err }
			checkGrads(t, prog.Params(), run, 10, nil)

			// Padded inputs get no gradient.
			require.NoError(t, prog.Run())
			for bi, n := range tc.lens {
				for _, v := range x.Grad[(bi*seq+n)*in : (bi+1)*seq*in] {
					assert.Zero(t, v, tc.reason)
				}
			}
			_ = params
		})
	}
}

func TestLastState(t *testing.T) {
	t.Parallel()
	// x [2, 3, 4], bidirectional with H = 2: value = 100·b + 10·t + column.
	x := NewParam("x", 2, 3, 4)
	for b := range 2 {
		for s := range 3 {
			for c := range 4 {
				x.Data[(b*3+s)*4+c] = float32(100*b + 10*s + c)
			}
		}
	}
	tests := []struct {
		name   string
		reason string
		bi     bool
		lens   []int
		want   []float32
	}{
		{"bi", "forward half at len-1, backward half at 0", true, []int{3, 1}, []float32{20, 21, 2, 3, 100, 101, 102, 103}},
		{"uni", "the whole row at len-1", false, []int{2, 3}, []float32{10, 11, 12, 13, 120, 121, 122, 123}},
		{"zero", "length 0 gives zeros", true, []int{0, 2}, []float32{0, 0, 0, 0, 110, 111, 102, 103}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k := &LastState{Lengths: tc.lens, Bidirectional: tc.bi}
			out, err := k.Forward([]*tensor.Dense{tensor.New(tensor.WithShape(2, 3, 4), tensor.WithBacking(append([]float32(nil), x.Data...)))})
			require.NoError(t, err)
			assert.Equal(t, tc.want, out.Data().([]float32), tc.reason)
		})
	}
	k := &LastState{Lengths: []int{4, 1}}
	_, err := k.Forward([]*tensor.Dense{tensor.New(tensor.WithShape(2, 3, 4), tensor.WithBacking(make([]float32, 24)))})
	assert.ErrorContains(t, err, "outside [0, 3]")
}

func TestLSTM_badInputs(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 1))
	x := randParam(r, "x", 2, 3, 4)
	w := newLSTMWeights(r, "f", 4, 2)
	tests := []struct {
		name   string
		reason string
		lens   []int
		want   string
	}{
		{"few_lengths", "one length per row", []int{1}, "1 lengths for a batch of 2"},
		{"too_long", "a length beyond T", []int{1, 4}, "outside [0, 3]"},
		{"negative", "a negative length", []int{-1, 1}, "outside [0, 3]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := NewGraph()
			g.Apply(&LSTM{Lengths: tc.lens}, lstmInputs(g, x, []lstmWeights{w})...)
			prog, err := g.Compile(nil)
			require.NoError(t, err)
			defer func() { assert.NoError(t, prog.Close()) }()
			assert.ErrorContains(t, prog.Run(), tc.want, tc.reason)
		})
	}
	// Shapes that do not fit are refused while building.
	g := NewGraph()
	bad := newLSTMWeights(r, "bad", 5, 2)
	g.Apply(&LSTM{}, lstmInputs(g, x, []lstmWeights{bad})...)
	assert.ErrorContains(t, g.Err(), "W_ih has shape")
}
