package bert

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/atomicfile"
)

// ErrBadCheckpoint is returned (wrapped) when a checkpoint directory cannot
// be used: config.json invalid or of an unknown format_version, weights
// missing, of an unsupported dtype or of shapes that disagree with
// config.json, a vocabulary larger than the embeddings, or a label count
// that does not match the classifier head.
var ErrBadCheckpoint = errors.New("bert: bad checkpoint")

// formatVersion is the "format_version" that this package writes into
// config.json. Plain HuggingFace checkpoints have none (0).
const formatVersion = 1

// Limits that keep a hostile config.json from implying absurd sizes. They
// are far above any published BERT.
const (
	maxDim    = 1 << 24 // vocabulary, hidden, intermediate and position sizes
	maxLayers = 1 << 10
)

// Activation names the feed-forward activation of a BERT layer, as spelled
// in HuggingFace's config.json ("hidden_act").
type Activation string

// GELU is HuggingFace's "gelu": the exact GELU, x * Φ(x) with the normal
// CDF computed through erf. It is the only activation this package runs.
const GELU Activation = "gelu"

// Config mirrors HuggingFace's BertConfig as stored in config.json, plus two
// fields of this SDK. Field comments give the JSON key and what the zero
// value means; sizes are counts (tokens, units, layers), never bytes.
//
// A Config is a plain value, safe to copy and to share read-only.
type Config struct {
	// Architectures ("architectures") names the HF model class that wrote
	// the checkpoint, e.g. BertForSequenceClassification. Empty is allowed;
	// non-empty names must start with "Bert".
	Architectures []string `json:"architectures,omitempty"`
	// ModelType ("model_type") must be "bert" or empty.
	ModelType string `json:"model_type,omitempty"`
	// VocabSize ("vocab_size") is the number of rows of the word
	// embeddings. Required: zero is invalid.
	VocabSize int `json:"vocab_size"`
	// HiddenSize ("hidden_size") is the width of every token vector.
	// Required; a multiple of NumAttentionHeads.
	HiddenSize int `json:"hidden_size"`
	// NumHiddenLayers ("num_hidden_layers") is the number of encoder
	// layers. Required.
	NumHiddenLayers int `json:"num_hidden_layers"`
	// NumAttentionHeads ("num_attention_heads") is the number of heads per
	// layer. Required.
	NumAttentionHeads int `json:"num_attention_heads"`
	// IntermediateSize ("intermediate_size") is the width of the
	// feed-forward layer. Required.
	IntermediateSize int `json:"intermediate_size"`
	// HiddenAct ("hidden_act") is the feed-forward activation; "" means
	// [GELU], the only one supported.
	HiddenAct Activation `json:"hidden_act,omitempty"`
	// HiddenDropoutProb ("hidden_dropout_prob") is the dropout rate after
	// embeddings and dense layers during training, in [0, 1); 0 means none.
	HiddenDropoutProb float64 `json:"hidden_dropout_prob"`
	// AttentionProbsDropoutProb ("attention_probs_dropout_prob") is the
	// dropout rate on attention probabilities, in [0, 1); 0 means none.
	AttentionProbsDropoutProb float64 `json:"attention_probs_dropout_prob"`
	// ClassifierDropout ("classifier_dropout") is the dropout rate before
	// the classifier, in [0, 1); nil (JSON null) means HiddenDropoutProb.
	ClassifierDropout *float64 `json:"classifier_dropout"`
	// MaxPositionEmbeddings ("max_position_embeddings") is the number of
	// position embeddings, the longest input in tokens. Required, at least 2.
	MaxPositionEmbeddings int `json:"max_position_embeddings"`
	// TypeVocabSize ("type_vocab_size") is the number of token type
	// (segment) embeddings; 0 means 2, HF's default.
	TypeVocabSize int `json:"type_vocab_size"`
	// InitializerRange ("initializer_range") is the standard deviation HF
	// uses for new weights; 0 means 0.02.
	InitializerRange float64 `json:"initializer_range"`
	// LayerNormEps ("layer_norm_eps") is the epsilon of every LayerNorm;
	// 0 means 1e-12, HF's default.
	LayerNormEps float64 `json:"layer_norm_eps"`
	// PadTokenID ("pad_token_id") is the id of the padding token, in
	// [0, VocabSize); 0 is BERT's [PAD].
	PadTokenID int `json:"pad_token_id"`
	// PositionEmbeddingType ("position_embedding_type") must be "absolute";
	// "" means "absolute".
	PositionEmbeddingType string `json:"position_embedding_type,omitempty"`
	// ProblemType ("problem_type") must be "single_label_classification"
	// or empty.
	ProblemType string `json:"problem_type,omitempty"`
	// ID2Label ("id2label") names each class by index; JSON keys are the
	// indices as strings ("0", "1", ...). Empty means the config names no
	// labels (HF then assumes two); otherwise the keys are 0..n-1, n >= 2.
	ID2Label map[int]string `json:"id2label,omitempty"`
	// Label2ID ("label2id") is the inverse of ID2Label. Empty is allowed;
	// otherwise it must be exactly the inverse.
	Label2ID map[string]int `json:"label2id,omitempty"`
	// FormatVersion ("format_version") is this SDK's checkpoint version: 0
	// for a plain HuggingFace checkpoint, 1 for one written by this package.
	// Larger values are rejected with [ErrBadCheckpoint].
	FormatVersion int `json:"format_version,omitempty"`
	// Cleaner ("hatetweet_cleaner") names the text-cleaning preset the
	// model was trained with; "" means none was recorded.
	Cleaner string `json:"hatetweet_cleaner,omitempty"`
}

