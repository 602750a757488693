package metadata

// The org and the objects security is built on: Organization, Profile,
// UserRole, User and Group.

func organizationObject() *Object {
	o := &Object{
		Name: "Organization", Label: "Organization", PluralLabel: "Organizations", KeyPrefix: "00D",
		NameField: "Name", Updateable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		text("Name", "Name", 80, required, isName),
		text("Division", "Division", 80),
	)
	o.Fields = append(o.Fields, address("")...)
	o.Fields = append(o.Fields,
		phone("Phone", "Phone"),
		phone("Fax", "Fax"),
		text("PrimaryContact", "Primary Contact", 80),
		picklist("DefaultLocaleSidKey", "Locale", locales(), required),
		picklist("TimeZoneSidKey", "Default Time Zone", timeZones(), required),
		picklist("LanguageLocaleKey", "Language", languages(), required),
		picklist("DefaultCurrencyIsoCode", "Default Currency ISO Code", currencies(), required,
			about("The org's currency; every currency amount is in it until multiple currencies are enabled.")),
		checkbox("ReceivesInfoEmails", "Info Emails"),
		checkbox("ReceivesAdminInfoEmails", "Info Emails Admin"),
		checkbox("PreferencesRequireOpportunityProducts", "RequireOpportunityProducts"),
		checkbox("PreferencesTransactionSecurityPolicy", "TransactionSecurityPolicy"),
		checkbox("PreferencesTerminateOldestSession", "TerminateOldestSession"),
		checkbox("PreferencesConsentManagementEnabled", "ConsentManagementEnabled"),
		checkbox("PreferencesAutoSelectIndividualOnMerge", "AutoSelectIndividualOnMerge"),
		checkbox("PreferencesLightningLoginEnabled", "LightningLoginEnabled"),
		checkbox("PreferencesOnlyLLPermUserAllowed", "OnlyLLPermUserAllowed"),
		number("FiscalYearStartMonth", "Fiscal Year Starts In", 2, 0, readOnly, defaultValue("1")),
		checkbox("UsesStartDateAsFiscalYearName", "Fiscal Year Name by Start", readOnly),
		picklist("DefaultAccountAccess", "Default Account Access", accessLevels(), restricted, readOnly),
		picklist("DefaultContactAccess", "Default Contact Access",
			append(accessLevels(), PicklistValue{Value: "ControlledByParent", Label: "Controlled by Parent"}), restricted, readOnly),
		picklist("DefaultOpportunityAccess", "Default Opportunity Access", accessLevels(), restricted, readOnly),
		picklist("DefaultLeadAccess", "Default Lead Access",
			append(accessLevels(), PicklistValue{Value: "ReadEditTransfer", Label: "Public Read/Write/Transfer"}), restricted, readOnly),
		picklist("DefaultCaseAccess", "Default Case Access",
			append(accessLevels(), PicklistValue{Value: "ReadEditTransfer", Label: "Public Read/Write/Transfer"}), restricted, readOnly),
		picklist("DefaultCalendarAccess", "Default Calendar Access", labeled("",
			"HideDetails", "Hide Details",
			"HideDetailsInsert", "Hide Details and Add Events",
			"ShowDetails", "Show Details",
			"ShowDetailsInsert", "Show Details and Add Events",
			"AllowEdits", "Full Access",
		), restricted, readOnly),
		picklist("DefaultPricebookAccess", "Default Price Book Access", labeled("",
			"None", "No Access",
			"Read", "View Only",
			"ReadSelect", "Use",
		), restricted, readOnly),
		picklist("DefaultCampaignAccess", "Default Campaign Access",
			append(accessLevels(), PicklistValue{Value: "All", Label: "Public Full Access"}), restricted, readOnly),
		email("ComplianceBccEmail", "Compliance BCC Email", 80, readOnly),
		picklist("UiSkin", "UI Skin", values("", "Theme1", "Theme2", "PortalDefault", "Webstore", "Theme3"), restricted, readOnly),
		text("SignupCountryIsoCode", "Signup Country", 2, readOnly),
		dateTime("TrialExpirationDate", "Trial Expiration Date", readOnly),
		number("NumKnowledgeService", "Knowledge Licenses", 9, 0, readOnly),
		text("OrganizationType", "Edition", 40, readOnly),
		text("NamespacePrefix", "Namespace Prefix", 15, readOnly),
		text("InstanceName", "Instance Name", 5, readOnly),
		checkbox("IsSandbox", "Is Sandbox", readOnly),
		text("WebToCaseDefaultOrigin", "Web to Cases Default Origin", 40, readOnly),
		number("MonthlyPageViewsUsed", "Monthly Page Views Used", 9, 0, readOnly),
		number("MonthlyPageViewsEntitlement", "Monthly Page Views Allowed", 9, 0, readOnly),
		checkbox("IsReadOnly", "Is Read Only", readOnly),
	)
	return o
}

