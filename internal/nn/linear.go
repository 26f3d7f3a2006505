package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Linear is y = x·Wᵀ + b over the last axis, with W in PyTorch's [out, in]
// layout. Inputs: x [..., in], W [out, in], and optionally b [out]. Leading
// axes of x are flattened into rows.
//
// The three products (x·Wᵀ forward, dY·W and dYᵀ·X backward) run on the
// matrix multiply of lstm_gemm.go (AVX2/FMA where the CPU has it, plain Go
// elsewhere), split over two goroutines when large. The forward product
// reads W in place, transposing it block by block as it packs it, unless
// CacheTransposedW is set.
type Linear struct {
	// CacheTransposedW, when W is a [Param]'s node (see [Graph.Param]),
	// keeps Wᵀ on the Param and reuses it, in every graph over that
	// Param, until the Param changes through [Param.Touch] (which
	// [Param.SetData], [Restore] and [Adam.Step] call). Set it only when
	// every write to W's Data goes through those, as in inference graphs;
	// a direct write without Touch would leave a stale Wᵀ in use. The
	// zero value transposes W on every run.
	CacheTransposedW bool

	out, dx, dw, db *tensor.Dense
	w               *Param // W's Param, when W is one
	team            *team  // the graph's, set by Graph.Apply
	gs              [2]gemmScratch
}

// Name implements [Kernel].
func (*Linear) Name() string { return "linear" }

// DiffWRT implements [Kernel].
func (*Linear) DiffWRT(n int) []bool { return all(n) }

func (l *Linear) setTeam(t *team) { l.team = t }

// useParam implements paramUser: input 1, W, may be a Param.
func (l *Linear) useParam(i int, p *Param) {
	if i == 1 {
		l.w = p
	}
}

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

// cachedWeightT returns the Param's cached, packed Wᵀ when
// CacheTransposedW allows it and W is the Param's data, or nil.
func (l *Linear) cachedWeightT(w []float32, nOut, nIn int) *packedB {
	if !l.CacheTransposedW || l.w == nil || len(w) == 0 || len(l.w.Data) != len(w) || &l.w.Data[0] != &w[0] {
		return nil
	}
	return l.w.packedT(nOut, nIn)
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
	if rows == 0 || nOut == 0 {
		return l.out, nil
	}
	var bias []float32
	if len(in) == 3 {
		bias = f32(in[2])
	}
	if pb := l.cachedWeightT(f32(w), nOut, nIn); pb != nil {
		mmParPackedB(l.team, &l.gs, false, rows, f32(x), nIn, pb, y, nOut, false, bias)
	} else {
		mmParBT(l.team, &l.gs, false, rows, nOut, nIn, f32(x), nIn, f32(w), nIn, y, nOut, false, bias)
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
	l.dw = buffer(l.dw, nOut, nIn)
	if rows > 0 && nIn > 0 {
		// dX = dY·W: W [out, in] is already k×n.
		mmPar(l.team, &l.gs, false, rows, nIn, nOut, dy, nOut, f32(w), nIn, f32(l.dx), nIn, false)
		// dW = dYᵀ·X: dY [rows, out] is aᵀ with k = rows.
		mmPar(l.team, &l.gs, true, nOut, nIn, rows, dy, nOut, f32(x), nIn, f32(l.dw), nIn, false)
	} else {
		clear(f32(l.dx))
		clear(f32(l.dw))
	}
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
