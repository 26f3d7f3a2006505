package bert

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenTorchFile_proto4 reads testdata/pickle/state_proto4.bin, written
// by gen_fixtures.py (gen_pickle_cases) with torch.save(pickle_protocol=4):
// framed pickle, a transposed view, a view at a storage offset sharing its
// storage, F16, BF16 and F64 storages, and an int64 buffer.
func TestOpenTorchFile_proto4(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/pickle/state_proto4.json")
	require.NoError(t, err)
	var want struct {
		Tensors map[string]struct {
			Shape  []int     `json:"shape"`
			Values []float64 `json:"values"`
		} `json:"tensors"`
		NonFloat []string `json:"non_float"`
	}
	require.NoError(t, json.Unmarshal(raw, &want))
	require.NotEmpty(t, want.Tensors)

	tf, err := openTorchFile("testdata/pickle/state_proto4.bin")
	require.NoError(t, err)
	defer func() { require.NoError(t, tf.Close()) }()
	assert.Len(t, tf.tensorNames(), len(want.Tensors)+len(want.NonFloat))
	assert.IsIncreasing(t, tf.tensorNames())
	for name, w := range want.Tensors {
		assert.Equal(t, w.Shape, tf.tensorShape(name), name)
		got, err := tf.readFloat32(name)
		require.NoError(t, err, name)
		require.Len(t, got, len(w.Values), name)
		for i, v := range w.Values { // tolerance 0: same float32 conversion as torch
			assert.Equal(t, float32(v), got[i], "%s[%d]", name, i)
		}
	}
	for _, name := range want.NonFloat {
		_, err := tf.readFloat32(name)
		assert.ErrorContains(t, err, "LongStorage is not a float type", name)
	}
	_, err = tf.readFloat32("absent")
	assert.Error(t, err)
}

// ckptRewriteZip copies the zip at src to dst, passing each entry through
// edit (which may rename it, change its data or drop it) and then adding
// extra entries; every entry is stored uncompressed unless deflate names it.
func ckptRewriteZip(t *testing.T, src, dst string, edit func(name string, data []byte) (string, []byte, bool),
	extra map[string][]byte, deflate string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	require.NoError(t, err)
	defer func() { require.NoError(t, zr.Close()) }()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, data []byte) {
		method := zip.Store
		if name == deflate {
			method = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	for _, f := range zr.File {
		r, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(r)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		if edit != nil {
			var keep bool
			name := f.Name
			if name, data, keep = edit(name, data); !keep {
				continue
			}
			put(name, data)
			continue
		}
		put(f.Name, data)
	}
	for name, data := range extra {
		put(name, data)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(dst, buf.Bytes(), 0o600))
}

func TestReadWeights_badTorchFile(t *testing.T) {
	t.Parallel()
	const src = "testdata/tiny-b/pytorch_model.bin"
	cfg, err := readConfig("testdata/tiny-b/config.json")
	require.NoError(t, err)
	keep := func(name string, data []byte) (string, []byte, bool) { return name, data, true }
	pkl := func(p []byte) func(name string, data []byte) (string, []byte, bool) {
		return func(name string, data []byte) (string, []byte, bool) {
			if strings.HasSuffix(name, "/data.pkl") {
				return name, p, true
			}
			return name, data, true
		}
	}
	hugeUnicode := append([]byte{0x80, 0x04, 0x8d}, binary.LittleEndian.AppendUint64(nil, 1<<40)...)
	tests := []struct {
		name    string
		reason  string
		raw     []byte // the whole file, when set
		edit    func(name string, data []byte) (string, []byte, bool)
		extra   map[string][]byte
		deflate string
		want    string
	}{
		{"not a zip", "legacy or garbage files get a clear message", []byte("\x80\x02not a zip"), nil, nil, "",
			"not a torch.save zip archive"},
		{"no data.pkl", "the state dict pickle is required", nil,
			func(name string, data []byte) (string, []byte, bool) {
				return strings.Replace(name, "data.pkl", "other.pkl", 1), data, true
			}, nil, "", "has no <name>/data.pkl"},
		{"torchscript", "TorchScript archives are not state dicts", nil, keep,
			map[string][]byte{"pytorch_model/constants.pkl": {0x80, 0x02, '.'}}, "", "TorchScript"},
		{"big endian", "only little-endian storages are read", nil, keep,
			map[string][]byte{"pytorch_model/byteorder": []byte("big")}, "", `byteorder "big"`},
		{"missing storage", "a tensor whose storage is absent", nil,
			func(name string, data []byte) (string, []byte, bool) {
				return name, data, !strings.Contains(name, "/data/")
			}, nil, "", "is missing from the archive"},
		{"short storage", "a storage smaller than the pickle says", nil,
			func(name string, data []byte) (string, []byte, bool) {
				if strings.Contains(name, "/data/") {
					return name, data[:len(data)-2], true
				}
				return name, data, true
			}, nil, "", "does not hold"},
		{"compressed storage", "storages are stored, so their size bounds the allocation", nil, keep, nil,
			"pytorch_model/data/0", "method 8"},
		{"huge string", "a forged length must fail before gopickle allocates it", nil, pkl(hugeUnicode), nil, "",
			"claims 1099511627776 bytes"},
		{"unknown opcode", "opcodes outside protocols 0-5", nil, pkl([]byte{0x80, 0x02, 0xff, '.'}), nil, "",
			"opcode 0xff"},
		{"no stop", "a truncated pickle", nil, pkl([]byte{0x80, 0x02, '}'}), nil, "", "no STOP"},
		{"evil global", "arbitrary globals are refused", nil, pkl([]byte("\x80\x02cos\nsystem\nq\x00.")), nil, "",
			"os.system is not allowed"},
		{"not a dict", "the pickle must be a state dict", nil, pkl([]byte{0x80, 0x02, 'K', 5, '.'}), nil, "",
			"holds a int, not a state dict"},
		{"not a tensor", "state dict values are tensors", nil,
			pkl([]byte("\x80\x02}X\x01\x00\x00\x00aK\x01s.")), nil, "", `entry "a" is a int, not a tensor`},
		{"stack underflow", "a broken program is an error, not a panic", nil, pkl([]byte{0x80, 0x02, 's', '.'}), nil, "",
			"data.pkl"},
		{"empty dict", "a valid but empty state dict misses every tensor", nil, pkl([]byte{0x80, 0x02, '}', '.'}), nil, "",
			"missing tensors"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := ckptCopyDir(t, "tiny-b")
			dst := filepath.Join(dir, ckptTorchFile)
			if tc.raw != nil {
				require.NoError(t, os.WriteFile(dst, tc.raw, 0o600))
			} else {
				ckptRewriteZip(t, src, dst, tc.edit, tc.extra, tc.deflate)
			}
			w, err := readWeights(dir, cfg)
			require.ErrorIs(t, err, ErrBadCheckpoint, tc.reason)
			assert.Nil(t, w)
			assert.Contains(t, err.Error(), tc.want, tc.reason)
		})
	}

	// The rewrite helper itself keeps a loadable file.
	dir := ckptCopyDir(t, "tiny-b")
	ckptRewriteZip(t, src, filepath.Join(dir, ckptTorchFile), keep,
		map[string][]byte{"pytorch_model/byteorder": []byte("little")}, "")
	_, err = readWeights(dir, cfg)
	require.NoError(t, err)
}

