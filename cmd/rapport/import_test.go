package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImportResumeAndExport kills rapport import with SIGKILL halfway,
// runs the same command again, which resumes the job, and checks with
// rapport export that every good row is there once.
func TestImportResumeAndExport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads 60,000 rows")
	}
	eachBackend(t, func(t *testing.T, where []string) {
		const rows = 60000
		org := createOrg(t, where, "Import Org", "import."+filepath.Base(t.Name())+"@example.com")
		dir := t.TempDir()
		file := filepath.Join(dir, "contacts.csv")
		var data bytes.Buffer
		data.WriteString("LastName,FirstName,Email\n")
		bad := 0
		for i := range rows {
			email := fmt.Sprintf("imp%d@example.com", i)
			if i%10000 == 5 {
				email, bad = "nope", bad+1
			}
			fmt.Fprintf(&data, "Imp%06d,\"Row, %d\",%s\n", i, i, email)
		}
		if err := os.WriteFile(file, data.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		args := append([]string{"import", file, "--org", string(org.OrgID), "--object", "Contact"}, where...)

		// First run: killed once some rows are in.
		bin, err := buildBinary()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "RAPPORT_LOG_LEVEL=warn")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		progress := regexp.MustCompile(`: (\d+) of (\d+) rows`)
		sc := bufio.NewScanner(stderr)
		killed := false
		for sc.Scan() {
			if m := progress.FindStringSubmatch(sc.Text()); m != nil {
				n, _ := strconv.Atoi(m[1])
				if n > 0 && n < rows {
					cmd.Process.Signal(syscall.SIGKILL)
					killed = true
					t.Logf("killed rapport import at %q", sc.Text())
					break
				}
			}
		}
		cmd.Wait()
		if !killed {
			t.Fatal("rapport import finished before it could be killed")
		}

		// Second run: resumes, and writes the failed rows next to the file.
		start := time.Now()
		out := rapportCmd(t, nil, "", args...)
		if out.code != 0 || !strings.Contains(out.stderr, "Resuming job 750") {
			t.Fatalf("resumed import: exit %d, stderr %q", out.code, out.stderr)
		}
		want := fmt.Sprintf("%d rows, %d succeeded, %d failed.", rows, rows-bad, bad)
		if !strings.Contains(out.stdout, want) || !strings.Contains(out.stdout, filepath.Join(dir, "contacts.failed.csv")) {
			t.Errorf("summary %q, want %q and the failed file", out.stdout, want)
		}
		t.Logf("resumed in %v", time.Since(start))
		failed, err := os.ReadFile(filepath.Join(dir, "contacts.failed.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if got := readCSV(t, failed); len(got) != bad+1 || got[0][1] != "sf__Error" || !strings.HasPrefix(got[1][1], "INVALID_EMAIL_ADDRESS:") {
			t.Errorf("failed rows: %q", got)
		}

		// Export: every good row once.
		out = rapportCmd(t, nil, "", append([]string{"export", "SELECT LastName, FirstName FROM Contact WHERE LastName LIKE 'Imp%' ORDER BY LastName", "--org", string(org.OrgID)}, where...)...)
		if out.code != 0 {
			t.Fatalf("export: exit %d, %s", out.code, out.stderr)
		}
		got := readCSV(t, []byte(out.stdout))
		if len(got) != rows-bad+1 || strings.Join(got[0], ",") != "LastName,FirstName" || got[1][1] != "Row, 0" {
			t.Fatalf("export: %d rows, header %q, first %q", len(got), got[0], got[1])
		}
		seen := map[string]bool{}
		for _, r := range got[1:] {
			if seen[r[0]] {
				t.Fatalf("%s exported twice", r[0])
			}
			seen[r[0]] = true
		}
		if !strings.Contains(out.stderr, fmt.Sprintf("Exported %d rows of Contact.", rows-bad)) {
			t.Errorf("export summary: %q", out.stderr)
		}
	})
}
