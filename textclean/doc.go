// Package textclean turns raw tweets into the text hatetweet's models see.
//
// # Overview
//
// A [Cleaner] maps a string to a string. [Tweet] is the default pipeline
// for word-level models such as the LSTM: a 1:1 port of the Python
// reference clean() (anchors/clean.py) that decodes HTML entities,
// lowercases, replaces URLs and @mentions, drops the RT marker and '#',
// squeezes elongations and keeps only a-z, 0-9 and apostrophes, with
// scikit-learn's English stopwords optionally removed
// (Tweet{RemoveStopwords: true}). [Light] is the pipeline for BERT: it
// decodes entities, replaces URLs and mentions, drops RT and '#', and
// collapses whitespace, keeping case, punctuation, emoji and stopwords.
//
// Each step is also exported as a Cleaner ([DecodeHTML], [Lower],
// [NormalizeApostrophes], [ReplaceURLs], [ReplaceMentions],
// [StripHashtags], [DropRT], [SqueezeRepeats], [RemoveSpecial],
// [TrimApostrophes], [RemoveStopwords], [CollapseSpace]), to be combined
// with [Chain] or with your own [CleanerFunc]. A [Preset] names a built-in
// cleaner and marshals as text, so a saved model can record which cleaner
// it was trained with.
//
// # Contract
//
// Every Cleaner in this package is total and pure: any string in, including
// the empty string, invalid UTF-8, NUL and control characters, emoji, any
// script and megabytes of text, gives a result and never a panic. Output is
// valid UTF-8; invalid input bytes are first replaced by U+FFFD, one per
// byte, as Go's range loop decodes them. Output depends only on the input,
// and every Cleaner here, and [Chain] of such Cleaners, is safe for
// concurrent use by multiple goroutines. Cleaning takes time linear in the
// input length. Where Python's Unicode-aware \w, \b, \s or str.lower matter
// (@mentions, hashtags, the word "rt", URLs, lowercasing), steps decide on
// runes with Unicode semantics, not Go regexp's ASCII-only classes, so
// "ért" keeps its "rt". The only errors are those of [ParsePreset] and the
// text marshalling of Preset, which wrap [ErrUnknownPreset].
//
// # See also
//
// anchors/clean.py in the shared reference scripts, whose clean() [Tweet]
// ports; testdata/gen_clean.py, which writes the parity fixture that pins
// Tweet to it; package tokenize, which splits cleaned text into tokens.
package textclean
