package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleTensors() []Tensor {
	return []Tensor{
		{Name: "layer.weight", Shape: []int{2, 3}, Data: []float32{1, -2, 3.5, float32(math.Inf(-1)), 0, -0.25}},
		{Name: "bias", Shape: []int{3}, Data: []float32{0.1, 0.2, float32(math.NaN())}},
		{Name: "scalar", Shape: []int{}, Data: []float32{42}},
		{Name: "empty", Shape: []int{0, 4}, Data: []float32{}},
		{Name: "ünïcode \"quoted\"", Shape: []int{1}, Data: []float32{-1}},
	}
}

func TestWrite_roundTrip(t *testing.T) {
	t.Parallel()
	in := sampleTensors()
	md := map[string]string{"format": "pt", "b": "2"}
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, in, md))

	n := binary.LittleEndian.Uint64(buf.Bytes())
	assert.Zero(t, n%8, "header padded to a multiple of 8, as HF does")
	assert.Equal(t, byte('{'), buf.Bytes()[8])

	f, err := readBytes(buf.Bytes())
	require.NoError(t, err)
	assert.Equal(t, md, f.Metadata())
	assert.Equal(t, []string{"bias", "empty", "layer.weight", "scalar", "ünïcode \"quoted\""}, f.Names())
	var prevEnd int64
	for _, name := range f.Names() { // packed in sorted order
		info, _ := f.Info(name)
		assert.Equal(t, prevEnd, info.Begin, name)
		assert.Equal(t, F32, info.DType)
		prevEnd = info.End
	}
	for _, want := range in {
		got, shape, err := f.Float32(want.Name)
		require.NoError(t, err, want.Name)
		assert.Equal(t, want.Shape, shape, want.Name)
		require.Len(t, got, len(want.Data))
		for i := range want.Data {
			assert.Equal(t, math.Float32bits(want.Data[i]), math.Float32bits(got[i]), "%s[%d]", want.Name, i)
		}
	}
}

func TestWrite_deterministic(t *testing.T) {
	t.Parallel()
	in := sampleTensors()
	rev := make([]Tensor, len(in))
	for i := range in {
		rev[len(in)-1-i] = in[i]
	}
	md := map[string]string{"z": "1", "a": "2", "m": "3"}
	var a, b bytes.Buffer
	require.NoError(t, Write(&a, in, md))
	require.NoError(t, Write(&b, rev, md))
	assert.Equal(t, a.Bytes(), b.Bytes(), "input order must not matter")
	assert.Equal(t, "layer.weight", in[0].Name, "Write sorts a copy")
}

func TestWrite_noMetadata(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, nil, nil))
	assert.Equal(t, rawFile("{}      ", nil), buf.Bytes(), "an empty file is an empty, padded header")
	f, err := readBytes(buf.Bytes())
	require.NoError(t, err)
	assert.Zero(t, f.Len())
}

func TestWrite_invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reason  string
		tensors []Tensor
		md      map[string]string
	}{
		{"empty name", "a tensor needs a key", []Tensor{{Name: "", Shape: []int{1}, Data: []float32{1}}}, nil},
		{"reserved name", "__metadata__ is the metadata key", []Tensor{{Name: "__metadata__", Data: []float32{1}}}, nil},
		{"invalid utf8 name", "JSON would rewrite it", []Tensor{{Name: "a\xffb", Shape: []int{1}, Data: []float32{1}}}, nil},
		{"duplicate", "names are keys", []Tensor{{Name: "a", Data: []float32{1}}, {Name: "a", Data: []float32{2}}}, nil},
		{"shape mismatch", "2x2 needs 4 values", []Tensor{{Name: "a", Shape: []int{2, 2}, Data: []float32{1, 2, 3}}}, nil},
		{"negative dim", "dimensions are non-negative", []Tensor{{Name: "a", Shape: []int{-1, -1}, Data: []float32{1}}}, nil},
		{"overflowing shape", "the product must not wrap around to len(Data)",
			[]Tensor{{Name: "a", Shape: []int{1 << 32, 1 << 32, 1 << 32}, Data: []float32{}}}, nil},
		{"invalid utf8 metadata", "JSON would rewrite it", nil, map[string]string{"k": "\xff"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := Write(&buf, tc.tensors, tc.md)
			require.ErrorIs(t, err, ErrFormat, tc.reason)
			assert.Zero(t, buf.Len(), "nothing is written for invalid input")
		})
	}
}

func TestWrite_zeroDimWithHugeDim(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, []Tensor{{Name: "a", Shape: []int{1 << 40, 0}}}, nil), "a zero dimension makes the product 0")
}

// failingWriter fails after n successful bytes.
type failingWriter struct{ n int }

var errWrite = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWrite_writerError(t *testing.T) {
	t.Parallel()
	big := Tensor{Name: "big", Shape: []int{40000}, Data: make([]float32, 40000)}
	var full bytes.Buffer
	require.NoError(t, Write(&full, []Tensor{big}, nil))
	for _, n := range []int{0, 5, 8, 20, 70000, full.Len() - 1} {
		err := Write(&failingWriter{n: n}, []Tensor{big}, nil)
		require.ErrorIs(t, err, errWrite, "failing after %d bytes", n)
	}
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	require.NoError(t, WriteFile(path, sampleTensors(), map[string]string{"format": "pt"}))

	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")

	f, err := ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, 5, f.Len())

	err = WriteFile(path, []Tensor{{Name: "", Data: []float32{1}}}, nil)
	require.ErrorIs(t, err, ErrFormat)
	f, err = ReadFile(path)
	require.NoError(t, err, "a failed write leaves the old file")
	assert.Equal(t, 5, f.Len())

	err = WriteFile(filepath.Join(dir, "missing", "x.safetensors"), nil, nil)
	require.ErrorIs(t, err, os.ErrNotExist)
}
