package prompts

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/scaletriage/scaletriage/triage"
)

// Everything inserted into a prompt or guidance goes through these helpers:
// server-derived strings can carry terminal escapes, bidi overrides and
// credentials, and user values can carry newlines that would break Markdown.

// forbidden reports runes that must never reach a prompt: C0 controls other
// than \n and \t, DEL, and triage.Invisible (C1 controls, zero-width, bidi,
// line/paragraph separators, BOM: text that reads differently than it is).
func forbidden(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20, r == 0x7f:
		return true
	}
	return triage.Invisible(r)
}

// stripControls replaces forbidden runes with U+FFFD, so tampering stays
// visible without being able to act on the terminal.
func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if forbidden(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

// oneLine collapses every run of whitespace (newlines included) to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	// urlUserinfo matches "scheme://user:pass@" and "scheme://token@".
	urlUserinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@`)
	// secretPair matches key=value and key: value where the key names a secret.
	secretPair = regexp.MustCompile(`(?i)\b((?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth(?:orization)?|credentials?|session[_-]?id)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)`)
	// bearer matches an HTTP authorization scheme followed by its credential.
	bearer = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}`)
)

// scrubSecrets removes URL userinfo and redacts anything that looks like a
// credential.
func scrubSecrets(s string) string {
	s = urlUserinfo.ReplaceAllString(s, "$1")
	s = secretPair.ReplaceAllString(s, "${1}REDACTED")
	return bearer.ReplaceAllString(s, "$1 REDACTED")
}

// cleanText is the one entry point for any string inserted into Markdown:
// one line (\r and \n become spaces first), no controls, no credentials.
func cleanText(s string) string { return scrubSecrets(stripControls(oneLine(s))) }

