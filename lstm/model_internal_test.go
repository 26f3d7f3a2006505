package lstm

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

var internalCorpus = []hatetweet.Example{
	{Text: "my cat purrs", Label: 0}, {Text: "the dog barks", Label: 1},
	{Text: "rain all day", Label: 2}, {Text: "cat and dog", Label: 0},
	{Text: "sunny day again", Label: 2}, {Text: "dog in the park", Label: 1},
}

func internalModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	var toks [][]string
	for _, ex := range internalCorpus {
		toks = append(toks, strings.Fields(ex.Text))
	}
	v, err := tokenize.BuildVocab(toks, 1, 0)
	require.NoError(t, err)
	m, err := New(cfg, v, hatetweet.DavidsonLabels())
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, m.Close()) })
	return m
}

// TestModel_determinism trains two models with the same seed on the same
// batches (dropout on) and checks that every weight is bit-identical; a
// third model with another seed differs.
func TestModel_determinism(t *testing.T) {
	t.Parallel()
	cfg := Config{EmbeddingDim: 4, Hidden: 4, Layers: 2, Seed: 42, Cleaner: textclean.PresetTweet, Dropout: 0.5}
	train := func(cfg Config) *Model {
		m := internalModel(t, cfg)
		for i := range 4 {
			_, err := m.TrainStep(t.Context(), internalCorpus[i%2*3:i%2*3+3])
			require.NoError(t, err)
		}
		return m
	}
	a, b := train(cfg), train(cfg)
	for i, p := range a.params {
		assert.Equal(t, p.Data, b.params[i].Data, "%s is bit-identical", p.Name)
	}
	cfg.Seed = 43
	c := train(cfg)
	assert.NotEqual(t, a.params[0].Data, c.params[0].Data, "another seed gives other weights")
}

// TestModel_recoversMathPanics injects broken internal state and checks
// that the exported entry points return errors wrapping ErrMath instead of
// panicking, and that the model works again once the state is repaired.
func TestModel_recoversMathPanics(t *testing.T) {
	t.Parallel()
	m := internalModel(t, Config{EmbeddingDim: 4, Hidden: 4})

	// An embedding table shorter than its shape: building the graph's
	// tensor panics.
	good := m.emb.Data
	m.emb.Data = good[:3]
	_, err := m.Predict("cat")
	assert.ErrorIs(t, err, ErrMath)
	_, err = m.TrainStep(t.Context(), internalCorpus)
	assert.ErrorIs(t, err, ErrMath)
	m.emb.Data = good

	// A vocabulary larger than the embedding table: the embedding kernel
	// fails inside gorgonia's run.
	big, err := tokenize.BuildVocab([][]string{strings.Fields(strings.Repeat("a b c d e f g h i j k l m n o p ", 2) + " cat")}, 1, 0)
	require.NoError(t, err)
	small := m.vocab
	m.vocab = big
	_, err = m.PredictBatch(t.Context(), []string{"p o n cat"})
	assert.ErrorIs(t, err, ErrMath)
	m.vocab = small

	p, err := m.Predict("cat")
	require.NoError(t, err)
	assert.Len(t, p.Probs, 3)
}

// failingFile is a file whose Close fails.
type failingFile struct {
	f       *os.File
	failure error
}

func (w *failingFile) Write(b []byte) (int, error) { return w.f.Write(b) }
func (w *failingFile) Close() error                { return errors.Join(w.f.Close(), w.failure) }

func TestModel_Save_failingClose(t *testing.T) {
	t.Parallel()
	m := internalModel(t, Config{EmbeddingDim: 4, Hidden: 4})
	boom := errors.New("disk full on close")
	for _, failing := range []string{configFile, vocabFile, weightsFile} {
		t.Run(failing, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dir := filepath.Join(parent, "model")
			create := func(path string) (io.WriteCloser, error) {
				f, err := createFile(path)
				if err != nil || filepath.Base(path) != failing {
					return f, err
				}
				return &failingFile{f: f.(*os.File), failure: boom}, nil
			}
			err := m.save(dir, create)
			require.ErrorIs(t, err, boom)
			assert.ErrorContains(t, err, failing)
			entries, err := os.ReadDir(parent)
			require.NoError(t, err)
			assert.Empty(t, entries, "neither the model nor a temp dir is left")
		})
	}
}

// TestModel_TrainStep_freshGradients checks that each step's gradients are
// its own: the same batch twice (with a learning rate too small to move
// the weights) gives the same gradients, not their running sum.
func TestModel_TrainStep_freshGradients(t *testing.T) {
	t.Parallel()
	m := internalModel(t, Config{EmbeddingDim: 4, Hidden: 4, Dropout: -1, LearningRate: 1e-12})
	var grads [][]float32
	for range 3 {
		_, err := m.TrainStep(t.Context(), internalCorpus)
		require.NoError(t, err)
		grads = append(grads, append([]float32(nil), m.emb.Grad...))
	}
	require.NotEqual(t, make([]float32, len(grads[0])), grads[0])
	assert.InDeltaSlice(t, grads[0], grads[1], 1e-6)
	assert.InDeltaSlice(t, grads[0], grads[2], 1e-6)
}
