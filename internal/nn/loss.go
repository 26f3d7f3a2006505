package nn

import (
	"errors"
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

func errMaskSize(got, want int) error {
	return fmt.Errorf("mask has %d values for %d inputs", got, want)
}

// SoftmaxCrossEntropy is the mean cross-entropy of logits [N, C] against
// Targets, with optional class Weights, with the semantics of
// torch.nn.CrossEntropyLoss(weight=Weights): the weighted sum of per-row
// losses divided by the sum of the rows' weights. The output is a scalar.
type SoftmaxCrossEntropy struct {
	// Targets holds one class index in [0, C) per row; set before each run.
	Targets []int
	// Weights holds one weight per class, or nil for uniform weights.
	Weights []float32

	// Loss is the value computed by the latest Forward.
	Loss  float64
	probs []float32
	norm  float64
	out   *tensor.Dense
	dx    *tensor.Dense
}

// Name implements [Kernel].
func (*SoftmaxCrossEntropy) Name() string { return "softmax_cross_entropy" }

// DiffWRT implements [Kernel].
func (*SoftmaxCrossEntropy) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*SoftmaxCrossEntropy) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 || len(in[0]) != 2 {
		return nil, fmt.Errorf("want logits [N, C], got %v", in)
	}
	return tensor.ScalarShape(), nil
}

// Forward implements [Kernel].
func (k *SoftmaxCrossEntropy) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	n, c := in[0].Shape()[0], in[0].Shape()[1]
	if len(k.Targets) != n {
		return nil, fmt.Errorf("%d targets for %d rows", len(k.Targets), n)
	}
	if k.Weights != nil && len(k.Weights) != c {
		return nil, fmt.Errorf("%d class weights for %d classes", len(k.Weights), c)
	}
	logits := f32(in[0])
	if cap(k.probs) < n*c {
		k.probs = make([]float32, n*c)
	}
	k.probs = k.probs[:n*c]
	var sum, norm float64
	for i, t := range k.Targets {
		if t < 0 || t >= c {
			return nil, fmt.Errorf("target %d of row %d is outside [0, %d)", t, i, c)
		}
		row := logits[i*c : (i+1)*c]
		m := math.Inf(-1)
		for _, v := range row {
			m = math.Max(m, float64(v))
		}
		var z float64
		for _, v := range row {
			z += math.Exp(float64(v) - m)
		}
		lse := m + math.Log(z)
		for j, v := range row {
			k.probs[i*c+j] = float32(math.Exp(float64(v) - lse))
		}
		w := 1.0
		if k.Weights != nil {
			w = float64(k.Weights[t])
		}
		sum += w * (lse - float64(row[t]))
		norm += w
	}
	if norm == 0 {
		return nil, errors.New("the targets' class weights sum to zero")
	}
	k.norm = norm
	k.Loss = sum / norm
	k.out = buffer(k.out)
	f32(k.out)[0] = float32(k.Loss)
	return k.out, nil
}

// Backward implements [Kernel].
func (k *SoftmaxCrossEntropy) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	n, c := in[0].Shape()[0], in[0].Shape()[1]
	k.dx = buffer(k.dx, n, c)
	dx := f32(k.dx)
	scale := float64(f32(dOut)[0]) / k.norm
	for i, t := range k.Targets {
		w := 1.0
		if k.Weights != nil {
			w = float64(k.Weights[t])
		}
		f := float32(w * scale)
		for j := range c {
			g := k.probs[i*c+j]
			if j == t {
				g--
			}
			dx[i*c+j] = g * f
		}
	}
	return []*tensor.Dense{k.dx}, nil
}
