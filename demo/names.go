package demo

// The words generated people and companies are made of.

var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
	"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
	"Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
	"Steven", "Ashley", "Andrew", "Kimberly", "Paul", "Emily", "Joshua", "Donna", "Kenneth", "Michelle",
	"Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
	"Jason", "Rebecca", "Ryan", "Laura", "Jacob", "Sharon", "Gary", "Cynthia", "Nicholas", "Kathleen",
	"Eric", "Amy", "Jonathan", "Angela", "Stephen", "Shirley", "Larry", "Anna", "Justin", "Brenda",
	"Scott", "Pamela", "Brandon", "Emma", "Benjamin", "Nicole", "Samuel", "Helen", "Gregory", "Samantha",
	"Alexander", "Katherine", "Patrick", "Christine", "Frank", "Debra", "Raymond", "Rachel", "Jack", "Carolyn",
	"Wei", "Mei", "Hiroshi", "Yuki", "Arjun", "Priya", "Rahul", "Ananya", "Mohammed", "Fatima",
	"Ahmed", "Aisha", "Carlos", "Sofia", "Diego", "Valentina", "Luis", "Camila", "Jose", "Isabella",
	"Juan", "Lucia", "Miguel", "Gabriela", "Kwame", "Amara", "Chidi", "Ngozi", "Olga", "Dmitri",
	"Ingrid", "Lars", "Sven", "Astrid", "Pierre", "Camille", "Luca", "Giulia", "Hans", "Greta",
	"Min-jun", "Seo-yeon", "Thanh", "Linh", "Tariq", "Leila", "Kofi", "Zara", "Mateo", "Elena",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
	"Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
	"Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
	"Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
	"Wang", "Li", "Zhang", "Chen", "Liu", "Tanaka", "Suzuki", "Sato", "Patel", "Shah",
	"Singh", "Kumar", "Gupta", "Khan", "Ali", "Hassan", "Okafor", "Mensah", "Adeyemi", "Ivanova",
	"Petrov", "Larsen", "Nielsen", "Johansson", "Dubois", "Moreau", "Rossi", "Bianchi", "Schmidt", "Weber",
	"Park", "Choi", "Tran", "Pham", "O'Brien", "Murray", "Fischer", "Novak", "Silva", "Santos",
}

// Companies are a prefix, a noun and a legal form: "Bright Harbor Systems".
var companyPrefixes = []string{
	"Acme", "Apex", "Atlas", "Aurora", "Beacon", "Blue", "Bright", "Cascade", "Cedar", "Clear",
	"Cobalt", "Crescent", "Crystal", "Delta", "Eagle", "Echo", "Ember", "Evergreen", "Falcon", "First",
	"Frontier", "Golden", "Granite", "Green", "Harbor", "Horizon", "Iron", "Keystone", "Lakeside", "Liberty",
	"Lumen", "Maple", "Meridian", "Metro", "Nimbus", "North", "Nova", "Oak", "Orion", "Pacific",
	"Peak", "Pine", "Pioneer", "Polar", "Prime", "Quantum", "Red", "Ridge", "River", "Silver",
	"Sky", "Solar", "Spring", "Sterling", "Stone", "Summit", "Sun", "Terra", "True", "Vertex",
}

var companyNouns = []string{
	"Analytics", "Bank", "Bio", "Cloud", "Data", "Dynamics", "Energy", "Foods", "Freight", "Health",
	"Insurance", "Labs", "Logistics", "Media", "Medical", "Mobility", "Networks", "Pharma", "Power", "Retail",
	"Robotics", "Software", "Solar", "Steel", "Studios", "Telecom", "Textiles", "Travel", "Ventures", "Works",
}

var companyForms = []string{"Inc.", "Corp.", "LLC", "Group", "Co.", "Ltd.", "Holdings", "Partners"}

// nounIndustry is the industry a company's noun suggests.
var nounIndustry = map[string]string{
	"Analytics": "Technology", "Bank": "Banking", "Bio": "Biotechnology", "Cloud": "Technology", "Data": "Technology",
	"Dynamics": "Engineering", "Energy": "Energy", "Foods": "Food & Beverage", "Freight": "Transportation", "Health": "Healthcare",
	"Insurance": "Insurance", "Labs": "Biotechnology", "Logistics": "Shipping", "Media": "Media", "Medical": "Healthcare",
	"Mobility": "Transportation", "Networks": "Telecommunications", "Pharma": "Biotechnology", "Power": "Utilities", "Retail": "Retail",
	"Robotics": "Machinery", "Software": "Technology", "Solar": "Energy", "Steel": "Manufacturing", "Studios": "Entertainment",
	"Telecom": "Telecommunications", "Textiles": "Apparel", "Travel": "Hospitality", "Ventures": "Finance", "Works": "Construction",
}

