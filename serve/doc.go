// Package serve serves any [hatetweet.Classifier] (an LSTM or a BERT model)
// over HTTP, gathering concurrent requests into micro-batches.
//
// # Overview
//
// [New] returns a [Handler] that a service mounts in its own http.Server:
//
//	h, err := serve.New(model, serve.ModelInfo{Kind: "lstm", Labels: model.Labels()})
//	defer h.Close()
//	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: h, ReadHeaderTimeout: 5 * time.Second}
//
// POST /v1/classify takes {"texts": [...]} and answers {"results": [{"label",
// "probabilities"}]} in order. GET /v1/model describes the model and GET
// /healthz answers {"status": "ok"}. Requests that arrive together are
// classified together: a micro-batch waits at most [MaxWait] for company and
// holds at most [MaxBatch] texts, so throughput under load approaches the
// batch API's while a lone request waits no longer than MaxWait.
//
// # Contract
//
// Texts of any length are accepted: the model truncates long texts as it
// always does. Limits on body size and text count are options with
// defaults. Errors are JSON with a stable code (see [Handler]). A client that
// goes away stops its own work without failing other requests in the same
// micro-batch. A Handler is safe for concurrent use; it never logs (wrap it
// in middleware for request logs, as examples/serve does). [Handler.Close]
// stops its workers.
//
// # See also
//
// examples/serve runs a saved model directory behind this handler with
// timeouts, slog request logs and graceful shutdown; examples/loadtest
// measures it.
package serve
