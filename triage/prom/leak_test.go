package prom

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// query abandoned at its deadline, a retry timer, a collection cut short by
// its budget or a fake server's handler must all have ended (bad input 19:
// a hanging or trickling server leaks nothing).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
