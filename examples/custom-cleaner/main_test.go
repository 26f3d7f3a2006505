package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hatetweet/hatetweet/textclean"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaskCleaner(t *testing.T) {
	c := textclean.Chain(textclean.CleanerFunc(emojiWords.Replace), textclean.Tweet{}, maskCleaner(map[string]bool{"idiot": true}))
	assert.Equal(t, "atuser shut up masked emojiangry emojifire", c.Clean("RT @x: Shut up IDIOT 🤬🔥"))
}

func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains an LSTM")
	}
	words := filepath.Join(t.TempDir(), "words.txt")
	require.NoError(t, os.WriteFile(words, []byte("# masked words\nidiot\n"), 0o644))
	require.NoError(t, run(t.Context(), []string{"-mask", words, "-limit", "300", "-epochs", "1"}))
}
