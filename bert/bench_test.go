package bert

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/tokenize"
	"github.com/stretchr/testify/require"
)

// benchShapes are the BERT shapes of /work/shared/anchors/bert.py (tiny
// and mini), with bert-base-uncased's vocabulary and 512 positions.
var benchShapes = []struct {
	name                         string
	layers, hidden, heads, inter int
}{
	{"tiny", 2, 128, 2, 512},
	{"mini", 4, 256, 4, 1024},
}

// benchModel returns a random-weight model of the given shape with the
// embedded bert-base-uncased vocabulary.
func benchModel(b *testing.B, layers, hidden, heads, inter int) *Model {
	b.Helper()
	tok, err := tokenize.NewDefaultWordPiece()
	require.NoError(b, err)
	cfg := Config{VocabSize: tok.VocabSize(), HiddenSize: hidden, NumHiddenLayers: layers,
		NumAttentionHeads: heads, IntermediateSize: inter, MaxPositionEmbeddings: 512,
		HiddenDropoutProb: 0.1, AttentionProbsDropoutProb: 0.1}
	m, err := New(cfg, tok, hatetweet.DavidsonLabels(), WithSeed(42))
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, m.Close()) })
	return m
}

// benchTexts returns n texts that tokenize to exactly seqLen tokens each
// ([CLS], seqLen-2 words, [SEP]), different from each other.
func benchTexts(b *testing.B, m *Model, n, seqLen int) []string {
	b.Helper()
	words := []string{"the", "game", "was", "really", "good", "and", "people", "love", "it", "now"}
	texts := make([]string, n)
	for i := range texts {
		ws := make([]string, seqLen-2)
		for j := range ws {
			ws[j] = words[(i*7+j*3)%len(words)]
		}
		texts[i] = strings.Join(ws, " ")
		e, err := m.tok.Tokenize(m.cleaner.Clean(texts[i]))
		require.NoError(b, err)
		require.Equal(b, seqLen, e.Len())
	}
	return texts
}

// BenchmarkModel_PredictBatch measures inference at 64 tokens per text,
// cleaning and tokenization included: latency at batch 1 and throughput at
// batches 32 and 64, for random-weight tiny (2/128/2) and mini (4/256/4)
// shapes. Compare with /work/shared/anchors/bert_timing.py (batch 64 and
// batch 1) run in the same sitting.
func BenchmarkModel_PredictBatch(b *testing.B) {
	for _, s := range benchShapes {
		for _, batch := range []int{1, 32, 64} {
			b.Run(fmt.Sprintf("%s/batch=%d", s.name, batch), func(b *testing.B) {
				m := benchModel(b, s.layers, s.hidden, s.heads, s.inter)
				texts := benchTexts(b, m, batch, 64)
				ctx := b.Context()
				_, err := m.PredictBatch(ctx, texts) // compile the graph
				require.NoError(b, err)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := m.PredictBatch(ctx, texts); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "tweets/s")
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/batch")
			})
		}
	}
}

// BenchmarkModel_TrainStep measures one fine-tuning step (cleaning,
// tokenization, forward, backward, clipping, AdamW over every weight) at
// batch 32 × 64 tokens with dropout on, as bert_timing.py's training step.
func BenchmarkModel_TrainStep(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			m := benchModel(b, s.layers, s.hidden, s.heads, s.inter)
			texts := benchTexts(b, m, 32, 64)
			batch := make([]hatetweet.Example, len(texts))
			for i, t := range texts {
				batch[i] = hatetweet.Example{Text: t, Label: hatetweet.Label(i % 3)}
			}
			ctx := b.Context()
			_, err := m.TrainStep(ctx, batch) // compile the graph
			require.NoError(b, err)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.TrainStep(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "tweets/s")
			b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/step")
		})
	}
}
