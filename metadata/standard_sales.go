package metadata

// The sales and marketing objects: Account, Contact, Lead, Campaign,
// Opportunity, OpportunityContactRole, CampaignMember and Contract.

func accountObject() *Object {
	o := &Object{
		Name: "Account", Label: "Account", PluralLabel: "Accounts", KeyPrefix: "001",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		masterRecord("Account"),
		text("Name", "Account Name", 255, required, isName),
		picklist("Type", "Account Type", values("",
			"Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
			"Installation Partner", "Technology Partner", "Other",
		)),
		lookup("ParentId", "Parent Account ID", "Parent", to("Account"), children("ChildAccounts")),
	)
	o.Fields = append(o.Fields, address("Billing")...)
	o.Fields = append(o.Fields, address("Shipping")...)
	o.Fields = append(o.Fields,
		phone("Phone", "Account Phone"),
		phone("Fax", "Account Fax"),
		text("AccountNumber", "Account Number", 40),
		link("Website", "Website", 255),
		link("PhotoUrl", "Photo URL", 255, readOnly),
		text("Sic", "SIC Code", 20),
		picklist("Industry", "Industry", industries()),
		currency("AnnualRevenue", "Annual Revenue", 18, 0),
		number("NumberOfEmployees", "Employees", 8, 0),
		picklist("Ownership", "Ownership", values("", "Public", "Private", "Subsidiary", "Other")),
		text("TickerSymbol", "Ticker Symbol", 20),
		longTextArea("Description", "Account Description", 32000),
		picklist("Rating", "Account Rating", ratings()),
		text("Site", "Account Site", 80),
		lastActivityDate(),
	)
	o.Fields = append(o.Fields, recordViews()...)
	o.Fields = append(o.Fields,
		text("Jigsaw", "Data.com Key", 20),
		text("JigsawCompanyId", "Jigsaw Company ID", 20, readOnly),
		picklist("CleanStatus", "Clean Status", cleanStatuses(), restricted),
		picklist("AccountSource", "Account Source", leadSources()),
		text("DunsNumber", "D-U-N-S Number", 9),
		text("Tradestyle", "Tradestyle", 255),
		text("NaicsCode", "NAICS Code", 8),
		text("NaicsDesc", "NAICS Description", 120),
		text("YearStarted", "Year Started", 4),
		text("SicDesc", "SIC Description", 80),
	)
	return o
}

func contactObject() *Object {
	o := &Object{
		Name: "Contact", Label: "Contact", PluralLabel: "Contacts", KeyPrefix: "003",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		masterRecord("Contact"),
		// Deleting an account deletes its contacts.
		lookup("AccountId", "Account ID", "Account", to("Account"), children("Contacts"), onDelete(Cascade)),
	)
	o.Fields = append(o.Fields, personName(true)...)
	o.Fields = append(o.Fields, address("Other")...)
	o.Fields = append(o.Fields, address("Mailing")...)
	o.Fields = append(o.Fields,
		phone("Phone", "Business Phone"),
		phone("Fax", "Business Fax"),
		phone("MobilePhone", "Mobile Phone"),
		phone("HomePhone", "Home Phone"),
		phone("OtherPhone", "Other Phone"),
		phone("AssistantPhone", "Asst. Phone"),
		lookup("ReportsToId", "Reports To ID", "ReportsTo", to("Contact")),
		email("Email", "Email", 80),
		text("Title", "Title", 128),
		text("Department", "Department", 80),
		text("AssistantName", "Assistant's Name", 40),
		picklist("LeadSource", "Lead Source", leadSources()),
		date("Birthdate", "Birthdate"),
		longTextArea("Description", "Contact Description", 32000),
		checkbox("HasOptedOutOfEmail", "Email Opt Out"),
		checkbox("HasOptedOutOfFax", "Fax Opt Out"),
		checkbox("DoNotCall", "Do Not Call"),
		lastActivityDate(),
		date("LastCURequestDate", "Last Stay-in-Touch Request Date", readOnly),
		date("LastCUUpdateDate", "Last Stay-in-Touch Save Date", readOnly),
	)
	o.Fields = append(o.Fields, recordViews()...)
	o.Fields = append(o.Fields,
		text("EmailBouncedReason", "Email Bounced Reason", 255),
		dateTime("EmailBouncedDate", "Email Bounced Date"),
		checkbox("IsEmailBounced", "Is Email Bounced", readOnly),
		link("PhotoUrl", "Photo URL", 255, readOnly),
		text("Jigsaw", "Data.com Key", 20),
		text("JigsawContactId", "Jigsaw Contact ID", 20, readOnly),
		picklist("CleanStatus", "Clean Status", cleanStatuses(), restricted),
	)
	return o
}

