package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The sizes issue 2 names: a 170,000-person conference, contacts spread over
// a couple of thousand accounts, written in batches of 1,000.
const (
	contactCount = 170_000
	accountCount = 2_000
	batchSize    = 1_000
)

// A contact is one generated Contact before either path turns it into its
// input: 15 fields, about 300 bytes.
type contact struct {
	FirstName, LastName, Email, Phone, Title, Department string
	Street, City, State, PostalCode, Country             string
	Birthdate, LeadSource, Description                   string
	Account                                              int // index into the org's accounts
}

// input returns the contact as a client of the record layer sends it: API
// names and strings, as decoded from JSON.
func (c *contact) input(m map[string]any, accounts []string) {
	m["FirstName"] = c.FirstName
	m["LastName"] = c.LastName
	m["Email"] = c.Email
	m["Phone"] = c.Phone
	m["Title"] = c.Title
	m["Department"] = c.Department
	m["MailingStreet"] = c.Street
	m["MailingCity"] = c.City
	m["MailingState"] = c.State
	m["MailingPostalCode"] = c.PostalCode
	m["MailingCountry"] = c.Country
	m["Birthdate"] = c.Birthdate
	m["LeadSource"] = c.LeadSource
	m["Description"] = c.Description
	m["AccountId"] = accounts[c.Account]
}

var (
	firstNames = []string{
		"Amelia", "Ben", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Isabel", "Jamal",
		"Katarzyna", "Liam", "Maya", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa", "Samuel", "Tanvi",
		"Umar", "Valentina", "Wei", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Camille", "Dmitri",
		"Emeka", "Fatima", "Gustav", "Hannah", "Ines", "Jonas", "Kofi", "Leila", "Mateo", "Nadia",
	}
	lastNames = []string{
		"Adams", "Bianchi", "Chen", "Dubois", "Eriksson", "Fernandez", "Garcia", "Hoffmann", "Ivanova", "Johnson",
		"Kowalski", "Lopez", "Mensah", "Nakamura", "Okafor", "Patel", "Quispe", "Rossi", "Schmidt", "Tanaka",
		"Usman", "Vargas", "Williams", "Xu", "Yilmaz", "Zhang", "Andersson", "Brown", "Costa", "Diallo",
		"Evans", "Fischer", "Gonzalez", "Haddad", "Ito", "Jensen", "Kim", "Larsen", "Moreau", "Novak",
		"O'Brien", "Petrov", "Reyes", "Silva", "Thompson", "Van Dijk", "Wagner", "Yamamoto", "Ziegler", "Murphy",
	}
	titles = []string{
		"Chief Executive Officer", "VP Sales", "Account Executive", "Marketing Manager", "Event Coordinator",
		"Software Engineer", "Director of Partnerships", "Procurement Officer", "Program Manager", "CFO",
		"Head of Developer Relations", "Field Organizer", "Volunteer Coordinator", "Grants Manager", "CTO",
	}
	departments = []string{
		"Sales", "Marketing", "Engineering", "Finance", "Operations", "Events", "Partnerships",
		"Procurement", "Legal", "Development", "Outreach", "Executive",
	}
	streets = []string{
		"Market St", "Main St", "Mission St", "Howard St", "Folsom St", "Oak Ave", "Pine St", "Maple Dr",
		"Harbour Rd", "King St W", "Rue de Rivoli", "Friedrichstrasse", "High St", "Elm Ct", "Lakeshore Blvd",
	}
	places = []struct{ city, state, postal, country string }{
		{"San Francisco", "CA", "941", "United States"},
		{"Seattle", "WA", "981", "United States"},
		{"New York", "NY", "100", "United States"},
		{"Austin", "TX", "787", "United States"},
		{"Chicago", "IL", "606", "United States"},
		{"Washington", "DC", "200", "United States"},
		{"Toronto", "ON", "M5V", "Canada"},
		{"Vancouver", "BC", "V6B", "Canada"},
		{"London", "England", "EC1", "United Kingdom"},
		{"Paris", "Ile-de-France", "750", "France"},
		{"Berlin", "Berlin", "101", "Germany"},
		{"Sydney", "NSW", "200", "Australia"},
	}
	// leadSources are values of Contact.LeadSource's picklist.
	leadSources = []string{"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}
	topics      = []string{
		"the keynote", "sponsorship tiers", "the partner programme", "a multi-year contract",
		"the government tender", "volunteer shifts", "the fundraising gala", "an API integration",
	}
)

// contacts returns n contacts, the same ones on every call.
func contacts(n int) []contact {
	r := rand.New(rand.NewPCG(2, 170_000))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	plain := strings.NewReplacer("'", "", " ", "")
	out := make([]contact, n)
	for i := range out {
		first, last := pick(firstNames), pick(lastNames)
		p := places[r.IntN(len(places))]
		local := strings.ToLower(first + "." + plain.Replace(last))
		out[i] = contact{
			FirstName:  first,
			LastName:   last,
			Email:      fmt.Sprintf("%s%d@example.com", local, i),
			Phone:      fmt.Sprintf("+1 %03d-%03d-%04d", 200+r.IntN(800), r.IntN(1000), r.IntN(10000)),
			Title:      pick(titles),
			Department: pick(departments),
			Street:     fmt.Sprintf("%d %s", 1+r.IntN(9999), pick(streets)),
			City:       p.city,
			State:      p.state,
			PostalCode: fmt.Sprintf("%s%02d", p.postal, r.IntN(100)),
			Country:    p.country,
			Birthdate:  born.AddDate(0, 0, r.IntN(20_000)).Format("2006-01-02"),
			LeadSource: pick(leadSources),
			Description: fmt.Sprintf("Met at booth %d on day %d of the conference; asked about %s and %s.",
				1+r.IntN(400), 1+r.IntN(4), pick(topics), pick(topics)),
			Account: r.IntN(accountCount),
		}
	}
	return out
}
