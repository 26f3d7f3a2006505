package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Linear is y = x·Wᵀ + b over the last axis, with W in PyTorch's [out, in]
// layout. Inputs: x [..., in], W [out, in], and optionally b [out]. Leading
// axes of x are flattened into rows.
type Linear struct {
	out, dx, dw, db *tensor.Dense
}

// Name implements [Kernel].
func (*Linear) Name() string { return "linear" }

// DiffWRT implements [Kernel].
func (*Linear) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*Linear) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 2 && len(in) != 3 {
		return nil, fmt.Errorf("want x, W and optional b, got %d inputs", len(in))
	}
	x, w := in[0], in[1]
	if len(x) < 1 || len(w) != 2 || x[len(x)-1] != w[1] {
		return nil, fmt.Errorf("x %v does not fit W %v", x, w)
	}
	if len(in) == 3 && (len(in[2]) != 1 || in[2][0] != w[0]) {
		return nil, fmt.Errorf("b %v does not fit W %v", in[2], w)
	}
	out := x.Clone()
	out[len(out)-1] = w[0]
	return out, nil
}

// Forward implements [Kernel].
func (l *Linear) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	x, w := in[0], in[1]
	nOut, nIn := w.Shape()[0], w.Shape()[1]
	rows := x.Shape().TotalSize() / nIn
	shape := x.Shape().Clone()
	shape[len(shape)-1] = nOut
	l.out = buffer(l.out, shape...)
	y := f32(l.out)
	gemm(false, true, rows, nOut, nIn, 1, f32(x), f32(w), 0, y)
	if len(in) == 3 {
		b := f32(in[2])
		for r := range rows {
			row := y[r*nOut : (r+1)*nOut]
			for j, v := range b {
				row[j] += v
			}
		}
	}
	return l.out, nil
}

// Backward implements [Kernel].
func (l *Linear) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	x, w := in[0], in[1]
	nOut, nIn := w.Shape()[0], w.Shape()[1]
	rows := x.Shape().TotalSize() / nIn
	dy := f32(dOut)
	l.dx = buffer(l.dx, x.Shape()...)
	gemm(false, false, rows, nIn, nOut, 1, dy, f32(w), 0, f32(l.dx))
	l.dw = buffer(l.dw, nOut, nIn)
	gemm(true, false, nOut, nIn, rows, 1, dy, f32(x), 0, f32(l.dw))
	grads := []*tensor.Dense{l.dx, l.dw}
	if len(in) == 3 {
		l.db = zeroed(l.db, nOut)
		db := f32(l.db)
		for r := range rows {
			for j, v := range dy[r*nOut : (r+1)*nOut] {
				db[j] += v
			}
		}
		grads = append(grads, l.db)
	}
	return grads, nil
}

func all(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}
