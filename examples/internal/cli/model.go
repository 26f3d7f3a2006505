package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/bert"
	"github.com/hatetweet/hatetweet/lstm"
)

// Model is what the examples need of a loaded model of either kind.
type Model interface {
	Predict(text string) (hatetweet.Prediction, error)
	PredictBatch(ctx context.Context, texts []string) ([]hatetweet.Prediction, error)
	Labels() hatetweet.Labels
	Close() error
}

// Kind names a saved model's family: "lstm" or "bert".
func Kind(dir string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return "", err
	}
	var probe struct {
		ModelType  string          `json:"model_type"`
		HiddenSize int             `json:"hidden_size"`
		LSTMConfig json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Join(dir, "config.json"), err)
	}
	switch {
	case probe.ModelType == "bert" || probe.HiddenSize > 0:
		return "bert", nil
	case probe.ModelType == "lstm" || probe.LSTMConfig != nil:
		return "lstm", nil
	}
	return "", fmt.Errorf("%s: neither an LSTM nor a BERT checkpoint", dir)
}

// Open loads the model saved in dir, LSTM or BERT, and returns it with its
// kind.
func Open(dir string) (Model, string, error) {
	kind, err := Kind(dir)
	if err != nil {
		return nil, "", err
	}
	var m Model
	if kind == "bert" {
		m, err = bert.Load(dir)
	} else {
		m, err = lstm.Load(dir)
	}
	if err != nil {
		return nil, "", err // never a typed nil inside the interface
	}
	return m, kind, nil
}
