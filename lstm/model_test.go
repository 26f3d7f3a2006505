package lstm_test

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/classifiertest"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// corpus is a tiny training set: label 0 texts talk about cats, label 1
// about dogs, label 2 about the weather.
var corpus = []hatetweet.Example{
	{Text: "I love my cat so much", Label: 0},
	{Text: "cats are the best, my cat purrs", Label: 0},
	{Text: "the cat sleeps all day #cat", Label: 0},
	{Text: "my kitten and my cat play", Label: 0},
	{Text: "dogs bark at night, my dog too", Label: 1},
	{Text: "walking the dog in the park", Label: 1},
	{Text: "my dog fetches the ball", Label: 1},
	{Text: "puppy and dog love the park", Label: 1},
	{Text: "rain again today, so much rain", Label: 2},
	{Text: "sunny weather and a warm day", Label: 2},
	{Text: "the weather is cold and windy", Label: 2},
	{Text: "storm and rain all day", Label: 2},
}

// tinyConfig is the LSTM test size of STYLE.md §8: sizes of 4.
func tinyConfig() lstm.Config {
	return lstm.Config{EmbeddingDim: 4, Hidden: 4, Seed: 7, Cleaner: textclean.PresetTweet}
}

func tinyVocab(t testing.TB) *tokenize.Vocab {
	t.Helper()
	var toks [][]string
	for _, ex := range corpus {
		toks = append(toks, strings.Fields(textclean.Tweet{}.Clean(ex.Text)))
	}
	v, err := tokenize.BuildVocab(toks, 1, 0)
	require.NoError(t, err)
	return v
}

func tinyModel(t testing.TB, cfg lstm.Config, opts ...lstm.Option) *lstm.Model {
	t.Helper()
	m, err := lstm.New(cfg, tinyVocab(t), hatetweet.DavidsonLabels(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, m.Close()) })
	return m
}

func TestModel_conformance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		reason string
		cfg    func(lstm.Config) lstm.Config
	}{
		{"bidirectional", "the reference architecture", func(c lstm.Config) lstm.Config { return c }},
		{"forward_2layer", "a stacked forward-only LSTM", func(c lstm.Config) lstm.Config {
			c.Direction, c.Layers = lstm.Forward, 2
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			classifiertest.Run(t, func(t *testing.T) hatetweet.Classifier {
				return tinyModel(t, tc.cfg(tinyConfig()), lstm.WithPoolSize(3))
			}, hatetweet.DavidsonLabels())
		})
	}
}

func TestNew_invalid(t *testing.T) {
	t.Parallel()
	v := tinyVocab(t)
	ls := hatetweet.DavidsonLabels()
	tests := []struct {
		name   string
		reason string
		cfg    lstm.Config
		v      *tokenize.Vocab
		ls     hatetweet.Labels
		opts   []lstm.Option
		want   []string
	}{
		{"nil_vocab", "a vocabulary is required", tinyConfig(), nil, ls, nil, []string{"nil vocabulary"}},
		{"one_label", "a classifier needs two labels", tinyConfig(), v, hatetweet.Labels{"x"}, nil, []string{"at least 2 labels"}},
		{"class_weights", "one weight per label", func() lstm.Config { c := tinyConfig(); c.ClassWeights = []float32{1, 2}; return c }(),
			v, ls, nil, []string{"2 class weights for 3 labels"}},
		{"every_problem", "Validate reports all problems at once", lstm.Config{Hidden: -1, Dropout: 1, MaxLen: -3}, v, ls, nil,
			[]string{"hidden size -1", "dropout 1", "max len -3"}},
		{"nil_cleaner", "WithCleaner(nil) cannot apply", tinyConfig(), v, ls, []lstm.Option{lstm.WithCleaner(nil)}, []string{"WithCleaner(nil)"}},
		{"pool_size", "a pool needs a worker", tinyConfig(), v, ls, []lstm.Option{lstm.WithPoolSize(0)}, []string{"pool size 0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := lstm.New(tc.cfg, tc.v, tc.ls, tc.opts...)
			require.Error(t, err, tc.reason)
			assert.Nil(t, m)
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w, tc.reason)
			}
		})
	}
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		cfg    lstm.Config
		want   string // "" for valid
	}{
		{"zero", "zero values mean defaults", lstm.Config{}, ""},
		{"no_dropout", "negative dropout means none", lstm.Config{Dropout: -1}, ""},
		{"dropout_one", "dropout must be below 1", lstm.Config{Dropout: 1}, "dropout 1"},
		{"dropout_nan", "NaN dropout", lstm.Config{Dropout: math.NaN()}, "dropout NaN"},
		{"direction", "unknown direction", lstm.Config{Direction: 5}, "unknown direction 5"},
		{"optimizer", "unknown optimizer", lstm.Config{Optimizer: 9}, "unknown optimizer 9"},
		{"schedule", "unknown schedule", lstm.Config{Schedule: -1}, "unknown schedule -1"},
		{"cleaner", "unknown preset", lstm.Config{Cleaner: 42}, "cleaner"},
		{"lr", "negative learning rate", lstm.Config{LearningRate: -1}, "learning rate -1"},
		{"lr_inf", "infinite learning rate", lstm.Config{LearningRate: math.Inf(1)}, "learning rate +Inf"},
		{"weight_decay", "negative weight decay", lstm.Config{WeightDecay: -0.1}, "weight decay -0.1"},
		{"clip", "negative clip norm", lstm.Config{ClipNorm: -1}, "clip norm -1"},
		{"class_weight", "negative class weight", lstm.Config{ClassWeights: []float32{1, -1}}, "class weight 1 is -1"},
		{"warmup", "negative warm-up", lstm.Config{WarmupSteps: -2}, "warmup steps -2"},
		{"layers", "negative layers", lstm.Config{Layers: -1}, "layers -1"},
		{"embedding", "negative embedding dim", lstm.Config{EmbeddingDim: -4}, "embedding dim -4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.cfg.Validate()
			if tc.want == "" {
				assert.NoError(t, err, tc.reason)
				return
			}
			assert.ErrorContains(t, err, tc.want, tc.reason)
		})
	}
}

