package triage

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Scope says whether a measured thing belongs to the service in trouble
// (--selector). An entity is never merged into the service's picture on a
// guess: what no link establishes is unknown. The strings are part of the
// JSON report (version 1, additive).
type Scope string

const (
	ScopeIn      Scope = "in"      // linked to the service
	ScopeOut     Scope = "out"     // the config names the service's dependencies of its tier, and not this one
	ScopeUnknown Scope = "unknown" // no link either way
)

// MatchType is a PromQL label matcher operator.
type MatchType string

const (
	MatchEqual     MatchType = "="
	MatchNotEqual  MatchType = "!="
	MatchRegexp    MatchType = "=~"
	MatchNotRegexp MatchType = "!~"
)

// Matcher is one label matcher, parsed elsewhere (triage/prom parses with
// Prometheus' own parser) and matched here, so the domain needs no parser.
type Matcher struct {
	Name  string
	Type  MatchType
	Value string
	re    *regexp.Regexp
}

// NewMatcher builds a matcher; a regular expression is anchored as PromQL
// anchors it.
func NewMatcher(name string, typ MatchType, value string) (Matcher, error) {
	m := Matcher{Name: name, Type: typ, Value: value}
	switch typ {
	case MatchEqual, MatchNotEqual:
	case MatchRegexp, MatchNotRegexp:
		re, err := regexp.Compile("^(?:" + value + ")$")
		if err != nil {
			return Matcher{}, fmt.Errorf("%s%s%q: %w", name, typ, value, err)
		}
		m.re = re
	default:
		return Matcher{}, fmt.Errorf("unknown matcher operator %q", typ)
	}
	return m, nil
}

// Matches applies the matcher to a label's value ("" when absent).
func (m Matcher) Matches(v string) bool {
	switch m.Type {
	case MatchEqual:
		return v == m.Value
	case MatchNotEqual:
		return v != m.Value
	case MatchRegexp:
		return m.re.MatchString(v)
	}
	return !m.re.MatchString(v)
}

// Matchers is a list of matchers that all must match.
type Matchers []Matcher

// Matches reports whether a label set satisfies every matcher.
func (s Matchers) Matches(labels map[string]string) bool {
	for _, m := range s {
		if !m.Matches(labels[m.Name]) {
			return false
		}
	}
	return true
}

// String prints the selector back as PromQL matchers.
func (s Matchers) String() string {
	parts := make([]string, len(s))
	for i, m := range s {
		parts[i] = fmt.Sprintf("%s%s%q", m.Name, m.Type, m.Value)
	}
	return strings.Join(parts, ",")
}

// ServiceScope is what a triage knows of the service in trouble: its
// selector, the label values its own series carry (Identity: instance,
// namespace, pod, node), and the dependencies the config names per tier.
type ServiceScope struct {
	Selector     string
	Identity     map[string][]string
	Dependencies map[Tier][]Matchers
	// Existing are, when the selector matched none of the service's
	// series, the values its labels have on them (for the warning).
	Existing map[string][]string
}

// MatchesNothing reports a selector whose own series the triage found
// none of (no identity): the findings are the fleet's, not the service's.
func (s *ServiceScope) MatchesNothing() bool {
	return s != nil && s.Selector != "" && len(s.Identity) == 0
}

// IdentityLabels are the labels whose values on the service's own series
// link it to hosts, pods and pools (its job to its service-graph edges),
// and, on its client metrics
// (OpenTelemetry semantic conventions, database/sql's db_name), to the
// databases, caches and queues it calls.
var IdentityLabels = []string{"job", "instance", "namespace", "pod", "node",
	"server_address", "db_namespace", "db_name", "messaging_destination_name", "messaging_consumer_group_name"}

