package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// dotProbe is a test loss: the sum of its input times fixed random
// weights R, so every output element gets a distinct gradient.
type dotProbe struct {
	R   []float32
	out *tensor.Dense
	dx  *tensor.Dense
	val float64
}

func (*dotProbe) Name() string         { return "dot_probe" }
func (*dotProbe) DiffWRT(n int) []bool { return all(n) }
func (*dotProbe) OutShape([]tensor.Shape) (tensor.Shape, error) {
	return tensor.ScalarShape(), nil
}

func (p *dotProbe) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	var s float64
	for i, v := range f32(in[0]) {
		s += float64(v) * float64(p.R[i])
	}
	p.val = s
	p.out = buffer(p.out)
	f32(p.out)[0] = float32(s)
	return p.out, nil
}

func (p *dotProbe) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	p.dx = buffer(p.dx, in[0].Shape()...)
	g := f32(dOut)[0]
	for i, r := range p.R {
		f32(p.dx)[i] = r * g
	}
	return []*tensor.Dense{p.dx}, nil
}

// runKernel builds inputs → k → dotProbe, compiles it with gradients and
// returns the program, the probe (whose val is the loss) and k's output
// node value accessor. Tests that call it do not run in parallel:
// gorgonia.Grad lazily hashes a package-level constant node, a data race
// when two goroutines compile their first gradient graphs at once.
func runKernel(t *testing.T, r *rand.Rand, k Kernel, inputs ...*Param) (*Program, *dotProbe, func() []float32) {
	t.Helper()
	g := NewGraph()
	nodes := make([]*gorgonia.Node, len(inputs))
	for i, p := range inputs {
		nodes[i] = g.Param(p)
	}
	out := g.Apply(k, nodes...)
	require.NoError(t, g.Err())
	probe := &dotProbe{R: make([]float32, out.Shape().TotalSize())}
	for i := range probe.R {
		probe.R[i] = float32(r.NormFloat64())
	}
	loss := g.Apply(probe, out)
	prog, err := g.Compile(loss)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, prog.Close()) })
	return prog, probe, func() []float32 { return append([]float32(nil), out.Value().Data().([]float32)...) }
}

// checkKernel runs checkGrads on every input of k.
func checkKernel(t *testing.T, seed uint64, k Kernel, probes int, inputs ...*Param) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	prog, probe, _ := runKernel(t, r, k, inputs...)
	run := func() (float64, error) { err := prog.Run(); return probe.val, err }
	checkGrads(t, prog.Params(), run, probes, nil)
}

func TestAdd_forwardAndGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	a, b, c := randParam(r, "a", 2, 3, 4), randParam(r, "b", 2, 3, 4), randParam(r, "c", 2, 3, 4)
	prog, _, out := runKernel(t, r, &Add{}, a, b, c)
	require.NoError(t, prog.Run())
	got := out()
	for i := range got {
		assert.InDelta(t, a.Data[i]+b.Data[i]+c.Data[i], got[i], 1e-6)
	}
	checkKernel(t, 2, &Add{}, 8, a, b, c)
}

func TestAdd_OutShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		in           []tensor.Shape
		ok           bool
	}{
		{"two equal", "a residual", []tensor.Shape{{2, 3}, {2, 3}}, true},
		{"one input", "nothing to add", []tensor.Shape{{2, 3}}, false},
		{"different shapes", "no broadcasting", []tensor.Shape{{2, 3}, {3, 2}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := (&Add{}).OutShape(tt.in)
			assert.Equal(t, tt.ok, err == nil, tt.reason)
		})
	}
}

// TestParallelFor checks that the ranges of parallelFor and parallelChunks
// cover [0, n) once, whatever the split, with and without a team, and that
// a panic in a worker reaches the caller.
func TestParallelFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		n, min       int
	}{
		{"empty", "no call", 0, 1},
		{"serial", "below two chunks", 5, 10},
		{"parallel", "many chunks", 1000, 3},
		{"uneven", "last chunk short", 7, 1},
	}
	for _, tt := range tests {
		for _, withTeam := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/team=%v", tt.name, withTeam), func(t *testing.T) {
				t.Parallel()
				var tm *team
				if withTeam {
					tm = &team{}
				}
				hits := make([]atomic.Int32, tt.n)
				for _, pf := range []func(*team, int, int, func(w, lo, hi int)){parallelFor, parallelChunks} {
					for range 3 { // a team's helper is reused across calls
						pf(tm, tt.n, tt.min, func(w, lo, hi int) {
							assert.Less(t, w, workersFor(tt.n, tt.min))
							for i := lo; i < hi; i++ {
								hits[i].Add(1)
							}
						})
					}
				}
				for i := range hits {
					assert.EqualValues(t, 6, hits[i].Load(), "%s: index %d", tt.reason, i)
				}
			})
		}
	}
	for _, tm := range []*team{nil, {}} {
		assert.PanicsWithValue(t, "boom", func() {
			parallelChunks(tm, 100, 1, func(_, lo, hi int) {
				if hi == 100 {
					panic("boom")
				}
			})
		})
		assert.PanicsWithValue(t, "boom", func() {
			parallelFor(tm, 100, 1, func(w, _, _ int) {
				if w == workersFor(100, 1)-1 {
					panic("boom")
				}
			})
		})
		assert.PanicsWithValue(t, "boom0", func() {
			parallelFor(tm, 100, 1, func(w, _, _ int) {
				if w == 0 {
					panic("boom0")
				}
			})
		})
	}
}

// maxAbsDiff returns the largest |a[i] - b[i]|.
func maxAbsDiff(a []float32, b []float64) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, math.Abs(float64(a[i])-b[i]))
	}
	return m
}
