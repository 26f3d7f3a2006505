package evaluate

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
)

// parityFile is written by testdata/gen_metrics.py (scikit-learn); its SOURCE
// object names the producer, version, command and tolerance.
const parityFile = "testdata/metrics.json"

type parityAverage struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

type parityClass struct {
	parityAverage
	Support int `json:"support"`
}

type parityCase struct {
	Name     string   `json:"name"`
	Reason   string   `json:"reason"`
	Labels   []string `json:"labels"`
	Gold     []int    `json:"gold"`
	Pred     []int    `json:"pred"`
	Expected struct {
		Accuracy   float64       `json:"accuracy"`
		PerClass   []parityClass `json:"per_class"`
		Macro      parityAverage `json:"macro"`
		Micro      parityAverage `json:"micro"`
		Weighted   parityAverage `json:"weighted"`
		Confusion  [][]int       `json:"confusion"`
		ReportText string        `json:"report_text"`
	} `json:"expected"`
}

type parityFixture struct {
	Source struct {
		Producer  string  `json:"producer"`
		Version   string  `json:"version"`
		Command   string  `json:"command"`
		Tolerance float64 `json:"tolerance"`
	} `json:"SOURCE"`
	Cases []parityCase `json:"cases"`
}

func readParity(t *testing.T) parityFixture {
	t.Helper()
	raw, err := os.ReadFile(parityFile)
	require.NoError(t, err)
	var fx parityFixture
	require.NoError(t, json.Unmarshal(raw, &fx))
	require.NotEmpty(t, fx.Cases, "fixture has no cases")
	require.Positive(t, fx.Source.Tolerance, "fixture must state its tolerance")
	require.NotEmpty(t, fx.Source.Version, "fixture must state the scikit-learn version")
	return fx
}

// floatSupport matches a support printed as a float ("  10.0" at the end of
// a line). scikit-learn 1.2's classification_report prints supports that way
// when every true-positive count is 0 (case all_wrong); the numbers are the
// same, so the test compares the integer form, right-aligned in the same
// 9-wide column.
var floatSupport = regexp.MustCompile(`(?m)(\d+)\.0$`)

// TestConfusion_Report_parity compares every metric, the confusion matrix and
// the text report with scikit-learn's (testdata/metrics.json).
func TestConfusion_Report_parity(t *testing.T) {
	t.Parallel()
	fx := readParity(t)
	tol := fx.Source.Tolerance
	for _, tc := range fx.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			require.Len(t, tc.Pred, len(tc.Gold), "fixture case is malformed")
			c := NewConfusion(hatetweet.Labels(tc.Labels))
			for i := range tc.Gold {
				require.NoError(t, c.Add(hatetweet.Label(tc.Gold[i]), hatetweet.Label(tc.Pred[i])))
			}
			r := c.Report()
			want := tc.Expected
			assert.Equal(t, len(tc.Gold), r.Total)
			assert.InDelta(t, want.Accuracy, r.Accuracy, tol, "accuracy; %s", tc.Reason)
			require.Len(t, r.PerClass, len(want.PerClass))
			for i, w := range want.PerClass {
				g := r.PerClass[i]
				assert.Equal(t, tc.Labels[i], g.Label)
				assert.InDelta(t, w.Precision, g.Precision, tol, "precision of %s; %s", g.Label, tc.Reason)
				assert.InDelta(t, w.Recall, g.Recall, tol, "recall of %s; %s", g.Label, tc.Reason)
				assert.InDelta(t, w.F1, g.F1, tol, "f1 of %s; %s", g.Label, tc.Reason)
				assert.Equal(t, w.Support, g.Support, "support of %s; %s", g.Label, tc.Reason)
			}
			for _, avg := range []struct {
				name      string
				want, got parityAverage
			}{
				{"macro", want.Macro, parityAverage(r.Macro)},
				{"micro", want.Micro, parityAverage(r.Micro)},
				{"weighted", want.Weighted, parityAverage(r.Weighted)},
			} {
				assert.InDelta(t, avg.want.Precision, avg.got.Precision, tol, "%s precision; %s", avg.name, tc.Reason)
				assert.InDelta(t, avg.want.Recall, avg.got.Recall, tol, "%s recall; %s", avg.name, tc.Reason)
				assert.InDelta(t, avg.want.F1, avg.got.F1, tol, "%s f1; %s", avg.name, tc.Reason)
			}
			assert.Equal(t, want.Confusion, r.Confusion)
			assert.Equal(t, floatSupport.ReplaceAllString(want.ReportText, "  $1"), r.String(), tc.Reason)
		})
	}
}
