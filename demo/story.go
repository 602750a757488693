package demo

import (
	"time"

	"github.com/rapportcrm/rapport"
)

// story holds the IDs of the story's records that other parts refer to.
type story struct {
	accounts   map[string]rapport.ID // by name
	contacts   map[string]rapport.ID // by full name
	dreamforce rapport.ID            // the Dreamforce 2018 campaign
	protest    rapport.ID            // Demand Progress's campaign
	speakers   []rapport.ID          // contacts who speak at Dreamforce
	donation   rapport.ID            // the opportunity of the returned donation
}

// Story names that tests and callers may look for.
const (
	DreamforceCampaign = "Dreamforce 2018"
	ProtestCampaign    = "Salesforce: Cancel Your Contract with CBP"
	CBPOpportunity     = "CBP Workforce Management Platform"
	CBPContractName    = "CBP Recruiting and Workforce Management"
	DonationName       = "RAICES Donation ($250,000)"
	DonationReason     = "Returned: RAICES refused the donation because of Salesforce's contract with U.S. Customs and Border Protection."
)

var storyAccounts = []map[string]any{
	{"Name": "Salesforce", "Type": "Technology Partner", "Industry": "Technology", "Website": "https://www.salesforce.com",
		"Phone": "+1 415-901-7000", "BillingStreet": "415 Mission Street", "BillingCity": "San Francisco", "BillingState": "CA",
		"BillingPostalCode": "94105", "BillingCountry": "United States", "TickerSymbol": "CRM", "Ownership": "Public",
		"NumberOfEmployees": 35000, "AnnualRevenue": 10480000000, "YearStarted": "1999",
		"Description": "Cloud CRM vendor; runs the Dreamforce conference in San Francisco."},
	{"Name": "Google", "Type": "Technology Partner", "Industry": "Technology", "Website": "https://www.google.com",
		"Phone": "+1 650-253-0000", "BillingStreet": "1600 Amphitheatre Parkway", "BillingCity": "Mountain View", "BillingState": "CA",
		"BillingPostalCode": "94043", "BillingCountry": "United States", "TickerSymbol": "GOOGL", "Ownership": "Subsidiary",
		"NumberOfEmployees": 98000, "YearStarted": "1998", "Description": "Strategic partner: Google Cloud and G Suite integrations."},
	{"Name": "Apple", "Type": "Technology Partner", "Industry": "Electronics", "Website": "https://www.apple.com",
		"Phone": "+1 408-996-1010", "BillingStreet": "One Apple Park Way", "BillingCity": "Cupertino", "BillingState": "CA",
		"BillingPostalCode": "95014", "BillingCountry": "United States", "TickerSymbol": "AAPL", "Ownership": "Public",
		"NumberOfEmployees": 132000, "YearStarted": "1976", "Description": "Strategic partner: native iOS apps and a mobile SDK."},
	{"Name": "U.S. Customs and Border Protection", "Type": "Customer - Direct", "Industry": "Government", "Website": "https://www.cbp.gov",
		"Phone": "+1 877-227-5511", "BillingStreet": "1300 Pennsylvania Avenue NW", "BillingCity": "Washington", "BillingState": "DC",
		"BillingPostalCode": "20229", "BillingCountry": "United States", "Ownership": "Other", "NumberOfEmployees": 60000,
		"Description": "Federal agency of the Department of Homeland Security. Customer since 2018."},
	{"Name": "RAICES", "Type": "Other", "Industry": "Not For Profit", "Website": "https://www.raicestexas.org",
		"Phone": "+1 210-226-7722", "BillingCity": "San Antonio", "BillingState": "TX", "BillingCountry": "United States",
		"Ownership": "Private", "NumberOfEmployees": 150, "YearStarted": "1986",
		"Description": "Refugee and Immigrant Center for Education and Legal Services: free and low-cost legal services to immigrant families and refugees in Texas."},
	{"Name": "Demand Progress", "Type": "Other", "Industry": "Not For Profit", "Website": "https://demandprogress.org",
		"Phone": "+1 202-555-0147", "BillingCity": "Washington", "BillingState": "DC", "BillingCountry": "United States",
		"Ownership": "Private", "YearStarted": "2010",
		"Description": "Advocacy group campaigning for civil liberties and government accountability."},
	{"Name": "Generation Investment Management", "Type": "Other", "Industry": "Finance", "Website": "https://www.generationim.com",
		"BillingCity": "London", "BillingCountry": "United Kingdom", "Ownership": "Private", "YearStarted": "2004",
		"Description": "Sustainable investment firm chaired by Al Gore."},
	{"Name": "i.am+", "Type": "Prospect", "Industry": "Technology", "Website": "https://www.iamplus.com",
		"BillingCity": "Los Angeles", "BillingState": "CA", "BillingCountry": "United States", "Ownership": "Private",
		"Description": "Voice-assistant technology company founded by will.i.am."},
}

