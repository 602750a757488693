package metadata

// The activity objects: Task, Event, EmailMessage and Note. Activities and
// notes are deleted with the record they belong to.

// activityLinks returns WhoId, WhatId and the read-only AccountId Rapport
// derives from them; children is Tasks or Events.
func activityLinks(rel string) []*Field {
	return []*Field{
		lookup("WhoId", "Name ID", "Who", whoTargets(), children(rel), onDelete(Cascade)),
		lookup("WhatId", "Related To ID", "What", whatTargets(), children(rel), onDelete(Cascade)),
		lookup("AccountId", "Account ID", "Account", to("Account"), readOnly),
	}
}

func taskObject() *Object {
	o := &Object{
		Name: "Task", Label: "Task", PluralLabel: "Tasks", KeyPrefix: "00T",
		NameField: "Subject", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields, activityLinks("Tasks")...)
	o.Fields = append(o.Fields,
		// A combo box in Salesforce: free text, offered as Call, Send
		// Letter, Send Quote or Other.
		text("Subject", "Subject", 255, isName),
		date("ActivityDate", "Due Date Only"),
		picklist("Status", "Status", []PicklistValue{
			{Value: "Not Started", Default: true},
			{Value: "In Progress"},
			{Value: "Completed", Closed: true},
			{Value: "Waiting on someone else"},
			{Value: "Deferred"},
		}, required, restricted),
		picklist("Priority", "Priority", values("Normal", "High", "Normal", "Low"), required, restricted),
		checkbox("IsHighPriority", "High Priority", readOnly),
		longTextArea("Description", "Description", 32000),
		picklist("Type", "Type", values("", "Call", "Email", "Meeting", "Other")),
		checkbox("IsClosed", "Closed", readOnly),
		checkbox("IsArchived", "Archived", readOnly),
		checkbox("IsVisibleInSelfService", "Public"),
		number("CallDurationInSeconds", "Call Duration", 8, 0),
		picklist("CallType", "Call Type", values("", "Internal", "Inbound", "Outbound"), restricted),
		text("CallDisposition", "Call Result", 255),
		text("CallObject", "Call Object Identifier", 255),
		dateTime("ReminderDateTime", "Reminder Date/Time"),
		checkbox("IsReminderSet", "Reminder Set"),
		picklist("TaskSubtype", "Task Subtype", labeled("Task",
			"Task", "Task",
			"Email", "Email",
			"ListEmail", "List Email",
			"Cadence", "Cadence",
			"Call", "Call",
			"LinkedIn", "LinkedIn",
		), restricted, createOnly),
		dateTime("CompletedDateTime", "Completed Date/Time", readOnly),
		number("WhoCount", "Relation Count", 9, 0, readOnly),
		number("WhatCount", "Related To Count", 9, 0, readOnly),
	)
	return o
}

func eventObject() *Object {
	o := &Object{
		Name: "Event", Label: "Event", PluralLabel: "Events", KeyPrefix: "00U",
		NameField: "Subject", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields, activityLinks("Events")...)
	o.Fields = append(o.Fields,
		// A combo box in Salesforce: free text, offered as Call, Email,
		// Meeting, Send Letter/Quote or Other.
		text("Subject", "Subject", 255, isName),
		text("Location", "Location", 255),
		checkbox("IsAllDayEvent", "All-Day Event"),
		dateTime("ActivityDateTime", "Due Date Time"),
		date("ActivityDate", "Due Date Only"),
		// Either DurationInMinutes or EndDateTime may be written; Rapport
		// keeps the other in step.
		number("DurationInMinutes", "Duration", 8, 0),
		dateTime("StartDateTime", "Start Date Time"),
		dateTime("EndDateTime", "End Date Time"),
		date("EndDate", "End Date Only", readOnly),
		longTextArea("Description", "Description", 32000),
		checkbox("IsPrivate", "Private"),
		picklist("ShowAs", "Show Time As", labeled("Busy",
			"Busy", "Busy",
			"OutOfOffice", "Out of Office",
			"Free", "Free",
		), restricted),
		checkbox("IsChild", "Is Child", readOnly),
		checkbox("IsGroupEvent", "Group Event", readOnly),
		picklist("GroupEventType", "Group Event Type", labeled("",
			"0", "Non-group Event",
			"1", "Group Event",
			"2", "Proposed Event",
		), restricted, readOnly),
		checkbox("IsArchived", "Archived", readOnly),
		checkbox("IsVisibleInSelfService", "Public"),
		dateTime("ReminderDateTime", "Reminder Date/Time"),
		checkbox("IsReminderSet", "Reminder Set"),
		picklist("EventSubtype", "Event Subtype", values("Event", "Event"), restricted, createOnly),
		picklist("Type", "Type", values("", "Call", "Email", "Meeting", "Other")),
		number("WhoCount", "Relation Count", 9, 0, readOnly),
		number("WhatCount", "Related To Count", 9, 0, readOnly),
	)
	return o
}

