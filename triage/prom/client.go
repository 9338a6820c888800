package prom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/config"
	pmodel "github.com/prometheus/common/model"

	"github.com/scaletriage/scaletriage/triage"
)

// Defaults for the query budgets (Prometheus's own limits and what decoding
// costs the client: docs/facts.md#prometheus-query-budgets).
const (
	DefaultTimeout      = 10 * time.Second // per query attempt, from when a concurrency slot is free
	DefaultConcurrency  = 5                // in flight: Prometheus has 20 slots shared with rules and dashboards
	DefaultMaxBodyBytes = 16 << 20         // a triage query aggregates to one series; 16 MiB is an accident
	DefaultRetries      = 2                // only for 429, 502-504
	dialTimeout         = 2 * time.Second  // "cannot reach" within ~2 s
)

// Config is how to reach the server.
type Config struct {
	URL          string
	HTTP         config.HTTPClientConfig
	Timeout      time.Duration
	Concurrency  int
	MaxBodyBytes int64
	Retries      int // 0: DefaultRetries; negative: none
}

// Client is a live Querier with bounded concurrency, per-query deadlines,
// bounded retries, a response size cap and a same-origin redirect policy.
type Client struct {
	raw     api.Client // for the few endpoints v1.API lacks
	api     v1.API
	base    *url.URL // without userinfo
	target  string   // redacted URL for messages
	timeout time.Duration
	retries int
	// gate bounds the requests in flight and picks who goes next; Backend
	// narrows it to the server's cores when the user set no concurrency
	// (fitConcurrency).
	gate           *gate
	concurrencySet bool
	requests       atomic.Int64
	// configFiles names, for each file the config reads per request, the
	// key that points at it, for a message that says which file is missing.
	configFiles map[string]string
	oauth2      *oauth2Auth // nil without an oauth2 block
	seen        observed
	detected    atomic.Pointer[backend] // the engine, once Backend has run
	storeNotes  atomic.Pointer[[]string]
}

// New validates the configuration and builds a client. Credentials in the
// URL become basic auth and never appear in output.
func New(cfg Config) (*Client, error) {
	u, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTP
	if u.User != nil {
		if hc.BasicAuth != nil || hc.Authorization != nil || hc.OAuth2 != nil || hc.BearerToken != "" || hc.BearerTokenFile != "" {
			return nil, fmt.Errorf("%s: credentials in the URL and in the config at once; keep one", RedactURL(u))
		}
		pw, _ := u.User.Password()
		hc.BasicAuth = &config.BasicAuth{Username: u.User.Username(), Password: config.Secret(pw)}
		u.User = nil
	}
	c := &Client{base: u, target: RedactURL(u), timeout: cfg.Timeout, retries: cfg.Retries,
		configFiles: configFiles(hc)}
	if err := hc.Validate(); err != nil {
		return nil, fmt.Errorf("http config: %w", err)
	}
	dialer := &net.Dialer{Timeout: dialTimeout}
	opts := []config.HTTPClientOption{config.WithUserAgent("scaletriage"), config.WithDialContextFunc(dialer.DialContext)}
	oauth2Config := hc.OAuth2
	hc.OAuth2 = nil // tokens come from oauth2Auth, under the same origin rule
	httpClient, err := config.NewClientFromConfig(hc, "scaletriage", opts...)
	if err != nil {
		return nil, fmt.Errorf("http config: %w", err)
	}
	httpClient.CheckRedirect = c.checkRedirect
	if oauth2Config != nil {
		if c.oauth2, err = newOAuth2Auth(oauth2Config, httpClient.Transport, opts...); err != nil {
			return nil, err
		}
		httpClient.Transport = c.oauth2
	}
	limit := cfg.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	httpClient.Transport = guard{next: httpClient.Transport, limit: limit, seen: &c.seen, detected: &c.detected}
	if c.raw, err = api.NewClient(api.Config{Address: u.String(), Client: httpClient}); err != nil {
		return nil, err
	}
	c.api = v1.NewAPI(c.raw)
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.retries == 0:
		c.retries = DefaultRetries
	case c.retries < 0:
		c.retries = 0
	}
	n := cfg.Concurrency
	c.concurrencySet = n > 0
	if n <= 0 {
		n = DefaultConcurrency
	}
	c.gate = newGate(n)
	return c, nil
}

