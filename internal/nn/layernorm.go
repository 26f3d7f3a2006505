package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// LayerNorm normalises over the last axis, as torch.nn.LayerNorm does:
// y = (x - mean) / sqrt(var + Eps) · gamma + beta, with the biased
// variance (divided by the row length, not by one less). Inputs: x [..., H],
// gamma [H] and beta [H]; leading axes of x are rows. Row statistics are
// accumulated in float64.
type LayerNorm struct {
	team *team // the graph's, set by Graph.Apply
	// Eps is added to the variance; BERT's layer_norm_eps, typically 1e-12.
	// It must not be negative.
	Eps float64

	out, dx, dg, db *tensor.Dense
	xhat, rstd      []float32
	partG, partB    [][]float64
}

func (k *LayerNorm) setTeam(t *team) { k.team = t }

// Name implements [Kernel].
func (*LayerNorm) Name() string { return "layer_norm" }

// DiffWRT implements [Kernel].
func (*LayerNorm) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (k *LayerNorm) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("want x, gamma and beta, got %d inputs", len(in))
	}
	x := in[0]
	if len(x) < 1 {
		return nil, fmt.Errorf("x has shape %v, want at least one axis", x)
	}
	h := x[len(x)-1]
	for i, s := range in[1:] {
		if len(s) != 1 || s[0] != h {
			return nil, fmt.Errorf("input %d has shape %v, want [%d]", i+1, s, h)
		}
	}
	if k.Eps < 0 || math.IsNaN(k.Eps) {
		return nil, fmt.Errorf("eps %v is negative or NaN", k.Eps)
	}
	return x.Clone(), nil
}

// Forward implements [Kernel].
func (k *LayerNorm) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	shape := in[0].Shape()
	h := shape[len(shape)-1]
	x, gamma, beta := f32(in[0]), f32(in[1]), f32(in[2])
	rows := len(x) / h
	k.out = buffer(k.out, shape...)
	y := f32(k.out)
	k.xhat = grow(k.xhat, len(x))
	k.rstd = grow(k.rstd, rows)
	xhat, rstd := k.xhat, k.rstd
	parallelChunks(k.team, rows, max(1, 4096/h), func(_, lo, hi int) {
		for r := lo; r < hi; r++ {
			row := x[r*h : (r+1)*h]
			// One pass: in float64, E[x²] - E[x]² loses nothing that
			// float32 inputs carry unless |mean|/std exceeds about 1e6.
			sum, sq := rowMoments(row)
			mean := sum / float64(h)
			variance := max(0, sq/float64(h)-mean*mean)
			rs := 1 / math.Sqrt(variance+k.Eps)
			rstd[r] = float32(rs)
			xh, yr := xhat[r*h:(r+1)*h], y[r*h:(r+1)*h]
			xh, yr, g, b := xh[:len(row)], yr[:len(row)], gamma[:len(row)], beta[:len(row)]
			for j, v := range row {
				n := float32((float64(v) - mean) * rs)
				xh[j] = n
				yr[j] = n*g[j] + b[j]
			}
		}
	})
	return k.out, nil
}

// Backward implements [Kernel].
func (k *LayerNorm) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	shape := in[0].Shape()
	h := shape[len(shape)-1]
	gamma := f32(in[1])
	dy := f32(dOut)
	rows := len(dy) / h
	if len(k.xhat) != len(dy) || len(k.rstd) != rows {
		return nil, errNoForward
	}
	k.dx = buffer(k.dx, shape...)
	k.dg = buffer(k.dg, h)
	k.db = buffer(k.db, h)
	dx := f32(k.dx)
	xhat, rstd := k.xhat, k.rstd
	// Each goroutine sums its rows' gamma and beta gradients into a
	// partial of its own; the partials are added after.
	minRows := max(1, 4096/h)
	parts := workersFor(rows, minRows)
	for len(k.partG) < parts {
		k.partG = append(k.partG, make([]float64, h))
		k.partB = append(k.partB, make([]float64, h))
	}
	for p := range parts {
		k.partG[p] = growF64(k.partG[p], h)
		k.partB[p] = growF64(k.partB[p], h)
	}
	parallelFor(k.team, rows, minRows, func(p, lo, hi int) {
		pg, pb := k.partG[p], k.partB[p]
		for r := lo; r < hi; r++ {
			g, xh, d := dy[r*h:(r+1)*h], xhat[r*h:(r+1)*h], dx[r*h:(r+1)*h]
			var sum1, sum2 float64
			for j, v := range g {
				pg[j] += float64(v) * float64(xh[j])
				pb[j] += float64(v)
				dxh := float64(v) * float64(gamma[j])
				sum1 += dxh
				sum2 += dxh * float64(xh[j])
			}
			sum1 /= float64(h)
			sum2 /= float64(h)
			rs := float64(rstd[r])
			for j, v := range g {
				dxh := float64(v) * float64(gamma[j])
				d[j] = float32(rs * (dxh - sum1 - float64(xh[j])*sum2))
			}
		}
	})
	dg, db := f32(k.dg), f32(k.db)
	for j := range h {
		var sg, sb float64
		for p := range parts {
			sg += k.partG[p][j]
			sb += k.partB[p][j]
		}
		dg[j], db[j] = float32(sg), float32(sb)
	}
	return []*tensor.Dense{k.dx, k.dg, k.db}, nil
}

// rowMoments returns Σx and Σx² over row in float64, with four
// independent pairs of sums so that the additions overlap.
func rowMoments(row []float32) (sum, sq float64) {
	var s0, s1, s2, s3, q0, q1, q2, q3 float64
	j := 0
	for ; j+4 <= len(row); j += 4 {
		r := row[j : j+4 : j+4]
		a, b, c, d := float64(r[0]), float64(r[1]), float64(r[2]), float64(r[3])
		s0, s1, s2, s3 = s0+a, s1+b, s2+c, s3+d
		q0, q1, q2, q3 = q0+a*a, q1+b*b, q2+c*c, q3+d*d
	}
	for ; j < len(row); j++ {
		a := float64(row[j])
		s0 += a
		q0 += a * a
	}
	return (s0 + s1) + (s2 + s3), (q0 + q1) + (q2 + q3)
}

// grow returns s resized to n values, reusing its memory when it can.
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// growF64 returns s resized to n zeros, reusing its memory when it can.
func growF64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}
