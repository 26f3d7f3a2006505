package lstm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/hatetweet/hatetweet/internal/safetensors"
	"github.com/hatetweet/hatetweet/tokenize"
)

// Load reads a model saved by [Model.Save] from the directory dir:
// config.json, vocab.json and model.safetensors. opts apply as in [New];
// without [WithCleaner] the model cleans texts with its saved preset.
//
// Every problem with the directory's content gives an error wrapping
// [ErrBadCheckpoint], naming the file: a missing file (the error also
// wraps fs.ErrNotExist), malformed or unknown JSON, a format_version other
// than 1, an invalid config or labels, a bad vocabulary (also wrapping
// tokenize.ErrBadVocab), a truncated or malformed safetensors file, a
// missing or extra tensor, or a tensor whose shape disagrees with the
// config, the vocabulary size or the number of labels. Invalid options
// give an error that does not wrap ErrBadCheckpoint.
func Load(dir string, opts ...Option) (*Model, error) {
	if _, err := newOptions(opts); err != nil {
		return nil, err
	}
	cc, err := readConfig(filepath.Join(dir, configFile))
	if err != nil {
		return nil, err
	}
	v, err := readVocab(filepath.Join(dir, vocabFile))
	if err != nil {
		return nil, err
	}
	m, err := newModel(cc.Config, v, cc.Labels, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, configFile, err)
	}
	if err := m.readWeights(filepath.Join(dir, weightsFile)); err != nil {
		return nil, err
	}
	return m, nil
}

func readConfig(path string) (checkpointConfig, error) {
	var cc checkpointConfig
	data, err := os.ReadFile(path)
	if err != nil {
		return cc, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	var version struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &version); err != nil {
		return cc, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, configFile, err)
	}
	if version.FormatVersion == nil {
		return cc, fmt.Errorf("%w: %s: no format_version", ErrBadCheckpoint, configFile)
	}
	if *version.FormatVersion != formatVersion {
		return cc, fmt.Errorf("%w: %s: format_version %d, want %d", ErrBadCheckpoint, configFile, *version.FormatVersion, formatVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cc); err != nil {
		return cc, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, configFile, err)
	}
	if dec.More() {
		return cc, fmt.Errorf("%w: %s: data after the JSON object", ErrBadCheckpoint, configFile)
	}
	return cc, nil
}

func readVocab(path string) (v *tokenize.Vocab, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	v, err = tokenize.ReadVocab(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, vocabFile, err)
	}
	return v, nil
}

// readWeights fills the model's parameters from a safetensors file, which
// must hold exactly the model's tensors with the model's shapes.
func (m *Model) readWeights(path string) error {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	want := make([]string, len(m.params))
	for i, p := range m.params {
		want[i] = p.Name
	}
	for _, name := range f.Names() {
		if !slices.Contains(want, name) {
			return fmt.Errorf("%w: %s: unexpected tensor %q", ErrBadCheckpoint, weightsFile, name)
		}
	}
	for _, p := range m.params {
		data, shape, err := f.Float32(p.Name)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, weightsFile, err)
		}
		if err := p.SetData(shape, data); err != nil {
			return fmt.Errorf("%w: %s: %w (from config.json, vocab.json and the labels)", ErrBadCheckpoint, weightsFile, err)
		}
	}
	return nil
}
