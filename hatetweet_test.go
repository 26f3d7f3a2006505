package hatetweet_test

import (
	"math"
	"testing"

	"github.com/hatetweet/hatetweet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLabels_Index(t *testing.T) {
	ls := hatetweet.DavidsonLabels()
	l, err := ls.Index("neither")
	require.NoError(t, err)
	assert.Equal(t, hatetweet.Label(2), l)
	_, err = ls.Index("Hate")
	assert.ErrorIs(t, err, hatetweet.ErrUnknownLabel, "matching is exact")
	assert.Equal(t, "offensive", ls.Name(1))
	assert.Empty(t, ls.Name(3))
	assert.Empty(t, ls.Name(-1))
}

func TestDavidsonLabels_fresh(t *testing.T) {
	a := hatetweet.DavidsonLabels()
	a[0] = "changed"
	assert.Equal(t, "hate", hatetweet.DavidsonLabels()[0])
}

func TestLabels_Validate(t *testing.T) {
	tests := []struct {
		name   string
		ls     hatetweet.Labels
		want   []string
		reason string
	}{
		{"ok", hatetweet.DavidsonLabels(), nil, "the Davidson labels are valid"},
		{"one", hatetweet.Labels{"a"}, []string{"at least 2"}, "a classifier needs two classes"},
		{"empty name", hatetweet.Labels{"a", ""}, []string{"label 1 is empty"}, "names must be non-empty"},
		{"duplicate", hatetweet.Labels{"a", "b", "a", ""}, []string{`"a" appears twice`, "label 3 is empty"}, "all problems at once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.ls.Validate()
			if tt.want == nil {
				assert.NoError(t, err, tt.reason)
				return
			}
			for _, w := range tt.want {
				assert.ErrorContains(t, err, w, tt.reason)
			}
		})
	}
}

func TestNewPrediction(t *testing.T) {
	ls := hatetweet.DavidsonLabels()
	p, err := hatetweet.NewPrediction(ls, []float32{1, 3, 3})
	require.NoError(t, err)
	assert.Equal(t, hatetweet.Label(1), p.Label, "lowest index wins ties")
	assert.Equal(t, "offensive", p.Name)
	assert.Equal(t, []float32{1, 3, 3}, p.Logits)
	var sum float32
	for _, v := range p.Probs {
		sum += v
	}
	assert.InDelta(t, 1, sum, 1e-6)

	_, err = hatetweet.NewPrediction(ls, []float32{1})
	assert.ErrorIs(t, err, hatetweet.ErrLengthMismatch)
}

func TestSoftmax(t *testing.T) {
	got := hatetweet.Softmax([]float32{1000, 1000, -math.MaxFloat32})
	assert.InDeltaSlice(t, []float32{0.5, 0.5, 0}, got, 1e-7, "large logits do not overflow")
	assert.Empty(t, hatetweet.Softmax(nil))
	// Reference: softmax([1, 2, 3]) = [0.09003057, 0.24472847, 0.66524096].
	assert.InDeltaSlice(t, []float32{0.09003057, 0.24472847, 0.66524096}, hatetweet.Softmax([]float32{1, 2, 3}), 1e-7)
}
