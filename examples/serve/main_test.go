package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/serve"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServeModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "model")
	require.NoError(t, cli.SaveTinyLSTM(dir))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()

	ctx, cancel := context.WithCancel(t.Context())
	var logs strings.Builder
	done := make(chan error, 1)
	go func() { done <- serveModel(ctx, ln, slog.New(slog.NewJSONHandler(&logs, nil)), dir) }()

	resp, err := http.Post(base+"/v1/classify", "application/json", strings.NewReader(`{"texts": ["you are great", ""]}`))
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var out serve.ClassifyResponse
	require.NoError(t, json.Unmarshal(body, &out))
	assert.Len(t, out.Results, 2)

	resp, err = http.Get(base + "/v1/model")
	require.NoError(t, err)
	var info serve.ModelInfo
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&info))
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, "lstm", info.Kind)
	assert.Equal(t, "model", info.Version)

	cancel()
	require.NoError(t, <-done, "graceful shutdown")
	assert.Contains(t, logs.String(), `"path":"/v1/classify"`)
	assert.Contains(t, logs.String(), `"status":200`)
}

func TestRun_errors(t *testing.T) {
	assert.ErrorContains(t, run(t.Context(), nil), "-model is required")
	err := run(t.Context(), []string{"-model", t.TempDir(), "-addr", "127.0.0.1:0"})
	assert.ErrorContains(t, err, "config.json")
}
