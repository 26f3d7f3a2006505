//go:build !purego

package nn

// lstmAVX2 reports whether the CPU and OS support AVX2 and FMA, so the
// assembly micro-kernels can run. It is set once at start-up and never
// changed.
var lstmAVX2 = lstmDetectAVX2()

// avx512 reports whether the CPU and OS also support AVX-512F, for the
// 6×32 micro-kernel. It is set once at start-up and never changed.
var avx512 = lstmAVX2 && detectAVX512()

func detectAVX512() bool {
	// Opmask, ZMM0-15 upper halves and ZMM16-31 state, besides XMM and
	// YMM, enabled by the OS.
	if xcr0, _ := lstmXGETBV(); xcr0&0xe6 != 0xe6 {
		return false
	}
	_, ebx7, _, _ := lstmCPUID(7, 0)
	return ebx7&(1<<16) != 0 // AVX512F
}

func lstmDetectAVX2() bool {
	maxID, _, _, _ := lstmCPUID(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := lstmCPUID(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&fma == 0 || ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if xcr0, _ := lstmXGETBV(); xcr0&6 != 6 { // XMM and YMM state enabled
		return false
	}
	_, ebx7, _, _ := lstmCPUID(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

//go:noescape
func lstmCPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

//go:noescape
func lstmXGETBV() (eax, edx uint32)

// sgemm6x16 computes c[i*ldc+j] = Σ_p a[p*lda+i]·b[p*ldb+j] for i < 6,
// j < 16, adding to c instead when accum is 1.
//
//go:noescape
func sgemm6x16(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, accum int)

// sgemm6x16r computes c[i*ldc+j] = Σ_p a[i*lda+p]·b[p*ldb+j] for i < 6,
// j < 16, adding to c instead when accum is 1: sgemm6x16 on six rows of a
// row-major a, read in place. A non-nil bias adds bias[j] to every row.
//
//go:noescape
func sgemm6x16r(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, accum int, bias *float32)

// sgemm6x32z is sgemm6x16r with AVX-512 over two adjacent 16-column
// panels of b (the second bstride values after the first), writing 32
// columns of c; a non-nil bias holds 32 values.
//
//go:noescape
func sgemm6x32z(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, accum int, bias *float32)

// sgemm1x64 computes c[j] = Σ_p a[p*lda]·b[p*ldb+j] for j < 64, adding to c
// instead when accum is 1.
//
//go:noescape
func sgemm1x64(k int, a *float32, lda int, b *float32, ldb int, c *float32, accum int)

// sigmoidAVX2 sets dst[i] = 1/(1+e^-src[i]) for i < n, n a multiple of 8.
//
//go:noescape
func sigmoidAVX2(dst, src *float32, n int)

// tanhAVX2 sets dst[i] = tanh src[i] for i < n, n a multiple of 8.
//
//go:noescape
func tanhAVX2(dst, src *float32, n int)

// lstmCellAVX2 is lstmCellForward for n a multiple of 8; a nil cprev is a
// zero previous cell state.
//
//go:noescape
func lstmCellAVX2(gates, bias, cprev, c, tc, h *float32, n int)

// geluAVX2 sets cdf[i] = Φ(x[i]) and y[i] = x[i]·cdf[i] for i < n, n a
// multiple of 8, as GELU.Forward does.
//
//go:noescape
func geluAVX2(y, cdf, x *float32, n int)

// geluGradAVX2 sets dx[i] = grad[i]·(cdf[i] + x[i]·φ(x[i])) for i < n, n a
// multiple of 8, as GELU.Backward does.
//
//go:noescape
func geluGradAVX2(dx, grad, cdf, x *float32, n int)

// expShiftAVX2 sets dst[i] = e^(src[i]-shift) for i < n, n a multiple of
// 8, with expNonPos's flush to 0 below -87.34, and returns their sum.
// src[i]-shift must not be positive.
//
//go:noescape
func expShiftAVX2(dst, src *float32, shift float32, n int) (sum float32)
