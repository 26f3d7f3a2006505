package nn

import (
	"fmt"
)

// This file holds the matrix products of the LSTM, Linear and Attention
// kernels: a small row-major float32 GEMM with strides, built on AVX2/FMA
// micro-kernels (and an AVX-512 one) where the CPU has them
// (lstm_gemm_amd64.s) and plain Go elsewhere. gorgonia's default BLAS
// (gonum, pure Go) runs these shapes at 5–20 GFLOP/s on the 2-core
// reference machine; these run at 60–100 GFLOP/s per core
// (BenchmarkMM).

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
	bpack []float32 // a block of b packed by packB
	bfull []float32 // a packedB unpacked, for the plain-Go fallback
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
	if m < packMinRows {
		mmAVX2(s, transA, m, n, k, a, lda, b, ldb, c, ldc, accum)
		return
	}
	// Cache blocking: each blockK×blockN block of b (512 KiB) is packed
	// into contiguous 16-column panels, which stay in L2 and stream
	// through the micro-kernel without strides while every row panel of
	// op(a) passes over them.
	for j0 := 0; j0 < n; j0 += blockN {
		nb := min(blockN, n-j0)
		for p0 := 0; p0 < k; p0 += blockK {
			kb := min(blockK, k-p0)
			aOff := p0
			if transA {
				aOff = p0 * lda
			}
			s.bpack = packB(s.bpack, kb, nb, b[p0*ldb+j0:], ldb)
			mmPacked(s, transA, m, nb, kb, a[aOff:], lda, s.bpack, c[j0:], ldc, accum || p0 > 0, nil)
		}
	}
}

// packedB is a k×n matrix b packed once for many products: its
// blockK×blockN blocks in the order mm visits them, each as packB lays it
// out. It is read-only once made.
type packedB struct {
	k, n int
	data []float32
}

// newPackedB packs the k×n row-major matrix b (row stride ldb).
func newPackedB(k, n int, b []float32, ldb int) *packedB {
	pb := &packedB{k: k, n: n}
	var block []float32
	for j0 := 0; j0 < n; j0 += blockN {
		nb := min(blockN, n-j0)
		for p0 := 0; p0 < k; p0 += blockK {
			kb := min(blockK, k-p0)
			block = packB(block, kb, nb, b[p0*ldb+j0:], ldb)
			pb.data = append(pb.data, block...)
		}
	}
	return pb
}

// mmPackedB is mm with b packed by newPackedB: c = op(a)·b, or c +=
// op(a)·b when accum is true. A non-nil bias (b.n values) is added to
// every row of c.
func mmPackedB(s *gemmScratch, transA bool, m int, a []float32, lda int, b *packedB, c []float32, ldc int, accum bool, bias []float32) {
	n, k := b.n, b.k
	if m <= 0 || n <= 0 {
		return
	}
	if !lstmAVX2 || k == 0 {
		// Without the micro-kernels, unpack the blocks into a plain
		// matrix first.
		s.bfull = grow(s.bfull, k*n)
		b.unpack(s.bfull)
		mm(s, transA, m, n, k, a, lda, s.bfull, n, c, ldc, accum)
		if bias != nil {
			addBias(c, ldc, bias[:n], m)
		}
		return
	}
	checkA(transA, m, k, a, lda)
	checkC(m, n, c, ldc)
	mmPackedBCols(s, transA, m, a, lda, b, c, ldc, accum, bias, 0, n)
}

// mmPackedBCols is mmPackedB for columns [jlo, jhi) of b and c only;
// jlo must be a multiple of 16 (a panel boundary).
func mmPackedBCols(s *gemmScratch, transA bool, m int, a []float32, lda int, b *packedB, c []float32, ldc int, accum bool, bias []float32, jlo, jhi int) {
	n, k := b.n, b.k
	off := 0
	for j0 := 0; j0 < n; j0 += blockN {
		nb := min(blockN, n-j0)
		np := (nb + tileCols - 1) / tileCols
		// The part of this block inside [jlo, jhi), relative to j0.
		lo, hi := max(jlo, j0)-j0, min(jhi, j0+nb)-j0
		for p0 := 0; p0 < k; p0 += blockK {
			kb := min(blockK, k-p0)
			size := np * kb * tileCols
			if lo < hi {
				aOff := p0
				if transA {
					aOff = p0 * lda
				}
				var bb []float32
				if bias != nil && p0 == 0 {
					bb = bias[j0+lo : j0+hi]
				}
				blk := b.data[off+lo*kb : off+size]
				mmPacked(s, transA, m, hi-lo, kb, a[aOff:], lda, blk, c[j0+lo:], ldc, accum || p0 > 0, bb)
			}
			off += size
		}
	}
}

