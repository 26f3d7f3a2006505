package lstm

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/internal/safetensors"
)

// formatVersion is the "format_version" of config.json that Save writes
// and the only one Load reads.
const formatVersion = 1

// Files of a model directory.
const (
	configFile  = "config.json"
	vocabFile   = "vocab.json"
	weightsFile = "model.safetensors"
)

// checkpointConfig is the content of config.json.
type checkpointConfig struct {
	FormatVersion int              `json:"format_version"`
	Config        Config           `json:"config"`
	Labels        hatetweet.Labels `json:"labels"`
}

// Save writes the model to the directory dir: config.json (format_version
// 1, the Config with defaults applied, including the cleaner preset's
// name, and the labels), vocab.json (the vocabulary, as
// tokenize.Vocab.WriteTo writes it) and model.safetensors (float32
// weights under PyTorch's names: embedding.weight,
// lstm.weight_ih_l0[_reverse], lstm.weight_hh_l0[_reverse],
// lstm.bias_ih_l0[_reverse], lstm.bias_hh_l0[_reverse], …, fc.weight,
// fc.bias). A cleaner given by [WithCleaner] is not saved.
//
// Save is atomic: it writes the files into a new directory beside dir and
// renames it to dir, so dir holds either its old content or the complete
// new model. dir must not exist, or be an empty directory, or hold a model
// written by Save (only the three files above), which is then replaced. On
// error nothing is left behind and dir is unchanged. Save must not run
// concurrently with TrainStep.
func (m *Model) Save(dir string) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return fmt.Errorf("lstm: save: %w", ErrClosed)
	}
	return m.save(dir, createFile)
}

// createFile is how save creates files; tests substitute failing files.
func createFile(path string) (io.WriteCloser, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

func (m *Model) save(dir string, create func(string) (io.WriteCloser, error)) (err error) {
	dir = filepath.Clean(dir)
	replace, err := checkSaveTarget(dir)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp*")
	if err != nil {
		return fmt.Errorf("lstm: save: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.RemoveAll(tmp))
		}
	}()
	cc := checkpointConfig{FormatVersion: formatVersion, Config: m.Config(), Labels: m.Labels()}
	cfgJSON, err := json.MarshalIndent(cc, "", "  ")
	if err != nil {
		return fmt.Errorf("lstm: save: %w", err)
	}
	tensors := make([]safetensors.Tensor, len(m.params))
	for i, p := range m.params {
		tensors[i] = safetensors.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Data}
	}
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{configFile, func(w io.Writer) error { _, err := w.Write(append(cfgJSON, '\n')); return err }},
		{vocabFile, func(w io.Writer) error { _, err := m.vocab.WriteTo(w); return err }},
		{weightsFile, func(w io.Writer) error {
			return safetensors.Write(w, tensors, map[string]string{"format": "pt"})
		}},
	}
	for _, f := range writers {
		if err := writeFile(filepath.Join(tmp, f.name), create, f.write); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("lstm: save: %w", err)
	}
	return install(tmp, dir, replace)
}

// writeFile writes one file through create, reporting Close errors.
func writeFile(path string, create func(string) (io.WriteCloser, error), write func(io.Writer) error) (err error) {
	f, err := create(path)
	if err != nil {
		return fmt.Errorf("lstm: save %s: %w", filepath.Base(path), err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("lstm: save %s: close: %w", filepath.Base(path), cerr))
		}
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("lstm: save %s: %w", filepath.Base(path), err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("lstm: save %s: %w", filepath.Base(path), err)
	}
	if s, ok := f.(interface{ Sync() error }); ok {
		if err := s.Sync(); err != nil {
			return fmt.Errorf("lstm: save %s: sync: %w", filepath.Base(path), err)
		}
	}
	return nil
}

// checkSaveTarget reports whether dir exists and may be replaced, or an
// error when it must not be touched.
func checkSaveTarget(dir string) (replace bool, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lstm: save: %w", err)
	}
	for _, e := range entries {
		if !slices.Contains([]string{configFile, vocabFile, weightsFile}, e.Name()) || !e.Type().IsRegular() {
			return false, fmt.Errorf("lstm: save: %s holds %q, which is not part of a saved model; refusing to replace it", dir, e.Name())
		}
	}
	return true, nil
}

// install renames the finished directory tmp to dir. An existing dir is
// first moved aside, and put back if the rename fails.
func install(tmp, dir string, replace bool) error {
	if !replace {
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("lstm: save: %w", err)
		}
		return nil
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("lstm: save: move old model aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return errors.Join(fmt.Errorf("lstm: save: %w", err), os.Rename(old, dir))
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("lstm: save: remove old model: %w", err)
	}
	return nil
}
