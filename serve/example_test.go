package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/serve"
)

// shouting labels a text offensive when it is all capitals: a stand-in for
// an lstm.Model or bert.Model.
type shouting struct{}

func (shouting) PredictBatch(_ context.Context, texts []string) ([]hatetweet.Prediction, error) {
	out := make([]hatetweet.Prediction, len(texts))
	for i, t := range texts {
		logits := []float32{0, 0, 4}
		if t == strings.ToUpper(t) {
			logits = []float32{0, 4, 0}
		}
		p, err := hatetweet.NewPrediction(hatetweet.DavidsonLabels(), logits)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

func ExampleNew() {
	h, err := serve.New(shouting{}, serve.ModelInfo{Kind: "demo", Labels: hatetweet.DavidsonLabels(), Version: "1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	srv := httptest.NewServer(h) // a real service mounts h in its own http.Server
	defer srv.Close()

	resp, err := srv.Client().Post(srv.URL+"/v1/classify", "application/json",
		strings.NewReader(`{"texts": ["nice game", "GO AWAY"]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Status)
	fmt.Print(string(body))
	// Output:
	// 200 OK
	// {"results":[{"label":"neither","probabilities":{"hate":0.017668422,"neither":0.96466315,"offensive":0.017668422}},{"label":"offensive","probabilities":{"hate":0.017668422,"neither":0.017668422,"offensive":0.96466315}}]}
}
