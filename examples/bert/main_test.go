package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun_random fine-tunes a tiny random BERT on the lstm example's
// 36-tweet fixture and saves it.
func TestRun_random(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	err := run(t.Context(), []string{
		"-train", "../lstm/testdata/train.csv", "-val", "../lstm/testdata/test.csv", "-test", "../lstm/testdata/test.csv",
		"-text-column", "tweet", "-label-column", "class",
		"-layers", "1", "-hidden", "8", "-heads", "2", "-max-len", "16", "-epochs", "1", "-batch", "8",
		"-out", filepath.Join(dir, "model"), "-report", report,
	})
	require.NoError(t, err)
	raw, err := os.ReadFile(report)
	require.NoError(t, err)
	var r map[string]any
	require.NoError(t, json.Unmarshal(raw, &r))
	assert.Contains(t, r, "macro_f1")
	for _, f := range []string{"config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"} {
		_, err := os.Stat(filepath.Join(dir, "model", f))
		assert.NoError(t, err, f)
	}
}

// TestRun_checkpoint fine-tunes the committed tiny HF checkpoint fixture.
func TestRun_checkpoint(t *testing.T) {
	err := run(t.Context(), []string{
		"-model", "../../bert/testdata/tiny-a",
		"-train", "../lstm/testdata/train.csv", "-val", "../lstm/testdata/test.csv",
		"-text-column", "tweet", "-label-column", "class", "-epochs", "1", "-batch", "8", "-max-len", "16",
	})
	require.NoError(t, err)
}