type city struct {
	name, state, country, phone string // phone: country and area code
}

var cities = []city{
	{"San Francisco", "CA", "United States", "+1 415"}, {"New York", "NY", "United States", "+1 212"},
	{"Chicago", "IL", "United States", "+1 312"}, {"Austin", "TX", "United States", "+1 512"},
	{"Seattle", "WA", "United States", "+1 206"}, {"Boston", "MA", "United States", "+1 617"},
	{"Atlanta", "GA", "United States", "+1 404"}, {"Denver", "CO", "United States", "+1 303"},
	{"Los Angeles", "CA", "United States", "+1 213"}, {"Miami", "FL", "United States", "+1 305"},
	{"Dallas", "TX", "United States", "+1 214"}, {"Minneapolis", "MN", "United States", "+1 612"},
	{"Phoenix", "AZ", "United States", "+1 602"}, {"Portland", "OR", "United States", "+1 503"},
	{"Raleigh", "NC", "United States", "+1 919"}, {"Toronto", "ON", "Canada", "+1 416"},
	{"Vancouver", "BC", "Canada", "+1 604"}, {"London", "", "United Kingdom", "+44 20"},
	{"Dublin", "", "Ireland", "+353 1"}, {"Paris", "", "France", "+33 1"},
	{"Berlin", "", "Germany", "+49 30"}, {"Amsterdam", "", "Netherlands", "+31 20"},
	{"Stockholm", "", "Sweden", "+46 8"}, {"Madrid", "", "Spain", "+34 91"},
	{"Sydney", "NSW", "Australia", "+61 2"}, {"Tokyo", "", "Japan", "+81 3"},
	{"Singapore", "", "Singapore", "+65 6"}, {"Bengaluru", "KA", "India", "+91 80"},
	{"São Paulo", "SP", "Brazil", "+55 11"}, {"Mexico City", "CDMX", "Mexico", "+52 55"},
}

var titles = []string{
	"CEO", "CFO", "CIO", "CTO", "COO", "VP, Sales", "VP, Marketing", "VP, Operations", "VP, Engineering",
	"Director of IT", "Director of Sales", "Director of Marketing", "Head of Customer Success", "Head of Procurement",
	"Sales Manager", "Marketing Manager", "Product Manager", "Operations Manager", "Account Manager",
	"Business Analyst", "Solutions Architect", "Software Engineer", "Data Scientist", "Salesforce Administrator",
	"Customer Success Manager", "Project Manager", "IT Manager", "Procurement Specialist", "Consultant", "Developer",
}

var products = []string{
	"Sales Cloud", "Service Cloud", "Marketing Automation", "Analytics", "Platform Licenses", "Commerce",
	"Field Service", "Integration", "Data Migration", "Premier Support", "Training", "Add-on Seats",
}

var taskSubjects = []string{
	"Call", "Send quote", "Send proposal", "Follow up on demo", "Schedule a call", "Review the contract",
	"Prepare the renewal", "Check in after onboarding", "Send case study", "Confirm pricing", "Answer the RFP questions",
	"Introduce the solutions engineer", "Send the meeting notes", "Update the close plan",
}

var eventSubjects = []string{
	"Discovery call", "Product demo", "Quarterly business review", "Pricing discussion", "Executive briefing",
	"Onboarding kickoff", "Technical deep dive", "Lunch meeting", "Contract review", "Renewal planning",
}

var caseSubjects = []string{
	"Cannot log in", "Report shows the wrong totals", "Import fails on date fields", "Emails not being sent",
	"Need more licences", "Dashboard loads slowly", "Integration returns errors", "Password reset not received",
	"Question about the invoice", "Request for training", "Mobile app crashes on start", "Data export is incomplete",
	"Feature request: custom reports", "Duplicate records after import", "Single sign-on set-up",
}
