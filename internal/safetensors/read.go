package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
)

// MaxHeaderSize is the largest JSON header, in bytes, that [Read] accepts;
// it is the limit of the reference implementation (100 MB).
const MaxHeaderSize = 100_000_000

// metadataKey is the reserved header key holding the string metadata.
const metadataKey = "__metadata__"

var (
	// ErrFormat is returned (wrapped) for a malformed safetensors file or
	// header, and by [Write] for tensors that cannot be written.
	ErrFormat = errors.New("safetensors: bad format")
	// ErrNotFound is returned (wrapped) by [File.Float32] for a name the file
	// does not hold.
	ErrNotFound = errors.New("safetensors: no such tensor")
	// ErrDType is returned (wrapped) by [File.Float32] for a tensor whose
	// dtype does not convert to float32 (integers, booleans, 8-bit floats).
	ErrDType = errors.New("safetensors: dtype does not convert to float32")
)

// TensorInfo describes one tensor of a [File].
type TensorInfo struct {
	// Name is the tensor's key in the header.
	Name string
	// DType is the element type.
	DType DType
	// Shape holds the dimensions, outermost first; empty for a scalar.
	Shape []int
	// Begin and End are the [Begin, End) byte offsets of the tensor's data,
	// relative to the start of the data section (the byte after the header).
	Begin, End int64
}

// NumElements returns the product of t.Shape (1 for a scalar). [Read]
// guarantees it does not overflow for the tensors of a [File].
func (t TensorInfo) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// File is a parsed safetensors file: its header, and a reader for the
// tensor data, which is read on demand. The zero value holds no tensors.
// A File is safe for concurrent use when its io.ReaderAt is.
type File struct {
	r         io.ReaderAt
	dataStart int64
	infos     map[string]TensorInfo
	names     []string
	metadata  map[string]string
}

// Read parses and validates the safetensors file of size bytes behind r.
// It reads only the header; tensor data is read by [File.Float32]. The
// returned File keeps r, which must stay readable while the File is used.
//
// Read returns an error wrapping [ErrFormat] when the file is shorter than
// its header length, the header is larger than the file or than
// [MaxHeaderSize], the header is not a JSON object of valid entries, a
// name is empty or repeats, a dtype is unknown, a shape's byte size does
// not match its offsets, or the tensors do not tile the data section
// exactly. Allocation is bounded by the header length.
func Read(r io.ReaderAt, size int64) (*File, error) {
	if size < 8 {
		return nil, fmt.Errorf("%w: file of %d bytes is shorter than the 8-byte header length", ErrFormat, size)
	}
	var lenBuf [8]byte
	if err := readFullAt(r, lenBuf[:], 0); err != nil {
		return nil, fmt.Errorf("safetensors: read header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	switch {
	case n > MaxHeaderSize:
		return nil, fmt.Errorf("%w: header length %d exceeds the limit of %d bytes", ErrFormat, n, MaxHeaderSize)
	case n > uint64(size-8):
		return nil, fmt.Errorf("%w: header length %d exceeds the %d bytes after it", ErrFormat, n, size-8)
	case n < 2:
		return nil, fmt.Errorf("%w: header length %d is too short for a JSON object", ErrFormat, n)
	}
	hdr := make([]byte, n)
	if err := readFullAt(r, hdr, 8); err != nil {
		return nil, fmt.Errorf("safetensors: read header: %w", err)
	}
	f := &File{r: r, dataStart: 8 + int64(n)}
	if err := f.parseHeader(hdr, size-f.dataStart); err != nil {
		return nil, err
	}
	return f, nil
}

// ReadFile reads the whole safetensors file at path into memory and parses
// it with [Read]. Errors from the file system wrap the os errors (for
// example fs.ErrNotExist); format errors wrap [ErrFormat].
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	f, err := Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("safetensors: %s: %w", path, err)
	}
	return f, nil
}

// Names returns the tensor names of f, sorted, in a new slice.
func (f *File) Names() []string { return slices.Clone(f.names) }

// Len returns the number of tensors in f.
func (f *File) Len() int { return len(f.names) }

// Info returns the description of the tensor called name, and whether it
// exists. The returned Shape is a copy.
func (f *File) Info(name string) (TensorInfo, bool) {
	t, ok := f.infos[name]
	t.Shape = slices.Clone(t.Shape)
	return t, ok
}

// Metadata returns a copy of the header's "__metadata__" map; it is empty
// (not nil) when the file has none.
func (f *File) Metadata() map[string]string {
	m := make(map[string]string, len(f.metadata))
	for k, v := range f.metadata {
		m[k] = v
	}
	return m
}