func TestTorchFile_readFloat32_views(t *testing.T) {
	t.Parallel()
	// A hand-built storage of 0..11 (the cache stands in for the zip entry).
	data := make([]float32, 12)
	for i := range data {
		data[i] = float32(i)
	}
	s := &torchStorage{dtype: "F32", class: "FloatStorage", key: "0", numel: 12}
	tests := []struct {
		name   string
		reason string
		t      torchTensor
		want   []float32
		err    string
	}{
		{"contiguous", "a plain [3,4] tensor", torchTensor{s, 0, []int{3, 4}, []int64{4, 1}},
			data, ""},
		{"transposed", "a [4,3] view with stride (1,4)", torchTensor{s, 0, []int{4, 3}, []int64{1, 4}},
			[]float32{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, ""},
		{"offset", "row 2 of the [3,4] storage", torchTensor{s, 8, []int{4}, []int64{1}}, []float32{8, 9, 10, 11}, ""},
		{"scalar", "a 0-d tensor at offset 5", torchTensor{s, 5, []int{}, []int64{}}, []float32{5}, ""},
		{"empty", "a zero-size view", torchTensor{s, 0, []int{0, 4}, []int64{4, 1}}, []float32{}, ""},
		{"past end", "offset plus extent beyond the storage", torchTensor{s, 9, []int{4}, []int64{1}}, nil,
			"reaches past its storage"},
		{"too large", "more elements than the storage holds", torchTensor{s, 0, []int{4, 4}, []int64{4, 1}}, nil,
			"larger than its storage"},
		{"broadcast", "stride-0 views may not multiply the storage", torchTensor{s, 0, []int{1 << 20, 1 << 20}, []int64{0, 0}},
			nil, "larger than its storage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tt := tc.t
			tf := &torchFile{tensors: map[string]*torchTensor{"x": &tt}, cache: map[string][]float32{"0": data}, budget: 12}
			got, err := tf.readFloat32("x")
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err, tc.reason)
				return
			}
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, got, tc.reason)
		})
	}
}