// emailMessageRelationObject relates an email to the contacts, leads and
// users who sent or received it, so that the email shows on each of them.
// RelationObjectType is derived from RelationId.
func emailMessageRelationObject() *Object {
	o := &Object{
		Name: "EmailMessageRelation", Label: "Email Message Relation", PluralLabel: "Email Message Relations",
		KeyPrefix: "0E8", Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("EmailMessageId", "Email Message ID", "EmailMessage", to("EmailMessage"),
			required, createOnly, children("EmailMessageRelations"), onDelete(Cascade)),
		lookup("RelationId", "Relation ID", "Relation", to("Contact", "Lead", "User"),
			children("EmailMessageRelations"), onDelete(Cascade)),
		email("RelationAddress", "Relation Address", 255),
		text("RelationObjectType", "Relation Object Type", 50, readOnly),
		picklist("RelationType", "Relation Type", values("",
			"FromAddress", "ToAddress", "CcAddress", "BccAddress",
		), required, restricted),
	)
	return o
}

func emailMessageObject() *Object {
	o := &Object{
		Name: "EmailMessage", Label: "Email Message", PluralLabel: "Email Messages", KeyPrefix: "02s",
		NameField: "Subject", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	// Emails have no owner: access follows the case, activity or records
	// they belong to.
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("ParentId", "Case ID", "Parent", to("Case"), children("EmailMessages"), onDelete(Cascade)),
		lookup("ActivityId", "Activity ID", "Activity", to("Task"), createOnly, children("EmailMessages"), onDelete(Cascade)),
		lookup("RelatedToId", "Related To ID", "RelatedTo", whatTargets(), children("Emails"), onDelete(Cascade)),
		lookup("ReplyToEmailMessageId", "Email Message ID", "ReplyToEmailMessage", to("EmailMessage"),
			createOnly, children("Replies")),
		lookup("FromId", "From ID", "From", to("User")),
		text("FromName", "From Name", 1000),
		email("FromAddress", "From Address", 1000),
		text("ToAddress", "To Address", 4000),
		text("CcAddress", "CC Address", 4000),
		text("BccAddress", "BCC Address", 4000),
		text("Subject", "Subject", 3000, isName),
		longTextArea("TextBody", "Text Body", 131072),
		richText("HtmlBody", "HTML Body", 131072),
		longTextArea("Headers", "Headers", 32000),
		checkbox("Incoming", "Is Incoming", createOnly),
		checkbox("HasAttachment", "Has Attachment", readOnly),
		picklist("Status", "Status", labeled("",
			"0", "New",
			"1", "Read",
			"2", "Replied",
			"3", "Sent",
			"4", "Forwarded",
			"5", "Draft",
		), required, restricted),
		dateTime("MessageDate", "Message Date"),
		checkbox("IsExternallyVisible", "Is Externally Visible"),
		text("MessageIdentifier", "Message ID", 255),
		text("ThreadIdentifier", "Thread ID", 255),
		text("ClientThreadIdentifier", "Client Thread ID", 765, readOnly),
		checkbox("IsClientManaged", "Is Client Managed", createOnly),
		checkbox("IsPrivateDraft", "Is Private Draft"),
		checkbox("IsBounced", "Bounced?", readOnly),
		checkbox("IsOpened", "Opened?", readOnly),
		checkbox("IsTracked", "Is Tracked", createOnly),
		checkbox("HasReply", "Has Reply", readOnly),
		dateTime("FirstOpenedDate", "First Opened", readOnly),
		dateTime("LastOpenedDate", "Last Opened", readOnly),
	)
	return o
}

func noteObject() *Object {
	o := &Object{
		Name: "Note", Label: "Note", PluralLabel: "Notes", KeyPrefix: "002",
		NameField: "Title", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = ownedBy("User")
	o.Fields = append(o.Fields,
		lookup("ParentId", "Parent ID", "Parent",
			to("Account", "Contact", "Lead", "Opportunity", "Contract", "Campaign", "Case"),
			required, createOnly, children("Notes"), onDelete(Cascade)),
		text("Title", "Title", 80, required, isName),
		checkbox("IsPrivate", "Private"),
		longTextArea("Body", "Body", 32000),
	)
	return o
}
