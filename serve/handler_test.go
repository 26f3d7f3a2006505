package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hatetweet/hatetweet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var labels = hatetweet.Labels{"hate", "offensive", "neither"}

// fake classifies a text by its length modulo 3, records each batch, and
// can hold batches until released.
type fake struct {
	mu      sync.Mutex
	batches [][]string
	hold    chan struct{} // when non-nil, every call waits for a receive
	entered chan struct{} // when non-nil, gets a send as a call starts
	err     error
}

func (f *fake) PredictBatch(ctx context.Context, texts []string) ([]hatetweet.Prediction, error) {
	f.mu.Lock()
	f.batches = append(f.batches, append([]string(nil), texts...))
	hold, entered, ferr := f.hold, f.entered, f.err
	f.mu.Unlock()
	if entered != nil {
		entered <- struct{}{}
	}
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if ferr != nil {
		return nil, ferr
	}
	out := make([]hatetweet.Prediction, len(texts))
	for i, t := range texts {
		logits := []float32{0, 0, 0}
		logits[len(t)%3] = 5
		p, err := hatetweet.NewPrediction(labels, logits)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

func (f *fake) seen() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.batches...)
}

func newHandler(t *testing.T, c hatetweet.Classifier, opts ...Option) *Handler {
	t.Helper()
	h, err := New(c, ModelInfo{Kind: "fake", Labels: labels, Version: "v1"}, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, h.Close()) })
	return h
}

func do(h http.Handler, method, path, contentType, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var b ErrorBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &b), rec.Body.String())
	assert.NotEmpty(t, b.Error.Message)
	return b.Error.Code
}