func leadObject() *Object {
	o := &Object{
		Name: "Lead", Label: "Lead", PluralLabel: "Leads", KeyPrefix: "00Q",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields, masterRecord("Lead"))
	o.Fields = append(o.Fields, personName(true)...)
	o.Fields = append(o.Fields,
		text("Title", "Title", 128),
		text("Company", "Company", 255, required),
	)
	o.Fields = append(o.Fields, address("")...)
	o.Fields = append(o.Fields,
		phone("Phone", "Phone"),
		phone("MobilePhone", "Mobile Phone"),
		phone("Fax", "Fax"),
		email("Email", "Email", 80),
		link("Website", "Website", 255),
		link("PhotoUrl", "Photo URL", 255, readOnly),
		longTextArea("Description", "Description", 32000),
		picklist("LeadSource", "Lead Source", leadSources()),
		picklist("Status", "Status", []PicklistValue{
			{Value: "Open - Not Contacted", Default: true},
			{Value: "Working - Contacted"},
			{Value: "Closed - Converted", Converted: true},
			{Value: "Closed - Not Converted"},
		}, required, restricted),
		picklist("Industry", "Industry", industries()),
		picklist("Rating", "Rating", ratings()),
		currency("AnnualRevenue", "Annual Revenue", 18, 0),
		number("NumberOfEmployees", "Employees", 8, 0),
		checkbox("HasOptedOutOfEmail", "Email Opt Out"),
		checkbox("IsConverted", "Converted", readOnly),
		date("ConvertedDate", "Converted Date", readOnly),
		lookup("ConvertedAccountId", "Converted Account ID", "ConvertedAccount", to("Account"), readOnly),
		lookup("ConvertedContactId", "Converted Contact ID", "ConvertedContact", to("Contact"), readOnly),
		lookup("ConvertedOpportunityId", "Converted Opportunity ID", "ConvertedOpportunity", to("Opportunity"), readOnly),
		checkbox("IsUnreadByOwner", "Unread By Owner"),
		lastActivityDate(),
		checkbox("DoNotCall", "Do Not Call"),
		checkbox("HasOptedOutOfFax", "Fax Opt Out"),
	)
	o.Fields = append(o.Fields, recordViews()...)
	o.Fields = append(o.Fields,
		text("Jigsaw", "Data.com Key", 20),
		text("JigsawContactId", "Jigsaw Contact ID", 20, readOnly),
		picklist("CleanStatus", "Clean Status", cleanStatuses(), restricted),
		text("CompanyDunsNumber", "Company D-U-N-S Number", 9),
		text("EmailBouncedReason", "Email Bounced Reason", 255),
		dateTime("EmailBouncedDate", "Email Bounced Date"),
	)
	return o
}

