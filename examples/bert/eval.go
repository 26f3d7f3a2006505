package main

import (
	"context"

	"github.com/hatetweet/hatetweet/bert"
	"github.com/hatetweet/hatetweet/evaluate"
	"github.com/hatetweet/hatetweet/examples/internal/cli"
)

func evaluateTest(ctx context.Context, m *bert.Model, s cli.Split) (evaluate.Report, error) {
	return evaluate.Evaluate(ctx, m, s.Labels, s.Test, evaluate.WithBatchSize(64))
}
