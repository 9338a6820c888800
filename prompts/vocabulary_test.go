package prompts

import (
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// One vocabulary: every prompt a rule leads to is a prompt of the real
// library, and every signal a binding or a fact reads is a signal of the
// real catalog, so that a renamed slug or signal id fails here, not in a
// user's report.
func TestVocabularyResolves(t *testing.T) {
	for _, r := range triage.Rules() {
		if len(r.Prompts) == 0 {
			t.Errorf("rule %s leads to no prompt", r.ID)
		}
		for _, slug := range r.Prompts {
			if _, ok := ByID(slug); !ok {
				t.Errorf("rule %s leads to %q, which is not in the prompt library", r.ID, slug)
			}
		}
	}
	catalog := triage.DefaultCatalog()
	for _, p := range Library() {
		if _, ok := specs[p.ID]; !ok {
			t.Errorf("prompt %s has no entry in specs (bindings.go), nor a triage.Prompt* constant", p.ID)
		}
	}
	for id, sp := range specs {
		if _, ok := ByID(id); !ok {
			t.Errorf("bindings for %q, which is not in the prompt library", id)
		}
		for _, sig := range sp.needs() {
			if _, ok := catalog.Def(sig); !ok {
				t.Errorf("prompt %s reads signal %q, which is not in the catalog", id, sig)
			}
		}
	}
	for _, sig := range triage.CapacityInputs() {
		if _, ok := catalog.Def(sig); !ok {
			t.Errorf("the bottleneck law reads signal %q, which is not in the catalog", sig)
		}
	}
}
