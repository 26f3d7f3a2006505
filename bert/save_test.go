package bert

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/atomicfile"
	"github.com/hatetweet/hatetweet/internal/safetensors"
	"github.com/hatetweet/hatetweet/tokenize"
)

// saveTexts ends with a text longer than every model's MaxLen here.
var saveTexts = []string{"you are a stupid idiot", "what a beautiful day!", "", "rt @user: they are trash lol",
	strings.Repeat("so much fun ", 40)}

// TestModel_Save_roundTrip fine-tunes tiny-a for a few steps, saves it and
// loads it back: identical logits, labels, length and cleaner, and a Hugging
// Face directory layout.
func TestModel_Save_roundTrip(t *testing.T) {
	m := loadTiny(t, "tiny-a", WithMaxLen(20))
	require.NoError(t, m.SetTrainConfig(TrainConfig{LearningRate: 1e-3, Seed: 3}))
	for range 3 {
		_, err := m.TrainStep(t.Context(), []hatetweet.Example{{Text: saveTexts[0], Label: 0}, {Text: saveTexts[1], Label: 2}})
		require.NoError(t, err)
	}
	want, err := m.PredictBatch(t.Context(), saveTexts)
	require.NoError(t, err)

	dir := filepath.Join(t.TempDir(), "out", "model")
	require.NoError(t, m.Save(dir))
	back, err := Load(dir)
	require.NoError(t, err)
	defer func() { assert.NoError(t, back.Close()) }()
	got, err := back.PredictBatch(t.Context(), saveTexts)
	require.NoError(t, err)
	assert.Equal(t, want, got, "F32 weights round-trip exactly")
	assert.Equal(t, m.Labels(), back.Labels())
	assert.Equal(t, 20, back.MaxLen())
	assert.False(t, back.FreshHead())

	var cfg map[string]any
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &cfg))
	assert.Equal(t, []any{"BertForSequenceClassification"}, cfg["architectures"])
	assert.Equal(t, map[string]any{"0": "hate", "1": "offensive", "2": "neither"}, cfg["id2label"])
	assert.Equal(t, map[string]any{"hate": 0.0, "offensive": 1.0, "neither": 2.0}, cfg["label2id"])
	assert.Equal(t, "light", cfg["hatetweet_cleaner"])
	assert.EqualValues(t, 1, cfg["format_version"])

	var tc map[string]any
	raw, err = os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &tc))
	assert.Equal(t, true, tc["do_lower_case"])
	assert.EqualValues(t, 20, tc["model_max_length"])

	orig, err := os.ReadFile("testdata/tiny-a/vocab.txt")
	require.NoError(t, err)
	saved, err := os.ReadFile(filepath.Join(dir, "vocab.txt"))
	require.NoError(t, err)
	assert.Equal(t, string(orig), string(saved))

	f, err := safetensors.ReadFile(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	var names []string
	for _, p := range m.ps.all {
		names = append(names, p.Name)
		data, shape, err := f.Float32(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p.Shape, shape)
		assert.True(t, slices.Equal(p.Data, data), p.Name)
	}
	assert.ElementsMatch(t, names, f.Names())

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	assert.ElementsMatch(t, []string{"config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"}, files,
		"no temporary files left behind")
}

// TestNew_saveLoad: a random model from New saves and loads back with the
// same predictions; equal seeds give equal weights.
func TestNew_saveLoad(t *testing.T) {
	t.Parallel()
	tok, err := tokenize.NewWordPiece("testdata/tiny-a/vocab.txt")
	require.NoError(t, err)
	cfg := Config{VocabSize: 100, HiddenSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2,
		IntermediateSize: 12, MaxPositionEmbeddings: 16}
	ls := hatetweet.Labels{"no", "yes"}
	a, err := New(cfg, tok, ls, WithSeed(5))
	require.NoError(t, err)
	defer func() { assert.NoError(t, a.Close()) }()
	b, err := New(cfg, tok, ls, WithSeed(5))
	require.NoError(t, err)
	defer func() { assert.NoError(t, b.Close()) }()
	require.Equal(t, nnData(a), nnData(b), "same seed, same weights")
	assert.Equal(t, 16, a.MaxLen(), "max_position_embeddings below 512")
	for _, v := range a.ps.word.Data[:8] {
		assert.Zero(t, v, "the padding row is zero")
	}

	dir := t.TempDir()
	require.NoError(t, a.Save(dir))
	back, err := Load(dir)
	require.NoError(t, err)
	defer func() { assert.NoError(t, back.Close()) }()
	want, err := a.PredictBatch(t.Context(), saveTexts)
	require.NoError(t, err)
	got, err := back.PredictBatch(t.Context(), saveTexts)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, ls, back.Labels())
}

func nnData(m *Model) [][]float32 {
	out := make([][]float32, len(m.ps.all))
	for i, p := range m.ps.all {
		out[i] = p.Data
	}
	return out
}

func TestNew_errors(t *testing.T) {
	t.Parallel()
	tok, err := tokenize.NewWordPiece("testdata/tiny-a/vocab.txt")
	require.NoError(t, err)
	good := Config{VocabSize: 100, HiddenSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2,
		IntermediateSize: 12, MaxPositionEmbeddings: 16}
	small := good
	small.VocabSize = 50
	heads := good
	heads.NumAttentionHeads = 3
	big := good
	big.MaxPositionEmbeddings = 64
	tests := []struct {
		name, reason string
		cfg          Config
		tok          *tokenize.WordPiece
		ls           hatetweet.Labels
		opts         []Option
	}{
		{"nil tokenizer", "no dependency may be nil", good, nil, hatetweet.DavidsonLabels(), nil},
		{"one label", "a classifier needs two", good, tok, hatetweet.Labels{"x"}, nil},
		{"vocab too small", "92 tokens, 50 embeddings", small, tok, hatetweet.DavidsonLabels(), nil},
		{"heads", "8 features, 3 heads", heads, tok, hatetweet.DavidsonLabels(), nil},
		{"with labels", "labels are an argument of New", good, tok, hatetweet.DavidsonLabels(), []Option{WithLabels(hatetweet.Labels{"a", "b"})}},
		{"max len", "above max_position_embeddings", good, tok, hatetweet.DavidsonLabels(), []Option{WithMaxLen(17)}},
		{"max len above tokenizer", "the tokenizer stops at 32 tokens", big, tok, hatetweet.DavidsonLabels(), []Option{WithMaxLen(40)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := New(tt.cfg, tt.tok, tt.ls, tt.opts...)
			assert.Error(t, err, tt.reason)
			assert.Nil(t, m)
		})
	}
}

// TestModel_Save_errors: Save into a path that is a file fails, and a
// failing Close in the atomic write path reaches the caller and leaves
// nothing behind.
func TestModel_Save_errors(t *testing.T) {
	t.Parallel()
	m := loadTiny(t, "tiny-a")
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	assert.Error(t, m.Save(file))

	dir := t.TempDir()
	path := filepath.Join(dir, "vocab.txt")
	errClose := errors.New("close failed")
	err := atomicfile.WriteWith(path, func(dir, pattern string) (atomicfile.File, error) {
		f, err := os.CreateTemp(dir, pattern)
		return closeFails{f, errClose}, err
	}, func(w io.Writer) error {
		_, err := io.WriteString(w, "[PAD]\n")
		return err
	})
	require.ErrorIs(t, err, errClose)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "the temporary file is removed")
}

// closeFails is a file whose Close closes it and then reports err.
type closeFails struct {
	*os.File
	err error
}

func (c closeFails) Close() error { return errors.Join(c.File.Close(), c.err) }
