package evaluate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
)

func TestConfusion_Add(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		reason     string
		gold, pred hatetweet.Label
		wantErr    bool
	}{
		{name: "in_range", reason: "both labels index the 3 Davidson labels", gold: 2, pred: 0},
		{name: "negative_gold", reason: "labels are indices, never negative", gold: -1, pred: 0, wantErr: true},
		{name: "gold_past_end", reason: "3 labels allow 0..2", gold: 3, pred: 0, wantErr: true},
		{name: "negative_pred", reason: "labels are indices, never negative", gold: 0, pred: -1, wantErr: true},
		{name: "pred_past_end", reason: "3 labels allow 0..2", gold: 0, pred: 3, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := NewConfusion(hatetweet.DavidsonLabels())
			err := c.Add(tc.gold, tc.pred)
			if !tc.wantErr {
				require.NoError(t, err, tc.reason)
				assert.Equal(t, 1, c.Report().Confusion[tc.gold][tc.pred], tc.reason)
				return
			}
			require.ErrorIs(t, err, hatetweet.ErrUnknownLabel, tc.reason)
			assert.Zero(t, c.Report().Total, "a rejected pair must not be counted")
		})
	}
}

func TestConfusion_zeroValue(t *testing.T) {
	t.Parallel()
	var c Confusion
	require.ErrorIs(t, c.Add(0, 0), hatetweet.ErrUnknownLabel, "the zero value has no labels")
	r := c.Report()
	assert.Zero(t, r.Total)
	assert.Empty(t, r.PerClass)
	assert.Zero(t, r.Accuracy)
}

func TestConfusion_Report_empty(t *testing.T) {
	t.Parallel()
	// zero_division=0 (STYLE.md §6): with no examples every ratio is 0/0 and
	// counts as 0. scikit-learn agrees for precision, recall and F1 but gives
	// NaN accuracy, so this case is defined here rather than in the fixture.
	r := NewConfusion(hatetweet.DavidsonLabels()).Report()
	assert.Zero(t, r.Total)
	assert.Zero(t, r.Accuracy)
	assert.Equal(t, Average{}, r.Macro)
	assert.Equal(t, Average{}, r.Micro)
	assert.Equal(t, Average{}, r.Weighted)
	require.Len(t, r.PerClass, 3)
	for i, m := range r.PerClass {
		assert.Equal(t, ClassMetrics{Label: hatetweet.DavidsonLabels()[i]}, m)
	}
	assert.Equal(t, [][]int{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, r.Confusion)
}

func TestNewConfusion_copiesLabels(t *testing.T) {
	t.Parallel()
	ls := hatetweet.DavidsonLabels()
	c := NewConfusion(ls)
	ls[0] = "changed"
	assert.Equal(t, "hate", c.Report().Labels[0], "NewConfusion must copy the caller's labels")
	assert.Equal(t, "hate", c.Report().PerClass[0].Label)
}

func TestConfusion_Report_sharesNoMemory(t *testing.T) {
	t.Parallel()
	c := NewConfusion(hatetweet.DavidsonLabels())
	require.NoError(t, c.Add(1, 1))
	r := c.Report()
	r.Confusion[1][1] = 99
	r.Labels[1] = "changed"
	r2 := c.Report()
	assert.Equal(t, 1, r2.Confusion[1][1])
	assert.Equal(t, "offensive", r2.Labels[1])
}

func TestReport_Class(t *testing.T) {
	t.Parallel()
	c := NewConfusion(hatetweet.DavidsonLabels())
	// hate: 1 of 2 found, 1 of 1 predictions right → P=1, R=0.5, F1=2/3.
	require.NoError(t, c.Add(0, 0))
	require.NoError(t, c.Add(0, 1))
	r := c.Report()
	m, err := r.Class(0)
	require.NoError(t, err)
	assert.Equal(t, "hate", m.Label)
	assert.InDelta(t, 1.0, m.Precision, 1e-15)
	assert.InDelta(t, 0.5, m.Recall, 1e-15)
	assert.InDelta(t, 2.0/3, m.F1, 1e-15)
	assert.Equal(t, 2, m.Support)
	assert.Equal(t, 1, m.Predicted)
	for _, l := range []hatetweet.Label{-1, 3} {
		_, err := r.Class(l)
		require.ErrorIs(t, err, hatetweet.ErrUnknownLabel, "label %d", l)
	}
}
