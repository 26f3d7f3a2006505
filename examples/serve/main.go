// Command serve serves a saved model directory (LSTM or BERT) over HTTP:
//
//	go run ./examples/serve -model DIR -addr 127.0.0.1:8080
//	curl -s localhost:8080/v1/classify -d '{"texts": ["hello there"]}'
//
// Requests are logged with log/slog; SIGINT or SIGTERM shuts the server
// down gracefully, finishing requests in flight.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/hatetweet/hatetweet/examples/internal/cli"
	"github.com/hatetweet/hatetweet/serve"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("model", "", "saved model directory (LSTM or BERT)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	maxBatch := fs.Int("max-batch", 64, "largest micro-batch, in texts")
	maxWait := fs.Duration("max-wait", 2*time.Millisecond, "how long a micro-batch waits for company")
	workers := fs.Int("workers", 2, "micro-batches classified at once")
	maxTexts := fs.Int("max-texts", 256, "most texts in one request")
	maxBody := fs.Int64("max-body", 1<<20, "largest request body, in bytes")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return errors.Join(err, f.Close())
		}
		defer func() { pprof.StopCPUProfile(); err = errors.Join(err, f.Close()) }()
	}
	if *dir == "" {
		return errors.New("-model is required")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	return serveModel(ctx, ln, log, *dir,
		serve.MaxBatch(*maxBatch), serve.MaxWait(*maxWait), serve.Workers(*workers),
		serve.MaxTexts(*maxTexts), serve.MaxBodyBytes(*maxBody))
}

// serveModel serves the model in dir on ln until ctx ends, then shuts down
// gracefully. It closes ln.
func serveModel(ctx context.Context, ln net.Listener, log *slog.Logger, dir string, opts ...serve.Option) (err error) {
	m, kind, err := cli.Open(dir)
	if err != nil {
		return errors.Join(err, ln.Close())
	}
	defer func() { err = errors.Join(err, m.Close()) }()
	h, err := serve.New(m, serve.ModelInfo{Kind: kind, Labels: m.Labels(), Version: filepath.Base(filepath.Clean(dir))}, opts...)
	if err != nil {
		return errors.Join(err, ln.Close())
	}
	defer func() { err = errors.Join(err, h.Close()) }()

	srv := &http.Server{
		Handler:           logRequests(log, h),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "model", dir, "kind", kind, "labels", m.Labels())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }
func (w *statusWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// logRequests logs one structured line per request.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if sw.bytes == 0 && r.Context().Err() != nil {
			sw.status = 499 // the client went away before an answer (nginx's code)
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr))
	})
}
