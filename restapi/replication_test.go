package restapi_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/tenant"
)

// window renders ?start=…&end=… as jsforce does (+00:00 offsets).
func window(start, end time.Time) string {
	const l = "2006-01-02T15:04:05-07:00"
	return "?start=" + url.QueryEscape(start.UTC().Format(l)) + "&end=" + url.QueryEscape(end.UTC().Format(l))
}

func ids(t *testing.T, m map[string]any, key string) []string {
	t.Helper()
	l, ok := m[key].([]any)
	if !ok {
		t.Fatalf("%s is not an array: %v", key, m)
	}
	var out []string
	for _, x := range l {
		switch y := x.(type) {
		case string:
			out = append(out, y)
		case map[string]any:
			out = append(out, y["id"].(string))
		}
	}
	return out
}

func checkReplicationDate(t *testing.T, m map[string]any, key string) time.Time {
	t.Helper()
	s, _ := m[key].(string)
	at, err := time.Parse("2006-01-02T15:04:05.000-0700", s)
	if err != nil || at.Second() != 0 || at.Nanosecond() != 0 {
		t.Fatalf("%s = %q, want a whole minute as 2006-01-02T15:04:00.000+0000 (%v)", key, s, err)
	}
	return at
}

func TestReplication(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		now := time.Now().UTC()
		a := h.create("Account", `{"Name":"Replicated"}`)
		b := h.create("Account", `{"Name":"Soon gone"}`)
		want(t, "update", h.do("PATCH", v+"/sobjects/Account/"+a, `{"Name":"Replicated again"}`).status, 204)

		res := h.do("GET", v+"/sobjects/Account/updated"+window(now.Add(-time.Hour), now.Add(time.Hour)), "")
		want(t, "updated status", res.status, 200)
		got := ids(t, res.obj(), "ids")
		if !slices.Contains(got, a) || !slices.Contains(got, b) {
			t.Errorf("updated ids %v, want %s and %s", got, a, b)
		}
		latest := checkReplicationDate(t, res.obj(), "latestDateCovered")
		if latest.After(time.Now()) || latest.Before(now.Add(-time.Minute)) {
			t.Errorf("latestDateCovered %v, want now truncated to the minute", latest)
		}

		// Z form, a window before the changes, and one after them.
		zl := "2006-01-02T15:04:05Z"
		res = h.do("GET", v+"/sobjects/Account/updated?start="+now.Add(-48*time.Hour).Format(zl)+"&end="+now.Add(-24*time.Hour).Format(zl), "")
		want(t, "past window status", res.status, 200)
		want(t, "past window ids", len(ids(t, res.obj(), "ids")), 0)
		want(t, "past latest", checkReplicationDate(t, res.obj(), "latestDateCovered").Equal(now.Add(-24*time.Hour).Truncate(time.Minute)), true)
		res = h.do("GET", v+"/sobjects/Account/updated"+window(now.Add(2*time.Minute), now.Add(time.Hour)), "")
		want(t, "future window ids", len(ids(t, res.obj(), "ids")), 0)
		res = h.do("GET", v+"/sobjects/Contact/updated"+window(now.Add(-time.Hour), now.Add(time.Hour)), "")
		want(t, "other object ids", len(ids(t, res.obj(), "ids")), 0)

		// Deleted: b leaves updated and shows in deleted with its date.
		want(t, "delete", h.do("DELETE", v+"/sobjects/Account/"+b, "").status, 204)
		res = h.do("GET", v+"/sobjects/Account/deleted"+window(now.Add(-time.Hour), now.Add(time.Hour)), "")
		want(t, "deleted status", res.status, 200)
		m := res.obj()
		want(t, "deleted ids", slices.Equal(ids(t, m, "deletedRecords"), []string{b}), true)
		rec := m["deletedRecords"].([]any)[0].(map[string]any)
		at, err := time.Parse("2006-01-02T15:04:05.000-0700", rec["deletedDate"].(string))
		if err != nil || at.Before(now.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
			t.Errorf("deletedDate %v (%v), want about now", rec["deletedDate"], err)
		}
		checkReplicationDate(t, m, "latestDateCovered")
		if e := checkReplicationDate(t, m, "earliestDateAvailable"); e.After(at) {
			t.Errorf("earliestDateAvailable %v after the deletion %v", e, at)
		}
		res = h.do("GET", v+"/sobjects/Account/updated"+window(now.Add(-time.Hour), now.Add(time.Hour)), "")
		if got := ids(t, res.obj(), "ids"); slices.Contains(got, b) || !slices.Contains(got, a) {
			t.Errorf("updated after delete %v, want %s without %s", got, a, b)
		}
		res = h.do("GET", v+"/sobjects/Account/deleted"+window(now.Add(-48*time.Hour), now.Add(-24*time.Hour)), "")
		want(t, "past deleted", len(ids(t, res.obj(), "deletedRecords")), 0)
		res = h.do("GET", v+"/sobjects/Contact/deleted"+window(now.Add(-time.Hour), now.Add(time.Hour)), "")
		want(t, "other object deleted", len(ids(t, res.obj(), "deletedRecords")), 0)

		// Bad windows and unknown objects.
		for _, kind := range []string{"updated", "deleted"} {
			for name, q := range map[string]string{
				"end before start": window(now, now.Add(-time.Hour)),
				"wider than 30d":   window(now.Add(-time.Hour), now.Add(31*24*time.Hour)),
				"start too old":    window(now.Add(-31*24*time.Hour), now.Add(-30*24*time.Hour)),
				"no start":         "?end=" + url.QueryEscape(now.Format(time.RFC3339)),
				"no end":           "?start=" + url.QueryEscape(now.Format(time.RFC3339)),
				"not a date":       "?start=yesterday&end=today",
			} {
				res := h.do("GET", v+"/sobjects/Account/"+kind+q, "")
				want(t, kind+" "+name+" status", res.status, 400)
				want(t, kind+" "+name+" code", res.errorCode(), "INVALID_REPLICATION_DATE")
			}
			res := h.do("GET", v+"/sobjects/Nope__c/"+kind+window(now.Add(-time.Hour), now), "")
			want(t, kind+" unknown object status", res.status, 404)
			want(t, kind+" unknown object code", res.errorCode(), "NOT_FOUND")
		}
	})
}

