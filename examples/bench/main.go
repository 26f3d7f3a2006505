// Command bench measures hatetweet's speed on the shapes of the PyTorch
// reference scripts (../shared/anchors: lstm.py and bert_timing.py), so that
// the two can be run back to back and compared (scripts/compare.sh):
//
//	go run ./examples/bench                      # everything, about 3 minutes on 2 quiet cores
//	go run ./examples/bench -json bench.json     # also write the figures as JSON
//	go run ./examples/bench -only lstm,clean     # a subset
//	go run ./examples/bench -quick               # a smoke run of a few seconds
//
// A -quick run uses a few hundred tweets, minimum counts of 1 and, for BERT,
// batches of 4 and 8 at 16 tokens: it checks the plumbing, and its figures
// are not comparable with the anchor's.
//
// It prints a table and, with -json, writes one flat JSON object whose keys
// are listed in figures.go: the required lstm_train_ex_per_s,
// lstm_infer_b256_per_s, lstm_infer_b1_ms_p50, bert_{tiny,mini}_train_seq_per_s,
// bert_{tiny,mini}_infer_b64_seq_per_s and bert_{tiny,mini}_b1_ms_p50, plus
// p95 latencies, variants with and without cleaning, cleaner and WordPiece
// speed, peak memory and a description of the machine. A figure that was not
// measured (left out by -only, or not measurable through the public API) is
// null.
//
// What is measured:
//
//   - lstm: the anchor BiLSTM (vocabulary of cleaned Davidson train tokens
//     seen at least twice, embedding 100, BiLSTM 128, dropout 0.3, Adam 1e-3)
//     with fresh weights. Training: whole passes of TrainStep over the
//     Davidson train split in shuffled batches of 64; each batch is padded to
//     its longest text (at most 64 tokens); the figure is the median pass's
//     examples/s. lstm_train_ex_per_s feeds pre-cleaned texts to a model
//     without a cleaner, as the anchor pre-tokenises: it excludes cleaning but
//     still includes splitting on spaces and the vocabulary lookup;
//     lstm_train_incl_clean_ex_per_s feeds raw tweets. Inference:
//     PredictBatch in batches of 256 over the Davidson test tweets, and
//     batch-1 latency over at least 500 single-tweet calls. The lstm package
//     has no entry point taking token ids, so the anchor's "without cleaning
//     and tokenisation" figures are null; the *_precleaned_* figures skip
//     cleaning only.
//   - bert: random-weight tiny (2/128/2, intermediate 512) and mini (4/256/4,
//     1024) encoders with the embedded bert-base-uncased vocabulary (30,522
//     tokens), 3 labels and dropout 0.1, fed Davidson tweets joined until
//     WordPiece gives at least 64 tokens, truncated to exactly 64. Training:
//     the median TrainStep at batch 32 (AdamW, lr 1e-4, weight decay 0.01, no
//     clipping, as bert_timing.py); inference: PredictBatch at batch 64, and
//     batch-1 latency. Cleaning (textclean.Light) and tokenisation are
//     included; see the wordpiece figures for their share.
//   - tokenize: WordPiece (bert-base-uncased) over the raw Davidson train
//     tweets, in tokens/s and tweets/s.
//   - clean: textclean.Tweet{} and textclean.Light{} over the Davidson train
//     tweets, in tweets/s.
//   - peak memory: the peak resident set size (VmHWM) of each section, reset
//     between sections, in MB.
//
// Each measurement repeats for at least -duration (and a minimum count of
// calls), after a warm-up that compiles the graphs it needs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/hatetweet/hatetweet/dataset"
	"github.com/hatetweet/hatetweet/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// sections are the parts of the benchmark that -only chooses from, in the
// order they run.
var sections = []string{"clean", "tokenize", "lstm", "bert"}

// settings are the knobs shared by every measurement.
type settings struct {
	// duration is the least time each measurement runs.
	duration time.Duration
	// quick shrinks the data and the minimum counts for a smoke run.
	quick bool
	// progress receives one line per measurement.
	progress io.Writer
}

// atLeast returns n, or 1 for a quick run: the minimum number of calls
// of a measurement.
func (s settings) atLeast(n int) int {
	if s.quick {
		return 1
	}
	return n
}

// warmUp calls fn(0), …, fn(n-1) before a measurement, to compile the
// graphs and fill the caches it needs; a quick run skips it.
func (s settings) warmUp(n int, fn func(i int) error) error {
	if s.quick {
		return nil
	}
	for i := range n {
		if err := fn(i); err != nil {
			return err
		}
	}
	return nil
}

// limit returns xs, cut to its first n elements for a quick run.
func limit[T any](s settings, xs []T, n int) []T {
	if s.quick && len(xs) > n {
		return xs[:n]
	}
	return xs
}

// run parses args (see the package comment), runs the chosen sections in
// order, prints the table on stdout and, with -json, writes the figures.
// Progress lines go to stderr.
func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	jsonOut := fs.String("json", "", "write the figures as one flat JSON object to this file")
	only := fs.String("only", strings.Join(sections, ","), "comma-separated subset of "+strings.Join(sections, ","))
	duration := fs.Duration("duration", 10*time.Second, "least time per measurement")
	quick := fs.Bool("quick", false, "smoke run: small data and BERT batches, minimum counts of 1, -duration 100ms unless given; figures not comparable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	chosen, err := parseOnly(*only)
	if err != nil {
		return err
	}
	s := settings{duration: *duration, quick: *quick, progress: os.Stderr}
	if s.quick && !flagSet(fs, "duration") {
		s.duration = 100 * time.Millisecond
	}
	if s.duration <= 0 {
		return errors.New("-duration must be positive")
	}

	train, _, test, err := dataset.Davidson()
	if err != nil {
		return err
	}
	r := newReport()
	r.describeMachine(s)
	for _, name := range sections {
		if !chosen[name] {
			continue
		}
		var err error
		switch name {
		case "clean":
			err = r.section(name, func() error { return benchClean(ctx, s, r, train) })
		case "tokenize":
			err = r.section(name, func() error { return benchWordPiece(ctx, s, r, train) })
		case "lstm":
			err = r.section(name, func() error { return benchLSTM(ctx, s, r, train, test) })
		case "bert": // one memory section per shape
			for _, sh := range bertShapes {
				if err = r.section("bert_"+sh.name, func() error { return benchBERT(ctx, s, r, sh, train) }); err != nil {
					break
				}
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	r.finish()
	if err := r.writeTable(os.Stdout); err != nil {
		return err
	}
	if *jsonOut != "" {
		return cli.WriteJSON(*jsonOut, r.flat())
	}
	return nil
}

// parseOnly reads the -only list.
func parseOnly(list string) (map[string]bool, error) {
	chosen := make(map[string]bool)
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(sections, name) {
			return nil, fmt.Errorf("-only: unknown section %q (want some of %s)", name, strings.Join(sections, ","))
		}
		chosen[name] = true
	}
	if len(chosen) == 0 {
		return nil, errors.New("-only: no section chosen")
	}
	return chosen, nil
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
