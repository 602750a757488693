package restapi

import (
	"context"
	"time"

	"github.com/rapportcrm/rapport"
)

// userInfo is what the login and identity responses say about a user.
type userInfo struct {
	OrgID, UserID rapport.ID
	OrgName       string
	Username      string
	Email         string
	FirstName     string
	LastName      string
	FullName      string
	Locale        string
	Language      string
	TimeZone      string
	Currency      string
	OrgCurrency   string
	OrgLocale     string
	ProfileID     string
	RoleID        string
	UserType      string
	Phone         string
	MobilePhone   string
	Active        bool
	Modified      time.Time
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case rapport.ID:
		return string(x)
	}
	return ""
}

// loadUser reads a user and its org as the system.
func (a *API) loadUser(ctx context.Context, org, user rapport.ID) (userInfo, error) {
	ctx = rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org, UserID: user, System: true})
	u := userInfo{OrgID: org, UserID: user, Active: true, UserType: "Standard"}
	users, err := a.records.Get(ctx, "User", []string{string(user)}, nil, false)
	if err != nil {
		return u, err
	}
	if users[0] == nil {
		return u, rapport.Errorf(rapport.NotFound, "no user %s", user)
	}
	v := users[0].Values
	u.Username, u.Email = str(v["Username"]), str(v["Email"])
	u.FirstName, u.LastName = str(v["FirstName"]), str(v["LastName"])
	u.FullName = str(v["Name"])
	if u.FullName == "" {
		u.FullName = u.LastName
		if u.FirstName != "" {
			u.FullName = u.FirstName + " " + u.LastName
		}
	}
	u.Locale, u.Language, u.TimeZone = str(v["LocaleSidKey"]), str(v["LanguageLocaleKey"]), str(v["TimeZoneSidKey"])
	u.Currency, u.ProfileID, u.RoleID = str(v["DefaultCurrencyIsoCode"]), str(v["ProfileId"]), str(v["UserRoleId"])
	u.Phone, u.MobilePhone = str(v["Phone"]), str(v["MobilePhone"])
	if t := str(v["UserType"]); t != "" {
		u.UserType = t
	}
	if b, ok := v["IsActive"].(bool); ok {
		u.Active = b
	}
	u.Modified, _ = v["LastModifiedDate"].(time.Time)
	orgs, err := a.records.Get(ctx, "Organization", []string{string(org)}, nil, false)
	if err != nil {
		return u, err
	}
	if orgs[0] != nil {
		ov := orgs[0].Values
		u.OrgName, u.OrgCurrency, u.OrgLocale = str(ov["Name"]), str(ov["DefaultCurrencyIsoCode"]), str(ov["DefaultLocaleSidKey"])
	}
	if u.Currency == "" {
		u.Currency = u.OrgCurrency
	}
	return u, nil
}

// identityURL is the identity URL of a user on the request's host.
func identityURL(origin string, org, user rapport.ID) string {
	return origin + "/id/" + string(org) + "/" + string(user)
}
