package bert

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hatetweet/hatetweet/internal/safetensors"
)

// File names inside a HuggingFace checkpoint directory.
const (
	ckptConfigFile          = "config.json"
	ckptTokenizerConfigFile = "tokenizer_config.json"
	ckptVocabFile           = "vocab.txt"
	ckptSafetensorsFile     = "model.safetensors"
	ckptTorchFile           = "pytorch_model.bin"
)

// ckptTensor is one float32 parameter in row-major order. Shapes follow
// PyTorch: a Linear weight is [out, in], an embedding table [rows, width].
type ckptTensor struct {
	Shape []int
	Data  []float32
}

// ckptLayer holds the parameters of one encoder layer; field comments
// give the HF name after "bert.encoder.layer.N.".
type ckptLayer struct {
	Query, QueryBias       ckptTensor // attention.self.query.{weight,bias}: [H,H], [H]
	Key, KeyBias           ckptTensor // attention.self.key.{weight,bias}
	Value, ValueBias       ckptTensor // attention.self.value.{weight,bias}
	AttnOut, AttnOutBias   ckptTensor // attention.output.dense.{weight,bias}: [H,H], [H]
	AttnNorm, AttnNormBias ckptTensor // attention.output.LayerNorm.{weight,bias}: [H]
	Inter, InterBias       ckptTensor // intermediate.dense.{weight,bias}: [I,H], [I]
	Out, OutBias           ckptTensor // output.dense.{weight,bias}: [H,I], [H]
	OutNorm, OutNormBias   ckptTensor // output.LayerNorm.{weight,bias}: [H]
}

// ckptWeights holds every parameter of a BertForSequenceClassification as
// read from or written to a checkpoint file.
type ckptWeights struct {
	WordEmb     ckptTensor // bert.embeddings.word_embeddings.weight: [vocab_size, H]
	PosEmb      ckptTensor // bert.embeddings.position_embeddings.weight: [max_position_embeddings, H]
	TypeEmb     ckptTensor // bert.embeddings.token_type_embeddings.weight: [type_vocab_size, H]
	EmbNorm     ckptTensor // bert.embeddings.LayerNorm.weight: [H]
	EmbNormBias ckptTensor // bert.embeddings.LayerNorm.bias: [H]
	Layers      []ckptLayer
	Pooler      ckptTensor // bert.pooler.dense.weight: [H, H]
	PoolerBias  ckptTensor // bert.pooler.dense.bias: [H]
	// Classifier and ClassifierBias are classifier.{weight,bias}: [labels,
	// H] and [labels]. They are empty when HasHead is false.
	Classifier, ClassifierBias ckptTensor
	// HasHead reports whether the classifier came from the checkpoint. A
	// plain BertModel (or pre-training) checkpoint has none, and the caller
	// must draw a new, seeded head.
	HasHead bool
}

// ckptParam is one parameter under its canonical HF name, as
// BertForSequenceClassification.state_dict() spells it, with the shape the
// config implies.
type ckptParam struct {
	Name  string
	Shape []int
	T     *ckptTensor
}

// newCkptWeights returns empty weights with one layer per cfg layer.
func newCkptWeights(cfg Config) *ckptWeights {
	return &ckptWeights{Layers: make([]ckptLayer, cfg.NumHiddenLayers)}
}

// params lists every parameter of w, classifier included, in the canonical
// order of HF's state dict (embeddings, layers, pooler, classifier), with
// the shapes cfg implies; the classifier has cfg.numLabels() rows. The T
// pointers point into w. w must come from newCkptWeights(cfg).
func (w *ckptWeights) params(cfg Config) []ckptParam {
	cfg = cfg.withDefaults()
	h, inter, labels := cfg.HiddenSize, cfg.IntermediateSize, cfg.numLabels()
	ps := []ckptParam{
		{"bert.embeddings.word_embeddings.weight", []int{cfg.VocabSize, h}, &w.WordEmb},
		{"bert.embeddings.position_embeddings.weight", []int{cfg.MaxPositionEmbeddings, h}, &w.PosEmb},
		{"bert.embeddings.token_type_embeddings.weight", []int{cfg.TypeVocabSize, h}, &w.TypeEmb},
		{"bert.embeddings.LayerNorm.weight", []int{h}, &w.EmbNorm},
		{"bert.embeddings.LayerNorm.bias", []int{h}, &w.EmbNormBias},
	}
	for i := range w.Layers {
		l := &w.Layers[i]
		pre := "bert.encoder.layer." + strconv.Itoa(i) + "."
		ps = append(ps,
			ckptParam{pre + "attention.self.query.weight", []int{h, h}, &l.Query},
			ckptParam{pre + "attention.self.query.bias", []int{h}, &l.QueryBias},
			ckptParam{pre + "attention.self.key.weight", []int{h, h}, &l.Key},
			ckptParam{pre + "attention.self.key.bias", []int{h}, &l.KeyBias},
			ckptParam{pre + "attention.self.value.weight", []int{h, h}, &l.Value},
			ckptParam{pre + "attention.self.value.bias", []int{h}, &l.ValueBias},
			ckptParam{pre + "attention.output.dense.weight", []int{h, h}, &l.AttnOut},
			ckptParam{pre + "attention.output.dense.bias", []int{h}, &l.AttnOutBias},
			ckptParam{pre + "attention.output.LayerNorm.weight", []int{h}, &l.AttnNorm},
			ckptParam{pre + "attention.output.LayerNorm.bias", []int{h}, &l.AttnNormBias},
			ckptParam{pre + "intermediate.dense.weight", []int{inter, h}, &l.Inter},
			ckptParam{pre + "intermediate.dense.bias", []int{inter}, &l.InterBias},
			ckptParam{pre + "output.dense.weight", []int{h, inter}, &l.Out},
			ckptParam{pre + "output.dense.bias", []int{h}, &l.OutBias},
			ckptParam{pre + "output.LayerNorm.weight", []int{h}, &l.OutNorm},
			ckptParam{pre + "output.LayerNorm.bias", []int{h}, &l.OutNormBias},
		)
	}
	return append(ps,
		ckptParam{"bert.pooler.dense.weight", []int{h, h}, &w.Pooler},
		ckptParam{"bert.pooler.dense.bias", []int{h}, &w.PoolerBias},
		ckptParam{"classifier.weight", []int{labels, h}, &w.Classifier},
		ckptParam{"classifier.bias", []int{labels}, &w.ClassifierBias},
	)
}

