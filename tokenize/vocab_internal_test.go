package tokenize

import (
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
)

// pythonSpaces are the code points Python's str.split() splits on.
// SOURCE: /usr/bin/python3 (3.11.2, unicodedata 14.0.0):
// python3 -c "print([hex(c) for c in range(0x110000) if chr(c).isspace()])"
// Tolerance: exact.
var pythonSpaces = []rune{
	0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
	0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
	0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
}

// TestIsSpace checks every code point: Tokenize splits where the reference
// (Python's str.split()) does, and nowhere else.
func TestIsSpace(t *testing.T) {
	t.Parallel()
	want := make(map[rune]bool, len(pythonSpaces))
	for _, r := range pythonSpaces {
		want[r] = true
	}
	var got []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isPySpace(r) {
			got = append(got, r)
		}
	}
	assert.Equal(t, pythonSpaces, got)
	assert.False(t, isPySpace(unicode.ReplacementChar), "invalid UTF-8 decodes to U+FFFD, which is not a space")
}

func TestPyFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		text   string
		want   []string
	}{
		{name: "empty", reason: "no runes, no words", text: "", want: nil},
		{name: "spaces", reason: "whitespace only", text: " \t\x1c ", want: nil},
		{name: "edges", reason: "leading and trailing space", text: " a  bc ", want: []string{"a", "bc"}},
		{name: "no_space", reason: "one word fills the text", text: "abc", want: []string{"abc"}},
		{name: "invalid_utf8", reason: "invalid bytes belong to words", text: "\xff a\xfe", want: []string{"\xff", "a\xfe"}},
		{name: "multibyte_space", reason: "a 3-byte space ends a word", text: "é\u3000ü", want: []string{"é", "ü"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for w := range pyFields(tt.text) {
				got = append(got, w)
			}
			assert.Equal(t, tt.want, got, tt.reason)
			assert.Equal(t, len(tt.want), countPyFields(tt.text), "countPyFields agrees with pyFields: %s", tt.reason)
			for w := range pyFields(tt.text) {
				assert.Equal(t, tt.want[0], w, "stopping early yields the first word")
				break
			}
		})
	}
}
