package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPredict(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "model")
	require.NoError(t, cli.SaveTinyLSTM(dir))

	var out bytes.Buffer
	require.NoError(t, predict(t.Context(), []string{"-model", dir, "you are great", "awful"}, nil, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], "hate=")
	assert.Contains(t, lines[1], `"awful"`)

	out.Reset()
	stdin := strings.NewReader("one\ntwo\nthree\n")
	require.NoError(t, predict(t.Context(), []string{"-model", dir, "-batch", "2"}, stdin, &out))
	assert.Len(t, strings.Split(strings.TrimSpace(out.String()), "\n"), 3, "one line per input line, across batches")
}

func TestPredict_errors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		want   string
		reason string
	}{
		{"no model", nil, "-model is required", "the model flag is mandatory"},
		{"missing dir", []string{"-model", filepath.Join(t.TempDir(), "nope")}, "no such file", "a missing directory names the file"},
		{"bad batch", []string{"-model", "x", "-batch", "0"}, "-batch 0", "batch must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := predict(t.Context(), tt.args, strings.NewReader(""), &bytes.Buffer{})
			assert.ErrorContains(t, err, tt.want, tt.reason)
		})
	}
}

// TestPredict_bert: the same command serves a HuggingFace BERT directory
// (the committed tiny fixture checkpoint).
func TestPredict_bert(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, predict(t.Context(), []string{"-model", "../../bert/testdata/tiny-a", "hello there", ""}, nil, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], "hate=", "labels come from the checkpoint's id2label")
}
