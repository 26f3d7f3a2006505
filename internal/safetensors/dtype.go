package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
)

// DType is a safetensors element type, spelled as in the file header
// ("F32", "BF16", ...). The zero value is not a valid DType.
type DType string

// The dtypes of the safetensors specification. Only F64, F32, F16 and BF16
// convert to float32; the others are recognised so that files holding them
// (such as an int64 position_ids buffer) can still be read.
const (
	Bool   DType = "BOOL"
	U8     DType = "U8"
	I8     DType = "I8"
	F8E5M2 DType = "F8_E5M2"
	F8E4M3 DType = "F8_E4M3"
	I16    DType = "I16"
	U16    DType = "U16"
	F16    DType = "F16"
	BF16   DType = "BF16"
	I32    DType = "I32"
	U32    DType = "U32"
	F32    DType = "F32"
	F64    DType = "F64"
	I64    DType = "I64"
	U64    DType = "U64"
)

// Size returns the size of one element in bytes, or 0 for an unknown dtype.
func (d DType) Size() int {
	switch d {
	case Bool, U8, I8, F8E5M2, F8E4M3:
		return 1
	case I16, U16, F16, BF16:
		return 2
	case I32, U32, F32:
		return 4
	case F64, I64, U64:
		return 8
	}
	return 0
}

// float reports whether d converts to float32 with [File.Float32].
func (d DType) float() bool {
	switch d {
	case F16, BF16, F32, F64:
		return true
	}
	return false
}

// Decode converts the little-endian elements of dtype d in src to float32
// in dst, as [File.Float32] does: exactly for F32, F16 and BF16, rounding to
// nearest for F64. It returns an error wrapping [ErrDType] for a dtype that
// is not a float, and one wrapping [ErrFormat] when len(src) is not
// len(dst) * d.Size().
func Decode(dst []float32, src []byte, d DType) error {
	if !d.float() {
		return fmt.Errorf("%w: %q", ErrDType, d)
	}
	if len(src) != len(dst)*d.Size() {
		return fmt.Errorf("%w: %d bytes of %s for %d values", ErrFormat, len(src), d, len(dst))
	}
	decodeFloat32(dst, src, d)
	return nil
}

// decodeFloat32 converts little-endian elements of dtype d in b to float32;
// len(b) must be len(dst) * d.Size() and d must be a float dtype.
func decodeFloat32(dst []float32, b []byte, d DType) {
	switch d {
	case F32:
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case F64:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	case F16:
		for i := range dst {
			dst[i] = math.Float32frombits(f16ToF32Bits(binary.LittleEndian.Uint16(b[2*i:])))
		}
	case BF16:
		for i := range dst {
			dst[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		}
	}
}

// f16ToF32Bits widens IEEE 754 binary16 bits to binary32 bits exactly:
// signed zeros, subnormals (normalised), infinities and NaNs (payload kept,
// quiet bit set as the widening does on x86 and ARM) included.
func f16ToF32Bits(h uint16) uint32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		if mant == 0 {
			return sign | 0x7f800000
		}
		return sign | 0x7fc00000 | mant<<13
	case exp != 0: // normal: rebias 15 -> 127
		return sign | (exp+112)<<23 | mant<<13
	case mant == 0: // signed zero
		return sign
	}
	// Subnormal: value = mant * 2^-24. Shift the leading 1 into the implicit
	// position, adjusting the exponent.
	e := uint32(113) // exponent of 2^-14 in binary32 is 127-14 = 113
	for mant&0x400 == 0 {
		mant <<= 1
		e--
	}
	return sign | e<<23 | (mant&0x3ff)<<13
}
