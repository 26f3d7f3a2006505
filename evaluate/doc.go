// Package evaluate scores a classifier against labelled examples with
// scikit-learn's classification metrics.
//
// # Overview
//
// [Evaluate] runs a [hatetweet.Classifier] over labelled examples in batches
// and returns a [Report]: accuracy, per-class precision, recall, F1 and
// support, macro, micro and weighted averages, and the confusion matrix.
// [Confusion] is the counting step on its own, for callers that already have
// predictions: [NewConfusion], [Confusion.Add] for each (gold, predicted)
// pair, then [Confusion.Report].
//
// A Report prints like scikit-learn's classification_report
// ([Report.String]) and marshals to JSON with the keys labels, accuracy,
// macro_f1, micro_f1, weighted_f1, per_class and confusion
// ([Report.MarshalJSON]).
//
// # Contract
//
// Metrics are float64 and follow scikit-learn 1.2 called with
// labels=range(len(labels)) and zero_division=0: every 0/0 precision, recall,
// F1 or accuracy counts as 0, and the macro average includes every label of
// the model, also labels that never occur in the data. F1 is
// 2·P·R/(P+R) per class; the macro average is the unweighted mean over
// labels, the weighted average weighs each label by its support, and the micro
// average pools the counts of all labels (for single-label data it equals the
// accuracy). The parity test checks all of this against numbers computed by
// scikit-learn (evaluate/testdata/gen_metrics.py) within 1e-12.
//
// Labels are indices into a [hatetweet.Labels]; a gold or predicted label
// outside [0, len(labels)) is an error wrapping [hatetweet.ErrUnknownLabel].
// A classifier that returns the wrong number of predictions gives an error
// wrapping [hatetweet.ErrLengthMismatch]. [Evaluate] checks its context
// between batches and returns an error wrapping ctx.Err() once it is done.
// Results are deterministic: they depend only on the counts.
//
// A [Report] is a plain value, safe to read from many goroutines. A
// [Confusion] is not safe for concurrent use. [Evaluate] is safe to call
// concurrently when the classifier is.
//
// # See also
//
//   - [github.com/hatetweet/hatetweet/train], which evaluates the validation
//     set after every epoch and stops early on its macro F1.
//   - scikit-learn's sklearn.metrics.precision_recall_fscore_support and
//     classification_report, the reference definitions.
package evaluate
