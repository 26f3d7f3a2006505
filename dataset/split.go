package dataset

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/hatetweet/hatetweet"
)

// StratifiedSplit deals examples into len(fractions) parts, part k holding
// about fractions[k] of every class. Fractions must be positive and finite
// and sum to 1 within 1e-9.
//
// Each class is shuffled, then cut in order: of the n_c examples of class
// c, part k ends at round(n_c*(fractions[0]+...+fractions[k])), so every
// example lands in exactly one part and part k holds n_c*fractions[k]
// examples of class c, give or take one. Each part is then shuffled, so
// classes are mixed. Classes are the distinct Label values, whatever they
// are.
//
// All randomness comes from a math/rand/v2 PCG generator seeded with seed:
// the same examples, fractions and seed give the same parts (with a given Go
// release). The parts are new slices; examples is not modified. No examples
// give empty parts.
func StratifiedSplit(examples []hatetweet.Example, fractions []float64, seed uint64) ([][]hatetweet.Example, error) {
	if err := checkFractions(fractions); err != nil {
		return nil, err
	}
	byClass := make(map[hatetweet.Label][]int)
	for i, e := range examples {
		byClass[e.Label] = append(byClass[e.Label], i)
	}
	parts := make([][]hatetweet.Example, len(fractions))
	for k, f := range fractions {
		parts[k] = make([]hatetweet.Example, 0, int(float64(len(examples))*f)+len(byClass))
	}
	r := rand.New(rand.NewPCG(seed, 0))
	for _, c := range slices.Sorted(maps.Keys(byClass)) {
		idx := byClass[c]
		r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for k, n := range shares(len(idx), fractions) {
			for _, i := range idx[:n] {
				parts[k] = append(parts[k], examples[i])
			}
			idx = idx[n:]
		}
	}
	for _, p := range parts {
		r.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	}
	return parts, nil
}

func checkFractions(fractions []float64) error {
	if len(fractions) == 0 {
		return errors.New("dataset: no fractions")
	}
	var sum float64
	for k, f := range fractions {
		if !(f > 0) || math.IsInf(f, 1) {
			return fmt.Errorf("dataset: fraction %d is %v, want a finite value > 0", k, f)
		}
		sum += f
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("dataset: fractions sum to %v, want 1", sum)
	}
	return nil
}

// shares splits n into len(fractions) counts that sum to n: part k ends at
// round(n * (fractions[0] + ... + fractions[k])), and the last part at n.
func shares(n int, fractions []float64) []int {
	counts := make([]int, len(fractions))
	var cum float64
	start := 0
	for k, f := range fractions {
		cum += f
		end := min(int(math.Round(float64(n)*cum)), n)
		if k == len(fractions)-1 {
			end = n
		}
		counts[k] = end - start
		start = end
	}
	return counts
}
