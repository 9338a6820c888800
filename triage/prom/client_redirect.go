package prom

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects bounds a same-origin redirect chain: a path prefix that
// moved takes one hop, a proxy adding a slash another.
const maxRedirects = 3

// errRedirect stops a redirect the policy refuses; both URLs are redacted.
type errRedirect struct {
	status   int // the 3xx that asked for it
	from, to string
	tooMany  bool
	policy   redirectPolicy
}

func (e errRedirect) Error() string {
	if e.tooMany {
		return fmt.Sprintf("%s%s redirected more than %d times (last to %s): check the URL", e.policy.what, e.from, maxRedirects, e.to)
	}
	return fmt.Sprintf("%s%s redirected (HTTP %d) to another origin, %s: not followed, %s",
		e.policy.what, e.from, e.status, e.to, e.policy.why)
}

// redirectPolicy is the one redirect rule, for the API client and the OAuth2
// token client alike (it replaces common/config's follow_redirects):
// another origin (scheme, host or port) is never followed: it would get the
// credentials and configured headers (common/config strips Authorization on
// a host change but not on a port change, and never X-Scope-OrgID, X-Api-Key
// or a form body), so the request fails naming both URLs; the same origin is
// followed up to maxRedirects hops.
type redirectPolicy struct {
	what string // who was redirected, before the URL in messages
	why  string // why it was not followed, and what to do
}

var (
	apiRedirects = redirectPolicy{
		why: "so that credentials and configured headers stay with the configured origin; if you trust it, use that address as the URL"}
	tokenRedirects = redirectPolicy{what: "the OAuth2 token_url ",
		why: "so that the client secret stays with token_url's origin; if you trust it, set token_url to that address"}
)

func (p redirectPolicy) check(req *http.Request, via []*http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	refused := errRedirect{status: status, from: RedactURL(via[len(via)-1].URL), to: RedactURL(req.URL), policy: p}
	if origin(req.URL) != origin(via[0].URL) {
		return refused
	}
	if len(via) > maxRedirects {
		refused.tooMany = true
		return refused
	}
	return nil
}

// checkRedirect is the API client's redirect policy: the origin rule, then
// a POSTed query kept across the hop and the new address remembered for the
// report (RedirectedTo): the URL the user gave is not the one that answers.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := apiRedirects.check(req, via); err != nil {
		return err
	}
	if err := keepForm(req, via[len(via)-1]); err != nil {
		return err
	}
	c.seen.noteRedirect(via[0].URL, req.URL, c.base)
	return nil
}

// SameOrigin reports whether two base URLs share scheme, host and port (a
// URL that does not parse shares nothing).
func SameOrigin(a, b string) bool {
	ua, errA := url.Parse(strings.TrimSpace(a))
	ub, errB := url.Parse(strings.TrimSpace(b))
	return errA == nil && errB == nil && ua.Host != "" && origin(ua) == origin(ub)
}

// origin is scheme, host and port, with the scheme's default port spelled
// out: http://h and http://h:80 are one origin.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// keepForm carries a POSTed query into the query string of the GET that
// net/http turns it into on 301-303: otherwise the query arrives empty and
// the server answers "bad query".
func keepForm(req, prev *http.Request) error {
	if prev.Method != http.MethodPost || req.Method != http.MethodGet || prev.GetBody == nil ||
		prev.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		return nil
	}
	body, err := prev.GetBody()
	if err != nil {
		return err
	}
	defer body.Close()
	form, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if req.URL.RawQuery != "" && len(form) > 0 {
		req.URL.RawQuery += "&"
	}
	req.URL.RawQuery += string(form)
	return nil
}

// noteRedirect remembers where a same-origin redirect led: the base URL
// when only the prefix before the API path moved, else the target itself.
func (o *observed) noteRedirect(first, to, base *url.URL) {
	apiPath := strings.TrimPrefix(first.Path, base.Path)
	moved := *to
	if prefix, ok := strings.CutSuffix(to.Path, apiPath); ok && apiPath != "" {
		moved.Path = prefix
	}
	s := RedactURL(&moved)
	o.redirectedTo.Store(&s)
}

// RedirectedTo is the redacted URL a same-origin redirect led to (the new
// base URL when a path prefix moved), if the server redirected: the report
// can then say the given URL is not the one that answers.
func (c *Client) RedirectedTo() (string, bool) {
	if s := c.seen.redirectedTo.Load(); s != nil {
		return *s, true
	}
	return "", false
}
