// Package hatetweet is a Go SDK for text classification that ships two
// complete pipelines side by side: fine-tuning BERT checkpoints in the
// HuggingFace layout, and training a lightweight (Bi)LSTM. It is built for
// trust-and-safety teams who flag hateful and offensive posts from Go
// services, without a Python sidecar.
//
// # Overview
//
// The root package holds the types every pipeline shares: [Label], [Labels],
// [Example], [Prediction] and the [Classifier] interface. The work is done by
// small packages that compose:
//
//	textclean  Cleaner, CleanerFunc, Chain, Tweet: text normalisation
//	tokenize   Tokenizer, Vocab (word level, for the LSTM), WordPiece (BERT)
//	dataset    CSV/TSV/JSONL loading, stratified splits, the embedded Davidson data
//	lstm       the (Bi)LSTM classifier: New, Load, PredictBatch, TrainStep, Save
//	bert       HuggingFace BERT checkpoints: Load, PredictBatch, TrainStep, Save
//	train      Trainer: the training loop, early stopping, progress
//	evaluate   accuracy, per-class P/R/F1, macro/micro/weighted, confusion
//
// Dependencies point one way: the root imports nothing of the project;
// textclean, evaluate and dataset import at most the root; tokenize imports
// the root; train imports the root and evaluate and sees models only through
// [github.com/hatetweet/hatetweet/train.Trainable]; lstm and bert import
// textclean, tokenize and the internal math layer, and never each other.
// gorgonia appears only in lstm, bert and internal/nn. deps_test.go enforces
// this.
//
// # Quick start
//
//	trainSet, valSet, testSet, err := dataset.Davidson()
//	cleaner := textclean.Tweet{}
//	vocab, err := tokenize.BuildVocab(tokens(cleaner, trainSet), 2, 0)
//	model, err := lstm.New(lstm.Config{Seed: 42}, vocab, hatetweet.DavidsonLabels())
//	trainer, err := train.New(train.Config{Labels: model.Labels(), Patience: 2})
//	history, err := trainer.Fit(ctx, model, trainSet, valSet)
//	report, err := evaluate.Evaluate(ctx, model, model.Labels(), testSet)
//	pred, err := model.Predict("some tweet")
//	err = model.Save("out/lstm")
//
// examples/quickstart runs exactly this on the embedded data.
//
// # Contract
//
// Every [Classifier] returns one [Prediction] per text, in order, for any
// string; it is deterministic and safe for concurrent use. Library code never
// prints, never exits, and never panics on user input: bad input gets an error
// that names what is wrong.
//
// # See also
//
// README.md for the package map, the data licence and how to reproduce the
// reported metrics; STYLE.md for the house rules.
package hatetweet
