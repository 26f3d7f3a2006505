package main

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/serve"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "model")
	require.NoError(t, cli.SaveTinyLSTM(dir))
	m, kind, err := cli.Open(dir)
	require.NoError(t, err)
	defer m.Close()
	h, err := serve.New(m, serve.ModelInfo{Kind: kind, Labels: m.Labels()})
	require.NoError(t, err)
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()

	res, err := load(t.Context(), srv.URL+"/v1/classify", []string{"a", "b", "c"}, 4, 2, 300*time.Millisecond, 50)
	require.NoError(t, err)
	assert.Zero(t, res.Errors)
	assert.Positive(t, res.Requests)
	assert.LessOrEqual(t, res.Requests, int64(50), "bounded by -max-requests")
	assert.Positive(t, res.TextsPerS)
	assert.LessOrEqual(t, res.P50ms, res.P99ms)

	tps, err := direct(t.Context(), dir, []string{"a", "b"}, 8, 50*time.Millisecond)
	require.NoError(t, err)
	assert.Positive(t, tps)
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80", "http://127.5.0.1"} {
		assert.NoError(t, checkLoopback(ok), ok)
	}
	for _, bad := range []string{"http://10.0.0.1:8080", "http://example.com", "http://192.168.1.2"} {
		assert.Error(t, checkLoopback(bad), bad)
	}
}
