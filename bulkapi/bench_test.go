package bulkapi_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/bulkapi"
	"github.com/rapportcrm/rapport/metadata"
)

// benchRows is the size of the load: the conference's 170,000 visitors.
const benchRows = 170000

// benchCSV generates the contacts: about 150 bytes a row in six columns.
func benchCSV(n int) ([]byte, [][]string) {
	header := []string{"FirstName", "LastName", "Email", "Phone", "Title", "Description"}
	titles := []string{"Chief Executive Officer", "VP Sales", "Account Executive", "Marketing Manager", "Event Coordinator"}
	var b bytes.Buffer
	b.WriteString(strings.Join(header, ",") + "\n")
	rows := make([][]string, n)
	for i := range n {
		r := []string{
			"Visitor" + strconv.Itoa(i%977), "Attendee" + strconv.Itoa(i),
			fmt.Sprintf("visitor%d@conference.example", i), fmt.Sprintf("+1 415 555 %04d", i%10000),
			titles[i%len(titles)], fmt.Sprintf("Registered for day %d track %d badge %08d", i%3+1, i%12, i),
		}
		rows[i] = r
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.Bytes(), rows
}

// peakRSS reads the process's peak resident set (VmHWM) in bytes; reset
// starts a new peak.
func peakRSS(reset bool) int64 {
	if reset {
		os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
		return 0
	}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// BenchmarkIngest170k loads 170,000 contacts from a CSV upload to
// JobComplete through the Bulk API, and the same rows with prepared
// one-row INSERTs (1,000 rows a transaction) into the same database, and
// reports both rates, their ratio and the peak RSS during the job. Run it
// with -bench Ingest170k -benchtime=1x.
func BenchmarkIngest170k(b *testing.B) {
	n := benchRows
	if s := os.Getenv("RAPPORT_BENCH_ROWS"); s != "" {
		n, _ = strconv.Atoi(s) // a smaller load, for profiling
	}
	data, rows := benchCSV(n)
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			var rawRate, bulkRate float64
			var peak int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				h := newBenchHarness(b, be)
				raw := newEnv(b, h.db)
				runtime.GC()
				start := time.Now()
				rawInsert(b, h, raw, rows)
				rawRate = float64(len(rows)) / time.Since(start).Seconds()

				runtime.GC()
				peakRSS(true)
				start = time.Now()
				b.StartTimer()
				id := h.createIngest(map[string]any{"object": "Contact", "operation": "insert"})
				h.upload(id, string(data))
				h.close("ingest", id)
				info := h.wait("ingest", id)
				b.StopTimer()
				bulkRate = float64(len(rows)) / time.Since(start).Seconds()
				peak = peakRSS(false)
				if info["state"] != "JobComplete" || num(info["numberRecordsProcessed"]) != len(rows) || num(info["numberRecordsFailed"]) != 0 {
					b.Fatalf("job: %v", info)
				}
			}
			b.ReportMetric(bulkRate, "rows/s")
			b.ReportMetric(rawRate, "raw-rows/s")
			b.ReportMetric(bulkRate/rawRate, "ratio")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.Logf("%s: bulk %.0f rows/s, raw %.0f rows/s, ratio %.2f, peak RSS %.0f MiB", be.name, bulkRate, rawRate, bulkRate/rawRate, float64(peak)/(1<<20))
		})
	}
}

// rawInsert writes rows into env's org's Contact table with a prepared
// one-row INSERT of every stored column, 1,000 rows a transaction: the
// values the record layer would store, with no checks.
func rawInsert(b *testing.B, h *harness, env *env, rows [][]string) {
	ctx := context.Background()
	sch, err := env.Records.Schema(ctx, env.Org.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	obj := sch.Object("Contact")
	be := h.db.Backend()
	ns, err := be.OpenNamespace(ctx, env.Org.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	if ns.Close != nil {
		defer ns.Close()
	}
	var fields []*metadata.Field
	var cols, marks []string
	for _, f := range obj.LiveFields() {
		if f.Stored() {
			fields = append(fields, f)
			cols = append(cols, `"`+f.Column+`"`)
			marks = append(marks, be.Placeholder(len(marks)+1))
		}
	}
	q := "INSERT INTO " + ns.Prefix + `"` + obj.Table + `" (` + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
	header := []string{"FirstName", "LastName", "Email", "Phone", "Title", "Description"}
	ids := rapport.NewIDGenerator(time.Now)
	now := time.Now().UTC().Truncate(time.Millisecond)
	args := make([]any, len(fields))
	for lo := 0; lo < len(rows); lo += 1000 {
		tx, err := ns.Writer.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows[lo:min(lo+1000, len(rows))] {
			for i, f := range fields {
				var v any
				switch f.Name {
				case "Id":
					v = ids.New("003")
				case "OwnerId", "CreatedById", "LastModifiedById":
					v = env.Org.UserID
				case "CreatedDate", "LastModifiedDate", "SystemModstamp":
					v = now
				case "Name":
					v = r[0] + " " + r[1]
				default:
					for k, name := range header {
						if name == f.Name {
							v = r[k]
						}
					}
					if v == nil && f.Type == metadata.TypeCheckbox {
						v = false
					}
				}
				args[i] = be.Encode(f.Type.Storage(), v)
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				b.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// newBenchHarness is a harness with the service's default chunk size.
func newBenchHarness(b *testing.B, be backend) *harness {
	opt := bulkapi.Options{}
	if os.Getenv("RAPPORT_BENCH_LOG") != "" {
		opt.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	h := newHarness(b, be, opt)
	h.patience = 30 * time.Minute
	return h
}
