package bert

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet/internal/safetensors"
)

// ckptFixture is testdata/<name>/expected.json, written by
// testdata/gen_fixtures.py (see testdata/SOURCE): batches of ids with the
// PyTorch reference's logits and pooler outputs, and spot values of a few
// tensors as PyTorch read them.
type ckptFixture struct {
	Source    string `json:"source"`
	Tolerance struct {
		Logits float64 `json:"logits"`
		Pooled float64 `json:"pooled"`
	} `json:"tolerance"`
	Batches []struct {
		Name          string      `json:"name"`
		InputIDs      [][]int     `json:"input_ids"`
		TokenTypeIDs  [][]int     `json:"token_type_ids"`
		AttentionMask [][]int     `json:"attention_mask"`
		Logits        [][]float64 `json:"logits"`
		Pooled        [][]float64 `json:"pooled"`
	} `json:"batches"`
	SpotValues map[string]struct {
		StoredAs string    `json:"stored_as"`
		Shape    []int     `json:"shape"`
		First    []float64 `json:"first"`
	} `json:"spot_values"`
}

func ckptLoadFixture(t *testing.T, name string) ckptFixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name, "expected.json"))
	require.NoError(t, err)
	var f ckptFixture
	require.NoError(t, json.Unmarshal(b, &f))
	require.NotEmpty(t, f.Batches)
	require.Positive(t, f.Tolerance.Pooled)
	return f
}

// ckptCopyDir copies a fixture directory into a temporary one that a test
// may modify.
func ckptCopyDir(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(filepath.Join("testdata", name))
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", name, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600))
	}
	return dst
}

// ckptCountLines counts the tokens of a vocab.txt.
func ckptCountLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer func() { require.NoError(t, f.Close()) }()
	n := 0
	for s := bufio.NewScanner(f); s.Scan(); {
		n++
	}
	return n
}

func TestReadWeights_fixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reason  string
		hasHead bool
	}{
		{"tiny-a", "model.safetensors, F32, bert. prefix", true},
		{"tiny-b", "pytorch_model.bin, BF16, no prefix, gamma/beta, position_ids and cls.* to ignore", true},
		{"tiny-c", "F16 safetensors of a pre-training checkpoint without classifier", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", tc.name)
			cfg, err := readConfig(filepath.Join(dir, "config.json"))
			require.NoError(t, err)
			w, err := readWeights(dir, cfg)
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.hasHead, w.HasHead, tc.reason)
			require.Len(t, w.Layers, cfg.NumHiddenLayers)
			for _, p := range w.params(cfg) {
				if p.isHead() && !tc.hasHead {
					assert.Empty(t, p.T.Data, p.Name)
					continue
				}
				assert.Equal(t, p.Shape, p.T.Shape, p.Name)
				assert.Len(t, p.T.Data, ckptNumel(p.Shape), p.Name)
			}
			fx := ckptLoadFixture(t, tc.name)
			require.NotEmpty(t, fx.SpotValues)
			byName := map[string]*ckptTensor{}
			for _, p := range w.params(cfg) {
				byName[p.Name] = p.T
			}
			for name, spot := range fx.SpotValues {
				got, ok := byName[name]
				require.True(t, ok, name)
				assert.Equal(t, spot.Shape, got.Shape, name)
				for i, v := range spot.First { // spot tolerance 0: the same float32 conversion
					assert.Equal(t, float32(v), got.Data[i], "%s[%d] (stored as %s)", name, i, spot.StoredAs)
				}
			}
			assert.NoError(t, checkVocabSize(ckptCountLines(t, filepath.Join(dir, "vocab.txt")), cfg))
		})
	}
}

