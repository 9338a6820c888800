package report

import (
	"fmt"
	"maps"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// Pass is one triage pass with what its prompts need from the user: the
// prompt context (config file, --set, the TUI's form) and the configured
// load multiples. The command line and the TUI fill prompts through it.
type Pass struct {
	Diagnosis triage.Diagnosis
	Context   map[string]string
	Multiples []float64
	// Alert is the alert the triage started from (report --alert); nil
	// otherwise.
	Alert *triage.Alert
	// Alerts are the alerts pending or firing at the pass's instant, read
	// by the TUI's fleet passes for its picker; nil when not read.
	Alerts []triage.Alert
	// Grafana is where links open Explore (config `grafana:`); zero: the
	// Prometheus UI only.
	Grafana Grafana
}

// Read reports whether the pass read anything worth writing: complete, or
// interrupted with what was read so far (then marked partial), which the
// commands write before returning the interruption.
func (r Pass) Read() bool { return r.Diagnosis.Snapshot != nil }

// Links builds the links of this pass's numbers.
func (r Pass) Links() Linker { return LinkerFor(r.Diagnosis.Snapshot, r.Grafana) }

// PromptInput is what a prompt and its guidance are filled from for finding
// f (nil: none).
func (r Pass) PromptInput(f *triage.Finding) prompts.Input {
	return prompts.Input{Diagnosis: r.Diagnosis, Finding: f, Context: r.Context, Multiples: r.Multiples, Alert: r.Alert}
}

// WithContext is r with more user values; later ones win.
func (r Pass) WithContext(extra map[string]string) Pass {
	r.Context = MergeContext(r.Context, extra)
	return r
}

// MergeContext returns a new map: base, then extra over it.
func MergeContext(base, extra map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(extra))
	maps.Copy(out, base)
	maps.Copy(out, extra)
	return out
}

// FindingFor chooses the finding whose evidence goes with prompt p: the
// named rule's, else the top finding that leads to p (none is no error).
func (r Pass) FindingFor(p prompts.Prompt, rule triage.RuleID) (triage.Finding, bool, error) {
	for _, f := range r.Diagnosis.Findings {
		if rule != "" && f.ID == rule {
			return f, true, nil
		}
	}
	if rule != "" {
		return triage.Finding{}, false, fmt.Errorf("rule %q did not fire on this snapshot (see `scaletriage report`)", rule)
	}
	f, ok := r.Diagnosis.LeadingTo(p.ID)
	return f, ok, nil
}

// Populate fills prompt p with the finding that goes with it, so that the
// counts of `prompts` match what `prompt N` prints.
func (r Pass) Populate(p prompts.Prompt) prompts.Populated {
	in := r.PromptInput(nil)
	if f, ok, _ := r.FindingFor(p, ""); ok {
		in.Finding = &f
	}
	return prompts.Populate(p, in)
}

// Unfilled lists, per prompt a finding leads to, the placeholders the
// numbers could not fill.
func (r Pass) Unfilled(f triage.Finding) map[triage.PromptID][]string {
	out := map[triage.PromptID][]string{}
	for _, id := range f.Prompts {
		if p, ok := prompts.ByID(id); ok {
			out[id] = nonNil(prompts.Populate(p, r.PromptInput(&f)).Unfilled)
		}
	}
	return out
}

// TopPrompt is the top finding's populated prompt and its guidance, for the
// headless reports; "" when no warning or critical finding leads to one.
func (r Pass) TopPrompt() string {
	f, ok := r.Diagnosis.Top()
	if !ok {
		return ""
	}
	p, ok := prompts.ByID(f.Prompts[0])
	if !ok {
		return ""
	}
	in := r.PromptInput(&f)
	pop := prompts.Populate(p, in)
	return fmt.Sprintf("## Prompt: %s\n\n%s\n\n## Guidance\n\n%s", p.Title, pop.Markdown, prompts.Guidance(f, in))
}

// CountFound is the number of signals that answered with a value.
func (r Pass) CountFound() int {
	n := 0
	for _, rd := range r.Diagnosis.Snapshot.Readings {
		if rd.Value.Known {
			n++
		}
	}
	return n
}
