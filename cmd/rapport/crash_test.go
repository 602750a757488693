package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the rapport command once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "rapport-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "rapport")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// child is a rapport serve running as a child process.
type child struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
}

func startServe(t *testing.T, where []string) *child {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, where...)...)
	cmd.Env = append(os.Environ(), "RAPPORT_LOG_LEVEL=warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Rapport is listening on "); ok {
				lines <- u
			}
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case u, ok := <-lines:
		if !ok {
			t.Fatalf("serve exited: %s", c.stderr)
		}
		c.url = u
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start: %s", c.stderr)
	}
	return c
}

// client is an authenticated HTTP client of a server.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path, ctype string, body io.Reader) (int, http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func (c *client) json(method, path string, in any, out any) int {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	status, _, b := c.do(method, path, "application/json", body)
	if out != nil && status < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	if status >= 300 {
		c.t.Logf("%s %s: %d %s", method, path, status, b)
	}
	return status
}

func login(t *testing.T, base, username string) *client {
	t.Helper()
	c := &client{t: t, base: base}
	form := url.Values{"grant_type": {"password"}, "client_id": {"PlatformCLI"}, "username": {username}, "password": {"correct horse 9"}}
	status, _, b := c.do("POST", "/services/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if status != 200 || json.Unmarshal(b, &tok) != nil {
		t.Fatalf("login: %d %s", status, b)
	}
	c.token = tok.AccessToken
	return c
}

type jobInfo struct {
	ID        string `json:"id"`
	State     string `json:"state"`
	Processed int    `json:"numberRecordsProcessed"`
	Failed    int    `json:"numberRecordsFailed"`
	Error     string `json:"errorMessage"`
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	return rows
}

// TestCrashDuringIngest kills the server with SIGKILL while a
// 100,000-row ingest job runs, starts it again, and checks that the job
// finishes with every input row exactly once in its results and no
// record written twice or lost.
func TestCrashDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads 100,000 rows")
	}
	eachBackend(t, func(t *testing.T, where []string) {
		const rows = 100000
		org := createOrg(t, where, "Crash Org", "crash."+strings.ReplaceAll(t.Name(), "/", ".")+"@example.com")
		srv := startServe(t, where)
		c := login(t, srv.url, org.Username)

		var data bytes.Buffer
		data.WriteString("LastName,FirstName,Email\n")
		wantFailed := 0
		for i := range rows {
			email := fmt.Sprintf("crash%d@example.com", i)
			if i%1000 == 999 {
				email, wantFailed = "not-an-email", wantFailed+1
			}
			fmt.Fprintf(&data, "Crash%06d,Row,%s\n", i, email)
		}
		var job jobInfo
		if c.json("POST", "/services/data/v60.0/jobs/ingest", map[string]string{"object": "Contact", "operation": "insert"}, &job) != 200 {
			t.Fatal("create job")
		}
		if status, _, b := c.do("PUT", "/services/data/v60.0/jobs/ingest/"+job.ID+"/batches", "text/csv", bytes.NewReader(data.Bytes())); status != 201 {
			t.Fatalf("upload: %d %s", status, b)
		}
		if c.json("PATCH", "/services/data/v60.0/jobs/ingest/"+job.ID, map[string]string{"state": "UploadComplete"}, &job) != 200 {
			t.Fatal("close job")
		}

		// Kill it once some chunks are in.
		deadline := time.Now().Add(3 * time.Minute)
		began := time.Now()
		for {
			c.json("GET", "/services/data/v60.0/jobs/ingest/"+job.ID, nil, &job)
			if job.Processed >= 15000 || Finished(job.State) || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if job.State != "InProgress" || job.Processed >= rows {
			t.Fatalf("the job was not running when the server was to be killed: %+v", job)
		}
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		srv.cmd.Wait()
		t.Logf("killed with %d of %d rows processed after %v", job.Processed, rows, time.Since(began))

		srv = startServe(t, where)
		c.base = srv.url
		deadline = time.Now().Add(60 * time.Second)
		for {
			c.json("GET", "/services/data/v60.0/jobs/ingest/"+job.ID, nil, &job)
			if Finished(job.State) || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if job.State != "JobComplete" || job.Processed != rows || job.Failed != wantFailed {
			srv.cmd.Process.Signal(syscall.SIGQUIT)
			srv.cmd.Wait()
			t.Fatalf("after restart: %+v, want JobComplete with %d processed, %d failed; server log:\n%s", job, rows, wantFailed, srv.stderr)
		}

		// Every input row exactly once in the results.
		seen := make(map[string]int, rows)
		for _, which := range []string{"successfulResults", "failedResults"} {
			status, _, b := c.do("GET", "/services/data/v60.0/jobs/ingest/"+job.ID+"/"+which, "", nil)
			if status != 200 {
				t.Fatalf("%s: %d", which, status)
			}
			for _, r := range readCSV(t, b)[1:] {
				seen[r[2]]++
			}
		}
		for i := range rows {
			name := fmt.Sprintf("Crash%06d", i)
			if seen[name] != 1 {
				t.Fatalf("row %s is %d times in the results", name, seen[name])
			}
		}
		if len(seen) != rows {
			t.Fatalf("results hold %d distinct rows, want %d", len(seen), rows)
		}

		// No record twice, none lost: export them with a query job.
		var q jobInfo
		if c.json("POST", "/services/data/v60.0/jobs/query", map[string]string{"operation": "query", "query": "SELECT LastName FROM Contact WHERE LastName LIKE 'Crash%'"}, &q) != 200 {
			t.Fatal("create query job")
		}
		for !Finished(q.State) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			c.json("GET", "/services/data/v60.0/jobs/query/"+q.ID, nil, &q)
		}
		status, hdr, b := c.do("GET", "/services/data/v60.0/jobs/query/"+q.ID+"/results", "", nil)
		if status != 200 || hdr.Get("Sforce-Locator") != "null" {
			t.Fatalf("query results: %d %v", status, hdr)
		}
		stored := map[string]int{}
		for _, r := range readCSV(t, b)[1:] {
			stored[r[0]]++
		}
		if len(stored) != rows-wantFailed {
			t.Errorf("%d distinct contacts stored, want %d", len(stored), rows-wantFailed)
		}
		for name, n := range stored {
			if n != 1 {
				t.Errorf("contact %s stored %d times", name, n)
			}
		}
		srv.cmd.Process.Signal(syscall.SIGINT)
		srv.cmd.Wait()
	})
}

// Finished reports whether a bulk job's state is final.
func Finished(state string) bool {
	return state == "JobComplete" || state == "Failed" || state == "Aborted"
}
