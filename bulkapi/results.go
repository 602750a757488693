package bulkapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

// Which result file of an ingest job.
const (
	Successful  = "successfulResults"
	FailedRows  = "failedResults"
	Unprocessed = "unprocessedrecords"
)

// WriteResults writes one of an ingest job's result files as CSV:
// successfulResults ("sf__Id","sf__Created", then the input columns),
// failedResults ("sf__Id","sf__Error", then the input columns) or
// unprocessedrecords (the input columns of rows no chunk wrote). A job
// still running gives the results of the chunks written so far.
func (s *Service) WriteResults(ctx context.Context, id, which string, w io.Writer) error {
	j, err := s.Job(ctx, KindIngest, id)
	if err != nil {
		return err
	}
	out := &quoteAll{w: w, comma: byte(j.comma()), eol: "\n"}
	var head []string
	switch which {
	case Successful:
		head = append([]string{"sf__Id", "sf__Created"}, j.Header...)
	case FailedRows:
		head = append([]string{"sf__Id", "sf__Error"}, j.Header...)
	case Unprocessed:
		head = j.Header
	default:
		return jobNotFound()
	}
	if !j.Prepared {
		if which == Unprocessed && j.Uploaded && (j.State == StateAborted || j.State == StateFailed) {
			return s.copyData(ctx, j, w)
		}
		if len(head) > 0 {
			return out.write(head...)
		}
		return nil
	}
	if err := out.write(head...); err != nil {
		return err
	}
	b, err := s.blobs.Open(ctx, j.ID, "data.csv")
	if err != nil {
		return err
	}
	defer b.Close()
	done := make([]bool, len(j.Chunks))
	err = s.org.Read(ctx, j.Org, func(r record.Reader) error {
		ct, ok := r.(chunkTx)
		if !ok {
			return errors.New("bulkapi: the store keeps no chunk results")
		}
		return ct.BulkChunks(ctx, j.ID, func(c int, results []byte) error {
			if c >= len(done) {
				return nil
			}
			done[c] = true
			if which == Unprocessed {
				return nil
			}
			rows, err := s.readChunk(ctx, j, b, j.Chunks[c])
			if err != nil {
				return err
			}
			rr := csv.NewReader(bytes.NewReader(results))
			rr.FieldsPerRecord = 3
			for _, in := range rows {
				res, err := rr.Read()
				if err != nil {
					return err
				}
				var line []string
				switch {
				case which == Successful && res[0] == resCreated:
					line = append([]string{res[1], "true"}, in...)
				case which == Successful && res[0] == resUpdated:
					line = append([]string{res[1], "false"}, in...)
				case which == FailedRows && res[0] == resFailed:
					line = append([]string{res[1], res[2]}, in...)
				default:
					continue
				}
				if err := out.write(line...); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil || which != Unprocessed {
		return err
	}
	for c, ok := range done {
		if ok {
			continue
		}
		rows, err := s.readChunk(ctx, j, b, j.Chunks[c])
		if err != nil {
			return err
		}
		for _, in := range rows {
			if err := out.write(in...); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyData writes the job's data as uploaded.
func (s *Service) copyData(ctx context.Context, j *Job, w io.Writer) error {
	b, err := s.blobs.Open(ctx, j.ID, "data.csv")
	if rapport.ErrorCode(err) == rapport.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	defer b.Close()
	_, err = io.Copy(w, io.NewSectionReader(b, 0, b.Size()))
	return err
}
