package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// naiveMM is the reference product in float64.
func naiveMM(transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accum bool) []float32 {
	out := append([]float32(nil), c...)
	for i := range m {
		for j := range n {
			var s float64
			if accum {
				s = float64(c[i*ldc+j])
			}
			for p := range k {
				var av float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				s += float64(av) * float64(b[p*ldb+j])
			}
			out[i*ldc+j] = float32(s)
		}
	}
	return out
}

// TestMM checks the strided GEMM of the LSTM kernel, on the assembly path
// (where the CPU has AVX2) and the plain Go path, against a float64
// reference, over shapes that exercise full and partial tiles and strips.
// Tolerance: float32 sums of up to 200 products of values in [-1, 1], 1e-4.
func TestMM(t *testing.T) {
	t.Parallel()
	shapes := []struct {
		name    string
		reason  string
		m, n, k int
	}{
		{"one", "1×1×1: every edge path at once", 1, 1, 1},
		{"full_tiles", "whole 6×16 tiles only", 12, 32, 7},
		{"row_edge", "a partial row panel", 7, 32, 5},
		{"col_edge", "a partial column block", 6, 20, 9},
		{"both_edges", "partial rows and columns", 13, 37, 11},
		{"strip", "one row, 64-column strips and a remainder", 1, 150, 13},
		{"few_rows", "rows below a panel, wide and narrow columns", 5, 200, 17},
		{"lstm_step", "the recurrent product of hidden size 128", 64, 512, 128},
		{"k_zero", "empty inner dimension", 4, 8, 0},
		{"tall", "more rows than columns", 100, 4, 33},
	}
	for _, sh := range shapes {
		for _, transA := range []bool{false, true} {
			for _, accum := range []bool{false, true} {
				for _, asm := range []bool{false, true} {
					name := fmt.Sprintf("%s/trans=%v/accum=%v/asm=%v", sh.name, transA, accum, asm)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						if asm && !lstmAVX2 {
							t.Skip("no AVX2/FMA on this CPU")
						}
						r := rand.New(rand.NewPCG(uint64(sh.m), uint64(sh.n*1000+sh.k)))
						m, n, k := sh.m, sh.n, sh.k
						// Strides wider than the matrices, so stride bugs show.
						lda, ldb, ldc := k+3, n+5, n+2
						rowsA := m
						if transA {
							lda, rowsA = m+3, max(k, 1)
						}
						a := randSlice(r, rowsA*lda)
						b := randSlice(r, max(k, 1)*ldb)
						c := randSlice(r, m*ldc)
						want := naiveMM(transA, m, n, k, a, lda, b, ldb, c, ldc, accum)
						got := append([]float32(nil), c...)
						var s gemmScratch
						if asm {
							if k == 0 {
								mm(&s, transA, m, n, k, a, lda, b, ldb, got, ldc, accum)
							} else {
								mmAVX2(&s, transA, m, n, k, a, lda, b, ldb, got, ldc, accum)
							}
						} else {
							mmGeneric(transA, m, n, k, a, lda, b, ldb, got, ldc, accum)
						}
						assert.InDeltaSlice(t, want, got, 1e-4, sh.reason)
					})
				}
			}
		}
	}
}

func TestMMPar(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 5))
	for _, transA := range []bool{false, true} {
		const m, n, k = 200, 100, 130 // above parallelMinFlops, so two goroutines run
		lda := k
		if transA {
			lda = m
		}
		a, b, c := randSlice(r, m*k), randSlice(r, k*n), make([]float32, m*n)
		want := naiveMM(transA, m, n, k, a, lda, b, n, c, n, false)
		var s [2]gemmScratch
		mmPar(nil, &s, transA, m, n, k, a, lda, b, n, c, n, false)
		assert.InDeltaSlice(t, want, c, 1e-4)
		clear(c)
		mmPar(&team{}, &s, transA, m, n, k, a, lda, b, n, c, n, false)
		assert.InDeltaSlice(t, want, c, 1e-4, "with a team")
	}
}

func TestMM_shortSlicePanics(t *testing.T) {
	t.Parallel()
	var s gemmScratch
	require.Panics(t, func() {
		mm(&s, false, 2, 2, 2, make([]float32, 3), 2, make([]float32, 4), 2, make([]float32, 4), 2, false)
	})
}

