package nn

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorgonia.org/gorgonia"
)

// BenchmarkLSTM runs the reference BiLSTM layer (embedding 100, hidden
// 128, both directions) on a batch of 64 rows whose lengths follow the
// cleaned Davidson tweets (mean about 14 tokens, longest of a batch about
// 30), forward only and forward plus backward.
func BenchmarkLSTM(b *testing.B) {
	const bsz, seq, in, hid = 64, 32, 100, 128
	r := rand.New(rand.NewPCG(1, 2))
	lens := make([]int, bsz)
	total := 0
	for i := range lens {
		lens[i] = min(seq, 1+r.IntN(26)) // mean 13.5
		total += lens[i]
	}
	for _, train := range []bool{false, true} {
		name := "forward"
		if train {
			name = "forward_backward"
		}
		b.Run(name, func(b *testing.B) {
			x := randParam(r, "x", bsz, seq, in)
			dirs := []lstmWeights{newLSTMWeights(r, "f", in, hid), newLSTMWeights(r, "b", in, hid)}
			g := NewGraph()
			h := g.Apply(&LSTM{Lengths: lens}, lstmInputs(g, x, dirs)...)
			h = g.Apply(&LastState{Lengths: lens, Bidirectional: true}, h)
			w, bias := randParam(r, "w", 3, 2*hid), randParam(r, "bias", 3)
			logits := g.Apply(&Linear{}, h, g.Param(w), g.Param(bias))
			var loss *gorgonia.Node
			if train {
				loss = g.Apply(&SoftmaxCrossEntropy{Targets: make([]int, bsz)}, logits)
			}
			prog, err := g.Compile(loss)
			require.NoError(b, err)
			defer prog.Close()
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if err := prog.Run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*bsz)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(b.N*total)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// cpuTime returns the process's user+system CPU time: on the shared
// machines, CPU time per op is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