// Float32 reads the tensor called name and converts it to float32
// (exactly for F32, F16 and BF16; F64 rounds to nearest, overflowing to
// ±Inf). It returns the values in row-major order and a copy of the shape.
// It returns an error wrapping [ErrNotFound] for an unknown name, [ErrDType]
// for a non-float dtype, and the reader's error (wrapped) when the data
// cannot be read. Allocation is bounded by the tensor's byte length, which
// [Read] checked against the file size.
func (f *File) Float32(name string) ([]float32, []int, error) {
	t, ok := f.infos[name]
	if !ok {
		return nil, nil, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	if !t.DType.float() {
		return nil, nil, fmt.Errorf("%w: tensor %q has dtype %s", ErrDType, name, t.DType)
	}
	buf := make([]byte, t.End-t.Begin)
	if err := readFullAt(f.r, buf, f.dataStart+t.Begin); err != nil {
		return nil, nil, fmt.Errorf("safetensors: read tensor %q: %w", name, err)
	}
	out := make([]float32, len(buf)/t.DType.Size())
	decodeFloat32(out, buf, t.DType)
	return out, slices.Clone(t.Shape), nil
}

// readFullAt fills b from r at off. A short read is io.ErrUnexpectedEOF.
func readFullAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// headerEntry is one tensor entry of the JSON header. Pointers tell a
// missing field from an empty one.
type headerEntry struct {
	DType       *string  `json:"dtype"`
	Shape       *[]int64 `json:"shape"`
	DataOffsets *[]int64 `json:"data_offsets"`
}

// parseHeader fills f from the JSON header hdr, given the length of the data
// section.
func (f *File) parseHeader(hdr []byte, dataLen int64) error {
	if hdr[0] != '{' {
		return fmt.Errorf("%w: header does not start with '{'", ErrFormat)
	}
	dec := json.NewDecoder(bytes.NewReader(hdr))
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	f.infos = make(map[string]TensorInfo)
	seenMeta := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: header: %w", ErrFormat, err)
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("%w: header key %v is not a string", ErrFormat, tok)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%w: header entry %q: %w", ErrFormat, key, err)
		}
		if key == metadataKey {
			if seenMeta {
				return fmt.Errorf("%w: header has two %q entries", ErrFormat, metadataKey)
			}
			seenMeta = true
			if err := json.Unmarshal(raw, &f.metadata); err != nil {
				return fmt.Errorf("%w: %s must map strings to strings: %w", ErrFormat, metadataKey, err)
			}
			continue
		}
		if key == "" {
			return fmt.Errorf("%w: empty tensor name", ErrFormat)
		}
		if _, dup := f.infos[key]; dup {
			return fmt.Errorf("%w: tensor %q appears twice in the header", ErrFormat, key)
		}
		t, err := parseEntry(key, raw, dataLen)
		if err != nil {
			return err
		}
		f.infos[key] = t
		f.names = append(f.names, key)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: header has data after its JSON object", ErrFormat)
	}
	sort.Strings(f.names)
	return f.checkTiling(dataLen)
}

// parseEntry validates one tensor entry against the data section length.
func parseEntry(name string, raw json.RawMessage, dataLen int64) (TensorInfo, error) {
	var e headerEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return TensorInfo{}, fmt.Errorf("%w: tensor %q: %w", ErrFormat, name, err)
	}
	if e.DType == nil || e.Shape == nil || e.DataOffsets == nil {
		return TensorInfo{}, fmt.Errorf("%w: tensor %q needs dtype, shape and data_offsets", ErrFormat, name)
	}
	t := TensorInfo{Name: name, DType: DType(*e.DType)}
	size := t.DType.Size()
	if size == 0 {
		return TensorInfo{}, fmt.Errorf("%w: tensor %q has unknown dtype %q", ErrFormat, name, *e.DType)
	}
	if len(*e.DataOffsets) != 2 {
		return TensorInfo{}, fmt.Errorf("%w: tensor %q: data_offsets has %d values, want 2", ErrFormat, name, len(*e.DataOffsets))
	}
	t.Begin, t.End = (*e.DataOffsets)[0], (*e.DataOffsets)[1]
	if t.Begin < 0 || t.End < t.Begin || t.End > dataLen {
		return TensorInfo{}, fmt.Errorf("%w: tensor %q: data_offsets [%d, %d) outside the %d-byte data section",
			ErrFormat, name, t.Begin, t.End, dataLen)
	}
	// The element count may not exceed what the data section could hold, so
	// the product is checked against that bound as it grows.
	limit := dataLen / int64(size)
	numel := int64(1)
	t.Shape = make([]int, len(*e.Shape))
	for i, d := range *e.Shape {
		if d < 0 || d > math.MaxInt32 {
			return TensorInfo{}, fmt.Errorf("%w: tensor %q: dimension %d is %d", ErrFormat, name, i, d)
		}
		t.Shape[i] = int(d)
	}
	for _, d := range *e.Shape {
		if d == 0 {
			numel = 0
			break
		}
	}
	if numel != 0 {
		for _, d := range *e.Shape {
			if numel > limit/d {
				return TensorInfo{}, fmt.Errorf("%w: tensor %q: shape %v needs more bytes than the file holds",
					ErrFormat, name, *e.Shape)
			}
			numel *= d
		}
	}
	if numel*int64(size) != t.End-t.Begin {
		return TensorInfo{}, fmt.Errorf("%w: tensor %q: shape %v of %s needs %d bytes, data_offsets give %d",
			ErrFormat, name, *e.Shape, t.DType, numel*int64(size), t.End-t.Begin)
	}
	return t, nil
}

// checkTiling verifies that the tensors cover the data section exactly once.
func (f *File) checkTiling(dataLen int64) error {
	spans := make([]TensorInfo, 0, len(f.infos))
	for _, t := range f.infos {
		spans = append(spans, t)
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].Begin != spans[j].Begin {
			return spans[i].Begin < spans[j].Begin
		}
		if spans[i].End != spans[j].End {
			return spans[i].End < spans[j].End
		}
		return spans[i].Name < spans[j].Name
	})
	var at int64
	for _, t := range spans {
		if t.Begin != at {
			what := "a gap before"
			if t.Begin < at {
				what = "an overlap at"
			}
			return fmt.Errorf("%w: %s tensor %q (offset %d, expected %d)", ErrFormat, what, t.Name, t.Begin, at)
		}
		at = t.End
	}
	if at != dataLen {
		return fmt.Errorf("%w: tensors cover %d of the %d data bytes", ErrFormat, at, dataLen)
	}
	return nil
}
