package bert

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/hatetweet/hatetweet/internal/safetensors"
)

// maxPickleSize bounds data.pkl, the pickled state dict (about 100 bytes
// per tensor: a BERT-large state dict pickles to well under 1 MB).
const maxPickleSize = 64 << 20

// budgetFactor bounds the float32 elements gathered from a torch file to
// this many times the elements its storages hold.
const budgetFactor = 4

// torchFile is a pytorch_model.bin written by torch.save in the zip format
// of PyTorch >= 1.6: <archive>/data.pkl holds the pickled state dict, whose
// tensors point at storages <archive>/data/<key>. Tensor data is read and
// converted on demand. It is used by one goroutine at a time.
type torchFile struct {
	file    *os.File
	size    int64
	entries map[string]*zip.File // storage entries by key
	tensors map[string]*torchTensor
	names   []string
	cache   map[string][]float32 // decoded storages by key
	budget  int64                // float32 elements that may still be gathered (see budgetFactor)
}

// torchStorage is a storage reference from the pickle's persistent ids.
type torchStorage struct {
	dtype safetensors.DType // "" for a storage type this package cannot convert
	class string            // e.g. "FloatStorage", for messages
	key   string
	numel int64
}

// torchTensor is a strided view on a storage, as _rebuild_tensor_v2 gives.
type torchTensor struct {
	storage *torchStorage
	offset  int64
	shape   []int
	stride  []int64
}

// storageClass is the unpickled value of a torch.*Storage global.
type storageClass struct {
	name  string
	dtype safetensors.DType
}

// torchStorageDTypes maps torch's legacy storage class names to safetensors
// dtypes; integer and boolean storages are recognised (position_ids is an
// int64 buffer) but do not convert to float32.
var torchStorageDTypes = map[string]safetensors.DType{
	"FloatStorage":    safetensors.F32,
	"HalfStorage":     safetensors.F16,
	"BFloat16Storage": safetensors.BF16,
	"DoubleStorage":   safetensors.F64,
	"LongStorage":     safetensors.I64,
	"IntStorage":      safetensors.I32,
	"ShortStorage":    safetensors.I16,
	"CharStorage":     safetensors.I8,
	"ByteStorage":     safetensors.U8,
	"BoolStorage":     safetensors.Bool,
}

// openTorchFile opens and unpickles the state dict of the pytorch_model.bin
// at p. It reads only data.pkl; storages are read by readFloat32. Errors are
// unprefixed; the caller wraps them with [ErrBadCheckpoint].
func openTorchFile(p string) (tf *torchFile, err error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, f.Close())
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are never used as paths here
		return nil, fmt.Errorf("%s is not a torch.save zip archive (the legacy format of PyTorch < 1.6 is not supported): %w", p, err)
	}
	tf = &torchFile{file: f, size: st.Size(), entries: map[string]*zip.File{}, cache: map[string][]float32{}}
	pkl, prefix, err := findDataPickle(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	for _, e := range zr.File {
		if key, ok := strings.CutPrefix(e.Name, prefix+"data/"); ok {
			tf.entries[key] = e
		}
		if e.Name == prefix+"byteorder" {
			b, err := readZipEntry(e, 16)
			if err != nil {
				return nil, fmt.Errorf("%s: byteorder: %w", p, err)
			}
			if string(b) != "little" {
				return nil, fmt.Errorf("%s: byteorder %q is not supported, only little-endian", p, b)
			}
		}
	}
	b, err := readZipEntry(pkl, maxPickleSize)
	if err != nil {
		return nil, fmt.Errorf("%s: data.pkl: %w", p, err)
	}
	if err := scanPickle(b); err != nil {
		return nil, fmt.Errorf("%s: data.pkl: %w", p, err)
	}
	storages := map[string]*torchStorage{}
	root, err := unpickle(b, storages)
	if err != nil {
		return nil, fmt.Errorf("%s: data.pkl: %w", p, err)
	}
	if err := tf.collect(root); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	// Views may share a storage (tied weights, slices), so gathering can
	// legitimately exceed the stored elements; the budget allows 4 times
	// them, which keeps allocation proportional to the file size even when
	// every tensor views the same large storage.
	for _, s := range storages {
		tf.budget += budgetFactor * s.numel
	}
	return tf, nil
}

