package triage

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Format prints a value with its unit: "37 clients", "82.5%", "≥ 1 s",
// "no data", "NaN (no observations)". atLeast marks a lower bound, e.g. a
// quantile clamped to the top finite histogram bucket.
func Format(v Value, unit Unit, atLeast bool) string {
	if !v.Known {
		return "no data"
	}
	switch {
	case math.IsNaN(v.V):
		return "NaN (no observations)"
	case math.IsInf(v.V, 1):
		return "+Inf"
	case math.IsInf(v.V, -1):
		return "-Inf"
	}
	s := FormatNumber(v.V, unit)
	if atLeast {
		return "≥ " + s
	}
	return s
}

// FormatNumber prints a finite number with its unit.
func FormatNumber(f float64, unit Unit) string { return formatSig(f, unit, 3) }

// formatSig prints f with its unit and at most sig significant digits.
func formatSig(f float64, unit Unit, sig int) string {
	scale, suffix := display(f, unit)
	n := trimFloat(f*scale, sig)
	if one, ok := singular[unit]; ok && n == "1" {
		return n + " " + one
	}
	return n + suffix
}

// display is how a number of a unit is printed: multiplied by scale and
// followed by suffix ("0.25 s" prints as 250 ms: scale 1000, " ms").
func display(f float64, unit Unit) (scale float64, suffix string) {
	a := math.Abs(f)
	switch unit {
	case UnitRatio:
		return 100, "%"
	case UnitSeconds:
		switch {
		case a == 0:
			return 1, " s"
		case a < 1e-3:
			return 1e6, " µs"
		case a < 1:
			return 1e3, " ms"
		case a < 120:
			return 1, " s"
		case a < 7200:
			return 1.0 / 60, " min"
		}
		return 1.0 / 3600, " h"
	case UnitBytes:
		scale = 1
		for _, u := range []string{"B", "KiB", "MiB", "GiB", "TiB"} {
			if a*scale < 1024 {
				return scale, " " + u
			}
			scale /= 1024
		}
		return scale, " PiB"
	case "":
		return 1, ""
	}
	return 1, " " + string(unit)
}

// Operand is one input of a calculation shown to the reader.
type Operand struct {
	V    float64
	Unit Unit
}

// ShowWorking prints the operands of a calculation and its result so that
// the reader can redo it: operands get the fewest significant digits (3 to
// 6) with which the printed operands give the printed result, since
// "20 requests/s × 1.5 s = 29.9" reads as a mistake where
// "19.93 requests/s × 1.5 s = 29.9" does not. The result is computed from
// the exact operands.
func ShowWorking(calc func(xs ...float64) float64, resultUnit Unit, ops ...Operand) (operands []string, result string) {
	exact := make([]float64, len(ops))
	for i, o := range ops {
		exact[i] = o.V
	}
	result = FormatNumber(calc(exact...), resultUnit)
	sig := 3
	for ; sig < 6; sig++ {
		shown := make([]float64, len(ops))
		for i, o := range ops {
			shown[i] = roundShown(o.V, o.Unit, sig)
		}
		if FormatNumber(calc(shown...), resultUnit) == result {
			break
		}
	}
	operands = make([]string, len(ops))
	for i, o := range ops {
		operands[i] = formatSig(o.V, o.Unit, sig)
	}
	return operands, result
}

// roundShown is f as it reads when printed with sig significant digits.
func roundShown(f float64, unit Unit, sig int) float64 {
	scale, _ := display(f, unit)
	v, err := strconv.ParseFloat(strings.ReplaceAll(trimFloat(f*scale, sig), ",", ""), 64)
	if err != nil {
		return f
	}
	return v / scale
}

// trimFloat prints f with at most sig significant digits (never in exponent
// form for everyday magnitudes), no trailing zeros, and thousands separators
// from 10,000 on ("2,000,000 messages", but "1500 connections").
func trimFloat(f float64, sig int) string {
	a := math.Abs(f)
	if a != 0 && (a >= 1e15 || a < 1e-6) {
		return strconv.FormatFloat(f, 'g', sig, 64)
	}
	decimals := 0
	if a != 0 {
		decimals = sig - 1 - int(math.Floor(math.Log10(a)))
	}
	var s string
	if decimals < 0 {
		// Round large numbers to sig significant digits, then print integers.
		p := math.Pow(10, float64(-decimals))
		s = strconv.FormatFloat(math.Round(f/p)*p, 'f', 0, 64)
	} else {
		s = strconv.FormatFloat(f, 'f', decimals, 64)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
	}
	if s == "-0" {
		s = "0"
	}
	return groupThousands(s)
}

// groupThousands puts a comma between the groups of three digits of the
// integer part of a printed number of magnitude 10,000 or more.
func groupThousands(s string) string {
	sign, digits := "", s
	if strings.HasPrefix(s, "-") {
		sign, digits = "-", s[1:]
	}
	whole, fraction, hasFraction := strings.Cut(digits, ".")
	if len(whole) < 5 {
		return s
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if hasFraction {
		b.WriteString("." + fraction)
	}
	return b.String()
}

// Thousands prints a count with thousands separators: 1,000, 74,994.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// PromDuration prints a duration the way PromQL and people write it: "15m",
// "1h", "90s" (never "15m0s").
func PromDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}
