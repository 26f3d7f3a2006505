package nn

import (
	"fmt"
	"sync"
)

// This file holds the matrix products of the LSTM kernel: a small
// row-major float32 GEMM with strides, built on an AVX2/FMA micro-kernel
// where the CPU has one (lstm_gemm_amd64.s) and plain Go elsewhere.
// gorgonia's default BLAS (gonum, pure Go) runs these shapes at 5–9
// GFLOP/s on the 2-core reference machine, well below what the LSTM needs.

// Tile sizes of the micro-kernels.
const (
	tileRows  = 6  // rows of a 6×16 tile
	tileCols  = 16 // columns of a 6×16 tile
	stripCols = 64 // columns of a 1×64 row strip
)

// gemmScratch holds the packing buffers of one goroutine's products.
type gemmScratch struct {
	apack []float32 // one packed 6-row panel of op(a): k×6
	bpad  []float32 // the last, partial 16-column block of b: k×16
	tmp   [tileRows * tileCols]float32
}

// mm computes c = op(a)·b, or c += op(a)·b when accum is true, for
// row-major float32 matrices: op(a) is m×k, b is k×n with row stride ldb,
// and c is m×n with row stride ldc. op(a) is a (row stride lda) when
// transA is false, and aᵀ for a k×m matrix a (row stride lda) when it is
// true.
//
// mm panics when a slice is too short for its shape and stride: that is a
// broken invariant of the calling kernel, recovered into [ErrMath] by the
// op that runs the kernel.
func mm(s *gemmScratch, transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool) {
	if m <= 0 || n <= 0 {
		return
	}
	checkMM(transA, m, n, k, a, lda, b, ldb, c, ldc)
	if k == 0 {
		if !accum {
			for i := range m {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	if !lstmAVX2 {
		mmGeneric(transA, m, n, k, a, lda, b, ldb, c, ldc, accum)
		return
	}
	mmAVX2(s, transA, m, n, k, a, lda, b, ldb, c, ldc, accum)
}

func checkMM(transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	needA := (m-1)*lda + k
	if transA {
		needA = (k-1)*lda + m
	}
	if k > 0 && (len(a) < needA || (!transA && lda < k) || (transA && lda < m)) {
		panic(fmt.Sprintf("nn: gemm: a has %d values (stride %d) for %d×%d (transposed %v)", len(a), lda, m, k, transA))
	}
	if k > 0 && (len(b) < (k-1)*ldb+n || ldb < n) {
		panic(fmt.Sprintf("nn: gemm: b has %d values (stride %d) for %d×%d", len(b), ldb, k, n))
	}
	if len(c) < (m-1)*ldc+n || ldc < n {
		panic(fmt.Sprintf("nn: gemm: c has %d values (stride %d) for %d×%d", len(c), ldc, m, n))
	}
}

// mmGeneric is mm in plain Go.
func mmGeneric(transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool) {
	for i := range m {
		ci := c[i*ldc : i*ldc+n]
		if !accum {
			clear(ci)
		}
		for p := range k {
			var av float32
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			if av == 0 {
				continue
			}
			bp := b[p*ldb : p*ldb+n]
			for j, bv := range bp {
				ci[j] += av * bv
			}
		}
	}
}

// mmAVX2 is mm on the assembly micro-kernels. op(a) is cut into panels of
// 6 rows and b into blocks of 16 columns; partial panels and blocks are
// copied into zero-padded scratch, and partial tiles of c go through a
// temporary tile. Rows left over after the full panels use the 1×64 kernel
// where they can, since a one-row product is bound by loads, not by FMAs.
func mmAVX2(s *gemmScratch, transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool) {
	nFull := n / tileCols * tileCols
	if nFull < n {
		// Copy the last partial column block of b into a zero-padded
		// k×16 block.
		s.bpad = grow(s.bpad, k*tileCols)
		w := n - nFull
		for p := range k {
			row := s.bpad[p*tileCols : (p+1)*tileCols]
			copy(row, b[p*ldb+nFull:p*ldb+n])
			clear(row[w:])
		}
	}
	s.apack = grow(s.apack, k*tileRows)
	acc := 0
	if accum {
		acc = 1
	}
	mFull := m / tileRows * tileRows
	for i0 := 0; i0 < mFull; i0 += tileRows {
		ap, as := panel(s, transA, i0, tileRows, k, a, lda)
		for j0 := 0; j0 < nFull; j0 += tileCols {
			sgemm6x16(k, &ap[0], as, &b[j0], ldb, &c[i0*ldc+j0], ldc, acc)
		}
		if nFull < n {
			sgemm6x16(k, &ap[0], as, &s.bpad[0], tileCols, &s.tmp[0], tileCols, 0)
			addTile(c[i0*ldc+nFull:], ldc, s.tmp[:], tileRows, n-nFull, accum)
		}
	}
	if mFull == m {
		return
	}
	// Leftover rows: 1×64 strips first, then 6×16 tiles on a zero-padded
	// panel for the columns the strips did not cover.
	rows := m - mFull
	jWide := n / stripCols * stripCols
	for i := mFull; i < m; i++ {
		var ap []float32
		as := 1
		if transA {
			ap, as = a[i:], lda
		} else {
			ap = a[i*lda:]
		}
		for j0 := 0; j0 < jWide; j0 += stripCols {
			sgemm1x64(k, &ap[0], as, &b[j0], ldb, &c[i*ldc+j0], acc)
		}
	}
	if jWide == n {
		return
	}
	ap, as := panel(s, transA, mFull, rows, k, a, lda)
	for j0 := jWide; j0 < n; j0 += tileCols {
		bp, bs := b[j0:], ldb
		if j0 >= nFull {
			bp, bs = s.bpad, tileCols
		}
		sgemm6x16(k, &ap[0], as, &bp[0], bs, &s.tmp[0], tileCols, 0)
		addTile(c[mFull*ldc+j0:], ldc, s.tmp[:], rows, min(tileCols, n-j0), accum)
	}
}

// panel returns rows i0..i0+rows-1 of op(a) as a k×6 panel and its stride:
// a itself for a full panel of aᵀ, otherwise a zero-padded copy in
// s.apack.
func panel(s *gemmScratch, transA bool, i0, rows, k int, a []float32, lda int) ([]float32, int) {
	if transA && rows == tileRows {
		return a[i0:], lda
	}
	ap := s.apack[:k*tileRows]
	if rows < tileRows {
		clear(ap)
	}
	if transA {
		for p := range k {
			copy(ap[p*tileRows:p*tileRows+rows], a[p*lda+i0:p*lda+i0+rows])
		}
		return ap, tileRows
	}
	// Read each row of a once, front to back; the writes stay in the
	// small panel.
	for i := range rows {
		row := a[(i0+i)*lda : (i0+i)*lda+k]
		for p, v := range row {
			ap[p*tileRows+i] = v
		}
	}
	return ap, tileRows
}

// addTile stores (or adds, when accum) the top-left rows×cols of a tile
// with stride ts into c.
func addTile(c []float32, ldc int, tile []float32, rows, cols int, accum bool) {
	for i := range rows {
		dst := c[i*ldc : i*ldc+cols]
		src := tile[i*tileCols : i*tileCols+cols]
		if accum {
			for j, v := range src {
				dst[j] += v
			}
		} else {
			copy(dst, src)
		}
	}
}

// parallelMinFlops is the size of product below which mmPar stays on one
// goroutine: starting a goroutine costs about a microsecond, the time of
// roughly 50k FLOPs.
const parallelMinFlops = 1 << 20

// mmPar is mm with the rows of c split between two goroutines when the
// product is large enough to pay for it. s must hold two scratches.
func mmPar(s *[2]gemmScratch, transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool) {
	if 2*m*n*k < parallelMinFlops || m < 2*tileRows {
		mm(&s[0], transA, m, n, k, a, lda, b, ldb, c, ldc, accum)
		return
	}
	half := (m/2 + tileRows - 1) / tileRows * tileRows
	aOff := half * lda
	if transA {
		aOff = half
	}
	var wg sync.WaitGroup
	var perr any
	wg.Go(func() {
		defer func() { perr = recover() }()
		mm(&s[1], transA, m-half, n, k, a[aOff:], lda, b, ldb, c[half*ldc:], ldc, accum)
	})
	mm(&s[0], transA, half, n, k, a, lda, b, ldb, c, ldc, accum)
	wg.Wait()
	if perr != nil {
		panic(perr)
	}
}
