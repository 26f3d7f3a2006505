package cli

import (
	"errors"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
)

// SaveTinyLSTM saves an untrained LSTM with sizes of 4 and the Davidson
// labels in dir: a fixture for the examples' tests.
func SaveTinyLSTM(dir string) (err error) {
	clean := textclean.Tweet{}
	var toks [][]string
	for _, s := range []string{"you are great", "you are awful", "great game tonight", "awful people"} {
		toks = append(toks, strings.Fields(clean.Clean(s)))
	}
	v, err := tokenize.BuildVocab(toks, 1, 0)
	if err != nil {
		return err
	}
	m, err := lstm.New(lstm.Config{EmbeddingDim: 4, Hidden: 4, MaxLen: 16, Seed: 1}, v, hatetweet.DavidsonLabels())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close()) }()
	return m.Save(dir)
}
