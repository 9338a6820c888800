package prom

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// A classified failure keeps what failed underneath: callers ask
// errors.Is and errors.As, never the message.
func TestErrorKeepsItsCause(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := newTestClient(t, "http://127.0.0.1:1", time.Second)
	_, err := c.Instant(ctx, "up", time.Unix(1, 0))
	var e *Error
	if !errors.As(err, &e) || e.Class != ClassCanceled || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled query: %#v, want ClassCanceled wrapping context.Canceled", err)
	}

	dns := &net.DNSError{Name: "prom.invalid", Err: "no such host", IsNotFound: true}
	var gotDNS *net.DNSError
	if e := classify(dns, "http://prom.invalid"); e.Class != ClassUnreachable || !errors.As(e, &gotDNS) {
		t.Errorf("DNS failure: %#v", e)
	}

	api := &v1.Error{Type: v1.ErrBadData, Msg: "parse error"}
	var gotAPI *v1.Error
	if e := classify(api, "x"); e.Class != ClassBadQuery || !errors.As(e, &gotAPI) || gotAPI != api {
		t.Errorf("API error: %#v", e)
	}

	missing := &fs.PathError{Op: "open", Path: "/no/token", Err: fs.ErrNotExist}
	if e := fileError(missing, "bearer_token_file"); !errors.Is(e, fs.ErrNotExist) {
		t.Errorf("missing file: %#v", e)
	}
}
