// Package safetensors reads and writes the safetensors tensor file format used
// by HuggingFace checkpoints (model.safetensors).
//
// # Overview
//
// A safetensors file is an 8-byte little-endian header length N, N bytes of
// JSON header, then a data section. The header maps each tensor name to its
// dtype, shape and [begin, end) byte offsets in the data section, plus an
// optional "__metadata__" object of string pairs. [Read] and [ReadFile] parse
// and validate the header; [File.Float32] converts one tensor (F32, F16, BF16
// or F64) to float32. [Write] and [WriteFile] write float32 tensors in the
// layout HuggingFace's own writer produces: names sorted, header padded with
// spaces to a multiple of 8 bytes, tensors packed in header order.
//
// # Contract
//
// Input domain: any bytes. A malformed file gives an error wrapping
// [ErrFormat], never a panic, and allocation stays bounded by the file size:
// the header must be at most [MaxHeaderSize] bytes and fit in the file, every
// tensor's offsets must lie inside the data section, tensors must tile the
// data section exactly (no gaps, overlaps or trailing bytes, as the reference
// implementation requires), each byte length must equal the product of the
// shape times the dtype size (checked without overflow), names must be
// non-empty and unique, and dtypes known. Tensor data is read only when
// asked for, one tensor at a time.
//
// Ordering and determinism: [File.Names] is sorted; [Write] output depends
// only on its arguments (names sorted, metadata keys sorted).
//
// Concurrency: a [File] is immutable after [Read]; its methods are safe for
// concurrent use when the underlying io.ReaderAt is (an *os.File and a
// *bytes.Reader are).
//
// Errors: [ErrFormat] for malformed files or invalid tensors given to
// [Write]; [ErrNotFound] for a tensor name the file lacks; [ErrDType] for a
// dtype that [File.Float32] cannot convert. I/O errors are wrapped with %w.
//
// # See also
//
// The format specification at https://github.com/huggingface/safetensors and
// package github.com/hatetweet/hatetweet/bert, which loads and saves BERT
// checkpoints with it.
package safetensors
