package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawFile assembles a safetensors file from a literal header and data.
func rawFile(header string, data []byte) []byte {
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	out = append(out, header...)
	return append(out, data...)
}

func readBytes(b []byte) (*File, error) { return Read(bytes.NewReader(b), int64(len(b))) }

// golden is testdata/golden.json, written by testdata/gen_golden.py (see its
// docstring and the SOURCE file): the float32 bits PyTorch gets for each
// tensor of testdata/golden.safetensors.
type golden struct {
	Source   string            `json:"source"`
	Metadata map[string]string `json:"metadata"`
	Tensors  map[string]struct {
		DType   string   `json:"dtype"`
		Shape   []int    `json:"shape"`
		F32Bits []uint32 `json:"f32_bits"`
	} `json:"tensors"`
}

func TestReadFile_golden(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/golden.json")
	require.NoError(t, err)
	var g golden
	require.NoError(t, json.Unmarshal(raw, &g))
	require.NotEmpty(t, g.Tensors)

	f, err := ReadFile("testdata/golden.safetensors")
	require.NoError(t, err)
	assert.Equal(t, g.Metadata, f.Metadata())
	names := make([]string, 0, len(g.Tensors))
	for name := range g.Tensors {
		names = append(names, name)
	}
	assert.ElementsMatch(t, names, f.Names())
	assert.IsIncreasing(t, f.Names())

	for name, want := range g.Tensors {
		info, ok := f.Info(name)
		require.True(t, ok, name)
		assert.Equal(t, DType(want.DType), info.DType, name)
		assert.Equal(t, want.Shape, info.Shape, name)
		vals, shape, err := f.Float32(name)
		if want.F32Bits == nil { // integer tensor
			require.ErrorIs(t, err, ErrDType, name)
			continue
		}
		require.NoError(t, err, name)
		assert.Equal(t, want.Shape, shape, name)
		require.Len(t, vals, len(want.F32Bits), name)
		for i, bits := range want.F32Bits {
			if w := math.Float32frombits(bits); w != w { // NaN: any NaN matches
				assert.True(t, math.IsNaN(float64(vals[i])), "%s[%d] = %v, want NaN", name, i, vals[i])
				continue
			}
			assert.Equal(t, bits, math.Float32bits(vals[i]), "%s[%d] = %v, want %v", name, i, vals[i], math.Float32frombits(bits))
		}
	}
	_, _, err = f.Float32("nope")
	assert.ErrorIs(t, err, ErrNotFound)
}

// TestF16ToF32Bits checks every binary16 value against an independent
// float64 computation of its value.
func TestF16ToF32Bits(t *testing.T) {
	t.Parallel()
	for h := 0; h < 1<<16; h++ {
		sign, exp, mant := h>>15, (h>>10)&0x1f, h&0x3ff
		got := math.Float32frombits(f16ToF32Bits(uint16(h)))
		var want float64
		switch {
		case exp == 0x1f && mant != 0:
			require.True(t, math.IsNaN(float64(got)), "%#04x", h)
			continue
		case exp == 0x1f:
			want = math.Inf(1)
		case exp == 0:
			want = math.Ldexp(float64(mant), -24)
		default:
			want = math.Ldexp(1+float64(mant)/1024, exp-15)
		}
		if sign == 1 {
			want = -want
		}
		require.Equal(t, math.Float64bits(want), math.Float64bits(float64(got)), "%#04x", h)
	}
}

