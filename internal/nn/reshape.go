package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// reshape views its input with another shape of the same size.
type reshape struct {
	to      []int
	out, dx *tensor.Dense
}

// Reshape returns a kernel that gives its input the shape to, which must
// hold as many values.
func Reshape(to ...int) Kernel { return &reshape{to: append([]int(nil), to...)} }

func (*reshape) Name() string         { return "reshape" }
func (*reshape) DiffWRT(n int) []bool { return all(n) }

func (k *reshape) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 || numel(in[0]) != numel(k.to) {
		return nil, fmt.Errorf("cannot reshape %v to %v", in, k.to)
	}
	return tensor.Shape(append([]int(nil), k.to...)), nil
}

func (k *reshape) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	k.out = buffer(k.out, k.to...)
	copy(f32(k.out), f32(in[0]))
	return k.out, nil
}

func (k *reshape) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	k.dx = buffer(k.dx, in[0].Shape()...)
	copy(f32(k.dx), f32(dOut))
	return []*tensor.Dense{k.dx}, nil
}