// configFiles maps each file the config reads per request (so a rotated
// token or certificate is picked up) to the config key that names it.
// Validate turns bearer_token_file into authorization.credentials_file, and
// the CLI validates before New: the Bearer key names both.
func configFiles(hc config.HTTPClientConfig) map[string]string {
	files := map[string]string{}
	add := func(key, path string) {
		if path != "" {
			files[path] = key
		}
	}
	add("bearer_token_file", hc.BearerTokenFile)
	if a := hc.Authorization; a != nil {
		key := "authorization.credentials_file"
		if strings.EqualFold(a.Type, "Bearer") {
			key = "bearer_token_file or authorization.credentials_file"
		}
		add(key, a.CredentialsFile)
	}
	if b := hc.BasicAuth; b != nil {
		add("basic_auth.username_file", b.UsernameFile)
		add("basic_auth.password_file", b.PasswordFile)
	}
	if o := hc.OAuth2; o != nil {
		add("oauth2.client_secret_file", o.ClientSecretFile)
		add("oauth2.client_certificate_key_file", o.ClientCertificateKeyFile)
	}
	add("tls_config.ca_file", hc.TLSConfig.CAFile)
	add("tls_config.cert_file", hc.TLSConfig.CertFile)
	add("tls_config.key_file", hc.TLSConfig.KeyFile)
	if hc.HTTPHeaders != nil {
		for name, h := range hc.HTTPHeaders.Headers {
			for _, f := range h.Files {
				add("http_headers."+name+".files", f)
			}
		}
	}
	return files
}

// ErrNoURL says no server was configured at all.
var ErrNoURL = errors.New("no Prometheus URL: pass --prometheus-url, set PROMETHEUS_URL or prometheus_url in the config (or try `scaletriage demo`)")

// ParseURL checks a base URL: http(s), a host, an optional path prefix
// (Grafana proxy, VictoriaMetrics /select/0/prometheus), no query string
// (tokens belong in the config's authorization, not in URLs people paste).
func ParseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, ErrNoURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid Prometheus URL %q", redactRaw(raw))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid Prometheus URL %q: the scheme must be http or https", redactRaw(raw))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("invalid Prometheus URL %q: no host", redactRaw(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("the Prometheus URL %s must not carry a query string or fragment: put tokens in the config's authorization", RedactURL(u))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// RedactURL is the URL safe to print: no userinfo, no query.
func RedactURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	c.Fragment = ""
	return c.String()
}

// redactRaw drops anything before '@' in an unparsable URL.
func redactRaw(raw string) string {
	if i := strings.LastIndex(raw, "@"); i >= 0 {
		if j := strings.Index(raw, "://"); j >= 0 && j < i {
			return raw[:j+3] + raw[i+1:]
		}
		return raw[i+1:]
	}
	return raw
}

// Target is the redacted URL.
func (c *Client) Target() string { return c.target }

// Requests counts HTTP requests sent, retries included.
func (c *Client) Requests() int64 { return c.requests.Load() }

// do runs one API call with one concurrency slot per attempt and bounded,
// jittered retries for retryable failures; a server's Retry-After replaces
// the backoff when the query's budget allows that wait, else the query
// fails with the server's wait in the message. The deadline starts once a
// slot is free: on a slow server, queueing behind other queries is not the
// query's fault, and the parent context (the user quitting, the CLI's
// interrupt) bounds the queueing.
func (c *Client) do(ctx context.Context, call func(ctx context.Context, serverTimeout time.Duration) error) error {
	backoff := 250 * time.Millisecond
	for attempt := 0; ; attempt++ {
		var answer heard
		err := c.attempt(withHeard(ctx, &answer), call)
		if err == nil {
			return nil
		}
		e := c.classify(err)
		if !e.Retryable() {
			return e
		}
		wait := backoff + time.Duration(rand.Int64N(int64(backoff)))
		if answer.hasRetryAfter {
			if budget := c.retryBudget(ctx); answer.retryAfter >= budget {
				return waitRefused(e, answer.retryAsked, budget)
			}
			wait = answer.retryAfter
		}
		if attempt >= c.retries {
			return e
		}
		backoff *= 2
		select {
		case <-ctx.Done():
			return e
		case <-time.After(wait):
		}
	}
}

func (c *Client) attempt(ctx context.Context, call func(ctx context.Context, serverTimeout time.Duration) error) error {
	if err := c.gate.acquire(ctx); err != nil {
		return err
	}
	defer c.gate.release()
	c.requests.Add(1)
	qctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// The server stops work a little before the client gives up, so its own
	// timeout error (with its reason) can still reach us.
	err := call(qctx, serverTimeout(c.timeout*9/10))
	if err != nil && qctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		return &Error{Class: ClassTimeout, Err: err, Msg: fmt.Sprintf("timed out after %s waiting for %s", c.timeout, c.target)}
	}
	return err
}

// serverTimeout rounds down to whole seconds (whole milliseconds under a
// second): client_golang sends the Go duration text, and Prometheus 2.42
// rejects "8.999427912s".
func serverTimeout(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Truncate(time.Second)
	}
	return max(d.Truncate(time.Millisecond), time.Millisecond)
}

