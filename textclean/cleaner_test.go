package textclean_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hatetweet/hatetweet/textclean"
	"github.com/stretchr/testify/assert"
)

func TestChain(t *testing.T) {
	t.Parallel()
	upper := textclean.CleanerFunc(strings.ToUpper)
	exclaim := textclean.CleanerFunc(func(s string) string { return s + "!" })
	broken := textclean.CleanerFunc(func(s string) string { return s + "\xff" })
	tests := []struct {
		name, reason string
		c            textclean.Cleaner
		in, want     string
	}{
		{"empty", "no cleaners is the identity", textclean.Chain(), "a b", "a b"},
		{"empty_invalid", "the identity still repairs invalid UTF-8", textclean.Chain(), "a\xffb", "a\uFFFDb"},
		{"order", "cleaners run in the order given", textclean.Chain(exclaim, upper), "hi", "HI!"},
		{"nil_skipped", "nil cleaners are skipped", textclean.Chain(nil, upper, nil), "hi", "HI"},
		{"repairs_output", "a cleaner returning invalid UTF-8 is repaired", textclean.Chain(broken), "x", "x\uFFFD"},
		{"nested", "a chain is a cleaner", textclean.Chain(textclean.Chain(exclaim), exclaim), "a", "a!!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.c.Clean(tt.in)
			assert.Equal(t, tt.want, got, tt.reason)
			assert.True(t, utf8.ValidString(got))
		})
	}
}

// TestChain_copies shows a Chain does not see later changes to the slice
// it was built from.
func TestChain_copies(t *testing.T) {
	t.Parallel()
	cs := []textclean.Cleaner{textclean.CleanerFunc(strings.ToUpper)}
	c := textclean.Chain(cs...)
	cs[0] = textclean.CleanerFunc(strings.ToLower)
	assert.Equal(t, "AB", c.Clean("aB"))
}
