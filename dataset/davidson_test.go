package dataset_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/dataset"
)

func TestDavidson(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the full embedded data set")
	}
	t.Parallel()
	train, val, test, err := dataset.Davidson()
	require.NoError(t, err)

	// SOURCE: /usr/bin/python3 (3.11.2), csv module, on dataset/davidson/*.csv:
	//   python3 -c 'import csv,collections; rows=list(csv.DictReader(open("train.csv",newline="",encoding="utf-8")));
	//               print(len(rows), collections.Counter(r["label"] for r in rows))'
	// and the same for val.csv and test.csv; pandas 1.5.3 read_csv gives the
	// same row counts. Exact counts, no tolerance.
	tests := []struct {
		name, reason string
		got          []hatetweet.Example
		perClass     map[hatetweet.Label]int // hate, offensive, neither
	}{
		{name: "train", reason: "80%", got: train, perClass: map[hatetweet.Label]int{0: 1144, 1: 15352, 2: 3330}},
		{name: "val", reason: "10%", got: val, perClass: map[hatetweet.Label]int{0: 143, 1: 1919, 2: 416}},
		{name: "test", reason: "10%", got: test, perClass: map[hatetweet.Label]int{0: 143, 1: 1919, 2: 417}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.perClass, classCounts(tc.got), tc.reason)
			hate := float64(tc.perClass[0]) / float64(len(tc.got))
			assert.InDelta(t, 0.058, hate, 0.001, "%s: hate is about 5.8%% of every split", tc.reason)
		})
	}
	assert.Len(t, train, 19826, "train rows, from the SOURCE command above")
	assert.Equal(t, 24783, len(train)+len(val)+len(test), "the size of the original Davidson data (labeled_data.csv)")
	// Spot check the first row of train.csv, a tweet that spans no lines.
	assert.Equal(t, hatetweet.Label(1), train[0].Label)
	assert.Contains(t, train[0].Text, "I called at least 20 times to make my hair appointment")
}

func TestDavidson_freshSlices(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the full embedded data set twice")
	}
	t.Parallel()
	a, _, _, err := dataset.Davidson()
	require.NoError(t, err)
	want := a[0]
	a[0] = hatetweet.Example{Text: "changed", Label: 2}
	b, _, _, err := dataset.Davidson()
	require.NoError(t, err)
	assert.Equal(t, want, b[0], "a caller's change must not reach the next caller")
}

// TestDavidson_sharedCopy checks that the embedded files are byte for byte
// the canonical split in ../shared/data/davidson, when that folder exists
// (it does on every developer machine and CI run, see the shared README).
func TestDavidson_sharedCopy(t *testing.T) {
	t.Parallel()
	shared := filepath.Join("..", "..", "shared", "data", "davidson")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no shared data: %v", err)
	}
	for _, name := range []string{"train.csv", "val.csv", "test.csv", "LICENSE"} {
		want, err := os.ReadFile(filepath.Join(shared, name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("davidson", name))
		require.NoError(t, err)
		assert.True(t, string(want) == string(got), "davidson/%s differs from %s", name, shared)
	}
}
