package bert

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/hatetweet/hatetweet/internal/safetensors"
)

// writeWeights writes w as model.safetensors at path, atomically: F32
// tensors under the names BertForSequenceClassification saves ("bert."
// prefix, LayerNorm weight/bias, classifier.*), with the {"format": "pt"}
// metadata that transformers' loader expects. w must have a head and match
// the shapes cfg implies; otherwise nothing is written.
func writeWeights(path string, w *ckptWeights, cfg Config) error {
	if !w.HasHead {
		return fmt.Errorf("bert: write %s: the model has no classifier head", path)
	}
	if len(w.Layers) != cfg.NumHiddenLayers {
		return fmt.Errorf("bert: write %s: %d layers, config has %d", path, len(w.Layers), cfg.NumHiddenLayers)
	}
	ps := w.params(cfg)
	ts := make([]safetensors.Tensor, 0, len(ps))
	for _, p := range ps {
		if !slices.Equal(p.T.Shape, p.Shape) || len(p.T.Data) != ckptNumel(p.Shape) {
			return fmt.Errorf("bert: write %s: %s has shape %v and %d values, config implies %v",
				path, p.Name, p.T.Shape, len(p.T.Data), p.Shape)
		}
		ts = append(ts, safetensors.Tensor{Name: p.Name, Shape: p.Shape, Data: p.T.Data})
	}
	if err := safetensors.WriteFile(path, ts, map[string]string{"format": "pt"}); err != nil {
		return fmt.Errorf("bert: %w", err)
	}
	return nil
}

// atomicFile is the part of *os.File that writeFileAtomicWith uses; tests
// substitute files whose Sync or Close fail.
type atomicFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

// writeFileAtomic writes path through fill, atomically: into a temporary
// file in the same directory that is synced, closed, given mode 0644 and
// renamed over path. On any error (a Close error included, joined with
// earlier ones) the temporary file is removed and path is untouched.
func writeFileAtomic(path string, fill func(io.Writer) error) error {
	return writeFileAtomicWith(path, func(dir, pattern string) (atomicFile, error) {
		return os.CreateTemp(dir, pattern)
	}, fill)
}

func writeFileAtomicWith(path string, create func(dir, pattern string) (atomicFile, error), fill func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := create(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			if rmErr := os.Remove(tmp); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
				err = errors.Join(err, rmErr)
			}
		}
	}()
	bw := bufio.NewWriter(f)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	return nil
}