func TestCanonicalName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason, in, want string
		keep                   bool
	}{
		{"prefixed", "BertForSequenceClassification names are canonical", "bert.pooler.dense.weight", "bert.pooler.dense.weight", true},
		{"bare", "BertModel saves without prefix", "encoder.layer.3.output.dense.bias", "bert.encoder.layer.3.output.dense.bias", true},
		{"gamma", "legacy TF-converted LayerNorm names", "bert.embeddings.LayerNorm.gamma", "bert.embeddings.LayerNorm.weight", true},
		{"beta bare", "legacy name without prefix", "encoder.layer.0.attention.output.LayerNorm.beta",
			"bert.encoder.layer.0.attention.output.LayerNorm.bias", true},
		{"classifier", "the head has no prefix", "classifier.bias", "classifier.bias", true},
		{"position ids", "a buffer, not a parameter", "bert.embeddings.position_ids", "", false},
		{"position ids bare", "a buffer, not a parameter", "embeddings.position_ids", "", false},
		{"token type ids", "a buffer in newer HF versions", "bert.embeddings.token_type_ids", "", false},
		{"mlm head", "the MLM head is not used", "cls.predictions.transform.dense.weight", "", false},
		{"nsp head", "the NSP head is not used", "cls.seq_relationship.bias", "", false},
		{"gamma elsewhere", "only LayerNorm.gamma is legacy", "bert.foo.gamma", "bert.foo.gamma", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, keep := canonicalName(tc.in)
			assert.Equal(t, tc.keep, keep, tc.reason)
			assert.Equal(t, tc.want, got, tc.reason)
		})
	}
}

func TestParam_decayed(t *testing.T) {
	t.Parallel()
	cfg := ckptValidConfig()
	w := newCkptWeights(cfg)
	var noDecay []string
	for _, p := range w.params(cfg) {
		if !p.decayed() {
			noDecay = append(noDecay, p.Name)
		}
	}
	// HF's recipe (testdata/tiny-a-train/train.json "no_decay"): biases and
	// LayerNorm weights: the embedding LayerNorm's 2, per layer 8 biases
	// (q, k, v, attention output, its LayerNorm, intermediate, output, its
	// LayerNorm) and 2 LayerNorm weights, the pooler and classifier biases.
	assert.Len(t, noDecay, 2+cfg.NumHiddenLayers*10+2)
	for _, n := range noDecay {
		assert.True(t, strings.HasSuffix(n, ".bias") || strings.HasSuffix(n, "LayerNorm.weight"), n)
	}
	assert.Len(t, w.params(cfg), 5+16*cfg.NumHiddenLayers+4, "every parameter of BertForSequenceClassification")
}

// ckptWriteRaw writes a safetensors file with arbitrary dtypes: entries are
// name -> (dtype, shape, raw bytes), packed in the given order.
func ckptWriteRaw(t *testing.T, path string, names []string, dtypes []string, shapes [][]int, data [][]byte) {
	t.Helper()
	hdr := map[string]any{}
	var off int
	var body []byte
	for i, n := range names {
		hdr[n] = map[string]any{"dtype": dtypes[i], "shape": shapes[i], "data_offsets": []int{off, off + len(data[i])}}
		off += len(data[i])
		body = append(body, data[i]...)
	}
	h, err := json.Marshal(hdr)
	require.NoError(t, err)
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	out = append(append(out, h...), body...)
	require.NoError(t, os.WriteFile(path, out, 0o600))
}

// ckptTensors reads tiny-a's tensors as safetensors.Tensor values, to be
// edited and written back by tests.
func ckptTensors(t *testing.T) []safetensors.Tensor {
	t.Helper()
	f, err := safetensors.ReadFile("testdata/tiny-a/model.safetensors")
	require.NoError(t, err)
	var ts []safetensors.Tensor
	for _, n := range f.Names() {
		d, shape, err := f.Float32(n)
		require.NoError(t, err)
		ts = append(ts, safetensors.Tensor{Name: n, Shape: shape, Data: d})
	}
	return ts
}

