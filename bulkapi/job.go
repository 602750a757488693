package bulkapi

import (
	"strconv"
	"time"

	"github.com/rapportcrm/rapport"
)

// Job states, as Salesforce names them.
const (
	StateOpen           = "Open"
	StateUploadComplete = "UploadComplete"
	StateInProgress     = "InProgress"
	StateJobComplete    = "JobComplete"
	StateFailed         = "Failed"
	StateAborted        = "Aborted"
)

// Job kinds.
const (
	KindIngest = "ingest"
	KindQuery  = "query"
)

// Ingest operations.
const (
	OpInsert     = "insert"
	OpUpdate     = "update"
	OpUpsert     = "upsert"
	OpDelete     = "delete"
	OpHardDelete = "hardDelete"
	OpQuery      = "query"
	OpQueryAll   = "queryAll"
)

// A Job is a bulk job as it is stored: what was asked, its state, and
// what processing has learnt about its data.
type Job struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	Org        rapport.ID `json:"org"`
	User       rapport.ID `json:"user"`
	Operation  string     `json:"operation"`
	Object     string     `json:"object"`
	ExternalID string     `json:"externalIdFieldName,omitempty"`
	Query      string     `json:"query,omitempty"`
	Delimiter  string     `json:"columnDelimiter"`
	LineEnding string     `json:"lineEnding"`
	APIVersion string     `json:"apiVersion"` // "58.0"
	State      string     `json:"state"`
	Created    time.Time  `json:"created"`
	Modstamp   time.Time  `json:"modstamp"`
	Started    time.Time  `json:"started,omitzero"`
	Finished   time.Time  `json:"finished,omitzero"`
	Error      string     `json:"errorMessage,omitempty"`
	Processed  int64      `json:"processed"`
	Failed     int64      `json:"failed"`
	Retries    int        `json:"retries,omitempty"`
	// Source is "api" for jobs made over HTTP, "cli" for rapport import
	// and export.
	Source string `json:"source,omitempty"`

	// Hash identifies the local file and request of an import (rapport
	// import), by which an unfinished import is found and resumed.
	Hash     string `json:"hash,omitempty"`
	Size     int64  `json:"size,omitempty"`
	Uploaded bool   `json:"uploaded,omitempty"`
	// Header is the data's header row; Chunks split the rows after it,
	// once processing has scanned the data.
	Header []string `json:"header,omitempty"`
	Rows   int      `json:"rows,omitempty"`
	Chunks []Chunk  `json:"chunks,omitempty"`
	// Prepared is set once the data was scanned and chunks were made.
	Prepared bool `json:"prepared,omitempty"`

	// Query results: the header and, for paging, the byte offset of every
	// indexStep-th row of the stored result.
	ResultHeader []string `json:"resultHeader,omitempty"`
	ResultIndex  []int64  `json:"resultIndex,omitempty"`
	ResultSize   int64    `json:"resultSize,omitempty"`
}

// A Chunk is a run of data rows processed in one transaction: bytes
// [Offset, End) of the stored data, holding Rows rows from row First on
// (rows numbered from 0 after the header).
type Chunk struct {
	Offset int64 `json:"o"`
	End    int64 `json:"e"`
	First  int   `json:"f"`
	Rows   int   `json:"n"`
}

// Finished reports whether a job's state is final.
func Finished(state string) bool {
	return state == StateJobComplete || state == StateFailed || state == StateAborted
}

// sfTime renders a time as Salesforce's JobInfo does.
func sfTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000+0000")
}

// info renders a job's JobInfo, keys in Salesforce's order.
func (j *Job) info() object {
	v, _ := strconv.ParseFloat(j.APIVersion, 64)
	o := object{
		{"id", j.ID},
		{"operation", j.Operation},
		{"object", j.Object},
		{"createdById", string(j.User)},
		{"createdDate", sfTime(j.Created)},
		{"systemModstamp", sfTime(j.Modstamp)},
		{"state", j.State},
	}
	if j.Kind == KindIngest {
		if j.Operation == OpUpsert {
			o = append(o, member{"externalIdFieldName", j.ExternalID})
		}
		o = append(o,
			member{"concurrencyMode", "Parallel"},
			member{"contentType", "CSV"},
			member{"apiVersion", v},
			member{"contentUrl", "services/data/v" + j.APIVersion + "/jobs/ingest/" + j.ID + "/batches"},
			member{"lineEnding", j.LineEnding},
			member{"columnDelimiter", j.Delimiter},
			member{"jobType", "V2Ingest"},
			member{"numberRecordsProcessed", j.Processed},
			member{"numberRecordsFailed", j.Failed},
			member{"retries", j.Retries},
			member{"totalProcessingTime", j.processingMillis()},
			member{"apiActiveProcessingTime", j.processingMillis()},
			member{"apexProcessingTime", 0},
		)
	} else {
		o = append(o,
			member{"concurrencyMode", "Parallel"},
			member{"contentType", "CSV"},
			member{"apiVersion", v},
			member{"jobType", "V2Query"},
			member{"lineEnding", j.LineEnding},
			member{"columnDelimiter", j.Delimiter},
			member{"numberRecordsProcessed", j.Processed},
			member{"retries", j.Retries},
			member{"totalProcessingTime", j.processingMillis()},
		)
	}
	if j.State == StateFailed || j.Error != "" {
		o = append(o, member{"errorMessage", j.Error})
	}
	return o
}

// processingMillis is how long processing took, or has taken so far.
func (j *Job) processingMillis() int64 {
	if j.Started.IsZero() {
		return 0
	}
	end := j.Finished
	if end.IsZero() {
		end = time.Now()
	}
	return end.Sub(j.Started).Milliseconds()
}

// delimiters maps columnDelimiter names to their runes.
var delimiters = map[string]rune{
	"COMMA":     ',',
	"TAB":       '\t',
	"PIPE":      '|',
	"SEMICOLON": ';',
	"CARET":     '^',
	"BACKQUOTE": '`',
}

func (j *Job) comma() rune { return delimiters[j.Delimiter] }
