package textclean_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hatetweet/hatetweet/textclean"
	"github.com/stretchr/testify/assert"
)

// addSeeds adds every golden input of the package's tests as a seed: the
// parity fixture (raw bytes for invalid UTF-8), the step, Tweet, Light and
// Chain tables.
func addSeeds(f *testing.F) {
	for _, r := range readParity(f) {
		f.Add(r.raw(f))
	}
	for _, r := range readJSONL[stepsRow](f, "steps_parity.jsonl", nil) {
		f.Add(r.In)
	}
	for _, c := range stepCases {
		f.Add(c.in)
	}
	for _, c := range lightCases {
		f.Add(c.in)
	}
}

// FuzzTweet_Clean checks the properties of STYLE.md §8 for Tweet, with and
// without stopwords: no panic, valid UTF-8, only a-z, 0-9, "'" and single
// inner spaces, idempotence (in the form the Tweet doc states), and
// equality with the chained form. Plain `go test` runs it on every golden
// input. When fuzzing, pass -fuzzminimizetime=2s: the default minute of
// minimizing per large interesting input stalls the run.
func FuzzTweet_Clean(f *testing.F) {
	addSeeds(f)
	plainChain, stopChain := tweetChain(false), tweetChain(true)
	f.Fuzz(func(t *testing.T, in string) {
		for _, c := range []struct {
			tweet textclean.Tweet
			chain textclean.Cleaner
		}{{textclean.Tweet{}, plainChain}, {textclean.Tweet{RemoveStopwords: true}, stopChain}} {
			checkTweet(t, c.tweet, in)
			assert.Equal(t, c.chain.Clean(in), c.tweet.Clean(in), "chained form differs on %q", in)
		}
	})
}

// FuzzLight_Clean checks Light: no panic, valid UTF-8, collapsed
// whitespace, equality with the chained form, and idempotence where the
// Light doc promises it (no '&' to decode again, no stacked '#').
func FuzzLight_Clean(f *testing.F) {
	addSeeds(f)
	space, chain := textclean.CollapseSpace(), lightChain()
	f.Fuzz(func(t *testing.T, in string) {
		once := textclean.Light{}.Clean(in)
		assert.True(t, utf8.ValidString(once), "invalid UTF-8 from %q", in)
		assert.Equal(t, chain.Clean(in), once, "chained form differs on %q", in)
		assert.Equal(t, space.Clean(once), once, "whitespace not collapsed for %q", in)
		if !strings.Contains(in, "&") && !strings.Contains(in, "##") {
			assert.Equal(t, once, textclean.Light{}.Clean(once), "Light not idempotent on %q", in)
		}
	})
}
