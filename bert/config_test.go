package bert

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
)

// ckptValidConfig is a small valid config (the sizes of testdata/tiny-a).
func ckptValidConfig() Config {
	return Config{
		VocabSize: 92, HiddenSize: 8, NumHiddenLayers: 2, NumAttentionHeads: 2, IntermediateSize: 16,
		MaxPositionEmbeddings: 32, HiddenDropoutProb: 0.1, AttentionProbsDropoutProb: 0.1,
		ID2Label: map[int]string{0: "hate", 1: "offensive", 2: "neither"},
	}
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	half := 0.5
	one := 1.0
	tests := []struct {
		name   string
		reason string
		edit   func(c *Config)
		want   []string // substrings of the error; empty means valid
	}{
		{"valid", "tiny-a sizes", func(c *Config) {}, nil},
		{"defaults", "zero act, eps, type vocab and position type take HF defaults", func(c *Config) {
			c.HiddenAct, c.LayerNormEps, c.TypeVocabSize, c.PositionEmbeddingType = "", 0, 0, ""
		}, nil},
		{"no labels", "a config may name no labels (HF assumes two)", func(c *Config) { c.ID2Label = nil }, nil},
		{"classifier dropout", "an explicit classifier dropout in range", func(c *Config) { c.ClassifierDropout = &half }, nil},
		{"hf metadata", "architectures and model_type of a BERT", func(c *Config) {
			c.Architectures, c.ModelType = []string{"BertForSequenceClassification"}, "bert"
		}, nil},
		{"zero sizes", "every size is required and all are reported at once", func(c *Config) {
			c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize, c.MaxPositionEmbeddings = 0, 0, 0, 0, 0, 0
		}, []string{"vocab_size is 0", "hidden_size is 0", "num_hidden_layers is 0", "num_attention_heads is 0",
			"intermediate_size is 0", "max_position_embeddings is 0"}},
		{"huge vocab", "absurd sizes are rejected before anything is allocated", func(c *Config) { c.VocabSize = 1 << 40 },
			[]string{"vocab_size is 1099511627776"}},
		{"heads", "hidden must split evenly into heads", func(c *Config) { c.NumAttentionHeads = 3 },
			[]string{"not a multiple of num_attention_heads 3"}},
		{"one position", "STYLE: 2 <= seqLen <= max_position_embeddings", func(c *Config) { c.MaxPositionEmbeddings = 1 },
			[]string{"max_position_embeddings is 1"}},
		{"activation", "only exact GELU is implemented", func(c *Config) { c.HiddenAct = "gelu_new" },
			[]string{`hidden_act "gelu_new" is not supported`}},
		{"relu", "only exact GELU is implemented", func(c *Config) { c.HiddenAct = "relu" }, []string{`"relu"`}},
		{"dropout", "probabilities are in [0, 1)", func(c *Config) {
			c.HiddenDropoutProb, c.AttentionProbsDropoutProb, c.ClassifierDropout = -0.1, 1, &one
		}, []string{"hidden_dropout_prob is -0.1", "attention_probs_dropout_prob is 1", "classifier_dropout is 1"}},
		{"eps", "layer_norm_eps must be positive", func(c *Config) { c.LayerNormEps = -1 }, []string{"layer_norm_eps is -1"}},
		{"pad", "the pad id must be a row of the embeddings", func(c *Config) { c.PadTokenID = 92 },
			[]string{"pad_token_id 92 is outside"}},
		{"position type", "relative position embeddings are not implemented", func(c *Config) {
			c.PositionEmbeddingType = "relative_key"
		}, []string{`position_embedding_type "relative_key"`}},
		{"problem type", "multi-label is not implemented", func(c *Config) { c.ProblemType = "multi_label_classification" },
			[]string{`problem_type "multi_label_classification"`}},
		{"model type", "a RoBERTa config is not a BERT", func(c *Config) { c.ModelType = "roberta" },
			[]string{`model_type is "roberta"`}},
		{"architecture", "a RoBERTa class is not a BERT", func(c *Config) { c.Architectures = []string{"RobertaModel"} },
			[]string{`architecture "RobertaModel"`}},
		{"label gap", "id2label indices are 0..n-1", func(c *Config) { c.ID2Label = map[int]string{0: "a", 2: "b"} },
			[]string{"no index 1"}},
		{"one label", "a classifier needs two classes", func(c *Config) { c.ID2Label = map[int]string{0: "a"} },
			[]string{"at least 2 labels"}},
		{"duplicate label", "names are unique", func(c *Config) { c.ID2Label = map[int]string{0: "a", 1: "a"} },
			[]string{`"a" appears twice`}},
		{"label2id", "label2id must invert id2label", func(c *Config) {
			c.Label2ID = map[string]int{"hate": 0, "offensive": 2, "neither": 1}
		}, []string{`label2id["offensive"] is not 1`}},
		{"label2id only", "label2id without id2label is ambiguous", func(c *Config) {
			c.ID2Label, c.Label2ID = nil, map[string]int{"a": 0}
		}, []string{"label2id is set but id2label is empty"}},
		{"future format", "unknown format versions are rejected", func(c *Config) { c.FormatVersion = 2 },
			[]string{"format_version 2 is not supported"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := ckptValidConfig()
			tc.edit(&c)
			before, err := json.Marshal(c)
			require.NoError(t, err)
			err = c.Validate()
			after, _ := json.Marshal(c)
			assert.JSONEq(t, string(before), string(after), "Validate must not change its receiver")
			if len(tc.want) == 0 {
				require.NoError(t, err, tc.reason)
				return
			}
			require.Error(t, err, tc.reason)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w, tc.reason)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				assert.True(t, strings.HasPrefix(line, "bert: "), "error %q lacks the package prefix", line)
			}
		})
	}
}

