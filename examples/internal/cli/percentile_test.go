package cli

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPercentileMS(t *testing.T) {
	t.Parallel()
	ms := func(xs ...float64) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x * float64(time.Millisecond))
		}
		return out
	}
	// Expected values: numpy.percentile(xs, p) (default linear method),
	// worked by hand: rank = p/100·(n-1), interpolated.
	for _, tc := range []struct {
		name, reason string
		times        []time.Duration
		p, want      float64
	}{
		{"median of even", "the mean of the middle two, as statistics.median", ms(4, 1, 3, 2), 50, 2.5},
		{"median of odd", "the middle value, whatever the input order", ms(3, 1, 2), 50, 2},
		{"p95 of four", "rank 2.85 lies between 3 and 4", ms(1, 2, 3, 4), 95, 3.85},
		{"p95 of one", "a single call is every percentile", ms(7), 95, 7},
		{"p100", "the largest value", ms(1, 9, 5), 100, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.InDelta(t, tc.want, PercentileMS(tc.times, tc.p), 1e-9, tc.reason)
		})
	}
	assert.True(t, math.IsNaN(PercentileMS(nil, 50)), "no times: no percentile")
}
