package bench

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

// An inserter writes contacts into an org's Contact table and returns their
// IDs.
type inserter func(s *store, o *org, t *table, data []contact) ([]string, error)

// The ways of inserting contacts: through the record layer, and two
// hand-written baselines that write the same columns and values with no
// checks at all.
var inserters = []struct {
	name string
	fn   inserter
}{
	// record: record.Service.Create in batches of 1,000, AllOrNone false.
	{"record", insertRecord},
	// raw: a prepared one-row INSERT per contact, 1,000 rows per
	// transaction. Issue 2's baseline.
	{"raw", insertRaw},
	// rawmulti: prepared INSERTs of as many rows per statement as the
	// record layer puts in one (500), 1,000 rows per transaction: the
	// statement shape the record layer uses, without the record layer.
	{"rawmulti", insertRawMulti},
}

// BenchmarkInsertContacts inserts 170,000 contacts per op into a fresh org,
// through the record layer and through hand-written prepared INSERTs, and
// reports rows/s. Run it with -benchtime=1x.
func BenchmarkInsertContacts(b *testing.B) {
	data := contacts(contactCount)
	eachBackend(b, func(b *testing.B, s *store) {
		rates := map[string][]float64{}
		for _, in := range inserters {
			b.Run(in.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					o := newOrgWithAccounts(b, s)
					t := openTable(b, s, o)
					runtime.GC()
					b.StartTimer()
					ids, err := in.fn(s, o, t, data)
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
					if len(ids) != len(data) {
						b.Fatalf("inserted %d contacts, want %d", len(ids), len(data))
					}
					t.close()
					dropOrg(b, s, o)
					b.StartTimer()
				}
				rate := float64(b.N*len(data)) / b.Elapsed().Seconds()
				b.ReportMetric(rate, "rows/s")
				rates[in.name] = append(rates[in.name], rate)
				logRatio(b, rates, in.name, "rows/s")
			})
		}
	})
}

// insertRecord creates the contacts through the record layer, in batches of
// 1,000 maps as a client sends them.
func insertRecord(s *store, o *org, _ *table, data []contact) ([]string, error) {
	ctx := o.ctx()
	maps := make([]map[string]any, batchSize)
	for i := range maps {
		maps[i] = make(map[string]any, 16)
	}
	ids := make([]string, 0, len(data))
	for lo := 0; lo < len(data); lo += batchSize {
		batch := maps[:min(batchSize, len(data)-lo)]
		for i, m := range batch {
			data[lo+i].input(m, o.accounts)
		}
		rs, err := s.records.Create(ctx, "Contact", batch, record.WriteOptions{})
		if err != nil {
			return nil, err
		}
		for i, r := range rs {
			if r.Err != nil {
				return nil, fmt.Errorf("contact %d: %w", lo+i, r.Err)
			}
			ids = append(ids, string(r.ID))
		}
	}
	return ids, nil
}

