package backendtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// readyLimit is how long a server may take to answer its readiness probe.
const readyLimit = 15 * time.Second

// Process is a server running on loopback.
type Process struct {
	URL    string // its base URL, e.g. http://127.0.0.1:39123
	cancel context.CancelFunc
	exited chan struct{}
	once   sync.Once
	logs   *syncBuffer
}

// Start runs bin with args and returns once url+readyPath answers 200
// (within 15 s). Its
// output is kept (Logs); on failure the process is stopped and the error
// carries its output. The process gets SIGKILL if the calling program
// dies (Linux).
func Start(bin string, args []string, url, readyPath string) (*Process, error) {
	return start(bin, args, url, readyPath, readyLimit)
}

func start(bin string, args []string, url, readyPath string, limit time.Duration) (*Process, error) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Process{URL: url, cancel: cancel, exited: make(chan struct{}), logs: &syncBuffer{}}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	// Dies with the test binary even if it panics or is killed (Linux).
	cmd.SysProcAttr = procAttr()
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("start %s: %v", filepath.Base(bin), err)
	}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()
	if err := waitReady(url+readyPath, p.exited, limit); err != nil {
		p.Stop()
		return nil, fmt.Errorf("%s: %v\n%s", filepath.Base(bin), err, p.logs.String())
	}
	return p, nil
}

// Stop kills the process (SIGKILL) and waits for it; it is idempotent.
func (p *Process) Stop() {
	p.once.Do(func() {
		p.cancel()
		<-p.exited
	})
}

// Logs is what the process wrote to stdout and stderr so far.
func (p *Process) Logs() string { return p.logs.String() }

// StartDaemon runs a server on loopback until the test ends and waits for
// readyPath to answer 200; it fails the test with the server's output
// otherwise. The returned stop kills it earlier (an outage); it is
// idempotent.
func StartDaemon(tb TB, bin string, args []string, url, readyPath string) (stop func()) {
	tb.Helper()
	p, err := Start(bin, args, url, readyPath)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Stop)
	return p.Stop
}

// FreePort is a TCP port free on 127.0.0.1 a moment ago.
func FreePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

// Port is FreePort for a test: it fails the test when no port is free.
func Port(tb TB) string {
	tb.Helper()
	port, err := FreePort()
	if err != nil {
		tb.Fatal(err)
	}
	return port
}

// syncBuffer is a bytes.Buffer the daemon's output goroutines and the test
// can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitReady polls the readiness URL until it answers 200, the server exits,
// or the deadline passes.
func waitReady(probe string, exited <-chan struct{}, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("exited before ready")
		default:
		}
		resp, err := client.Get(probe)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s", limit)
}