// accessLevels are the sharing levels of org-wide defaults and of a role's
// access to its account owners' records.
func accessLevels() []PicklistValue {
	return labeled("",
		"None", "Private",
		"Read", "Read Only",
		"Edit", "Read/Write",
	)
}

func userTypes() []PicklistValue {
	return labeled("Standard",
		"Standard", "Standard",
		"PowerPartner", "Partner",
		"PowerCustomerSuccess", "Customer Portal Manager",
		"CustomerSuccess", "Customer Portal User",
		"Guest", "Guest",
		"CspLitePortal", "High Volume Portal",
		"CsnOnly", "Chatter Free User",
		"SelfService", "Self Service",
	)
}

func profileObject() *Object {
	o := &Object{
		Name: "Profile", Label: "Profile", PluralLabel: "Profiles", KeyPrefix: "00e",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		text("Name", "Name", 255, required, isName),
		text("UserLicenseId", "User License ID", 18, readOnly,
			about("The ID of the profile's user license; a lookup once UserLicense is an object.")),
		picklist("UserType", "User Type", userTypes(), restricted, readOnly),
		textArea("Description", "Description", 255),
	)
	o.Fields = append(o.Fields, recordViews()...)
	return o
}

func userRoleObject() *Object {
	o := &Object{
		Name: "UserRole", Label: "Role", PluralLabel: "Roles", KeyPrefix: "00E",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		text("Name", "Name", 80, required, isName),
		lookup("ParentRoleId", "Parent Role ID", "ParentRole", to("UserRole"), children("ChildRoles"), onDelete(Restrict)),
		text("RollupDescription", "Description", 80),
		picklist("OpportunityAccessForAccountOwner", "Opportunity Access Level for Account Owner", accessLevels(), restricted),
		picklist("CaseAccessForAccountOwner", "Case Access Level for Account Owner", accessLevels(), restricted),
		picklist("ContactAccessForAccountOwner", "Contact Access Level for Account Owner", accessLevels(), restricted),
		lookup("ForecastUserId", "Forecast Manager ID", "ForecastUser", to("User"), onDelete(Restrict)),
		checkbox("MayForecastManagerShare", "May Forecast Manager Share"),
		text("DeveloperName", "Developer Name", 80, unique),
		picklist("PortalType", "Portal Type", labeled("None",
			"None", "None",
			"CustomerPortal", "Customer Portal",
			"Partner", "Partner",
		), restricted, createOnly),
	)
	return o
}

