package bert

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hatetweet/hatetweet/tokenize"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refBatch is one batch of a testdata/*/expected.json file: inputs as
// token ids (from gen_fixtures.py's own tokenizer) and the PyTorch
// reference outputs. SOURCE: bert/testdata/gen_fixtures.py with refbert.py
// (PyTorch 1.13, float32); tolerance 1e-4 as stated in each file.
type refBatch struct {
	Name          string      `json:"name"`
	Texts         [][]string  `json:"texts"`
	InputIDs      [][]int     `json:"input_ids"`
	TokenTypeIDs  [][]int     `json:"token_type_ids"`
	AttentionMask [][]int     `json:"attention_mask"`
	Logits        [][]float64 `json:"logits"`
	Pooled        [][]float64 `json:"pooled"`
	Labels        []int       `json:"labels"`
}

type refExpected struct {
	Source    string `json:"source"`
	Tolerance struct {
		Logits float64 `json:"logits"`
		Pooled float64 `json:"pooled"`
	} `json:"tolerance"`
	Batches []refBatch `json:"batches"`
}

func readExpected(t *testing.T, dir string) refExpected {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", dir, "expected.json"))
	require.NoError(t, err)
	var e refExpected
	require.NoError(t, json.Unmarshal(raw, &e))
	require.NotEmpty(t, e.Batches)
	require.Positive(t, e.Tolerance.Logits)
	return e
}

// toBatch flattens a reference batch into a tokenize.Batch.
func (rb refBatch) toBatch() tokenize.Batch {
	b := tokenize.Batch{Size: len(rb.InputIDs), SeqLen: len(rb.InputIDs[0])}
	for i := range rb.InputIDs {
		b.IDs = append(b.IDs, rb.InputIDs[i]...)
		b.TypeIDs = append(b.TypeIDs, rb.TokenTypeIDs[i]...)
		b.Mask = append(b.Mask, rb.AttentionMask[i]...)
	}
	return b
}

// row returns the rows of a flat [n, c] slice.
func flatten(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func toF64(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// forwardBoth runs b through a fresh inference net and returns the logits
// and the pooler output.
func forwardBoth(t *testing.T, m *Model, b tokenize.Batch) (logits, pooled []float32) {
	t.Helper()
	n, err := buildNet(m.cfg, m.ps, b.Size, b.SeqLen, false)
	require.NoError(t, err)
	defer func() { assert.NoError(t, n.Close()) }()
	require.NoError(t, m.checkBatch(b))
	n.setInputs(b)
	logits, err = n.run()
	require.NoError(t, err)
	return logits, append([]float32(nil), n.pooled.Value().Data().([]float32)...)
}

// TestModel_forward_parity compares Go logits and pooler outputs with the
// PyTorch reference for each fixture: F32 safetensors (tiny-a), BF16
// pytorch_model.bin with legacy names and eps 1e-5 (tiny-b), and an F16
// checkpoint without a head (tiny-c, pooler only).
func TestModel_forward_parity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		dir          string
		hasLogits    bool
	}{
		{"tiny-a", "F32 safetensors, padded batch and a pair", "tiny-a", true},
		{"tiny-b", "pytorch_model.bin, 3 layers, eps 1e-5, a batch at max_position_embeddings", "tiny-b", true},
		{"tiny-c", "headless F16 checkpoint: pooler output only", "tiny-c", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			exp := readExpected(t, tt.dir)
			m, err := Load(filepath.Join("testdata", tt.dir))
			require.NoError(t, err)
			defer func() { assert.NoError(t, m.Close()) }()
			assert.Equal(t, !tt.hasLogits, m.FreshHead(), tt.reason)
			for _, rb := range exp.Batches {
				logits, pooled := forwardBoth(t, m, rb.toBatch())
				assert.InDeltaSlice(t, flatten(rb.Pooled), toF64(pooled), exp.Tolerance.Pooled, "%s pooled", rb.Name)
				if tt.hasLogits {
					assert.InDeltaSlice(t, flatten(rb.Logits), toF64(logits), exp.Tolerance.Logits, "%s logits", rb.Name)
				}
			}
		})
	}
}