type storyContact struct {
	first, last, account, title, email, description string
}

var storyContacts = []storyContact{
	{"Marc", "Benioff", "Salesforce", "Chair and CEO", "mbenioff@salesforce.example", "Co-founder of Salesforce."},
	{"Tihi", "Hayslett", "Salesforce", "", "thayslett@salesforce.example", "Salesforce employee."},
	{"Jonathan", "Ryan", "RAICES", "Executive Director", "jonathan.ryan@raices.example", ""},
	{"Al", "Gore", "Generation Investment Management", "Chairman", "al.gore@generation.example", "Keynote speaker at Dreamforce 2018."},
	{"will.i.am", "", "i.am+", "Founder and CEO", "will@iamplus.example", "Keynote speaker at Dreamforce 2018."},
	{"Lauren", "Ortiz", "Demand Progress", "Campaign Director", "lauren.ortiz@demandprogress.example", "Organiser of the protest against the CBP contract."},
	{"Marcus", "Webb", "Demand Progress", "Organizer", "marcus.webb@demandprogress.example", ""},
	{"Priya", "Nair", "Google", "Director, Cloud Partnerships", "priya.nair@google.example", ""},
	{"Tom", "Ellis", "Apple", "Head of Enterprise Partnerships", "tom.ellis@apple.example", ""},
	{"Dana", "Whitfield", "U.S. Customs and Border Protection", "Chief Human Capital Officer", "dana.whitfield@cbp.example", ""},
}

// story creates the story's records.
func (l *loader) story() (*story, error) {
	s := &story{accounts: map[string]rapport.ID{}, contacts: map[string]rapport.ID{}}
	accounts := make([]map[string]any, len(storyAccounts))
	for i, a := range storyAccounts {
		rec := map[string]any{"OwnerId": l.users["avery"]}
		for k, v := range a {
			rec[k] = v
		}
		accounts[i] = rec
	}
	ids, err := l.create("", "Account", accounts)
	if err != nil {
		return nil, err
	}
	for i, a := range storyAccounts {
		s.accounts[a["Name"].(string)] = ids[i]
	}

	contacts := make([]map[string]any, len(storyContacts))
	for i, c := range storyContacts {
		last, first := c.last, c.first
		if last == "" { // one name only: it is the last name
			last, first = first, ""
		}
		contacts[i] = map[string]any{"FirstName": first, "LastName": last, "AccountId": s.accounts[c.account], "Title": c.title,
			"Email": c.email, "Description": c.description, "OwnerId": l.users["avery"]}
	}
	ids, err = l.create("", "Contact", contacts)
	if err != nil {
		return nil, err
	}
	for i, c := range storyContacts {
		s.contacts[fullName(c.first, c.last)] = ids[i]
	}
	s.speakers = []rapport.ID{s.contacts["Al Gore"], s.contacts["will.i.am"]}

	if err := l.campaigns(s); err != nil {
		return nil, err
	}
	if err := l.deals(s); err != nil {
		return nil, err
	}
	if err := l.emails(s); err != nil {
		return nil, err
	}
	return s, nil
}

func fullName(first, last string) string {
	if first == "" || last == "" {
		return first + last
	}
	return first + " " + last
}