func userObject() *Object {
	o := &Object{
		Name: "User", Label: "User", PluralLabel: "Users", KeyPrefix: "005",
		NameField: "Name", Createable: true, Updateable: true, Searchable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields, text("Username", "Username", 80, required, unique))
	o.Fields = append(o.Fields, personName(false)...)
	o.Fields = append(o.Fields,
		text("CompanyName", "Company Name", 80),
		text("Division", "Division", 80),
		text("Department", "Department", 80),
		text("Title", "Title", 80),
	)
	o.Fields = append(o.Fields, address("")...)
	o.Fields = append(o.Fields,
		email("Email", "Email", 128, required),
		checkbox("EmailPreferencesAutoBcc", "AutoBcc"),
		checkbox("EmailPreferencesAutoBccStayInTouch", "AutoBccStayInTouch"),
		checkbox("EmailPreferencesStayInTouchReminder", "StayInTouchReminder"),
		email("SenderEmail", "Email Sender Address", 80),
		text("SenderName", "Email Sender Name", 80),
		textArea("Signature", "Email Signature", 1333),
		text("StayInTouchSubject", "Stay-in-Touch Email Subject", 80),
		textArea("StayInTouchSignature", "Stay-in-Touch Email Signature", 512),
		text("StayInTouchNote", "Stay-in-Touch Email Note", 512),
		phone("Phone", "Phone"),
		phone("Fax", "Fax"),
		phone("MobilePhone", "Mobile"),
		text("Alias", "Alias", 8, required),
		text("CommunityNickname", "Nickname", 40, unique),
		text("BadgeText", "User Photo badge text overlay", 80, readOnly),
		checkbox("IsActive", "Active", defaultValue("true")),
		// Salesforce keeps IsFrozen on a separate UserLogin object; Rapport
		// keeps it on the user.
		checkbox("IsFrozen", "Frozen", about("A frozen user cannot log in or use a session until unfrozen; their records, roles and licence stay.")),
		picklist("TimeZoneSidKey", "Time Zone", timeZones(), required),
		lookup("UserRoleId", "Role ID", "UserRole", to("UserRole"), children("Users"), onDelete(Restrict)),
		picklist("LocaleSidKey", "Locale", locales(), required),
		checkbox("ReceivesInfoEmails", "Info Emails"),
		checkbox("ReceivesAdminInfoEmails", "Admin Info Emails"),
		picklist("EmailEncodingKey", "Email Encoding", emailEncodings(), required),
		picklist("DefaultCurrencyIsoCode", "Default Currency ISO Code", currencies()),
		lookup("ProfileId", "Profile ID", "Profile", to("Profile"), required, children("Users"), onDelete(Restrict)),
		picklist("UserType", "User Type", userTypes(), restricted, readOnly),
		picklist("LanguageLocaleKey", "Language", languages(), required),
		text("EmployeeNumber", "Employee Number", 20),
		lookup("ManagerId", "Manager ID", "Manager", to("User"), children("ManagedUsers")),
		dateTime("LastLoginDate", "Last Login", readOnly),
		dateTime("LastPasswordChangeDate", "Last Password Change or Reset", readOnly),
		checkbox("ForecastEnabled", "Allow Forecasting"),
		checkbox("UserPermissionsMarketingUser", "Marketing User"),
		checkbox("UserPermissionsOfflineUser", "Offline User"),
		checkbox("UserPermissionsCallCenterAutoLogin", "Auto-login To Call Center"),
		checkbox("UserPermissionsSFContentUser", "Salesforce CRM Content User"),
		checkbox("UserPermissionsKnowledgeUser", "Knowledge User"),
		checkbox("UserPermissionsInteractionUser", "Flow User"),
		checkbox("UserPermissionsSupportUser", "Service Cloud User"),
		lookup("ContactId", "Contact ID", "Contact", to("Contact"), children("Users"), onDelete(Restrict)),
		lookup("AccountId", "Account ID", "Account", to("Account"), children("Users"), onDelete(Restrict), readOnly),
		phone("Extension", "Extension"),
		text("FederationIdentifier", "SAML Federation ID", 512),
		textArea("AboutMe", "About Me", 1000),
		link("FullPhotoUrl", "Url for full-sized Photo", 1024, readOnly),
		link("SmallPhotoUrl", "Photo", 1024, readOnly),
		checkbox("IsExtIndicatorVisible", "Show external indicator", readOnly),
		text("OutOfOfficeMessage", "Out of office message", 40, readOnly),
		link("MediumPhotoUrl", "Url for medium profile photo", 1024, readOnly),
		picklist("DigestFrequency", "Chatter Email Highlights Frequency", labeled("D",
			"D", "Daily",
			"W", "Weekly",
			"N", "Never",
		), restricted, required),
		picklist("DefaultGroupNotificationFrequency", "Default Notification Frequency when Joining Groups", labeled("N",
			"P", "Email on Each Post",
			"D", "Daily Digests",
			"W", "Weekly Digests",
			"N", "Never",
		), restricted, required),
	)
	o.Fields = append(o.Fields, recordViews()...)
	o.Fields = append(o.Fields,
		link("BannerPhotoUrl", "Url for banner photo", 1024, readOnly),
		link("SmallBannerPhotoUrl", "Url for IOS banner photo", 1024, readOnly),
		link("MediumBannerPhotoUrl", "Url for Android banner photo", 1024, readOnly),
		checkbox("IsProfilePhotoActive", "Has Profile Photo", readOnly),
	)
	return o
}

