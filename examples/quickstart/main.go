// Command quickstart trains the BiLSTM on the embedded Davidson et al.
// (2017) split with early stopping on validation macro-F1, prints the test
// report, saves the model, and classifies a few sample tweets:
//
//	go run ./examples/quickstart
//
// The data contain slurs and abuse. See README.md for the licence.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/train"
)

// samples are classified at the end; they contain no slurs on purpose.
var samples = []string{
	"What a beautiful morning in the park with my dog!",
	"RT @someone: you are such a stupid bitch lol",
	"@user those people should all be thrown out of this country #sendthemback",
	"Can't wait for the game tonight!!! #GoTeam",
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	out := fs.String("out", "quickstart-model", "directory to save the trained model in")
	epochs := fs.Int("epochs", 8, "maximum number of epochs")
	limit := fs.Int("limit", 0, "use only the first N training tweets (0: all); for smoke tests")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var data cli.Data
	split, err := data.Load()
	if err != nil {
		return err
	}
	if *limit > 0 && *limit < len(split.Train) {
		split.Train = split.Train[:*limit]
	}
	fmt.Printf("data: %s: %d train, %d val, %d test tweets; labels %v\n",
		split.Source, len(split.Train), len(split.Val), len(split.Test), split.Labels)

	start := time.Now()
	m, hist, rep, err := cli.TrainLSTM(ctx, split, cli.LSTMRun{
		Model:    lstm.Config{Seed: 42},
		Train:    train.Config{Epochs: *epochs},
		Progress: os.Stderr,
	})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: %w", err)
		}
		return err
	}
	defer m.Close()
	fmt.Printf("trained in %s: %d epochs, best epoch %d (val macro-F1 %.3f), stopped: %s\n\n",
		time.Since(start).Round(time.Second), len(hist.Epochs), hist.BestEpoch, hist.BestMacroF1, hist.Stopped)
	fmt.Printf("test report:\n%s\n", rep)
	hate, err := rep.Class(0)
	if err != nil {
		return err
	}
	fmt.Printf("test accuracy %.3f, macro-F1 %.3f, F1(%s) %.3f\n\n", rep.Accuracy, rep.Macro.F1, hate.Label, hate.F1)
	if err := m.Save(*out); err != nil {
		return err
	}
	fmt.Printf("saved to %s; try: go run ./examples/predict -model %s \"some text\"\n\n", *out, *out)
	return cli.Classify(ctx, os.Stdout, m, m.Labels(), samples)
}
