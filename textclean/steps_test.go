package textclean_test

import (
	"testing"
	"unicode/utf8"

	"github.com/hatetweet/hatetweet/textclean"
	"github.com/stretchr/testify/assert"
)

// stepCase is one golden row for a single step. The Python parity fixture
// pins each step on lowercased text (TestSteps_parity); these rows pin what
// only the Go steps do, such as mixed case for Light, and document each
// rule by example.
type stepCase struct {
	name, reason string
	c            textclean.Cleaner
	in, want     string
}

// stepCases is shared with the fuzz tests, which use the inputs as seeds.
var stepCases = []stepCase{
	// DecodeHTML
	{"decode/double_escaped", "the Davidson data escapes entities twice", textclean.DecodeHTML(), "&amp;#8220;hi&amp;#8221;", "“hi”"},
	{"decode/no_semicolon", "legacy names decode without ';', as in browsers", textclean.DecodeHTML(), "&amp &lt3", "& <3"},
	{"decode/longest_prefix", "&notit; is ¬ followed by it;", textclean.DecodeHTML(), "&notit;", "¬it;"},
	{"decode/hex_apostrophe", "hex references in either case", textclean.DecodeHTML(), "&#x27;&#X27;", "''"},
	{"decode/invalid_numbers", "NUL, surrogates and too large give U+FFFD; controls vanish", textclean.DecodeHTML(), "a&#0;b&#xD800;c&#1114112;d&#1;e", "a\uFFFDb\uFFFDc\uFFFDd" + "e"},
	{"decode/windows1252", "0x80-0x9F map to Windows-1252", textclean.DecodeHTML(), "&#128;&#150;", "€–"},
	{"decode/not_entities", "unknown names and bare '&' stay", textclean.DecodeHTML(), "AT&T &foo; & &#; &#x;", "AT&T &foo; & &#; &#x;"},
	{"decode/triple_escaped", "two passes leave one level", textclean.DecodeHTML(), "&amp;amp;amp;", "&amp;"},
	{"decode/two_runes", "some entities expand to two runes", textclean.DecodeHTML(), "&nGt;", "\u226b\u20d2"},
	// Lower
	{"lower/ascii", "plain ASCII", textclean.Lower(), "HeLLo RT", "hello rt"},
	{"lower/dotted_i", "İ lowercases to i + combining dot, as in Python", textclean.Lower(), "İ", "i\u0307"},
	{"lower/final_sigma", "Σ at a word end is ς", textclean.Lower(), "ΟΔΟΣ ΣΑ", "οδος σα"},
	{"lower/kelvin", "the Kelvin sign lowercases to ASCII k", textclean.Lower(), "\u212a", "k"},
	// NormalizeApostrophes
	{"apostrophes/curly", "’ ‘ ʼ become '", textclean.NormalizeApostrophes(), "don’t ‘x’ canʼt", "don't 'x' can't"},
	// ReplaceURLs
	{"urls/mixed_case", "scheme and www match in any ASCII case", textclean.ReplaceURLs("U"), "HTTPS://T.CO/X Http://a WwW.b.c", "U U U"},
	{"urls/to_space", "a URL runs to the next whitespace, Unicode included", textclean.ReplaceURLs("U"), "http://a\u00a0b http://c\u3000d", "U\u00a0b U\u3000d"},
	{"urls/needs_rest", "a bare scheme is not a URL", textclean.ReplaceURLs("U"), "http:// www. ftp://x", "http:// www. ftp://x"},
	{"urls/invalid_repl", "invalid UTF-8 in the replacement is repaired", textclean.ReplaceURLs("\xff"), "http://x", "\uFFFD"},
	// ReplaceMentions
	{"mentions/unicode", `\w is Unicode: accented and CJK names are mentions`, textclean.ReplaceMentions("@U"), "@Éric @日本 @a_1:", "@U @U @U:"},
	{"mentions/bare_at", "'@' without a word character stays", textclean.ReplaceMentions("@U"), "@ @@a a@", "@ @@U a@"},
	// StripHashtags
	{"hashtags/basic", "'#' before a word character goes", textclean.StripHashtags(), "#Grrr #日本 # ##x #!", "Grrr 日本 # #x #!"},
	// DropRT
	{"rt/cases", "any ASCII case, standalone", textclean.DropRT(), "RT Rt rT rt", "       "},
	{"rt/boundaries", `judged on runes: é, _ and digits are word characters, ' and : are not`, textclean.DropRT(), "ért rt_ rt5 art rt's RT:", "ért rt_ rt5 art  's  :"},
	{"rt/combining_mark", "a combining mark is not a word character, as in Python", textclean.DropRT(), "e\u0301rt", "e\u0301 "},
	// SqueezeRepeats
	{"squeeze/runs", "runs of 3+ become 2", textclean.SqueezeRepeats(), "soooo !!!!! aa 😂😂😂", "soo !! aa 😂😂"},
	{"squeeze/newlines", "Python's '.' skips newlines", textclean.SqueezeRepeats(), "\n\n\n\n", "\n\n\n\n"},
	// RemoveSpecial
	{"special/runs", "runs of other runes become one space", textclean.RemoveSpecial(), "don't!! Café 😂 x", "don't af x"},
	// TrimApostrophes
	{"trim/quotes", "apostrophes at word ends go, inner ones stay", textclean.TrimApostrophes(), " 'quoted'  don't '' ", "quoted don't"},
	// RemoveStopwords
	{"stop/basic", "exact lowercase matches of sklearn's list", textclean.RemoveStopwords(), "this is NOT the end", "NOT end"},
	// CollapseSpace
	{"space/unicode", "Unicode whitespace and ASCII separators, as Python's split", textclean.CollapseSpace(), "\t a\u00a0\u3000b\x1c c \n", "a b c"},
	{"space/empty", "whitespace only gives empty", textclean.CollapseSpace(), " \t\n ", ""},
	// All steps: invalid UTF-8
	{"invalid/decode", "each invalid byte is one U+FFFD", textclean.DecodeHTML(), "a\xe2\x80b\xff", "a\uFFFD\uFFFDb\uFFFD"},
	{"invalid/squeeze", "replacement happens before the step", textclean.SqueezeRepeats(), "\xff\xff\xff", "\uFFFD\uFFFD"},
}

func TestSteps(t *testing.T) {
	t.Parallel()
	for _, tt := range stepCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.c.Clean(tt.in)
			assert.Equal(t, tt.want, got, tt.reason)
			assert.True(t, utf8.ValidString(got))
		})
	}
}