// isHead reports whether p belongs to the classification head.
func (p ckptParam) isHead() bool { return strings.HasPrefix(p.Name, "classifier.") }

// decayed reports whether HF's fine-tuning recipe applies weight decay to
// p: every parameter except biases and LayerNorm weights.
func (p ckptParam) decayed() bool {
	return !strings.HasSuffix(p.Name, ".bias") && !strings.HasSuffix(p.Name, "LayerNorm.weight")
}

// canonicalName maps a stored tensor name to its canonical HF name. It
// accepts names with or without the "bert." prefix and the legacy
// LayerNorm "gamma"/"beta", and reports false for tensors a classifier
// ignores: position_ids/token_type_ids buffers and the cls.* pre-training
// heads.
func canonicalName(name string) (string, bool) {
	switch {
	case strings.HasPrefix(name, "cls."),
		strings.HasSuffix(name, "embeddings.position_ids"),
		strings.HasSuffix(name, "embeddings.token_type_ids"):
		return "", false
	case strings.HasPrefix(name, "classifier."):
		return name, true
	}
	n := strings.TrimPrefix(name, "bert.")
	if base, ok := strings.CutSuffix(n, "LayerNorm.gamma"); ok {
		n = base + "LayerNorm.weight"
	} else if base, ok := strings.CutSuffix(n, "LayerNorm.beta"); ok {
		n = base + "LayerNorm.bias"
	}
	return "bert." + n, true
}

// tensorSource is a checkpoint file's tensors: names, shapes known before
// reading, and data converted to float32 on demand.
type tensorSource interface {
	tensorNames() []string
	tensorShape(name string) []int
	readFloat32(name string) ([]float32, error)
	Close() error
}

// safetensorsSource adapts a model.safetensors file.
type safetensorsSource struct {
	file *os.File
	st   *safetensors.File
}

func openSafetensors(path string) (s *safetensorsSource, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, f.Close())
		}
	}()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	st, err := safetensors.Read(f, info.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &safetensorsSource{file: f, st: st}, nil
}

func (s *safetensorsSource) tensorNames() []string { return s.st.Names() }

func (s *safetensorsSource) tensorShape(name string) []int {
	t, _ := s.st.Info(name)
	return t.Shape
}

func (s *safetensorsSource) readFloat32(name string) ([]float32, error) {
	d, _, err := s.st.Float32(name)
	return d, err
}

func (s *safetensorsSource) Close() error { return s.file.Close() }

// openWeights opens dir/model.safetensors or, when it does not exist,
// dir/pytorch_model.bin.
func openWeights(dir string) (tensorSource, error) {
	st := filepath.Join(dir, ckptSafetensorsFile)
	src, err := openSafetensors(st)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
		}
		return src, nil
	}
	pt := filepath.Join(dir, ckptTorchFile)
	tf, err := openTorchFile(pt)
	if err == nil {
		return tf, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	for _, index := range []string{ckptSafetensorsFile + ".index.json", ckptTorchFile + ".index.json"} {
		if _, err := os.Stat(filepath.Join(dir, index)); err == nil {
			return nil, fmt.Errorf("%w: %s: sharded checkpoints (%s) are not supported", ErrBadCheckpoint, dir, index)
		}
	}
	return nil, fmt.Errorf("%w: %s has neither %s nor %s: %w", ErrBadCheckpoint, dir, ckptSafetensorsFile, ckptTorchFile, fs.ErrNotExist)
}