// unpack writes b as a k×n row-major matrix into dst.
func (b *packedB) unpack(dst []float32) {
	off := 0
	for j0 := 0; j0 < b.n; j0 += blockN {
		nb := min(blockN, b.n-j0)
		np := (nb + tileCols - 1) / tileCols
		for p0 := 0; p0 < b.k; p0 += blockK {
			kb := min(blockK, b.k-p0)
			for jp := range np {
				w := min(tileCols, nb-jp*tileCols)
				panel := b.data[off+jp*kb*tileCols:]
				for p := range kb {
					copy(dst[(p0+p)*b.n+j0+jp*tileCols:][:w], panel[p*tileCols:p*tileCols+w])
				}
			}
			off += np * kb * tileCols
		}
	}
}

// packMinRows is the least number of rows of c for which mm packs b: with
// fewer, each value of b is used too few times to pay for its copy, and
// mmAVX2's one-row strips read b in place.
const packMinRows = 2 * tileRows

// packB copies the k×n block b (row stride ldb) into dst, grown as
// needed and returned, as ⌈n/16⌉ panels of k×16 values, each contiguous,
// the last one zero-padded.
func packB(dst []float32, k, n int, b []float32, ldb int) []float32 {
	panels := (n + tileCols - 1) / tileCols
	bp := grow(dst, panels*k*tileCols)
	nFull := n / tileCols * tileCols
	// Row by row, so that b streams from memory front to back; the
	// writes land in the packed block, which stays in cache.
	for p := range k {
		row := b[p*ldb : p*ldb+n]
		for j0 := 0; j0 < nFull; j0 += tileCols {
			o := j0*k + p*tileCols
			copy(bp[o:o+tileCols], row[j0:j0+tileCols])
		}
		if nFull < n {
			o := nFull*k + p*tileCols
			copy(bp[o:o+tileCols], row[nFull:])
			clear(bp[o+n-nFull : o+tileCols])
		}
	}
	return bp
}

// mmPacked is mm for k ≤ blockK on the panels of b made by packB: c =
// op(a)·b, or c += op(a)·b when accum is true. A non-nil bias (n values)
// is added to every row of c.
func mmPacked(s *gemmScratch, transA bool, m, n, k int, a []float32, lda int, bpack []float32, c []float32, ldc int, accum bool, bias []float32) {
	s.apack = grow(s.apack, k*tileRows)
	acc := 0
	if accum {
		acc = 1
	}
	nFull := n / tileCols * tileCols
	for i0 := 0; i0 < m; i0 += tileRows {
		rows := min(tileRows, m-i0)
		if !transA && rows == tileRows && nFull == n {
			// Six whole rows of a row-major a: read them in place, 32
			// columns at a time with AVX-512.
			j0 := 0
			if avx512 {
				for ; j0+2*tileCols <= n; j0 += 2 * tileCols {
					var bj *float32
					if bias != nil {
						bj = &bias[j0]
					}
					sgemm6x32z(k, &a[i0*lda], lda, &bpack[j0*k], k*tileCols, &c[i0*ldc+j0], ldc, acc, bj)
				}
			}
			for ; j0 < n; j0 += tileCols {
				var bj *float32
				if bias != nil {
					bj = &bias[j0]
				}
				sgemm6x16r(k, &a[i0*lda], lda, &bpack[j0*k], tileCols, &c[i0*ldc+j0], ldc, acc, bj)
			}
			continue
		}
		ap, as := panel(s, transA, i0, rows, k, a, lda)
		for j0 := 0; j0 < n; j0 += tileCols {
			bp := bpack[j0*k:]
			cols := min(tileCols, n-j0)
			if rows == tileRows && j0 < nFull {
				sgemm6x16(k, &ap[0], as, &bp[0], tileCols, &c[i0*ldc+j0], ldc, acc)
				if bias != nil {
					addBias(c[i0*ldc+j0:], ldc, bias[j0:j0+cols], rows)
				}
				continue
			}
			sgemm6x16(k, &ap[0], as, &bp[0], tileCols, &s.tmp[0], tileCols, 0)
			if bias != nil {
				addBias(s.tmp[:], tileCols, bias[j0:j0+cols], rows)
			}
			addTile(c[i0*ldc+j0:], ldc, s.tmp[:], rows, cols, accum)
		}
	}
}

// addBias adds bias to the first len(bias) values of rows rows of c (row
// stride ldc).
func addBias(c []float32, ldc int, bias []float32, rows int) {
	for i := range rows {
		row := c[i*ldc : i*ldc+len(bias)]
		for j, v := range bias {
			row[j] += v
		}
	}
}

