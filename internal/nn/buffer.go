package nn

import "gorgonia.org/tensor"

// buffer returns a float32 tensor of the given shape, reusing d's memory
// when it already has that shape. Its contents are not cleared.
func buffer(d *tensor.Dense, shape ...int) *tensor.Dense {
	if d != nil && d.Shape().Eq(tensor.Shape(shape)) {
		return d
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(make([]float32, n)))
}

// zeroed is buffer with its contents set to zero.
func zeroed(d *tensor.Dense, shape ...int) *tensor.Dense {
	d = buffer(d, shape...)
	clear(d.Data().([]float32))
	return d
}

// f32 returns the backing slice of a float32 tensor (scalars included).
func f32(d *tensor.Dense) []float32 { return d.Float32s() }

func numel(s tensor.Shape) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
