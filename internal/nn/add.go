package nn

import (
	"fmt"
	"runtime"
	"sync"

	"gorgonia.org/tensor"
)

// Add is the element-wise sum of two or more inputs of the same shape, such
// as a residual connection. Each input's gradient is a copy of the output
// gradient.
type Add struct {
	team  *team
	out   *tensor.Dense
	grads []*tensor.Dense
	srcs  [][]float32
}

// Name implements [Kernel].
func (*Add) Name() string { return "add" }

func (a *Add) setTeam(t *team) { a.team = t }

// DiffWRT implements [Kernel].
func (*Add) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*Add) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) < 2 {
		return nil, fmt.Errorf("want at least 2 inputs, got %d", len(in))
	}
	for i, s := range in[1:] {
		if !s.Eq(in[0]) {
			return nil, fmt.Errorf("input %d has shape %v, input 0 has %v", i+1, s, in[0])
		}
	}
	return in[0].Clone(), nil
}

// Forward implements [Kernel].
func (a *Add) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	a.out = buffer(a.out, in[0].Shape()...)
	dst := f32(a.out)
	a.srcs = a.srcs[:0]
	for i, x := range in {
		a.srcs = append(a.srcs, f32(x))
		if len(a.srcs[i]) != len(dst) {
			return nil, fmt.Errorf("input %d has %d values, want %d", i, len(a.srcs[i]), len(dst))
		}
	}
	srcs := a.srcs
	parallelChunks(a.team, len(dst), 1<<14, func(_, lo, hi int) {
		d := dst[lo:hi]
		copy(d, srcs[0][lo:hi])
		for _, s := range srcs[1:] {
			s = s[lo:hi]
			for j := range d {
				d[j] += s[j]
			}
		}
	})
	return a.out, nil
}

// Backward implements [Kernel]. The gradients are copies, never dOut
// itself, because gorgonia may accumulate into a gradient in place.
func (a *Add) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	if len(a.grads) != len(in) {
		a.grads = make([]*tensor.Dense, len(in))
	}
	for i, x := range in {
		a.grads[i] = buffer(a.grads[i], x.Shape()...)
		copy(f32(a.grads[i]), f32(dOut))
	}
	return a.grads, nil
}

// workersFor returns how many goroutines [parallelFor] uses for n items
// with at least minPerWorker items each: 1 up to GOMAXPROCS.
func workersFor(n, minPerWorker int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(1, minPerWorker)))
}

// parallelChunks is parallelFor with the ranges cut smaller and handed
// out as the workers get free (see forEach), when t is a team and there
// are two cores; so a helper that starts late or runs on a busy core does
// less. fn must give the same result whichever worker runs a range (w
// only picks scratch memory).
func parallelChunks(t *team, n, minPerWorker int, fn func(w, lo, hi int)) {
	if t == nil || runtime.GOMAXPROCS(0) != 2 {
		parallelFor(t, n, minPerWorker, fn)
		return
	}
	if workersFor(n, minPerWorker) == 1 {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	chunks := min(n/max(1, minPerWorker), 16)
	size := (n + chunks - 1) / chunks
	forEach(t, (n+size-1)/size, func(w, i int) { fn(w, i*size, min(n, (i+1)*size)) })
}

// parallelFor calls fn(w, lo, hi) on consecutive ranges [lo, hi) that
// cover [0, n), one per worker w in [0, workersFor(n, minPerWorker)), and
// returns when all are done. Worker 0 runs on the caller's goroutine, so a
// single worker costs no goroutine; with two workers and a non-nil t, the
// second is t's helper. A panic in fn is re-raised in the caller's
// goroutine, where the kernel adapter turns it into an error wrapping
// [ErrMath]; a panic on a goroutine of its own would end the process.
func parallelFor(t *team, n, minPerWorker int, fn func(w, lo, hi int)) {
	if n <= 0 {
		return
	}
	workers := workersFor(n, minPerWorker)
	if workers == 1 {
		fn(0, 0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	if workers == 2 && t != nil {
		fork2(t, func() { fn(0, 0, chunk) }, func() { fn(1, chunk, n) })
		return
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		panicked any
	)
	run := func(w, lo, hi int) {
		defer func() {
			if r := recover(); r != nil {
				mu.Lock()
				panicked = r
				mu.Unlock()
			}
		}()
		fn(w, lo, hi)
	}
	for w := 1; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(w, lo, hi)
		}()
	}
	run(0, 0, min(chunk, n))
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}