// withDefaults returns a copy of c with zero values replaced by their
// documented defaults.
func (c Config) withDefaults() Config {
	if c.HiddenAct == "" {
		c.HiddenAct = GELU
	}
	if c.TypeVocabSize == 0 {
		c.TypeVocabSize = 2
	}
	if c.InitializerRange == 0 {
		c.InitializerRange = 0.02
	}
	if c.LayerNormEps == 0 {
		c.LayerNormEps = 1e-12
	}
	if c.PositionEmbeddingType == "" {
		c.PositionEmbeddingType = "absolute"
	}
	return c
}

// Validate reports every problem of c at once, joined with errors.Join; nil
// means a BERT of this shape can be built and run. Zero values that have a
// documented default are valid.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("bert: config: "+format, args...)) }
	size := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			bad("%s is %d, want %d..%d", name, v, lo, hi)
		}
	}
	prob := func(name string, p float64) {
		if !(p >= 0 && p < 1) {
			bad("%s is %v, want a probability in [0, 1)", name, p)
		}
	}
	for _, a := range c.Architectures {
		if !strings.HasPrefix(a, "Bert") {
			bad("architecture %q is not a BERT", a)
		}
	}
	if c.ModelType != "" && c.ModelType != "bert" {
		bad("model_type is %q, want \"bert\"", c.ModelType)
	}
	size("vocab_size", c.VocabSize, 1, maxDim)
	size("hidden_size", c.HiddenSize, 1, maxDim)
	size("num_hidden_layers", c.NumHiddenLayers, 1, maxLayers)
	size("num_attention_heads", c.NumAttentionHeads, 1, maxDim)
	if c.NumAttentionHeads > 0 && c.HiddenSize%c.NumAttentionHeads != 0 {
		bad("hidden_size %d is not a multiple of num_attention_heads %d", c.HiddenSize, c.NumAttentionHeads)
	}
	size("intermediate_size", c.IntermediateSize, 1, maxDim)
	size("max_position_embeddings", c.MaxPositionEmbeddings, 2, maxDim)
	size("type_vocab_size", c.TypeVocabSize, 1, maxDim)
	if c.HiddenAct != GELU {
		bad("hidden_act %q is not supported, only %q (exact erf GELU)", c.HiddenAct, GELU)
	}
	prob("hidden_dropout_prob", c.HiddenDropoutProb)
	prob("attention_probs_dropout_prob", c.AttentionProbsDropoutProb)
	if c.ClassifierDropout != nil {
		prob("classifier_dropout", *c.ClassifierDropout)
	}
	if !(c.InitializerRange > 0) || math.IsInf(c.InitializerRange, 0) {
		bad("initializer_range is %v, want a positive number", c.InitializerRange)
	}
	if !(c.LayerNormEps > 0 && c.LayerNormEps < 1) {
		bad("layer_norm_eps is %v, want a number in (0, 1)", c.LayerNormEps)
	}
	if c.PadTokenID < 0 || (c.VocabSize > 0 && c.PadTokenID >= c.VocabSize) {
		bad("pad_token_id %d is outside the vocabulary of %d tokens", c.PadTokenID, c.VocabSize)
	}
	if c.PositionEmbeddingType != "absolute" {
		bad("position_embedding_type %q is not supported, only \"absolute\"", c.PositionEmbeddingType)
	}
	if c.ProblemType != "" && c.ProblemType != "single_label_classification" {
		bad("problem_type %q is not supported, only \"single_label_classification\"", c.ProblemType)
	}
	if _, err := c.Labels(); err != nil {
		errs = append(errs, err)
	}
	if c.FormatVersion < 0 || c.FormatVersion > formatVersion {
		bad("format_version %d is not supported (this package reads 0..%d)", c.FormatVersion, formatVersion)
	}
	return errors.Join(errs...)
}

