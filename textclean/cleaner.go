package textclean

import (
	"unicode/utf8"
)

// Cleaner turns raw text into the text a model sees.
//
// An implementation must be total (every string in, no panic), pure (the
// output depends only on the input), safe for concurrent use by multiple
// goroutines, and must return valid UTF-8 for any input, including invalid
// UTF-8.
type Cleaner interface {
	// Clean returns the cleaned form of text.
	Clean(text string) string
}

// CleanerFunc adapts an ordinary function to a [Cleaner]. It is as safe
// for concurrent use as the function it wraps. A nil CleanerFunc panics
// when called.
type CleanerFunc func(text string) string

// Clean returns f(text). It does not repair invalid UTF-8 returned by f;
// [Chain] does.
func (f CleanerFunc) Clean(text string) string { return f(text) }

// chain is the Cleaner built by Chain.
type chain []Cleaner

// Clean applies every cleaner in order and repairs invalid UTF-8 in the
// result.
func (c chain) Clean(text string) string {
	for _, x := range c {
		text = x.Clean(text)
	}
	return validUTF8(text)
}

// Chain returns a [Cleaner] that applies cs in order, each to the output of
// the one before. Nil elements are skipped; with no cleaners, the result
// only repairs invalid UTF-8. Whatever the cleaners return, the output is
// valid UTF-8: each byte that is not part of a valid UTF-8 sequence becomes
// U+FFFD. Chain copies cs, so later changes to the slice do not affect the
// result. The result is safe for concurrent use if every element is.
func Chain(cs ...Cleaner) Cleaner {
	c := make(chain, 0, len(cs))
	for _, x := range cs {
		if x != nil {
			c = append(c, x)
		}
	}
	return c
}

// validUTF8 returns s with every byte that does not belong to a valid UTF-8
// sequence replaced by U+FFFD, one replacement per byte. This is how Go's
// range loop decodes strings, and it is how every cleaner in this package
// treats invalid input.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	for _, r := range s {
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// step appends the result of one cleaning step on src to dst and returns
// the extended slice. src must be valid UTF-8 and must not alias dst's
// spare capacity.
type step func(dst, src []byte) []byte

// stepCleaner makes a Cleaner of a step: it repairs invalid UTF-8 first, so
// the step sees valid input.
func stepCleaner(f step) Cleaner {
	return CleanerFunc(func(text string) string {
		src := []byte(validUTF8(text))
		return string(f(make([]byte, 0, len(src)+16), src))
	})
}
