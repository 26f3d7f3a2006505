package textclean_test

import (
	"encoding/json"
	"testing"

	"github.com/hatetweet/hatetweet/textclean"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPreset(t *testing.T) {
	t.Parallel()
	// A text that every preset cleans differently.
	const text = "RT @User: the Café is SOOOO good &amp;amp; http://t.co/x \xff"
	tests := []struct {
		name, reason string
		p            textclean.Preset
		want         textclean.Cleaner
	}{
		{"none", "identity apart from invalid UTF-8", textclean.PresetNone, textclean.Chain()},
		{"tweet", "the default word-model pipeline", textclean.PresetTweet, textclean.Tweet{}},
		{"tweet-stopwords", "the pipeline without stopwords", textclean.PresetTweetStopwords, textclean.Tweet{RemoveStopwords: true}},
		{"light", "the BERT pipeline", textclean.PresetLight, textclean.Light{}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.name, tt.p.String())
			c := tt.p.Cleaner()
			require.NotNil(t, c, tt.reason)
			assert.Equal(t, tt.want.Clean(text), c.Clean(text), tt.reason)

			b, err := tt.p.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.name, string(b))
			var back textclean.Preset
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tt.p, back)
			parsed, err := textclean.ParsePreset(tt.name)
			require.NoError(t, err)
			assert.Equal(t, tt.p, parsed)
		})
		out := tt.want.Clean(text)
		assert.False(t, seen[out], "presets %s gives the same text as another", tt.name)
		seen[out] = true
	}
	assert.Equal(t, textclean.PresetTweet, textclean.Preset(0), "the zero value is the default tweet pipeline")
}

func TestPreset_JSON(t *testing.T) {
	t.Parallel()
	type config struct {
		Cleaner textclean.Preset `json:"cleaner"`
	}
	b, err := json.Marshal(config{Cleaner: textclean.PresetTweetStopwords})
	require.NoError(t, err)
	assert.JSONEq(t, `{"cleaner":"tweet-stopwords"}`, string(b))
	var c config
	require.NoError(t, json.Unmarshal([]byte(`{"cleaner":"light"}`), &c))
	assert.Equal(t, textclean.PresetLight, c.Cleaner)
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"cleaner":"bert"}`), &c), textclean.ErrUnknownPreset)
	assert.Error(t, json.Unmarshal([]byte(`{"cleaner":3}`), &c), "a number is not a preset name")
}

func TestPreset_unknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		text         string
	}{
		{"empty", "no default name", ""},
		{"case", "names are case-sensitive", "Tweet"},
		{"underscore", "the separator is '-'", "tweet_stopwords"},
		{"other", "not a preset", "bert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := textclean.ParsePreset(tt.text)
			require.ErrorIs(t, err, textclean.ErrUnknownPreset, tt.reason)
			assert.Regexp(t, `^textclean: unknown preset`, err.Error())
			p := textclean.PresetLight
			require.ErrorIs(t, p.UnmarshalText([]byte(tt.text)), textclean.ErrUnknownPreset)
			assert.Equal(t, textclean.PresetLight, p, "unchanged on error")
		})
	}
	for _, v := range []struct {
		p    textclean.Preset
		name string
	}{{-1, "Preset(-1)"}, {4, "Preset(4)"}} {
		assert.Nil(t, v.p.Cleaner(), "no cleaner for a value outside the constants")
		assert.Equal(t, v.name, v.p.String())
		_, err := v.p.MarshalText()
		assert.ErrorIs(t, err, textclean.ErrUnknownPreset)
	}
}
