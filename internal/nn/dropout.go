package nn

import (
	"math/rand/v2"

	"gorgonia.org/tensor"
)

// Dropout multiplies its input by Mask, element-wise. The model fills Mask
// before each training run with [FillDropoutMask] from its own seeded RNG;
// a nil Mask is the identity (inference, or training with p = 0).
type Dropout struct {
	// Mask holds one multiplier per input element: 0 or 1/(1-p).
	Mask []float32

	out, dx *tensor.Dense
}

// FillDropoutMask fills mask for dropout probability p with draws from r:
// each entry is 0 with probability p and 1/(1-p) otherwise.
func FillDropoutMask(r *rand.Rand, mask []float32, p float64) {
	keep := float32(1 / (1 - p))
	for i := range mask {
		if r.Float64() < p {
			mask[i] = 0
		} else {
			mask[i] = keep
		}
	}
}

// Name implements [Kernel].
func (*Dropout) Name() string { return "dropout" }

// DiffWRT implements [Kernel].
func (*Dropout) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*Dropout) OutShape(in []tensor.Shape) (tensor.Shape, error) { return in[0].Clone(), nil }

// Forward implements [Kernel].
func (k *Dropout) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	return k.apply(&k.out, in[0])
}

// Backward implements [Kernel].
func (k *Dropout) Backward(_ []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	g, err := k.apply(&k.dx, dOut)
	return []*tensor.Dense{g}, err
}

func (k *Dropout) apply(buf **tensor.Dense, x *tensor.Dense) (*tensor.Dense, error) {
	*buf = buffer(*buf, x.Shape()...)
	src, dst := f32(x), f32(*buf)
	if k.Mask == nil {
		copy(dst, src)
		return *buf, nil
	}
	if len(k.Mask) != len(src) {
		return nil, errMaskSize(len(k.Mask), len(src))
	}
	for i, v := range src {
		dst[i] = v * k.Mask[i]
	}
	return *buf, nil
}
