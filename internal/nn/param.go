package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
)

// Param is a trainable tensor: float32 values in row-major order, the
// gradient of the latest backward pass, and optimiser bookkeeping. Graphs
// built over a Param share its Data: an optimiser step updates every graph
// at once, and inference graphs must not run during that step.
type Param struct {
	// Name is the parameter's checkpoint name, e.g. "classifier.weight".
	Name string
	// Shape is the tensor shape; PyTorch layouts are kept (a Linear weight
	// is [out, in]).
	Shape []int
	// Data holds the values, len = product of Shape.
	Data []float32
	// Grad holds the gradient after [Program.Run] with gradients; same
	// length as Data.
	Grad []float32
	// NoDecay excludes the parameter from weight decay (biases and
	// LayerNorm weights, following the usual BERT recipe).
	NoDecay bool

	// version counts the writes to Data made through the package (and
	// through Touch), so that values derived from Data can be cached.
	version atomic.Uint64
	// tr caches Data transposed, for [Linear]; valid while its version
	// and source match.
	tr atomic.Pointer[transposed]
}

// transposed is a 2-D Param's values transposed and packed for the
// matrix multiply, as of a version.
type transposed struct {
	version uint64
	src     *float32 // &Data[0] when made, in case Data was replaced
	n       int      // len(Data) when made
	packed  *packedB
}

// Touch records that p.Data was written directly, so that kernels drop
// values they derived from it (such as the transposed weights [Linear]
// caches). [Param.SetData], [Restore] and optimiser steps call it; code
// that writes Data itself must call it before the next run of a graph
// built over p. Touch must not run concurrently with such a run.
func (p *Param) Touch() { p.version.Add(1) }

// packedT returns p's [rows, cols] values transposed to [cols, rows] and
// packed for mmPackedB, from the cache when it is current. Concurrent
// callers may each build a copy; the last one stays cached. It returns nil
// when p does not hold rows×cols values.
func (p *Param) packedT(rows, cols int) *packedB {
	ver := p.version.Load()
	if len(p.Data) == 0 || rows*cols != len(p.Data) {
		return nil
	}
	src := &p.Data[0]
	if t := p.tr.Load(); t != nil && t.version == ver && t.src == src && t.n == len(p.Data) {
		return t.packed
	}
	wt := make([]float32, len(p.Data))
	transposeBlocked(wt, p.Data, rows, cols)
	pb := newPackedB(cols, rows, wt, rows)
	p.tr.Store(&transposed{version: ver, src: src, n: len(p.Data), packed: pb})
	return pb
}

// transposeBlocked sets dst [cols, rows] to the transpose of src [rows,
// cols], in 32×32 blocks so that reads and writes both stay in cache.
func transposeBlocked(dst, src []float32, rows, cols int) {
	const bs = 32
	for i0 := 0; i0 < rows; i0 += bs {
		i1 := min(i0+bs, rows)
		for j0 := 0; j0 < cols; j0 += bs {
			j1 := min(j0+bs, cols)
			for i := i0; i < i1; i++ {
				row := src[i*cols+j0 : i*cols+j1]
				for j, v := range row {
					dst[(j0+j)*rows+i] = v
				}
			}
		}
	}
}

// NewParam returns a zero-filled Param of the given shape.
func NewParam(name string, shape ...int) *Param {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return &Param{Name: name, Shape: append([]int(nil), shape...), Data: make([]float32, n), Grad: make([]float32, n)}
}

// Size returns the number of values in p.
func (p *Param) Size() int { return len(p.Data) }

// SetData copies values into p after checking their shape.
func (p *Param) SetData(shape []int, values []float32) error {
	if !sameShape(shape, p.Shape) || len(values) != len(p.Data) {
		return fmt.Errorf("nn: %s: shape %v (%d values), want %v", p.Name, shape, len(values), p.Shape)
	}
	copy(p.Data, values)
	p.Touch()
	return nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Uniform fills p with values drawn uniformly from [-bound, bound) with r.
func (p *Param) Uniform(r *rand.Rand, bound float64) {
	for i := range p.Data {
		p.Data[i] = float32((r.Float64()*2 - 1) * bound)
	}
	p.Touch()
}

// Normal fills p with values drawn from N(0, std²) with r.
func (p *Param) Normal(r *rand.Rand, std float64) {
	for i := range p.Data {
		p.Data[i] = float32(r.NormFloat64() * std)
	}
	p.Touch()
}

// KaimingUniform fills a [out, in] weight the way torch.nn.Linear and
// nn.LSTM initialise theirs: uniform in ±1/sqrt(fanIn).
func (p *Param) KaimingUniform(r *rand.Rand, fanIn int) {
	p.Uniform(r, 1/math.Sqrt(float64(fanIn)))
}

// Snapshot returns a copy of the values of params, in order.
func Snapshot(params []*Param) [][]float32 {
	out := make([][]float32, len(params))
	for i, p := range params {
		out[i] = append([]float32(nil), p.Data...)
	}
	return out
}

// Restore copies values taken by [Snapshot] back into params.
func Restore(params []*Param, values [][]float32) error {
	if len(values) != len(params) {
		return fmt.Errorf("nn: restore %d tensors into %d params", len(values), len(params))
	}
	for i, p := range params {
		if len(values[i]) != len(p.Data) {
			return fmt.Errorf("nn: restore %s: %d values, want %d", p.Name, len(values[i]), len(p.Data))
		}
		copy(p.Data, values[i])
		p.Touch()
	}
	return nil
}