func TestReadWeights_bad(t *testing.T) {
	t.Parallel()
	tinyA, err := readConfig("testdata/tiny-a/config.json")
	require.NoError(t, err)
	editTensors := func(edit func([]safetensors.Tensor) []safetensors.Tensor) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			require.NoError(t, safetensors.WriteFile(filepath.Join(dir, ckptSafetensorsFile), edit(ckptTensors(t)), nil))
		}
	}
	drop := func(name string) func([]safetensors.Tensor) []safetensors.Tensor {
		return func(ts []safetensors.Tensor) []safetensors.Tensor {
			out := ts[:0]
			for _, x := range ts {
				if x.Name != name {
					out = append(out, x)
				}
			}
			return out
		}
	}
	tests := []struct {
		name   string
		reason string
		cfg    func(Config) Config
		setup  func(t *testing.T, dir string)
		want   []string
		notExi bool
	}{
		{"vocab size", "config.json vocab_size disagrees with the embeddings",
			func(c Config) Config { c.VocabSize = 100; return c }, nil,
			[]string{"the word embeddings have 92 rows, vocab_size is 100"}, false},
		{"hidden size", "every shape is checked and all mismatches reported",
			func(c Config) Config { c.HiddenSize, c.NumAttentionHeads = 12, 3; return c }, nil,
			[]string{`"bert.embeddings.LayerNorm.weight" has shape [8], config.json implies [12]`,
				`"bert.pooler.dense.weight" has shape [8 8], config.json implies [12 12]`}, false},
		{"labels", "a head of 3 labels for a config of 2",
			func(c Config) Config { c.ID2Label, c.Label2ID = map[int]string{0: "a", 1: "b"}, nil; return c }, nil,
			[]string{"the head has 3 labels, the config 2"}, false},
		{"layers", "a 3-layer config on a 2-layer checkpoint misses tensors",
			func(c Config) Config { c.NumHiddenLayers = 3; return c }, nil,
			[]string{"missing tensors: bert.encoder.layer.2.attention.self.query.weight"}, false},
		{"fewer layers", "a 1-layer config finds unexpected layer-1 tensors",
			func(c Config) Config { c.NumHiddenLayers = 1; return c }, nil,
			[]string{"unexpected tensors for a 1-layer BERT: bert.encoder.layer.1."}, false},
		{"invalid config", "the config is validated first",
			func(c Config) Config { c.HiddenAct = "relu"; return c }, nil, []string{`hidden_act "relu"`}, false},
		{"no weights", "an empty directory", nil,
			func(t *testing.T, dir string) { require.NoError(t, os.Remove(filepath.Join(dir, ckptSafetensorsFile))) },
			[]string{"has neither model.safetensors nor pytorch_model.bin"}, true},
		{"sharded", "sharded checkpoints get a clear message", nil,
			func(t *testing.T, dir string) {
				require.NoError(t, os.Rename(filepath.Join(dir, ckptSafetensorsFile), filepath.Join(dir, "model-00001-of-00002.safetensors")))
				require.NoError(t, os.WriteFile(filepath.Join(dir, "model.safetensors.index.json"), []byte("{}"), 0o600))
			}, []string{"sharded checkpoints"}, false},
		{"truncated", "a safetensors file cut short", nil,
			func(t *testing.T, dir string) {
				p := filepath.Join(dir, ckptSafetensorsFile)
				b, err := os.ReadFile(p)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(p, b[:len(b)-10], 0o600))
			}, []string{"safetensors: bad format"}, false},
		{"header past file", "a header length larger than the file", nil,
			func(t *testing.T, dir string) {
				p := filepath.Join(dir, ckptSafetensorsFile)
				require.NoError(t, os.WriteFile(p, binary.LittleEndian.AppendUint64(nil, 1<<20), 0o600))
			}, []string{"exceeds the 0 bytes after it"}, false},
		{"missing tensor", "a required parameter is absent", nil,
			editTensors(drop("bert.pooler.dense.bias")), []string{"missing tensors: bert.pooler.dense.bias"}, false},
		{"half head", "a head needs weight and bias", nil,
			editTensors(drop("classifier.bias")), []string{"only one of classifier.weight and classifier.bias"}, false},
		{"unknown tensor", "unexpected names are errors, not silently ignored", nil,
			editTensors(func(ts []safetensors.Tensor) []safetensors.Tensor {
				return append(ts, safetensors.Tensor{Name: "roberta.embeddings.x", Shape: []int{1}, Data: []float32{1}})
			}), []string{"unexpected tensors", "roberta.embeddings.x"}, false},
		{"duplicate", "a name with and without prefix is ambiguous", nil,
			editTensors(func(ts []safetensors.Tensor) []safetensors.Tensor {
				return append(ts, safetensors.Tensor{Name: "pooler.dense.bias", Shape: []int{8}, Data: make([]float32, 8)})
			}), []string{`"bert.pooler.dense.bias" and "pooler.dense.bias" are both`}, false},
		{"gamma and weight", "legacy and new names for the same LayerNorm", nil,
			editTensors(func(ts []safetensors.Tensor) []safetensors.Tensor {
				return append(ts, safetensors.Tensor{Name: "bert.embeddings.LayerNorm.gamma", Shape: []int{8}, Data: make([]float32, 8)})
			}), []string{"are both \"bert.embeddings.LayerNorm.weight\""}, false},
		{"nan", "non-finite weights are rejected", nil,
			editTensors(func(ts []safetensors.Tensor) []safetensors.Tensor {
				for i := range ts {
					if ts[i].Name == "bert.pooler.dense.weight" {
						ts[i].Data[3] = float32(math.NaN())
					}
				}
				return ts
			}), []string{`"bert.pooler.dense.weight" has non-finite values`}, false},
		{"int dtype", "integer weights do not convert", nil,
			func(t *testing.T, dir string) {
				ts := ckptTensors(t)
				var names, dtypes []string
				var shapes [][]int
				var data [][]byte
				for _, x := range ts {
					names = append(names, x.Name)
					shapes = append(shapes, x.Shape)
					if x.Name == "bert.pooler.dense.bias" {
						dtypes = append(dtypes, "I32")
						data = append(data, make([]byte, 4*len(x.Data)))
						continue
					}
					dtypes = append(dtypes, "F32")
					b := make([]byte, 0, 4*len(x.Data))
					for _, v := range x.Data {
						b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
					}
					data = append(data, b)
				}
				ckptWriteRaw(t, filepath.Join(dir, ckptSafetensorsFile), names, dtypes, shapes, data)
			}, []string{"dtype does not convert to float32"}, false},
		{"unknown dtype", "dtypes outside the spec", nil,
			func(t *testing.T, dir string) {
				ckptWriteRaw(t, filepath.Join(dir, ckptSafetensorsFile), []string{"a"}, []string{"Q8"}, [][]int{{1}}, [][]byte{{1}})
			}, []string{`unknown dtype "Q8"`}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := ckptCopyDir(t, "tiny-a")
			cfg := tinyA
			if tc.cfg != nil {
				cfg = tc.cfg(cfg)
			}
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			w, err := readWeights(dir, cfg)
			require.ErrorIs(t, err, ErrBadCheckpoint, tc.reason)
			assert.Nil(t, w)
			for _, s := range tc.want {
				assert.Contains(t, err.Error(), s, tc.reason)
			}
			if tc.notExi {
				assert.ErrorIs(t, err, fs.ErrNotExist)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "bert: "), err.Error())
		})
	}
}