func randSlice(r *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(r.Float64()*2 - 1)
	}
	return out
}

// TestMM_blocked checks mm's cache-blocked path (b packed block by block)
// and the products on a b packed once (mmPackedB, mmParPackedB) against
// the float64 reference, as do the products with b given transposed
// (mmBT, mmParBT), on shapes with partial 256×256 blocks, partial
// panels and partial tiles. Tolerance: float32 sums of up to 1100
// products of values in [-1, 1], 1e-3.
func TestMM_blocked(t *testing.T) {
	t.Parallel()
	shapes := []struct {
		name, reason string
		m, n, k      int
	}{
		{"one_block", "within one block, partial tiles", 13, 37, 11},
		{"wide", "two column blocks, the second partial", 20, 300, 40},
		{"deep", "three k blocks, the last partial", 14, 40, 1100},
		{"both", "partial blocks in n and k, partial row panel", 31, 270, 530},
		{"few_rows", "fewer rows than a panel", 3, 260, 270},
		{"par", "large enough for two goroutines", 130, 280, 300},
	}
	for _, sh := range shapes {
		for _, transA := range []bool{false, true} {
			for _, accum := range []bool{false, true} {
				name := fmt.Sprintf("%s/trans=%v/accum=%v", sh.name, transA, accum)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					r := rand.New(rand.NewPCG(uint64(sh.m), uint64(sh.n*1000+sh.k)))
					m, n, k := sh.m, sh.n, sh.k
					lda, ldb, ldc := k+3, n+5, n+2
					rowsA := m
					if transA {
						lda, rowsA = m+3, k
					}
					a, b, c := randSlice(r, rowsA*lda), randSlice(r, k*ldb), randSlice(r, m*ldc)
					want := naiveMM(transA, m, n, k, a, lda, b, ldb, c, ldc, accum)
					var s gemmScratch
					got := append([]float32(nil), c...)
					mm(&s, transA, m, n, k, a, lda, b, ldb, got, ldc, accum)
					assert.InDeltaSlice(t, want, got, 1e-3, "mm: %s", sh.reason)

					pb := newPackedB(k, n, b, ldb)
					got = append(got[:0], c...)
					mmPackedB(&s, transA, m, a, lda, pb, got, ldc, accum, nil)
					assert.InDeltaSlice(t, want, got, 1e-3, "mmPackedB: %s", sh.reason)

					var s2 [2]gemmScratch
					tm := &team{} // its helper runs the second half
					got = append(got[:0], c...)
					mmParPackedB(tm, &s2, transA, m, a, lda, pb, got, ldc, accum, nil)
					assert.InDeltaSlice(t, want, got, 1e-3, "mmParPackedB: %s", sh.reason)

					// With a bias added to every row.
					bias := randSlice(r, n)
					wantB := append([]float32(nil), want...)
					for i := range m {
						for j := range n {
							wantB[i*ldc+j] += bias[j]
						}
					}
					got = append(got[:0], c...)
					mmParPackedB(tm, &s2, transA, m, a, lda, pb, got, ldc, accum, bias)
					assert.InDeltaSlice(t, wantB, got, 1e-3, "mmParPackedB with bias: %s", sh.reason)

					// The same product with b given transposed.
					bt := make([]float32, n*(k+1))
					for p := range k {
						for j := range n {
							bt[j*(k+1)+p] = b[p*ldb+j]
						}
					}
					got = append(got[:0], c...)
					mmBT(&s, transA, m, n, k, a, lda, bt, k+1, got, ldc, accum, nil)
					assert.InDeltaSlice(t, want, got, 1e-3, "mmBT: %s", sh.reason)
					got = append(got[:0], c...)
					mmParBT(tm, &s2, transA, m, n, k, a, lda, bt, k+1, got, ldc, accum, bias)
					assert.InDeltaSlice(t, wantB, got, 1e-3, "mmParBT with bias: %s", sh.reason)

					un := make([]float32, k*n)
					pb.unpack(un)
					for p := range k {
						require.Equal(t, b[p*ldb:p*ldb+n], un[p*n:(p+1)*n], "unpack row %d", p)
					}
				})
			}
		}
	}
}
