package report

import (
	"encoding/json"
	"time"

	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// Recording assembles the recording file of a pass: every call the
// collector made and how many it could make at once (from the Recorder),
// the catalog it asked with, and the JSON report at record time.
func Recording(res Pass, catalog triage.Catalog, rec *prom.Recorder) ([]byte, error) {
	report, err := json.Marshal(New(res))
	if err != nil {
		return nil, err
	}
	snap := res.Diagnosis.Snapshot
	file := prom.Recording{
		Format: prom.RecordingFormat, Version: prom.RecordingVersion, RecordedAt: time.Now().UTC(),
		At: snap.At, Window: triage.PromDuration(snap.Window), RateWindow: triage.PromDuration(snap.RateWindow),
		Source: prom.RecordSource(snap.Source), Selector: snap.Selector, Exporters: snap.Exporters,
		Catalog: catalog, Calls: rec.Calls(), Slots: rec.Slots(), Report: report,
	}
	data, err := json.MarshalIndent(file, "", " ")
	return append(data, '\n'), err
}