func TestModel_Config_defaults(t *testing.T) {
	t.Parallel()
	cfg := lstm.Config{ClassWeights: []float32{1, 2, 3}}
	m, err := lstm.New(cfg, tinyVocab(t), hatetweet.DavidsonLabels())
	require.NoError(t, err)
	defer func() { require.NoError(t, m.Close()) }()
	got := m.Config()
	// The defaults of the reference BiLSTM (shared/anchors/lstm.py).
	assert.Equal(t, 100, got.EmbeddingDim)
	assert.Equal(t, 128, got.Hidden)
	assert.Equal(t, 1, got.Layers)
	assert.Equal(t, lstm.Bidirectional, got.Direction)
	assert.Equal(t, 0.3, got.Dropout)
	assert.Equal(t, 64, got.MaxLen)
	assert.Equal(t, 1e-3, got.LearningRate)
	assert.Equal(t, textclean.PresetTweet, got.Cleaner, "the reference model cleans tweets")
	assert.Equal(t, lstm.Config{ClassWeights: []float32{1, 2, 3}}, cfg, "the caller's struct is unchanged")
	got.ClassWeights[0] = 99
	assert.Equal(t, float32(1), m.Config().ClassWeights[0], "Config returns a copy")
}

func TestModel_TrainStep(t *testing.T) {
	t.Parallel()
	m := tinyModel(t, func() lstm.Config { c := tinyConfig(); c.LearningRate = 0.05; return c }())
	ctx := t.Context()
	first, err := m.TrainStep(ctx, corpus)
	require.NoError(t, err)
	loss := first
	for range 60 {
		loss, err = m.TrainStep(ctx, corpus)
		require.NoError(t, err)
	}
	// 61 full-batch Adam steps at lr 0.05 fit 12 texts: the loss falls well
	// below its start (about ln 3 ≈ 1.1 for random weights).
	assert.Less(t, loss, first/2, "loss %.4f after training, %.4f at the start", loss, first)
	preds, err := m.PredictBatch(ctx, []string{corpus[0].Text, corpus[4].Text, corpus[8].Text})
	require.NoError(t, err)
	assert.Equal(t, []hatetweet.Label{0, 1, 2}, []hatetweet.Label{preds[0].Label, preds[1].Label, preds[2].Label})
}

func TestModel_TrainStep_errors(t *testing.T) {
	t.Parallel()
	m := tinyModel(t, tinyConfig())
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name   string
		reason string
		ctx    context.Context
		batch  []hatetweet.Example
		is     error
		want   string
	}{
		{"empty", "nothing to learn from", t.Context(), nil, nil, "empty batch"},
		{"label_high", "label beyond the labels", t.Context(), []hatetweet.Example{{Text: "a", Label: 3}}, hatetweet.ErrUnknownLabel, "example 0"},
		{"label_negative", "negative label", t.Context(), []hatetweet.Example{{Text: "a", Label: 0}, {Text: "b", Label: -1}}, hatetweet.ErrUnknownLabel, "example 1"},
		{"cancelled", "ctx done on entry", cancelled, corpus, context.Canceled, "train step"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.TrainStep(tc.ctx, tc.batch)
			require.Error(t, err, tc.reason)
			assert.ErrorContains(t, err, tc.want)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
		})
	}
}

