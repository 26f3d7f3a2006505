package lstm_test

import (
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// davidson reads a split of the Davidson data from the dataset package's
// directory (the lstm package may not import dataset; see STYLE.md §1).
func davidson(b *testing.B, split string) []hatetweet.Example {
	b.Helper()
	f, err := os.Open(filepath.Join("..", "dataset", "davidson", split+".csv"))
	if err != nil {
		b.Skipf("Davidson data not found: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(b, err)
	ls := hatetweet.DavidsonLabels()
	out := make([]hatetweet.Example, 0, len(recs)-1)
	for _, r := range recs[1:] {
		l, err := ls.Index(r[1])
		require.NoError(b, err)
		out = append(out, hatetweet.Example{Text: r[0], Label: l})
	}
	return out
}

// anchorModel is the reference BiLSTM (shared/anchors/lstm.py): embedding
// 100, one bidirectional layer of 128, dropout 0.3, tweet cleaning, and a
// vocabulary of the training tokens seen at least twice. Its weights are
// fresh: speed does not depend on them.
func anchorModel(b *testing.B, train []hatetweet.Example) *lstm.Model {
	b.Helper()
	toks := make([][]string, len(train))
	for i, ex := range train {
		toks[i] = strings.Fields(textclean.Tweet{}.Clean(ex.Text))
	}
	v, err := tokenize.BuildVocab(toks, 2, 0)
	require.NoError(b, err)
	m, err := lstm.New(lstm.Config{Seed: 42, Cleaner: textclean.PresetTweet}, v, hatetweet.DavidsonLabels())
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, m.Close()) })
	return m
}

// BenchmarkModel_PredictBatch measures inference on Davidson validation
// tweets, cleaning and tokenizing included, as the anchor's "incl
// clean+tok" numbers do. Size 1 is the batch-1 latency (ns/op).
func BenchmarkModel_PredictBatch(b *testing.B) {
	m := anchorModel(b, davidson(b, "train"))
	val := davidson(b, "val")
	texts := make([]string, len(val))
	for i, ex := range val {
		texts[i] = ex.Text
	}
	for _, size := range []int{1, 32, 256} {
		b.Run(itoa(size), func(b *testing.B) {
			batches := make([][]string, 0, len(texts)/size)
			for i := 0; i+size <= len(texts); i += size {
				batches = append(batches, texts[i:i+size])
			}
			for _, batch := range batches[:min(len(batches), 4)] { // compile the graphs
				_, err := m.PredictBatch(b.Context(), batch)
				require.NoError(b, err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := m.PredictBatch(b.Context(), batches[i%len(batches)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "tweets/s")
		})
	}
}

// BenchmarkModel_TrainStep measures training throughput with batches of
// 64 shuffled Davidson training tweets, as the anchor trains.
func BenchmarkModel_TrainStep(b *testing.B) {
	train := davidson(b, "train")
	m := anchorModel(b, train)
	r := rand.New(rand.NewPCG(42, 42))
	r.Shuffle(len(train), func(i, j int) { train[i], train[j] = train[j], train[i] })
	const batch = 64
	for i := 0; i < 4*batch; i += batch { // compile the graphs
		_, err := m.TrainStep(b.Context(), train[i:i+batch])
		require.NoError(b, err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		start := (i * batch) % (len(train) - batch)
		if _, err := m.TrainStep(b.Context(), train[start:start+batch]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "examples/s")
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
