package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/rapportcrm/rapport"
)

// How much sales data is generated around the story.
const (
	salesAccounts = 200
	perAccount    = 3 // contacts of each account
	salesOpps     = 300
	salesLeads    = 100
	salesCases    = 100
	salesTasks    = 150
	salesEvents   = 60
	leadCompanies = salesLeads
)

// Parts of the data, each with its own random source.
const (
	partCompanies uint64 = iota + 1
	partSales
	partAttendees
	partActivities
)

// A company is a generated company.
type company struct {
	name, domain, industry string
	city                   city
}

// companies returns the generated companies in their order: a seeded
// shuffle of every prefix, noun and form, so that names never repeat. The
// sales accounts come first, then the leads' companies, then the
// attendees' employers.
func (l *loader) companies(n int) []company {
	rng := l.rng(partCompanies)
	all := len(companyPrefixes) * len(companyNouns) * len(companyForms)
	perm := rng.Perm(all)
	n = min(n, all)
	out := make([]company, n)
	for i := range out {
		k := perm[i]
		prefix := companyPrefixes[k%len(companyPrefixes)]
		k /= len(companyPrefixes)
		noun := companyNouns[k%len(companyNouns)]
		form := companyForms[k/len(companyNouns)]
		out[i] = company{
			name:     prefix + " " + noun + " " + form,
			domain:   strings.ToLower(prefix+noun) + ".example",
			industry: nounIndustry[noun],
			city:     cities[rng.IntN(len(cities))],
		}
	}
	return out
}

// attendeeCompanies is how many companies the attendees work for, beyond
// the sales accounts.
func attendeeCompanies(attendees int) int { return max(20, attendees/100) }

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// weighted picks one of values with the given weights.
func weighted(rng *rand.Rand, values []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return values[i]
		}
		n -= w
	}
	return values[len(values)-1]
}

func phoneNumber(rng *rand.Rand, c city) string {
	return fmt.Sprintf("%s %03d-%04d", c.phone, 200+rng.IntN(700), rng.IntN(10000))
}

// person is a generated person's name and email at a company.
func person(rng *rand.Rand, c company) (first, last, email string) {
	first, last = pick(rng, firstNames), pick(rng, lastNames)
	local := strings.ToLower(first + "." + strings.ReplaceAll(last, "'", ""))
	return first, last, local + "@" + c.domain
}

// generated is what salesData made that activities refer to.
type generated struct {
	accounts []rapport.ID
	owners   []rapport.ID // of each account
	contacts [][]rapport.ID
	openOpps []rapport.ID
	oppAcct  []int // the account index of each open opportunity
}

