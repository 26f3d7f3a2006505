package lstm_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// ExampleNew builds a tiny model from a vocabulary, trains it on four
// texts, and classifies a new one.
func ExampleNew() {
	train := []hatetweet.Example{
		{Text: "I love my cat", Label: 0},
		{Text: "my cat purrs", Label: 0},
		{Text: "the rain is cold", Label: 1},
		{Text: "rain all day", Label: 1},
	}
	cleaner := textclean.Tweet{}
	var toks [][]string
	for _, ex := range train {
		toks = append(toks, strings.Fields(cleaner.Clean(ex.Text)))
	}
	vocab, err := tokenize.BuildVocab(toks, 1, 0)
	if err != nil {
		log.Fatal(err)
	}
	cfg := lstm.Config{EmbeddingDim: 8, Hidden: 8, Seed: 1, Cleaner: textclean.PresetTweet, LearningRate: 0.05}
	m, err := lstm.New(cfg, vocab, hatetweet.Labels{"cats", "weather"})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	for range 10 {
		if _, err := m.TrainStep(context.Background(), train); err != nil {
			log.Fatal(err)
		}
	}
	p, err := m.Predict("Cold RAIN again!!!")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %.3f\n", p.Name, p.Probs[p.Label])
	// Output: weather 0.875
}

// ExampleLoad classifies tweets with a model saved by Model.Save, for
// example by the quickstart example.
func ExampleLoad() {
	m, err := lstm.Load("path/to/model")
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	preds, err := m.PredictBatch(context.Background(), []string{"what a lovely day", "@user you are trash"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range preds {
		fmt.Printf("%s %.3f\n", p.Name, p.Probs[p.Label])
	}
}
