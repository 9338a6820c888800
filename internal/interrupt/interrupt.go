// Package interrupt turns SIGINT and SIGTERM into a cancelled context: the
// commands stop collecting and write what they have, marked partial, and a
// second signal quits at once.
package interrupt

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Cause is the cause of a context cancelled by a signal.
type Cause struct{ Signal syscall.Signal }

func (c Cause) Error() string {
	switch c.Signal {
	case syscall.SIGINT:
		return "interrupted (SIGINT)"
	case syscall.SIGTERM:
		return "terminated (SIGTERM)"
	}
	return "stopped by " + c.Signal.String()
}

// ExitCode is what a shell reports for a process the signal ended.
func (c Cause) ExitCode() int { return 128 + int(c.Signal) }

// OnSignal cancels the context at the first SIGINT or SIGTERM, with a Cause;
// a second one quits at once through exit. stop releases the signals.
func OnSignal(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, unwatch := watch(parent, sigs, stderr, exit)
	return ctx, func() {
		signal.Stop(sigs)
		unwatch()
	}
}

// watch is OnSignal on any channel, for tests.
func watch(parent context.Context, sigs <-chan os.Signal, stderr io.Writer, exit func(int)) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			cancel(Cause{asSyscall(s)})
			fmt.Fprintln(stderr, "scaletriage: interrupted: keeping what was collected (interrupt again to quit at once)")
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			fmt.Fprintln(stderr, "scaletriage: interrupted again: quitting without writing")
			exit(Cause{asSyscall(s)}.ExitCode())
		case <-done:
		}
	}()
	return ctx, func() {
		close(done)
		cancel(nil)
	}
}

// asSyscall reads the signal number; os.Interrupt is SIGINT everywhere.
func asSyscall(s os.Signal) syscall.Signal {
	if n, ok := s.(syscall.Signal); ok {
		return n
	}
	return syscall.SIGINT
}
