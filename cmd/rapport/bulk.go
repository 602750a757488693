package main

import (
	"context"
	"path/filepath"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/bulkapi"
	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/restapi"
	"github.com/rapportcrm/rapport/security"
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
	svc := bulkapi.New(st.db, blobs, st.records, st.db, st.queries, runner, bulkapi.Options{ErrorCode: restapi.ErrorCode, Logger: a.log,
		// Hard delete bypasses the recycle bin: it takes the Bulk API Hard
		// Delete permission, as in Salesforce.
		CanHardDelete: func(ctx context.Context, p rapport.Principal) (bool, error) {
			pol, err := st.records.Policy(rapport.WithPrincipal(ctx, p))
			if err != nil {
				return false, err
			}
			return pol == nil || pol.Has(security.BulkAPIHardDelete), nil
		}})
	svc.Register(runner)
	return svc, runner
}
