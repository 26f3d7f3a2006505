package safetensors

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzRead feeds arbitrary bytes to Read. Properties: no panic; a file that
// parses has sorted names whose byte ranges match their shapes; every float
// tensor converts to as many values as its shape holds; and writing the
// converted tensors and reading them back gives the same float32 bits.
func FuzzRead(f *testing.F) {
	golden, err := os.ReadFile("testdata/golden.safetensors")
	require.NoError(f, err)
	f.Add(golden)
	var buf bytes.Buffer
	require.NoError(f, Write(&buf, sampleTensors(), map[string]string{"format": "pt"}))
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Add(rawFile(`{}`, nil))
	f.Add(rawFile(`{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}`, []byte{0x80, 0x3f, 0xc0, 0x7f}))
	f.Add(rawFile(`{"a":{"dtype":"F16","shape":[1,2],"data_offsets":[0,4]},"__metadata__":{"x":"y"}}`, []byte{0, 0x3c, 0, 0xfc}))
	f.Add(rawFile(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, make([]byte, 8)))

	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := readBytes(data)
		if err != nil {
			require.ErrorIs(t, err, ErrFormat)
			return
		}
		names := file.Names()
		var out []Tensor
		for i, name := range names {
			if i > 0 {
				require.Less(t, names[i-1], name)
			}
			info, ok := file.Info(name)
			require.True(t, ok)
			require.Equal(t, int64(info.NumElements())*int64(info.DType.Size()), info.End-info.Begin)
			vals, shape, err := file.Float32(name)
			if !info.DType.float() {
				require.ErrorIs(t, err, ErrDType)
				continue
			}
			require.NoError(t, err)
			require.Len(t, vals, info.NumElements())
			out = append(out, Tensor{Name: name, Shape: shape, Data: vals})
		}
		var buf bytes.Buffer
		if err := Write(&buf, out, file.Metadata()); err != nil {
			// Only names or metadata that JSON cannot carry unchanged
			// (invalid UTF-8 decodes to U+FFFD, so it cannot occur here).
			t.Fatalf("rewrite of a parsed file failed: %v", err)
		}
		again, err := readBytes(buf.Bytes())
		require.NoError(t, err)
		assert.Equal(t, file.Metadata(), again.Metadata())
		for _, want := range out {
			got, _, err := again.Float32(want.Name)
			require.NoError(t, err)
			for i := range want.Data {
				require.Equal(t, math.Float32bits(want.Data[i]), math.Float32bits(got[i]))
			}
		}
	})
}
