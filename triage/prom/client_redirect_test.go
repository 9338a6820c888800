package prom

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/config"
)

// withCredentials is a config with every kind of secret a redirect could
// carry away: basic auth and two configured headers (a tenant and an API key).
func withCredentials() config.HTTPClientConfig {
	hc := config.DefaultHTTPClientConfig
	hc.BasicAuth = &config.BasicAuth{Username: "alice", Password: "s3cret"}
	hc.HTTPHeaders = &config.Headers{Headers: map[string]config.Header{
		"X-Scope-OrgID": {Values: []string{"tenant-a"}},
		"X-Api-Key":     {Secrets: []config.Secret{"k3y"}},
	}}
	return hc
}

// movedPrefix redirects /old/... to /new/... with status, and answers
// under /new.
func movedPrefix(status int) func(*http.Request) fakeAnswer {
	return func(r *http.Request) fakeAnswer {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/old/"); ok {
			return fakeAnswer{status: status, header: map[string]string{"Location": "/new/" + rest}}
		}
		if r.Form.Get("query") != "up" {
			return fakeAnswer{status: 400, body: `{"status":"error","errorType":"bad_data","error":"no query"}`}
		}
		return fakeAnswer{body: vectorBody("1", "")}
	}
}

func TestClientFollowsASameOriginRedirectWithItsCredentials(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusMovedPermanently, http.StatusPermanentRedirect} {
		for _, withConfig := range []bool{true, false} {
			t.Run(http.StatusText(status)+map[bool]string{true: " with a config", false: " without"}[withConfig], func(t *testing.T) {
				f := newFake(t, movedPrefix(status))
				cfg := Config{URL: f.URL + "/old", Timeout: time.Second}
				if withConfig {
					cfg.HTTP = withCredentials()
				} else {
					cfg.URL = strings.Replace(f.URL, "http://", "http://alice:s3cret@", 1) + "/old"
				}
				c, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := c.RedirectedTo(); ok {
					t.Error("a redirect reported before any request")
				}
				if _, err := c.Instant(context.Background(), "up", time.Unix(1700000000, 0)); err != nil {
					t.Fatal(err)
				}
				r := f.last.Load()
				if r.URL.Path != "/new/api/v1/query" || r.Form.Get("query") != "up" {
					t.Errorf("redirect not followed with its query: %s %v", r.URL.Path, r.Form)
				}
				if user, pw, ok := r.BasicAuth(); !ok || user != "alice" || pw != "s3cret" {
					t.Errorf("credentials not sent after a same-origin redirect")
				}
				if withConfig && r.Header.Get("X-Scope-OrgID") != "tenant-a" {
					t.Errorf("tenant header not sent after a same-origin redirect")
				}
				if got, ok := c.RedirectedTo(); !ok || got != f.URL+"/new" {
					t.Errorf("RedirectedTo() = %q, %v; want %q", got, ok, f.URL+"/new")
				}
			})
		}
	}
}

func TestClientRefusesARedirectToAnotherOrigin(t *testing.T) {
	other := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
	otherPort := other.URL[strings.LastIndex(other.URL, ":"):]
	tests := []struct {
		name, target string
	}{
		{"another port", other.URL},
		{"another host name", "http://localhost" + otherPort}, // the same server by another name
		{"another scheme", "https://" + strings.TrimPrefix(other.URL, "http://")},
	}
	for _, tt := range tests {
		for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
			for _, withConfig := range []bool{true, false} {
				t.Run(tt.name+" "+http.StatusText(status)+map[bool]string{true: " with a config", false: " without"}[withConfig], func(t *testing.T) {
					before := other.requests.Load()
					location := tt.target + "/api/v1/query?access_token=l3ak"
					f := newFake(t, fixed(fakeAnswer{status: status, header: map[string]string{"Location": location}}))
					cfg := Config{URL: f.URL, Timeout: time.Second}
					if withConfig {
						cfg.HTTP = withCredentials()
					} else {
						cfg.URL = strings.Replace(f.URL, "http://", "http://alice:s3cret@", 1)
					}
					c, err := New(cfg)
					if err != nil {
						t.Fatal(err)
					}
					e := queryErr(t, c)
					if e.Class != ClassRedirect || !e.Fatal() {
						t.Fatalf("class %q: %v", e.Class, e)
					}
					for _, want := range []string{f.URL + "/api/v1/query", tt.target + "/api/v1/query", "another origin"} {
						if !strings.Contains(e.Msg, want) {
							t.Errorf("message %q does not name %q", e.Msg, want)
						}
					}
					for _, secret := range []string{"s3cret", "alice", "l3ak", "k3y"} {
						if strings.Contains(e.Msg, secret) {
							t.Errorf("message %q holds %q", e.Msg, secret)
						}
					}
					// What the other origin saw: nothing, so neither the
					// credentials nor the configured headers.
					if n := other.requests.Load() - before; n != 0 {
						r := other.last.Load()
						t.Errorf("the other origin got %d requests (Authorization %q, X-Api-Key %q, X-Scope-OrgID %q)",
							n, r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"), r.Header.Get("X-Scope-OrgID"))
					}
					if _, ok := c.RedirectedTo(); ok {
						t.Error("a refused redirect reported as followed")
					}
				})
			}
		}
	}
}

func TestClientBoundsARedirectLoop(t *testing.T) {
	f := newFake(t, func(r *http.Request) fakeAnswer {
		return fakeAnswer{status: http.StatusFound, header: map[string]string{"Location": r.URL.Path + "/again"}}
	})
	e := queryErr(t, newTestClient(t, f.URL, time.Second))
	if e.Class != ClassRedirect || !strings.Contains(e.Msg, "more than 3 times") {
		t.Fatalf("class %q: %v", e.Class, e)
	}
	if n := f.requests.Load(); n != maxRedirects+1 {
		t.Errorf("%d requests, want %d", n, maxRedirects+1)
	}
}

func TestOriginSpellsOutDefaultPorts(t *testing.T) {
	same := [][2]string{{"http://h/x", "http://H:80/y"}, {"https://h", "https://h:443"}, {"http://[::1]/", "http://[::1]:80/"}}
	for _, pair := range same {
		a, _ := ParseURL(pair[0])
		b, _ := ParseURL(pair[1])
		if origin(a) != origin(b) {
			t.Errorf("%s and %s: %s != %s", pair[0], pair[1], origin(a), origin(b))
		}
	}
	a, _ := ParseURL("http://h")
	b, _ := ParseURL("https://h:80")
	if origin(a) == origin(b) {
		t.Errorf("http://h and https://h:80 are one origin: %s", origin(a))
	}
}

// A redirect error classified without the client (a recording replays
// classify(err, "")) keeps its class.
func TestRedirectErrorClassifiesAlone(t *testing.T) {
	err := error(errRedirect{status: 302, from: "http://a/x", to: "http://b/x", policy: apiRedirects})
	if e := classify(errors.Join(errors.New("Post"), err), ""); e.Class != ClassRedirect || e.Status != 302 {
		t.Errorf("got %q %d", e.Class, e.Status)
	}
}