// salesData creates the accounts, contacts, opportunities, leads, cases,
// tasks and events of an ordinary sales team's org.
func (l *loader) salesData(s *story) error {
	rng := l.rng(partSales)
	cos := l.companies(salesAccounts + leadCompanies)
	g := &generated{}

	accounts := make([]map[string]any, salesAccounts)
	for i := range accounts {
		c := cos[i]
		owner := l.sales[rng.IntN(len(l.sales))]
		g.owners = append(g.owners, owner)
		employees := int(math.Round(math.Exp(3 + rng.Float64()*7)))
		accounts[i] = map[string]any{
			"Name": c.name, "Industry": c.industry, "Website": "https://www." + c.domain, "Phone": phoneNumber(rng, c.city),
			"Type":        weighted(rng, []string{"Customer - Direct", "Customer - Channel", "Prospect", "Channel Partner / Reseller", "Other"}, []int{40, 10, 40, 5, 5}),
			"BillingCity": c.city.name, "BillingState": c.city.state, "BillingCountry": c.city.country,
			"NumberOfEmployees": employees, "AnnualRevenue": employees * (80000 + rng.IntN(200000)),
			"Rating": pick(rng, []string{"Hot", "Warm", "Cold"}), "AccountSource": pick(rng, []string{"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}),
			"Ownership": pick(rng, []string{"Public", "Private", "Private", "Subsidiary"}), "OwnerId": owner,
		}
	}
	var err error
	if g.accounts, err = l.create("accounts", "Account", accounts); err != nil {
		return err
	}
	l.salesAccounts = g.accounts

	var contacts []map[string]any
	for i := range g.accounts {
		c := cos[i]
		for j := 0; j < perAccount; j++ {
			first, last, email := person(rng, c)
			contacts = append(contacts, map[string]any{
				"FirstName": first, "LastName": last, "Email": email, "Title": pick(rng, titles), "AccountId": g.accounts[i],
				"Phone": phoneNumber(rng, c.city), "MailingCity": c.city.name, "MailingState": c.city.state, "MailingCountry": c.city.country,
				"LeadSource": pick(rng, []string{"Web", "Phone Inquiry", "Partner Referral", "Other"}), "OwnerId": g.owners[i],
			})
		}
	}
	ids, err := l.create("contacts", "Contact", contacts)
	if err != nil {
		return err
	}
	for i := range g.accounts {
		g.contacts = append(g.contacts, ids[i*perAccount:(i+1)*perAccount])
	}

	var opps []map[string]any
	var oppAcct []int
	stages := []string{"Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
		"Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"}
	weights := []int{8, 8, 7, 7, 6, 5, 7, 6, 28, 18}
	for i := 0; i < salesOpps; i++ {
		a := rng.IntN(len(g.accounts))
		stage := weighted(rng, stages, weights)
		var closeDay int
		if strings.HasPrefix(stage, "Closed") {
			closeDay = -1 - rng.IntN(365)
		} else {
			closeDay = -15 + rng.IntN(380) // a few are overdue
		}
		amount := math.Round(5000*math.Exp(rng.Float64()*4.5)/500) * 500
		opps = append(opps, map[string]any{
			"Name": cos[a].name + " — " + pick(rng, products), "AccountId": g.accounts[a], "StageName": stage,
			"Amount": amount, "CloseDate": dateString(l.day(closeDay)), "OwnerId": g.owners[a],
			"ContactId":  g.contacts[a][rng.IntN(perAccount)],
			"Type":       weighted(rng, []string{"New Customer", "Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade"}, []int{50, 35, 10, 5}),
			"LeadSource": pick(rng, []string{"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}),
		})
		if rng.IntN(10) == 0 {
			opps[i]["CampaignId"] = s.dreamforce
		}
		oppAcct = append(oppAcct, a)
	}
	ids, err = l.create("opportunities", "Opportunity", opps)
	if err != nil {
		return err
	}
	for i, o := range opps {
		if !strings.HasPrefix(o["StageName"].(string), "Closed") {
			g.openOpps = append(g.openOpps, ids[i])
			g.oppAcct = append(g.oppAcct, oppAcct[i])
		}
	}

	leads := make([]map[string]any, salesLeads)
	for i := range leads {
		c := cos[salesAccounts+i]
		first, last, email := person(rng, c)
		leads[i] = map[string]any{
			"FirstName": first, "LastName": last, "Email": email, "Company": c.name, "Title": pick(rng, titles),
			"Industry": c.industry, "Phone": phoneNumber(rng, c.city), "City": c.city.name, "State": c.city.state, "Country": c.city.country,
			"Status":     weighted(rng, []string{"Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"}, []int{45, 40, 15}),
			"LeadSource": pick(rng, []string{"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}),
			"Rating":     pick(rng, []string{"Hot", "Warm", "Cold"}), "OwnerId": l.sales[rng.IntN(len(l.sales))],
			"Website": "https://www." + c.domain,
		}
	}
	if _, err := l.create("leads", "Lead", leads); err != nil {
		return err
	}

	cases := make([]map[string]any, salesCases)
	for i := range cases {
		a := rng.IntN(len(g.accounts))
		cases[i] = map[string]any{
			"AccountId": g.accounts[a], "ContactId": g.contacts[a][rng.IntN(perAccount)], "Subject": pick(rng, caseSubjects),
			"Status":   weighted(rng, []string{"New", "Working", "Escalated", "Closed"}, []int{30, 30, 10, 30}),
			"Priority": weighted(rng, []string{"High", "Medium", "Low"}, []int{20, 55, 25}),
			"Origin":   pick(rng, []string{"Phone", "Email", "Web"}), "Type": "Other",
			"Reason":  pick(rng, []string{"Performance", "Feedback", "Installation", "Other"}),
			"OwnerId": l.sales[rng.IntN(len(l.sales))],
		}
	}
	if _, err := l.create("cases", "Case", cases); err != nil {
		return err
	}
	return l.activities(g)
}

// activities creates tasks and events owned by the demo users, with some
// due today and this week on everyone's list.
func (l *loader) activities(g *generated) error {
	rng := l.rng(partActivities)
	owners := append([]rapport.ID{}, l.sales...)
	owners = append(owners, l.users["riley"])

	// what picks an account and a contact there, and what the activity is
	// about: one of the account's open opportunities, else the account.
	what := func() (who, about rapport.ID) {
		if len(g.openOpps) > 0 && rng.IntN(3) > 0 {
			i := rng.IntN(len(g.openOpps))
			a := g.oppAcct[i]
			return g.contacts[a][rng.IntN(perAccount)], g.openOpps[i]
		}
		a := rng.IntN(len(g.accounts))
		return g.contacts[a][rng.IntN(perAccount)], g.accounts[a]
	}
	var tasks []map[string]any
	task := func(owner rapport.ID, day int, open bool) {
		who, about := what()
		status := "Completed"
		if open {
			status = weighted(rng, []string{"Not Started", "In Progress", "Waiting on someone else"}, []int{60, 30, 10})
		}
		tasks = append(tasks, map[string]any{
			"Subject": pick(rng, taskSubjects), "WhoId": who, "WhatId": about, "OwnerId": owner, "Status": status,
			"ActivityDate": dateString(l.day(day)), "Priority": weighted(rng, []string{"High", "Normal", "Low"}, []int{25, 60, 15}),
			"Type": pick(rng, []string{"Call", "Email", "Meeting", "Other"}),
		})
	}
	var events []map[string]any
	event := func(owner rapport.ID, day int) {
		who, about := what()
		minutes := pick(rng, []int{30, 30, 60, 60, 90})
		events = append(events, map[string]any{
			"Subject": pick(rng, eventSubjects), "WhoId": who, "WhatId": about, "OwnerId": owner,
			"StartDateTime": l.at(day, 9+rng.IntN(8), 30*rng.IntN(2)), "DurationInMinutes": minutes,
			"Location": pick(rng, []string{"Video call", "Phone", "Customer's office", "Our office"}), "Type": "Meeting",
		})
	}
	// Everyone has work today, this week and overdue.
	for _, o := range owners {
		task(o, 0, true)
		task(o, 0, true)
		task(o, 1+rng.IntN(6), true)
		task(o, 1+rng.IntN(6), true)
		task(o, -1-rng.IntN(5), true)
		event(o, 0)
		event(o, 1+rng.IntN(6))
	}
	for len(tasks) < salesTasks {
		day := -30 + rng.IntN(60)
		task(pick(rng, owners), day, day >= 0 || rng.IntN(5) == 0)
	}
	for len(events) < salesEvents {
		event(pick(rng, owners), -14+rng.IntN(35))
	}
	if _, err := l.create("tasks", "Task", tasks); err != nil {
		return err
	}
	_, err := l.create("events", "Event", events)
	return err
}

// attendees creates the Dreamforce attendees: a contact and a campaign
// member each, in batches, and the speakers' memberships.
func (l *loader) attendees(s *story) error {
	n := l.opt.Attendees
	total := n + len(s.speakers)
	l.progress("attendees", 0, total)
	speakers := make([]map[string]any, len(s.speakers))
	for i, id := range s.speakers {
		speakers[i] = map[string]any{"CampaignId": s.dreamforce, "ContactId": id, "Status": "Responded"}
	}
	if _, err := l.create("", "CampaignMember", speakers); err != nil {
		return err
	}

	// The attendees work for the sales accounts and for companies of their
	// own.
	rng := l.rng(partAttendees)
	cos := l.companies(salesAccounts + leadCompanies + attendeeCompanies(n))
	employers := cos[salesAccounts+leadCompanies:]
	accounts := make([]map[string]any, len(employers))
	for i, c := range employers {
		accounts[i] = map[string]any{
			"Name": c.name, "Industry": c.industry, "Website": "https://www." + c.domain, "Type": "Prospect",
			"BillingCity": c.city.name, "BillingState": c.city.state, "BillingCountry": c.city.country,
			"AccountSource": "Other", "OwnerId": l.users["riley"], "Description": "Sent people to Dreamforce 2018.",
		}
	}
	employerIDs, err := l.create("", "Account", accounts)
	if err != nil {
		return err
	}
	type employer struct {
		id rapport.ID
		c  company
	}
	var pool []employer
	for i, id := range l.salesAccounts {
		pool = append(pool, employer{id, cos[i]})
	}
	for i, c := range employers {
		pool = append(pool, employer{employerIDs[i], c})
	}

	done := len(s.speakers)
	l.progress("attendees", done, total)
	for lo := 0; lo < n; lo += batchSize {
		hi := min(lo+batchSize, n)
		contacts := make([]map[string]any, 0, hi-lo)
		for range hi - lo {
			e := pool[rng.IntN(len(pool))]
			first, last, email := person(rng, e.c)
			contacts = append(contacts, map[string]any{
				"FirstName": first, "LastName": last, "Email": email, "Title": pick(rng, titles), "AccountId": e.id,
				"MailingCity": e.c.city.name, "MailingState": e.c.city.state, "MailingCountry": e.c.city.country,
				"LeadSource": "Other", "OwnerId": l.users["riley"],
			})
		}
		ids, err := l.create("", "Contact", contacts)
		if err != nil {
			return err
		}
		members := make([]map[string]any, len(ids))
		for i, id := range ids {
			status := "Responded"
			if rng.IntN(20) == 0 {
				status = "Sent" // registered, never came
			}
			members[i] = map[string]any{"CampaignId": s.dreamforce, "ContactId": id, "Status": status}
		}
		if _, err := l.create("", "CampaignMember", members); err != nil {
			return err
		}
		done += len(ids)
		l.progress("attendees", done, total)
	}
	return nil
}
