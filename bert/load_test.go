package bert

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoad_headless: a checkpoint without a classifier head (tiny-c) gets
// a new head drawn from the seed, the caller is told through FreshHead,
// and the encoder still matches PyTorch (see TestModel_forward_parity).
func TestLoad_headless(t *testing.T) {
	t.Parallel()
	a := loadTiny(t, "tiny-c", WithSeed(7))
	b := loadTiny(t, "tiny-c", WithSeed(7))
	c := loadTiny(t, "tiny-c", WithSeed(8))
	assert.True(t, a.FreshHead())
	assert.Equal(t, hatetweet.DavidsonLabels(), a.Labels(), "the SDK's default labels")
	assert.Equal(t, a.ps.clsW.Data, b.ps.clsW.Data, "same seed, same head")
	assert.NotEqual(t, a.ps.clsW.Data, c.ps.clsW.Data, "another seed, another head")
	for _, v := range a.ps.clsB.Data {
		assert.Zero(t, v, "HF initialises biases to 0")
	}
	var sq float64
	for _, v := range a.ps.clsW.Data {
		sq += float64(v) * float64(v)
	}
	// N(0, 0.02²) (initializer_range) over 3×8 draws: the RMS is 0.02
	// give or take 30%, far from other plausible scales (1, 1/√8).
	rms := math.Sqrt(sq / float64(len(a.ps.clsW.Data)))
	assert.InDelta(t, 0.02, rms, 0.006)

	two := loadTiny(t, "tiny-c", WithLabels(hatetweet.Labels{"clean", "toxic"}))
	assert.Equal(t, hatetweet.Labels{"clean", "toxic"}, two.Labels())
	assert.Equal(t, []int{2, 8}, two.ps.clsW.Shape)
	p, err := two.Predict("you are nice")
	require.NoError(t, err)
	assert.Len(t, p.Probs, 2)

	full := loadTiny(t, "tiny-a")
	assert.False(t, full.FreshHead())
}

func TestLoad_options(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		dir          string
		opts         []Option
		sentinel     error
	}{
		{"max len too small", "[CLS] and [SEP] need 2 tokens", "tiny-a", []Option{WithMaxLen(1)}, nil},
		{"max len zero", "an explicit 0 is not a default", "tiny-a", []Option{WithMaxLen(0)}, nil},
		{"max len above positions", "tiny-a has 32 positions", "tiny-a", []Option{WithMaxLen(33)}, nil},
		{"seed with a head", "nothing to draw", "tiny-a", []Option{WithSeed(1)}, nil},
		{"labels do not fit head", "tiny-a's head has 3 outputs", "tiny-a", []Option{WithLabels(hatetweet.Labels{"a", "b"})}, ErrBadCheckpoint},
		{"invalid labels", "a single label", "tiny-c", []Option{WithLabels(hatetweet.Labels{"only"})}, nil},
		{"nil cleaner", "WithCleaner(nil)", "tiny-a", []Option{WithCleaner(nil)}, nil},
		{"missing dir", "no config.json", "nope", nil, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := Load(filepath.Join("testdata", tt.dir), tt.opts...)
			require.Error(t, err, tt.reason)
			assert.Nil(t, m)
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel, tt.reason)
			}
		})
	}
	m := loadTiny(t, "tiny-a", WithMaxLen(2), WithLabels(hatetweet.Labels{"x", "y", "z"}))
	assert.Equal(t, 2, m.MaxLen(), "the smallest length")
	assert.Equal(t, hatetweet.Labels{"x", "y", "z"}, m.Labels(), "labels rename the head")
}

func TestResolveMaxLen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason        string
		opt, tokenizer, pos int
		want                int
		ok                  bool
	}{
		{"tokenizer config", "model_max_length wins when present", 0, 128, 512, 128, true},
		{"positions", "no model_max_length: max_position_embeddings", 0, 0, 300, 300, true},
		{"capped", "no model_max_length: at most 512", 0, 0, 4096, 512, true},
		{"tokenizer above positions", "never more than the positions", 0, 1024, 512, 512, true},
		{"option", "WithMaxLen overrides", 64, 128, 512, 64, true},
		{"option at positions", "the upper bound is allowed", 512, 0, 512, 512, true},
		{"option too long", "above max_position_embeddings", 513, 0, 512, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var o options
			if tt.opt != 0 {
				WithMaxLen(tt.opt)(&o)
			}
			got, err := resolveMaxLen(o, tt.tokenizer, tt.pos)
			if !tt.ok {
				assert.Error(t, err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

// TestLoad_cleaner: without a record, Load uses Light; a saved preset is
// restored; WithCleaner overrides both.
func TestLoad_cleaner(t *testing.T) {
	t.Parallel()
	m := loadTiny(t, "tiny-a")
	assert.Equal(t, textclean.Light{}, m.cleaner)
	dir := t.TempDir()
	withTweet := loadTiny(t, "tiny-a", WithCleaner(textclean.Tweet{}))
	require.NoError(t, withTweet.Save(dir))
	back, err := Load(dir)
	require.NoError(t, err)
	defer func() { assert.NoError(t, back.Close()) }()
	assert.Equal(t, textclean.Tweet{}, back.cleaner)

	custom := loadTiny(t, "tiny-a", WithCleaner(textclean.CleanerFunc(func(s string) string { return s })))
	dir2 := t.TempDir()
	require.NoError(t, custom.Save(dir2))
	raw, err := os.ReadFile(filepath.Join(dir2, "config.json"))
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "hatetweet_cleaner", "a custom cleaner is not recorded")
}

func TestLoad_badCleanerRecord(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := loadTiny(t, "tiny-a")
	require.NoError(t, m.Save(dir))
	path := filepath.Join(dir, "config.json")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(raw), `"light"`, `"heavy"`, 1)), 0o644))
	_, err = Load(dir)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrBadCheckpoint) && errors.Is(err, textclean.ErrUnknownPreset), err.Error())
}
