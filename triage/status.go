package triage

// Status is the honest state of one signal. The strings are part of the JSON
// report contract (version 1).
type Status string

const (
	StatusOK       Status = "ok"
	StatusWarning  Status = "warning"
	StatusCritical Status = "critical"
	StatusMissing  Status = "missing"
	StatusError    Status = "error"
)

// rank orders statuses by how much attention they need.
func (s Status) rank() int {
	switch s {
	case StatusCritical:
		return 4
	case StatusWarning:
		return 3
	case StatusError:
		return 2
	case StatusMissing:
		return 1
	}
	return 0
}

// Worse reports whether s needs more attention than o.
func (s Status) Worse(o Status) bool { return s.rank() > o.rank() }
