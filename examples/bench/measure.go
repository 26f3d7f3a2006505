package main

import (
	"context"
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
