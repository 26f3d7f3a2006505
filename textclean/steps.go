package textclean

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// The constructors below return the individual steps of [Tweet] and [Light]
// as Cleaners, to be combined with [Chain]. Each returned Cleaner is safe
// for concurrent use, first replaces every byte of invalid UTF-8 with
// U+FFFD (one per byte), and returns valid UTF-8. Each step's doc names the
// line of the Python reference clean.py it ports; "word character" means
// Python's Unicode \w: '_', a letter or a number in any script.

// DecodeHTML returns a Cleaner that decodes HTML character references
// twice, like Python's html.unescape(html.unescape(s)): named references
// ("&amp;", "&eacute;", legacy names without ';' such as "&amp"), decimal
// and hexadecimal ones ("&#8220;", "&#x27;"), and the double-escaped
// "&amp;#8220;" found in the Davidson tweets all decode to their
// characters. Invalid numeric references follow HTML5 as Python does:
// "&#0;", surrogates and values above U+10FFFF give U+FFFD, "&#128;" gives
// "€", and references to control characters such as "&#1;" vanish. Text
// that is not a reference, such as "&foo;" or "AT&T", is kept. Decoding
// twice means triple-escaped text keeps one level: "&amp;amp;amp;" gives
// "&amp;".
func DecodeHTML() Cleaner { return stepCleaner(appendDecodeHTML) }

// Lower returns a Cleaner that lowercases text like Python's str.lower:
// the Unicode lowercase mapping of each rune, plus the two rules of
// Unicode's special casing that Python applies: U+0130 (İ) becomes
// "i\u0307", and capital sigma becomes final sigma ς at the end of a word
// ("ΟΔΟΣ" gives "οδος").
func Lower() Cleaner { return stepCleaner(appendLower) }

// NormalizeApostrophes returns a Cleaner that replaces the curly
// apostrophes U+2019 (’) and U+2018 (‘) and the modifier letter apostrophe
// U+02BC (ʼ) with the ASCII apostrophe "'".
func NormalizeApostrophes() Cleaner { return stepCleaner(appendApostrophes) }

// ReplaceURLs returns a Cleaner that replaces every URL with repl. A URL is
// "http://", "https://" or "www." followed by at least one non-space rune,
// and runs up to the next whitespace, as the regexp `https?://\S+|www\.\S+`
// finds it; the scheme and "www" match in any ASCII case. [Tweet] uses
// repl " httpurl ", [Light] "URL". Invalid UTF-8 in repl is replaced by
// U+FFFD.
func ReplaceURLs(repl string) Cleaner {
	r := []byte(validUTF8(repl))
	return stepCleaner(func(dst, src []byte) []byte { return appendURLs(dst, src, r) })
}

// ReplaceMentions returns a Cleaner that replaces every @mention, an '@'
// followed by one or more word characters (`@\w+` with Unicode \w, so
// "@éric" is one mention), with repl. An '@' not followed by a word
// character is kept. [Tweet] uses repl " atuser ", [Light] "@USER".
// Invalid UTF-8 in repl is replaced by U+FFFD.
func ReplaceMentions(repl string) Cleaner {
	r := []byte(validUTF8(repl))
	return stepCleaner(func(dst, src []byte) []byte { return appendMentions(dst, src, r) })
}

// StripHashtags returns a Cleaner that removes the '#' of every hashtag,
// keeping the word: each '#' directly followed by a word character is
// dropped ("#Grrr" gives "Grrr", "##tag" gives "#tag"), other '#' are kept.
func StripHashtags() Cleaner { return stepCleaner(appendHashtags) }

// DropRT returns a Cleaner that replaces the retweet marker, the word "rt"
// in any ASCII case standing alone, with a space. Standing alone means no
// word character directly before or after it, judged on runes with Unicode
// \w as Python's `\brt\b` does: "RT @x", "rt:" and "rt's" lose it, while
// "art", "rt_", "rt5" and "ért" keep it.
func DropRT() Cleaner { return stepCleaner(appendDropRT) }