func TestModel_linearSchedule(t *testing.T) {
	t.Parallel()
	cfg := tinyConfig()
	cfg.Schedule, cfg.WarmupSteps = lstm.ScheduleLinear, 1
	m := tinyModel(t, cfg)
	_, err := m.TrainStep(t.Context(), corpus)
	assert.ErrorContains(t, err, "needs PlanSteps")
	m.PlanSteps(3)
	before, err := m.PredictBatch(t.Context(), []string{"my cat"})
	require.NoError(t, err)
	// Step 0 of a warm-up has learning rate 0: the weights do not move.
	_, err = m.TrainStep(t.Context(), corpus)
	require.NoError(t, err)
	after, err := m.PredictBatch(t.Context(), []string{"my cat"})
	require.NoError(t, err)
	assert.Equal(t, before[0].Logits, after[0].Logits)
	_, err = m.TrainStep(t.Context(), corpus)
	require.NoError(t, err)
	moved, err := m.PredictBatch(t.Context(), []string{"my cat"})
	require.NoError(t, err)
	assert.NotEqual(t, before[0].Logits, moved[0].Logits)
}

func TestModel_Snapshot(t *testing.T) {
	t.Parallel()
	m := tinyModel(t, tinyConfig())
	texts := []string{"my cat", "rain today"}
	before, err := m.PredictBatch(t.Context(), texts)
	require.NoError(t, err)
	restore, err := m.Snapshot()
	require.NoError(t, err)
	for range 3 {
		_, err := m.TrainStep(t.Context(), corpus)
		require.NoError(t, err)
	}
	trained, err := m.PredictBatch(t.Context(), texts)
	require.NoError(t, err)
	assert.NotEqual(t, before, trained, "training changed the model")
	for range 2 { // restore may be called more than once
		require.NoError(t, restore())
		got, err := m.PredictBatch(t.Context(), texts)
		require.NoError(t, err)
		assert.Equal(t, before, got)
		_, err = m.TrainStep(t.Context(), corpus)
		require.NoError(t, err)
	}
}

// TestModel_trainWhilePredicting runs TrainStep while other goroutines
// predict: the model's lock keeps predictions away from half-updated
// weights (meaningful under -race).
func TestModel_trainWhilePredicting(t *testing.T) {
	t.Parallel()
	m := tinyModel(t, tinyConfig())
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				_, err := m.PredictBatch(t.Context(), []string{"my dog", "cold rain"})
				assert.NoError(t, err)
			}
		})
	}
	for range 5 {
		_, err := m.TrainStep(t.Context(), corpus)
		require.NoError(t, err)
	}
	wg.Wait()
}

func TestModel_Close(t *testing.T) {
	t.Parallel()
	m, err := lstm.New(tinyConfig(), tinyVocab(t), hatetweet.DavidsonLabels())
	require.NoError(t, err)
	_, err = m.Predict("warm up the graphs")
	require.NoError(t, err)
	_, err = m.TrainStep(t.Context(), corpus)
	require.NoError(t, err)
	require.NoError(t, m.Close())
	require.NoError(t, m.Close(), "Close twice")
	_, err = m.Predict("x")
	assert.ErrorIs(t, err, lstm.ErrClosed)
	_, err = m.TrainStep(t.Context(), corpus)
	assert.ErrorIs(t, err, lstm.ErrClosed)
	assert.ErrorIs(t, m.Save(t.TempDir()), lstm.ErrClosed)
	_, err = m.Snapshot()
	assert.ErrorIs(t, err, lstm.ErrClosed)
}

func TestConfig_zeroCleaner(t *testing.T) {
	t.Parallel()
	assert.Equal(t, textclean.PresetTweet, lstm.Config{}.Cleaner, "zero value")
	// The zero Config cleans tweets: "CATS!!!" reads as "cats".
	m := tinyModel(t, lstm.Config{EmbeddingDim: 4, Hidden: 4})
	a, err := m.Predict("CATS!!!")
	require.NoError(t, err)
	b, err := m.Predict("cats")
	require.NoError(t, err)
	assert.Equal(t, b, a)
	// WithCleaner(textclean.Chain()) skips cleaning.
	raw := tinyModel(t, lstm.Config{EmbeddingDim: 4, Hidden: 4}, lstm.WithCleaner(textclean.Chain()))
	a, err = raw.Predict("CATS!!!")
	require.NoError(t, err)
	b, err = raw.Predict("cats")
	require.NoError(t, err)
	assert.NotEqual(t, b.Logits, a.Logits, "without cleaning, CATS!!! is an unknown word")
}

func TestModel_WithCleaner(t *testing.T) {
	t.Parallel()
	upper := textclean.CleanerFunc(func(string) string { return "cat" })
	m := tinyModel(t, tinyConfig(), lstm.WithCleaner(upper))
	a, err := m.Predict("completely different words")
	require.NoError(t, err)
	b, err := m.Predict("cat")
	require.NoError(t, err)
	assert.Equal(t, a, b, "every text cleans to the same word")
}

func TestModel_Labels(t *testing.T) {
	t.Parallel()
	m := tinyModel(t, tinyConfig())
	ls := m.Labels()
	assert.Equal(t, hatetweet.DavidsonLabels(), ls)
	ls[0] = "changed"
	assert.Equal(t, "hate", m.Labels()[0], "Labels returns a copy")
	assert.Equal(t, tinyVocab(t).VocabSize(), m.Vocab().VocabSize())
}