func (l *loader) campaigns(s *story) error {
	var err error
	s.dreamforce, err = l.one("Campaign", map[string]any{
		"Name": DreamforceCampaign, "Type": "Conference", "Status": "Completed", "IsActive": true,
		"StartDate": "2018-09-25", "EndDate": "2018-09-28",
		"NumberSent": 200000, "ExpectedResponse": 85, // 170,000 expected visitors
		"BudgetedCost": 60000000, "ActualCost": 58500000, "ExpectedRevenue": 150000000,
		"OwnerId":     l.users["riley"],
		"Description": "Salesforce's annual conference at the Moscone Center, San Francisco, September 25–28, 2018: 170,000 expected visitors, keynotes by Marc Benioff, Al Gore and will.i.am, and partner announcements with Google and Apple.",
	})
	if err != nil {
		return err
	}
	s.protest, err = l.one("Campaign", map[string]any{
		"Name": ProtestCampaign, "Type": "Public Relations", "Status": "Completed", "IsActive": true,
		"StartDate": "2018-06-25", "EndDate": "2018-09-28", "NumberSent": 2500, "ExpectedResponse": 20,
		"OwnerId":     l.users["riley"],
		"Description": "Demand Progress's protest against Salesforce's contract with U.S. Customs and Border Protection: a petition, then a demonstration outside Dreamforce. Salesforce's staff and customers were invited to join.",
	})
	if err != nil {
		return err
	}
	// The protest's members: its organisers, and the staff and customers
	// they invited.
	var members []map[string]any
	for _, c := range []struct{ name, status string }{
		{"Lauren Ortiz", "Responded"}, {"Marcus Webb", "Responded"}, {"Tihi Hayslett", "Sent"},
		{"Jonathan Ryan", "Sent"}, {"Priya Nair", "Sent"}, {"Tom Ellis", "Sent"},
	} {
		members = append(members, map[string]any{"CampaignId": s.protest, "ContactId": s.contacts[c.name], "Status": c.status})
	}
	_, err = l.create("", "CampaignMember", members)
	return err
}

// deals creates the CBP contract and its opportunity, the partnerships and
// the returned donation.
func (l *loader) deals(s *story) error {
	cbp := s.accounts["U.S. Customs and Border Protection"]
	contract, err := l.one("Contract", map[string]any{
		"AccountId": cbp, "Name": CBPContractName, "Status": "Activated", "StartDate": "2018-03-01", "ContractTerm": 36,
		"CustomerSignedId": s.contacts["Dana Whitfield"], "CustomerSignedTitle": "Chief Human Capital Officer",
		"CustomerSignedDate": "2018-02-26", "CompanySignedId": l.users["avery"], "CompanySignedDate": "2018-02-27",
		"OwnerExpirationNotice": "90", "OwnerId": l.users["avery"],
		"Description": "Service Cloud and Analytics for CBP's recruiting, hiring and workforce management.",
	})
	if err != nil {
		return err
	}
	future := func(days int) string { return dateString(l.day(days)) }
	opps := []map[string]any{
		{"Name": CBPOpportunity, "AccountId": cbp, "ContractId": contract, "StageName": "Closed Won", "Amount": 20300000,
			"CloseDate": "2018-02-27", "Type": "New Customer", "LeadSource": "Partner Referral", "OwnerId": l.users["jordan"],
			"ContactId":   s.contacts["Dana Whitfield"],
			"Description": "Recruiting and workforce management for U.S. Customs and Border Protection on Service Cloud and Analytics."},
		{"Name": "Google Cloud Partnership", "AccountId": s.accounts["Google"], "StageName": "Negotiation/Review", "Amount": 4500000,
			"CloseDate": future(45), "Type": "New Customer", "NextStep": "Joint announcement at Dreamforce",
			"OwnerId": l.users["avery"], "ContactId": s.contacts["Priya Nair"], "CampaignId": s.dreamforce,
			"Description": "Integrations between Salesforce and Google Cloud, G Suite and Google Analytics 360."},
		{"Name": "Apple iOS Partnership", "AccountId": s.accounts["Apple"], "StageName": "Proposal/Price Quote", "Amount": 3200000,
			"CloseDate": future(75), "Type": "New Customer", "NextStep": "Mobile SDK review with Apple's enterprise team",
			"OwnerId": l.users["sam"], "ContactId": s.contacts["Tom Ellis"], "CampaignId": s.dreamforce,
			"Description": "Native iOS apps and a mobile SDK built with Apple."},
		{"Name": DonationName, "AccountId": s.accounts["RAICES"], "StageName": "Closed Lost", "Amount": 250000,
			"CloseDate": "2018-07-02", "OwnerId": l.users["admin"], "ContactId": s.contacts["Jonathan Ryan"],
			"NextStep": "None: the donation was returned", "Description": DonationReason},
	}
	ids, err := l.create("", "Opportunity", opps)
	if err != nil {
		return err
	}
	s.donation = ids[len(ids)-1]
	return nil
}

