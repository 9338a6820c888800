package session

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// A recording replays with its own catalog and questions, stamped with its
// name; overrides from a config apply to its catalog.
func TestUseRecording(t *testing.T) {
	data, err := os.ReadFile("../../cmd/scaletriage/demo/incident.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		data      []byte
		overrides map[triage.SignalID]triage.SignalOverride
		wantErr   string
	}{
		{name: "demo", data: data},
		{name: "not JSON", data: []byte("{"), wantErr: "not JSON: not a scaletriage snapshot"},
		{name: "unknown override", data: data, overrides: map[triage.SignalID]triage.SignalOverride{"no_such_signal": {}}, wantErr: "unknown override: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Session{Rules: triage.DefaultRuleSettings(), Overrides: tt.overrides}
			err := s.UseRecording(tt.data, tt.name)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q...", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, err := s.Diagnose(context.Background(), s.Querier)
			if err != nil || d.Snapshot == nil || len(d.Findings) == 0 {
				t.Fatalf("%v, %+v", err, d.Findings)
			}
			if d.Snapshot.Source.Replay != tt.name || s.Source.Replay != tt.name {
				t.Errorf("replay %q / %q, want %q", d.Snapshot.Source.Replay, s.Source.Replay, tt.name)
			}
			if d.Snapshot.Source.URL == "" {
				t.Error("no source URL")
			}
		})
	}
}
