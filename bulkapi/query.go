package bulkapi

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
)

// indexStep is how many result rows lie between two entries of a query
// job's row index.
const indexStep = 1000

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// runQuery runs a query job as its user and stores the result as CSV,
// with an index of row offsets for paging.
func (s *Service) runQuery(ctx context.Context, t *jobs.Task) error {
	id := string(t.Args)
	j, err := s.update(ctx, id, func(j *Job) (bool, error) {
		if j.State != StateUploadComplete && j.State != StateInProgress {
			return false, nil
		}
		if j.State == StateInProgress {
			j.Retries++
		}
		j.State, j.Started = StateInProgress, s.now()
		return true, nil
	})
	if rapport.ErrorCode(err) == rapport.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if j.State != StateInProgress {
		return nil
	}
	rows, index, size, err := s.storeResult(ctx, j)
	if err != nil {
		var re *rapport.Error
		if errors.As(err, &re) {
			return s.fail(ctx, id, re.Message)
		}
		if ctx.Err() != nil || !lastAttempt(t) {
			return err
		}
		return s.fail(ctx, id, "InternalServerError : "+err.Error())
	}
	_, err = s.update(ctx, id, func(j *Job) (bool, error) {
		if j.State != StateInProgress {
			return false, nil
		}
		j.State, j.Processed, j.ResultIndex, j.ResultSize, j.Finished = StateJobComplete, int64(rows), index, size, s.now()
		return true, nil
	})
	return err
}

func (s *Service) storeResult(ctx context.Context, j *Job) (rows int, index []int64, size int64, err error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := s.blobs.Put(ctx, j.ID, "result.csv", pr, 1<<40)
		pr.CloseWithError(err)
		done <- err
	}()
	cw := &countWriter{w: pw}
	eol := "\n"
	if j.LineEnding == "CRLF" {
		eol = "\r\n"
	}
	out := &quoteAll{w: cw, comma: byte(j.comma()), eol: eol}
	werr := func() error {
		uctx := asUser(ctx, j)
		res, err := s.query.Run(uctx, j.Query, query.Options{All: j.Operation == OpQueryAll, BatchSize: query.MaxBatchSize})
		if err != nil {
			return err
		}
		pos := make(map[string]int, len(j.ResultHeader))
		for i, h := range j.ResultHeader {
			pos[h] = i
		}
		values := make([]string, len(j.ResultHeader))
		null := make([]bool, len(j.ResultHeader))
		for {
			for _, rec := range res.Records {
				if rows%indexStep == 0 {
					index = append(index, cw.n)
				}
				for i := range null {
					values[i], null[i] = "", true
				}
				flatten("", rec, pos, values, null)
				if err := out.writeNullable(values, null); err != nil {
					return err
				}
				rows++
			}
			if res.Done {
				return nil
			}
			if res, err = s.query.More(uctx, res.Locator); err != nil {
				return err
			}
		}
	}()
	pw.CloseWithError(werr)
	perr := <-done
	if werr != nil {
		return 0, nil, 0, werr
	}
	if perr != nil {
		return 0, nil, 0, perr
	}
	return rows, index, cw.n, nil
}

// flatten puts a record's values at their header positions.
func flatten(prefix string, rec *query.Record, pos map[string]int, values []string, null []bool) {
	for _, v := range rec.Fields {
		name := prefix + v.Name
		switch x := v.Value.(type) {
		case *query.Record:
			if x != nil {
				flatten(name+".", x, pos, values, null)
			}
			continue
		case *query.Result:
			continue
		}
		i, ok := pos[name]
		if !ok || v.Value == nil {
			continue
		}
		values[i], null[i] = record.FormatValue(v.Value), false
	}
}

// A QueryPage is one page of a query job's results.
type QueryPage struct {
	// Header is the header row, which every page repeats.
	Header []string
	// Records counts the page's rows.
	Records int
	// Locator names the next page; "null" on the last.
	Locator string
	// Body holds the page's rows, as CSV; Close releases it.
	Body  io.Reader
	Close func() error
	job   *Job
}

// WriteHeader writes the page's header row.
func (p *QueryPage) WriteHeader(w io.Writer) error {
	eol := "\n"
	if p.job.LineEnding == "CRLF" {
		eol = "\r\n"
	}
	return (&quoteAll{w: w, comma: byte(p.job.comma()), eol: eol}).write(p.Header...)
}

func encodeLocator(row int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(row)))
}

func decodeLocator(s string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(string(raw))
	return n, err == nil && n >= 0
}

// Page returns the page of a query job's results from locator on ("" for
// the first), at most maxRecords rows (0: all that remain).
func (s *Service) Page(ctx context.Context, id, locator string, maxRecords int) (*QueryPage, error) {
	j, err := s.Job(ctx, KindQuery, id)
	if err != nil {
		return nil, err
	}
	if j.State != StateJobComplete {
		return nil, wrongState(j, "Getting the results")
	}
	start := 0
	if locator != "" && locator != "null" {
		n, ok := decodeLocator(locator)
		if !ok || n > int(j.Processed) {
			return nil, rapport.Errorf(rapport.InvalidQueryLocator, "invalid query locator: %s", locator)
		}
		start = n
	}
	b, err := s.blobs.Open(ctx, j.ID, "result.csv")
	if err != nil {
		return nil, err
	}
	total := int(j.Processed)
	from, err := s.rowOffset(j, b, start)
	if err != nil {
		b.Close()
		return nil, err
	}
	end, count := b.Size(), total-start
	if maxRecords > 0 && start+maxRecords < total {
		count = maxRecords
		if end, err = s.rowOffset(j, b, start+maxRecords); err != nil {
			b.Close()
			return nil, err
		}
	}
	p := &QueryPage{Header: j.ResultHeader, Records: count, Locator: "null", Body: io.NewSectionReader(b, from, end-from), Close: b.Close, job: j}
	if start+count < total {
		p.Locator = encodeLocator(start + count)
	}
	return p, nil
}

// rowOffset finds where row n starts in a stored result.
func (s *Service) rowOffset(j *Job, b Blob, n int) (int64, error) {
	if n >= int(j.Processed) {
		return b.Size(), nil
	}
	k := n / indexStep
	if k >= len(j.ResultIndex) {
		return 0, fmt.Errorf("bulkapi: query job %s: no index entry for row %d", j.ID, n)
	}
	base := j.ResultIndex[k]
	cr := j.csvReader(io.NewSectionReader(b, base, b.Size()-base))
	for i := k * indexStep; i < n; i++ {
		if _, err := cr.Read(); err != nil {
			return 0, fmt.Errorf("bulkapi: query job %s: row %d: %w", j.ID, i, err)
		}
	}
	return base + cr.InputOffset(), nil
}