// LabelValues implements Querier.
func (c *Client) LabelValues(ctx context.Context, label, match string, start, end time.Time) ([]string, error) {
	var out []string
	err := c.do(ctx, func(ctx context.Context, _ time.Duration) error {
		var matches []string
		if match != "" {
			matches = []string{match}
		}
		vals, _, _, err := c.api.LabelValues(ctx, label, matches, start, end)
		if err != nil {
			return err
		}
		out = make([]string, len(vals))
		for i, v := range vals {
			out[i] = triage.Sanitize(string(v))
		}
		return nil
	})
	return out, err
}

// Instant implements Querier.
func (c *Client) Instant(ctx context.Context, query string, at time.Time) (Answer, error) {
	var out Answer
	err := c.do(ctx, func(ctx context.Context, st time.Duration) error {
		val, warns, infos, err := c.api.Query(ctx, query, at, v1.WithTimeout(st))
		if err != nil {
			return err
		}
		out, err = convert(val, warns, infos)
		return err
	})
	return out, err
}

// Range implements Querier.
func (c *Client) Range(ctx context.Context, query string, start, end time.Time, step time.Duration) (Answer, error) {
	var out Answer
	err := c.do(ctx, func(ctx context.Context, st time.Duration) error {
		val, warns, infos, err := c.api.QueryRange(ctx, query, v1.Range{Start: start, End: end, Step: step}, v1.WithTimeout(st))
		if err != nil {
			return err
		}
		out, err = convert(val, warns, infos)
		return err
	})
	return out, err
}

// convert turns a client_golang value into a sanitized Result.
func convert(val pmodel.Value, warns v1.Warnings, infos v1.Infos) (Answer, error) {
	warnings, infos := splitInfos(warns, infos)
	// Sorted: a querier merging several stores lists them in the order its
	// stores answered, and a report (and its replay) must not change with it.
	out := Answer{Warnings: sanitizeAll(warnings), Infos: sanitizeAll(infos)}
	slices.Sort(out.Warnings)
	slices.Sort(out.Infos)
	switch v := val.(type) {
	case pmodel.Vector:
		for _, s := range v {
			if s.Histogram != nil {
				return Answer{}, &Error{Class: ClassBadResponse, Msg: "native histogram where a number was expected: wrap it in histogram_quantile or histogram_count"}
			}
			out.Series = append(out.Series, Series{Labels: labels(s.Metric), Points: []Sample{{T: s.Timestamp.Time(), V: float64(s.Value)}}})
		}
	case pmodel.Matrix:
		for _, s := range v {
			pts := make([]Sample, len(s.Values))
			for i, p := range s.Values {
				pts[i] = Sample{T: p.Timestamp.Time(), V: float64(p.Value)}
			}
			out.Series = append(out.Series, Series{Labels: labels(s.Metric), Points: pts})
		}
	case *pmodel.Scalar:
		out.Series = []Series{{Labels: map[string]string{}, Points: []Sample{{T: v.Timestamp.Time(), V: float64(v.Value)}}}}
	default:
		return Answer{}, &Error{Class: ClassBadResponse, Msg: fmt.Sprintf("unexpected result type %q", triage.Sanitize(fmt.Sprint(val.Type())))}
	}
	return out, nil
}

func labels(m pmodel.Metric) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[triage.Capped(string(k))] = triage.Capped(string(v))
	}
	return out
}

func sanitizeAll(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = triage.Sanitize(s)
	}
	return out
}

// guard is the transport wrapper, on every hop of a redirect: it adds the
// engine's query parameters (queryParams), notes the server's clock and Retry-After, refuses HTML
// answers, caps the body and, for queries, the series and samples.
type guard struct {
	next     http.RoundTripper
	limit    int64
	seen     *observed
	detected *atomic.Pointer[backend]
}

func (g guard) RoundTrip(req *http.Request) (*http.Response, error) {
	query := isQueryPath(req.URL.Path)
	if query {
		r := req.Clone(req.Context())
		q := r.URL.Query()
		for k, v := range queryParams(g.detected.Load()) {
			q.Set(k, v)
		}
		r.URL.RawQuery = q.Encode()
		req = r
	}
	resp, err := g.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	g.seen.noteDate(resp.Header, now)
	noteAnswer(req.Context(), resp, now)
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" && resp.StatusCode < 300 {
		resp.Body.Close()
		return nil, errHTML{status: resp.StatusCode}
	}
	// The client asks for no compression (prometheus/common disables it): an
	// encoded answer is a proxy's doing, and unreadable as JSON.
	if enc := resp.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		resp.Body.Close()
		return nil, errEncoding{encoding: enc, status: resp.StatusCode}
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: g.limit, limit: g.limit}
	if query {
		resp.Body = &seriesLimiter{ReadCloser: resp.Body}
	}
	return resp, nil
}

type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string { return fmt.Sprintf("response body over %d bytes", e.limit) }

// cappedBody fails the read, instead of truncating silently, once more than
// the limit has arrived.
type cappedBody struct {
	io.ReadCloser
	left  int64
	limit int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, errTooLarge{limit: b.limit}
	}
	return n, err
}
