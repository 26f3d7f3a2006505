package nn

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestForEach checks that every index runs exactly once, with or without
// a team, on a team reused across calls, and that a panic on either
// goroutine reaches the caller.
func TestForEach(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		n            int
	}{
		{"empty", "no call", 0},
		{"one", "the caller alone", 1},
		{"few", "fewer indices than a helper can take", 3},
		{"many", "both goroutines take indices", 1000},
	}
	for _, tt := range tests {
		for _, withTeam := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/team=%v", tt.name, withTeam), func(t *testing.T) {
				t.Parallel()
				var tm *team
				if withTeam {
					tm = &team{}
				}
				hits := make([]atomic.Int32, tt.n)
				for range 3 {
					forEach(tm, tt.n, func(w, i int) {
						assert.Contains(t, []int{0, 1}, w)
						hits[i].Add(1)
					})
				}
				for i := range hits {
					assert.EqualValues(t, 3, hits[i].Load(), "%s: index %d", tt.reason, i)
				}
			})
		}
	}
	for _, tm := range []*team{nil, {}} {
		assert.PanicsWithValue(t, "boom", func() {
			forEach(tm, 100, func(_, i int) {
				if i == 99 {
					panic("boom")
				}
			})
		})
		assert.PanicsWithValue(t, "boom", func() {
			fork2(tm, func() {}, func() { panic("boom") })
		})
		assert.PanicsWithValue(t, "boom0", func() {
			fork2(tm, func() { panic("boom0") }, func() {})
		})
	}
}
