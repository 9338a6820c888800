package prom

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/config"

	"github.com/scaletriage/scaletriage/triage"
)

// tokenServer is an OAuth2 token endpoint: it answers what respond says and
// counts the requests it got.
type tokenServer struct {
	*fakeServer
}

func newTokenServer(t *testing.T, respond func(r *http.Request) fakeAnswer) tokenServer {
	return tokenServer{newFake(t, respond)}
}

func tokenAnswer(token string, expiresIn int) fakeAnswer {
	return fakeAnswer{body: fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer","expires_in":%d}`, token, expiresIn)}
}

func oauth2Client(t *testing.T, promURL, tokenURL string) *Client {
	t.Helper()
	hc := config.DefaultHTTPClientConfig
	hc.OAuth2 = &config.OAuth2{ClientID: "scaletriage", ClientSecret: "s3cret", TokenURL: tokenURL}
	c, err := New(Config{URL: promURL, HTTP: hc, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOAuth2TokenRedirectStaysOnItsOrigin(t *testing.T) {
	other := newFake(t, fixed(tokenAnswer("st0len", 3600)))
	otherPort := other.URL[strings.LastIndex(other.URL, ":"):]
	for _, target := range []struct{ name, url string }{
		{"another port of the same host", other.URL},
		{"another host name", "http://localhost" + otherPort},
	} {
		for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
			t.Run(target.name+" "+http.StatusText(status), func(t *testing.T) {
				before := other.requests.Load()
				prom := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
				token := newTokenServer(t, fixed(fakeAnswer{status: status, header: map[string]string{"Location": target.url + "/token"}}))
				c := oauth2Client(t, prom.URL, token.URL+"/token")
				e := queryErr(t, c)
				if e.Class != ClassRedirect || !e.Fatal() {
					t.Fatalf("class %q: %v", e.Class, e)
				}
				for _, want := range []string{"the OAuth2 token_url " + token.URL + "/token", target.url + "/token", "another origin", "client secret"} {
					if !strings.Contains(e.Msg, want) {
						t.Errorf("message %q does not say %q", e.Msg, want)
					}
				}
				if strings.Contains(e.Msg, "s3cret") {
					t.Errorf("message %q holds the secret", e.Msg)
				}
				if n := other.requests.Load() - before; n != 0 {
					r := other.last.Load()
					t.Errorf("the other origin got %d token requests (Authorization %q, client_secret %q)",
						n, r.Header.Get("Authorization"), r.PostForm.Get("client_secret"))
				}
				if n := prom.requests.Load(); n != 0 {
					t.Errorf("%d queries reached Prometheus without a token from token_url's origin", n)
				}
			})
		}
	}
}

func TestOAuth2SameOriginTokenRedirectIsFollowed(t *testing.T) {
	prom := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
	token := newTokenServer(t, func(r *http.Request) fakeAnswer {
		if r.URL.Path == "/old" {
			return fakeAnswer{status: http.StatusTemporaryRedirect, header: map[string]string{"Location": "/token"}}
		}
		return tokenAnswer("t0k", 3600)
	})
	c := oauth2Client(t, prom.URL, token.URL+"/old")
	if _, err := c.Instant(context.Background(), "up", testAt); err != nil {
		t.Fatal(err)
	}
	if got := prom.last.Load().Header.Get("Authorization"); got != "Bearer t0k" {
		t.Errorf("Prometheus got Authorization %q, want the token", got)
	}
}

// A run against a failing token endpoint sends one token request (two:
// x/oauth2 first tries the secret as Basic auth, then in the form) and
// reports the failure once, naming token_url: the collection stops there.
func TestOAuth2FailingTokenEndpointIsAskedOnce(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusInternalServerError} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			prom := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
			token := newTokenServer(t, fixed(fakeAnswer{status: status, body: `{"error":"invalid_client"}`}))
			c := oauth2Client(t, prom.URL, token.URL+"/token")
			_, err := Collect(context.Background(), c, triage.DefaultCatalog(), Options{At: testAt})
			if err == nil {
				t.Fatal("a run without a token succeeded")
			}
			want := fmt.Sprintf("the OAuth2 token_url %s/token refused a token (HTTP %d)", token.URL, status)
			if !strings.Contains(err.Error(), want) || strings.Count(err.Error(), "token_url") != 1 {
				t.Errorf("error %q, want %q once", err, want)
			}
			if n := token.requests.Load(); n > 2 {
				t.Errorf("the token endpoint got %d requests in one run, want one attempt", n)
			}
			if n := prom.requests.Load(); n != 0 {
				t.Errorf("%d queries reached Prometheus without a token", n)
			}
		})
	}
}

func TestOAuth2TokenRequestsAreBounded(t *testing.T) {
	tests := []struct {
		name      string
		answer    fakeAnswer
		wait      time.Duration // after the first burst of queries
		wantFirst int64         // token requests after the first burst
		wantThen  int64         // after the wait and one more burst
	}{
		{"a valid token is reused", tokenAnswer("t0k", 3600), time.Hour - time.Minute, 1, 1},
		{"an expired token is renewed", tokenAnswer("t0k", 3600), time.Hour, 1, 2},
		{"a token that expires at once is kept for the minimum interval", tokenAnswer("t0k", 1), minTokenInterval - time.Second, 1, 1},
		{"and renewed after it", tokenAnswer("t0k", 1), minTokenInterval, 1, 2},
		{"a failure stands", fakeAnswer{status: 503}, tokenRetryAfter - time.Second, 2, 2},
		{"and is retried after a while", fakeAnswer{status: 503}, tokenRetryAfter, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prom := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
			token := newTokenServer(t, fixed(tt.answer))
			c := oauth2Client(t, prom.URL, token.URL+"/token")
			now := time.Now() // token expiries are stamped on the real clock
			c.oauth2.now = func() time.Time { return now }
			burst := func() {
				for range 20 {
					c.Instant(context.Background(), "up", testAt)
				}
			}
			burst()
			if n := token.requests.Load(); n != tt.wantFirst {
				t.Errorf("%d token requests for 20 queries, want %d", n, tt.wantFirst)
			}
			now = now.Add(tt.wait)
			burst()
			if n := token.requests.Load(); n != tt.wantThen {
				t.Errorf("%d token requests after %s and 20 more queries, want %d", n, tt.wait, tt.wantThen)
			}
		})
	}
}

func TestOAuth2MissingSecretFileIsNamed(t *testing.T) {
	prom := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
	token := newTokenServer(t, fixed(tokenAnswer("t0k", 3600)))
	hc := config.DefaultHTTPClientConfig
	missing := t.TempDir() + "/gone"
	hc.OAuth2 = &config.OAuth2{ClientID: "scaletriage", ClientSecretFile: missing, TokenURL: token.URL}
	c, err := New(Config{URL: prom.URL, HTTP: hc, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := queryErr(t, c)
	if e.Class != ClassConfig || !strings.Contains(e.Msg, "cannot read oauth2.client_secret_file "+missing) {
		t.Errorf("class %q: %q", e.Class, e.Msg)
	}
	if token.requests.Load() != 0 || prom.requests.Load() != 0 {
		t.Error("requests were sent without a secret")
	}
}
