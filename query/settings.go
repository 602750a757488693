package query

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// settingsTTL is how long a user's time zone and the org's fiscal year are
// cached.
const settingsTTL = time.Minute

// userSettings are what relative dates depend on.
type userSettings struct {
	loc    *time.Location
	fiscal int
}

type settingsEntry struct {
	s    userSettings
	read time.Time
}

// settingsFor returns the time zone of the principal (the user's, else the
// org's) and the org's fiscal year start month.
func (s *Service) settingsFor(ctx context.Context, db *sql.DB, prefix string, sch *metadata.Schema, p rapport.Principal) (userSettings, error) {
	key := string(p.OrgID) + "/" + string(p.UserID)
	now := s.cfg.Now()
	s.mu.Lock()
	e, ok := s.settings[key]
	s.mu.Unlock()
	if ok && now.Sub(e.read) < settingsTTL {
		return e.s, nil
	}
	out := userSettings{loc: time.UTC, fiscal: 1}
	if org := sch.Object("Organization"); org != nil {
		tz, fy := org.Field("TimeZoneSidKey"), org.Field("FiscalYearStartMonth")
		if tz != nil && fy != nil {
			var zone sql.NullString
			var month sql.NullFloat64
			var raw any
			err := db.QueryRowContext(ctx, "SELECT "+quote(tz.Column)+", "+quote(fy.Column)+" FROM "+s.d.Table(prefix, org.Table)+" LIMIT 1").Scan(&zone, &raw)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return out, err
			}
			if v, err := s.d.Decode(metadata.StoreDecimal, raw); err == nil && v != nil {
				month = sql.NullFloat64{Float64: v.(float64), Valid: true}
			}
			if loc, err := time.LoadLocation(zone.String); err == nil && zone.Valid {
				out.loc = loc
			}
			if month.Valid && month.Float64 >= 1 && month.Float64 <= 12 {
				out.fiscal = int(month.Float64)
			}
		}
	}
	if users := sch.Object("User"); users != nil && p.UserID != "" {
		if tz := users.Field("TimeZoneSidKey"); tz != nil {
			var zone sql.NullString
			err := db.QueryRowContext(ctx, "SELECT "+quote(tz.Column)+" FROM "+s.d.Table(prefix, users.Table)+" WHERE "+quote(metadata.ColID)+" = "+s.d.Placeholder(1), string(p.UserID)).Scan(&zone)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return out, err
			}
			if loc, err := time.LoadLocation(zone.String); err == nil && zone.Valid {
				out.loc = loc
			}
		}
	}
	s.mu.Lock()
	s.settings[key] = settingsEntry{s: out, read: now}
	s.mu.Unlock()
	return out, nil
}
