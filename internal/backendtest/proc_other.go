//go:build !linux

package backendtest

import "syscall"

// procAttr: only Linux has a parent-death signal; elsewhere the test
// cleanup (or the caller's Stop) alone stops a server.
func procAttr() *syscall.SysProcAttr { return nil }
