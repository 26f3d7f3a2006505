package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Embedding looks rows of a [V, D] table up by id. The ids are a field set
// before each run: IDs holds one id per position of Shape, row-major, and
// the output is Shape followed by D. The gradient of row PaddingIdx is
// always zero, as with torch.nn.Embedding(padding_idx=...); a negative
// PaddingIdx disables that.
type Embedding struct {
	// Shape is the shape of the id grid, e.g. [batch, seq].
	Shape []int
	// IDs holds numel(Shape) ids in [0, V).
	IDs []int
	// PaddingIdx is the id whose row gets no gradient, or -1.
	PaddingIdx int

	out, dTable *tensor.Dense
}

// Name implements [Kernel].
func (*Embedding) Name() string { return "embedding" }

// DiffWRT implements [Kernel].
func (*Embedding) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (e *Embedding) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 || len(in[0]) != 2 {
		return nil, fmt.Errorf("want one [V, D] table, got %v", in)
	}
	return append(tensor.Shape(append([]int(nil), e.Shape...)), in[0][1]), nil
}

// Forward implements [Kernel].
func (e *Embedding) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	v, d := in[0].Shape()[0], in[0].Shape()[1]
	n := numel(e.Shape)
	if len(e.IDs) != n {
		return nil, fmt.Errorf("%d ids for id grid %v", len(e.IDs), e.Shape)
	}
	e.out = buffer(e.out, append(append([]int(nil), e.Shape...), d)...)
	table, out := f32(in[0]), f32(e.out)
	for i, id := range e.IDs {
		if id < 0 || id >= v {
			return nil, fmt.Errorf("id %d at position %d is outside the table of %d rows", id, i, v)
		}
		copy(out[i*d:(i+1)*d], table[id*d:(id+1)*d])
	}
	return e.out, nil
}

// Backward implements [Kernel].
func (e *Embedding) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	d := in[0].Shape()[1]
	e.dTable = zeroed(e.dTable, in[0].Shape()...)
	g, dy := f32(e.dTable), f32(dOut)
	for i, id := range e.IDs {
		if id == e.PaddingIdx {
			continue
		}
		row := g[id*d : (id+1)*d]
		for j, v := range dy[i*d : (i+1)*d] {
			row[j] += v
		}
	}
	return []*tensor.Dense{e.dTable}, nil
}
