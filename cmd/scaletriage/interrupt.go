package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interrupted is the cause of a context cancelled by a signal.
type interrupted struct{ sig syscall.Signal }

func (i interrupted) Error() string {
	switch i.sig {
	case syscall.SIGINT:
		return "interrupted (SIGINT)"
	case syscall.SIGTERM:
		return "terminated (SIGTERM)"
	}
	return "stopped by " + i.sig.String()
}

// exitCode is what a shell reports for a process the signal ended.
func (i interrupted) exitCode() int { return 128 + int(i.sig) }

// cancelOnSignal cancels the context at the first SIGINT or SIGTERM, so that
// the commands stop collecting and write what they have, marked partial;
// a second one quits at once through exit. stop releases the signals.
func cancelOnSignal(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, unwatch := watchSignals(parent, sigs, stderr, exit)
	return ctx, func() {
		signal.Stop(sigs)
		unwatch()
	}
}

// watchSignals is cancelOnSignal on any channel, for tests.
func watchSignals(parent context.Context, sigs <-chan os.Signal, stderr io.Writer, exit func(int)) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			cancel(interrupted{asSyscall(s)})
			fmt.Fprintln(stderr, "scaletriage: interrupted: keeping what was collected (interrupt again to quit at once)")
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			fmt.Fprintln(stderr, "scaletriage: interrupted again: quitting without writing")
			exit(interrupted{asSyscall(s)}.exitCode())
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
