// Command scaletriage reads a Prometheus-compatible server, names the
// bottleneck with evidence, and fills the matching scaling prompt with the
// real numbers. This package only wires flags and config to the packages
// that do the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/internal/interrupt"
	"github.com/scaletriage/scaletriage/triage/prom"
)

func main() {
	ctx, stop := interrupt.OnSignal(context.Background(), os.Stderr, os.Exit)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes are part of the CLI contract. An interrupt exits 128 + the
// signal's number, as shells report it: 130 for SIGINT, 143 for SIGTERM
// (interrupt.Cause.ExitCode).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run is main without the process: tests call it with their own streams.
// Everything a command prints goes through terminalSafe, whatever its
// origin: config, flags, file names, server answers.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out, errOut := &terminalSafe{w: stdout}, &terminalSafe{w: stderr}
	defer out.Flush()
	defer errOut.Flush()
	var cmdOut io.Writer = out
	if isCompletionRequest(args) {
		cmdOut = stdout
	}
	root := newRootCommand(cmdOut, errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var sig interrupt.Cause
	if errors.As(context.Cause(ctx), &sig) {
		// The commands that collect have already written what they had,
		// marked partial; "context canceled" would only hide that.
		if err != nil && !isCancellation(err) {
			fmt.Fprintln(errOut, "scaletriage:", err)
		}
		fmt.Fprintln(errOut, "scaletriage:", sig)
		return sig.ExitCode()
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(errOut, "scaletriage:", err)
	var ue app.UsageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitError
}

// isCancellation reports whether err only says that the context was
// cancelled (directly, or as a query's classified error).
func isCancellation(err error) bool {
	var e *prom.Error
	return errors.Is(err, context.Canceled) || (errors.As(err, &e) && e.Class == prom.ClassCanceled)
}
