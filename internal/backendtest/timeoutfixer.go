package backendtest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TimeoutFixer is a reverse proxy in front of the server at target that
// rewrites the `timeout` query parameter to plain seconds; it returns the
// proxy's URL and stops with the test. Workaround: triage/prom/client.go
// passes time.Duration values such as 8.999427912s through client_golang's
// v1.WithTimeout, which sends Duration.String(), and Prometheus 2.42
// rejects a fractional Go duration ("cannot parse 8.999427912s to a valid
// duration"), so every query failed. Prometheus accepts float seconds. The
// scenario suite's client-timeout-accepted subtest talks to Prometheus
// directly, so the workaround cannot hide the bug.
func TimeoutFixer(tb TB, target string) string {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	fix := func(v url.Values) bool {
		t := v.Get("timeout")
		if t == "" {
			return false
		}
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			return false
		}
		d, err := time.ParseDuration(t)
		if err != nil || d%time.Second == 0 {
			return false // valid for Prometheus, or not ours to fix
		}
		v.Set("timeout", strconv.FormatFloat(d.Seconds(), 'f', 3, 64))
		return true
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(u)
		r := pr.Out
		q := r.URL.Query()
		if fix(q) {
			r.URL.RawQuery = q.Encode()
		}
		if r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			body, err := io.ReadAll(r.Body)
			r.Body.Close()
			if err == nil {
				if form, err := url.ParseQuery(string(body)); err == nil && fix(form) {
					body = []byte(form.Encode())
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: proxy}
	go srv.Serve(l)
	tb.Cleanup(func() { srv.Close() })
	return "http://" + l.Addr().String()
}
