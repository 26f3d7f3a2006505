package textclean_test

import (
	"fmt"
	"strings"

	"github.com/hatetweet/hatetweet/textclean"
)

func ExampleTweet_Clean() {
	raw := "RT @deviledlegs: drawing myself a goats milk bath &#8230; http://t.co/x #Soooo GOOD!!!!"
	fmt.Printf("%q\n", textclean.Tweet{}.Clean(raw))
	fmt.Printf("%q\n", textclean.Tweet{RemoveStopwords: true}.Clean(raw))
	fmt.Printf("%q\n", textclean.Light{}.Clean(raw))
	// Output:
	// "atuser drawing myself a goats milk bath httpurl soo good"
	// "atuser drawing goats milk bath httpurl soo good"
	// "@USER: drawing myself a goats milk bath … URL Soooo GOOD!!!!"
}

func ExampleChain() {
	c := textclean.Chain(
		textclean.DecodeHTML(),
		textclean.ReplaceURLs("<url>"),
		textclean.StripHashtags(),
		textclean.CollapseSpace(),
	)
	fmt.Println(c.Clean("  &amp;#8220;Fish &amp; chips&amp;#8221;   #yum  https://t.co/x "))
	// Output:
	// “Fish & chips” yum <url>
}

// A custom Cleaner is one function: this one masks words from a user list,
// and runs after the tweet pipeline, which has lowercased the text.
func ExampleCleanerFunc() {
	masked := map[string]bool{"darn": true, "heck": true}
	mask := textclean.CleanerFunc(func(text string) string {
		words := strings.Fields(text)
		for i, w := range words {
			if masked[w] {
				words[i] = strings.Repeat("*", len(w))
			}
		}
		return strings.Join(words, " ")
	})
	c := textclean.Chain(textclean.Tweet{}, mask)
	fmt.Println(c.Clean("What the HECK, darn it!!!"))
	// Output:
	// what the **** **** it
}

func ExampleParsePreset() {
	p, err := textclean.ParsePreset("tweet-stopwords")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p, p.Cleaner().Clean("This is SO not okay"))
	_, err = textclean.ParsePreset("bert")
	fmt.Println(err)
	// Output:
	// tweet-stopwords okay
	// textclean: unknown preset: "bert" (want one of ["tweet" "tweet-stopwords" "light" "none"])
}
