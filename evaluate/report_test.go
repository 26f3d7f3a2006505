package evaluate

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// goldenReport is a Davidson-shaped evaluation: 20 examples, class balance
// like the data set (few hate), with hate often predicted as offensive.
func goldenReport(t *testing.T) Report {
	t.Helper()
	c := NewConfusion(hatetweet.DavidsonLabels())
	pairs := [][2]hatetweet.Label{
		{0, 0}, {0, 1}, {0, 1},
		{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 2}, {1, 0},
		{2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 1}, {2, 2}, {2, 2},
	}
	for _, p := range pairs {
		require.NoError(t, c.Add(p[0], p[1]))
	}
	return c.Report()
}

func TestReport_String(t *testing.T) {
	t.Parallel()
	got := goldenReport(t).String()
	path := filepath.Join("testdata", "report.golden")
	if *update {
		require.NoError(t, writeFileAtomic(path, []byte(got)))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./evaluate -run TestReport_String -update to create it")
	assert.Equal(t, string(want), got)
}

// writeFileAtomic writes data to a temporary file beside path and renames it.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".golden-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func TestReport_String_wideLabel(t *testing.T) {
	t.Parallel()
	// Names wider than "weighted avg" widen the first column; width counts
	// runes, not bytes, as Python's str.format does.
	c := NewConfusion(hatetweet.Labels{"ü", "a label wider than 12"})
	require.NoError(t, c.Add(1, 1))
	lines := splitLines(c.Report().String())
	require.Len(t, lines, 8) // header, blank, 2 labels, blank, 3 averages
	for i, l := range lines {
		if l == "" {
			continue
		}
		assert.Equal(t, 21+2+4*9+3, runeLen(l), "line %d %q", i, l)
	}
	assert.Equal(t, "                    ü       0.00      0.00      0.00         0", lines[2])
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func runeLen(s string) int { return len([]rune(s)) }

func TestReport_MarshalJSON(t *testing.T) {
	t.Parallel()
	r := goldenReport(t)
	raw, err := json.Marshal(r)
	require.NoError(t, err)
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &got))
	for _, key := range []string{"labels", "accuracy", "macro_f1", "micro_f1", "weighted_f1", "per_class", "confusion"} {
		assert.Contains(t, got, key, "key required by the issue")
	}

	var decoded struct {
		Labels     []string `json:"labels"`
		Accuracy   float64  `json:"accuracy"`
		MacroF1    float64  `json:"macro_f1"`
		MicroF1    float64  `json:"micro_f1"`
		WeightedF1 float64  `json:"weighted_f1"`
		Total      int      `json:"total"`
		Confusion  [][]int  `json:"confusion"`
		PerClass   map[string]struct {
			Precision float64 `json:"precision"`
			Recall    float64 `json:"recall"`
			F1        float64 `json:"f1"`
			Support   int     `json:"support"`
		} `json:"per_class"`
	}
	require.NoError(t, json.Unmarshal(raw, &decoded))
	assert.Equal(t, []string(r.Labels), decoded.Labels)
	// encoding/json writes the shortest representation that round-trips, so
	// the values come back bit for bit.
	assert.Equal(t, r.Accuracy, decoded.Accuracy)
	assert.Equal(t, r.Macro.F1, decoded.MacroF1)
	assert.Equal(t, r.Micro.F1, decoded.MicroF1)
	assert.Equal(t, r.Weighted.F1, decoded.WeightedF1)
	assert.Equal(t, r.Total, decoded.Total)
	assert.Equal(t, r.Confusion, decoded.Confusion)
	require.Len(t, decoded.PerClass, len(r.PerClass))
	for _, m := range r.PerClass {
		d := decoded.PerClass[m.Label]
		assert.Equal(t, m.Precision, d.Precision, m.Label)
		assert.Equal(t, m.Recall, d.Recall, m.Label)
		assert.Equal(t, m.F1, d.F1, m.Label)
		assert.Equal(t, m.Support, d.Support, m.Label)
	}
}

func TestReport_MarshalJSON_edges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reason  string
		report  Report
		wantErr bool
		want    string // a substring of the output
	}{
		{name: "zero_value", reason: "empty slices encode as [], not null", report: Report{}, want: `"labels":[]`},
		{name: "zero_value_confusion", reason: "empty slices encode as [], not null", report: Report{}, want: `"confusion":[]`},
		{name: "zero_value_per_class", reason: "an empty map encodes as {}", report: Report{}, want: `"per_class":{}`},
		{
			name:    "duplicate_label",
			reason:  "two labels with one name cannot both be keys of per_class",
			report:  NewConfusion(hatetweet.Labels{"a", "a"}).Report(),
			wantErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raw, err := json.Marshal(tc.report)
			if tc.wantErr {
				require.Error(t, err, tc.reason)
				return
			}
			require.NoError(t, err, tc.reason)
			assert.Contains(t, string(raw), tc.want, tc.reason)
		})
	}
}
