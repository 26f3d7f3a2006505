// Command lstm trains the (Bi)LSTM classifier on any labelled data set and
// writes a report:
//
//	go run ./examples/lstm -train train.csv -val val.csv -test test.csv \
//	    -text-column text -label-column label -epochs 8 -class-weights \
//	    -out model/ -report report.json
//
// Without -train it uses the embedded Davidson et al. (2017) split.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/train"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "lstm:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("lstm", flag.ContinueOnError)
	var data cli.Data
	data.Register(fs)
	epochs := fs.Int("epochs", 8, "maximum number of epochs")
	patience := fs.Int("patience", 2, "epochs without val macro-F1 improvement before stopping")
	batch := fs.Int("batch", 64, "training batch size")
	seed := fs.Uint64("seed", 42, "seed for weights, dropout and shuffling")
	classWeights := fs.Bool("class-weights", false, "weight the loss by inverse class frequency")
	hidden := fs.Int("hidden", 128, "LSTM hidden size per direction")
	emb := fs.Int("embedding", 100, "embedding size")
	cleaner := fs.String("cleaner", "tweet", "cleaning preset: tweet, tweet-stopwords, light or none")
	out := fs.String("out", "", "directory to save the model in (optional)")
	report := fs.String("report", "", "file to write the test report to, as JSON (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	preset, err := textclean.ParsePreset(*cleaner)
	if err != nil {
		return err
	}
	split, err := data.Load()
	if err != nil {
		return err
	}
	fmt.Printf("data: %s: %d train, %d val, %d test; labels %v\n", split.Source, len(split.Train), len(split.Val), len(split.Test), split.Labels)
	m, hist, rep, err := cli.TrainLSTM(ctx, split, cli.LSTMRun{
		Model:        lstm.Config{Seed: *seed, Hidden: *hidden, EmbeddingDim: *emb, Cleaner: preset},
		Train:        train.Config{Epochs: *epochs, Patience: *patience, BatchSize: *batch, Seed: *seed},
		ClassWeights: *classWeights,
		Progress:     os.Stderr,
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if err := cli.Summarize(os.Stdout, hist, rep, *report); err != nil {
		return err
	}
	if *out != "" {
		if err := m.Save(*out); err != nil {
			return err
		}
		fmt.Printf("saved to %s\n", *out)
	}
	return nil
}
