package textclean

// Tweet is the default tweet pipeline for word-level models such as the
// LSTM. It is a 1:1 port of clean() in the Python reference
// anchors/clean.py, which the PyTorch models use; the parity fixture in
// testdata/ pins the two together. Clean applies, in order:
//
//  1. [DecodeHTML]: HTML character references decoded twice ("&amp;#8220;"
//     gives "“").
//  2. [Lower]: Unicode lowercase.
//  3. [NormalizeApostrophes]: ’ ‘ ʼ become "'".
//  4. [ReplaceURLs] with " httpurl ".
//  5. [ReplaceMentions] with " atuser ".
//  6. [StripHashtags]: "#word" becomes "word".
//  7. [DropRT]: the standalone word "rt" becomes a space.
//  8. [SqueezeRepeats]: runs of 3 or more equal runes shortened to 2.
//  9. [RemoveSpecial]: every rune other than a-z, 0-9 and "'" becomes a
//     space, so emoji, accented letters and other scripts are removed.
//  10. [TrimApostrophes]: split at spaces, strip "'" from both ends of each
//     word, drop empty words.
//  11. [RemoveStopwords], only if RemoveStopwords is true.
//  12. Join the words with single spaces.
//
// So Clean is equal to Chain(DecodeHTML(), Lower(), NormalizeApostrophes(),
// ReplaceURLs(" httpurl "), ReplaceMentions(" atuser "), StripHashtags(),
// DropRT(), SqueezeRepeats(), RemoveSpecial(), TrimApostrophes()), followed
// by RemoveStopwords() when asked, but faster.
//
// The output holds only a-z, 0-9, "'" and single spaces between words,
// with no space at either end; it is empty when nothing is left. Invalid
// UTF-8 is first replaced by U+FFFD, one per byte, which step 9 removes.
//
// Clean is not always idempotent, for a reason inherited from clean.py:
// step 7 runs before step 9, so an "rt" that only stands alone once its
// neighbours are removed survives one pass ("ért" gives "rt", and "rt"
// gives ""). Two passes always reach a fixed point:
// Clean(Clean(Clean(s))) == Clean(Clean(s)).
//
// Where Go's Unicode tables (15.0) and Python's differ (3.11 has Unicode
// 14.0), Clean follows Go: a letter first assigned in Unicode 15.0, such as
// Kawi U+11F04, is a word character here but not in Python 3.11, which can
// change steps 5-7 next to it.
//
// The zero value is the default pipeline, with stopwords kept. A Tweet is
// safe for concurrent use.
type Tweet struct {
	// RemoveStopwords drops scikit-learn's English stopwords (step 11).
	// False, the zero value, keeps them.
	RemoveStopwords bool
}

// Clean returns the cleaned form of text; see [Tweet] for the steps. It
// never panics and returns valid UTF-8 for any input.
func (t Tweet) Clean(text string) string {
	a := make([]byte, 0, len(text)+32)
	a = append(a, validUTF8(text)...)
	b := make([]byte, 0, cap(a))
	for _, f := range [...]step{
		appendDecodeHTML,
		appendLower,
		appendApostrophes,
		appendTweetURLs,
		appendTweetMentions,
		appendHashtags,
		appendDropRT,
		appendSqueeze,
	} {
		b = f(b[:0], a)
		a, b = b, a
	}
	return string(appendTokens(b[:0], a, t.RemoveStopwords))
}

// Replacements used by Tweet (clean.py steps 4 and 5).
var (
	tweetURL     = []byte(" httpurl ")
	tweetMention = []byte(" atuser ")
)

func appendTweetURLs(dst, src []byte) []byte     { return appendURLs(dst, src, tweetURL) }
func appendTweetMentions(dst, src []byte) []byte { return appendMentions(dst, src, tweetMention) }

// appendTokens does steps 9 to 12 of Tweet in one pass: the words are the
// runs of a-z, 0-9 and "'", everything else separates them.
func appendTokens(dst, src []byte, stop bool) []byte {
	first := true
	for i := 0; i < len(src); {
		if !isKept(src[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(src) && isKept(src[j]) {
			j++
		}
		dst, first = appendWord(dst, src[i:j], first, true, stop)
		i = j
	}
	return dst
}
