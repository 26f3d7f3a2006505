// Command bert fine-tunes a BERT checkpoint on a labelled data set, writes
// the test report and saves the model in the HuggingFace layout:
//
//	go run ./examples/bert -model path/to/bert_uncased_L-4_H-256_A-4 -epochs 3 -out out/bert
//
// The data flags are those of examples/lstm (default: the embedded Davidson
// split). Without -model it builds a small randomly initialised BERT on the
// embedded bert-base-uncased vocabulary: that model is NOT pretrained and
// shows the pipeline, not BERT's accuracy. README.md says where to get real
// checkpoints and which sizes are practical on a CPU.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hatetweet/hatetweet/bert"
	"github.com/hatetweet/hatetweet/evaluate"
	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/tokenize"
	"github.com/hatetweet/hatetweet/train"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bert:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("bert", flag.ContinueOnError)
	var data cli.Data
	data.Register(fs)
	dir := fs.String("model", "", "HuggingFace BERT checkpoint directory (default: a small random BERT, not pretrained)")
	epochs := fs.Int("epochs", 3, "maximum number of epochs")
	patience := fs.Int("patience", 1, "epochs without val macro-F1 improvement before stopping")
	batch := fs.Int("batch", 32, "training batch size")
	lr := fs.Float64("lr", 0, "peak learning rate (0: 5e-5 for a checkpoint, 1e-3 for a random BERT)")
	warmup := fs.Float64("warmup", 0.1, "fraction of the steps spent warming the learning rate up")
	maxLen := fs.Int("max-len", 64, "maximum sequence length in tokens; longer texts are truncated")
	seed := fs.Uint64("seed", 42, "seed for random weights, dropout and shuffling")
	classWeights := fs.Bool("class-weights", false, "weight the loss by inverse class frequency")
	limit := fs.Int("limit", 0, "train on the first N training examples only (0: all)")
	layers := fs.Int("layers", 2, "random BERT only: encoder layers")
	hidden := fs.Int("hidden", 128, "random BERT only: hidden size")
	heads := fs.Int("heads", 2, "random BERT only: attention heads")
	out := fs.String("out", "", "directory to save the fine-tuned model in (optional)")
	report := fs.String("report", "", "file to write the test report to, as JSON (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	split, err := data.Load()
	if err != nil {
		return err
	}
	if *limit > 0 && *limit < len(split.Train) {
		split.Train = split.Train[:*limit]
	}
	fmt.Printf("data: %s: %d train, %d val, %d test; labels %v\n", split.Source, len(split.Train), len(split.Val), len(split.Test), split.Labels)

	var m *bert.Model
	if *dir != "" {
		// WithLabels sizes a new head for a plain BertModel, or renames the
		// outputs of an existing head with as many classes.
		m, err = bert.Load(*dir, bert.WithMaxLen(*maxLen), bert.WithLabels(split.Labels))
		if err != nil {
			return err
		}
		if m.FreshHead() {
			fmt.Printf("%s has no classifier head: a new one was initialised for %d labels\n", *dir, len(split.Labels))
		}
		if *lr == 0 {
			*lr = 5e-5
		}
	} else {
		fmt.Printf("no -model: training a randomly initialised BERT (%d layers, hidden %d, %d heads).\n"+
			"It is NOT pretrained: expect far lower accuracy than a fine-tuned checkpoint.\n", *layers, *hidden, *heads)
		tok, err := tokenize.NewDefaultWordPiece()
		if err != nil {
			return err
		}
		cfg := bert.Config{VocabSize: tok.VocabSize(), HiddenSize: *hidden, NumHiddenLayers: *layers,
			NumAttentionHeads: *heads, IntermediateSize: 4 * *hidden, MaxPositionEmbeddings: 512}
		if m, err = bert.New(cfg, tok, split.Labels, bert.WithMaxLen(*maxLen), bert.WithSeed(*seed)); err != nil {
			return err
		}
		if *lr == 0 {
			*lr = 1e-3
		}
	}
	defer func() { err = errors.Join(err, m.Close()) }()

	tc := bert.TrainConfig{LearningRate: *lr, WarmupRatio: *warmup, Seed: *seed}
	if *classWeights {
		if tc.ClassWeights, err = train.ClassWeights(split.Train, len(split.Labels)); err != nil {
			return err
		}
	}
	if err := m.SetTrainConfig(tc); err != nil {
		return err
	}
	p := cli.NewProgress(os.Stderr)
	cfg := train.Config{Labels: split.Labels, Epochs: *epochs, Patience: *patience, BatchSize: *batch, Seed: *seed, OnBatch: p.Batch, OnEpoch: p.Epoch}
	hist, rep, err := cli.FitAndTest(ctx, m, split, cfg, evaluate.WithBatchSize(64))
	if err != nil {
		return err
	}
	if err := cli.Summarize(os.Stdout, hist, rep, *report); err != nil {
		return err
	}
	if *out != "" {
		if err := m.Save(*out); err != nil {
			return err
		}
		fmt.Printf("saved to %s (HuggingFace layout)\n", *out)
	}
	return nil
}
