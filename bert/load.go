package bert

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/tokenize"
)

// headStream is the second PCG seed of a new classifier head (the first is
// the WithSeed value): the ASCII bytes of "head".
const headStream = 0x68656164

// Load reads a Hugging Face BERT directory: config.json, the WordPiece
// vocabulary (vocab.txt, else tokenizer.json) with tokenizer_config.json
// when present, and the weights (model.safetensors, else
// pytorch_model.bin; F32, F16 or BF16, with or without the "bert." prefix,
// legacy LayerNorm gamma/beta accepted). A directory written by
// [Model.Save] also restores the cleaner it was trained with.
//
// The labels come from [WithLabels], else id2label in config.json; a
// checkpoint whose head has no names gets Hugging Face's LABEL_0, LABEL_1,
// .... A checkpoint without a classifier head (a plain BertModel or
// BertForPreTraining) gets a new head drawn from [WithSeed] (N(0,
// initializer_range²) weights, zero biases), labelled by WithLabels, else
// id2label, else [hatetweet.DavidsonLabels]; [Model.FreshHead] then
// reports true. The maximum length is described at [WithMaxLen].
//
// Errors wrap [ErrBadCheckpoint] for a missing or malformed file, an
// unknown format_version, missing or misshapen tensors, a vocabulary larger
// than the embeddings, or labels that do not match the head; a missing file
// also wraps fs.ErrNotExist. Invalid options give an error before any file
// is read.
func Load(dir string, opts ...Option) (*Model, error) {
	o, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}
	cfg, err := readConfig(filepath.Join(dir, ckptConfigFile))
	if err != nil {
		return nil, err
	}
	tc, err := readTokenizerConfig(filepath.Join(dir, ckptTokenizerConfigFile))
	if err != nil {
		return nil, err
	}
	maxLen, err := resolveMaxLen(o, tc.ModelMaxLength, cfg.MaxPositionEmbeddings)
	if err != nil {
		return nil, err
	}
	ls, err := cfg.Labels()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	if o.labelsOK {
		ls = o.labels
		cfg = cfg.withLabels(ls) // the head, if any, must have len(ls) outputs
	}
	w, err := readWeights(dir, cfg)
	if err != nil {
		return nil, err
	}
	fresh := !w.HasHead
	switch {
	case !fresh && o.seedOK:
		return nil, errors.New("bert: WithSeed: the checkpoint has a classifier head, so there is nothing to draw")
	case !fresh && ls == nil:
		ls = defaultLabelNames(cfg.numLabels())
	case fresh && ls == nil:
		ls = hatetweet.DavidsonLabels()
	}
	cfg = cfg.withLabels(ls)
	ps := newParamSet(w, cfg)
	if fresh {
		ps.initHead(rand.New(rand.NewPCG(o.seed, headStream)), cfg)
		w.HasHead = true
	}
	tok, err := tokenize.NewWordPiece(dir, tokenize.WithMaxLen(maxLen))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	if err := checkVocabSize(tok.VocabSize(), cfg); err != nil {
		return nil, err
	}
	return newModel(cfg, tok, ls, ps, o, maxLen, fresh)
}

// defaultLabelNames returns Hugging Face's names for unnamed labels:
// LABEL_0, LABEL_1, ....
func defaultLabelNames(n int) hatetweet.Labels {
	ls := make(hatetweet.Labels, n)
	for i := range ls {
		ls[i] = "LABEL_" + strconv.Itoa(i)
	}
	return ls
}
