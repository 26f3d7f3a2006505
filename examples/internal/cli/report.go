package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/hatetweet/hatetweet/evaluate"
)

// WriteReport writes r as JSON to path, atomically (a temporary file in the
// same directory, renamed into place).
func WriteReport(path string, r evaluate.Report) (err error) {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".report-*.json")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.Remove(f.Name()))
		}
	}()
	if _, err = f.Write(append(data, '\n')); err != nil {
		return errors.Join(err, f.Close())
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
