package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

const (
	// lstmTrainBatch and lstmInferBatch are the batch sizes of
	// anchors/lstm.py's training loop and bench_inference.
	lstmTrainBatch = 64
	lstmInferBatch = 256
	// lstmSeed is the anchor's seed, for the weights and the shuffling.
	lstmSeed = 42
)

// benchLSTM measures the anchor BiLSTM: training on train, inference on
// test, each on raw tweets (the public API: cleaning and tokenising
// included) and on pre-cleaned text given to a model that does not clean.
func benchLSTM(ctx context.Context, s settings, r *report, train, test []hatetweet.Example) (err error) {
	tweet := textclean.Tweet{}
	cleanTrain := make([]hatetweet.Example, len(train))
	toks := make([][]string, len(train))
	for i, ex := range train {
		cleanTrain[i] = hatetweet.Example{Text: tweet.Clean(ex.Text), Label: ex.Label}
		toks[i] = strings.Fields(cleanTrain[i].Text)
	}
	vocab, err := tokenize.BuildVocab(toks, 2, 0) // anchors/lstm.py: min_freq 2
	if err != nil {
		return err
	}
	r.meta["lstm_vocab_size"] = vocab.VocabSize()
	cfg := lstm.Config{Seed: lstmSeed} // the zero Config is the anchor's architecture, Adam 1e-3 and cleaning
	raw, err := lstm.New(cfg, vocab, hatetweet.DavidsonLabels())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, raw.Close()) }()
	noClean := textclean.CleanerFunc(func(text string) string { return text })
	pre, err := lstm.New(cfg, vocab, hatetweet.DavidsonLabels(), lstm.WithCleaner(noClean))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, pre.Close()) }()

	rawTrain, cleanTrain := limit(s, train, 2*lstmTrainBatch), limit(s, cleanTrain, 2*lstmTrainBatch)
	for _, v := range []struct {
		key string
		m   *lstm.Model
		exs []hatetweet.Example
	}{
		{"lstm_train_ex_per_s", pre, cleanTrain},
		{"lstm_train_incl_clean_ex_per_s", raw, rawTrain},
	} {
		rng := rand.New(rand.NewPCG(lstmSeed, 0))
		batch := make([]hatetweet.Example, 0, lstmTrainBatch)
		pass := func(int) error {
			for _, b := range shuffledBatches(rng, len(v.exs), lstmTrainBatch) {
				batch = batch[:0]
				for _, j := range b {
					batch = append(batch, v.exs[j])
				}
				if _, err := v.m.TrainStep(ctx, batch); err != nil {
					return err
				}
			}
			return nil
		}
		// Whole passes, at least one; the first compiles the graphs of
		// each (batch, length) bucket as it meets them, as torch's first
		// epoch warms up.
		times, err := repeat(ctx, s.duration, 1, pass)
		if err != nil {
			return err
		}
		// The median pass, as the anchor's median_epoch_ex_per_s.
		r.set(v.key, float64(len(v.exs))/(cli.PercentileMS(times, 50)/1e3))
		r.meta[v.key+"_passes"] = len(times)
		fmt.Fprintf(s.progress, "lstm: %s %d passes over %d examples\n", v.key, len(times), len(v.exs))
	}

	rawTest := limit(s, textsOf(test), lstmInferBatch)
	cleanTest := make([]string, len(rawTest))
	for i, t := range rawTest {
		cleanTest[i] = tweet.Clean(t)
	}
	for _, v := range []struct {
		prefix, b256 string
		m            *lstm.Model
		texts        []string
	}{
		{"lstm_infer_b1_", "lstm_infer_b256_per_s", raw, rawTest},
		{"lstm_infer_b1_precleaned_", "lstm_infer_b256_precleaned_per_s", pre, cleanTest},
	} {
		pass := func(int) error {
			for i := 0; i < len(v.texts); i += lstmInferBatch {
				if _, err := v.m.PredictBatch(ctx, v.texts[i:min(i+lstmInferBatch, len(v.texts))]); err != nil {
					return err
				}
			}
			return nil
		}
		if err := s.warmUp(1, pass); err != nil { // as the anchor's bench_inference
			return err
		}
		times, err := repeat(ctx, s.duration, s.atLeast(3), pass)
		if err != nil {
			return err
		}
		r.set(v.b256, perSecond(len(v.texts), times))
		fmt.Fprintf(s.progress, "lstm: %s %d passes over %d tweets\n", v.b256, len(times), len(v.texts))

		one := func(i int) error {
			j := i % len(v.texts)
			_, err := v.m.PredictBatch(ctx, v.texts[j:j+1])
			return err
		}
		if err := s.warmUp(20, one); err != nil {
			return err
		}
		if times, err = repeat(ctx, s.duration, s.atLeast(500), one); err != nil {
			return err
		}
		r.set(v.prefix+"ms_p50", cli.PercentileMS(times, 50))
		r.set(v.prefix+"ms_p95", cli.PercentileMS(times, 95))
		fmt.Fprintf(s.progress, "lstm: %s latency over %d calls\n", v.prefix, len(times))
	}
	return nil
}

// shuffledBatches returns a random permutation of 0..n-1 cut into batches
// of size (the last may be shorter), as the anchor's torch.randperm loop.
func shuffledBatches(rng *rand.Rand, n, size int) [][]int {
	perm := rng.Perm(n)
	var batches [][]int
	for i := 0; i < n; i += size {
		batches = append(batches, perm[i:min(i+size, n)])
	}
	return batches
}