// SqueezeRepeats returns a Cleaner that shortens every run of three or more
// equal runes to two ("soooo" gives "soo", "!!!!!" gives "!!"), like
// Python's re.sub(r"(.)\1{2,}", r"\1\1", s). As there, runs of newlines are
// kept.
func SqueezeRepeats() Cleaner { return stepCleaner(appendSqueeze) }

// RemoveSpecial returns a Cleaner that replaces every run of runes other
// than a-z, 0-9 and the apostrophe "'" with one space. Uppercase letters,
// accented and non-Latin letters, emoji and punctuation all count as
// special, so apply [Lower] (and [NormalizeApostrophes]) first.
func RemoveSpecial() Cleaner { return stepCleaner(appendSpecial) }

// TrimApostrophes returns a Cleaner that splits text at whitespace, strips
// leading and trailing apostrophes "'" from every word, drops words left
// empty, and joins the rest with single spaces ("'quoted' don't" gives
// "quoted don't"). It also does the work of [CollapseSpace].
func TrimApostrophes() Cleaner {
	return stepCleaner(func(dst, src []byte) []byte { return appendFields(dst, src, true, false) })
}

// RemoveStopwords returns a Cleaner that splits text at whitespace, drops
// every word in scikit-learn's English stopword list (ENGLISH_STOP_WORDS,
// 318 lowercase words such as "the" and "not", embedded in the package),
// and joins the rest with single spaces. Words match exactly, so apply
// [Lower] and remove punctuation first.
func RemoveStopwords() Cleaner {
	return stepCleaner(func(dst, src []byte) []byte { return appendFields(dst, src, false, true) })
}

// CollapseSpace returns a Cleaner that splits text at whitespace and joins
// the words with single spaces, so the result has no leading, trailing or
// repeated whitespace. Whitespace is what Python's str.split sees: Unicode
// White_Space (including U+00A0 and U+3000) and the ASCII separators
// U+001C..U+001F.
func CollapseSpace() Cleaner {
	return stepCleaner(func(dst, src []byte) []byte { return appendFields(dst, src, false, false) })
}

// appendLower is Lower's step.
func appendLower(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			dst = append(dst, lowerASCII(c))
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		i += size
		switch {
		case r == 'İ': // the one rune whose full lowercase mapping is two runes
			dst = append(dst, "i\u0307"...)
		case r == 'Σ' && finalSigma(src, i-size, i):
			dst = append(dst, "ς"...)
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// appendApostrophes is NormalizeApostrophes' step.
func appendApostrophes(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		switch {
		case src[i] == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0x98 || src[i+2] == 0x99): // U+2018, U+2019
			dst = append(dst, '\'')
			i += 3
		case src[i] == 0xCA && i+1 < len(src) && src[i+1] == 0xBC: // U+02BC
			dst = append(dst, '\'')
			i += 2
		default:
			dst = append(dst, src[i])
			i++
		}
	}
	return dst
}

// appendURLs is ReplaceURLs' step.
func appendURLs(dst, src, repl []byte) []byte {
	last := 0
	for i := 0; i < len(src); {
		n := 0
		switch src[i] | 0x20 { // ASCII letters only: 'h'/'H' and 'w'/'W'
		case 'h':
			n = matchURL(src[i:])
		case 'w':
			n = matchWWW(src[i:])
		}
		if n == 0 {
			i++
			continue
		}
		dst = append(dst, src[last:i]...)
		dst = append(dst, repl...)
		i += n
		last = i
	}
	return append(dst, src[last:]...)
}

// matchURL returns the length of the match of `https?://\S+` (scheme in any
// ASCII case) at the start of s, or 0.
func matchURL(s []byte) int {
	if !hasPrefixFold(s, "http") {
		return 0
	}
	j := 4
	if j < len(s) && lowerASCII(s[j]) == 's' {
		j++
	}
	if !bytes.HasPrefix(s[j:], []byte("://")) {
		return 0
	}
	return matchNonSpace(s, j+3)
}

// matchWWW returns the length of the match of `www\.\S+` ("www" in any
// ASCII case) at the start of s, or 0.
func matchWWW(s []byte) int {
	if !hasPrefixFold(s, "www.") {
		return 0
	}
	return matchNonSpace(s, 4)
}

