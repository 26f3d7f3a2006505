package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// LastState gathers the final hidden states of an [LSTM] layer's output
// [B, T, dirs·H] into [B, dirs·H], the way torch.nn.LSTM's h_n reads for a
// packed sequence: the forward direction's state at t = len-1 (its first H
// columns) and, when Bidirectional, the backward direction's state at t = 0
// (the next H columns). A row of length 0 gives zeros. The gradient is zero
// everywhere else.
type LastState struct {
	// Lengths holds the number of valid steps of each of the B rows, each
	// in [0, T]; set it before each run, to the same values as the LSTM's.
	Lengths []int
	// Bidirectional says that the last axis holds two directions.
	Bidirectional bool

	out, dx *tensor.Dense
}

// Name implements [Kernel].
func (*LastState) Name() string { return "last_state" }

// DiffWRT implements [Kernel].
func (*LastState) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (k *LastState) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 || len(in[0]) != 3 {
		return nil, fmt.Errorf("want one [batch, seq, dirs·hidden] input, got %v", in)
	}
	if k.Bidirectional && in[0][2]%2 != 0 {
		return nil, fmt.Errorf("bidirectional input has an odd width %d", in[0][2])
	}
	return tensor.Shape{in[0][0], in[0][2]}, nil
}

func (k *LastState) dims(s tensor.Shape) (b, t, w, h int, err error) {
	b, t, w = s[0], s[1], s[2]
	h = w
	if k.Bidirectional {
		h = w / 2
	}
	if len(k.Lengths) != b {
		return 0, 0, 0, 0, fmt.Errorf("%d lengths for a batch of %d", len(k.Lengths), b)
	}
	for i, n := range k.Lengths {
		if n < 0 || n > t {
			return 0, 0, 0, 0, fmt.Errorf("length %d of row %d is outside [0, %d]", n, i, t)
		}
	}
	return b, t, w, h, nil
}

// Forward implements [Kernel].
func (k *LastState) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	b, t, w, h, err := k.dims(in[0].Shape())
	if err != nil {
		return nil, err
	}
	x := f32(in[0])
	k.out = zeroed(k.out, b, w)
	out := f32(k.out)
	for i, n := range k.Lengths {
		if n == 0 {
			continue
		}
		last := (i*t + n - 1) * w
		copy(out[i*w:i*w+h], x[last:last+h])
		if k.Bidirectional {
			first := i * t * w
			copy(out[i*w+h:(i+1)*w], x[first+h:first+w])
		}
	}
	return k.out, nil
}

// Backward implements [Kernel].
func (k *LastState) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	b, t, w, h, err := k.dims(in[0].Shape())
	if err != nil {
		return nil, err
	}
	dy := f32(dOut)
	k.dx = zeroed(k.dx, b, t, w)
	dx := f32(k.dx)
	for i, n := range k.Lengths {
		if n == 0 {
			continue
		}
		last := (i*t + n - 1) * w
		copy(dx[last:last+h], dy[i*w:i*w+h])
		if k.Bidirectional {
			first := i * t * w
			copy(dx[first+h:first+w], dy[i*w+h:(i+1)*w])
		}
	}
	return []*tensor.Dense{k.dx}, nil
}
