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
		mmPar(&s, transA, m, n, k, a, lda, b, n, c, n, false)
		assert.InDeltaSlice(t, want, c, 1e-4)
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
