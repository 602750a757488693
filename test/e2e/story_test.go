package e2e_test

import (
	"strconv"
	"testing"

	"github.com/rapportcrm/rapport/demo"
	"github.com/rapportcrm/rapport/soql"
)

// The story's records as a person reads them: the Benioff–Ryan emails on
// both contacts, the returned donation on RAICES, and Dreamforce with its
// attendees counted; then Setup's users and profiles. Each page is saved
// as a screenshot.
func TestStoryPages(t *testing.T) {
	w := sharedWorld(t)
	tb := w.open(t)
	tb.signInAdmin()

	for _, name := range []string{"Marc Benioff", "Jonathan Ryan"} {
		c := w.one(t, "SELECT Id FROM Contact WHERE Name = "+soql.Quote(name))
		tb.goTo("/r/" + string(c.ID))
		tb.waitFor("#timeline")
		// Both emails, one sent and one received, on each of the two.
		tb.mustSee("Your $250,000 donation to RAICES", "Re: Your $250,000 donation to RAICES", "From Jonathan Ryan", "From Marc Benioff")
		if name == "Marc Benioff" {
			// A long email shows four lines; Show more shows it all.
			height := func() float64 {
				return eval[float64](tb, `document.querySelector(".activity-body.clamp").getBoundingClientRect().height`)
			}
			before := height()
			tb.click(".activity-more summary")
			if after := height(); after <= before {
				t.Errorf("Show more: the email's body is %vpx high, as before (%vpx)", after, before)
			}
			tb.screenShot("contact-record-emails")
		}
	}

	raices := w.one(t, "SELECT Id FROM Account WHERE Name = 'RAICES'")
	tb.goTo("/r/" + string(raices.ID))
	tb.waitPage("record")
	tb.mustSee(demo.DonationName, "Closed Lost", "Your $250,000 donation to RAICES") // the donation and its emails
	tb.shot("account-raices")

	df := w.one(t, "SELECT Id, NumberOfContacts FROM Campaign WHERE Name = "+soql.Quote(demo.DreamforceCampaign))
	if n, _ := field(df, "NumberOfContacts").(float64); int(n) != attendees+2 {
		t.Errorf("Dreamforce's Contacts in Campaign = %v, want %d attendees and 2 speakers", field(df, "NumberOfContacts"), attendees)
	}
	tb.goTo("/r/" + string(df.ID))
	tb.waitPage("record")
	tb.mustSee("Contacts in Campaign", strconv.Itoa(attendees+2), "Campaign Members")
	tb.screenShot("campaign-record")

	for _, page := range []struct{ path, shot, see string }{
		{"/setup/users", "setup-users", "Avery Chen"},
		{"/setup/profiles", "setup-profiles", "System Administrator"},
		{"/setup/objects", "setup-object-manager", "Account"},
		{"/setup/objects/Account/fields/new?type=Summary", "setup-rollup-field", "Only details where"},
		{"/setup/groups", "setup-groups", "Public Groups"},
	} {
		tb.goTo(page.path)
		tb.mustSee(page.see)
		tb.shot(page.shot)
	}
}
