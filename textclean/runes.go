package textclean

import (
	"unicode"
	"unicode/utf8"
)

// isWord reports whether r is a word character the way Python's re module
// sees it in a str pattern (\w, and so \b): '_', a letter (Unicode category
// L) or a number (category N). This equals CPython's str.isalnum() plus '_'
// for every code point assigned in both Go's and Python's Unicode version.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isSpace reports whether r is whitespace the way Python's str.isspace, str.split
// and re's \s see it: Go's unicode.IsSpace plus the ASCII separators
// U+001C..U+001F.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r' || 0x1c <= r && r <= 0x1f
	}
	return unicode.IsSpace(r)
}

// wordAfter reports whether the rune starting at src[i] is a word character.
// It is false at the end of src.
func wordAfter(src []byte, i int) bool {
	if i >= len(src) {
		return false
	}
	if c := src[i]; c < utf8.RuneSelf {
		return isWord(rune(c))
	}
	r, _ := utf8.DecodeRune(src[i:])
	return isWord(r)
}

// wordBefore reports whether the rune ending at src[i-1] is a word
// character. It is false at the start of src.
func wordBefore(src []byte, i int) bool {
	if i <= 0 {
		return false
	}
	if c := src[i-1]; c < utf8.RuneSelf {
		return isWord(rune(c))
	}
	r, _ := utf8.DecodeLastRune(src[:i])
	return isWord(r)
}

// lowerASCII returns c with A-Z mapped to a-z.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case
// only. prefix must be lowercase ASCII.
func hasPrefixFold(s []byte, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// isCased reports whether r has Unicode's Cased property (Lowercase,
// Uppercase or titlecase), which the final-sigma rule of Python's
// str.lower looks for.
func isCased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.In(r, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// isCaseIgnorable reports whether r has Unicode's Case_Ignorable property,
// which the final-sigma rule skips: marks, format characters, modifier
// letters and symbols, and the Word_Break MidLetter, MidNumLet and
// Single_Quote punctuation.
func isCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// finalSigma reports whether the capital sigma at src[i:j] is in Unicode's
// Final_Sigma context, as Python's str.lower decides it: a cased rune
// before it and none after it, skipping case-ignorable runes both ways.
// Each scan stops at the first rune that is not case-ignorable, and sigma
// is not, so lowering a whole text stays linear.
func finalSigma(src []byte, i, j int) bool {
	before := false
	for k := i; k > 0; {
		r, size := utf8.DecodeLastRune(src[:k])
		k -= size
		if !isCaseIgnorable(r) {
			before = isCased(r)
			break
		}
	}
	if !before {
		return false
	}
	for k := j; k < len(src); {
		r, size := utf8.DecodeRune(src[k:])
		k += size
		if !isCaseIgnorable(r) {
			return !isCased(r)
		}
	}
	return true
}
