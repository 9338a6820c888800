package app

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/internal/configtest"
)

func TestConfigPermissionWarnings(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix mode bits")
	}
	const (
		password = "basic_auth: {username: ops, password: hunter2}\n"
		token    = "authorization: {credentials: s3cret}\n"
		oauth    = "oauth2: {client_id: a, client_secret: s3cret, token_url: 'https://idp.example/token'}\n"
		inURL    = "prometheus_url: https://ops:hunter2@prom.example\n"
		fileOnly = "authorization: {credentials_file: token}\n"
	)
	tests := []struct {
		body string
		mode os.FileMode
		want []string // nil: no warning
	}{
		{password, 0o644, []string{"(mode 0644) holds a basic_auth password and other users can read it"}},
		{token, 0o640, []string{"(mode 0640) holds authorization credentials"}},
		{oauth, 0o604, []string{"an oauth2 client_secret"}},
		{inURL, 0o644, []string{"a password in prometheus_url"}},
		{password, 0o600, nil},
		{fileOnly, 0o644, nil},
		{fileOnly, 0o664, []string{"(mode 0664) is writable by other users"}},
		{password, 0o666, []string{"is writable by other users", "holds a basic_auth password"}},
	}
	for _, tt := range tests {
		path := configtest.Write(t, tt.body, tt.mode)
		var warnings bytes.Buffer
		if _, err := loadConfig(path, &warnings); err != nil {
			t.Fatalf("%q: %v", tt.body, err)
		}
		got := warnings.String()
		if tt.want == nil && got != "" {
			t.Errorf("%q mode %04o: unexpected warning %q", tt.body, tt.mode, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) || !strings.Contains(got, path) {
				t.Errorf("%q mode %04o: warnings %q, want %q naming the file", tt.body, tt.mode, got, w)
			}
		}
		if strings.Contains(got, "hunter2") || strings.Contains(got, "s3cret") {
			t.Errorf("a warning prints the secret: %q", got)
		}
	}
}