func TestRead_badInput(t *testing.T) {
	t.Parallel()
	f32x2 := make([]byte, 8)
	tests := []struct {
		name   string
		reason string
		file   []byte
		want   string // substring of the error
	}{
		{"empty", "no header length at all", nil, "shorter than the 8-byte header length"},
		{"short", "7 bytes cannot hold the length", []byte{1, 2, 3, 4, 5, 6, 7}, "shorter than the 8-byte"},
		{"header longer than file", "length claims more bytes than follow",
			binary.LittleEndian.AppendUint64(nil, 64), "exceeds the 0 bytes after it"},
		{"header over cap", "a huge length must fail before allocating",
			append(binary.LittleEndian.AppendUint64(nil, 1<<62), "{}"...), "exceeds the limit"},
		{"tiny header", "a 1-byte header cannot be an object", rawFile("{", nil), "too short"},
		{"not an object", "the header must be a JSON object", rawFile(`["a"]   `, nil), "does not start with '{'"},
		{"bad json", "syntax errors are format errors", rawFile(`{"a":}`, nil), "bad format"},
		{"trailing json", "only one object may follow", rawFile(`{} {}`, nil), "data after its JSON object"},
		{"unknown dtype", "dtypes outside the spec are rejected",
			rawFile(`{"a":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}`, f32x2), `unknown dtype "F31"`},
		{"missing dtype", "every entry needs dtype, shape and offsets",
			rawFile(`{"a":{"shape":[2],"data_offsets":[0,8]}}`, f32x2), "needs dtype, shape and data_offsets"},
		{"offsets length", "data_offsets is a pair",
			rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}`, f32x2), "has 1 values, want 2"},
		{"offsets past data", "end beyond the data section",
			rawFile(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, f32x2), "outside the 8-byte data section"},
		{"negative offset", "offsets are non-negative",
			rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}`, f32x2), "outside"},
		{"reversed offsets", "end before begin",
			rawFile(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}`, f32x2), "outside"},
		{"shape vs bytes", "shape [2] of F32 needs 8 bytes, not 12",
			rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}`, make([]byte, 12)), "needs 8 bytes, data_offsets give 12"},
		{"shape beyond file", "shape [3] of F32 needs 12 bytes, the file has 8",
			rawFile(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, f32x2), "needs more bytes than the file holds"},
		{"huge shape", "the product would overflow int64 and must fail without allocating",
			rawFile(`{"a":{"dtype":"F32","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}`, f32x2),
			"needs more bytes than the file holds"},
		{"negative dim", "dimensions are non-negative",
			rawFile(`{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}`, f32x2), "dimension 0 is -2"},
		{"fractional dim", "dimensions are integers",
			rawFile(`{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}`, f32x2), "bad format"},
		{"gap", "tensors must start at offset 0 and be contiguous",
			rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32x2), "a gap before"},
		{"overlap", "two tensors may not share bytes",
			rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32x2),
			"an overlap at"},
		{"trailing data", "bytes after the last tensor are not allowed",
			rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, f32x2), "cover 4 of the 8 data bytes"},
		{"duplicate name", "JSON objects with repeated keys are ambiguous",
			rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32x2),
			`"a" appears twice`},
		{"empty name", "names are keys; Write refuses them too",
			rawFile(`{"":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32x2), "empty tensor name"},
		{"duplicate metadata", "one __metadata__ only",
			rawFile(`{"__metadata__":{},"__metadata__":{}}`, nil), "two \"__metadata__\" entries"},
		{"metadata not strings", "metadata maps strings to strings",
			rawFile(`{"__metadata__":{"a":1}}`, nil), "must map strings to strings"},
		{"entry not an object", "a tensor entry is an object",
			rawFile(`{"a":[1,2]}`, nil), "bad format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := readBytes(tc.file)
			require.ErrorIs(t, err, ErrFormat, tc.reason)
			assert.Nil(t, f)
			assert.Contains(t, err.Error(), tc.want, tc.reason)
			assert.True(t, strings.HasPrefix(err.Error(), "safetensors: "), err.Error())
		})
	}
}

func TestRead_truncated(t *testing.T) {
	t.Parallel()
	full, err := os.ReadFile("testdata/golden.safetensors")
	require.NoError(t, err)
	n := int(binary.LittleEndian.Uint64(full))
	// Every cut inside the data section drops bytes a tensor claims; every
	// cut inside the header makes the header length exceed the file.
	for cut := 0; cut < len(full); cut++ {
		_, err := readBytes(full[:cut])
		require.ErrorIs(t, err, ErrFormat, "cut at %d (header ends at %d)", cut, 8+n)
	}
}

// shortReader claims more bytes than it holds, as a file truncated after
// Read would.
type shortReader struct{ b []byte }

func (r shortReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(r.b)) {
		return 0, io.EOF
	}
	n := copy(p, r.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func TestFile_Float32_shortRead(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, []Tensor{{Name: "a", Shape: []int{4}, Data: []float32{1, 2, 3, 4}}}, nil))
	full := buf.Bytes()
	f, err := Read(shortReader{full[:len(full)-3]}, int64(len(full)))
	require.NoError(t, err, "the header is intact")
	_, _, err = f.Float32("a")
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

// TestRead_hugeShapeDoesNotAllocate shows that a header claiming a huge
// tensor, or a huge header, is rejected without allocating for it. It is
// not parallel so that other tests do not disturb the allocation count.
func TestRead_hugeShapeDoesNotAllocate(t *testing.T) {
	files := [][]byte{
		rawFile(`{"a":{"dtype":"F64","shape":[1099511627776,1099511627776],"data_offsets":[0,8]}}`, make([]byte, 8)),
		append(binary.LittleEndian.AppendUint64(nil, MaxHeaderSize), make([]byte, 64)...),
		append(binary.LittleEndian.AppendUint64(nil, math.MaxUint64), make([]byte, 64)...),
	}
	for i, file := range files {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := readBytes(file)
		runtime.ReadMemStats(&after)
		require.ErrorIs(t, err, ErrFormat, "file %d", i)
		// 1 MiB: far above parsing a short header, far below the claimed sizes.
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "file %d", i)
	}
}

func TestFile_accessorsCopy(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, []Tensor{{Name: "w", Shape: []int{1, 2}, Data: []float32{1, 2}}}, map[string]string{"k": "v"}))
	f, err := readBytes(buf.Bytes())
	require.NoError(t, err)

	info, ok := f.Info("w")
	require.True(t, ok)
	info.Shape[0] = 99
	names := f.Names()
	names[0] = "x"
	md := f.Metadata()
	md["k"] = "changed"
	_, shape, err := f.Float32("w")
	require.NoError(t, err)
	shape[1] = 7

	again, _ := f.Info("w")
	assert.Equal(t, []int{1, 2}, again.Shape, "Info returns a copy of the shape")
	assert.Equal(t, []string{"w"}, f.Names(), "Names returns a copy")
	assert.Equal(t, map[string]string{"k": "v"}, f.Metadata(), "Metadata returns a copy")
	assert.Equal(t, 2, again.NumElements())
	assert.Equal(t, 1, f.Len())

	_, ok = f.Info("missing")
	assert.False(t, ok)
	var empty File
	assert.Empty(t, empty.Names())
	assert.Empty(t, empty.Metadata())
}

func TestReadFile_missing(t *testing.T) {
	t.Parallel()
	_, err := ReadFile(t.TempDir() + "/none.safetensors")
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestDecode(t *testing.T) {
	t.Parallel()
	// 1.0 in each float dtype, little-endian (IEEE 754 bit patterns).
	tests := []struct {
		name   string
		reason string
		dtype  DType
		src    []byte
		want   []float32
		err    error
	}{
		{"f32", "4-byte float", F32, []byte{0, 0, 0x80, 0x3f}, []float32{1}, nil},
		{"f16", "2-byte IEEE half", F16, []byte{0, 0x3c}, []float32{1}, nil},
		{"bf16", "top half of a float32", BF16, []byte{0x80, 0x3f}, []float32{1}, nil},
		{"f64", "8-byte double", F64, []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f}, []float32{1}, nil},
		{"int", "integers do not convert", I64, make([]byte, 8), make([]float32, 1), ErrDType},
		{"length", "3 bytes are not one F16 value", F16, []byte{0, 0x3c, 0}, make([]float32, 1), ErrFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dst := make([]float32, len(tc.want))
			err := Decode(dst, tc.src, tc.dtype)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err, tc.reason)
				return
			}
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, dst, tc.reason)
		})
	}
}
