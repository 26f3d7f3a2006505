package textclean_test

import (
	"testing"
	"unicode/utf8"

	"github.com/hatetweet/hatetweet/textclean"
	"github.com/stretchr/testify/assert"
)

// lightChain is Light written as a Chain of the exported steps, as the
// Light doc comment promises. FuzzLight_Clean compares the two on every
// golden input.
func lightChain() textclean.Cleaner {
	return textclean.Chain(
		textclean.DecodeHTML(),
		textclean.StripHashtags(),
		textclean.ReplaceURLs("URL"),
		textclean.ReplaceMentions("@USER"),
		textclean.DropRT(),
		textclean.CollapseSpace(),
	)
}

// lightCases is shared with FuzzLight_Clean, which uses the inputs as seeds.
var lightCases = []struct {
	name, reason string
	in, want     string
}{
	{"retweet", "RT marker dropped, mention and URL replaced, case and punctuation kept",
		"RT @MetroBoomin: Coming soon!!!!! #MONSTERtape http://t.co/03aS6BGqeC", "@USER: Coming soon!!!!! MONSTERtape URL"},
	{"entities", "double-escaped entities decoded", "&amp;#8220;Hi&amp;#8221; &lt;3", "“Hi” <3"},
	{"emoji_and_scripts", "emoji, accents and other scripts kept", "Café 😂 日本 Привет", "Café 😂 日本 Привет"},
	{"stopwords_kept", "BERT sees every word", "I am not the one", "I am not the one"},
	{"rt_inside_word", "only the standalone word goes", "ért art RT's", "ért art 's"},
	{"hashtag_in_mention", "'#' goes before mentions are found, so the result is stable", "@#tag", "@USER"},
	{"hashtag_in_url", "'#' goes before URLs are found, so the result is stable", "htt#p://x", "URL"},
	{"whitespace", "all whitespace collapses", " \t a \u3000 b\n", "a b"},
	{"empty", "empty stays empty", "", ""},
	{"invalid_utf8", "invalid bytes become U+FFFD", "a\xffb", "a\uFFFDb"},
	{"nul", "control characters are kept for BERT's tokenizer to handle", "a\x00b", "a\x00b"},
}

func TestLight_Clean(t *testing.T) {
	t.Parallel()
	for _, tt := range lightCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := textclean.Light{}.Clean(tt.in)
			assert.Equal(t, tt.want, got, tt.reason)
			assert.Equal(t, tt.want, lightChain().Clean(tt.in), "chained form: "+tt.reason)
			assert.True(t, utf8.ValidString(got))
		})
	}
}
