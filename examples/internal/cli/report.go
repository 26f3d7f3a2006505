package cli

import (
	"encoding/json"
	"io"

	"github.com/hatetweet/hatetweet/internal/atomicfile"
)

// WriteJSON writes v as indented JSON to path, atomically: readers see the
// old file or the whole new one. Reports (evaluate.Report marshals to the
// documented keys) and benchmark figures are written this way.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}
