package tokenize

import _ "embed" // for the bert-base-uncased vocabulary

// bertBaseUncasedVocab is the vocab.txt of bert-base-uncased: 30,522
// tokens, [PAD] at id 0. Source and licence: vocab/SOURCE.md.
//
//go:embed vocab/bert-base-uncased-vocab.txt
var bertBaseUncasedVocab string

// bertBaseUncasedName names the embedded vocabulary in errors.
const bertBaseUncasedName = "embedded bert-base-uncased vocab.txt"
