package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/hatetweet/hatetweet/internal/atomicfile"
)

// Tensor is one float32 tensor to write. [Write] neither keeps nor changes
// it.
type Tensor struct {
	// Name is the header key; it must be unique, non-empty, and not
	// "__metadata__".
	Name string
	// Shape holds the dimensions, outermost first; empty for a scalar.
	// Every dimension must be non-negative.
	Shape []int
	// Data holds the values in row-major order; its length must equal the
	// product of Shape.
	Data []float32
}

// Write writes tensors as F32 to w in the safetensors format, with metadata
// (which may be nil) as the header's "__metadata__". The output is
// deterministic: tensors are sorted by name and packed in that order,
// metadata keys are sorted, and the header is padded with spaces to a
// multiple of 8 bytes as HuggingFace's writer does. Tensors are validated
// before anything is written; an invalid one gives an error wrapping
// [ErrFormat]. Errors from w are returned wrapped.
func Write(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	sorted := slices.Clone(tensors)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for i, t := range sorted {
		if err := checkTensor(t); err != nil {
			return err
		}
		if i > 0 && sorted[i-1].Name == t.Name {
			return fmt.Errorf("%w: tensor %q given twice", ErrFormat, t.Name)
		}
	}
	hdr, err := header(sorted, metadata)
	if err != nil {
		return err
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(hdr)))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	if _, err := w.Write(hdr); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	buf := make([]byte, 0, 64<<10)
	for _, t := range sorted {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return fmt.Errorf("safetensors: write: %w", err)
				}
				buf = buf[:0]
			}
		}
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	return nil
}

// checkTensor validates one tensor for writing.
func checkTensor(t Tensor) error {
	if t.Name == "" || t.Name == metadataKey || !utf8.ValidString(t.Name) {
		return fmt.Errorf("%w: invalid tensor name %q", ErrFormat, t.Name)
	}
	n := 1
	for _, d := range t.Shape {
		if d < 0 {
			return fmt.Errorf("%w: tensor %q has negative dimension in shape %v", ErrFormat, t.Name, t.Shape)
		}
		if d == 0 {
			n = 0
		}
	}
	for _, d := range t.Shape {
		if n == 0 {
			break
		}
		if n > len(t.Data)/d {
			// The product already exceeds the data: stop before it overflows.
			return fmt.Errorf("%w: tensor %q: shape %v does not match %d values", ErrFormat, t.Name, t.Shape, len(t.Data))
		}
		n *= d
	}
	if n != len(t.Data) {
		return fmt.Errorf("%w: tensor %q: shape %v does not match %d values", ErrFormat, t.Name, t.Shape, len(t.Data))
	}
	return nil
}

// header builds the padded JSON header for sorted, validated tensors.
func header(sorted []Tensor, metadata map[string]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	comma := func() {
		if !first {
			b.WriteByte(',')
		}
		first = false
	}
	if len(metadata) > 0 {
		for k, v := range metadata {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, fmt.Errorf("%w: metadata %q: %q is not valid UTF-8", ErrFormat, k, v)
			}
		}
		comma()
		m, err := json.Marshal(metadata) // keys sorted by encoding/json
		if err != nil {
			return nil, fmt.Errorf("safetensors: metadata: %w", err)
		}
		b.WriteString(`"` + metadataKey + `":`)
		b.Write(m)
	}
	var off int64
	for _, t := range sorted {
		comma()
		name, err := json.Marshal(t.Name)
		if err != nil {
			return nil, fmt.Errorf("safetensors: tensor name: %w", err)
		}
		end := off + 4*int64(len(t.Data))
		b.Write(name)
		b.WriteString(`:{"dtype":"F32","shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, off, end)
		off = end
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	if b.Len() > MaxHeaderSize {
		return nil, fmt.Errorf("%w: header of %d bytes exceeds %d", ErrFormat, b.Len(), MaxHeaderSize)
	}
	return b.Bytes(), nil
}

// WriteFile writes tensors and metadata to path with [Write], atomically: it
// writes a temporary file in the same directory, syncs and closes it, and
// renames it over path, so path holds either its old content or the complete
// new file. The file gets mode 0644. On error the temporary file is removed
// and path is untouched; errors from closing are returned, joined with any
// earlier error.
func WriteFile(path string, tensors []Tensor, metadata map[string]string) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { return Write(w, tensors, metadata) }); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}