// readWeights reads every BERT parameter from the checkpoint in dir
// (model.safetensors, else pytorch_model.bin) as float32, with shapes
// checked against cfg before any data is read. Stored names may carry the
// "bert." prefix or not and use LayerNorm gamma/beta; position_ids and cls.*
// tensors are ignored. A checkpoint without classifier.weight and
// classifier.bias gives weights with HasHead false. Errors wrap
// [ErrBadCheckpoint]: an invalid cfg, no weights file (also fs.ErrNotExist),
// a malformed file, unknown or duplicate tensors, missing parameters, a
// half head, shapes that disagree with cfg (including a vocab_size that
// disagrees with the word embeddings, or a label count that does not match
// the head), non-float dtypes, and non-finite values.
func readWeights(dir string, cfg Config) (w *ckptWeights, err error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	src, err := openWeights(dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := src.Close(); cerr != nil {
			w, err = nil, errors.Join(err, fmt.Errorf("%w: %w", ErrBadCheckpoint, cerr))
		}
	}()
	w, err = readWeightsFrom(src, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, dir, err)
	}
	return w, nil
}

// readWeightsFrom maps src's tensors onto the parameters cfg implies.
func readWeightsFrom(src tensorSource, cfg Config) (*ckptWeights, error) {
	stored := map[string]string{} // canonical name -> stored name
	for _, name := range src.tensorNames() {
		canon, ok := canonicalName(name)
		if !ok {
			continue
		}
		if prev, dup := stored[canon]; dup {
			return nil, fmt.Errorf("tensors %q and %q are both %q", prev, name, canon)
		}
		stored[canon] = name
	}
	w := newCkptWeights(cfg)
	ps := w.params(cfg)
	known := make(map[string]bool, len(ps))
	for _, p := range ps {
		known[p.Name] = true
	}
	var unknown []string
	for canon, name := range stored {
		if !known[canon] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unexpected tensors for a %d-layer BERT: %s", cfg.NumHiddenLayers, ckptListNames(unknown))
	}
	_, hasW := stored["classifier.weight"]
	_, hasB := stored["classifier.bias"]
	if hasW != hasB {
		return nil, errors.New("the classifier head has only one of classifier.weight and classifier.bias")
	}
	w.HasHead = hasW

	var missing []string
	var errs []error
	for _, p := range ps {
		name, ok := stored[p.Name]
		switch {
		case !ok && p.isHead():
			continue
		case !ok:
			missing = append(missing, p.Name)
			continue
		}
		if got := src.tensorShape(name); !slices.Equal(got, p.Shape) {
			errs = append(errs, ckptShapeError(p, name, got, cfg))
		}
	}
	if len(missing) > 0 {
		errs = append([]error{fmt.Errorf("missing tensors: %s", ckptListNames(missing))}, errs...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, p := range ps {
		name, ok := stored[p.Name]
		if !ok {
			continue
		}
		data, err := src.readFloat32(name)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", name, err)
		}
		if len(data) != ckptNumel(p.Shape) {
			return nil, fmt.Errorf("tensor %q: %d values for shape %v", name, len(data), p.Shape)
		}
		for _, v := range data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("tensor %q has non-finite values", name)
			}
		}
		*p.T = ckptTensor{Shape: slices.Clone(p.Shape), Data: data}
	}
	return w, nil
}

// ckptShapeError explains a shape mismatch in config.json's terms.
func ckptShapeError(p ckptParam, stored string, got []int, cfg Config) error {
	err := fmt.Errorf("tensor %q has shape %v, config.json implies %v", stored, got, p.Shape)
	switch {
	case p.Name == "bert.embeddings.word_embeddings.weight" && len(got) == 2 && got[0] != cfg.VocabSize:
		return fmt.Errorf("%w (the word embeddings have %d rows, vocab_size is %d)", err, got[0], cfg.VocabSize)
	case p.Name == "classifier.weight" && len(got) == 2 && got[0] != p.Shape[0]:
		return fmt.Errorf("%w (the head has %d labels, the config %d)", err, got[0], p.Shape[0])
	}
	return err
}

// ckptListNames joins up to 8 names for a message.
func ckptListNames(names []string) string {
	const show = 8
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:show], ", "), len(names)-show)
}

// ckptNumel returns the product of shape (1 for a scalar).
func ckptNumel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// checkVocabSize reports whether a vocabulary of n tokens fits the word
// embeddings of cfg: every id must have a row, so n may not exceed
// vocab_size (HF checkpoints may pad the embeddings beyond the vocabulary,
// so fewer tokens are fine). Errors wrap [ErrBadCheckpoint].
func checkVocabSize(n int, cfg Config) error {
	switch {
	case n < 1:
		return fmt.Errorf("%w: empty vocabulary", ErrBadCheckpoint)
	case n > cfg.VocabSize:
		return fmt.Errorf("%w: the vocabulary has %d tokens but vocab_size (the word embeddings' rows) is %d",
			ErrBadCheckpoint, n, cfg.VocabSize)
	}
	return nil
}
