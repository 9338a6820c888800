package triage

import (
	"fmt"
	"math"
)

// Direction says which way a signal gets worse.
type Direction string

const (
	Above Direction = "above" // higher is worse (utilization, latency)
	Below Direction = "below" // lower is worse (cache hit ratio)
)

// Thresholds decide a signal's status. Absolute bands compare the value, the
// baseline bands compare value / day-before baseline (direction above only).
// A nil field is "no threshold". Source names where the numbers come from.
type Thresholds struct {
	Direction        Direction `yaml:"direction,omitempty" json:"direction,omitempty"`
	Warning          *float64  `yaml:"warning,omitempty" json:"warning,omitempty"`
	Critical         *float64  `yaml:"critical,omitempty" json:"critical,omitempty"`
	BaselineWarning  *float64  `yaml:"baseline_warning,omitempty" json:"baseline_warning,omitempty"`
	BaselineCritical *float64  `yaml:"baseline_critical,omitempty" json:"baseline_critical,omitempty"`
	Source           string    `yaml:"source,omitempty" json:"source,omitempty"`
}

func (t Thresholds) validate() error {
	switch t.Direction {
	case "", Above, Below:
	default:
		return fmt.Errorf("direction must be %q or %q, not %q", Above, Below, t.Direction)
	}
	for name, p := range map[string]*float64{"warning": t.Warning, "critical": t.Critical,
		"baseline_warning": t.BaselineWarning, "baseline_critical": t.BaselineCritical} {
		if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0)) {
			return fmt.Errorf("%s must be a finite number", name)
		}
	}
	return nil
}

// overlay returns t with every field o sets.
func (t Thresholds) overlay(o Thresholds) Thresholds {
	if o.Direction != "" {
		t.Direction = o.Direction
	}
	set := func(dst **float64, src *float64) {
		if src != nil {
			*dst = src
		}
	}
	set(&t.Warning, o.Warning)
	set(&t.Critical, o.Critical)
	set(&t.BaselineWarning, o.BaselineWarning)
	set(&t.BaselineCritical, o.BaselineCritical)
	if o.Source != "" {
		t.Source = o.Source
	} else if o != (Thresholds{}) {
		t.Source = "config file"
	}
	return t
}

// worse reports whether v is at or beyond limit in the direction.
func (t Thresholds) worse(v, limit float64) bool {
	if t.Direction == Below {
		return v <= limit
	}
	return v >= limit
}

// Judge returns the status of a reading's usable value and the reason in
// words. The baseline bands compare with the day before; when that is
// unknown (a server with less than a day of data, a lab) they compare with
// the start of the window instead, and the reason says which. A value that is
// not usable is never judged: the caller reports it as missing (no data,
// NaN) or error. A lower-bound value (clamped quantile) gives a lower-bound
// ratio, printed with "≥".
func (t Thresholds) Judge(r Reading) (Status, string) {
	unit, dayBefore, windowStart := r.Unit, r.Baseline, r.WindowStart
	f, ok := r.Value.Float()
	if !ok {
		return StatusMissing, ""
	}
	status, reason := t.absolute(f, unit)
	judge := func(s Status, r string) {
		if s.Worse(status) {
			status, reason = s, r
		}
	}
	base, name := dayBefore, "the day-before baseline"
	if r.BaselineAtLeast {
		base = None // a clamped baseline gives no ratio
	}
	if b, ok := base.Float(); !ok || b <= 0 {
		base, name = windowStart, "the window-start baseline"
	}
	if b, ok := base.Float(); ok && b > 0 && t.Direction != Below {
		ratio := f / b
		text := trimFloat(ratio, 3) + "x"
		if r.AtLeast {
			text = "≥ " + text
		}
		if t.BaselineCritical != nil && ratio >= *t.BaselineCritical {
			judge(StatusCritical, fmt.Sprintf("%s %s (critical at %gx)", text, name, *t.BaselineCritical))
		} else if t.BaselineWarning != nil && ratio >= *t.BaselineWarning {
			judge(StatusWarning, fmt.Sprintf("%s %s (warning at %gx)", text, name, *t.BaselineWarning))
		}
	}
	return status, reason
}

// absolute judges f against the warning and critical bands alone.
func (t Thresholds) absolute(f float64, unit Unit) (Status, string) {
	word := "at or above"
	if t.Direction == Below {
		word = "at or below"
	}
	switch {
	case t.Critical != nil && t.worse(f, *t.Critical):
		return StatusCritical, fmt.Sprintf("%s critical threshold %s", word, FormatNumber(*t.Critical, unit))
	case t.Warning != nil && t.worse(f, *t.Warning):
		return StatusWarning, fmt.Sprintf("%s warning threshold %s", word, FormatNumber(*t.Warning, unit))
	}
	return StatusOK, ""
}

// relative judges the ratio now / before against the baseline bands.
func (t Thresholds) relative(now, before float64) Status {
	if before <= 0 || t.Direction == Below {
		return StatusOK
	}
	switch ratio := now / before; {
	case t.BaselineCritical != nil && ratio >= *t.BaselineCritical:
		return StatusCritical
	case t.BaselineWarning != nil && ratio >= *t.BaselineWarning:
		return StatusWarning
	}
	return StatusOK
}
