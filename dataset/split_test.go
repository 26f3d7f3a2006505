package dataset_test

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/dataset"
)

// makeExamples returns counts[c] examples of each class c, interleaved, each
// with a unique text.
func makeExamples(counts map[hatetweet.Label]int) []hatetweet.Example {
	var out []hatetweet.Example
	for i := 0; ; i++ {
		added := false
		for _, c := range slices.Sorted(maps.Keys(counts)) {
			if i < counts[c] {
				out = append(out, hatetweet.Example{Text: fmt.Sprintf("c%d-%d", c, i), Label: c})
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

func classCounts(xs []hatetweet.Example) map[hatetweet.Label]int {
	m := make(map[hatetweet.Label]int)
	for _, x := range xs {
		m[x.Label]++
	}
	return m
}

func TestStratifiedSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		counts       map[hatetweet.Label]int
		fractions    []float64
	}{
		{name: "train_val_test", reason: "the usual 80/10/10 with a rare class", counts: map[hatetweet.Label]int{0: 57, 1: 774, 2: 168}, fractions: []float64{0.8, 0.1, 0.1}},
		{name: "halves", reason: "odd class sizes", counts: map[hatetweet.Label]int{0: 7, 1: 9}, fractions: []float64{0.5, 0.5}},
		{name: "thirds", reason: "fractions that sum to 1 only within rounding", counts: map[hatetweet.Label]int{0: 10, 1: 11, 2: 1}, fractions: []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{name: "tiny_classes", reason: "classes smaller than the number of parts", counts: map[hatetweet.Label]int{0: 1, 1: 2, 2: 3}, fractions: []float64{0.7, 0.2, 0.1}},
		{name: "odd_labels", reason: "any Label value is a class", counts: map[hatetweet.Label]int{-1: 20, 7: 30}, fractions: []float64{0.25, 0.75}},
		{name: "one_part", reason: "a single fraction of 1 shuffles", counts: map[hatetweet.Label]int{0: 30, 1: 30}, fractions: []float64{1}},
		{name: "empty", reason: "no examples give empty parts", counts: nil, fractions: []float64{0.8, 0.2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			examples := makeExamples(tc.counts)
			before := slices.Clone(examples)
			parts, err := dataset.StratifiedSplit(examples, tc.fractions, 42)
			require.NoError(t, err, tc.reason)
			assert.Equal(t, before, examples, "%s: the input is not modified", tc.reason)
			require.Len(t, parts, len(tc.fractions), tc.reason)

			// Every example exactly once.
			var all []hatetweet.Example
			for _, p := range parts {
				assert.NotNil(t, p, tc.reason)
				all = append(all, p...)
			}
			byText := func(a, b hatetweet.Example) int { return strings.Compare(a.Text, b.Text) }
			slices.SortFunc(all, byText)
			want := slices.Clone(examples)
			slices.SortFunc(want, byText)
			assert.Equal(t, want, all, tc.reason)

			// Each part holds its share of each class, give or take one.
			for k, p := range parts {
				got := classCounts(p)
				for c, n := range tc.counts {
					share := float64(n) * tc.fractions[k]
					assert.LessOrEqual(t, math.Abs(float64(got[c])-share), 1.0, "%s: part %d class %d: %d for share %.2f", tc.reason, k, c, got[c], share)
				}
			}

			// Same seed, same parts; another seed, other parts.
			again, err := dataset.StratifiedSplit(examples, tc.fractions, 42)
			require.NoError(t, err)
			assert.Equal(t, parts, again, tc.reason)
			if len(examples) > 20 {
				other, err := dataset.StratifiedSplit(examples, tc.fractions, 43)
				require.NoError(t, err)
				assert.NotEqual(t, parts, other, tc.reason)
				// Parts are shuffled, not grouped by class or in input order.
				assert.False(t, slices.IsSortedFunc(parts[0], func(a, b hatetweet.Example) int { return int(a.Label - b.Label) }), tc.reason)
				assert.NotEqual(t, examples[:len(parts[0])], parts[0], tc.reason)
			}
		})
	}
}

func TestStratifiedSplit_errors(t *testing.T) {
	t.Parallel()
	examples := makeExamples(map[hatetweet.Label]int{0: 3, 1: 3})
	tests := []struct {
		name, reason string
		fractions    []float64
		msg          string
	}{
		{name: "nil", reason: "no parts asked for", fractions: nil, msg: "dataset: no fractions"},
		{name: "over_one", reason: "sums must be 1", fractions: []float64{0.5, 0.6}, msg: "dataset: fractions sum to 1.1, want 1"},
		{name: "under_one", reason: "sums must be 1", fractions: []float64{0.3, 0.3, 0.3}, msg: "sum to 0.8999"},
		{name: "just_off", reason: "1e-9 is the tolerance", fractions: []float64{0.5, 0.5 + 2e-9}, msg: "sum to 1.000000002"},
		{name: "zero", reason: "a part with nothing in it is a mistake", fractions: []float64{1, 0}, msg: "dataset: fraction 1 is 0, want a finite value > 0"},
		{name: "negative", reason: "even when the sum is 1", fractions: []float64{-0.5, 1.5}, msg: "fraction 0 is -0.5"},
		{name: "nan", reason: "NaN compares false", fractions: []float64{math.NaN(), 1}, msg: "fraction 0 is NaN"},
		{name: "inf", reason: "infinite", fractions: []float64{math.Inf(1)}, msg: "fraction 0 is +Inf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			parts, err := dataset.StratifiedSplit(examples, tc.fractions, 1)
			require.Error(t, err, tc.reason)
			assert.Nil(t, parts, tc.reason)
			assert.Contains(t, err.Error(), tc.msg, tc.reason)
		})
	}
}
