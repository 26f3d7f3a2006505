package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// bertBasic is BERT's basic tokenizer: the normaliser and pre-tokeniser that
// run before WordPiece. It reproduces BasicTokenizer.tokenize of Hugging
// Face's tokenization_bert.py, step by step:
//
//  1. clean (clean_text): drop NUL, U+FFFD and every character of general
//     category C (Cc, Cf, Cs, Co and unassigned Cn) except tab, newline
//     and carriage return; map those three and category Zs to a space;
//  2. chinese (tokenize_chinese_chars): put spaces around CJK ideographs;
//  3. NFC-normalise the whole text;
//  4. split on whitespace (Python's str.split);
//  5. per word: lower-case it as Python's str.lower does (lower), then
//     NFD-normalise it and drop nonspacing marks, category Mn (strip);
//  6. split each word into runs of non-punctuation and single punctuation
//     characters (ASCII 33–47, 58–64, 91–96, 123–126 and category P*).
//
// sugarme/tokenizer's BertNormalizer and BertPreTokenizer differ from this
// (they keep Co and Cn characters and Zs spaces, split only on ASCII
// whitespace, and mis-align or panic on some non-ASCII input), so this file
// replaces them. Invalid UTF-8 bytes decode to U+FFFD and are dropped by
// clean, as Python drops the replacement characters of
// bytes.decode("utf-8", "replace").
//
// The zero value does nothing but steps 3, 4 and 6. A bertBasic is a value
// and is safe for concurrent use.
type bertBasic struct {
	clean   bool // clean_text
	chinese bool // tokenize_chinese_chars
	lower   bool // do_lower_case
	strip   bool // strip_accents, resolved: nil strip_accents follows lower
}

// words returns the words of text, ready for WordPiece, in order. It calls
// yield for each word and stops early when yield returns false.
func (b bertBasic) words(text string, yield func(word string) bool) {
	s := b.prepare(text)
	for _, tok := range strings.FieldsFunc(s, bertIsSplitSpace) {
		if b.lower {
			tok = bertLower(tok)
		}
		if b.strip {
			tok = bertStripAccents(tok)
		}
		if !bertSplitPunct(tok, yield) {
			return
		}
	}
}

// prepare runs steps 1 to 3 of [bertBasic] on text.
func (b bertBasic) prepare(text string) string {
	var sb strings.Builder
	sb.Grow(len(text) + 8)
	for _, r := range text {
		if b.clean {
			if r == 0 || r == utf8.RuneError || bertIsControl(r) {
				continue
			}
			if bertIsWhitespace(r) {
				r = ' '
			}
		}
		if b.chinese && bertIsCJK(r) {
			sb.WriteByte(' ')
			sb.WriteRune(r)
			sb.WriteByte(' ')
			continue
		}
		sb.WriteRune(r)
	}
	s := sb.String()
	if bertIsASCII(s) {
		return s // ASCII is in NFC
	}
	return norm.NFC.String(s)
}

// bertSplitPunct splits word into runs of non-punctuation characters and
// single punctuation characters, and yields each non-empty piece that is
// not only whitespace (the re-split of Python's whitespace_tokenize). It
// returns false when yield did.
func bertSplitPunct(word string, yield func(string) bool) bool {
	start := 0
	for i, r := range word {
		if !bertIsPunct(r) {
			continue
		}
		if i > start && !bertYieldFields(word[start:i], yield) {
			return false
		}
		n := i + utf8.RuneLen(r)
		if !yield(word[i:n]) {
			return false
		}
		start = n
	}
	if start < len(word) {
		return bertYieldFields(word[start:], yield)
	}
	return true
}

// bertYieldFields yields the whitespace-separated fields of s. Lower-casing
// and accent stripping never make whitespace, so this is almost always s.
func bertYieldFields(s string, yield func(string) bool) bool {
	if strings.IndexFunc(s, bertIsSplitSpace) < 0 {
		return yield(s)
	}
	for _, f := range strings.FieldsFunc(s, bertIsSplitSpace) {
		if !yield(f) {
			return false
		}
	}
	return true
}