// insertRaw runs a prepared one-row INSERT per contact, in transactions of
// 1,000 rows on the namespace's writer.
func insertRaw(s *store, o *org, t *table, data []contact) ([]string, error) {
	ctx := context.Background()
	w := t.ns.Writer
	stmt, err := w.PrepareContext(ctx, "INSERT INTO "+t.name+" ("+t.columns()+") VALUES "+t.placeholders(1))
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	gen := s.records.IDs()
	row := make([]any, len(t.fields))
	ids := make([]string, 0, len(data))
	for lo := 0; lo < len(data); lo += batchSize {
		hi := min(lo+batchSize, len(data))
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		st := tx.StmtContext(ctx, stmt)
		now := t.now()
		for i := lo; i < hi; i++ {
			id := gen.New(t.prefix)
			t.fill(row, &data[i], id, now, o.accounts)
			if _, err := st.ExecContext(ctx, row...); err != nil {
				tx.Rollback()
				return nil, fmt.Errorf("contact %d: %w", i, err)
			}
			ids = append(ids, string(id))
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// multiRows is how many rows the record layer's INSERTs carry for Contact on
// both backends (its cap; the parameter limits allow more).
const multiRows = 500

// insertRawMulti runs prepared INSERTs of multiRows rows each, in
// transactions of 1,000 rows on the namespace's writer.
func insertRawMulti(s *store, o *org, t *table, data []contact) ([]string, error) {
	ctx := context.Background()
	w := t.ns.Writer
	head := "INSERT INTO " + t.name + " (" + t.columns() + ") VALUES "
	stmt, err := w.PrepareContext(ctx, head+t.placeholders(multiRows))
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	gen := s.records.IDs()
	n := len(t.fields)
	args := make([]any, multiRows*n)
	ids := make([]string, 0, len(data))
	for lo := 0; lo < len(data); lo += batchSize {
		hi := min(lo+batchSize, len(data))
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		now := t.now()
		for clo := lo; clo < hi; clo += multiRows {
			chi := min(clo+multiRows, hi)
			rows := chi - clo
			for i := clo; i < chi; i++ {
				id := gen.New(t.prefix)
				t.fill(args[(i-clo)*n:(i-clo+1)*n], &data[i], id, now, o.accounts)
				ids = append(ids, string(id))
			}
			if rows == multiRows {
				_, err = tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, head+t.placeholders(rows), args[:rows*n]...)
			}
			if err != nil {
				tx.Rollback()
				return nil, fmt.Errorf("contacts %d-%d: %w", clo, chi-1, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// readsPerOp is how many random contacts one op of BenchmarkReadByID reads,
// so that -benchtime=1x measures something.
const readsPerOp = 20_000

// BenchmarkReadByID loads 170,000 contacts through the record layer, then
// reads random ones by ID, all fields, through the record layer and through
// a prepared SELECT of the same columns, and reports reads/s.
func BenchmarkReadByID(b *testing.B) {
	data := contacts(contactCount)
	eachBackend(b, func(b *testing.B, s *store) {
		o := newOrgWithAccounts(b, s)
		ids, err := insertRecord(s, o, nil, data)
		if err != nil {
			b.Fatal(err)
		}
		t := openTable(b, s, o)
		b.Cleanup(t.close)
		readers := []struct {
			name string
			read func(id string) error
		}{
			{"record", recordReader(s, o)},
			{"raw", rawReader(b, t)},
		}
		rates := map[string][]float64{}
		for _, rd := range readers {
			b.Run(rd.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					r := rand.New(rand.NewPCG(3, uint64(i)))
					runtime.GC()
					b.StartTimer()
					for range readsPerOp {
						if err := rd.read(ids[r.IntN(len(ids))]); err != nil {
							b.Fatal(err)
						}
					}
				}
				rate := float64(b.N*readsPerOp) / b.Elapsed().Seconds()
				b.ReportMetric(rate, "reads/s")
				rates[rd.name] = append(rates[rd.name], rate)
				logRatio(b, rates, rd.name, "reads/s")
			})
		}
	})
}

func recordReader(s *store, o *org) func(id string) error {
	ctx := o.ctx()
	return func(id string) error {
		recs, err := s.records.Get(ctx, "Contact", []string{id}, nil, false)
		if err != nil {
			return err
		}
		if recs[0] == nil {
			return fmt.Errorf("contact %s not found", id)
		}
		return nil
	}
}

func rawReader(b *testing.B, t *table) func(id string) error {
	ctx := context.Background()
	stmt, err := t.ns.Reader.PrepareContext(ctx, "SELECT "+t.columns()+" FROM "+t.name+" WHERE id = "+t.mark(1))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stmt.Close() })
	vals := make([]any, len(t.fields))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return func(id string) error {
		return stmt.QueryRowContext(ctx, id).Scan(ptrs...)
	}
}

// BenchmarkCreateOrg creates an org with all standard objects per op.
func BenchmarkCreateOrg(b *testing.B) {
	eachBackend(b, func(b *testing.B, s *store) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			newOrg(b, s)
		}
	})
}

// logRatio logs, after a baseline's last run, the record layer's median
// rate over the baseline's. Only the runs' own output is printed without
// -v, so the ratio goes there.
func logRatio(b *testing.B, rates map[string][]float64, path, unit string) {
	rec, base := rates["record"], rates[path]
	if path == "record" || len(rec) == 0 || len(base) < runs() {
		return
	}
	b.Logf("record/%s = %.3f (medians %.0f and %.0f %s over %d and %d runs)",
		path, median(rec)/median(base), median(rec), median(base), unit, len(rec), len(base))
}

// runs returns -test.count, how many times each benchmark runs.
func runs() int {
	n := 1
	if f := flag.Lookup("test.count"); f != nil {
		n, _ = strconv.Atoi(f.Value.String())
	}
	return max(n, 1)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// TestRawMatchesRecord checks that the raw paths store exactly what the
// record layer stores for the same contacts, so that the benchmarks compare
// like with like.
func TestRawMatchesRecord(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(testing.TB) *store
	}{
		{"sqlite", openSQLite},
		{"postgres", openPostgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.open(t)
			o := newOrgWithAccounts(t, s)
			tbl := openTable(t, s, o)
			defer tbl.close()
			data := contacts(1234)
			got := map[string][]map[string]any{}
			for _, in := range inserters {
				ids, err := in.fn(s, o, tbl, data)
				if err != nil {
					t.Fatalf("%s: %v", in.name, err)
				}
				recs, err := s.records.Get(o.ctx(), "Contact", ids, nil, false)
				if err != nil {
					t.Fatal(err)
				}
				for i, r := range recs {
					if r == nil {
						t.Fatalf("%s: contact %d (%s) not found", in.name, i, ids[i])
					}
					if r.ID.Prefix() != "003" {
						t.Errorf("%s: contact %d has ID %s", in.name, i, r.ID)
					}
					for _, k := range []string{"Id", "CreatedDate", "LastModifiedDate", "SystemModstamp"} {
						if r.Values[k] == nil {
							t.Errorf("%s: contact %d has no %s", in.name, i, k)
						}
						delete(r.Values, k)
					}
					got[in.name] = append(got[in.name], r.Values)
				}
			}
			want := got["record"]
			if want[0]["Name"] != data[0].FirstName+" "+data[0].LastName || want[0]["AccountId"] != rapport.ID(o.accounts[data[0].Account]) {
				t.Errorf("record: first contact is %v", want[0])
			}
			for _, in := range inserters[1:] {
				if diff := cmp.Diff(want, got[in.name]); diff != "" {
					t.Errorf("%s stores other values than the record layer (-record +%s):\n%s", in.name, in.name, diff)
				}
			}
		})
	}
}
