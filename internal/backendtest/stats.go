package backendtest

// Reply is a Prometheus API answer's envelope with the statistics that
// stats=all adds: how many samples the query touched, the cost measure of
// the scale benchmark and the services fleet test.
type Reply struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		Stats struct {
			Samples struct {
				TotalQueryableSamples int64 `json:"totalQueryableSamples"`
			} `json:"samples"`
		} `json:"stats"`
	} `json:"data"`
}

// Samples is the samples the query touched (0 without stats).
func (r Reply) Samples() int64 { return r.Data.Stats.Samples.TotalQueryableSamples }
