package tui

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// collection the model cancelled or stopped listening to, a clipboard tool
// killed at its deadline, a teatest program must all have ended.
//
// Three goroutines of the libraries are not leaks and are ignored:
//   - bubbletea's Tick command waits on its timer and cannot be cancelled:
//     the spinner, the status line's 8 s expiry and the 30 s auto-refresh
//     are timers the tests drop (the messages helper runs commands for a
//     bounded wait; a quit program leaves its timers). Each ends when its
//     timer fires; it holds nothing else.
//   - bubbletea's Program.execBatchMsg waits for the commands of a batch,
//     which after a quit are such timers: it ends with them. Its top
//     function is sync's WaitGroup.Wait, far too broad to ignore, hence
//     IgnoreAnyFunction on this one function.
//   - teatest.NewTestModel starts a goroutine waiting for SIGINT for the
//     life of the process (it never calls signal.Stop unless a SIGINT comes).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("charm.land/bubbletea/v2.Tick.func1"),
		goleak.IgnoreAnyFunction("charm.land/bubbletea/v2.(*Program).execBatchMsg"),
		goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest/v2.NewTestModel.func2"),
	)
}
