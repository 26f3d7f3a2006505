package textclean

//go:generate /usr/bin/python3 testdata/gen_tables.py

import (
	"bytes"
	"unicode/utf8"
)

// appendDecodeHTML appends src with HTML character references decoded
// twice, as html.unescape(html.unescape(s)) does in Python.
func appendDecodeHTML(dst, src []byte) []byte {
	if bytes.IndexByte(src, '&') < 0 {
		return append(dst, src...)
	}
	once := appendUnescape(make([]byte, 0, len(src)), src)
	return appendUnescape(dst, once)
}

// appendUnescape appends src with HTML character references decoded once.
// It is a port of Python 3.11's html.unescape: the same reference syntax
// (&#123; &#x7b; &name; with ';' optional everywhere), the same tables (see
// entity_table.go), the longest-prefix rule for legacy names without ';'
// ("&notit;" is "¬it;"), and the same replacements for invalid numbers.
func appendUnescape(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, '&')
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		var n int
		dst, n = appendCharref(dst, src[i+1:])
		src = src[i+1+n:]
	}
}

// maxEntityRunes is the longest name Python's html.unescape tries, in runes
// and without the ';' ([^\t\n\f <&#;]{1,32}).
const maxEntityRunes = 32

// appendCharref decodes the character reference that starts right after an
// '&' (s is the text after it). It appends the replacement, or the '&'
// itself when no reference starts there, and returns how many bytes of s it
// consumed.
func appendCharref(dst, s []byte) ([]byte, int) {
	if len(s) > 0 && s[0] == '#' {
		return appendNumericCharref(dst, s)
	}
	// Named reference: 1 to 32 runes outside "\t\n\f <&#;", then an optional ';'.
	var ends [maxEntityRunes + 2]int // ends[k] is the byte length of the first k runes
	runes, j := 0, 0
	for j < len(s) && runes < maxEntityRunes {
		c := s[j]
		if c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' || c == ';' {
			break
		}
		if c < utf8.RuneSelf {
			j++
		} else {
			_, size := utf8.DecodeRune(s[j:])
			j += size
		}
		runes++
		ends[runes] = j
	}
	if runes == 0 {
		return append(dst, '&'), 0
	}
	if j < len(s) && s[j] == ';' {
		j++
		runes++
		ends[runes] = j
	}
	name := s[:j]
	if v, ok := html5Entities[string(name)]; ok {
		return append(dst, v...), j
	}
	for k := runes - 1; k > 1; k-- {
		if v, ok := html5Entities[string(name[:ends[k]])]; ok {
			dst = append(dst, v...)
			return append(dst, name[ends[k]:]...), j
		}
	}
	dst = append(dst, '&')
	return append(dst, name...), j
}

// appendNumericCharref decodes "#123" or "#x7b", each with an optional ';'.
// s starts with '#'.
func appendNumericCharref(dst, s []byte) ([]byte, int) {
	j, base := 1, rune(10)
	if len(s) > 1 && (s[1] == 'x' || s[1] == 'X') {
		j, base = 2, 16
	}
	start := j
	var num rune
	for ; j < len(s); j++ {
		d := digitValue(s[j], base)
		if d < 0 {
			break
		}
		num = num*base + d
		if num > utf8.MaxRune {
			num = utf8.MaxRune + 1 // saturate: every larger value decodes the same way
		}
	}
	if j == start {
		return append(dst, '&'), 0
	}
	if j < len(s) && s[j] == ';' {
		j++
	}
	if v, ok := invalidCharrefs[num]; ok {
		return append(dst, v...), j
	}
	if 0xD800 <= num && num <= 0xDFFF || num > utf8.MaxRune {
		return utf8.AppendRune(dst, utf8.RuneError), j
	}
	for _, r := range invalidCodepoints {
		if r[0] <= num && num <= r[1] {
			return dst, j
		}
	}
	return utf8.AppendRune(dst, num), j
}

// digitValue returns the value of the ASCII digit c in base 10 or 16, or -1.
func digitValue(c byte, base rune) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case base == 16 && 'a' <= c && c <= 'f':
		return rune(c-'a') + 10
	case base == 16 && 'A' <= c && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}
