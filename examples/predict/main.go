// Command predict classifies texts with a saved model directory, LSTM or
// BERT alike:
//
//	go run ./examples/predict -model DIR "first text" "second text"
//	cat tweets.txt | go run ./examples/predict -model DIR
//
// With no text arguments it reads one text per line from standard input.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "predict:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	return predict(ctx, args, os.Stdin, os.Stdout)
}

func predict(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("predict", flag.ContinueOnError)
	dir := fs.String("model", "", "saved model directory (LSTM or BERT)")
	batch := fs.Int("batch", 256, "texts classified at once when reading standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("-model is required")
	}
	if *batch < 1 {
		return fmt.Errorf("-batch %d, want at least 1", *batch)
	}
	m, _, err := cli.Open(*dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close()) }()
	if fs.NArg() > 0 {
		return cli.Classify(ctx, stdout, m, m.Labels(), fs.Args())
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	var texts []string
	for sc.Scan() {
		texts = append(texts, sc.Text())
		if len(texts) == *batch {
			if err := cli.Classify(ctx, stdout, m, m.Labels(), texts); err != nil {
				return err
			}
			texts = texts[:0]
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading standard input: %w", err)
	}
	if len(texts) == 0 {
		return nil
	}
	return cli.Classify(ctx, stdout, m, m.Labels(), texts)
}
