package main

import (
	"context"
	"fmt"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// textsOf returns the texts of exs.
func textsOf(exs []hatetweet.Example) []string {
	texts := make([]string, len(exs))
	for i, ex := range exs {
		texts[i] = ex.Text
	}
	return texts
}

// benchClean measures the cleaners over the training tweets, one pass
// per call.
func benchClean(ctx context.Context, s settings, r *report, train []hatetweet.Example) error {
	texts := limit(s, textsOf(train), 500)
	for _, c := range []struct {
		key     string
		cleaner textclean.Cleaner
	}{
		{"clean_tweet_tweets_per_s", textclean.Tweet{}},
		{"clean_light_tweets_per_s", textclean.Light{}},
	} {
		pass := func(int) error {
			for _, t := range texts {
				c.cleaner.Clean(t)
			}
			return nil
		}
		if err := s.warmUp(1, pass); err != nil {
			return err
		}
		times, err := repeat(ctx, s.duration, s.atLeast(3), pass)
		if err != nil {
			return err
		}
		r.set(c.key, perSecond(len(texts), times))
		fmt.Fprintf(s.progress, "clean: %s %d passes over %d tweets\n", c.key, len(times), len(texts))
	}
	return nil
}

// benchWordPiece measures bert-base-uncased's WordPiece over the raw
// training tweets, one pass per call.
func benchWordPiece(ctx context.Context, s settings, r *report, train []hatetweet.Example) error {
	tok, err := tokenize.NewDefaultWordPiece()
	if err != nil {
		return err
	}
	texts := limit(s, textsOf(train), 500)
	tokens := 0
	pass := func(int) error {
		tokens = 0
		for _, t := range texts {
			e, err := tok.Tokenize(t)
			if err != nil {
				return err
			}
			tokens += e.Len()
		}
		return nil
	}
	if err := s.warmUp(1, pass); err != nil {
		return err
	}
	times, err := repeat(ctx, s.duration, s.atLeast(3), pass)
	if err != nil {
		return err
	}
	r.set("wordpiece_tweets_per_s", perSecond(len(texts), times))
	r.set("wordpiece_tokens_per_s", perSecond(tokens, times)) // every pass gives the same tokens
	fmt.Fprintf(s.progress, "tokenize: %d passes over %d tweets (%d tokens each pass)\n", len(times), len(texts), tokens)
	return nil
}
