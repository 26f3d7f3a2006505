package nn

import (
	"errors"
	"fmt"
	"math"
)

// AdamConfig configures [Adam]. Zero values mean the PyTorch defaults.
type AdamConfig struct {
	// LearningRate is the base step size; 0 means 1e-3.
	LearningRate float64 `json:"learning_rate"`
	// Beta1 and Beta2 are the moment decay rates; 0 means 0.9 and 0.999.
	Beta1 float64 `json:"beta1"`
	Beta2 float64 `json:"beta2"`
	// Epsilon is added to the denominator; 0 means 1e-8.
	Epsilon float64 `json:"epsilon"`
	// WeightDecay is the decay rate; 0 means none. Params with NoDecay are
	// never decayed.
	WeightDecay float64 `json:"weight_decay"`
	// Decoupled selects AdamW (torch.optim.AdamW: the weights shrink by
	// lr·WeightDecay before the Adam update) instead of Adam's L2 penalty
	// (torch.optim.Adam: WeightDecay·w is added to the gradient).
	Decoupled bool `json:"decoupled"`
}

func (c AdamConfig) withDefaults() AdamConfig {
	if c.LearningRate == 0 {
		c.LearningRate = 1e-3
	}
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Epsilon == 0 {
		c.Epsilon = 1e-8
	}
	return c
}

// Validate reports every problem with c at once.
func (c AdamConfig) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf("nn: adam: "+format, args...))
		}
	}
	check(c.LearningRate >= 0 && !math.IsInf(c.LearningRate, 0), "learning rate %v is negative or not finite", c.LearningRate)
	check(c.Beta1 >= 0 && c.Beta1 < 1, "beta1 %v is outside [0, 1)", c.Beta1)
	check(c.Beta2 >= 0 && c.Beta2 < 1, "beta2 %v is outside [0, 1)", c.Beta2)
	check(c.Epsilon >= 0, "epsilon %v is negative", c.Epsilon)
	check(c.WeightDecay >= 0, "weight decay %v is negative", c.WeightDecay)
	return errors.Join(errs...)
}

// Adam updates Params from their gradients with torch.optim.Adam or
// torch.optim.AdamW semantics (bias-corrected moments, amsgrad off), in
// float32 as PyTorch's CPU kernels compute it. A step is spread over the
// available cores: the update is element-wise, so the result does not
// depend on how it is split. It is not safe for concurrent use.
type Adam struct {
	cfg    AdamConfig
	params []*Param
	m, v   [][]float32
	starts []int // starts[i] is the offset of params[i] in the concatenation
	total  int
	step   int
}

// NewAdam returns an optimiser over params. It fails when cfg is invalid
// or params is empty.
func NewAdam(params []*Param, cfg AdamConfig) (*Adam, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return nil, errors.New("nn: adam: no params")
	}
	a := &Adam{cfg: cfg.withDefaults(), params: params}
	for _, p := range params {
		a.starts = append(a.starts, a.total)
		a.total += p.Size()
		a.m = append(a.m, make([]float32, p.Size()))
		a.v = append(a.v, make([]float32, p.Size()))
	}
	return a, nil
}

// Steps returns the number of updates made so far.
func (a *Adam) Steps() int { return a.step }

// optimMinPerWorker is the least number of values worth a goroutine in
// Adam and ClipGlobalNorm.
const optimMinPerWorker = 1 << 16

// Step updates every param once from its Grad, with learning rate
// LearningRate·lrScale (lrScale carries a schedule such as
// [LinearWarmupDecay]).
func (a *Adam) Step(lrScale float64) {
	a.step++
	c := a.cfg
	lr := c.LearningRate * lrScale
	bc1 := 1 - math.Pow(c.Beta1, float64(a.step))
	bc2 := 1 - math.Pow(c.Beta2, float64(a.step))
	stepSize := float32(lr / bc1)
	sqrtBC2 := float32(math.Sqrt(bc2))
	eps := float32(c.Epsilon)
	b1, b2 := float32(c.Beta1), float32(c.Beta2)
	parallelFor(nil, a.total, optimMinPerWorker, func(_, lo, hi int) {
		for i, p := range a.params {
			start := a.starts[i]
			pl, ph := max(lo, start)-start, min(hi, start+p.Size())-start
			if pl >= ph {
				continue
			}
			wd := c.WeightDecay
			if p.NoDecay {
				wd = 0
			}
			shrink, l2 := float32(1), float32(0)
			if c.Decoupled {
				shrink = float32(1 - lr*wd)
			} else {
				l2 = float32(wd)
			}
			d, gr := p.Data[pl:ph], p.Grad[pl:ph]
			m, v := a.m[i][pl:ph], a.v[i][pl:ph]
			m, v = m[:len(d)], v[:len(d)]
			gr = gr[:len(d)]
			for j, w := range d {
				w *= shrink
				g := gr[j] + l2*w
				mj := b1*m[j] + (1-b1)*g
				vj := b2*v[j] + (1-b2)*g*g
				m[j], v[j] = mj, vj
				denom := float32(math.Sqrt(float64(vj)))/sqrtBC2 + eps
				d[j] = w - stepSize*(mj/denom)
			}
		}
	})
	for _, p := range a.params {
		p.Touch()
	}
}

// normChunk is the number of values summed together in ClipGlobalNorm:
// partial sums are taken over fixed chunks, so the norm does not depend
// on the number of cores.
const normChunk = 1 << 14

// ClipGlobalNorm scales every param's Grad so that their joint L2 norm is
// at most maxNorm, as torch.nn.utils.clip_grad_norm_ does (scale
// maxNorm/(norm+1e-6) when below 1), and returns the norm before clipping.
// A maxNorm of 0 or less only measures. The sum of squares is taken in
// float64.
func ClipGlobalNorm(params []*Param, maxNorm float64) float64 {
	type chunk struct {
		g   []float32
		sum float64
	}
	var chunks []chunk
	for _, p := range params {
		for lo := 0; lo < len(p.Grad); lo += normChunk {
			chunks = append(chunks, chunk{g: p.Grad[lo:min(lo+normChunk, len(p.Grad))]})
		}
	}
	parallelFor(nil, len(chunks), optimMinPerWorker/normChunk, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			var s0, s1 float64
			g := chunks[i].g
			j := 0
			for ; j+1 < len(g); j += 2 {
				a, b := float64(g[j]), float64(g[j+1])
				s0 += a * a
				s1 += b * b
			}
			if j < len(g) {
				s0 += float64(g[j]) * float64(g[j])
			}
			chunks[i].sum = s0 + s1
		}
	})
	var sum float64
	for _, c := range chunks {
		sum += c.sum
	}
	norm := math.Sqrt(sum)
	if maxNorm <= 0 {
		return norm
	}
	if coef := maxNorm / (norm + 1e-6); coef < 1 {
		c := float32(coef)
		parallelFor(nil, len(chunks), optimMinPerWorker/normChunk, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				g := chunks[i].g
				for j := range g {
					g[j] *= c
				}
			}
		})
	}
	return norm
}

// LinearWarmupDecay returns the learning-rate multiplier of step (counted
// from 0) for a linear warm-up over warmup steps followed by a linear decay
// to 0 at total steps, as HF's get_linear_schedule_with_warmup: the first
// step of a warm-up has multiplier 0.
func LinearWarmupDecay(step, warmup, total int) float64 {
	if step < warmup {
		return float64(step) / float64(max(1, warmup))
	}
	return max(0, float64(total-step)/float64(max(1, total-warmup)))
}
