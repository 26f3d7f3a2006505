package nn

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// TestGraph_gradients builds embedding → linear → dropout → linear →
// cross-entropy and checks every parameter gradient numerically.
func TestGraph_gradients(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const batch, seq, vocab, dim, hidden, classes = 3, 4, 10, 5, 6, 3
	table := randParam(r, "emb", vocab, dim)
	w1, b1 := randParam(r, "w1", hidden, dim), randParam(r, "b1", hidden)
	w2, b2 := randParam(r, "w2", classes, seq*hidden), randParam(r, "b2", classes)

	emb := &Embedding{Shape: []int{batch, seq}, PaddingIdx: 0}
	drop := &Dropout{Mask: make([]float32, batch*seq*hidden)}
	FillDropoutMask(r, drop.Mask, 0.3)
	ce := &SoftmaxCrossEntropy{Weights: []float32{2, 1, 0.5}}
	emb.IDs = []int{1, 2, 3, 0, 4, 5, 0, 0, 9, 8, 7, 6}
	ce.Targets = []int{0, 2, 1}

	g := NewGraph()
	x := g.Apply(emb, g.Param(table))
	h := g.Apply(&Linear{}, x, g.Param(w1), g.Param(b1))
	h = g.Apply(drop, h)
	h = g.Apply(Reshape(batch, seq*hidden), h)
	logits := g.Apply(&Linear{}, h, g.Param(w2), g.Param(b2))
	loss := g.Apply(ce, logits)
	prog, err := g.Compile(loss)
	require.NoError(t, err)
	defer func() { assert.NoError(t, prog.Close()) }()

	run := func() (float64, error) { err := prog.Run(); return ce.Loss, err }
	checkGrads(t, prog.Params(), run, 12, func(p *Param, j int) bool { return p == table && j < dim })

	// The padding row gets no gradient.
	require.NoError(t, prog.Run())
	for _, v := range table.Grad[:dim] {
		assert.Zero(t, v)
	}
}

func TestGraph_inferenceOnly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	w, b := randParam(r, "w", 2, 3), randParam(r, "b", 2)
	g := NewGraph()
	in := NewParam("x", 1, 3)
	copy(in.Data, []float32{1, 2, 3})
	out := g.Apply(&Linear{}, g.Param(in), g.Param(w), g.Param(b))
	require.NotNil(t, out)
	prog, err := g.Compile(nil)
	require.NoError(t, err)
	require.NoError(t, prog.Run())
	lin := out.Value().Data().([]float32)
	for i := range 2 {
		want := b.Data[i] + w.Data[i*3]*1 + w.Data[i*3+1]*2 + w.Data[i*3+2]*3
		assert.InDelta(t, want, lin[i], 1e-5)
	}
	require.NoError(t, prog.Close())
}

func TestGraph_stickyError(t *testing.T) {
	g := NewGraph()
	w := NewParam("w", 2, 3)
	x := NewParam("x", 4, 5)
	out := g.Apply(&Linear{}, g.Param(x), g.Param(w))
	assert.Nil(t, out)
	require.Error(t, g.Err())
	assert.Nil(t, g.Apply(&Linear{}, out, g.Param(w)))
	_, err := g.Compile(nil)
	assert.ErrorContains(t, err, "does not fit")
}

// panicky panics in Forward, standing in for a broken kernel.
type panicky struct{ Linear }

func (*panicky) Forward([]*tensor.Dense) (*tensor.Dense, error) { panic("broken invariant") }

// TestProgram_Run_recoversPanics shows that a panic inside a kernel, which
// gorgonia runs on a goroutine of its own, comes back as an error wrapping
// ErrMath instead of crashing the process.
func TestProgram_Run_recoversPanics(t *testing.T) {
	g := NewGraph()
	x, w := NewParam("x", 1, 2), NewParam("w", 2, 2)
	g.Apply(&panicky{}, g.Param(x), g.Param(w))
	prog, err := g.Compile(nil)
	require.NoError(t, err)
	err = prog.Run()
	require.ErrorIs(t, err, ErrMath)
	assert.ErrorContains(t, err, "broken invariant")
	require.NoError(t, prog.Close())
}

// TestProgram_Run_freshGradients runs the same program twice on the same
// data: the gradients must be equal, not summed across runs.
func TestProgram_Run_freshGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	w, b := randParam(r, "w", 3, 4), randParam(r, "b", 3)
	x := randParam(r, "x", 2, 4)
	ce := &SoftmaxCrossEntropy{Targets: []int{0, 2}}
	g := NewGraph()
	loss := g.Apply(ce, g.Apply(&Linear{}, g.Param(x), g.Param(w), g.Param(b)))
	prog, err := g.Compile(loss)
	require.NoError(t, err)
	defer func() { assert.NoError(t, prog.Close()) }()
	require.NoError(t, prog.Run())
	first := append([]float32(nil), w.Grad...)
	require.NoError(t, prog.Run())
	assert.Equal(t, first, w.Grad)
}

// TestGraph_Compile_concurrent compiles training graphs from two goroutines
// at once, as two models training side by side do; -race checks that
// gorgonia's lazily hashed constants are not raced on.
func TestGraph_Compile_concurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 1))
			g := NewGraph()
			loss := g.Apply(&SoftmaxCrossEntropy{Targets: []int{1}},
				g.Apply(&Linear{}, g.Param(randParam(r, "x", 1, 2)), g.Param(randParam(r, "w", 3, 2))))
			prog, err := g.Compile(loss)
			if assert.NoError(t, err) {
				assert.NoError(t, prog.Run())
				assert.NoError(t, prog.Close())
			}
		}()
	}
	wg.Wait()
}