// findDataPickle returns the archive's data.pkl entry and the archive
// prefix ("name/") that its storages share.
func findDataPickle(zr *zip.Reader) (*zip.File, string, error) {
	var found *zip.File
	for _, e := range zr.File {
		dir, base := path.Split(e.Name)
		if strings.Count(dir, "/") != 1 {
			continue
		}
		switch base {
		case "constants.pkl":
			return nil, "", errors.New("TorchScript archives are not supported, only torch.save state dicts")
		case "data.pkl":
			if found != nil {
				return nil, "", errors.New("archive holds more than one data.pkl")
			}
			found = e
		}
	}
	if found == nil {
		return nil, "", errors.New("archive has no <name>/data.pkl")
	}
	dir, _ := path.Split(found.Name)
	return found, dir, nil
}

// readZipEntry reads a whole entry of at most limit bytes.
func readZipEntry(e *zip.File, limit int64) (b []byte, err error) {
	if e.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("entry %s is %d bytes, more than %d", e.Name, e.UncompressedSize64, limit)
	}
	r, err := e.Open()
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, r.Close()) }()
	b, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("entry %s is more than %d bytes", e.Name, limit)
	}
	return b, nil
}

// unpickle runs the scanned pickle program p with only the globals a state
// dict needs, recording storage references in storages. A panic inside
// gopickle becomes an error.
func unpickle(p []byte, storages map[string]*torchStorage) (root any, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("unpickling failed: %v", r)
		}
	}()
	u := pickle.NewUnpickler(bytes.NewReader(p))
	u.FindClass = findTorchClass
	u.PersistentLoad = func(id any) (any, error) { return persistentLoad(id, storages) }
	return u.Load()
}

// findTorchClass resolves the pickle globals of a state dict and refuses
// every other one (collections.OrderedDict is built into gopickle).
func findTorchClass(module, name string) (any, error) {
	switch module + "." + name {
	case "torch._utils._rebuild_tensor_v2":
		return rebuildTensor{}, nil
	case "torch._utils._rebuild_parameter":
		return rebuildParameter{}, nil
	}
	if module == "torch" {
		if dt, ok := torchStorageDTypes[name]; ok {
			return storageClass{name: name, dtype: dt}, nil
		}
	}
	return nil, fmt.Errorf("pickle global %s.%s is not allowed in a state dict", module, name)
}

// persistentLoad resolves ('storage', class, key, location, numel).
func persistentLoad(id any, storages map[string]*torchStorage) (any, error) {
	t, ok := id.(*types.Tuple)
	if !ok || t.Len() < 5 {
		return nil, fmt.Errorf("persistent id %v is not a storage tuple", id)
	}
	if kind, _ := t.Get(0).(string); kind != "storage" {
		return nil, fmt.Errorf("persistent id of kind %v is not supported", t.Get(0))
	}
	class, ok1 := t.Get(1).(storageClass)
	key, ok2 := t.Get(2).(string)
	numel, ok3 := toInt64(t.Get(4))
	if !ok1 || !ok2 || !ok3 || numel < 0 {
		return nil, fmt.Errorf("malformed storage reference %v", id)
	}
	if s, ok := storages[key]; ok {
		if s.class != class.name || s.numel != numel {
			return nil, fmt.Errorf("storage %q is referenced with two types or sizes", key)
		}
		return s, nil
	}
	s := &torchStorage{dtype: class.dtype, class: class.name, key: key, numel: numel}
	storages[key] = s
	return s, nil
}

// rebuildTensor is torch._utils._rebuild_tensor_v2(storage, storage_offset,
// size, stride, requires_grad, backward_hooks[, metadata]).
type rebuildTensor struct{}

