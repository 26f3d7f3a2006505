package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hatetweet/hatetweet"
)

// ModelInfo describes the served model at GET /v1/model.
type ModelInfo struct {
	// Kind names the model family, e.g. "lstm" or "bert".
	Kind string `json:"kind"`
	// Labels are the class names in index order.
	Labels hatetweet.Labels `json:"labels"`
	// Version identifies the model, e.g. a directory name or a checkpoint
	// hash; free-form.
	Version string `json:"version"`
}

// Handler serves a [hatetweet.Classifier] over HTTP:
//
//	POST /v1/classify  {"texts": ["...", ...]} → {"results": [{"label", "probabilities"}, ...]}
//	GET  /v1/model     → ModelInfo
//	GET  /healthz      → {"status": "ok"}
//
// Concurrent requests are gathered into micro-batches (see [MaxBatch] and
// [MaxWait]). Errors are JSON, {"error": {"code", "message"}}, with status
// 400 (malformed JSON, wrong types, no texts, too many texts), 404, 405,
// 413 (body over [MaxBodyBytes]), 415 (not JSON), 500 (the classifier
// failed) and 503 (closed). A request whose client goes away stops waiting,
// and its texts are dropped if not yet classified.
//
// A Handler is safe for concurrent use. It owns worker goroutines: call
// [Handler.Close] when done with it.
type Handler struct {
	info  ModelInfo
	opts  options
	batch *batcher
	mux   *http.ServeMux
}

// New returns a Handler serving c, which must be safe for concurrent use.
// It fails on a nil classifier, labels that do not validate, or invalid
// options.
func New(c hatetweet.Classifier, info ModelInfo, opts ...Option) (*Handler, error) {
	if c == nil {
		return nil, errors.New("serve: nil classifier")
	}
	if err := info.Labels.Validate(); err != nil {
		return nil, fmt.Errorf("serve: model info: %w", err)
	}
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	info.Labels = append(hatetweet.Labels(nil), info.Labels...)
	h := &Handler{info: info, opts: o, batch: newBatcher(c, o), mux: http.NewServeMux()}
	h.mux.HandleFunc("/v1/classify", h.classify)
	h.mux.HandleFunc("/v1/model", h.model)
	h.mux.HandleFunc("/healthz", h.health)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no route for %s", r.URL.Path))
	})
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Close stops the micro-batch workers after the batches in flight finish.
// Requests still queued, and any that arrive later, get 503. Close is
// idempotent; it returns nil.
func (h *Handler) Close() error {
	h.batch.close()
	return nil
}

// ClassifyRequest is the body of POST /v1/classify.
type ClassifyRequest struct {
	Texts []string `json:"texts"`
}

// Result is one text's answer in a [ClassifyResponse].
type Result struct {
	Label         string             `json:"label"`
	Probabilities map[string]float32 `json:"probabilities"`
}

// ClassifyResponse is the body of a successful POST /v1/classify: one
// Result per text, in the order of the request.
type ClassifyResponse struct {
	Results []Result `json:"results"`
}

func (h *Handler) classify(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", fmt.Sprintf("content type %q, want application/json", ct))
		return
	}
	var req ClassifyRequest
	if status, code, msg := decode(w, r, h.opts.maxBodyBytes, &req); status != 0 {
		writeError(w, status, code, msg)
		return
	}
	switch {
	case len(req.Texts) == 0:
		writeError(w, http.StatusBadRequest, "no_texts", `"texts" must hold at least one text`)
		return
	case len(req.Texts) > h.opts.maxTexts:
		writeError(w, http.StatusBadRequest, "too_many_texts", fmt.Sprintf("%d texts, at most %d per request", len(req.Texts), h.opts.maxTexts))
		return
	}
	preds, err := h.batch.classify(r.Context(), req.Texts)
	switch {
	case errors.Is(err, ErrClosed):
		writeError(w, http.StatusServiceUnavailable, "closed", "the server is shutting down")
		return
	case r.Context().Err() != nil:
		// The client has gone; nobody reads an answer.
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, "classifier_failed", err.Error())
		return
	}
	resp := ClassifyResponse{Results: make([]Result, len(preds))}
	for i, p := range preds {
		probs := make(map[string]float32, len(p.Probs))
		for j, v := range p.Probs {
			probs[h.info.Labels.Name(hatetweet.Label(j))] = v
		}
		resp.Results[i] = Result{Label: p.Name, Probabilities: probs}
	}
	writeJSON(w, http.StatusOK, resp)
}

// decode reads one JSON object into v, and maps failures to a status, an
// error code and a message.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) (int, string, string) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err = dec.Token(); err != io.EOF {
			return http.StatusBadRequest, "malformed_json", "the body holds more than one JSON value"
		}
		return 0, "", ""
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("body over %d bytes", tooBig.Limit)
	case errors.As(err, &typeErr):
		return http.StatusBadRequest, "wrong_type", fmt.Sprintf("field %q: got JSON %s, want %s", typeErr.Field, typeErr.Value, typeErr.Type)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return http.StatusBadRequest, "malformed_json", fmt.Sprintf("malformed JSON: %v", err)
	case errors.Is(err, io.EOF):
		return http.StatusBadRequest, "malformed_json", "empty body"
	default:
		return http.StatusBadRequest, "malformed_json", err.Error()
	}
}

func (h *Handler) model(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET")
		return
	}
	writeJSON(w, http.StatusOK, h.info)
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	var b ErrorBody
	b.Error.Code, b.Error.Message = code, msg
	writeJSON(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status line is out; a failed write means the client has gone,
	// and there is nobody left to tell.
	_ = json.NewEncoder(w).Encode(v)
}
