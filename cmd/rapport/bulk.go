package main

import (
	"path/filepath"

	"github.com/rapportcrm/rapport/bulkapi"
	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/restapi"
)

// bulkLease is how long a bulk task's claim lasts without a heartbeat: a
// job a crashed process was running resumes this long after the crash.
const bulkLease = 15 // seconds

// bulk builds the store's Bulk API service and the runner that works its
// tasks (and any other queued work) in this process. The data of ingest
// jobs and the results of query jobs live under DATA/bulk on SQLite and
// in the system database on PostgreSQL.
func (a *app) bulk(st *store, loc location, opt jobs.Options) (*bulkapi.Service, *jobs.Runner) {
	var blobs bulkapi.Blobs = bulkapi.SQLBlobs{DB: st.db}
	if loc.database == "" {
		blobs = bulkapi.DirBlobs{Dir: filepath.Join(loc.data, "bulk")}
	}
	if opt.Logger == nil {
		opt.Logger = a.log
	}
	runner := jobs.NewRunner(st.db, opt)
	svc := bulkapi.New(st.db, blobs, st.records, st.db, st.queries, runner, bulkapi.Options{ErrorCode: restapi.ErrorCode, Logger: a.log})
	svc.Register(runner)
	return svc, runner
}