// Call implements types.Callable.
func (rebuildTensor) Call(args ...any) (any, error) {
	if len(args) != 6 && len(args) != 7 {
		return nil, fmt.Errorf("_rebuild_tensor_v2 takes 6 or 7 arguments, got %d", len(args))
	}
	s, ok := args[0].(*torchStorage)
	if !ok {
		return nil, fmt.Errorf("_rebuild_tensor_v2: %T is not a storage", args[0])
	}
	offset, ok := toInt64(args[1])
	if !ok || offset < 0 {
		return nil, fmt.Errorf("_rebuild_tensor_v2: bad storage offset %v", args[1])
	}
	size, ok1 := args[2].(*types.Tuple)
	stride, ok2 := args[3].(*types.Tuple)
	if !ok1 || !ok2 || size.Len() != stride.Len() {
		return nil, fmt.Errorf("_rebuild_tensor_v2: bad size or stride")
	}
	t := &torchTensor{storage: s, offset: offset, shape: make([]int, size.Len()), stride: make([]int64, size.Len())}
	for i := range t.shape {
		d, ok1 := toInt64(size.Get(i))
		st, ok2 := toInt64(stride.Get(i))
		if !ok1 || !ok2 || d < 0 || d > maxDim || st < 0 {
			return nil, fmt.Errorf("_rebuild_tensor_v2: bad dimension %v or stride %v", size.Get(i), stride.Get(i))
		}
		t.shape[i], t.stride[i] = int(d), st
	}
	return t, nil
}

// rebuildParameter is torch._utils._rebuild_parameter(data, requires_grad,
// backward_hooks), which a pickled nn.Parameter uses.
type rebuildParameter struct{}

// Call implements types.Callable.
func (rebuildParameter) Call(args ...any) (any, error) {
	if len(args) != 3 {
		return nil, fmt.Errorf("_rebuild_parameter takes 3 arguments, got %d", len(args))
	}
	t, ok := args[0].(*torchTensor)
	if !ok {
		return nil, fmt.Errorf("_rebuild_parameter: %T is not a tensor", args[0])
	}
	return t, nil
}

// toInt64 converts a pickled integer.
func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), true
		}
	}
	return 0, false
}

