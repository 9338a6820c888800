package triage

import "math"

// Value is a number that may be absent. Absent ("no data") is never 0, and a
// NaN or infinite value is kept as such so that it can be reported, not used.
type Value struct {
	V     float64
	Known bool
}

// Of wraps a known number.
func Of(v float64) Value { return Value{V: v, Known: true} }

// None is the absent value.
var None = Value{}

// Usable reports whether the value is a finite number a rule may compute with.
func (v Value) Usable() bool { return v.Known && !math.IsNaN(v.V) && !math.IsInf(v.V, 0) }

// Float returns the value if usable.
func (v Value) Float() (float64, bool) { return v.V, v.Usable() }

// Unit names what a signal measures; Format uses it to print numbers a human
// reads at a glance, always with the unit.
type Unit string

const (
	UnitRatio       Unit = "ratio"
	UnitSeconds     Unit = "seconds"
	UnitRPS         Unit = "requests/s"
	UnitOpsPerSec   Unit = "ops/s"
	UnitPerSec      Unit = "/s"
	UnitClients     Unit = "clients"
	UnitConnections Unit = "connections"
	UnitCores       Unit = "cores"
	UnitInstances   Unit = "instances"
	UnitBytes       Unit = "bytes"
	UnitMessages    Unit = "messages"
	UnitKills       Unit = "kills"
	// UnitBusyConnections is time spent per second: seconds of query time
	// per second are the connections busy running queries on average.
	UnitBusyConnections Unit = "busy connections"
)

// singular names the counted units for a count of exactly one.
var singular = map[Unit]string{
	UnitClients: "client", UnitConnections: "connection", UnitCores: "core",
	UnitInstances: "instance", UnitMessages: "message", UnitKills: "kill",
}