func TestHandler_classify(t *testing.T) {
	h := newHandler(t, &fake{})
	rec := do(h, http.MethodPost, "/v1/classify", "application/json", `{"texts": ["a", "bb", "ccc", ""]}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var resp ClassifyResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	require.Len(t, resp.Results, 4)
	// The fake labels a text by len % 3: 1 → offensive, 2 → neither, 0 → hate.
	for i, want := range []string{"offensive", "neither", "hate", "hate"} {
		assert.Equal(t, want, resp.Results[i].Label, "result %d", i)
		assert.Len(t, resp.Results[i].Probabilities, 3)
		var sum float32
		for _, p := range resp.Results[i].Probabilities {
			sum += p
		}
		assert.InDelta(t, 1, sum, 1e-5)
		assert.Greater(t, resp.Results[i].Probabilities[want], float32(0.9))
	}
}

func TestHandler_errors(t *testing.T) {
	tests := []struct {
		name, method, path, contentType, body string
		status                                int
		code                                  string
		reason                                string
	}{
		{"malformed json", "POST", "/v1/classify", "application/json", `{"texts": [`, 400, "malformed_json", "truncated body"},
		{"not json", "POST", "/v1/classify", "application/json", `texts=a`, 400, "malformed_json", "form encoding"},
		{"empty body", "POST", "/v1/classify", "application/json", ``, 400, "malformed_json", "nothing to decode"},
		{"trailing data", "POST", "/v1/classify", "application/json", `{"texts": ["a"]} {}`, 400, "malformed_json", "two JSON values"},
		{"texts not a list", "POST", "/v1/classify", "application/json", `{"texts": "a"}`, 400, "wrong_type", "a string where a list belongs"},
		{"text not a string", "POST", "/v1/classify", "application/json", `{"texts": [1]}`, 400, "wrong_type", "a number where a string belongs"},
		{"unknown field", "POST", "/v1/classify", "application/json", `{"text": ["a"]}`, 400, "malformed_json", "a typo must not pass as no texts"},
		{"no texts", "POST", "/v1/classify", "application/json", `{"texts": []}`, 400, "no_texts", "empty list"},
		{"missing texts", "POST", "/v1/classify", "application/json", `{}`, 400, "no_texts", "absent field"},
		{"too many texts", "POST", "/v1/classify", "application/json", `{"texts": ["a","b","c","d"]}`, 400, "too_many_texts", "MaxTexts(3)"},
		{"body too large", "POST", "/v1/classify", "application/json", `{"texts": ["` + strings.Repeat("x", 300) + `"]}`, 413, "body_too_large", "MaxBodyBytes(256)"},
		{"wrong content type", "POST", "/v1/classify", "text/plain", `{"texts": ["a"]}`, 415, "unsupported_media_type", "not JSON"},
		{"get classify", "GET", "/v1/classify", "", ``, 405, "method_not_allowed", "classify is POST only"},
		{"post model", "POST", "/v1/model", "application/json", `{}`, 405, "method_not_allowed", "model is GET only"},
		{"post healthz", "POST", "/healthz", "", ``, 405, "method_not_allowed", "healthz is GET only"},
		{"unknown path", "GET", "/v2/classify", "", ``, 404, "not_found", "no such route"},
	}
	h := newHandler(t, &fake{}, MaxTexts(3), MaxBodyBytes(256))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(h, tt.method, tt.path, tt.contentType, tt.body)
			assert.Equal(t, tt.status, rec.Code, tt.reason)
			assert.Equal(t, tt.code, errorCode(t, rec), tt.reason)
		})
	}
}

func TestHandler_classifierFails(t *testing.T) {
	h := newHandler(t, &fake{err: errors.New("boom")})
	rec := do(h, "POST", "/v1/classify", "application/json", `{"texts": ["a"]}`)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "classifier_failed", errorCode(t, rec))
}

func TestHandler_closed(t *testing.T) {
	h, err := New(&fake{}, ModelInfo{Kind: "fake", Labels: labels})
	require.NoError(t, err)
	require.NoError(t, h.Close())
	require.NoError(t, h.Close(), "Close is idempotent")
	rec := do(h, "POST", "/v1/classify", "application/json", `{"texts": ["a"]}`)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "closed", errorCode(t, rec))
}

func TestHandler_modelAndHealth(t *testing.T) {
	h := newHandler(t, &fake{})
	rec := do(h, "GET", "/v1/model", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var info ModelInfo
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &info))
	assert.Equal(t, ModelInfo{Kind: "fake", Labels: labels, Version: "v1"}, info)

	rec = do(h, "GET", "/healthz", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
}

func TestNew_errors(t *testing.T) {
	_, err := New(nil, ModelInfo{Labels: labels})
	assert.ErrorContains(t, err, "nil classifier")
	_, err = New(&fake{}, ModelInfo{Labels: hatetweet.Labels{"only"}})
	assert.ErrorContains(t, err, "at least 2 labels")
	_, err = New(&fake{}, ModelInfo{Labels: labels}, MaxTexts(-1), Workers(-2))
	assert.ErrorContains(t, err, "max texts")
	assert.ErrorContains(t, err, "workers")
}

// post sends one request through a real server, so that client
// cancellation reaches the handler's context.
func post(ctx context.Context, url string, texts ...string) (int, error) {
	body, err := json.Marshal(ClassifyRequest{Texts: texts})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/classify", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// waitQueued blocks until n jobs sit in the batcher's queue.
func waitQueued(t *testing.T, h *Handler, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return len(h.batch.queue) == n }, 5*time.Second, time.Millisecond)
}

// TestHandler_microBatching holds the single worker on a first request,
// queues ten more, and checks that they are classified as one batch.
func TestHandler_microBatching(t *testing.T) {
	f := &fake{hold: make(chan struct{}), entered: make(chan struct{}, 16)}
	h := newHandler(t, f, Workers(1), MaxBatch(10), MaxWait(time.Minute))
	srv := httptest.NewServer(h)
	defer srv.Close()

	var wg sync.WaitGroup
	statuses := make(chan int, 11)
	send := func(texts ...string) {
		defer wg.Done()
		code, err := post(t.Context(), srv.URL, texts...)
		assert.NoError(t, err)
		statuses <- code
	}
	wg.Add(1)
	go send(strings.Split("a b c d e f g h i j", " ")...) // fills the first batch: no waiting
	<-f.entered                                           // the worker holds the first batch
	wg.Add(10)
	for i := range 10 {
		go send(strings.Repeat("x", i+1))
	}
	waitQueued(t, h, 10)
	close(f.hold)
	wg.Wait()
	close(statuses)
	for code := range statuses {
		assert.Equal(t, http.StatusOK, code)
	}
	batches := f.seen()
	require.Len(t, batches, 2, "the ten queued requests form one micro-batch")
	assert.Len(t, batches[1], 10)
}

// TestHandler_loneRequestNotHeld: a single request is answered once MaxWait
// passes, without company.
func TestHandler_loneRequestNotHeld(t *testing.T) {
	f := &fake{}
	h := newHandler(t, f, MaxBatch(64), MaxWait(5*time.Millisecond))
	start := time.Now()
	rec := do(h, "POST", "/v1/classify", "application/json", `{"texts": ["alone"]}`)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Less(t, time.Since(start), 2*time.Second, "bounded by MaxWait, not by MaxBatch")
}

// TestHandler_splitsLargeRequests: a request over MaxBatch texts is split,
// and its results come back in order.
func TestHandler_splitsLargeRequests(t *testing.T) {
	f := &fake{}
	h := newHandler(t, f, MaxBatch(4), MaxWait(-1))
	texts := make([]string, 10)
	for i := range texts {
		texts[i] = strings.Repeat("y", i)
	}
	body, err := json.Marshal(ClassifyRequest{Texts: texts})
	require.NoError(t, err)
	rec := do(h, "POST", "/v1/classify", "application/json", string(body))
	require.Equal(t, http.StatusOK, rec.Code)
	var resp ClassifyResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	require.Len(t, resp.Results, 10)
	for i, r := range resp.Results {
		assert.Equal(t, labels[i%3], r.Label, "result %d", i)
	}
	for _, b := range f.seen() {
		assert.LessOrEqual(t, len(b), 4)
	}
}

// serveAsync runs one classify request against h in the background with
// ctx as its context, and returns a channel that receives its status.
func serveAsync(h http.Handler, ctx context.Context, texts ...string) <-chan int {
	body, _ := json.Marshal(ClassifyRequest{Texts: texts})
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/classify", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	done := make(chan int, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		done <- rec.Code
	}()
	return done
}

// TestHandler_clientGoesAway: a request cancelled while queued is dropped
// before classification; the next request is still served.
func TestHandler_clientGoesAway(t *testing.T) {
	f := &fake{hold: make(chan struct{}), entered: make(chan struct{}, 16)}
	h := newHandler(t, f, Workers(1), MaxBatch(1), MaxWait(-1))
	first := serveAsync(h, t.Context(), "first")
	<-f.entered // the worker holds the first batch
	ctx, cancel := context.WithCancel(t.Context())
	leaver := serveAsync(h, ctx, "leaver")
	waitQueued(t, h, 1)
	stayer := serveAsync(h, t.Context(), "stayer")
	waitQueued(t, h, 2)
	cancel()
	<-leaver
	close(f.hold)
	assert.Equal(t, http.StatusOK, <-first)
	assert.Equal(t, http.StatusOK, <-stayer)
	for _, b := range f.seen() {
		assert.NotContains(t, b, "leaver", "a request cancelled while queued is not classified")
	}
}

// TestHandler_clientLeavesMidBatch: a client that goes away while its
// micro-batch is being classified does not cancel the batch for the others.
func TestHandler_clientLeavesMidBatch(t *testing.T) {
	f := &fake{hold: make(chan struct{}), entered: make(chan struct{}, 16)}
	h := newHandler(t, f, Workers(1), MaxBatch(2), MaxWait(time.Minute))
	ctx, cancel := context.WithCancel(t.Context())
	leaver := serveAsync(h, ctx, "leaver")
	stayer := serveAsync(h, t.Context(), "stayer")
	<-f.entered // both requests are in the batch being classified
	cancel()
	<-leaver
	close(f.hold)
	assert.Equal(t, http.StatusOK, <-stayer)
	require.Len(t, f.seen(), 1)
	assert.ElementsMatch(t, []string{"leaver", "stayer"}, f.seen()[0])
}

// TestHandler_allClientsLeave: when every request of a batch has gone, the
// classifier's context is cancelled, so abandoned work stops.
func TestHandler_allClientsLeave(t *testing.T) {
	f := &fake{hold: make(chan struct{}), entered: make(chan struct{}, 16)}
	h := newHandler(t, f, Workers(1), MaxBatch(1), MaxWait(-1))
	ctx, cancel := context.WithCancel(t.Context())
	leaver := serveAsync(h, ctx, "leaver")
	<-f.entered
	cancel()
	<-leaver
	// The fake returns once its ctx is cancelled; if it were not, this
	// request would wait behind it forever.
	next := serveAsync(h, t.Context(), "next")
	<-f.entered
	close(f.hold)
	assert.Equal(t, http.StatusOK, <-next)
}
