package prom

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strconv"
	"strings"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/scaletriage/scaletriage/triage"
)

// Class is what kind of failure a query met; it decides the message, whether
// a retry can help, and whether the whole source is unusable.
type Class string

const (
	ClassUnreachable   Class = "unreachable"    // DNS, refused, dial timeout
	ClassTLS           Class = "tls"            // certificate problems
	ClassAuth          Class = "auth"           // 401, 403
	ClassNotPrometheus Class = "not-prometheus" // HTML, login page, non-API answer
	ClassNotFound      Class = "not-found"      // 404: wrong URL or path prefix
	ClassTimeout       Class = "timeout"        // client deadline or server timeout
	ClassOverloaded    Class = "overloaded"     // 429
	ClassServer        Class = "server"         // 5xx
	ClassBadQuery      Class = "bad-query"      // 400 bad_data
	ClassTooExpensive  Class = "too-expensive"  // 422 execution (sample or series limits)
	ClassBadResponse   Class = "bad-response"   // malformed or unexpected body
	ClassTooLarge      Class = "too-large"      // body over the size cap, or more series or samples than a triage query needs
	ClassCanceled      Class = "canceled"
	ClassTenant        Class = "tenant"   // Mimir/Cortex "no org id"
	ClassRedirect      Class = "redirect" // redirected to another origin, or too many hops
	ClassConfig        Class = "config"   // a file the config names cannot be read
)

// Error is a classified, sanitized query failure. It never holds a secret:
// URLs in it are redacted (Err, the cause, is for errors.Is and errors.As,
// never printed: its text may hold the URL as given).
type Error struct {
	Class  Class
	Status int    // HTTP status when there was one
	Msg    string // one line for people
	Detail string // sanitized, truncated server body
	// Err is what failed underneath (a context, transport, TLS, file or
	// client_golang error); nil when the answer itself is the failure
	// (a recorded error, an unexpected result type).
	Err error
}

func (e *Error) Error() string { return e.Msg }

// Unwrap is the cause, so that callers test it with errors.Is and
// errors.As instead of reading Msg.
func (e *Error) Unwrap() error { return e.Err }

// Retryable: only overload, gateway and transport hiccups; never 4xx
// answers, which are deterministic.
func (e *Error) Retryable() bool {
	switch e.Class {
	case ClassOverloaded:
		return true
	case ClassServer:
		return e.Status == 502 || e.Status == 503 || e.Status == 504
	}
	return false
}

// Fatal reports whether the whole source is unusable (no point asking more).
func (e *Error) Fatal() bool {
	switch e.Class {
	case ClassUnreachable, ClassTLS, ClassAuth, ClassNotPrometheus, ClassNotFound, ClassTenant, ClassRedirect, ClassConfig:
		return true
	}
	return false
}

// errHTML is returned by the transport wrapper for text/html answers.
type errHTML struct{ status int }

func (e errHTML) Error() string { return "HTML answer" }

// errEncoding is an answer in a Content-Encoding the client did not ask for.
type errEncoding struct {
	encoding string
	status   int
}

func (e errEncoding) Error() string {
	return fmt.Sprintf("the answer (HTTP %d) is %s-encoded, which the client did not ask for (Accept-Encoding not sent): a proxy compressing answers? turn it off for this client",
		e.status, triage.Sanitize(e.encoding))
}

// classify adds to the package's classify what only the client knows: the
// config key of a file that cannot be read.
func (c *Client) classify(err error) *Error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		key, ok := c.configFiles[pathErr.Path]
		if !ok {
			key = "a file the config names"
		}
		return fileError(pathErr, key)
	}
	return classify(err, c.target)
}

// fileError names the config key of a file that cannot be read.
func fileError(err *fs.PathError, key string) *Error {
	return &Error{Class: ClassConfig, Err: err, Msg: fmt.Sprintf("cannot read %s %s: %s",
		key, triage.Sanitize(err.Path), triage.Sanitize(rootMessage(err.Err)))}
}

// tooManyWords mark the reason of a reading whose answer was over the
// client's caps (TooMany).
const tooManyWords = "more than a triage query needs"

// TooMany reports a failure (a reading's reason, an error's message)
// because an answer held more series or samples than the client reads:
// `services` then ranks the fleet server-side
// (triage.Catalog.BoundServices).
func TooMany(reason string) bool { return strings.Contains(reason, tooManyWords) }

// classify turns anything the client returned into an *Error that wraps it;
// target is the redacted URL named in messages.
func classify(err error, target string) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	e = classifyCause(err, target)
	e.Err = err
	return e
}

