package train

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
)

func examplesWithLabels(labels []int) []hatetweet.Example {
	out := make([]hatetweet.Example, len(labels))
	for i, l := range labels {
		out[i] = hatetweet.Example{Label: hatetweet.Label(l)}
	}
	return out
}

// TestClassWeights_parity compares with scikit-learn's
// compute_class_weight("balanced") (testdata/classweights.json, written by
// testdata/gen_classweights.py; its SOURCE object names version and
// tolerance).
func TestClassWeights_parity(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/classweights.json")
	require.NoError(t, err)
	var fx struct {
		Source struct {
			Version   string  `json:"version"`
			Tolerance float64 `json:"tolerance"`
		} `json:"SOURCE"`
		Cases []struct {
			Name      string    `json:"name"`
			Reason    string    `json:"reason"`
			NumLabels int       `json:"num_labels"`
			Labels    []int     `json:"labels"`
			Weights   []float64 `json:"weights"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &fx))
	require.NotEmpty(t, fx.Cases)
	require.Positive(t, fx.Source.Tolerance)
	for _, tc := range fx.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			w, err := ClassWeights(examplesWithLabels(tc.Labels), tc.NumLabels)
			require.NoError(t, err)
			got := make([]float64, len(w))
			for i, v := range w {
				got[i] = float64(v)
			}
			assert.InDeltaSlice(t, tc.Weights, got, fx.Source.Tolerance, tc.Reason)
		})
	}
}

func TestClassWeights(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reason    string
		labels    []int
		numLabels int
		want      []float32
		wantErr   bool
		unknown   bool
	}{
		{
			name: "absent_class", reason: "class 2 has no example: weight 0; others N/(C·n) = 4/(3·2)",
			labels: []int{0, 0, 1, 1}, numLabels: 3, want: []float32{4.0 / 6, 4.0 / 6, 0},
		},
		{name: "single_label", reason: "one label: N/(1·N) = 1", labels: []int{0, 0}, numLabels: 1, want: []float32{1}},
		{name: "empty", reason: "no examples to count", numLabels: 3, wantErr: true},
		{name: "no_labels", reason: "numLabels must be at least 1", labels: []int{0}, numLabels: 0, wantErr: true},
		{name: "label_out_of_range", reason: "label 3 with 3 labels", labels: []int{0, 3}, numLabels: 3, wantErr: true, unknown: true},
		{name: "negative_label", reason: "labels are indices", labels: []int{-1}, numLabels: 3, wantErr: true, unknown: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, err := ClassWeights(examplesWithLabels(tc.labels), tc.numLabels)
			if tc.wantErr {
				require.Error(t, err, tc.reason)
				if tc.unknown {
					require.ErrorIs(t, err, hatetweet.ErrUnknownLabel, tc.reason)
				}
				assert.Nil(t, w)
				return
			}
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, w, tc.reason)
		})
	}
}