func TestConfig_Labels(t *testing.T) {
	t.Parallel()
	ls, err := ckptValidConfig().Labels()
	require.NoError(t, err)
	assert.Equal(t, hatetweet.DavidsonLabels(), ls)

	c := ckptValidConfig()
	c.ID2Label = nil
	ls, err = c.Labels()
	require.NoError(t, err)
	assert.Nil(t, ls, "no id2label: no labels")
	assert.Equal(t, 2, c.numLabels(), "HF assumes two labels without id2label")
	assert.Equal(t, 3, ckptValidConfig().numLabels())
}

func TestReadConfig_fixtures(t *testing.T) {
	t.Parallel()
	// Values from bert/testdata/gen_fixtures.py (gen_tiny_a, gen_tiny_c).
	a, err := readConfig("testdata/tiny-a/config.json")
	require.NoError(t, err)
	assert.Equal(t, 92, a.VocabSize)
	assert.Equal(t, 8, a.HiddenSize)
	assert.Equal(t, 2, a.NumHiddenLayers)
	assert.Equal(t, 2, a.NumAttentionHeads)
	assert.Equal(t, 16, a.IntermediateSize)
	assert.Equal(t, 32, a.MaxPositionEmbeddings)
	assert.Equal(t, 2, a.TypeVocabSize)
	assert.Equal(t, 1e-12, a.LayerNormEps)
	assert.Equal(t, GELU, a.HiddenAct)
	assert.Nil(t, a.ClassifierDropout, "JSON null")
	assert.Equal(t, []string{"BertForSequenceClassification"}, a.Architectures)
	assert.Zero(t, a.FormatVersion, "a plain HF checkpoint")
	ls, err := a.Labels()
	require.NoError(t, err)
	assert.Equal(t, hatetweet.DavidsonLabels(), ls)

	b, err := readConfig("testdata/tiny-b/config.json")
	require.NoError(t, err)
	assert.Equal(t, 1e-5, b.LayerNormEps)
	assert.Equal(t, 95, b.VocabSize, "vocab.txt has 92 tokens, the embeddings 3 more rows")

	c, err := readConfig("testdata/tiny-c/config.json")
	require.NoError(t, err)
	assert.Empty(t, c.ID2Label)
	assert.Equal(t, []string{"BertForPreTraining"}, c.Architectures)
}

func TestReadConfig_bad(t *testing.T) {
	t.Parallel()
	valid, err := os.ReadFile("testdata/tiny-a/config.json")
	require.NoError(t, err)
	edit := func(key string, value any) string {
		var m map[string]any
		require.NoError(t, json.Unmarshal(valid, &m))
		if value == nil {
			delete(m, key)
		} else {
			m[key] = value
		}
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return string(b)
	}
	tests := []struct {
		name   string
		reason string
		json   string
		want   string
	}{
		{"not json", "syntax errors", `{"vocab_size": `, "unexpected end of JSON"},
		{"wrong type", "sizes are integers", edit("vocab_size", "92"), "cannot unmarshal string"},
		{"fractional size", "sizes are integers", edit("hidden_size", 8.5), "cannot unmarshal number 8.5"},
		{"missing size", "sizes are required", edit("hidden_size", nil), "hidden_size is 0"},
		{"gelu_new", "unsupported activation", edit("hidden_act", "gelu_new"), `hidden_act "gelu_new"`},
		{"label key", "id2label keys are integers", edit("id2label", map[string]string{"zero": "a", "1": "b"}), "id2label"},
		{"format", "a newer checkpoint format", edit("format_version", 7), "format_version 7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "config.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.json), 0o600))
			_, err := readConfig(path)
			require.ErrorIs(t, err, ErrBadCheckpoint, tc.reason)
			assert.Contains(t, err.Error(), tc.want, tc.reason)
		})
	}

	_, err = readConfig(filepath.Join(t.TempDir(), "config.json"))
	require.ErrorIs(t, err, ErrBadCheckpoint)
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestWriteConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := ckptValidConfig()
	in.Cleaner = "tweet"
	in.Label2ID = nil
	path := filepath.Join(dir, "config.json")
	require.NoError(t, writeConfig(path, in))
	assert.Nil(t, in.Label2ID, "the caller's Config is not changed")
	assert.Empty(t, in.Architectures)

	out, err := readConfig(path)
	require.NoError(t, err)
	assert.Equal(t, []string{"BertForSequenceClassification"}, out.Architectures)
	assert.Equal(t, "bert", out.ModelType)
	assert.Equal(t, formatVersion, out.FormatVersion)
	assert.Equal(t, "tweet", out.Cleaner)
	assert.Equal(t, map[string]int{"hate": 0, "offensive": 1, "neither": 2}, out.Label2ID)
	assert.Equal(t, in.ID2Label, out.ID2Label)
	assert.Equal(t, in.VocabSize, out.VocabSize)
	assert.Equal(t, 1e-12, out.LayerNormEps, "defaults are written explicitly")

	var raw map[string]any
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &raw))
	assert.Equal(t, map[string]any{"0": "hate", "1": "offensive", "2": "neither"}, raw["id2label"], "HF's string keys")
	assert.Equal(t, "gelu", raw["hidden_act"])
	assert.Contains(t, raw, "classifier_dropout", "written as null, as HF does")

	noLabels := ckptValidConfig()
	noLabels.ID2Label = nil
	err = writeConfig(filepath.Join(dir, "x.json"), noLabels)
	require.ErrorContains(t, err, "no labels to save")
	bad := ckptValidConfig()
	bad.HiddenAct = "relu"
	require.Error(t, writeConfig(filepath.Join(dir, "y.json"), bad))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "failed writes leave no files")
}