func TestCheckVocabSize(t *testing.T) {
	t.Parallel()
	cfg := ckptValidConfig() // vocab_size 92
	tests := []struct {
		name, reason string
		n            int
		ok           bool
	}{
		{"equal", "one row per token", 92, true},
		{"padded embeddings", "HF pads embeddings beyond the vocabulary", 90, true},
		{"too many tokens", "ids past the embeddings would have no row", 93, false},
		{"empty", "no tokens", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := checkVocabSize(tc.n, cfg)
			if tc.ok {
				assert.NoError(t, err, tc.reason)
				return
			}
			assert.ErrorIs(t, err, ErrBadCheckpoint, tc.reason)
		})
	}
}

func TestWriteWeights_roundTrip(t *testing.T) {
	t.Parallel()
	// tiny-b comes from a BF16 pickle without prefix; written back it must
	// be an F32 safetensors file under BertForSequenceClassification names
	// that reads back to the same values.
	cfg, err := readConfig("testdata/tiny-b/config.json")
	require.NoError(t, err)
	w, err := readWeights("testdata/tiny-b", cfg)
	require.NoError(t, err)

	dir := t.TempDir()
	require.NoError(t, writeWeights(filepath.Join(dir, ckptSafetensorsFile), w, cfg))
	f, err := safetensors.ReadFile(filepath.Join(dir, ckptSafetensorsFile))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"format": "pt"}, f.Metadata())
	var want []string
	for _, p := range w.params(cfg) {
		want = append(want, p.Name)
		info, ok := f.Info(p.Name)
		require.True(t, ok, p.Name)
		assert.Equal(t, safetensors.F32, info.DType)
	}
	assert.ElementsMatch(t, want, f.Names())

	again, err := readWeights(dir, cfg)
	require.NoError(t, err)
	assert.Equal(t, w, again)

	headless := *w
	headless.HasHead = false
	require.ErrorContains(t, writeWeights(filepath.Join(dir, "x.safetensors"), &headless, cfg), "no classifier head")
	broken := *w
	broken.Pooler = ckptTensor{Shape: []int{1}, Data: []float32{1}}
	require.ErrorContains(t, writeWeights(filepath.Join(dir, "y.safetensors"), &broken, cfg), "bert.pooler.dense.weight has shape [1]")
	_, err = os.Stat(filepath.Join(dir, "y.safetensors"))
	assert.ErrorIs(t, err, fs.ErrNotExist, "nothing is written for invalid weights")
}