func campaignObject() *Object {
	o := &Object{
		Name: "Campaign", Label: "Campaign", PluralLabel: "Campaigns", KeyPrefix: "701",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		text("Name", "Name", 80, required, isName),
		lookup("ParentId", "Parent Campaign ID", "Parent", to("Campaign"), children("ChildCampaigns")),
		picklist("Type", "Type", values("",
			"Conference", "Webinar", "Trade Show", "Public Relations", "Partners",
			"Referral Program", "Advertisement", "Banner Ads", "Direct Mail", "Email",
			"Telemarketing", "Other",
		)),
		picklist("Status", "Status", values("Planned", "Planned", "In Progress", "Completed", "Aborted")),
		date("StartDate", "Start Date"),
		date("EndDate", "End Date"),
		currency("ExpectedRevenue", "Expected Revenue in Campaign", 18, 0),
		currency("BudgetedCost", "Budgeted Cost in Campaign", 18, 0),
		currency("ActualCost", "Actual Cost in Campaign", 18, 0),
		percent("ExpectedResponse", "Expected Response (%)", 10, 2),
		number("NumberSent", "Num Sent in Campaign", 18, 0),
		checkbox("IsActive", "Active"),
		longTextArea("Description", "Description", 32000),
	)
	// Roll-ups Rapport maintains from the campaign's members and
	// opportunities, and from its child campaigns.
	for _, c := range []struct{ name, label string }{
		{"NumberOfLeads", "Leads in Campaign"},
		{"NumberOfConvertedLeads", "Converted Leads in Campaign"},
		{"NumberOfContacts", "Contacts in Campaign"},
		{"NumberOfResponses", "Responses in Campaign"},
		{"NumberOfOpportunities", "Opportunities in Campaign"},
		{"NumberOfWonOpportunities", "Won Opportunities in Campaign"},
	} {
		o.Fields = append(o.Fields, number(c.name, c.label, 9, 0, readOnly))
	}
	o.Fields = append(o.Fields,
		currency("AmountAllOpportunities", "Value Opportunities in Campaign", 18, 0, readOnly),
		currency("AmountWonOpportunities", "Value Won Opportunities in Campaign", 18, 0, readOnly),
	)
	for _, c := range []struct{ name, label string }{
		{"HierarchyNumberOfLeads", "Leads in Hierarchy"},
		{"HierarchyNumberOfConvertedLeads", "Converted Leads in Hierarchy"},
		{"HierarchyNumberOfContacts", "Contacts in Hierarchy"},
		{"HierarchyNumberOfResponses", "Responses in Hierarchy"},
		{"HierarchyNumberOfOpportunities", "Opportunities in Hierarchy"},
		{"HierarchyNumberOfWonOpportunities", "Won Opportunities in Hierarchy"},
	} {
		o.Fields = append(o.Fields, number(c.name, c.label, 9, 0, readOnly))
	}
	o.Fields = append(o.Fields,
		currency("HierarchyAmountAllOpportunities", "Value Opportunities in Hierarchy", 18, 0, readOnly),
		currency("HierarchyAmountWonOpportunities", "Value Won Opportunities in Hierarchy", 18, 0, readOnly),
		number("HierarchyNumberSent", "Total Num Sent in Hierarchy", 18, 0, readOnly),
		currency("HierarchyExpectedRevenue", "Total Expected Revenue in Hierarchy", 18, 0, readOnly),
		currency("HierarchyBudgetedCost", "Total Budgeted Cost in Hierarchy", 18, 0, readOnly),
		currency("HierarchyActualCost", "Total Actual Cost in Hierarchy", 18, 0, readOnly),
		lastActivityDate(),
	)
	o.Fields = append(o.Fields, recordViews()...)
	return o
}

// stage builds an opportunity stage; forecast is a ForecastCategoryName value.
func stage(value string, probability int, forecast string, closed, won bool) PicklistValue {
	return PicklistValue{Value: value, Probability: &probability, ForecastCategory: forecast, Closed: closed, Won: won}
}

