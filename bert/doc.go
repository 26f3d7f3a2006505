// Package bert runs, fine-tunes and saves Hugging Face BERT sequence
// classifiers in pure Go, on gorgonia.
//
// # Overview
//
// [Load] reads a Hugging Face directory (config.json, vocab.txt or
// tokenizer.json, tokenizer_config.json, model.safetensors or
// pytorch_model.bin) into a [Model]; [New] builds a randomly initialised
// one from a [Config]. The forward pass is the eager
// BertForSequenceClassification of transformers: word + position +
// token-type embeddings, LayerNorm with the config's layer_norm_eps
// (biased variance), per-head attention with padded keys masked by adding
// the most negative float32, exact erf GELU, post-LayerNorm residual
// blocks, a tanh pooler on [CLS] and a linear classifier whose labels come
// from id2label. On the fixtures in testdata (made by PyTorch) the logits
// agree within 1e-4; in practice within 1e-6.
//
// [Model.Predict] and [Model.PredictBatch] clean each text (by default with
// [textclean.Light]), tokenize it with WordPiece, truncate it to
// [Model.MaxLen] tokens as Hugging Face does, and return probabilities and
// raw logits. [Model.TrainStep] takes one AdamW step with the semantics of
// torch.optim.AdamW (see [TrainConfig]); with [Model.PlanSteps] and
// [Model.Snapshot] a Model plugs into train.Trainer, which adds epochs,
// shuffling and early stopping on validation macro-F1. [Model.Save] writes
// a directory that both [Load] and transformers read, including the
// cleaner preset the model was trained with.
//
// A checkpoint without a classifier head (a plain BertModel or
// BertForPreTraining) gets a new, seeded head; [Model.FreshHead] tells the
// caller, who must fine-tune before trusting its predictions.
//
// Gorgonia graphs have fixed shapes, so a Model compiles one graph per
// (batch size, sequence length) on first use, in a few milliseconds, and
// keeps the recent ones.
//
// # Contract
//
// Input: any string is a valid text, including empty, emoji-only and
// invalid UTF-8 ones; longer texts are truncated, never rejected.
// PredictBatch returns one prediction per text in order; an empty batch
// gives an empty result. Results are deterministic, and padding is masked,
// so a text's prediction does not depend on its batch (within 1e-5).
// Training is deterministic for a given [TrainConfig].Seed, data and
// machine.
//
// Concurrency: Predict and PredictBatch are safe for concurrent use; each
// call borrows one of up to GOMAXPROCS inference workers, which own their
// gorgonia machines and share the read-only weights. TrainStep,
// SetTrainConfig, PlanSteps, Save and Close wait for running calls and
// exclude others.
//
// Errors: loading errors wrap [ErrBadCheckpoint] (and fs.ErrNotExist for a
// missing file); labels outside the model's wrap
// [hatetweet.ErrUnknownLabel]; parallel slices of different lengths wrap
// [hatetweet.ErrLengthMismatch]; a cancelled context gives an error
// wrapping ctx.Err(); a failure of the math layer, including a recovered
// panic, wraps [ErrMath]. No method panics on user input, prints, or
// touches the network.
//
// # See also
//
// [github.com/hatetweet/hatetweet/tokenize.WordPiece] for tokenization,
// [github.com/hatetweet/hatetweet/textclean] for cleaners and presets,
// train.Trainer for the training loop, and testdata/gen_fixtures.py and
// testdata/check_saved.py for the PyTorch reference.
package bert