// classifyCause is the class and message of a failure that is not yet an
// *Error.
func classifyCause(err error, target string) *Error {
	var html errHTML
	var encoding errEncoding
	var tooLarge errTooLarge
	var tooMany errTooMany
	var redirect errRedirect
	var apiErr *v1.Error
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &html):
		return &Error{Class: ClassNotPrometheus, Status: html.status, Msg: fmt.Sprintf(
			"%s answered with an HTML page (HTTP %d), not the Prometheus API: check the URL, its path prefix and the auth (a login page?)", target, html.status)}
	case errors.As(err, &encoding):
		return &Error{Class: ClassBadResponse, Status: encoding.status, Msg: encoding.Error()}
	case errors.As(err, &tooLarge):
		return &Error{Class: ClassTooLarge, Msg: fmt.Sprintf("response too large (over %d bytes): narrow the query", tooLarge.limit)}
	case errors.As(err, &tooMany):
		return &Error{Class: ClassTooLarge, Msg: fmt.Sprintf("the answer holds more than %d %s, %s: aggregate it (sum, max) or narrow the selector", tooMany.limit, tooMany.what, tooManyWords)}
	case errors.As(err, &redirect):
		return &Error{Class: ClassRedirect, Status: redirect.status, Msg: redirect.Error()}
	case errors.Is(err, context.Canceled):
		return &Error{Class: ClassCanceled, Msg: "canceled"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Class: ClassTimeout, Msg: "timed out waiting for " + target}
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return &Error{Class: ClassTLS, Msg: fmt.Sprintf("TLS error talking to %s: %s (set tls_config.ca_file or server_name in the config; never skipped silently)",
			target, triage.Sanitize(rootMessage(err)))}
	case errors.As(err, &dnsErr):
		return &Error{Class: ClassUnreachable, Msg: fmt.Sprintf("cannot reach %s: host %q not found", target, triage.Sanitize(dnsErr.Name))}
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return &Error{Class: ClassUnreachable, Msg: fmt.Sprintf("cannot reach %s: %s", target, triage.Sanitize(rootMessage(opErr.Err)))}
	case errors.As(err, &apiErr):
		return classifyAPI(apiErr, target)
	}
	return &Error{Class: ClassServer, Msg: fmt.Sprintf("request to %s failed: %s", target, triage.Sanitize(rootMessage(err)))}
}

// classifyAPI reads what client_golang hides: it parses the JSON body only for
// 400 and 422, so a 503 timeout arrives as "server error: 503" with the body
// in Detail.
func classifyAPI(e *v1.Error, target string) *Error {
	status := statusOf(e.Msg)
	detail := triage.SanitizeText(e.Detail, 512)
	var body struct {
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
	}
	if json.Unmarshal([]byte(e.Detail), &body) == nil && body.Error != "" {
		detail = triage.Sanitize(body.Error)
	}
	// VictoriaMetrics puts the HTTP status in errorType ("422") and uses
	// 422 for parse errors and execution limits alike.
	if n, err := strconv.Atoi(string(e.Type)); err == nil && status == 0 {
		status = n
		e = &v1.Error{Type: vmErrorType(n, e.Msg), Msg: e.Msg, Detail: e.Detail}
	}
	serverMsg := triage.Sanitize(e.Msg)
	if detail != "" {
		serverMsg = strings.SplitN(detail, "\n", 2)[0]
	}
	out := &Error{Status: status, Detail: detail}
	switch {
	case strings.Contains(strings.ToLower(detail), "no org id"):
		out.Class, out.Msg = ClassTenant, fmt.Sprintf("%s needs a tenant: set the X-Scope-OrgID header (http_headers in the config)", target)
	case status == 401 || status == 403:
		out.Class, out.Msg = ClassAuth, fmt.Sprintf("authentication failed for %s (HTTP %d): check basic_auth / authorization in the config", target, status)
	case status == 404:
		out.Class, out.Msg = ClassNotFound, fmt.Sprintf("%s has no Prometheus API here (HTTP 404): check the URL and its path prefix", target)
	case status == 429:
		out.Class, out.Msg = ClassOverloaded, fmt.Sprintf("backend overloaded (HTTP 429): %s", serverMsg)
	case e.Type == v1.ErrTimeout || body.ErrorType == "timeout":
		out.Class, out.Msg = ClassTimeout, "server timed out: "+serverMsg
	case e.Type == v1.ErrCanceled || body.ErrorType == "canceled":
		out.Class, out.Msg = ClassCanceled, "canceled"
	case e.Type == v1.ErrBadData:
		out.Class, out.Msg = ClassBadQuery, "bad query: "+serverMsg
	case e.Type == v1.ErrExec:
		out.Class, out.Msg = ClassTooExpensive, "query failed on the server (limits?): "+serverMsg
	case e.Type == v1.ErrBadResponse:
		switch {
		case strings.Contains(e.Msg, "invalid character '<'"):
			out.Class, out.Msg = ClassNotPrometheus, fmt.Sprintf("%s did not answer with Prometheus API JSON (HTML?): check the URL and auth", target)
		case strings.Contains(e.Msg, `invalid character '\x1f'`):
			out.Class, out.Msg = ClassBadResponse, "the answer starts with gzip's magic byte (0x1f) and no Content-Encoding says so: a proxy compressing answers? turn it off for this client"
		default:
			out.Class, out.Msg = ClassBadResponse, "malformed answer: "+serverMsg
		}
	case status >= 500:
		out.Class, out.Msg = ClassServer, fmt.Sprintf("server error (HTTP %d): %s", status, serverMsg)
	default:
		out.Class, out.Msg = ClassServer, fmt.Sprintf("query failed: %s", serverMsg)
	}
	return out
}

// vmErrorType maps a VictoriaMetrics status-as-errorType to Prometheus'.
func vmErrorType(status int, msg string) v1.ErrorType {
	switch {
	case status == 400:
		return v1.ErrBadData
	case status != 422:
		return v1.ErrServer
	}
	for _, parse := range []string{"unparsed data", "cannot parse", "unexpected token", "syntax error", "unknown func"} {
		if strings.Contains(msg, parse) {
			return v1.ErrBadData
		}
	}
	return v1.ErrExec
}

// statusOf extracts the code from client_golang's "server error: 503".
func statusOf(msg string) int {
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		if n, err := strconv.Atoi(strings.TrimSpace(msg[i+2:])); err == nil {
			return n
		}
	}
	return 0
}

// rootMessage is the innermost error text: it skips the "Post URL: " prefix
// of *url.Error, which would repeat the URL.
func rootMessage(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