// bertIsASCII reports whether s holds only ASCII bytes.
func bertIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// bertIsControl reports whether clean_text drops r: general category C
// (Cc, Cf, Cs, Co, and unassigned code points, Cn, which Go's unicode.C
// includes) other than tab, newline and carriage return.
func bertIsControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	if r < utf8.RuneSelf {
		return r < 0x20 || r == 0x7f
	}
	return unicode.Is(unicode.C, r)
}

// bertIsWhitespace reports whether clean_text maps r to a space: space,
// tab, newline, carriage return, or category Zs.
func bertIsWhitespace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r':
		return true
	}
	return r >= utf8.RuneSelf && unicode.Is(unicode.Zs, r)
}

// bertIsSplitSpace reports whether Python's str.split splits on r:
// Unicode White_Space plus the separators U+001C to U+001F.
func bertIsSplitSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// bertIsPunct reports whether r is punctuation for BERT: the ASCII ranges
// 33–47, 58–64, 91–96 and 123–126, or any Unicode category P*.
func bertIsPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126)
	}
	return unicode.IsPunct(r)
}

// bertIsCJK reports whether r is in one of the CJK ideograph blocks that
// BERT splits into single characters (the ranges of _is_chinese_char).
func bertIsCJK(r rune) bool {
	if r < 0x3400 {
		return false
	}
	return (r >= 0x4e00 && r <= 0x9fff) ||
		(r >= 0x3400 && r <= 0x4dbf) ||
		(r >= 0x20000 && r <= 0x2a6df) ||
		(r >= 0x2a700 && r <= 0x2b73f) ||
		(r >= 0x2b740 && r <= 0x2b81f) ||
		(r >= 0x2b820 && r <= 0x2ceaf) ||
		(r >= 0xf900 && r <= 0xfaff) ||
		(r >= 0x2f800 && r <= 0x2fa1f)
}

// bertLower lower-cases s as Python's str.lower does: the simple lower-case
// mapping of each rune, except U+0130 (İ), which becomes "i̇", and capital
// sigma, which becomes final sigma (ς) at the end of a word, in the
// Final_Sigma context of Unicode's SpecialCasing.txt.
func bertLower(s string) string {
	if bertIsASCII(s) {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var sb strings.Builder
	sb.Grow(len(s) + 2)
	for i, r := range rs {
		switch r {
		case 0x130:
			sb.WriteString("i\u0307")
		case 0x3a3:
			if bertFinalSigma(rs, i) {
				sb.WriteRune(0x3c2)
			} else {
				sb.WriteRune(0x3c3)
			}
		default:
			sb.WriteRune(unicode.ToLower(r))
		}
	}
	return sb.String()
}

// bertFinalSigma reports whether the capital sigma at rs[i] is in the
// Final_Sigma context: preceded by a cased letter and not followed by one,
// skipping case-ignorable characters on both sides.
func bertFinalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && bertIsCaseIgnorable(rs[j]) {
		j--
	}
	if j < 0 || !bertIsCased(rs[j]) {
		return false
	}
	j = i + 1
	for j < len(rs) && bertIsCaseIgnorable(rs[j]) {
		j++
	}
	return j == len(rs) || !bertIsCased(rs[j])
}

// bertIsCased reports whether r has the Unicode property Cased: Lu, Ll, Lt,
// Other_Lowercase or Other_Uppercase.
func bertIsCased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// bertIsCaseIgnorable reports whether r has the Unicode property
// Case_Ignorable: Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or
// Single_Quote (listed here, as Go has no Word_Break table).
func bertIsCaseIgnorable(r rune) bool {
	switch r {
	case 0x27, // Single_Quote
		0x2e, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e, // MidNumLet
		0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a: // MidLetter
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// bertStripAccents returns the NFD form of s without nonspacing marks
// (category Mn).
func bertStripAccents(s string) string {
	if bertIsASCII(s) {
		return s
	}
	d := norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, d)
}
