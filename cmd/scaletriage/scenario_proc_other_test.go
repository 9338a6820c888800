//go:build !linux

package main

import "syscall"

// scenarioProcAttr: only Linux has a parent-death signal; elsewhere the
// test cleanup alone stops Prometheus.
func scenarioProcAttr() *syscall.SysProcAttr { return nil }
