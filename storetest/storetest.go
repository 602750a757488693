// Package storetest is the conformance suite every record.Store and
// tenant.Directory must pass. The sqlite and postgres packages run it; each
// subtest works in an org of its own, so one database serves the whole run.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// Store is what a backend provides.
type Store interface {
	record.Store
	tenant.Directory
}

// Env is one subtest's world: services over the store, and an org with its
// administrator acting.
type Env struct {
	T       *testing.T
	Store   Store
	Records *record.Service
	Tenants *tenant.Service
	Org     tenant.NewOrg
	Ctx     context.Context // carries the administrator as principal
}

var orgSeq atomic.Int64

// NewEnv creates a fresh org in store.
func NewEnv(t *testing.T, store Store) *Env {
	t.Helper()
	recs := record.NewService(store, record.Options{})
	ten := tenant.NewService(store, recs, nil, nil)
	n := orgSeq.Add(1)
	org, err := ten.CreateOrg(context.Background(), tenant.OrgParams{
		Name:     fmt.Sprintf("Test Org %d", n),
		Username: fmt.Sprintf("admin%d.%d@storetest.example", n, time.Now().UnixNano()),
		Password: "correct horse 9",
	})
	if err != nil {
		t.Fatalf("CreateOrg: %v", err)
	}
	ctx := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: org.OrgID, UserID: org.UserID})
	return &Env{T: t, Store: store, Records: recs, Tenants: ten, Org: org, Ctx: ctx}
}

// Run runs the suite against the store open returns; open is called once.
func Run(t *testing.T, open func(t *testing.T) Store) {
	store := open(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, store)
		})
	}
}

var tests = []struct {
	name string
	fn   func(t *testing.T, s Store)
}{
	{"OrgCreate", testOrgCreate},
	{"OrgCreateBadInput", testOrgCreateBadInput},
	{"StandardObjects", testStandardObjects},
	{"CRUD", testCRUD},
	{"IDs", testIDs},
	{"BadValues", testBadValues},
	{"Batches", testBatches},
	{"UniqueAndUpsert", testUniqueAndUpsert},
	{"CustomObjectLifecycle", testCustomObjectLifecycle},
	{"FieldTypes", testFieldTypes},
	{"BadSchema", testBadSchema},
	{"TypeChanges", testTypeChanges},
	{"DeleteBehaviour", testDeleteBehaviour},
	{"HardDelete", testHardDelete},
	{"AutoNumber", testAutoNumber},
	{"Rollups", testRollups},
	{"CampaignRollups", testCampaignRollups},
	{"DerivedFields", testDerivedFields},
	{"History", testHistory},
	{"Isolation", testIsolation},
	{"ConcurrentWrites", testConcurrentWrites},
	{"Migrate", testMigrate},
	{"SchemaCoherence", testSchemaCoherence},
	{"AuditTrail", testAuditTrail},
	{"SystemPermissions", testSystemPermissions},
	{"Upgrade", testUpgrade},
	{"ConcurrentReads", testConcurrentReads},
}

// create inserts one record and fails the test on error.
func (e *Env) create(object string, values map[string]any) rapport.ID {
	e.T.Helper()
	rs, err := e.Records.Create(e.Ctx, object, []map[string]any{values}, record.WriteOptions{})
	if err != nil {
		e.T.Fatalf("Create %s: %v", object, err)
	}
	if rs[0].Err != nil {
		e.T.Fatalf("Create %s %v: %v", object, values, rs[0].Err)
	}
	return rs[0].ID
}

// createErr inserts one record that must fail with code; it returns the
// error.
func (e *Env) createErr(object string, values map[string]any, code rapport.Code) *rapport.Error {
	e.T.Helper()
	rs, err := e.Records.Create(e.Ctx, object, []map[string]any{values}, record.WriteOptions{})
	if err != nil {
		if rapport.ErrorCode(err) != code {
			e.T.Fatalf("Create %s %v: error %v, want code %s", object, values, err, code)
		}
		var re *rapport.Error
		errors.As(err, &re)
		return re
	}
	if rs[0].Err == nil {
		e.T.Fatalf("Create %s %v succeeded, want %s", object, values, code)
	}
	var re *rapport.Error
	if !errors.As(rs[0].Err, &re) || re.Code != code {
		e.T.Fatalf("Create %s %v: %v, want code %s", object, values, rs[0].Err, code)
	}
	return re
}

func (e *Env) update(object string, values map[string]any) {
	e.T.Helper()
	rs, err := e.Records.Update(e.Ctx, object, []map[string]any{values}, record.WriteOptions{})
	if err != nil {
		e.T.Fatalf("Update %s: %v", object, err)
	}
	if rs[0].Err != nil {
		e.T.Fatalf("Update %s %v: %v", object, values, rs[0].Err)
	}
}

func (e *Env) updateErr(object string, values map[string]any, code rapport.Code) {
	e.T.Helper()
	rs, err := e.Records.Update(e.Ctx, object, []map[string]any{values}, record.WriteOptions{})
	if err != nil {
		e.T.Fatalf("Update %s: %v", object, err)
	}
	if rapport.ErrorCode(rs[0].Err) != code {
		e.T.Fatalf("Update %s %v: %v, want code %s", object, values, rs[0].Err, code)
	}
}

// get reads one record (deleted ones too) and fails if it is missing.
func (e *Env) get(object string, id rapport.ID) *record.Record {
	e.T.Helper()
	recs, err := e.Records.Get(e.Ctx, object, []string{string(id)}, nil, true)
	if err != nil {
		e.T.Fatalf("Get %s %s: %v", object, id, err)
	}
	if recs[0] == nil {
		e.T.Fatalf("Get %s %s: not found", object, id)
	}
	return recs[0]
}

// count counts the live records of an object.
func (e *Env) count(object string) int64 {
	e.T.Helper()
	sch, err := e.Records.Schema(e.Ctx, e.Org.OrgID)
	if err != nil {
		e.T.Fatal(err)
	}
	obj := sch.Object(object)
	if obj == nil {
		e.T.Fatalf("no object %s", object)
	}
	var n int64
	err = e.Store.Read(e.Ctx, e.Org.OrgID, func(r record.Reader) error {
		n, err = r.Count(e.Ctx, obj)
		return err
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return n
}

func (e *Env) del(ids ...rapport.ID) []record.Result {
	e.T.Helper()
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = string(id)
	}
	rs, err := e.Records.Delete(e.Ctx, strs, record.WriteOptions{})
	if err != nil {
		e.T.Fatalf("Delete: %v", err)
	}
	return rs
}

func (e *Env) undel(ids ...rapport.ID) []record.Result {
	e.T.Helper()
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = string(id)
	}
	rs, err := e.Records.Undelete(e.Ctx, strs, record.WriteOptions{})
	if err != nil {
		e.T.Fatalf("Undelete: %v", err)
	}
	return rs
}

func code(err error) rapport.Code {
	if err == nil {
		return ""
	}
	return rapport.ErrorCode(err)
}

// fieldDef is short for metadata.Field in tests.
type fieldDef = metadata.Field
