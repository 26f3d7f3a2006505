// Package lstm is an LSTM tweet classifier: word embeddings, a
// (bidirectional) LSTM and a linear layer, trained and run in float32 on
// gorgonia, with PyTorch's layout and semantics.
//
// # Overview
//
// [New] makes a [Model] with fresh weights for a vocabulary
// ([tokenize.Vocab]) and labels; [Load] reads one saved by [Model.Save].
// The network is the reference BiLSTM of shared/anchors/lstm.py, and the
// zero [Config] reproduces its recipe (cleaning, architecture and
// optimiser):
//
//	text → cleaner (Config.Cleaner) → vocabulary ids, cut to MaxLen
//	     → Embedding(V, EmbeddingDim, padding id 0)
//	     → Layers × LSTM(Hidden per direction, Direction)
//	     → final states (forward at the last token, backward at the first)
//	     → Dropout (training only) → Linear → softmax
//
// [Model.PredictBatch] classifies texts in batches of up to 256, each
// padded to its longest text, with packed-sequence semantics (as
// torch.nn.utils.rnn.pack_padded_sequence): padding never reaches the
// LSTM's state. [Model.TrainStep] takes one Adam or AdamW step on a batch
// of labelled examples with class-weighted cross-entropy, optional
// gradient clipping and a learning-rate schedule; a Model is a
// train.Trainable, and also implements train's optional Snapshotter
// ([Model.Snapshot]) and Scheduler ([Model.PlanSteps]).
//
// A saved model is a directory with config.json ("format_version": 1, the
// [Config] with its defaults applied, including the cleaner preset, and
// the labels), vocab.json ([tokenize.Vocab.WriteTo]) and model.safetensors
// (PyTorch's parameter names: embedding.weight, lstm.weight_ih_l0, …,
// fc.weight, fc.bias), so weights can be compared with a torch model 1:1.
//
// Speed: the LSTM kernel packs the valid tokens of a batch, computes the
// input projection of all of them in one matrix product and runs only the
// rows still going at each step; its products and activations use AVX2
// and FMA where the CPU has them, and the two directions run on two
// goroutines.
//
// # Contract
//
// Input domain: any string is a valid text. Cleaning and tokenizing never
// fail; a text with no words reads as one unknown word. Labels of training
// examples must index [Model.Labels].
//
// Ordering and determinism: PredictBatch returns one prediction per text,
// in order. Predictions do not depend on the rest of the batch (within
// 1e-5) and are the same on every call. New draws its weights, and
// TrainStep its dropout masks, from a generator seeded by Config.Seed, so
// the same seed, vocabulary, labels and batches give bit-identical weights
// on the same machine.
//
// Concurrency: Predict and PredictBatch are safe for concurrent use; the
// Model keeps a pool of inference workers over shared, read-only weights
// ([WithPoolSize]). TrainStep, Save, PlanSteps, Snapshot's restore and
// Close must not run concurrently with other calls (TrainStep and restore
// take an exclusive lock as a safety net).
//
// Errors: [Load] wraps [ErrBadCheckpoint] for any problem with the saved
// files; PredictBatch and TrainStep wrap ctx.Err() when the context is
// done, [ErrMath] for a failure inside the math layer (a bug, recovered
// rather than crashing), and [ErrClosed] after [Model.Close]. TrainStep
// wraps hatetweet.ErrUnknownLabel for a label out of range. [New] and
// [Config.Validate] report every configuration problem at once.
//
// # See also
//
// [github.com/hatetweet/hatetweet/train] for the training loop,
// [github.com/hatetweet/hatetweet/evaluate] for metrics,
// [github.com/hatetweet/hatetweet/textclean] for the cleaners, and
// shared/anchors/lstm.py for the PyTorch reference.
package lstm