func TestRecent(t *testing.T) {
	h := queryHarness(t)
	acct := h.create("Account", `{"Name":"Recent Co"}`)
	contact := h.create("Contact", `{"LastName":"Recent"}`)
	res := h.do("GET", v+"/recent", "")
	want(t, "recent status", res.status, 200)
	seen := map[string]map[string]any{}
	for _, x := range res.list() {
		r := x.(map[string]any)
		seen[r["Id"].(string)] = r
	}
	if len(seen) != 2 || seen[acct] == nil || seen[contact] == nil {
		t.Fatalf("recent = %s, want %s and %s", res.body, acct, contact)
	}
	want(t, "account name", seen[acct]["Name"], any("Recent Co"))
	want(t, "account type", seen[acct]["attributes"].(map[string]any)["type"], any("Account"))
	want(t, "contact name", seen[contact]["Name"], any("Recent"))

	res = h.do("GET", v+"/recent?limit=1", "")
	want(t, "limit 1", len(res.list()), 1)
	res = h.do("GET", v+"/recent?limit=zero", "")
	want(t, "bad limit", res.status, 400)
}

// TestReplicationAccess: with Account private, a standard user's updated
// and deleted list only the records the user may read.
func TestReplicationAccess(t *testing.T) {
	h := sqliteHarness(t)
	e := h.env
	if _, err := e.Records.UpdateObject(e.Ctx, "Account", &metadata.Object{SharingModel: metadata.SharingPrivate}); err != nil {
		t.Fatal(err)
	}
	username := "replica@" + string(e.Org.OrgID) + ".example"
	user, _ := e.NewUser("Standard User", username)
	hash, err := tenant.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.AddIdentity(e.Ctx, tenant.Identity{Username: username, OrgID: e.Org.OrgID, UserID: user, PasswordHash: hash, Active: true, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	sess, err := h.auth.NewSession(e.Ctx, e.Org.OrgID, user, "PlatformCLI", "")
	if err != nil {
		t.Fatal(err)
	}
	u := &harness{t: t, env: e, srv: h.srv, auth: h.auth, token: sess.Token}

	now := time.Now().UTC()
	w := window(now.Add(-time.Hour), now.Add(time.Hour))
	theirs := h.create("Account", `{"Name":"Admin's"}`)
	gone := h.create("Account", `{"Name":"Admin's, deleted"}`)
	mine := u.create("Account", `{"Name":"Mine"}`)
	want(t, "delete", h.do("DELETE", v+"/sobjects/Account/"+gone, "").status, 204)

	res := u.do("GET", v+"/sobjects/Account/updated"+w, "")
	want(t, "user updated status", res.status, 200)
	want(t, "user updated", slices.Equal(ids(t, res.obj(), "ids"), []string{mine}), true)
	res = u.do("GET", v+"/sobjects/Account/deleted"+w, "")
	want(t, "user deleted", len(ids(t, res.obj(), "deletedRecords")), 0)

	res = h.do("GET", v+"/sobjects/Account/updated"+w, "")
	if got := ids(t, res.obj(), "ids"); !slices.Contains(got, theirs) || !slices.Contains(got, mine) {
		t.Errorf("admin updated %v, want %s and %s", got, theirs, mine)
	}
	res = h.do("GET", v+"/sobjects/Account/deleted"+w, "")
	want(t, "admin deleted", slices.Equal(ids(t, res.obj(), "deletedRecords"), []string{gone}), true)
}