// escapeInline escapes the Markdown characters that could open a link,
// emphasis, code span or HTML tag inside a bound value or table cell.
func escapeInline(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		switch r {
		case '\\', '*', '`', '[', ']', '<', '>', '|', '#', '&': // & would open an entity
			b.WriteByte('\\')
		case '_':
			// Intraword underscores (postgres_exporter) never emphasize.
			if i == 0 || i == len(runes)-1 || !isWordRune(runes[i-1]) || !isWordRune(runes[i+1]) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// MarkdownInline is a server's or a config's string as inert text inside a
// Markdown line of ours (the report, a ticket): one line, capped as
// triage.Sanitize caps, controls made visible, credentials redacted, and
// every character that could open a link, an image, emphasis, a code span,
// an HTML tag or an entity escaped.
func MarkdownInline(s string) string {
	return gfmInert.Replace(escapeInline(scrubSecrets(triage.Sanitize(oneLine(s)))))
}

// gfmInert escapes what GitHub's Markdown adds to CommonMark that could
// change how text reads: a pair of ~ strikes through (the prompts' own prose
// keeps its "~5-10 MB"). A bare http(s) address stays as it is: GitHub links
// it, as in any text, and it is never an image or a script.
var gfmInert = strings.NewReplacer("~", `\~`)

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Redaction is one replacement made in label-derived text when Input.Redact
// is set, for the UI's preview.
type Redaction struct {
	From string // the original value (sanitized)
	To   string // the stable token, e.g. "host-1"
}

// RedactionPreview says in one line what redaction replaced, for the user to
// check before pasting: "2 redacted: orders → db-1, 10.0.0.5 → ip-1".
func RedactionPreview(list []Redaction) string {
	if len(list) == 0 {
		return "nothing to redact: no host, IP, database or user name in this prompt"
	}
	pairs := make([]string, len(list))
	for i, r := range list {
		pairs[i] = r.From + " → " + r.To
	}
	return fmt.Sprintf("%d redacted: %s", len(list), strings.Join(pairs, ", "))
}

// redactor replaces hosts, IPs, database and user names with stable tokens:
// the same value always gets the same token within one population.
type redactor struct {
	tokens map[string]string
	counts map[string]int
	list   []Redaction
	// known are label values the snapshot's entities carry (hosts,
	// databases, users), redacted wherever they appear, also bare
	// ("analytics-db:9187 at 92%"); knownValue matches them.
	known      map[string]string // value -> kind
	knownValue *regexp.Regexp
}

func newRedactor() *redactor {
	return &redactor{tokens: map[string]string{}, counts: map[string]int{}}
}

var (
	// labelValue finds the values of labels that name a host, database or user.
	labelValue = regexp.MustCompile(`\b(instance|host|hostname|node|server|pod|addr|address|datname|database|db|dbname|user|usename|username)\s*(=~|!~|!=|=)\s*"([^"]*)"`)
	ipv4       = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b`)
	ipv6       = regexp.MustCompile(`\[?\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b\]?`)
	urlHost    = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://([^/\s:?#]+)`)
	// fqdn matches dotted host names ending in a common DNS suffix.
	fqdn = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|io|internal|local|lan|corp|svc|cluster|cloud|dev|prod)\b(?::\d+)?`)
)

// labelKinds maps a label name to the token prefix of its values.
var labelKinds = map[string]string{
	"instance": "host", "host": "host", "hostname": "host", "node": "host", "server": "host",
	"pod": "host", "addr": "host", "address": "host",
	"datname": "db", "database": "db", "db": "db", "dbname": "db",
	"user": "user", "usename": "user", "username": "user",
}

func (r *redactor) token(kind, value string) string {
	if value == "" {
		return value
	}
	if t, ok := r.tokens[value]; ok {
		return t
	}
	r.counts[kind]++
	t := fmt.Sprintf("%s-%d", kind, r.counts[kind])
	r.tokens[value] = t
	r.list = append(r.list, Redaction{From: value, To: t})
	return t
}

// learn records the identifying labels of an entity, so that its values
// are redacted wherever they appear, not only as label="value".
func (r *redactor) learn(labels map[string]string) {
	for name, v := range labels {
		kind, ok := labelKinds[name]
		if !ok || len(v) < 2 {
			continue
		}
		if ipv4.MatchString(v) || ipv6.MatchString(v) {
			kind = "ip"
		}
		if r.known == nil {
			r.known = map[string]string{}
		}
		r.known[v] = kind
	}
	values := slices.Collect(maps.Keys(r.known))
	// Longest first, so "db-10" is not read as "db-1" and a 0.
	slices.SortFunc(values, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	for i, v := range values {
		values[i] = regexp.QuoteMeta(v)
	}
	// A value stands alone: not inside a longer name or word, and not
	// followed by a port (":" then a digit) that would make it another.
	r.knownValue = regexp.MustCompile(`(^|[^A-Za-z0-9_.:-])(` + strings.Join(values, "|") + `)($|[^A-Za-z0-9_.:-]|:[^0-9])`)
}

// redactKnown replaces the learned values where they stand alone.
func (r *redactor) redactKnown(s string) string {
	if r.knownValue == nil {
		return s
	}
	return r.knownValue.ReplaceAllStringFunc(s, func(m string) string {
		p := r.knownValue.FindStringSubmatch(m)
		return p[1] + r.token(r.known[p[2]], p[2]) + p[3]
	})
}

// redact replaces identifying values in s; s is already cleaned.
func (r *redactor) redact(s string) string {
	s = labelValue.ReplaceAllStringFunc(s, func(m string) string {
		parts := labelValue.FindStringSubmatch(m)
		kind := labelKinds[parts[1]]
		if ipv4.MatchString(parts[3]) || ipv6.MatchString(parts[3]) {
			kind = "ip"
		}
		return parts[1] + parts[2] + `"` + r.token(kind, parts[3]) + `"`
	})
	s = urlHost.ReplaceAllStringFunc(s, func(m string) string {
		host := urlHost.FindStringSubmatch(m)[1]
		return strings.TrimSuffix(m, host) + r.token("host", host)
	})
	s = r.redactKnown(s)
	s = ipv6.ReplaceAllStringFunc(s, func(m string) string { return r.token("ip", m) })
	s = ipv4.ReplaceAllStringFunc(s, func(m string) string { return r.token("ip", m) })
	return fqdn.ReplaceAllStringFunc(s, func(m string) string { return r.token("host", m) })
}
