package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun_customData(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	err := run(t.Context(), []string{
		"-train", "testdata/train.csv", "-val", "testdata/test.csv", "-test", "testdata/test.csv",
		"-text-column", "tweet", "-label-column", "class", "-epochs", "2", "-hidden", "8", "-embedding", "8",
		"-class-weights", "-out", filepath.Join(dir, "model"), "-report", report,
	})
	require.NoError(t, err)
	raw, err := os.ReadFile(report)
	require.NoError(t, err)
	var r map[string]any
	require.NoError(t, json.Unmarshal(raw, &r))
	for _, k := range []string{"labels", "accuracy", "macro_f1", "micro_f1", "weighted_f1", "per_class", "confusion"} {
		assert.Contains(t, r, k)
	}
	assert.Equal(t, []any{"hate", "neither", "offensive"}, r["labels"], "labels from the training file, sorted")
	_, err = os.Stat(filepath.Join(dir, "model", "config.json"))
	assert.NoError(t, err)
}

func TestRun_errors(t *testing.T) {
	tests := []struct {
		name, want, reason string
		args               []string
	}{
		{"val without train", "need -train", "a lone -val has no labels to map to", []string{"-val", "testdata/test.csv"}},
		{"bad column", "tweet_text", "a missing column is named", []string{"-train", "testdata/train.csv", "-text-column", "tweet_text"}},
		{"bad cleaner", "unknown preset", "presets are checked", []string{"-cleaner", "fancy"}},
		{"report without test", "-report needs -test", "nothing to report", []string{"-train", "testdata/train.csv", "-label-column", "class", "-text-column", "tweet", "-epochs", "1", "-hidden", "4", "-embedding", "4", "-report", "x.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorContains(t, run(t.Context(), tt.args), tt.want, tt.reason)
		})
	}
}
