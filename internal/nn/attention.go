package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// maskedScore is what a padded key adds to an attention score: the most
// negative float32, as Hugging Face's BERT adds (1 - mask) ·
// torch.finfo(float32).min to the scaled scores.
const maskedScore = -math.MaxFloat32

// Attention is fused multi-head scaled dot-product self-attention, the
// eager attention of Hugging Face's BertSelfAttention. Inputs: the
// projected queries, keys and values q, k, v, each [B, T, H], where the H
// features hold Heads heads of H/Heads values each. For every sequence b
// and head h,
//
//	scores = q·kᵀ/√d + (1 - Mask[b, j])·min_float32 for key j
//	probs  = softmax(scores) over the keys, times DropMask when set
//	ctx    = probs·v
//
// and the output [B, T, H] holds the heads' contexts side by side. A padded
// key gets probability exactly 0 whenever its row has a real key. Each
// (sequence, head) pair is a job of small GEMMs on the AVX2 micro-kernels
// of lstm_gemm.go (plain Go without AVX2); jobs are spread over the
// available cores.
type Attention struct {
	team *team // the graph's, set by Graph.Apply
	// Heads is the number of heads; it must divide H.
	Heads int
	// Mask holds B·T values, 1 for a real token and 0 for padding, set
	// before each run; nil means every token is real.
	Mask []int
	// DropMask holds B·Heads·T·T multipliers for the attention
	// probabilities (see [FillDropoutMask]), in [b][head][query][key]
	// order, set before each training run; nil means no dropout.
	DropMask []float32

	out, dq, dk, dv *tensor.Dense
	probs, dropped  []float32 // [B][heads][T][T] of the latest Forward
	scratch         []attnScratch
}

// attnScratch is one goroutine's working memory.
type attnScratch struct {
	gemm gemmScratch
	ds   []float32 // [T][T]: gradient of the scores
}

func (a *Attention) setTeam(t *team) { a.team = t }

// Name implements [Kernel].
func (*Attention) Name() string { return "attention" }

// DiffWRT implements [Kernel].
func (*Attention) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (a *Attention) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("want q, k and v, got %d inputs", len(in))
	}
	q := in[0]
	if len(q) != 3 {
		return nil, fmt.Errorf("q has shape %v, want [B, T, H]", q)
	}
	for i, s := range in[1:] {
		if !s.Eq(q) {
			return nil, fmt.Errorf("input %d has shape %v, q has %v", i+1, s, q)
		}
	}
	if a.Heads < 1 || q[2]%a.Heads != 0 {
		return nil, fmt.Errorf("%d heads do not divide %d features", a.Heads, q[2])
	}
	return q.Clone(), nil
}

// dims returns B, T, H and the head size d of the inputs.
func (a *Attention) dims(in []*tensor.Dense) (b, t, h, d int) {
	s := in[0].Shape()
	return s[0], s[1], s[2], s[2] / a.Heads
}

func (a *Attention) check(b, t int) error {
	if a.Mask != nil {
		if len(a.Mask) != b*t {
			return fmt.Errorf("mask has %d values for %d×%d tokens", len(a.Mask), b, t)
		}
		for i, m := range a.Mask {
			if m != 0 && m != 1 {
				return fmt.Errorf("mask value %d at %d is not 0 or 1", m, i)
			}
		}
	}
	if a.DropMask != nil && len(a.DropMask) != b*a.Heads*t*t {
		return errMaskSize(len(a.DropMask), b*a.Heads*t*t)
	}
	return nil
}

// Forward implements [Kernel].
func (a *Attention) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	b, t, h, d := a.dims(in)
	if err := a.check(b, t); err != nil {
		return nil, err
	}
	q, k, v := f32(in[0]), f32(in[1]), f32(in[2])
	a.out = buffer(a.out, b, t, h)
	ctx := f32(a.out)
	nh := a.Heads
	a.probs = grow(a.probs, b*nh*t*t)
	probs, weights := a.probs, a.probs
	if a.DropMask != nil {
		a.dropped = grow(a.dropped, len(a.probs))
		weights = a.dropped
	}
	scale := float32(1 / math.Sqrt(float64(d)))
	jobs := b * nh
	per := jobsPerWorker(t, d)
	a.growScratch(workersFor(jobs, per), t, d)
	parallelChunks(a.team, jobs, per, func(w, lo, hi int) {
		sc := &a.scratch[w]
		for job := lo; job < hi; job++ {
			bi, hd := job/nh, job%nh
			off := bi*t*h + hd*d // first value of this head in row 0 of sequence bi
			p := probs[job*t*t : (job+1)*t*t]
			// scores = q·kᵀ/√d.
			mmBT(&sc.gemm, false, t, t, d, q[off:], h, k[off:], h, p, t, false, nil)
			var mask []int
			if a.Mask != nil {
				mask = a.Mask[bi*t : (bi+1)*t]
			}
			for i := range t {
				row := p[i*t : (i+1)*t]
				for j := range row {
					row[j] *= scale
				}
				softmaxRow(row, mask)
			}
			pw := p
			if a.DropMask != nil {
				pw = weights[job*t*t : (job+1)*t*t]
				for i, m := range a.DropMask[job*t*t : (job+1)*t*t] {
					pw[i] = p[i] * m
				}
			}
			mm(&sc.gemm, false, t, d, t, pw, t, v[off:], h, ctx[off:], h, false)
		}
	})
	return a.out, nil
}

