package backendtest

import (
	"os/exec"
	"strings"
	"testing"
)

func TestOpenMetricsToPromTextKeepsExactMilliseconds(t *testing.T) {
	om := "# TYPE x counter\nx_total{a=\"b\"} 1 1795720000\nx_total{a=\"b\"} 2 1795720030\n# EOF\n"
	text, l, err := OpenMetricsToPromText([]byte(om))
	if err != nil {
		t.Fatal(err)
	}
	if want := "x_total{a=\"b\"} 1 1795720000000\nx_total{a=\"b\"} 2 1795720030000\n"; string(text) != want {
		t.Errorf("text %q, want %q", text, want)
	}
	if l != (Loaded{Samples: 2, From: 1795720000, To: 1795720030}) {
		t.Errorf("loaded %+v", l)
	}
	if _, _, err := OpenMetricsToPromText([]byte("x\n")); err == nil {
		t.Error("a sample without a timestamp is accepted")
	}
}

func TestStartFailsWhenTheServerExits(t *testing.T) {
	bin, err := exec.LookPath("false")
	if err != nil {
		t.Skip(err)
	}
	p, err := Start(bin, nil, "http://127.0.0.1:"+Port(t), "/-/ready")
	if err == nil || !strings.Contains(err.Error(), "exited before ready") {
		t.Errorf("Start of a process that exits: %v, %v", p, err)
	}
}

func TestRootHoldsGoMod(t *testing.T) {
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.Command("test", "-x", root+"/scripts/backends.sh").Output(); err != nil {
		t.Errorf("%s/scripts/backends.sh: %v", root, err)
	}
}
