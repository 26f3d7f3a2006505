package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// invSqrt2 and invSqrt2Pi are 1/√2 and 1/√(2π).
const (
	invSqrt2   = 0.70710678118654752440
	invSqrt2Pi = 0.39894228040143267794
)

// GELU is the exact (erf) Gaussian error linear unit, element-wise:
// gelu(x) = x·Φ(x) = 0.5·x·(1 + erf(x/√2)), BERT's "gelu" and
// torch.nn.functional.gelu's default (not the tanh approximation). erf is
// evaluated in float32 within 5e-7 (a few ulp; see erff), as PyTorch's
// vectorised CPU kernels also approximate it. The gradient is
// Φ(x) + x·φ(x), with φ the standard normal density. With AVX2 and FMA,
// eight values go at a time through the same formulas (lstm_act_amd64.s),
// whose fused multiply-adds round differently by an ulp or so.
type GELU struct {
	team    *team // the graph's, set by Graph.Apply
	out, dx *tensor.Dense
	cdf     []float32 // Φ(x) of the latest Forward
}

func (k *GELU) setTeam(t *team) { k.team = t }

// Name implements [Kernel].
func (*GELU) Name() string { return "gelu" }

// DiffWRT implements [Kernel].
func (*GELU) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*GELU) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	return unaryShape(in)
}

// Forward implements [Kernel].
func (k *GELU) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	k.out = buffer(k.out, in[0].Shape()...)
	x, y := f32(in[0]), f32(k.out)
	k.cdf = grow(k.cdf, len(x))
	cdf := k.cdf
	parallelChunks(k.team, len(x), 1<<14, func(_, lo, hi int) {
		if lstmAVX2 {
			if n := (hi - lo) &^ 7; n > 0 {
				geluAVX2(&y[lo], &cdf[lo], &x[lo], n)
				lo += n
			}
		}
		for i, v := range x[lo:hi] {
			c := 0.5 * (1 + erff(v*invSqrt2))
			cdf[lo+i] = c
			y[lo+i] = v * c
		}
	})
	return k.out, nil
}

// Backward implements [Kernel].
func (k *GELU) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	x, g := f32(in[0]), f32(dOut)
	if len(k.cdf) != len(x) {
		return nil, errNoForward
	}
	k.dx = buffer(k.dx, in[0].Shape()...)
	dx, cdf := f32(k.dx), k.cdf
	if len(g) != len(x) || len(dx) != len(x) {
		return nil, fmt.Errorf("gradient has %d values for %d inputs", len(g), len(x))
	}
	parallelChunks(k.team, len(x), 1<<14, func(_, lo, hi int) {
		if lstmAVX2 {
			if n := (hi - lo) &^ 7; n > 0 {
				geluGradAVX2(&dx[lo], &g[lo], &cdf[lo], &x[lo], n)
				lo += n
			}
		}
		for i, v := range x[lo:hi] {
			pdf := invSqrt2Pi * expNonPos(-0.5*v*v)
			dx[lo+i] = g[lo+i] * (cdf[lo+i] + v*pdf)
		}
	})
	return []*tensor.Dense{k.dx}, nil
}
