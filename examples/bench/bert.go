package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/bert"
	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// bertShape is an encoder shape of anchors/bert.py.
type bertShape struct {
	name                         string
	layers, hidden, heads, inter int
}

// bertShapes are the shapes measured, as anchors/bert.py's SHAPES.
var bertShapes = []bertShape{
	{"tiny", 2, 128, 2, 512},
	{"mini", 4, 256, 4, 1024},
}

// bertSizes are the batch and sequence sizes of a BERT measurement.
type bertSizes struct {
	seqLen, trainBatch, inferBatch int
}

var (
	// bertAnchorSizes are the shapes of anchors/bert_timing.py: training at
	// batch 32, inference at batch 64 and 1, all at 64 tokens per sequence.
	bertAnchorSizes = bertSizes{seqLen: 64, trainBatch: 32, inferBatch: 64}
	// bertQuickSizes are the smaller ones of a -quick smoke run, whose
	// figures are therefore not comparable with the anchor's.
	bertQuickSizes = bertSizes{seqLen: 16, trainBatch: 4, inferBatch: 8}
)

const (
	// bertMaxPositions and bertDropout are anchors/bert.py's max_pos and
	// dropout.
	bertMaxPositions = 512
	bertDropout      = 0.1
	bertSeed         = 42
)

// benchBERT measures one random-weight BERT shape with the embedded
// bert-base-uncased vocabulary: the training step, batch-64 inference and
// batch-1 latency, all at exactly 64 tokens per sequence (smaller sizes
// for a quick run).
func benchBERT(ctx context.Context, s settings, r *report, sh bertShape, train []hatetweet.Example) (err error) {
	sz := bertAnchorSizes
	if s.quick {
		sz = bertQuickSizes
	}
	r.meta["bert_seq_len"], r.meta["bert_train_batch"], r.meta["bert_infer_batch"] = sz.seqLen, sz.trainBatch, sz.inferBatch
	tok, err := tokenize.NewDefaultWordPiece()
	if err != nil {
		return err
	}
	cfg := bert.Config{
		VocabSize: tok.VocabSize(), HiddenSize: sh.hidden, NumHiddenLayers: sh.layers,
		NumAttentionHeads: sh.heads, IntermediateSize: sh.inter,
		MaxPositionEmbeddings: bertMaxPositions, TypeVocabSize: 2,
		HiddenDropoutProb: bertDropout, AttentionProbsDropoutProb: bertDropout,
	}
	m, err := bert.New(cfg, tok, hatetweet.DavidsonLabels(), bert.WithMaxLen(sz.seqLen), bert.WithSeed(bertSeed))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close()) }()
	// bert_timing.py: AdamW(lr 1e-4, weight_decay 0.01), no clipping,
	// dropout on.
	if err := m.SetTrainConfig(bert.TrainConfig{LearningRate: 1e-4, WeightDecay: 0.01, ClipNorm: -1, Seed: bertSeed}); err != nil {
		return err
	}
	exs, err := longExamples(tok, train, max(sz.trainBatch, sz.inferBatch), sz.seqLen)
	if err != nil {
		return err
	}
	p := "bert_" + sh.name + "_"

	batch := exs[:sz.trainBatch]
	step := func(int) error {
		_, err := m.TrainStep(ctx, batch)
		return err
	}
	if err := s.warmUp(3, step); err != nil { // as bert_timing.py's 3 steps
		return err
	}
	times, err := repeat(ctx, s.duration, s.atLeast(5), step)
	if err != nil {
		return err
	}
	stepMS := cli.PercentileMS(times, 50)
	r.set(p+"train_step_ms", stepMS)
	r.set(p+"train_seq_per_s", float64(sz.trainBatch)/(stepMS/1e3))
	fmt.Fprintf(s.progress, "bert %s: %d training steps\n", sh.name, len(times))

	texts := textsOf(exs[:sz.inferBatch])
	infer := func(int) error {
		_, err := m.PredictBatch(ctx, texts)
		return err
	}
	if err := s.warmUp(1, infer); err != nil { // as bert_timing.py
		return err
	}
	if times, err = repeat(ctx, s.duration, s.atLeast(3), infer); err != nil {
		return err
	}
	r.set(p+"infer_b64_seq_per_s", perSecond(len(texts), times))
	fmt.Fprintf(s.progress, "bert %s: %d inference batches\n", sh.name, len(times))

	one := func(i int) error {
		j := i % len(texts)
		_, err := m.PredictBatch(ctx, texts[j:j+1])
		return err
	}
	if err := s.warmUp(5, one); err != nil { // as bert_timing.py
		return err
	}
	if times, err = repeat(ctx, s.duration, s.atLeast(50), one); err != nil {
		return err
	}
	r.set(p+"b1_ms_p50", cli.PercentileMS(times, 50))
	r.set(p+"b1_ms_p95", cli.PercentileMS(times, 95))
	fmt.Fprintf(s.progress, "bert %s: latency over %d calls\n", sh.name, len(times))
	return nil
}

// longExamples returns n examples made of consecutive training tweets,
// joined until the model's pipeline (textclean.Light, then tok) gives at
// least seqLen tokens, [CLS] and [SEP] included; a model with maximum
// length seqLen truncates each to exactly seqLen. Each takes the label of
// its first tweet.
func longExamples(tok *tokenize.WordPiece, train []hatetweet.Example, n, seqLen int) ([]hatetweet.Example, error) {
	out := make([]hatetweet.Example, 0, n)
	light := textclean.Light{}
	for i := 0; len(out) < n; {
		var parts []string
		label := hatetweet.Label(0)
		for {
			if i >= len(train) {
				return nil, fmt.Errorf("%d tweets give fewer than %d texts of %d tokens", len(train), n, seqLen)
			}
			if len(parts) == 0 {
				label = train[i].Label
			}
			parts = append(parts, train[i].Text)
			i++
			text := strings.Join(parts, " ")
			e, err := tok.Tokenize(light.Clean(text))
			if err != nil {
				return nil, err
			}
			if e.Len() >= seqLen {
				out = append(out, hatetweet.Example{Text: text, Label: label})
				break
			}
		}
	}
	return out, nil
}
