//go:build linux

package main

import "syscall"

// scenarioProcAttr makes the kernel kill Prometheus when the test binary
// dies, so that a panic or a killed `go test` never leaves it running.
func scenarioProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
