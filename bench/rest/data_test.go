package rest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// contactCount contacts are loaded before the runs: GET reads random ones,
// the list query filters and sorts them all.
const contactCount = 10_000

// A list is a 50-row list query: its SOQL, and the field it filters and
// sorts on with the pattern as compared (lower-cased), which is all the
// bare handler needs to write the same statement.
type list struct {
	endpoint string
	soql     string
	field    string
	pattern  string
}

var lists = []list{
	// Issue 4's list. LastName has no index: both sides read every
	// contact, keep those of the two surnames starting with "Ma" (about
	// 400), sort them and return the first 50. The database's work
	// dominates.
	{"query", "SELECT Id, FirstName, LastName, Email FROM Contact WHERE LastName LIKE 'Ma%' ORDER BY LastName LIMIT 50", "LastName", "ma%"},
	// A list page as a list view asks for it: the name index holds the
	// order and two given names in 30 start with "A", so the database
	// walks the index and stops after about 50 entries. Rapport's own
	// work shows.
	{"queryname", "SELECT Id, FirstName, LastName, Email FROM Contact WHERE Name LIKE 'A%' ORDER BY Name LIMIT 50", "Name", "a%"},
}

var (
	givenNames = []string{
		"Ada", "Bram", "Cleo", "Dario", "Edith", "Femi", "Greta", "Hugo", "Ilse", "Joao",
		"Kira", "Lars", "Mina", "Nils", "Oona", "Pavel", "Rhea", "Sven", "Tomas", "Uma",
		"Vera", "Wen", "Yara", "Zane", "Alma", "Boris", "Cora", "Dev", "Elif", "Finn",
	}
	surnames = []string{
		"Abbott", "Bauer", "Castell", "Dahl", "Ekwueme", "Fontaine", "Gruber", "Holm", "Ibarra", "Jaeger",
		"Kaur", "Lindqvist", "Mack", "Nguyen", "Oyelaran", "Pereira", "Quint", "Ruiz", "Sato", "Toivonen",
		"Ulloa", "Voss", "Weber", "Xavier", "Yoon", "Zeller", "Achterberg", "Bondarenko", "Cruz", "Dvorak",
		"Esposito", "Farrell", "Gallo", "Horvat", "Iqbal", "Janssen", "Kovac", "Lund", "Marsh", "Novotny",
		"Olsen", "Pike", "Rahman", "Sokolova", "Tran", "Urbina", "Varga", "Wolff", "Young", "Zamora",
	}
	titles      = []string{"Engineer", "Director of Sales", "Buyer", "VP Operations", "Analyst", "Office Manager"}
	departments = []string{"Engineering", "Sales", "Purchasing", "Operations", "Finance", "Administration"}
	cities      = []string{"Lyon", "Porto", "Gdansk", "Tampere", "Ghent", "Bilbao", "Graz", "Aarhus"}
	leadSources = []string{"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}
)

// contactFields returns the i-th contact: the eight fields a client sends
// on create.
func contactFields(i int) map[string]any {
	first := givenNames[i%len(givenNames)]
	last := surnames[(i/len(givenNames)+i)%len(surnames)]
	return map[string]any{
		"FirstName":   first,
		"LastName":    last,
		"Email":       fmt.Sprintf("%s.%s.%d@example.org", strings.ToLower(first), strings.ToLower(last), i),
		"Phone":       fmt.Sprintf("+44 20 7946 %04d", i%10000),
		"Title":       titles[i%len(titles)],
		"Department":  departments[i%len(departments)],
		"MailingCity": cities[i%len(cities)],
		"LeadSource":  leadSources[i%len(leadSources)],
	}
}

// contactBody is the i-th contact as a create request's JSON body.
func contactBody(i int) []byte {
	b, err := json.Marshal(contactFields(i))
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	return b
}
