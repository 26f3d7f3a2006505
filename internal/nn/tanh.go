package nn

import (
	"errors"
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// errNoForward reports a Backward whose inputs do not match the kernel's
// latest Forward, a broken invariant of the graph.
var errNoForward = errors.New("backward without a matching forward")

// Tanh is the element-wise hyperbolic tangent, as in BERT's pooler. Its
// gradient is 1 - tanh².
type Tanh struct {
	out, dx *tensor.Dense
}

// Name implements [Kernel].
func (*Tanh) Name() string { return "tanh" }

// DiffWRT implements [Kernel].
func (*Tanh) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*Tanh) OutShape(in []tensor.Shape) (tensor.Shape, error) { return unaryShape(in) }

// Forward implements [Kernel].
func (k *Tanh) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	k.out = buffer(k.out, in[0].Shape()...)
	y := f32(k.out)
	for i, v := range f32(in[0]) {
		y[i] = float32(math.Tanh(float64(v)))
	}
	return k.out, nil
}

// Backward implements [Kernel].
func (k *Tanh) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	y, g := f32(out), f32(dOut)
	if len(y) != len(g) {
		return nil, errNoForward
	}
	k.dx = buffer(k.dx, in[0].Shape()...)
	dx := f32(k.dx)
	for i, v := range y {
		dx[i] = g[i] * (1 - v*v)
	}
	return []*tensor.Dense{k.dx}, nil
}

// unaryShape is OutShape for element-wise kernels of one input.
func unaryShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("want 1 input, got %d", len(in))
	}
	return in[0].Clone(), nil
}
