package nn

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMM measures the LSTM GEMM on the shapes of the reference BiLSTM
// (hidden 128, embedding 100, batch 64 × ~14 tokens).
func BenchmarkMM(b *testing.B) {
	for _, sh := range []struct {
		name    string
		transA  bool
		m, n, k int
	}{
		{"step_b64", false, 64, 512, 128},
		{"step_b1", false, 1, 512, 128},
		{"proj", false, 896, 512, 100},
		{"dh_b64", false, 64, 128, 512},
		{"dWhh", true, 512, 128, 896},
		{"dWih", true, 512, 100, 896},
		// BERT mini (hidden 256, intermediate 1024) at 64 tokens: batch 1
		// and a 32-sequence training batch.
		{"bert_b1_qkv", false, 64, 256, 256},
		{"bert_b1_inter", false, 64, 1024, 256},
		{"bert_b1_out", false, 64, 256, 1024},
		{"bert_b32_inter", false, 2048, 1024, 256},
		{"bert_b64_out", false, 4096, 256, 1024},
		{"bert_b32_dW", true, 1024, 256, 2048},
	} {
		b.Run(sh.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			lda := sh.k
			if sh.transA {
				lda = sh.m
			}
			a, bb, c := randSlice(r, sh.m*sh.k), randSlice(r, sh.k*sh.n), make([]float32, sh.m*sh.n)
			var s gemmScratch
			for b.Loop() {
				mm(&s, sh.transA, sh.m, sh.n, sh.k, a, lda, bb, sh.n, c, sh.n, false)
			}
			b.ReportMetric(float64(2*sh.m*sh.n*sh.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
