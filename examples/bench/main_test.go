package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/dataset"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// readFigures runs bench with args plus -json and returns the JSON object
// it wrote.
func readFigures(t *testing.T, args ...string) map[string]any {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bench.json")
	require.NoError(t, run(t.Context(), append(args, "-json", path)))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(raw, &got))
	return got
}

func TestRun_quick(t *testing.T) {
	t.Parallel()
	got := readFigures(t, "-quick", "-duration", "1ms")
	for _, key := range requiredKeys {
		require.Contains(t, got, key)
		v, ok := got[key].(float64)
		if assert.True(t, ok, "%s = %v, want a number", key, got[key]) {
			assert.Positive(t, v, key)
		}
	}
	// The lstm package cannot run on token ids: those figures are null.
	for _, key := range []string{"lstm_infer_b256_excl_tok_per_s", "lstm_infer_b1_excl_tok_ms_p50", "lstm_infer_b1_excl_tok_ms_p95"} {
		require.Contains(t, got, key)
		assert.Nil(t, got[key], key)
	}
	for _, key := range []string{"lstm_train_incl_clean_ex_per_s", "lstm_infer_b256_precleaned_per_s", "wordpiece_tokens_per_s", "clean_tweet_tweets_per_s", "bert_mini_b1_ms_p95"} {
		assert.Positive(t, got[key], key)
	}
	assert.LessOrEqual(t, got["lstm_infer_b1_ms_p50"], got["lstm_infer_b1_ms_p95"])
	assert.Equal(t, true, got["quick"])
	assert.InDelta(t, bertQuickSizes.seqLen, got["bert_seq_len"], 0, "a quick run uses the small BERT sizes")
	if _, err := os.Stat("/proc/self/status"); err == nil {
		assert.GreaterOrEqual(t, got["peak_rss_mb"], got["peak_rss_mb_lstm"])
		assert.Positive(t, got["peak_rss_mb_bert_tiny"])
	}
}

func TestRun_only(t *testing.T) {
	t.Parallel()
	got := readFigures(t, "-quick", "-duration", "1ms", "-only", "clean")
	for _, key := range requiredKeys {
		require.Contains(t, got, key, "skipped figures are written as null")
		assert.Nil(t, got[key], key)
	}
	assert.Positive(t, got["clean_tweet_tweets_per_s"])
	assert.Positive(t, got["clean_light_tweets_per_s"])
	assert.Nil(t, got["wordpiece_tokens_per_s"])
}

func TestRun_badArgs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, reason string
		args         []string
	}{
		{"unknown section", "a typo in -only must not silently measure nothing", []string{"-only", "lstm,gpu"}},
		{"empty only", "an empty subset would write an all-null JSON", []string{"-only", " , "}},
		{"zero duration", "a measurement needs time to run", []string{"-duration", "0s"}},
		{"stray argument", "positional arguments are not used", []string{"lstm"}},
		{"unknown flag", "flag errors reach the caller", []string{"-fast"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Error(t, run(t.Context(), tc.args), tc.reason)
		})
	}
}

func TestShuffledBatches(t *testing.T) {
	t.Parallel()
	batches := shuffledBatches(rand.New(rand.NewPCG(1, 0)), 150, 64)
	require.Len(t, batches, 3)
	assert.Len(t, batches[0], 64)
	assert.Len(t, batches[2], 150-2*64, "the last batch holds the rest")
	all := slices.Concat(batches...)
	slices.Sort(all)
	for i, v := range all {
		require.Equal(t, i, v, "every index exactly once")
	}
	again := shuffledBatches(rand.New(rand.NewPCG(1, 0)), 150, 64)
	assert.Equal(t, batches, again, "the same seed gives the same order")
	other := shuffledBatches(rand.New(rand.NewPCG(2, 0)), 150, 64)
	assert.NotEqual(t, batches, other, "another seed gives another order")
}

func TestLongExamples(t *testing.T) {
	t.Parallel()
	train, _, _, err := dataset.Davidson()
	require.NoError(t, err)
	tok, err := tokenize.NewDefaultWordPiece()
	require.NoError(t, err)
	seqLen := bertAnchorSizes.seqLen
	exs, err := longExamples(tok, train, 8, seqLen)
	require.NoError(t, err)
	require.Len(t, exs, 8)
	for i, ex := range exs {
		e, err := tok.Tokenize(textclean.Light{}.Clean(ex.Text))
		require.NoError(t, err)
		assert.GreaterOrEqual(t, e.Len(), seqLen, "example %d is long enough to truncate to %d tokens", i, seqLen)
		assert.True(t, ex.Label >= 0 && int(ex.Label) < len(hatetweet.DavidsonLabels()), "example %d: label %d", i, ex.Label)
	}
	_, err = longExamples(tok, train[:3], 8, seqLen)
	assert.Error(t, err, "three tweets cannot make eight long texts")
}