// softmaxRow replaces the scores s with their softmax, after adding
// maskedScore to the keys whose mask is 0, in float32 as PyTorch does
// (eight keys at a time with AVX2, whose sum is taken in another order).
func softmaxRow(s []float32, mask []int) {
	for j, m := range mask {
		if m == 0 {
			s[j] += maskedScore
		}
	}
	mx := s[0]
	for _, v := range s[1:] {
		if v > mx {
			mx = v
		}
	}
	var sum float32
	lo := 0
	if lstmAVX2 {
		if n := len(s) &^ 7; n > 0 {
			sum = expShiftAVX2(&s[0], &s[0], mx, n)
			lo = n
		}
	}
	for j, v := range s[lo:] {
		e := expNonPos(v - mx)
		s[lo+j] = e
		sum += e
	}
	inv := 1 / sum
	for j := range s {
		s[j] *= inv
	}
}

// Backward implements [Kernel].
func (a *Attention) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	b, t, h, d := a.dims(in)
	nh := a.Heads
	if len(a.probs) != b*nh*t*t {
		return nil, errNoForward
	}
	if err := a.check(b, t); err != nil {
		return nil, err
	}
	q, k, v, g := f32(in[0]), f32(in[1]), f32(in[2]), f32(dOut)
	a.dq = buffer(a.dq, b, t, h)
	a.dk = buffer(a.dk, b, t, h)
	a.dv = buffer(a.dv, b, t, h)
	dq, dk, dv := f32(a.dq), f32(a.dk), f32(a.dv)
	probs, weights := a.probs, a.probs
	if a.DropMask != nil {
		weights = a.dropped
	}
	jobs := b * nh
	per := jobsPerWorker(t, d)
	a.growScratch(workersFor(jobs, per), t, d)
	scale := float32(1 / math.Sqrt(float64(d)))
	parallelChunks(a.team, jobs, per, func(w, lo, hi int) {
		sc := &a.scratch[w]
		ds := sc.ds
		for job := lo; job < hi; job++ {
			bi, hd := job/nh, job%nh
			off := bi*t*h + hd*d
			p := probs[job*t*t : (job+1)*t*t]
			pw := weights[job*t*t : (job+1)*t*t]
			// dV = Pwᵀ·dCtx and dPw = dCtx·Vᵀ.
			mm(&sc.gemm, true, t, d, t, pw, t, g[off:], h, dv[off:], h, false)
			mmBT(&sc.gemm, false, t, t, d, g[off:], h, v[off:], h, ds, t, false, nil)
			if a.DropMask != nil {
				for i, m := range a.DropMask[job*t*t : (job+1)*t*t] {
					ds[i] *= m
				}
			}
			// Softmax backward, with the 1/√d of the scores folded in:
			// dS = P ⊙ (dP - rowsum(dP ⊙ P)) / √d.
			for i := range t {
				pr, dr := p[i*t:(i+1)*t], ds[i*t:(i+1)*t]
				var dot float32
				for j, pv := range pr {
					dot += pv * dr[j]
				}
				for j, pv := range pr {
					dr[j] = pv * (dr[j] - dot) * scale
				}
			}
			// dQ = dS·K and dK = dSᵀ·Q.
			mm(&sc.gemm, false, t, d, t, ds, t, k[off:], h, dq[off:], h, false)
			mm(&sc.gemm, true, t, d, t, ds, t, q[off:], h, dk[off:], h, false)
		}
	})
	return []*tensor.Dense{a.dq, a.dk, a.dv}, nil
}

// jobsPerWorker is the least number of (sequence, head) jobs worth a
// goroutine: about 64k multiply-adds.
func jobsPerWorker(t, d int) int { return max(1, (1<<16)/max(1, 3*t*t*d)) }

// growScratch makes sure workers goroutines have scratch for T×T score
// gradients.
func (a *Attention) growScratch(workers, t, d int) {
	for len(a.scratch) < workers {
		a.scratch = append(a.scratch, attnScratch{})
	}
	for w := range workers {
		a.scratch[w].ds = grow(a.scratch[w].ds, t*t)
	}
}
