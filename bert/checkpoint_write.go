package bert

import (
	"fmt"
	"slices"

	"github.com/hatetweet/hatetweet/internal/safetensors"
)

// writeWeights writes w as model.safetensors at path, atomically: F32
// tensors under the names BertForSequenceClassification saves ("bert."
// prefix, LayerNorm weight/bias, classifier.*), with the {"format": "pt"}
// metadata that transformers' loader expects. w must have a head and match
// the shapes cfg implies; otherwise nothing is written.
func writeWeights(path string, w *ckptWeights, cfg Config) error {
	if !w.HasHead {
		return fmt.Errorf("bert: write %s: the model has no classifier head", path)
	}
	if len(w.Layers) != cfg.NumHiddenLayers {
		return fmt.Errorf("bert: write %s: %d layers, config has %d", path, len(w.Layers), cfg.NumHiddenLayers)
	}
	ps := w.params(cfg)
	ts := make([]safetensors.Tensor, 0, len(ps))
	for _, p := range ps {
		if !slices.Equal(p.T.Shape, p.Shape) || len(p.T.Data) != ckptNumel(p.Shape) {
			return fmt.Errorf("bert: write %s: %s has shape %v and %d values, config implies %v",
				path, p.Name, p.T.Shape, len(p.T.Data), p.Shape)
		}
		ts = append(ts, safetensors.Tensor{Name: p.Name, Shape: p.Shape, Data: p.T.Data})
	}
	if err := safetensors.WriteFile(path, ts, map[string]string{"format": "pt"}); err != nil {
		return fmt.Errorf("bert: %w", err)
	}
	return nil
}