// Block sizes of mm's cache blocking: a blockK×blockN block of b is
// 512 KiB of float32, half the L2 of the reference machine (AMD EPYC,
// 1 MiB per core). A deeper block means fewer passes over c: for k = 1024
// it ran 57 → 79 GFLOP/s from 256 to 512 (BenchmarkMM/bert_b64_out).
const (
	blockK = 512
	blockN = 256
)

func checkMM(transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	checkA(transA, m, k, a, lda)
	if k > 0 && (len(b) < (k-1)*ldb+n || ldb < n) {
		panic(fmt.Sprintf("nn: gemm: b has %d values (stride %d) for %d×%d", len(b), ldb, k, n))
	}
	checkC(m, n, c, ldc)
}

func checkA(transA bool, m, k int, a []float32, lda int) {
	needA := (m-1)*lda + k
	if transA {
		needA = (k-1)*lda + m
	}
	if k > 0 && (len(a) < needA || (!transA && lda < k) || (transA && lda < m)) {
		panic(fmt.Sprintf("nn: gemm: a has %d values (stride %d) for %d×%d (transposed %v)", len(a), lda, m, k, transA))
	}
}

func checkC(m, n int, c []float32, ldc int) {
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
	if rows == tileRows {
		// Interleave the six rows in one pass: six read streams, one
		// sequential write stream.
		r0 := a[i0*lda : i0*lda+k]
		r1 := a[(i0+1)*lda : (i0+1)*lda+k]
		r2 := a[(i0+2)*lda : (i0+2)*lda+k]
		r3 := a[(i0+3)*lda : (i0+3)*lda+k]
		r4 := a[(i0+4)*lda : (i0+4)*lda+k]
		r5 := a[(i0+5)*lda : (i0+5)*lda+k]
		for p, v := range r0 {
			q := ap[p*tileRows : p*tileRows+tileRows : p*tileRows+tileRows]
			q[0], q[1], q[2], q[3], q[4], q[5] = v, r1[p], r2[p], r3[p], r4[p], r5[p]
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
// goroutine when it would have to start one: waking the idle core costs
// tens of microseconds, the time of roughly 1M FLOPs. teamMinFlops is the
// same with a team, whose spinning helper takes a job in well under a
// microsecond.
const (
	parallelMinFlops = 1 << 20
	teamMinFlops     = 1 << 18
)

// minFlops returns the parallel threshold of products run with t.
func minFlops(t *team) int {
	if t == nil {
		return parallelMinFlops
	}
	return teamMinFlops
}

// mmPar is mm with the rows of c split between two goroutines (the
// caller and t's helper, or a new goroutine when t is nil) when the
// product is large enough to pay for it. s must hold two scratches.
func mmPar(t *team, s *[2]gemmScratch, transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool) {
	if 2*m*n*k < minFlops(t) || m < 2*tileRows {
		mm(&s[0], transA, m, n, k, a, lda, b, ldb, c, ldc, accum)
		return
	}
	half := (m/2 + tileRows - 1) / tileRows * tileRows
	aOff := half * lda
	if transA {
		aOff = half
	}
	fork2(t, func() {
		mm(&s[0], transA, half, n, k, a, lda, b, ldb, c, ldc, accum)
	}, func() {
		mm(&s[1], transA, m-half, n, k, a[aOff:], lda, b, ldb, c[half*ldc:], ldc, accum)
	})
}

// colSplitRows is the number of rows of c below which mmParPackedB shares
// out chunks of columns rather than of rows.
const colSplitRows = 16 * tileRows

// mmParPackedB is mmPackedB with the work shared by the caller and t's
// helper (see forEach) in chunks of rows, or of columns for few rows.
func mmParPackedB(t *team, s *[2]gemmScratch, transA bool, m int, a []float32, lda int, b *packedB, c []float32, ldc int, accum bool, bias []float32) {
	if 2*m*b.n*b.k < minFlops(t) || !lstmAVX2 || b.k == 0 {
		mmPackedB(&s[0], transA, m, a, lda, b, c, ldc, accum, bias)
		return
	}
	if m < colSplitRows {
		// Few rows (a short batch): split the columns, in chunks of
		// 64 (four panels).
		checkA(transA, m, b.k, a, lda)
		checkC(m, b.n, c, ldc)
		const chunk = 4 * tileCols
		forEach(t, (b.n+chunk-1)/chunk, func(w, i int) {
			mmPackedBCols(&s[w], transA, m, a, lda, b, c, ldc, accum, bias, i*chunk, min(b.n, (i+1)*chunk))
		})
		return
	}
	// Chunks of rows: 8 panels of 6, block by block of b, so that both
	// goroutines keep the block in cache while they share its rows.
	const chunk = 8 * tileRows
	checkA(transA, m, b.k, a, lda)
	checkC(m, b.n, c, ldc)
	b.eachBlock(func(j0, nb, p0, kb int, blk []float32) {
		var bb []float32
		if bias != nil && p0 == 0 {
			bb = bias[j0 : j0+nb]
		}
		forEach(t, (m+chunk-1)/chunk, func(w, i int) {
			r0 := i * chunk
			aOff := r0*lda + p0
			if transA {
				aOff = p0*lda + r0
			}
			mmPacked(&s[w], transA, min(chunk, m-r0), nb, kb, a[aOff:], lda, blk, c[r0*ldc+j0:], ldc, accum || p0 > 0, bb)
		})
	})
}

// eachBlock calls fn for every block of b in the order mm visits them,
// with the block's first column, width, first row, depth and packed data.
func (b *packedB) eachBlock(fn func(j0, nb, p0, kb int, blk []float32)) {
	off := 0
	for j0 := 0; j0 < b.n; j0 += blockN {
		nb := min(blockN, b.n-j0)
		np := (nb + tileCols - 1) / tileCols
		for p0 := 0; p0 < b.k; p0 += blockK {
			kb := min(blockK, b.k-p0)
			size := np * kb * tileCols
			fn(j0, nb, p0, kb, b.data[off:off+size])
			off += size
		}
	}
}

// packBT packs the k×n matrix bᵀ, for b n×k row-major (row stride ldb),
// into dst as packB packs a k×n matrix, reading b's rows in place: the
// transpose and the packing in one pass.
func packBT(dst []float32, k, n int, b []float32, ldb int) []float32 {
	panels := (n + tileCols - 1) / tileCols
	bp := grow(dst, panels*k*tileCols)
	for jp := range panels {
		j0 := jp * tileCols
		w := min(tileCols, n-j0)
		pn := bp[jp*k*tileCols : (jp+1)*k*tileCols]
		if w < tileCols {
			clear(pn)
		}
		for j := range w {
			row := b[(j0+j)*ldb : (j0+j)*ldb+k]
			for p, v := range row {
				pn[p*tileCols+j] = v
			}
		}
	}
	return bp
}

// mmBT computes c = op(a)·bᵀ, or c += op(a)·bᵀ when accum is true, for b
// n×k row-major with row stride ldb; op(a) and c are as for mm. A non-nil
// bias (n values) is added to every row of c. Without AVX2 it runs in
// plain Go.
func mmBT(s *gemmScratch, transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool, bias []float32) {
	if m <= 0 || n <= 0 {
		return
	}
	checkA(transA, m, k, a, lda)
	checkC(m, n, c, ldc)
	if k > 0 && (len(b) < (n-1)*ldb+k || ldb < k) {
		panic(fmt.Sprintf("nn: gemm: bᵀ has %d values (stride %d) for %d×%d", len(b), ldb, n, k))
	}
	if !lstmAVX2 || k == 0 {
		s.bfull = grow(s.bfull, k*n)
		for j := range n {
			for p := range k {
				s.bfull[p*n+j] = b[j*ldb+p]
			}
		}
		mm(s, transA, m, n, k, a, lda, s.bfull, n, c, ldc, accum)
		if bias != nil {
			addBias(c, ldc, bias[:n], m)
		}
		return
	}
	for j0 := 0; j0 < n; j0 += blockN {
		nb := min(blockN, n-j0)
		for p0 := 0; p0 < k; p0 += blockK {
			kb := min(blockK, k-p0)
			aOff := p0
			if transA {
				aOff = p0 * lda
			}
			s.bpack = packBT(s.bpack, kb, nb, b[j0*ldb+p0:], ldb)
			var bb []float32
			if bias != nil && p0 == 0 {
				bb = bias[j0 : j0+nb]
			}
			mmPacked(s, transA, m, nb, kb, a[aOff:], lda, s.bpack, c[j0:], ldc, accum || p0 > 0, bb)
		}
	}
}

// mmParBT is mmBT with the rows of c split between two goroutines, as
// mmPar splits them.
func mmParBT(t *team, s *[2]gemmScratch, transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool, bias []float32) {
	if 2*m*n*k < minFlops(t) || m < 2*tileRows {
		mmBT(&s[0], transA, m, n, k, a, lda, b, ldb, c, ldc, accum, bias)
		return
	}
	half := (m/2 + tileRows - 1) / tileRows * tileRows
	aOff := half * lda
	if transA {
		aOff = half
	}
	fork2(t, func() {
		mmBT(&s[0], transA, half, n, k, a, lda, b, ldb, c, ldc, accum, bias)
	}, func() {
		mmBT(&s[1], transA, m-half, n, k, a[aOff:], lda, b, ldb, c[half*ldc:], ldc, accum, bias)
	})
}
