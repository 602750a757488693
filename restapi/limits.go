package restapi

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/tenant"
)

// usage counts each org's API requests per UTC day. Counts are kept in
// memory and added to the system database at most once a second or every
// flushEvery requests (and on every request near the limit), so that
// processes sharing a database share the count without a write per request.
type usage struct {
	dir tenant.Directory
	max int64
	now func() time.Time

	mu   sync.Mutex
	orgs map[rapport.ID]*orgUsage
}

type orgUsage struct {
	mu      sync.Mutex
	day     string
	stored  int64 // the count last read from the database
	pending int64 // requests not yet added to it
	flushed time.Time
}

const flushEvery = 25

func newUsage(dir tenant.Directory, max int64, now func() time.Time) *usage {
	return &usage{dir: dir, max: max, now: now, orgs: map[rapport.ID]*orgUsage{}}
}

func (u *usage) org(id rapport.ID) *orgUsage {
	u.mu.Lock()
	defer u.mu.Unlock()
	o := u.orgs[id]
	if o == nil {
		o = &orgUsage{}
		u.orgs[id] = o
	}
	return o
}

// add counts one request and returns the day's count and the limit.
func (u *usage) add(ctx context.Context, org rapport.ID) (int64, int64, error) {
	return u.count(ctx, org, 1, false)
}

// current returns the day's count, flushing what is pending.
func (u *usage) current(ctx context.Context, org rapport.ID) (int64, int64, error) {
	return u.count(ctx, org, 0, true)
}

func (u *usage) count(ctx context.Context, org rapport.ID, n int64, force bool) (int64, int64, error) {
	now := u.now().UTC()
	day := now.Format("2006-01-02")
	o := u.org(org)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.day != day {
		o.day, o.stored, o.pending, o.flushed = day, 0, 0, time.Time{}
		force = true
	}
	o.pending += n
	near := o.stored+o.pending >= u.max-u.max/100
	if force || near || o.pending >= flushEvery || now.Sub(o.flushed) >= time.Second {
		total, err := u.dir.AddAPIUsage(ctx, org, day, o.pending)
		if err != nil {
			return 0, u.max, err
		}
		o.stored, o.pending, o.flushed = total, 0, now
	}
	return o.stored + o.pending, u.max, nil
}

// Limits serves GET /limits.
func (a *API) Limits() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, _ := rapport.PrincipalFrom(r.Context())
		used, max, err := a.usage.current(r.Context(), p.OrgID)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		limit := func(max, used int64) object {
			rem := max - used
			if rem < 0 {
				rem = 0
			}
			return object{{"Max", max}, {"Remaining", rem}}
		}
		writeJSON(w, http.StatusOK, object{
			{"ConcurrentAsyncGetReportInstances", limit(200, 0)},
			{"ConcurrentSyncReportRuns", limit(20, 0)},
			{"DailyApiRequests", limit(max, used)},
			{"DailyAsyncApexExecutions", limit(250000, 0)},
			{"DailyBulkApiBatches", limit(15000, 0)},
			{"DailyBulkV2QueryFileStorageMB", limit(976562, 0)},
			{"DailyBulkV2QueryJobs", limit(10000, 0)},
			{"DataStorageMB", limit(1024, 0)},
			{"FileStorageMB", limit(1024, 0)},
			{"HourlyTimeBasedWorkflow", limit(1000, 0)},
			{"SingleEmail", limit(5000, 0)},
		})
	}
}
