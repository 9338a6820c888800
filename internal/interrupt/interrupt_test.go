package interrupt

import (
	"context"
	"io"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestSecondInterruptQuitsAtOnce(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	exited := make(chan int, 1)
	ctx, stop := watch(context.Background(), sigs, io.Discard, func(code int) { exited <- code })
	defer stop()
	sigs <- os.Interrupt
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first interrupt did not cancel")
	}
	if cause := context.Cause(ctx); cause != (Cause{syscall.SIGINT}) {
		t.Errorf("cause %v", cause)
	}
	select {
	case code := <-exited:
		t.Fatalf("exited (%d) at the first interrupt", code)
	default:
	}
	sigs <- os.Interrupt
	select {
	case code := <-exited:
		if code != 130 {
			t.Errorf("exit %d, want 130", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second interrupt did not quit")
	}
}