func groupObject() *Object {
	o := &Object{
		Name: "Group", Label: "Group", PluralLabel: "Groups", KeyPrefix: "00G",
		NameField: "Name", Createable: true, Updateable: true, Deletable: true,
	}
	// A group's owner is a user, or the org for the groups Rapport keeps for
	// roles and territories.
	o.Fields = ownedBy("User", "Organization")
	o.Fields = append(o.Fields,
		text("Name", "Name", 40, required, isName),
		text("DeveloperName", "Developer Name", 80, unique),
		lookup("RelatedId", "Related ID", "Related", to("User", "UserRole"), readOnly, onDelete(Cascade)),
		picklist("Type", "Type", labeled("Regular",
			"Regular", "Public Group",
			"Role", "Role",
			"RoleAndSubordinates", "Role and Subordinates",
			"RoleAndSubordinatesInternal", "Role and Internal Subordinates",
			"Manager", "Manager",
			"ManagerAndSubordinatesInternal", "Manager and Subordinates",
			"Organization", "Organization",
			"Queue", "Queue",
			"Territory", "Territory",
			"TerritoryAndSubordinates", "Territory and Subordinates",
			"AllCustomerPortal", "All Customer Portal Users",
			"PRMOrganization", "All Partner Users",
		), restricted, required, createOnly),
		email("Email", "Email", 255),
		checkbox("DoesSendEmailToMembers", "Send Email to Members"),
		checkbox("DoesIncludeBosses", "Include Bosses"),
	)
	return o
}

// The choices below are a common subset of Salesforce's; they are left
// unrestricted so that an org can store any other valid key.

func timeZones() []PicklistValue {
	return labeled("",
		"Pacific/Honolulu", "(GMT-10:00) Hawaii-Aleutian Standard Time (Pacific/Honolulu)",
		"America/Anchorage", "(GMT-09:00) Alaska Standard Time (America/Anchorage)",
		"America/Los_Angeles", "(GMT-08:00) Pacific Standard Time (America/Los_Angeles)",
		"America/Denver", "(GMT-07:00) Mountain Standard Time (America/Denver)",
		"America/Phoenix", "(GMT-07:00) Mountain Standard Time (America/Phoenix)",
		"America/Chicago", "(GMT-06:00) Central Standard Time (America/Chicago)",
		"America/Mexico_City", "(GMT-06:00) Central Standard Time (America/Mexico_City)",
		"America/New_York", "(GMT-05:00) Eastern Standard Time (America/New_York)",
		"America/Toronto", "(GMT-05:00) Eastern Standard Time (America/Toronto)",
		"America/Sao_Paulo", "(GMT-03:00) Brasilia Standard Time (America/Sao_Paulo)",
		"GMT", "(GMT+00:00) Greenwich Mean Time (GMT)",
		"Europe/London", "(GMT+00:00) Greenwich Mean Time (Europe/London)",
		"Europe/Dublin", "(GMT+00:00) Greenwich Mean Time (Europe/Dublin)",
		"Europe/Paris", "(GMT+01:00) Central European Standard Time (Europe/Paris)",
		"Europe/Berlin", "(GMT+01:00) Central European Standard Time (Europe/Berlin)",
		"Europe/Madrid", "(GMT+01:00) Central European Standard Time (Europe/Madrid)",
		"Africa/Johannesburg", "(GMT+02:00) South Africa Standard Time (Africa/Johannesburg)",
		"Asia/Dubai", "(GMT+04:00) Gulf Standard Time (Asia/Dubai)",
		"Asia/Kolkata", "(GMT+05:30) India Standard Time (Asia/Kolkata)",
		"Asia/Singapore", "(GMT+08:00) Singapore Standard Time (Asia/Singapore)",
		"Asia/Shanghai", "(GMT+08:00) China Standard Time (Asia/Shanghai)",
		"Asia/Tokyo", "(GMT+09:00) Japan Standard Time (Asia/Tokyo)",
		"Australia/Sydney", "(GMT+10:00) Australian Eastern Standard Time (Australia/Sydney)",
		"Pacific/Auckland", "(GMT+12:00) New Zealand Standard Time (Pacific/Auckland)",
	)
}

