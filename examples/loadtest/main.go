// Command loadtest measures a running classification server on this machine
// and, for comparison, the same model's PredictBatch called directly:
//
//	go run ./examples/serve -model DIR &
//	go run ./examples/loadtest -url http://127.0.0.1:8080 -clients 32 -duration 30s -model DIR
//
// It sends only to loopback addresses, and stops after -duration or
// -max-requests, whichever comes first. Texts are the Davidson test tweets.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hatetweet/hatetweet/dataset"
	"github.com/hatetweet/hatetweet/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// Result is what one load test measured.
type Result struct {
	Clients       int     `json:"clients"`
	TextsPerReq   int     `json:"texts_per_request"`
	Seconds       float64 `json:"seconds"`
	Requests      int64   `json:"requests"`
	Errors        int64   `json:"errors"`
	RequestsPerS  float64 `json:"requests_per_s"`
	TextsPerS     float64 `json:"texts_per_s"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	DirectTextsPS float64 `json:"direct_predictbatch_texts_per_s,omitempty"`
	DirectBatch   int     `json:"direct_batch,omitempty"`
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	target := fs.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	clients := fs.Int("clients", 32, "concurrent clients")
	duration := fs.Duration("duration", 30*time.Second, "how long to send")
	maxRequests := fs.Int64("max-requests", 10_000_000, "stop after this many requests")
	perReq := fs.Int("texts", 1, "texts per request")
	modelDir := fs.String("model", "", "also time PredictBatch directly on this model directory (optional)")
	directBatch := fs.Int("direct-batch", 64, "batch size for the direct PredictBatch measurement")
	jsonOut := fs.String("json", "", "write the result as JSON to this file (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*target); err != nil {
		return err
	}
	if *clients < 1 || *perReq < 1 || *duration <= 0 || *directBatch < 1 {
		return errors.New("-clients, -texts, -direct-batch and -duration must be positive")
	}
	_, _, test, err := dataset.Davidson()
	if err != nil {
		return err
	}
	texts := make([]string, len(test))
	for i, ex := range test {
		texts[i] = ex.Text
	}
	res, err := load(ctx, *target+"/v1/classify", texts, *clients, *perReq, *duration, *maxRequests)
	if err != nil {
		return err
	}
	if *modelDir != "" {
		if res.DirectTextsPS, err = direct(ctx, *modelDir, texts, *directBatch, *duration); err != nil {
			return err
		}
		res.DirectBatch = *directBatch
	}
	fmt.Printf("%d clients × %d text(s)/request for %.1fs: %d requests, %d errors\n", res.Clients, res.TextsPerReq, res.Seconds, res.Requests, res.Errors)
	fmt.Printf("  %.0f requests/s, %.0f texts/s, latency p50 %.2f ms, p99 %.2f ms\n", res.RequestsPerS, res.TextsPerS, res.P50ms, res.P99ms)
	if res.DirectTextsPS > 0 {
		fmt.Printf("  PredictBatch directly (batch %d): %.0f texts/s\n", res.DirectBatch, res.DirectTextsPS)
	}
	if *jsonOut != "" {
		if err := cli.WriteJSON(*jsonOut, res); err != nil {
			return err
		}
	}

	if res.Errors > 0 {
		return fmt.Errorf("%d requests failed", res.Errors)
	}
	return nil
}

// checkLoopback refuses any target that is not on this machine.
func checkLoopback(target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-url %s: only loopback addresses are allowed", target)
}

func load(ctx context.Context, endpoint string, texts []string, clients, perReq int, d time.Duration, maxReq int64) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	var sent, failed atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c * perReq; ctx.Err() == nil && sent.Add(1) <= maxReq; i += clients * perReq {
				batch := make([]string, perReq)
				for k := range batch {
					batch[k] = texts[(i+k)%len(texts)]
				}
				t0 := time.Now()
				err := post(ctx, client, endpoint, batch)
				if ctx.Err() != nil {
					sent.Add(-1) // cut off by the deadline: not counted
					return
				}
				if err != nil {
					failed.Add(1)
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	all := slices.Concat(lat...)
	n := int64(len(all))
	r := Result{Clients: clients, TextsPerReq: perReq, Seconds: elapsed, Requests: n + failed.Load(), Errors: failed.Load(),
		RequestsPerS: float64(n) / elapsed, TextsPerS: float64(n*int64(perReq)) / elapsed}
	if n > 0 {
		r.P50ms = cli.PercentileMS(all, 50)
		r.P99ms = cli.PercentileMS(all, 99)
	}
	return r, nil
}

func post(ctx context.Context, client *http.Client, endpoint string, texts []string) error {
	body, err := json.Marshal(map[string][]string{"texts": texts})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// direct times PredictBatch on the model in dir, in batches of batch texts,
// for at most d.
func direct(ctx context.Context, dir string, texts []string, batch int, d time.Duration) (tps float64, err error) {
	m, _, err := cli.Open(dir)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, m.Close()) }()
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	n := 0
	start := time.Now()
	for i := 0; ctx.Err() == nil; i += batch {
		chunk := make([]string, batch)
		for k := range chunk {
			chunk[k] = texts[(i+k)%len(texts)]
		}
		if _, err := m.PredictBatch(context.WithoutCancel(ctx), chunk); err != nil {
			return 0, err
		}
		n += batch
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