func TestTorchFile_budget(t *testing.T) {
	t.Parallel()
	// Tensors that all view one 4-element storage: gathering stops once
	// they would take more than budgetFactor times the stored elements.
	s := &torchStorage{dtype: "F32", class: "FloatStorage", key: "0", numel: 4}
	tensors := map[string]*torchTensor{}
	for i := range budgetFactor + 1 {
		tensors[strconv.Itoa(i)] = &torchTensor{s, 0, []int{2, 2}, []int64{2, 1}}
	}
	tf := &torchFile{tensors: tensors, cache: map[string][]float32{"0": {1, 2, 3, 4}}, budget: budgetFactor * s.numel}
	for i := range budgetFactor {
		_, err := tf.readFloat32(strconv.Itoa(i))
		require.NoError(t, err, i)
	}
	_, err := tf.readFloat32(strconv.Itoa(budgetFactor))
	require.ErrorContains(t, err, "share storage beyond its size")
}

func TestScanPickle(t *testing.T) {
	t.Parallel()
	u64 := func(n uint64) []byte { return binary.LittleEndian.AppendUint64(nil, n) }
	u32 := func(n uint32) []byte { return binary.LittleEndian.AppendUint32(nil, n) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name, reason string
		p            []byte
		err          string
	}{
		{"empty dict", "PROTO 2, EMPTY_DICT, STOP", []byte{0x80, 2, '}', '.'}, ""},
		{"short unicode", "SHORT_BINUNICODE of 3 bytes", []byte{0x80, 4, 0x8c, 3, 'a', 'b', 'c', '.'}, ""},
		{"frame", "a FRAME whose length fits; its opcodes are scanned", cat([]byte{0x80, 4, 0x95}, u64(2), []byte{'}', '.'}), ""},
		{"global lines", "GLOBAL has two lines", []byte("\x80\x02ctorch\nFloatStorage\n."), ""},
		{"binunicode too long", "4-byte length past the end", cat([]byte{'X'}, u32(100), []byte("ab.")), "claims 100 bytes"},
		{"binstring negative", "BINSTRING lengths are signed", cat([]byte{'T'}, u32(0xffffffff), []byte(".")), "negative length"},
		{"long4 negative", "LONG4 lengths are signed", cat([]byte{0x8b}, u32(0x80000000), []byte(".")), "negative length"},
		{"frame too long", "frames allocate their length", cat([]byte{0x95}, u64(1<<62), []byte(".")), "claims"},
		{"bytes8", "BINBYTES8 length past the end", cat([]byte{0x8e}, u64(10), []byte("12345678.")), "claims 10 bytes"},
		{"truncated fixed", "BININT needs 4 bytes", []byte{'J', 1, 2}, "truncated"},
		{"truncated length", "BINUNICODE8 needs 8 length bytes", []byte{0x8d, 1, 2}, "truncated"},
		{"no newline", "a line argument must end", []byte("Iabc"), "no end of line"},
		{"one line of two", "GLOBAL needs two lines", []byte("cmodule\n"), "no end of line"},
		{"unknown", "0xff is not an opcode", []byte{0xff}, "opcode 0xff"},
		{"no stop", "the program must stop", []byte{0x80, 2, '}'}, "no STOP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := scanPickle(tc.p)
			if tc.err == "" {
				require.NoError(t, err, tc.reason)
				return
			}
			require.ErrorContains(t, err, tc.err, tc.reason)
		})
	}
}

// FuzzUnpickle runs arbitrary data.pkl contents through the scan and the
// restricted unpickler. Properties: no panic escapes (gopickle's are
// recovered), and every tensor of a state dict that unpickles either reads
// or fails cleanly.
func FuzzUnpickle(f *testing.F) {
	for _, path := range []string{"testdata/tiny-b/pytorch_model.bin", "testdata/pickle/state_proto4.bin"} {
		zr, err := zip.OpenReader(path)
		require.NoError(f, err)
		for _, e := range zr.File {
			if strings.HasSuffix(e.Name, "data.pkl") {
				b, err := readZipEntry(e, maxPickleSize)
				require.NoError(f, err)
				f.Add(b)
			}
		}
		require.NoError(f, zr.Close())
	}
	f.Add([]byte{0x80, 0x02, '}', '.'})
	f.Add([]byte("\x80\x02}X\x01\x00\x00\x00aK\x01s."))
	f.Fuzz(func(t *testing.T, p []byte) {
		if scanPickle(p) != nil {
			return
		}
		storages := map[string]*torchStorage{}
		root, err := unpickle(p, storages)
		if err != nil {
			return
		}
		tf := &torchFile{entries: map[string]*zip.File{}, cache: map[string][]float32{}}
		if tf.collect(root) != nil {
			return
		}
		for _, s := range storages {
			tf.budget += budgetFactor * s.numel
			if s.numel <= 1<<16 { // larger storages are "missing from the archive"
				tf.cache[s.key] = make([]float32, s.numel)
			}
		}
		for _, name := range tf.tensorNames() {
			got, err := tf.readFloat32(name)
			if err == nil {
				require.Len(t, got, ckptNumel(tf.tensorShape(name)))
			}
		}
	})
}