// Labels returns the class names of ID2Label in index order, or nil when
// the config names no labels. It returns an error when the indices are not
// 0..n-1, a name is empty or repeated, there is a single label, or
// Label2ID is non-empty and not the inverse of ID2Label.
func (c Config) Labels() (hatetweet.Labels, error) {
	if len(c.ID2Label) == 0 {
		if len(c.Label2ID) != 0 {
			return nil, errors.New("bert: config: label2id is set but id2label is empty")
		}
		return nil, nil
	}
	ls := make(hatetweet.Labels, len(c.ID2Label))
	for i := range ls {
		name, ok := c.ID2Label[i]
		if !ok {
			return nil, fmt.Errorf("bert: config: id2label has %d entries but no index %d (want 0..%d)",
				len(c.ID2Label), i, len(c.ID2Label)-1)
		}
		ls[i] = name
	}
	if err := ls.Validate(); err != nil {
		return nil, fmt.Errorf("bert: config: id2label: %w", err)
	}
	if len(c.Label2ID) == 0 {
		return ls, nil
	}
	if len(c.Label2ID) != len(ls) {
		return nil, fmt.Errorf("bert: config: label2id has %d entries, id2label %d", len(c.Label2ID), len(ls))
	}
	for i, name := range ls {
		if id, ok := c.Label2ID[name]; !ok || id != i {
			return nil, fmt.Errorf("bert: config: label2id[%q] is not %d as id2label says", name, i)
		}
	}
	return ls, nil
}

// numLabels returns the number of classifier outputs the config implies:
// len(ID2Label), or HF's default of 2 when it names no labels.
func (c Config) numLabels() int {
	if len(c.ID2Label) == 0 {
		return 2
	}
	return len(c.ID2Label)
}

// withLabels returns a copy of c whose ID2Label and Label2ID describe ls.
func (c Config) withLabels(ls hatetweet.Labels) Config {
	c.ID2Label = make(map[int]string, len(ls))
	c.Label2ID = make(map[string]int, len(ls))
	for i, name := range ls {
		c.ID2Label[i] = name
		c.Label2ID[name] = i
	}
	return c
}

// maxConfigSize bounds config.json (real ones are about 1 KB; label maps of
// thousands of classes stay far below).
const maxConfigSize = 16 << 20

// readConfig reads, defaults and validates config.json at path. Every error
// wraps [ErrBadCheckpoint]; a missing file also wraps fs.ErrNotExist.
// Unknown JSON keys (transformers_version, torch_dtype, ...) are ignored.
func readConfig(path string) (Config, error) {
	b, err := readFileLimited(path, maxConfigSize)
	if err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return Config{}, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, path, err)
	}
	c = c.withDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, path, err)
	}
	return c, nil
}

// writeConfig writes c as config.json at path, atomically, in the form
// HuggingFace's BertForSequenceClassification loads: architectures set to
// that class, model_type "bert", label2id derived from id2label, and this
// package's format_version. c must name its labels. c itself is not changed.
func writeConfig(path string, c Config) error {
	c = c.withDefaults()
	c.Architectures = []string{"BertForSequenceClassification"}
	c.ModelType = "bert"
	c.FormatVersion = formatVersion
	c.ProblemType = "single_label_classification"
	ls, err := c.Labels()
	if err == nil && ls == nil {
		err = errors.New("bert: config: no labels to save")
	}
	if err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	c = c.withLabels(ls)
	if err := c.Validate(); err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// readFileLimited reads the file at path, failing if it is larger than limit
// bytes. Its errors are unprefixed (os errors name the path); callers wrap
// them.
func readFileLimited(path string, limit int64) (b []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	b, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}
