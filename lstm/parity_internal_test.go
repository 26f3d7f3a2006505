package lstm

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/safetensors"
)

// parityFixture is testdata/parity/NAME/expected.json, written by
// testdata/gen_parity.py (its SOURCE field names the torch version and
// command; its tolerance field is the tolerance used here).
type parityFixture struct {
	Source       string      `json:"SOURCE"`
	Tolerance    float64     `json:"tolerance"`
	PredictTexts []string    `json:"predict_texts"`
	Logits       [][]float32 `json:"logits"`
	TrainBatches []struct {
		Texts  []string `json:"texts"`
		Labels []int    `json:"labels"`
	} `json:"train_batches"`
	Losses []float64 `json:"losses"`
}

// TestParity_torch loads tiny models written by PyTorch in the Save format
// and checks, against torch: the logits of a padded batch with variable
// lengths, an unknown word, an empty text and a truncated text; then two
// training steps on batches of different shapes: both losses, every
// gradient of the second step, and every weight after it. Variants:
// 1-layer BiLSTM with Adam; 2-layer BiLSTM with class weights, gradient
// clipping and AdamW; forward-only LSTM with Adam's L2 weight decay; and a
// BiLSTM of sizes 8, which runs the vectorised cell.
func TestParity_torch(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"bi1", "bi2", "fwd1", "bi1h8"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", "parity", name)
			data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
			require.NoError(t, err)
			var fx parityFixture
			require.NoError(t, json.Unmarshal(data, &fx))
			require.NotEmpty(t, fx.Source)
			tol := fx.Tolerance

			m, err := Load(dir)
			require.NoError(t, err)
			defer func() { assert.NoError(t, m.Close()) }()

			preds, err := m.PredictBatch(t.Context(), fx.PredictTexts)
			require.NoError(t, err)
			require.Len(t, preds, len(fx.Logits))
			for i, p := range preds {
				assert.InDeltaSlice(t, fx.Logits[i], p.Logits, tol, "text %d %q", i, fx.PredictTexts[i])
			}

			require.Len(t, fx.Losses, len(fx.TrainBatches))
			for s, tb := range fx.TrainBatches {
				batch := make([]hatetweet.Example, len(tb.Texts))
				for i, text := range tb.Texts {
					batch[i] = hatetweet.Example{Text: text, Label: hatetweet.Label(tb.Labels[i])}
				}
				loss, err := m.TrainStep(t.Context(), batch)
				require.NoError(t, err)
				assert.InDelta(t, fx.Losses[s], loss, tol, "loss of step %d", s+1)
			}
			for _, file := range []struct {
				name string
				get  func(i int) []float32
			}{
				{"grads.safetensors", func(i int) []float32 { return m.params[i].Grad }},
				{"after.safetensors", func(i int) []float32 { return m.params[i].Data }},
			} {
				f, err := safetensors.ReadFile(filepath.Join(dir, file.name))
				require.NoError(t, err)
				require.Equal(t, len(m.params), f.Len())
				for i, p := range m.params {
					want, _, err := f.Float32(p.Name)
					require.NoError(t, err)
					assert.InDeltaSlice(t, want, file.get(i), tol, "%s %s", file.name, p.Name)
				}
			}
		})
	}
}
