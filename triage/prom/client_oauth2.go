package prom

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/common/config"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// OAuth2 tokens are fetched here, not by prometheus/common's round tripper:
// its token client follows redirects to any origin (a 307 resends the client
// secret in the body; another port of the same host gets it as Basic auth)
// and, while the token endpoint fails, asks it again for every query.
const (
	// tokenRetryAfter: after a failed token request every query fails with
	// that failure, without asking again, for this long; a one-shot report
	// sends one token request, the TUI at most one per refresh period.
	tokenRetryAfter = 30 * time.Second
	// minTokenInterval: a token is never fetched more often than this, even
	// if the server issues tokens that expire at once.
	minTokenInterval = 10 * time.Second
	maxTokenBody     = 1 << 20
	expiryMargin     = 10 * time.Second
)

// oauth2Auth adds a bearer token from token_url to every request.
type oauth2Auth struct {
	next     http.RoundTripper
	cfg      *config.OAuth2
	client   *http.Client // the token client: token_url's origin only
	tokenURL string       // redacted, for messages
	now      func() time.Time

	mu        sync.Mutex
	token     *oauth2.Token
	fetchedAt time.Time
	failure   *Error
	failedAt  time.Time
	requests  atomic.Int64 // token requests sent, redirects included
}

// newOAuth2Auth validates what this client supports and builds the token
// client from the oauth2 block's own TLS and proxy settings.
func newOAuth2Auth(o *config.OAuth2, next http.RoundTripper, opts ...config.HTTPClientOption) (*oauth2Auth, error) {
	if o.ClientSecretRef != "" || o.ClientCertificateKeyRef != "" {
		return nil, errors.New("oauth2: client_secret_ref and client_certificate_key_ref need a secret manager, which scaletriage has not: use client_secret or client_secret_file")
	}
	u, err := url.Parse(o.TokenURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("oauth2.token_url %q: want an http(s) URL with a host", redactRaw(o.TokenURL))
	}
	rt, err := config.NewRoundTripperFromConfig(config.HTTPClientConfig{
		TLSConfig: o.TLSConfig, ProxyConfig: o.ProxyConfig, EnableHTTP2: true,
	}, "scaletriage-oauth2", opts...)
	if err != nil {
		return nil, fmt.Errorf("oauth2 tls_config/proxy: %w", err)
	}
	a := &oauth2Auth{next: next, cfg: o, tokenURL: RedactURL(u), now: time.Now}
	a.client = &http.Client{
		Transport:     tokenTransport{next: rt, sent: &a.requests},
		CheckRedirect: tokenRedirects.check,
	}
	return a, nil
}

func (a *oauth2Auth) RoundTrip(req *http.Request) (*http.Response, error) {
	token, err := a.validToken(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	token.SetAuthHeader(r)
	return a.next.RoundTrip(r)
}

// validToken returns the current token, fetching one when there is none or
// it expired; one fetch at a time, and a failure stands for tokenRetryAfter.
func (a *oauth2Auth) validToken(ctx context.Context) (*oauth2.Token, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if a.token != nil && (a.unexpired(now) || now.Sub(a.fetchedAt) < minTokenInterval) {
		return a.token, nil
	}
	if a.failure != nil && now.Sub(a.failedAt) < tokenRetryAfter {
		return nil, a.failure
	}
	token, err := a.fetch(ctx)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err // the caller gave up: not the endpoint's failure
		}
		a.failure, a.failedAt = a.classify(err), now
		return nil, a.failure
	}
	a.token, a.fetchedAt, a.failure = token, now, nil
	return token, nil
}

// unexpired: the token has no expiry or is not within expiryMargin of it
// (x/oauth2's own margin, on this client's clock).
func (a *oauth2Auth) unexpired(now time.Time) bool {
	return a.token.Expiry.IsZero() || now.Add(expiryMargin).Before(a.token.Expiry)
}

func (a *oauth2Auth) fetch(ctx context.Context) (*oauth2.Token, error) {
	secret, err := a.secret()
	if err != nil {
		return nil, err
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, a.client)
	return a.grant(secret).TokenSource(ctx).Token()
}

// secret is the client secret (or, for the JWT grant, the signing key),
// read from its file at every fetch so that a rotated secret is picked up.
func (a *oauth2Auth) secret() (string, error) {
	inline, file, _ := a.secretSource()
	if file == "" {
		return inline, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// secretSource is where the grant's secret comes from: inline, or a file
// and the config key that names it (for messages).
func (a *oauth2Auth) secretSource() (inline, file, key string) {
	if a.cfg.GrantType == jwtBearerGrant {
		return string(a.cfg.ClientCertificateKey), a.cfg.ClientCertificateKeyFile, "oauth2.client_certificate_key_file"
	}
	return string(a.cfg.ClientSecret), a.cfg.ClientSecretFile, "oauth2.client_secret_file"
}

const jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"

type tokenGrant interface {
	TokenSource(ctx context.Context) oauth2.TokenSource
}

// grant is the configured grant, as prometheus/common builds it.
func (a *oauth2Auth) grant(secret string) tokenGrant {
	o := a.cfg
	params := url.Values{}
	for k, v := range o.EndpointParams {
		params.Set(k, v)
	}
	if o.GrantType != jwtBearerGrant {
		return &clientcredentials.Config{ClientID: o.ClientID, ClientSecret: secret, Scopes: o.Scopes,
			TokenURL: o.TokenURL, EndpointParams: params}
	}
	iss := o.Iss
	if iss == "" {
		iss = o.ClientID
	}
	return &config.JwtGrantTypeConfig{PrivateKey: []byte(secret), PrivateKeyID: o.ClientCertificateKeyID,
		Scopes: o.Scopes, TokenURL: o.TokenURL, SigningAlgorithm: jwtSigning(o.SignatureAlgorithm),
		Iss: iss, Subject: o.ClientID, Audience: o.Audience, PrivateClaims: o.Claims, EndpointParams: params}
}

// jwtSigning is the RSA signing method by name; RS256 when unset, as
// prometheus/common does.
func jwtSigning(name string) *jwt.SigningMethodRSA {
	for _, m := range []*jwt.SigningMethodRSA{jwt.SigningMethodRS256, jwt.SigningMethodRS384, jwt.SigningMethodRS512} {
		if m.Name == name {
			return m
		}
	}
	return jwt.SigningMethodRS256
}

// classify names token_url, never the query's URL: it is the token request
// that failed, before any query was sent.
func (a *oauth2Auth) classify(err error) *Error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		_, _, key := a.secretSource()
		return fileError(pathErr, key)
	}
	var retrieve *oauth2.RetrieveError
	if errors.As(err, &retrieve) && retrieve.Response != nil {
		status := retrieve.Response.StatusCode
		hint := "check oauth2.client_id and client_secret"
		if status >= 500 {
			hint = "the token endpoint failed"
		}
		return &Error{Class: ClassAuth, Status: status, Msg: fmt.Sprintf("the OAuth2 token_url %s refused a token (HTTP %d): %s; no query was sent",
			a.tokenURL, status, hint)}
	}
	e := classify(err, "the OAuth2 token_url "+a.tokenURL)
	if !e.Fatal() {
		// Without a token no query can be sent: the source is unusable.
		e.Class = ClassAuth
	}
	return e
}

// tokenTransport counts token requests and caps their answers.
type tokenTransport struct {
	next http.RoundTripper
	sent *atomic.Int64
}

func (t tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.sent.Add(1)
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: maxTokenBody, limit: maxTokenBody}
	return resp, nil
}