// matchNonSpace returns the end of the run of non-space runes that starts
// at s[j], or 0 if that run is empty.
func matchNonSpace(s []byte, j int) int {
	k := j
	for k < len(s) {
		r, size := rune(s[k]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(s[k:])
		}
		if isSpace(r) {
			break
		}
		k += size
	}
	if k == j {
		return 0
	}
	return k
}

// appendMentions is ReplaceMentions' step.
func appendMentions(dst, src, repl []byte) []byte {
	for {
		i := bytes.IndexByte(src, '@')
		if i < 0 {
			return append(dst, src...)
		}
		j := i + 1
		for j < len(src) && wordAfter(src, j) {
			_, size := utf8.DecodeRune(src[j:])
			j += size
		}
		if j == i+1 {
			dst = append(dst, src[:j]...)
		} else {
			dst = append(dst, src[:i]...)
			dst = append(dst, repl...)
		}
		src = src[j:]
	}
}

// appendHashtags is StripHashtags' step.
func appendHashtags(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, '#')
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		if !wordAfter(src, i+1) {
			dst = append(dst, '#')
		}
		src = src[i+1:]
	}
}

// appendDropRT is DropRT's step. Matches cannot overlap, so every boundary
// is judged on the original text, as Python's re.sub does.
func appendDropRT(dst, src []byte) []byte {
	last := 0
	for i := 0; i+1 < len(src); i++ {
		if src[i]|0x20 != 'r' || src[i+1]|0x20 != 't' || wordBefore(src, i) || wordAfter(src, i+2) {
			continue
		}
		dst = append(dst, src[last:i]...)
		dst = append(dst, ' ')
		last = i + 2
		i++
	}
	return append(dst, src[last:]...)
}

// appendSqueeze is SqueezeRepeats' step.
func appendSqueeze(dst, src []byte) []byte {
	prev, run := rune(-1), 0
	for i := 0; i < len(src); {
		r, size := rune(src[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[i:])
		}
		if r == prev && r != '\n' { // Python's '.' does not match a newline
			run++
		} else {
			prev, run = r, 1
		}
		if run <= 2 {
			dst = append(dst, src[i:i+size]...)
		}
		i += size
	}
	return dst
}

// isKept reports whether c is one of the bytes RemoveSpecial keeps.
func isKept(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\''
}

// appendSpecial is RemoveSpecial's step. Every kept character is ASCII, so
// it works on bytes: the bytes of a multi-byte rune are all special.
func appendSpecial(dst, src []byte) []byte {
	inRun := false
	for _, c := range src {
		if isKept(c) {
			dst = append(dst, c)
			inRun = false
		} else if !inRun {
			dst = append(dst, ' ')
			inRun = true
		}
	}
	return dst
}

// appendFields appends the whitespace-separated words of src joined by
// single spaces. With trim, leading and trailing apostrophes are stripped
// from each word; with stop, stopwords are dropped. Empty words are always
// dropped.
func appendFields(dst, src []byte, trim, stop bool) []byte {
	first := true
	for i := 0; i < len(src); {
		// Skip whitespace.
		r, size := rune(src[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[i:])
		}
		if isSpace(r) {
			i += size
			continue
		}
		// Find the end of the word.
		j := i + size
		for j < len(src) {
			r, size = rune(src[j]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRune(src[j:])
			}
			if isSpace(r) {
				break
			}
			j += size
		}
		dst, first = appendWord(dst, src[i:j], first, trim, stop)
		i = j
	}
	return dst
}

// appendWord appends w, preceded by a space unless it is the first word,
// after trimming apostrophes (trim) and unless it is empty or a stopword
// (stop). It reports whether the next word is still the first.
func appendWord(dst, w []byte, first, trim, stop bool) ([]byte, bool) {
	if trim {
		w = bytes.Trim(w, "'")
	}
	if len(w) == 0 {
		return dst, first
	}
	if stop {
		if _, ok := stopwords[string(w)]; ok {
			return dst, first
		}
	}
	if !first {
		dst = append(dst, ' ')
	}
	return append(dst, w...), false
}
