package tui

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// collection the model cancelled or stopped listening to, a clipboard tool
// killed at its deadline, a teatest program must all have ended.
//
// The tests' timers never fire (testConfig's neverFires), so no timer of
// the model outlives a test. One goroutine of a library is not a leak and
// is ignored: teatest.NewTestModel starts a goroutine waiting for SIGINT
// for the life of the process (it never calls signal.Stop unless a SIGINT
// comes). Nor is the clock of regexp2 (glamour's highlighter): it ticks
// until the last match's timeout has passed, then ends; a run of one test
// (go test ./tui -run TestGoldenViews -update) can end before it does.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest/v2.NewTestModel.func2"),
		goleak.IgnoreAnyFunction("github.com/dlclark/regexp2.runClock"),
	)
}
