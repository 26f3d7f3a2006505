package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is the part of *os.File that [WriteWith] uses; tests substitute
// files whose Write, Sync or Close fail.
type File interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

// CreateFunc makes the temporary file, as os.CreateTemp does.
type CreateFunc func(dir, pattern string) (File, error)

// Write writes path atomically through fill.
func Write(path string, fill func(io.Writer) error) error {
	return WriteWith(path, func(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }, fill)
}

// WriteWith is [Write] with the temporary file made by create.
func WriteWith(path string, create CreateFunc, fill func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := create(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("atomicfile: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			if rmErr := os.Remove(tmp); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
				err = errors.Join(err, rmErr)
			}
		}
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("atomicfile: write %s: %w", path, err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("atomicfile: write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("atomicfile: write %s: %w", path, err)
	}
	return nil
}
