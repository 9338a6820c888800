//go:build race

package tui

// raceEnabled: the race detector slows code 5-10x; timing budgets allow it.
const raceEnabled = true
