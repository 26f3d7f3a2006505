package textclean_test

import (
	"testing"

	"github.com/hatetweet/hatetweet/textclean"
)

// benchTexts returns the 2000 real tweets of the parity fixture (the rows
// after the 60 hand-written cases, see testdata/SOURCE).
func benchTexts(b *testing.B) []string {
	rows := readParity(b)[60:]
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = r.In
	}
	return texts
}

// benchCleaner cleans every text once per iteration and reports tweets/s.
func benchCleaner(b *testing.B, c textclean.Cleaner) {
	texts := benchTexts(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			c.Clean(s)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "tweets/s")
}

func BenchmarkTweet_Clean(b *testing.B) {
	b.Run("default", func(b *testing.B) { benchCleaner(b, textclean.Tweet{}) })
	b.Run("stopwords", func(b *testing.B) { benchCleaner(b, textclean.Tweet{RemoveStopwords: true}) })
	b.Run("chain", func(b *testing.B) { benchCleaner(b, tweetChain(false)) })
}

func BenchmarkLight_Clean(b *testing.B) {
	benchCleaner(b, textclean.Light{})
}
