package nn

import (
	"gonum.org/v1/gonum/blas"
	"gorgonia.org/gorgonia"
)

// gemm computes c = alpha·op(a)·op(b) + beta·c for row-major float32
// matrices, where op(a) is m×k and op(b) is k×n, through gorgonia's BLAS
// (pure Go by default).
func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, b []float32, beta float32, c []float32) {
	if m == 0 || n == 0 {
		return
	}
	ta, lda := blas.NoTrans, k
	if transA {
		ta, lda = blas.Trans, m
	}
	tb, ldb := blas.NoTrans, n
	if transB {
		tb, ldb = blas.Trans, k
	}
	if k == 0 {
		for i := range c[:m*n] {
			c[i] *= beta
		}
		return
	}
	gorgonia.WhichBLAS().Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, n)
}
