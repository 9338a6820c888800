// Command promfix is a reverse proxy in front of Prometheus that rewrites a
// fractional Go-duration `timeout` parameter ("8.99998926s", which
// Prometheus 2.42 rejects: "cannot parse ... to a valid duration") to float
// seconds ("9.000"), in the URL and in form bodies.
//
// It is a temporary workaround: scaletriage's client (triage/prom/client.go)
// sends Duration.String() through client_golang's v1.WithTimeout, so every
// query to a Debian 12 Prometheus failed. Once the client sends seconds, this
// proxy changes nothing and the lab can drop it (lab/README.md).
package main

import (
	"bytes"
	"flag"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// fix rewrites v's timeout when it is a Go duration Prometheus cannot parse.
func fix(v url.Values) bool {
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

func main() {
	listen := flag.String("listen", "127.0.0.1:19091", "HTTP listen address")
	target := flag.String("target", "http://127.0.0.1:19090", "Prometheus base URL")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil {
		log.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	direct := proxy.Director
	proxy.Director = func(r *http.Request) {
		direct(r)
		if q := r.URL.Query(); fix(q) {
			r.URL.RawQuery = q.Encode()
		}
		if r.Body == nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
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
	// /metrics answers the lab's readiness probe like the other components.
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "promfix_up 1\n") })
	mux.Handle("/", proxy)
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("promfix listening on %s, proxying %s", *listen, *target)
	log.Fatal(srv.ListenAndServe())
}