// collect records the tensors of the unpickled state dict root.
func (tf *torchFile) collect(root any) error {
	tf.tensors = map[string]*torchTensor{}
	add := func(k, v any) error {
		name, ok := k.(string)
		if !ok {
			return fmt.Errorf("state dict key %v is not a string", k)
		}
		t, ok := v.(*torchTensor)
		if !ok {
			return fmt.Errorf("state dict entry %q is a %T, not a tensor", name, v)
		}
		if _, dup := tf.tensors[name]; !dup {
			tf.names = append(tf.names, name)
		}
		tf.tensors[name] = t // a repeated key keeps the last value, as a Python dict does
		return nil
	}
	switch r := root.(type) {
	case *types.OrderedDict:
		for e := r.List.Front(); e != nil; e = e.Next() {
			entry, ok := e.Value.(*types.OrderedDictEntry)
			if !ok {
				return errors.New("malformed OrderedDict")
			}
			if err := add(entry.Key, entry.Value); err != nil {
				return err
			}
		}
	case *types.Dict:
		for _, entry := range *r {
			if err := add(entry.Key, entry.Value); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("data.pkl holds a %T, not a state dict", root)
	}
	sort.Strings(tf.names)
	return nil
}

// tensorNames implements tensorSource.
func (tf *torchFile) tensorNames() []string { return tf.names }

// tensorShape implements tensorSource.
func (tf *torchFile) tensorShape(name string) []int { return tf.tensors[name].shape }

// readFloat32 implements tensorSource: it gathers the strided view into a
// new row-major slice, converted to float32.
func (tf *torchFile) readFloat32(name string) ([]float32, error) {
	t, ok := tf.tensors[name]
	if !ok {
		return nil, fmt.Errorf("no tensor %q", name)
	}
	s := t.storage
	numel := int64(1)
	for _, d := range t.shape {
		if d == 0 {
			numel = 0
			break
		}
	}
	for _, d := range t.shape {
		if numel == 0 {
			break
		}
		if numel > s.numel/int64(d) { // numel*d would exceed the storage (and cannot overflow)
			return nil, fmt.Errorf("tensor %q of shape %v is larger than its storage of %d elements", name, t.shape, s.numel)
		}
		numel *= int64(d)
	}
	data, err := tf.storageData(s)
	if err != nil {
		return nil, fmt.Errorf("tensor %q: %w", name, err)
	}
	if numel > tf.budget {
		return nil, fmt.Errorf("tensor %q: the file's tensors share storage beyond its size", name)
	}
	if numel == 0 {
		return []float32{}, nil
	}
	last := t.offset
	for i, d := range t.shape {
		last += int64(d-1) * t.stride[i]
	}
	if last >= s.numel || last < 0 {
		return nil, fmt.Errorf("tensor %q (offset %d, shape %v, stride %v) reaches past its storage of %d elements",
			name, t.offset, t.shape, t.stride, s.numel)
	}
	tf.budget -= numel
	out := make([]float32, numel)
	if torchContiguous(t.shape, t.stride) {
		copy(out, data[t.offset:t.offset+numel])
		return out, nil
	}
	idx := make([]int, len(t.shape))
	for k := range out {
		at := t.offset
		for i, j := range idx {
			at += int64(j) * t.stride[i]
		}
		out[k] = data[at]
		for i := len(idx) - 1; i >= 0; i-- { // row-major increment
			idx[i]++
			if idx[i] < t.shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return out, nil
}

// torchContiguous reports whether stride is the row-major stride of shape
// (dimensions of size 1 may have any stride).
func torchContiguous(shape []int, stride []int64) bool {
	want := int64(1)
	for i := len(shape) - 1; i >= 0; i-- {
		if shape[i] != 1 && stride[i] != want {
			return false
		}
		want *= int64(shape[i])
	}
	return true
}

// storageData reads and converts a storage once.
func (tf *torchFile) storageData(s *torchStorage) ([]float32, error) {
	if d, ok := tf.cache[s.key]; ok {
		return d, nil
	}
	if s.dtype == "" || !floatDType(s.dtype) {
		return nil, fmt.Errorf("storage type %s is not a float type", s.class)
	}
	e, ok := tf.entries[s.key]
	if !ok {
		return nil, fmt.Errorf("storage %q is missing from the archive", s.key)
	}
	want := s.numel * int64(s.dtype.Size()) // numel < 2^63 / 8 is checked below via the entry size
	if s.numel > math.MaxInt64/8 || e.Method != zip.Store || e.CompressedSize64 != e.UncompressedSize64 ||
		e.UncompressedSize64 != uint64(want) || want > tf.size {
		return nil, fmt.Errorf("storage %q: entry of %d bytes (method %d) does not hold %d %s elements",
			s.key, e.UncompressedSize64, e.Method, s.numel, s.class)
	}
	r, err := e.Open()
	if err != nil {
		return nil, fmt.Errorf("storage %q: %w", s.key, err)
	}
	raw := make([]byte, want)
	_, err = io.ReadFull(r, raw)
	err = errors.Join(err, r.Close())
	if err != nil {
		return nil, fmt.Errorf("storage %q: %w", s.key, err)
	}
	d := make([]float32, s.numel)
	if err := safetensors.Decode(d, raw, s.dtype); err != nil {
		return nil, fmt.Errorf("storage %q: %w", s.key, err)
	}
	tf.cache[s.key] = d
	return d, nil
}

// floatDType reports whether d converts to float32.
func floatDType(d safetensors.DType) bool {
	switch d {
	case safetensors.F32, safetensors.F16, safetensors.BF16, safetensors.F64:
		return true
	}
	return false
}

// Close implements tensorSource.
func (tf *torchFile) Close() error {
	tf.cache = nil
	return tf.file.Close()
}