// EntityScope decides whether an entity of reading r belongs to the
// service, most explicit first: the selector scopes the query itself; the
// config's dependencies for the entity's tier; labels the service's own
// series share with it (the host of an instance, a pod); otherwise unknown.
// The second result says how it was decided.
func (s *Snapshot) EntityScope(r Reading, labels map[string]string) (Scope, string) {
	sc := s.Scope
	switch {
	case sc == nil:
		return ScopeUnknown, "no service selected (--selector)"
	case r.Scoped && sc.Selector != "":
		return ScopeIn, "the selector {" + sc.Selector + "} scopes its query"
	}
	if deps, ok := sc.Dependencies[r.Tier]; ok {
		for _, d := range deps {
			if d.Matches(labels) {
				return ScopeIn, fmt.Sprintf("config dependencies: %s {%s}", r.Tier, d)
			}
		}
		return ScopeOut, fmt.Sprintf("config dependencies list the service's %s entities, not this one", r.Tier)
	}
	switch r.Tier {
	case TierHost:
		host := hostOf(labels["instance"])
		if host != "" && (slices.Contains(sc.hosts(), host) || slices.Contains(sc.Identity["node"], labels["instance"])) {
			return ScopeIn, "a host the service's instances run on (" + host + ")"
		}
	case TierContainer:
		if pod := labels["pod"]; pod != "" && slices.Contains(sc.Identity["pod"], pod) &&
			(labels["namespace"] == "" || slices.Contains(sc.Identity["namespace"], labels["namespace"])) {
			return ScopeIn, "a pod of the service (" + pod + ")"
		}
		if w := labels[LabelWorkload]; w != "" && (labels["namespace"] == "" || slices.Contains(sc.Identity["namespace"], labels["namespace"])) {
			if pod := slices.IndexFunc(sc.Identity["pod"], func(p string) bool { return p == w || WorkloadOf(p) == w }); pod >= 0 {
				return ScopeIn, "the workload of a pod of the service (" + sc.Identity["pod"][pod] + ")"
			}
			if slices.Contains(sc.Identity["job"], w) {
				return ScopeIn, "the workload the service's job is named after (" + w + ")"
			}
		}
	case TierService, TierAppPool:
		if inst := labels["instance"]; inst != "" && slices.Contains(sc.Identity["instance"], inst) {
			return ScopeIn, "an instance of the service (" + inst + ")"
		}
	case TierDatabase, TierCache:
		if host := hostOf(labels["instance"]); host != "" && slices.Contains(sc.Identity["server_address"], host) {
			return ScopeIn, "the service's client calls it (server_address " + host + ")"
		}
	case TierPooler:
		db := labels["database"]
		if db != "" && (slices.Contains(sc.Identity["db_name"], db) || slices.Contains(sc.Identity["db_namespace"], db)) {
			return ScopeIn, "the pool of the database the service uses (" + db + ")"
		}
	case TierQueue:
		for _, l := range []string{"topic", "topic_name", "queue"} {
			if v := labels[l]; v != "" && slices.Contains(sc.Identity["messaging_destination_name"], v) {
				return ScopeIn, "a destination the service sends to or reads from (" + v + ")"
			}
		}
		for _, l := range []string{"consumergroup", "group_id"} {
			if v := labels[l]; v != "" && slices.Contains(sc.Identity["messaging_consumer_group_name"], v) {
				return ScopeIn, "the service's consumer group (" + v + ")"
			}
		}
	}
	return ScopeUnknown, "not linked to the service by the config's dependencies or by labels its series share"
}

// hosts are the host parts of the service's instances.
func (sc *ServiceScope) hosts() []string {
	var out []string
	for _, inst := range sc.Identity["instance"] {
		if h := hostOf(inst); h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// hostOf is the host part of an instance label: "app-1:8080" -> "app-1",
// "[::1]:9100" -> "::1".
func hostOf(instance string) string {
	if strings.HasPrefix(instance, "[") {
		if end := strings.Index(instance, "]"); end > 0 {
			return instance[1:end]
		}
	}
	if i := strings.LastIndex(instance, ":"); i > 0 && !strings.Contains(instance[:i], ":") {
		return instance[:i]
	}
	return instance
}