func opportunityObject() *Object {
	o := &Object{
		Name: "Opportunity", Label: "Opportunity", PluralLabel: "Opportunities", KeyPrefix: "006",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		// Deleting an account deletes its opportunities.
		lookup("AccountId", "Account ID", "Account", to("Account"), children("Opportunities"), onDelete(Cascade)),
		checkbox("IsPrivate", "Private"),
		text("Name", "Name", 120, required, isName),
		longTextArea("Description", "Description", 32000),
		picklist("StageName", "Stage", []PicklistValue{
			stage("Prospecting", 10, "Pipeline", false, false),
			stage("Qualification", 10, "Pipeline", false, false),
			stage("Needs Analysis", 20, "Pipeline", false, false),
			stage("Value Proposition", 50, "Pipeline", false, false),
			stage("Id. Decision Makers", 60, "Pipeline", false, false),
			stage("Perception Analysis", 70, "Pipeline", false, false),
			stage("Proposal/Price Quote", 75, "Pipeline", false, false),
			stage("Negotiation/Review", 90, "Pipeline", false, false),
			stage("Closed Won", 100, "Closed", true, true),
			stage("Closed Lost", 0, "Omitted", true, false),
		}, required, restricted),
		currency("Amount", "Amount", 18, 2),
		percent("Probability", "Probability (%)", 3, 0),
		currency("ExpectedRevenue", "Expected Amount", 18, 2, readOnly,
			about("Amount × Probability, kept by Rapport.")),
		number("TotalOpportunityQuantity", "Quantity", 18, 2),
		date("CloseDate", "Close Date", required),
		picklist("Type", "Opportunity Type", values("",
			"Existing Customer - Upgrade", "Existing Customer - Replacement",
			"Existing Customer - Downgrade", "New Customer",
		)),
		text("NextStep", "Next Step", 255),
		picklist("LeadSource", "Lead Source", leadSources()),
		checkbox("IsClosed", "Closed", readOnly),
		checkbox("IsWon", "Won", readOnly),
		picklist("ForecastCategory", "Forecast Category", labeled("",
			"Omitted", "Omitted",
			"Pipeline", "Pipeline",
			"BestCase", "Best Case",
			"Forecast", "Commit",
			"Closed", "Closed",
		), restricted, readOnly),
		picklist("ForecastCategoryName", "Forecast Category", values("",
			"Omitted", "Pipeline", "Best Case", "Commit", "Closed",
		), restricted, about("Defaults to the stage's forecast category.")),
		lookup("CampaignId", "Campaign ID", "Campaign", to("Campaign"), children("Opportunities")),
		checkbox("HasOpportunityLineItem", "Has Line Item", readOnly),
		lastActivityDate(),
		lookup("ContactId", "Contact ID", "Contact", to("Contact"), children("Opportunities")),
		text("Fiscal", "Fiscal Period", 6, readOnly),
		number("FiscalQuarter", "Fiscal Quarter", 8, 0, readOnly),
		number("FiscalYear", "Fiscal Year", 8, 0, readOnly),
		number("AgeInDays", "Age", 9, 0, readOnly),
		lookup("ContractId", "Contract ID", "Contract", to("Contract")),
		checkbox("HasOpenActivity", "Has Open Activity", readOnly),
		checkbox("HasOverdueTask", "Has Overdue Task", readOnly),
		dateTime("LastStageChangeDate", "Last Stage Change Date", readOnly),
	)
	o.Fields = append(o.Fields, recordViews()...)
	return o
}

func opportunityContactRoleObject() *Object {
	o := &Object{
		Name: "OpportunityContactRole", Label: "Opportunity Contact Role", PluralLabel: "Opportunity Contact Role",
		KeyPrefix: "00K", Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("OpportunityId", "Opportunity ID", "Opportunity", to("Opportunity"),
			required, createOnly, children("OpportunityContactRoles"), onDelete(Cascade)),
		lookup("ContactId", "Contact ID", "Contact", to("Contact"),
			required, children("OpportunityContactRoles"), onDelete(Cascade)),
		picklist("Role", "Role", values("",
			"Business User", "Decision Maker", "Economic Buyer", "Economic Decision Maker",
			"Evaluator", "Executive Sponsor", "Influencer", "Technical Buyer", "Other",
		)),
		checkbox("IsPrimary", "Primary"),
	)
	return o
}

