package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// CLS selects the first position of every sequence: [B, T, H] → [B, H], as
// BERT's pooler does with the [CLS] token. The gradient of the other
// positions is zero.
type CLS struct {
	out, dx *tensor.Dense
}

// Name implements [Kernel].
func (*CLS) Name() string { return "cls" }

// DiffWRT implements [Kernel].
func (*CLS) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*CLS) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 || len(in[0]) != 3 || in[0][1] < 1 {
		return nil, fmt.Errorf("want one [B, T, H] input with T ≥ 1, got %v", in)
	}
	return tensor.Shape{in[0][0], in[0][2]}, nil
}

// Forward implements [Kernel].
func (k *CLS) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	s := in[0].Shape()
	b, t, h := s[0], s[1], s[2]
	k.out = buffer(k.out, b, h)
	x, y := f32(in[0]), f32(k.out)
	for i := range b {
		copy(y[i*h:(i+1)*h], x[i*t*h:i*t*h+h])
	}
	return k.out, nil
}

// Backward implements [Kernel].
func (k *CLS) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	s := in[0].Shape()
	b, t, h := s[0], s[1], s[2]
	k.dx = zeroed(k.dx, b, t, h)
	dx, g := f32(k.dx), f32(dOut)
	for i := range b {
		copy(dx[i*t*h:i*t*h+h], g[i*h:(i+1)*h])
	}
	return []*tensor.Dense{k.dx}, nil
}
