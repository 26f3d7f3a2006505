package bert_test

import (
	"context"
	"fmt"
	"log"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/bert"
	"github.com/hatetweet/hatetweet/tokenize"
)

// ExampleLoad loads a fine-tuned checkpoint directory and classifies a
// tweet. It needs real weights, so it has no Output; examples/predict runs
// the same code.
func ExampleLoad() {
	m, err := bert.Load("path/to/bert-davidson")
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	if m.FreshHead() {
		log.Print("the checkpoint has no classifier head: fine-tune it first")
	}
	p, err := m.Predict("RT @user: you are all trash")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Name, p.Probs)
}

// ExampleModel_PredictBatch runs the tiny test fixture, whose weights are
// random, so the labels mean nothing; the probabilities and logits are
// deterministic.
func ExampleModel_PredictBatch() {
	m, err := bert.Load("testdata/tiny-a")
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	preds, err := m.PredictBatch(context.Background(), []string{"you are a stupid idiot", "what a beautiful day!"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range preds {
		fmt.Printf("%s %.3f %.3f\n", p.Name, p.Probs, p.Logits)
	}
	// Output:
	// hate [0.635 0.173 0.192] [1.229 -0.071 0.030]
	// hate [0.618 0.164 0.218] [1.127 -0.197 0.085]
}

// ExampleNew builds a randomly initialised BERT, as for training from
// scratch or timing, and takes one fine-tuning step.
func ExampleNew() {
	tok, err := tokenize.NewWordPiece("testdata/tiny-a/vocab.txt")
	if err != nil {
		log.Fatal(err)
	}
	cfg := bert.Config{VocabSize: tok.VocabSize(), HiddenSize: 8, NumHiddenLayers: 1,
		NumAttentionHeads: 2, IntermediateSize: 16, MaxPositionEmbeddings: 32}
	m, err := bert.New(cfg, tok, hatetweet.DavidsonLabels(), bert.WithSeed(42))
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	if err := m.SetTrainConfig(bert.TrainConfig{LearningRate: 1e-3, Seed: 1}); err != nil {
		log.Fatal(err)
	}
	loss, err := m.TrainStep(context.Background(), []hatetweet.Example{{Text: "you are trash", Label: 1}})
	if err != nil {
		log.Fatal(err)
	}
	// A fresh head gives nearly uniform probabilities: a loss near ln 3.
	fmt.Printf("loss %.3f\n", loss)
	// Output:
	// loss 1.101
}
