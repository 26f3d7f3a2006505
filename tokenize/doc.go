// Package tokenize turns cleaned text into the token ids that hatetweet's
// models read.
//
// # Overview
//
// A [Tokenizer] maps one text to an [Encoding]: token strings, ids, segment
// (type) ids and an attention mask of equal lengths. [EncodeBatch] tokenizes
// many texts and truncates and right-pads them into a row-major [Batch] of a
// fixed sequence length, the shape the models take.
//
// The package has two tokenizers, one per pipeline:
//
//   - [WordPiece] is BERT's subword tokenizer, reading a vocab.txt or
//     tokenizer.json. It follows Hugging Face's BertTokenizer, adds [CLS] and
//     [SEP], and keeps them when it truncates (it implements [Truncater]).
//   - [Vocab] is the word-level vocabulary of the LSTM pipeline. [BuildVocab]
//     builds it from a tokenized training corpus exactly as the reference
//     PyTorch BiLSTM does (tokens seen at least minFreq times, most frequent
//     first, ties in code-point order; <pad> at id 0 and <unk> at id 1).
//     [Vocab.WriteTo] and [ReadVocab] store it as versioned JSON. Its
//     Tokenize splits on whitespace only: give it text cleaned by
//     textclean.Tweet, the cleaning the vocabulary was built from.
//
// # Contract
//
// Input: any string, including empty, whitespace-only, any script and
// invalid UTF-8, gives an Encoding, never an error or a panic because of its
// content. Unknown words map to the tokenizer's unknown token. Id 0 is
// padding in every vocabulary, and loaders reject a vocabulary without it.
//
// Output: IDs, TypeIDs and Mask have equal lengths, ids are in
// [0, VocabSize), and Mask is 1 for every token a tokenizer returns. A
// [Vocab] encodes a text with no words as one unknown token, as the
// reference BiLSTM does. EncodeBatch truncates to its sequence length (keeping
// special tokens) and pads with id 0, type id 0 and mask 0.
//
// Determinism and concurrency: tokenizers are pure functions of their
// vocabulary and input. [Vocab] and [WordPiece] are immutable once built or
// read and are safe for concurrent use by multiple goroutines.
//
// Errors: malformed or inconsistent vocabularies give errors wrapping
// [ErrBadVocab]; Encodings of unequal lengths given to EncodeBatch give
// errors wrapping [github.com/hatetweet/hatetweet.ErrLengthMismatch].
//
// # See also
//
//   - textclean, which cleans tweets before they are tokenized.
//   - lstm and bert, the models that consume Encodings and Batches.
//   - shared/anchors/lstm.py, the reference BiLSTM whose vocabulary and
//     encoding [Vocab] reproduces; testdata/vocab holds the parity fixtures.
package tokenize
