package textclean

import (
	"errors"
	"fmt"
)

// ErrUnknownPreset is returned, wrapped, by [ParsePreset],
// [Preset.UnmarshalText] and [Preset.MarshalText] for a name or value that
// is not one of the presets.
var ErrUnknownPreset = errors.New("textclean: unknown preset")

// Preset names one of the built-in cleaners, so that a saved model can
// record the cleaner it was trained with. It marshals as text ("none",
// "tweet", "tweet-stopwords", "light"), so it reads naturally in a JSON
// config. The zero value is [PresetTweet], the default word-model pipeline,
// as the zero [Tweet] is; a config that leaves its preset unset gets the
// cleaning the word models are measured with. A Preset is a plain value,
// safe for concurrent use.
type Preset int

// The presets.
const (
	// PresetTweet is Tweet{}, the default word-model pipeline, and the zero
	// value.
	PresetTweet Preset = iota
	// PresetTweetStopwords is Tweet{RemoveStopwords: true}.
	PresetTweetStopwords
	// PresetLight is Light{}, the pipeline for BERT.
	PresetLight
	// PresetNone does no cleaning: text passes through unchanged, except
	// that invalid UTF-8 is replaced by U+FFFD, one per byte.
	PresetNone
)

// presetNames holds the text form of each preset, indexed by Preset.
var presetNames = [...]string{
	PresetTweet:          "tweet",
	PresetTweetStopwords: "tweet-stopwords",
	PresetLight:          "light",
	PresetNone:           "none",
}

// valid reports whether p is one of the preset constants.
func (p Preset) valid() bool { return p >= 0 && int(p) < len(presetNames) }

// Cleaner returns the cleaner p names. It returns nil for a value that is
// not one of the preset constants; a Preset read from outside the program
// through [ParsePreset] or [Preset.UnmarshalText] is always one of them.
func (p Preset) Cleaner() Cleaner {
	switch p {
	case PresetNone:
		return Chain()
	case PresetTweet:
		return Tweet{}
	case PresetTweetStopwords:
		return Tweet{RemoveStopwords: true}
	case PresetLight:
		return Light{}
	}
	return nil
}

// String returns the name of p, such as "tweet", or "Preset(7)" for a value
// that is not one of the constants.
func (p Preset) String() string {
	if !p.valid() {
		return fmt.Sprintf("Preset(%d)", int(p))
	}
	return presetNames[p]
}

// MarshalText returns the name of p. A value that is not one of the
// constants gives an error wrapping [ErrUnknownPreset].
func (p Preset) MarshalText() ([]byte, error) {
	if !p.valid() {
		return nil, fmt.Errorf("%w: %d", ErrUnknownPreset, int(p))
	}
	return []byte(presetNames[p]), nil
}

// UnmarshalText sets p to the preset named by text, as [ParsePreset] does.
// On error, p is unchanged.
func (p *Preset) UnmarshalText(text []byte) error {
	v, err := ParsePreset(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePreset returns the preset with the given name: "none", "tweet",
// "tweet-stopwords" or "light". Names are case-sensitive; any other name
// gives an error wrapping [ErrUnknownPreset].
func ParsePreset(name string) (Preset, error) {
	for i, n := range presetNames {
		if n == name {
			return Preset(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want one of %q)", ErrUnknownPreset, name, presetNames[:])
}
