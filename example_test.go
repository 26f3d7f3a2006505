package hatetweet_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/dataset"
	"github.com/hatetweet/hatetweet/evaluate"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
	"github.com/hatetweet/hatetweet/train"
)

// Example_quickStart is the README's quick start: train the BiLSTM on the
// embedded Davidson split, evaluate it, classify a tweet and save the model.
// It trains for minutes, so it has no Output line: go run
// ./examples/quickstart runs the same steps.
func Example_quickStart() {
	ctx := context.Background()
	trainSet, valSet, testSet, err := dataset.Davidson()
	if err != nil {
		log.Fatal(err)
	}
	clean := textclean.Tweet{}
	toks := make([][]string, len(trainSet))
	for i, ex := range trainSet {
		toks[i] = strings.Fields(clean.Clean(ex.Text))
	}
	vocab, err := tokenize.BuildVocab(toks, 2, 0)
	if err != nil {
		log.Fatal(err)
	}
	model, err := lstm.New(lstm.Config{Seed: 42}, vocab, hatetweet.DavidsonLabels())
	if err != nil {
		log.Fatal(err)
	}
	defer model.Close()
	trainer, err := train.New(train.Config{Labels: model.Labels(), BatchSize: 64, Patience: 2})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := trainer.Fit(ctx, model, trainSet, valSet); err != nil {
		log.Fatal(err)
	}
	report, err := evaluate.Evaluate(ctx, model, model.Labels(), testSet)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report)
	pred, err := model.Predict("some tweet")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pred.Name, pred.Probs)
	if err := model.Save("out/lstm"); err != nil {
		log.Fatal(err)
	}
}

func ExampleNewPrediction() {
	p, err := hatetweet.NewPrediction(hatetweet.DavidsonLabels(), []float32{0.5, 2, 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %.3f\n", p.Name, p.Probs)
	// Output: offensive [0.100 0.450 0.450]
}
