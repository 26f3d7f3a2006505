// Command custom-cleaner shows a user's own text cleaning plugged into the
// LSTM pipeline: emoji are mapped to words before the built-in tweet
// cleaner runs, and words from a user-supplied list are masked after it.
// The chain is used to train, to predict, and again when the saved model is
// loaded (a custom cleaner is code, so it is not saved with the model):
//
//	go run ./examples/custom-cleaner -mask words.txt -limit 4000 -epochs 2
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/train"
)

// emojiWords maps a few emoji to words the vocabulary can learn; the
// built-in cleaner would otherwise drop them.
var emojiWords = strings.NewReplacer(
	"😂", " emojilaugh ", "🤣", " emojilaugh ", "😡", " emojiangry ", "🤬", " emojiangry ",
	"❤️", " emojiheart ", "❤", " emojiheart ", "🔥", " emojifire ", "💀", " emojiskull ",
)

// maskCleaner replaces every word of a list with "masked". It runs after
// the tweet cleaner, so its input is lowercase words separated by single
// spaces.
func maskCleaner(words map[string]bool) textclean.Cleaner {
	return textclean.CleanerFunc(func(text string) string {
		toks := strings.Fields(text)
		for i, t := range toks {
			if words[t] {
				toks[i] = "masked"
			}
		}
		return strings.Join(toks, " ")
	})
}

func readWords(path string) (map[string]bool, error) {
	words := map[string]bool{}
	if path == "" {
		return words, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w := strings.ToLower(strings.TrimSpace(sc.Text())); w != "" && !strings.HasPrefix(w, "#") {
			words[w] = true
		}
	}
	return words, sc.Err()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "custom-cleaner:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("custom-cleaner", flag.ContinueOnError)
	maskFile := fs.String("mask", "", "file with one word per line to mask (optional)")
	limit := fs.Int("limit", 4000, "train on the first N Davidson training tweets (0: all)")
	epochs := fs.Int("epochs", 2, "maximum number of epochs")
	out := fs.String("out", "", "directory to save the model in (default: a temporary directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	words, err := readWords(*maskFile)
	if err != nil {
		return err
	}
	cleaner := textclean.Chain(
		textclean.CleanerFunc(emojiWords.Replace),
		textclean.Tweet{},
		maskCleaner(words),
	)
	fmt.Printf("cleaned: %q\n", cleaner.Clean("RT @friend: this is 🔥🔥 &amp; sooooo good 😂 http://t.co/x"))

	var data cli.Data
	split, err := data.Load()
	if err != nil {
		return err
	}
	if *limit > 0 && *limit < len(split.Train) {
		split.Train = split.Train[:*limit]
	}
	m, _, rep, err := cli.TrainLSTM(ctx, split, cli.LSTMRun{
		Model:    lstm.Config{Seed: 7, Hidden: 64, EmbeddingDim: 64},
		Train:    train.Config{Epochs: *epochs},
		Cleaner:  cleaner,
		Progress: os.Stderr,
	})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close()) }()
	fmt.Printf("test macro-F1 %.3f, accuracy %.3f\n", rep.Macro.F1, rep.Accuracy)

	dir := *out
	if dir == "" {
		tmp, err := os.MkdirTemp("", "custom-cleaner-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "model")
	}
	if err := m.Save(dir); err != nil {
		return err
	}
	// The saved model records only its preset; pass the chain again.
	loaded, err := lstm.Load(dir, lstm.WithCleaner(cleaner))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, loaded.Close()) }()
	return cli.Classify(ctx, os.Stdout, loaded, loaded.Labels(), []string{
		"this game is 🔥🔥🔥",
		"RT @someone: shut up you idiot 🤬",
	})
}
