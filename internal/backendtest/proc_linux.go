//go:build linux

package backendtest

import "syscall"

// procAttr makes the kernel kill a server when the program that started it
// dies, so that a panic or a killed `go test` never leaves it running.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
