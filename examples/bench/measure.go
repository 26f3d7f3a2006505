package main

import (
	"context"
	"math"
	"slices"
	"time"
)

// repeat calls fn(0), fn(1), … until it has run at least minCalls times
// and for at least d in all, and returns the duration of each call. It
// checks ctx between calls.
func repeat(ctx context.Context, d time.Duration, minCalls int, fn func(i int) error) ([]time.Duration, error) {
	var times []time.Duration
	var total time.Duration
	for i := 0; i < minCalls || total < d; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		if err := fn(i); err != nil {
			return nil, err
		}
		dt := time.Since(t0)
		times = append(times, dt)
		total += dt
	}
	return times, nil
}

// perSecond returns how many items per second calls that each handled
// items took, in all, the given times.
func perSecond(items int, times []time.Duration) float64 {
	var total time.Duration
	for _, t := range times {
		total += t
	}
	return float64(items*len(times)) / total.Seconds()
}

// percentileMS returns the p-th percentile of times in milliseconds,
// interpolating linearly between the two nearest ranks as numpy.percentile
// does by default (so p = 50 is the median of statistics.median). It
// returns NaN for no times.
func percentileMS(times []time.Duration, p float64) float64 {
	if len(times) == 0 {
		return math.NaN()
	}
	ms := make([]float64, len(times))
	for i, t := range times {
		ms[i] = float64(t) / float64(time.Millisecond)
	}
	slices.Sort(ms)
	rank := p / 100 * float64(len(ms)-1)
	lo := int(math.Floor(rank))
	hi := min(lo+1, len(ms)-1)
	return ms[lo] + (rank-float64(lo))*(ms[hi]-ms[lo])
}
