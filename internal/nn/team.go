package nn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// team splits work between the calling goroutine and one helper goroutine
// that spins between jobs. Handing work to a new goroutine costs 100 µs and
// more on the 2-core reference machine (the idle core has to be woken),
// as much as a whole matrix product of a batch-1 forward pass; a spinning
// helper picks a job up in well under a microsecond. The helper exits once
// it has had no job for teamSpin, so an idle team holds no goroutine and
// needs no Close.
//
// A team serves one goroutine at a time: the Program it belongs to.
type team struct {
	state atomic.Int32 // teamNone, teamIdle, teamPosted or teamRunning
	job   func()       // the helper's part, set while posted or running
	perr  any          // a panic of the latest job
}

const (
	teamNone    = iota // no helper goroutine
	teamIdle           // the helper spins, waiting for a job
	teamPosted         // a job waits for the helper
	teamRunning        // the helper runs the job
)

// teamSpin is how long the helper waits for a job before it exits: longer
// than the gaps between the parallel parts of a forward pass, short
// enough to cost little when the model goes idle.
const teamSpin = 200 * time.Microsecond

// helper runs posted jobs until it has been idle for teamSpin.
func (t *team) helper() {
	deadline := time.Now().Add(teamSpin)
	for i := 0; ; i++ {
		if t.state.Load() == teamPosted && t.state.CompareAndSwap(teamPosted, teamRunning) {
			t.run()
			t.state.Store(teamIdle)
			deadline = time.Now().Add(teamSpin)
			continue
		}
		if i%256 != 255 {
			continue
		}
		if time.Now().After(deadline) && t.state.CompareAndSwap(teamIdle, teamNone) {
			return
		}
		// Give way to other goroutines (other models' callers and
		// helpers) now and then: on a busy machine the spin must not
		// hold a core they need.
		runtime.Gosched()
	}
}

func (t *team) run() {
	defer func() { t.perr = recover() }()
	t.job()
}

// post hands job to the helper, starting one if there is none.
func (t *team) post(job func()) {
	t.job = job
	for {
		switch t.state.Load() {
		case teamIdle:
			if t.state.CompareAndSwap(teamIdle, teamPosted) {
				return
			}
		case teamNone:
			if t.state.CompareAndSwap(teamNone, teamPosted) {
				go t.helper()
				return
			}
		default:
			panic("nn: team used by two goroutines at once")
		}
	}
}

// settle ends the posted job: it takes the job back when the helper has
// not started it (and reports false), or waits for the helper to finish
// it (and reports true). It returns the job's panic, if any.
func (t *team) settle() (ran bool, perr any) {
	if t.state.CompareAndSwap(teamPosted, teamIdle) {
		t.job = nil
		return false, nil
	}
	for i := 1; t.state.Load() == teamRunning; i++ {
		if i%1024 == 0 {
			runtime.Gosched()
		}
	}
	perr = t.perr
	t.job, t.perr = nil, nil
	return true, perr
}

// fork2 runs f0 on the calling goroutine and f1 on another one (t's
// helper, or a new goroutine when t is nil), and returns when both are
// done; when t's helper has not picked f1 up by the time f0 is done, the
// caller runs f1 itself. A panic in either is re-raised in the caller,
// where the kernel adapter turns it into an error wrapping [ErrMath].
func fork2(t *team, f0, f1 func()) {
	if t == nil {
		var wg sync.WaitGroup
		var perr any
		wg.Go(func() {
			defer func() { perr = recover() }()
			f1()
		})
		f0()
		wg.Wait()
		if perr != nil {
			panic(perr)
		}
		return
	}
	t.post(f1)
	p0 := catch(f0)
	ran, perr := t.settle()
	if !ran && p0 == nil {
		perr = catch(f1)
	}
	if p0 != nil {
		panic(p0)
	}
	if perr != nil {
		panic(perr)
	}
}

// forEach calls fn(w, i) for every i in [0, n), on the calling goroutine
// (w = 0) and t's helper (w = 1), each taking the next i as it gets free,
// so a helper that starts late or runs slowly (the core is shared) does
// less. fn must give the same result whichever worker runs an i. With a
// nil t, the i are split in two halves, the second on a new goroutine.
func forEach(t *team, n int, fn func(w, i int)) {
	if n <= 0 {
		return
	}
	if t == nil || n == 1 {
		half := (n + 1) / 2
		if n == 1 {
			fn(0, 0)
			return
		}
		fork2(nil, func() {
			for i := range half {
				fn(0, i)
			}
		}, func() {
			for i := half; i < n; i++ {
				fn(1, i)
			}
		})
		return
	}
	var next atomic.Int64
	work := func(w int) {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			fn(w, i)
		}
	}
	t.post(func() { work(1) })
	p0 := catch(func() { work(0) })
	_, perr := t.settle()
	if p0 != nil {
		panic(p0)
	}
	if perr != nil {
		panic(perr)
	}
}

// catch calls f and returns what it panicked with, if anything.
func catch(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// teamUser is a Kernel that splits its work with fork2; [Graph.Apply]
// hands it the graph's team.
type teamUser interface {
	setTeam(t *team)
}
