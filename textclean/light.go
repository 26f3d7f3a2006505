package textclean

// Light is the light tweet pipeline for BERT, whose own tokenizer
// lowercases, splits punctuation and knows stopwords. Clean applies, in
// order:
//
//  1. [DecodeHTML]: HTML character references decoded twice.
//  2. [StripHashtags]: "#word" becomes "word".
//  3. [ReplaceURLs] with "URL".
//  4. [ReplaceMentions] with "@USER".
//  5. [DropRT]: the standalone word "rt", in any ASCII case, becomes a space.
//  6. [CollapseSpace]: words joined by single spaces, no space at the ends.
//
// Unlike [Tweet], it strips '#' before it replaces URLs and mentions, so
// that a '#' inside one ("htt#p://x", "@#tag") cannot leave a URL or a
// mention for a second pass to find. It keeps case, punctuation, emoji, other scripts, elongations and
// stopwords. Invalid UTF-8 is replaced by U+FFFD, one per byte.
//
// Clean is not idempotent where the input needs more than two rounds of
// HTML decoding ("&amp;amp;lt;" gives "&lt;", then "<") or stacks '#'
// ("##tag" gives "#tag", then "tag").
//
// A Light has no fields; it is safe for concurrent use.
type Light struct{}

// Clean returns the lightly cleaned form of text; see [Light] for the steps.
// It never panics and returns valid UTF-8 for any input.
func (Light) Clean(text string) string {
	a := make([]byte, 0, len(text)+32)
	a = append(a, validUTF8(text)...)
	b := make([]byte, 0, cap(a))
	for _, f := range [...]step{
		appendDecodeHTML,
		appendHashtags,
		appendLightURLs,
		appendLightMentions,
		appendDropRT,
	} {
		b = f(b[:0], a)
		a, b = b, a
	}
	return string(appendFields(b[:0], a, false, false))
}

// Replacements used by Light.
var (
	lightURL     = []byte("URL")
	lightMention = []byte("@USER")
)

func appendLightURLs(dst, src []byte) []byte     { return appendURLs(dst, src, lightURL) }
func appendLightMentions(dst, src []byte) []byte { return appendMentions(dst, src, lightMention) }
