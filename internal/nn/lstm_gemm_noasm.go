//go:build !amd64 || purego

package nn

// lstmAVX2 and avx512 are false where the assembly micro-kernels do not
// exist.
const (
	lstmAVX2 = false
	avx512   = false
)

func sgemm6x16(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, accum int) {
	panic("nn: sgemm6x16 without assembly")
}

func sgemm6x16r(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, accum int, bias *float32) {
	panic("nn: sgemm6x16r without assembly")
}

func sgemm1x64(k int, a *float32, lda int, b *float32, ldb int, c *float32, accum int) {
	panic("nn: sgemm1x64 without assembly")
}

func sigmoidAVX2(dst, src *float32, n int) { panic("nn: sigmoidAVX2 without assembly") }

func tanhAVX2(dst, src *float32, n int) { panic("nn: tanhAVX2 without assembly") }

func lstmCellAVX2(gates, bias, cprev, c, tc, h *float32, n int) {
	panic("nn: lstmCellAVX2 without assembly")
}

func geluAVX2(y, cdf, x *float32, n int) { panic("nn: geluAVX2 without assembly") }

func geluGradAVX2(dx, grad, cdf, x *float32, n int) { panic("nn: geluGradAVX2 without assembly") }

func expShiftAVX2(dst, src *float32, shift float32, n int) float32 {
	panic("nn: expShiftAVX2 without assembly")
}

func sgemm6x32z(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, accum int, bias *float32) {
	panic("nn: sgemm6x32z without assembly")
}
