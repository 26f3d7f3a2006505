package cli

import (
	"math"
	"slices"
	"time"
)

// PercentileMS returns the p-th percentile of times in milliseconds,
// interpolating linearly between the two nearest ranks as numpy.percentile
// does by default (so p = 50 is the median of statistics.median). It
// returns NaN for no times.
func PercentileMS(times []time.Duration, p float64) float64 {
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
