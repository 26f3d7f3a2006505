package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun trains on a slice of the embedded data for one epoch (the full
// run is the example itself) and checks that the model is saved.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a BiLSTM")
	}
	out := filepath.Join(t.TempDir(), "model")
	require.NoError(t, run(t.Context(), []string{"-limit", "300", "-epochs", "1", "-out", out}))
	for _, f := range []string{"config.json", "vocab.json", "model.safetensors"} {
		_, err := os.Stat(filepath.Join(out, f))
		assert.NoError(t, err, f)
	}
}
