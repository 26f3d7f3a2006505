package lstm_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/tokenize"
)

func TestModel_Save_roundTrip(t *testing.T) {
	t.Parallel()
	cfg := tinyConfig()
	cfg.ClassWeights = []float32{2, 1, 0.5}
	cfg.Dropout = -1
	m := tinyModel(t, cfg)
	_, err := m.TrainStep(t.Context(), corpus)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "model")
	require.NoError(t, m.Save(dir))

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"config.json", "model.safetensors", "vocab.json"}, names, "nothing else, no temp files")
	siblings, err := os.ReadDir(filepath.Dir(dir))
	require.NoError(t, err)
	assert.Len(t, siblings, 1, "no temp dir left beside the model")

	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	require.NoError(t, err)
	var cj map[string]any
	require.NoError(t, json.Unmarshal(raw, &cj))
	assert.Equal(t, 1.0, cj["format_version"])
	assert.Equal(t, "tweet", cj["config"].(map[string]any)["cleaner"])
	assert.Equal(t, "bidirectional", cj["config"].(map[string]any)["direction"])
	assert.Equal(t, []any{"hate", "offensive", "neither"}, cj["labels"])

	loaded, err := lstm.Load(dir)
	require.NoError(t, err)
	defer func() { assert.NoError(t, loaded.Close()) }()
	assert.Equal(t, m.Config(), loaded.Config())
	assert.Equal(t, m.Labels(), loaded.Labels())
	texts := []string{"my cat", "", "rain and a dog", "unknown words only"}
	want, err := m.PredictBatch(t.Context(), texts)
	require.NoError(t, err)
	got, err := loaded.PredictBatch(t.Context(), texts)
	require.NoError(t, err)
	assert.Equal(t, want, got, "bit-identical predictions")

	// Saving over a saved model replaces it.
	_, err = m.TrainStep(t.Context(), corpus)
	require.NoError(t, err)
	require.NoError(t, m.Save(dir))
	again, err := lstm.Load(dir)
	require.NoError(t, err)
	defer func() { assert.NoError(t, again.Close()) }()
	want, err = m.PredictBatch(t.Context(), texts)
	require.NoError(t, err)
	got, err = again.PredictBatch(t.Context(), texts)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestModel_Save_refusesForeignDir(t *testing.T) {
	t.Parallel()
	m := tinyModel(t, tinyConfig())
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	err := m.Save(dir)
	assert.ErrorContains(t, err, "refusing to replace")
	b, err := os.ReadFile(filepath.Join(dir, "notes.txt"))
	require.NoError(t, err)
	assert.Equal(t, "mine", string(b), "the directory is untouched")
	// An empty directory is fine.
	empty := t.TempDir()
	require.NoError(t, m.Save(empty))
	_, err = os.Stat(filepath.Join(empty, "model.safetensors"))
	assert.NoError(t, err)
}

func TestLoad_bad(t *testing.T) {
	t.Parallel()
	m := tinyModel(t, tinyConfig())
	src := filepath.Join(t.TempDir(), "good")
	require.NoError(t, m.Save(src))

	other, err := tokenize.BuildVocab([][]string{{"only", "three", "words"}}, 1, 0)
	require.NoError(t, err)
	tests := []struct {
		name    string
		reason  string
		corrupt func(t *testing.T, dir string)
		is      error // also wrapped, besides ErrBadCheckpoint
		want    string
	}{
		{"no_config", "config.json missing", remove("config.json"), fs.ErrNotExist, "config.json"},
		{"no_vocab", "vocab.json missing", remove("vocab.json"), fs.ErrNotExist, "vocab.json"},
		{"no_weights", "model.safetensors missing", remove("model.safetensors"), fs.ErrNotExist, "model.safetensors"},
		{"version", "unknown format_version", editConfig(func(c map[string]any) { c["format_version"] = 2 }), nil, "format_version 2"},
		{"no_version", "format_version missing", editConfig(func(c map[string]any) { delete(c, "format_version") }), nil, "no format_version"},
		{"unknown_field", "a field this version does not know", editConfig(func(c map[string]any) { c["extra"] = 1 }), nil, "unknown field"},
		{"bad_json", "not JSON", write("config.json", "{"), nil, "config.json"},
		{"bad_config", "invalid hyperparameter", editConfig(func(c map[string]any) { c["config"].(map[string]any)["hidden"] = -1 }), nil, "hidden size -1"},
		{"hidden_mismatch", "config disagrees with the weights", editConfig(func(c map[string]any) { c["config"].(map[string]any)["hidden"] = 5 }), nil, "lstm.weight_ih_l0"},
		{"label_count", "labels disagree with fc", editConfig(func(c map[string]any) { c["labels"] = []string{"a", "b"} }), nil, "fc.weight"},
		{"vocab_size", "vocabulary disagrees with the embedding", func(t *testing.T, dir string) {
			f, err := os.Create(filepath.Join(dir, "vocab.json"))
			require.NoError(t, err)
			_, err = other.WriteTo(f)
			require.NoError(t, err)
			require.NoError(t, f.Close())
		}, nil, "embedding.weight"},
		{"bad_vocab", "malformed vocabulary", write("vocab.json", `{"format_version": 1}`), tokenize.ErrBadVocab, "vocab.json"},
		{"truncated", "model.safetensors cut short", func(t *testing.T, dir string) {
			path := filepath.Join(dir, "model.safetensors")
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, b[:len(b)-10], 0o644))
		}, nil, "safetensors"},
		{"garbage_weights", "not a safetensors file", write("model.safetensors", "hello"), nil, "safetensors"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "m")
			require.NoError(t, os.CopyFS(dir, os.DirFS(src)))
			tc.corrupt(t, dir)
			m, err := lstm.Load(dir)
			require.Error(t, err, tc.reason)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, lstm.ErrBadCheckpoint, tc.reason)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is, tc.reason)
			}
			assert.ErrorContains(t, err, tc.want, tc.reason)
		})
	}

	// Bad options are not a bad checkpoint.
	_, err = lstm.Load(src, lstm.WithPoolSize(-1))
	require.Error(t, err)
	assert.NotErrorIs(t, err, lstm.ErrBadCheckpoint)
}

func remove(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { require.NoError(t, os.Remove(filepath.Join(dir, name))) }
}

func write(name, content string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
}

func editConfig(edit func(map[string]any)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		path := filepath.Join(dir, "config.json")
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		var c map[string]any
		require.NoError(t, json.Unmarshal(b, &c))
		edit(c)
		b, err = json.Marshal(c)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, b, 0o644))
	}
}