// An email of the Benioff–Ryan exchange.
type storyEmail struct {
	from, to       string // contact names
	fromAddress    string
	subject, body  string
	incoming       bool
	status         string // EmailMessage.Status: 1 Read, 3 Sent
	year           int
	mon            time.Month
	day, hour, min int
}

var storyEmails = []storyEmail{
	{
		from: "Jonathan Ryan", to: "Marc Benioff", incoming: true, status: "1",
		subject: "Your $250,000 donation to RAICES",
		body: "Dear Mr. Benioff,\n\n" +
			"Thank you for the offer of a $250,000 donation to RAICES. We cannot accept it.\n\n" +
			"Salesforce holds a contract with U.S. Customs and Border Protection, the agency that carries out the separation of families at the border. " +
			"The families we represent every day are harmed by that work, and we will not take money from a company that supports it. " +
			"We are returning the donation, and we ask Salesforce to end its contract with CBP.\n\n" +
			"Jonathan Ryan\nExecutive Director, RAICES",
		year: 2018, mon: time.July, day: 2, hour: 9, min: 12,
	},
	{
		from: "Marc Benioff", to: "Jonathan Ryan", incoming: false, status: "3",
		subject: "Re: Your $250,000 donation to RAICES",
		body: "Dear Jonathan,\n\n" +
			"I respect your decision and the work RAICES does for families at the border.\n\n" +
			"Salesforce is not working with CBP on the separation of families: our software is used for recruiting and workforce management. " +
			"We oppose the separation of children from their parents, and we will keep supporting organisations that help these families.\n\n" +
			"Marc",
		year: 2018, mon: time.July, day: 2, hour: 17, min: 40,
	},
}

// emails records the Benioff–Ryan exchange: each email is related to the
// donation and, through EmailMessageRelation, to its sender and its
// recipient, so that it shows on both contacts.
func (l *loader) emails(s *story) error {
	address := map[string]string{}
	for _, c := range storyContacts {
		address[fullName(c.first, c.last)] = c.email
	}
	var replyTo rapport.ID
	for _, e := range storyEmails {
		msg := map[string]any{
			"RelatedToId": s.donation, "Subject": e.subject, "TextBody": e.body,
			"FromName": e.from, "FromAddress": address[e.from], "ToAddress": address[e.to], "Incoming": e.incoming,
			"Status": e.status, "MessageDate": l.utc(e.year, e.mon, e.day, e.hour, e.min),
		}
		if replyTo != "" {
			msg["ReplyToEmailMessageId"] = replyTo
		}
		id, err := l.one("EmailMessage", msg)
		if err != nil {
			return err
		}
		for _, r := range []struct{ who, kind string }{{e.from, "FromAddress"}, {e.to, "ToAddress"}} {
			if _, err := l.one("EmailMessageRelation", map[string]any{
				"EmailMessageId": id, "RelationId": s.contacts[r.who], "RelationAddress": address[r.who], "RelationType": r.kind,
			}); err != nil {
				return err
			}
		}
		replyTo = id
	}
	_, err := l.one("Note", map[string]any{
		"ParentId": s.accounts["RAICES"], "Title": "About this demo data", "OwnerId": l.users["admin"],
		"Body": "The Dreamforce, CBP, Demand Progress and RAICES records dramatize public news reports from 2018. The emails are paraphrased, and every email address is made up.",
	})
	return err
}
