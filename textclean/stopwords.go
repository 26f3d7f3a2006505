package textclean

import (
	_ "embed" // for stopwords.txt
	"strings"
)

// stopwordsText is scikit-learn's ENGLISH_STOP_WORDS, one word a line; see
// the header of stopwords.txt for its source.
//
//go:embed stopwords.txt
var stopwordsText string

// stopwords is the set of words [RemoveStopwords] drops. It is built once
// from stopwordsText and never changed.
var stopwords = parseStopwords(stopwordsText)

// parseStopwords reads one word a line, skipping empty lines and lines
// starting with '#'.
func parseStopwords(text string) map[string]struct{} {
	set := make(map[string]struct{}, 320)
	for line := range strings.Lines(text) {
		w := strings.TrimSpace(line)
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		set[w] = struct{}{}
	}
	return set
}