func campaignMemberObject() *Object {
	o := &Object{
		Name: "CampaignMember", Label: "Campaign Member", PluralLabel: "Campaign Members",
		KeyPrefix: "00v", Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("CampaignId", "Campaign ID", "Campaign", to("Campaign"),
			required, createOnly, children("CampaignMembers"), onDelete(Cascade)),
		lookup("LeadId", "Lead ID", "Lead", to("Lead"),
			createOnly, children("CampaignMembers"), onDelete(Cascade)),
		lookup("ContactId", "Contact ID", "Contact", to("Contact"),
			createOnly, children("CampaignMembers"), onDelete(Cascade)),
		// The statuses are the campaign's member statuses; these two are the
		// ones every new campaign starts with.
		picklist("Status", "Status", values("Sent", "Sent", "Responded")),
		checkbox("HasResponded", "Responded", readOnly),
		date("FirstRespondedDate", "First Responded Date", readOnly),
		// Copied from the lead or contact.
		picklist("Salutation", "Salutation", salutations(), readOnly),
		text("Name", "Name", 121, readOnly),
		text("FirstName", "First Name", 40, readOnly),
		text("LastName", "Last Name", 80, readOnly),
		text("Title", "Title", 128, readOnly),
		textArea("Street", "Street", 255, readOnly),
		text("City", "City", 40, readOnly),
		text("State", "State/Province", 80, readOnly),
		text("PostalCode", "Zip/Postal Code", 20, readOnly),
		text("Country", "Country", 80, readOnly),
		email("Email", "Email", 80, readOnly),
		phone("Phone", "Phone", readOnly),
		phone("Fax", "Fax", readOnly),
		phone("MobilePhone", "Mobile", readOnly),
		longTextArea("Description", "Description", 32000, readOnly),
		checkbox("DoNotCall", "Do Not Call", readOnly),
		checkbox("HasOptedOutOfEmail", "Email Opt Out", readOnly),
		checkbox("HasOptedOutOfFax", "Fax Opt Out", readOnly),
		picklist("LeadSource", "Lead Source", leadSources(), readOnly),
		text("CompanyOrAccount", "Company (Account)", 255, readOnly),
		picklist("Type", "Type", values("", "Lead", "Contact"), restricted, readOnly),
		lookup("LeadOrContactId", "Lead/Contact ID", "LeadOrContact", to("Lead", "Contact"), readOnly),
		lookup("LeadOrContactOwnerId", "Lead/Contact Owner ID", "LeadOrContactOwner", to("User", "Group"), readOnly),
	)
	return o
}

func contractObject() *Object {
	o := &Object{
		Name: "Contract", Label: "Contract", PluralLabel: "Contracts", KeyPrefix: "800",
		NameField: "ContractNumber", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		// Deleting an account deletes its contracts; Rapport refuses it while
		// one is activated.
		lookup("AccountId", "Account ID", "Account", to("Account"), required, children("Contracts"), onDelete(Cascade)),
		picklist("OwnerExpirationNotice", "Owner Expiration Notice", labeled("",
			"15", "15 Days",
			"30", "30 Days",
			"45", "45 Days",
			"60", "60 Days",
			"90", "90 Days",
			"120", "120 Days",
		), restricted),
		date("StartDate", "Contract Start Date"),
		date("EndDate", "Contract End Date", readOnly, about("StartDate plus ContractTerm months, less a day.")),
	)
	o.Fields = append(o.Fields, address("Billing")...)
	o.Fields = append(o.Fields, address("Shipping")...)
	o.Fields = append(o.Fields,
		number("ContractTerm", "Contract Term", 4, 0),
		picklist("Status", "Status", values("Draft", "Draft", "In Approval Process", "Activated"), required, restricted),
		lookup("CompanySignedId", "Company Signed By ID", "CompanySigned", to("User")),
		date("CompanySignedDate", "Company Signed Date"),
		lookup("CustomerSignedId", "Customer Signed By ID", "CustomerSigned", to("Contact"), children("ContractsSigned")),
		text("CustomerSignedTitle", "Customer Signed Title", 40),
		date("CustomerSignedDate", "Customer Signed Date"),
		textArea("SpecialTerms", "Special Terms", 4000),
		lookup("ActivatedById", "Activated By ID", "ActivatedBy", to("User"), readOnly),
		dateTime("ActivatedDate", "Activated Date", readOnly),
		picklist("StatusCode", "Status Category", labeled("Draft",
			"Draft", "Draft",
			"InApproval", "In Approval Process",
			"Activated", "Activated",
			"Terminated", "Terminated",
			"Expired", "Expired",
		), restricted, readOnly),
		longTextArea("Description", "Description", 32000),
		text("Name", "Contract Name", 80),
		autoNumber("ContractNumber", "Contract Number", "{00000000}", isName),
		dateTime("LastApprovedDate", "Last Approved Date", readOnly),
		lastActivityDate(),
	)
	o.Fields = append(o.Fields, recordViews()...)
	return o
}