func locales() []PicklistValue {
	return labeled("",
		"en_US", "English (United States)",
		"en_GB", "English (United Kingdom)",
		"en_CA", "English (Canada)",
		"en_AU", "English (Australia)",
		"en_IE", "English (Ireland)",
		"en_IN", "English (India)",
		"fr_FR", "French (France)",
		"fr_CA", "French (Canada)",
		"de_DE", "German (Germany)",
		"es_ES", "Spanish (Spain)",
		"es_MX", "Spanish (Mexico)",
		"it_IT", "Italian (Italy)",
		"nl_NL", "Dutch (Netherlands)",
		"pt_BR", "Portuguese (Brazil)",
		"sv_SE", "Swedish (Sweden)",
		"ja_JP", "Japanese (Japan)",
		"zh_CN", "Chinese (China)",
		"ko_KR", "Korean (South Korea)",
	)
}

func languages() []PicklistValue {
	return labeled("",
		"en_US", "English",
		"en_GB", "English (UK)",
		"de", "German",
		"es", "Spanish",
		"es_MX", "Spanish (Mexico)",
		"fr", "French",
		"it", "Italian",
		"nl_NL", "Dutch",
		"pt_BR", "Portuguese (Brazil)",
		"sv", "Swedish",
		"da", "Danish",
		"fi", "Finnish",
		"no", "Norwegian",
		"ru", "Russian",
		"ja", "Japanese",
		"ko", "Korean",
		"zh_CN", "Chinese (Simplified)",
		"zh_TW", "Chinese (Traditional)",
		"th", "Thai",
	)
}

func emailEncodings() []PicklistValue {
	return labeled("",
		"UTF-8", "Unicode (UTF-8)",
		"ISO-8859-1", "General US & Western Europe (ISO-8859-1, ISO-LATIN-1)",
		"Shift_JIS", "Japanese (Shift-JIS)",
		"ISO-2022-JP", "Japanese (JIS)",
		"EUC-JP", "Japanese (EUC)",
		"ks_c_5601-1987", "Korean (ks_c_5601-1987)",
		"Big5", "Traditional Chinese (Big5)",
		"GB2312", "Simplified Chinese (GB2312)",
		"Big5-HKSCS", "Traditional Chinese Hong Kong (Big5-HKSCS)",
	)
}

func currencies() []PicklistValue {
	return labeled("",
		"USD", "U.S. Dollar",
		"EUR", "Euro",
		"GBP", "British Pound",
		"JPY", "Japanese Yen",
		"CAD", "Canadian Dollar",
		"AUD", "Australian Dollar",
		"NZD", "New Zealand Dollar",
		"CHF", "Swiss Franc",
		"SEK", "Swedish Krona",
		"CNY", "Chinese Yuan",
		"INR", "Indian Rupee",
		"SGD", "Singapore Dollar",
		"BRL", "Brazilian Real",
		"MXN", "Mexican Peso",
		"ZAR", "South African Rand",
	)
}
