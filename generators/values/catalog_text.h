// Word lists for the text generators of generators/values that the fleet catalogs
// (generators/catalog_*.h) do not already have: companies, streets, cities and countries,
// colours, currencies, products, files, and a vocabulary for words and sentences.
//
// Small on purpose: a few dozen realistic entries per list, combined by the generators
// ("{stem} {suffix}" companies, "{number} {street} {type}" addresses) for variety. Every entry is
// plain ASCII, so byte and character lengths agree and the longest value is known exactly.
#pragma once

#include <string_view>

namespace seedforge::values::catalog {

inline constexpr std::string_view kCompanyStems[] = {
    "Northwind", "Contoso",   "Fabrikam",  "Initech",   "Globex",     "Umbrella",   "Stark",
    "Wayne",     "Acme",      "Hooli",     "Vandelay",  "Soylent",    "Tyrell",     "Cyberdyne",
    "Wonka",     "Gringotts", "Oscorp",    "Aperture",  "Blue Ridge", "Silverline", "Redwood",
    "Ironclad",  "Brightway", "Summit",    "Crescent",  "Evergreen",  "Harbor",     "Keystone",
    "Lakeshore", "Meridian",  "Northstar", "Pinnacle",  "Quantum",    "Riverside",  "Sterling",
    "Trident",   "Union",     "Vertex",    "Westfield", "Zenith"};
inline constexpr std::string_view kCompanySuffixes[] = {
    "Inc.", "LLC",      "Ltd",          "Group",    "Systems",
    "Labs", "Partners", "Technologies", "Holdings", "Industries"};

inline constexpr std::string_view kStreetNames[] = {
    "Main",    "Oak",      "Pine",      "Maple",    "Cedar",     "Elm",      "Washington",
    "Lake",    "Hill",     "Park",      "Sunset",   "Highland",  "River",    "Church",
    "Mill",    "Spring",   "Franklin",  "Jackson",  "Lincoln",   "Madison",  "Chestnut",
    "Willow",  "Meadow",   "Forest",    "Ridge",    "Valley",    "Broadway", "Center",
    "Market",  "Harbor",   "Bridge",    "Union",    "Jefferson", "Adams",    "Walnut",
    "Hickory", "Prospect", "Greenwood", "Fairview", "Lakeview"};
inline constexpr std::string_view kStreetTypes[] = {"St", "Ave", "Rd", "Blvd", "Ln",
                                                    "Dr", "Way", "Ct", "Pl",   "Ter"};

struct City {
  std::string_view name;
  std::string_view country;
  std::string_view country_code;  // ISO 3166-1 alpha-2
  std::string_view currency;      // ISO 4217
  std::string_view timezone;      // IANA
  int weight;                     // relative share (rough metro population)
};

inline constexpr City kCities[] = {
    {"New York", "United States", "US", "USD", "America/New_York", 20},
    {"Los Angeles", "United States", "US", "USD", "America/Los_Angeles", 13},
    {"Chicago", "United States", "US", "USD", "America/Chicago", 9},
    {"Houston", "United States", "US", "USD", "America/Chicago", 7},
    {"Austin", "United States", "US", "USD", "America/Chicago", 3},
    {"Seattle", "United States", "US", "USD", "America/Los_Angeles", 4},
    {"San Francisco", "United States", "US", "USD", "America/Los_Angeles", 5},
    {"Boston", "United States", "US", "USD", "America/New_York", 5},
    {"Toronto", "Canada", "CA", "CAD", "America/Toronto", 6},
    {"Vancouver", "Canada", "CA", "CAD", "America/Vancouver", 3},
    {"Mexico City", "Mexico", "MX", "MXN", "America/Mexico_City", 9},
    {"Sao Paulo", "Brazil", "BR", "BRL", "America/Sao_Paulo", 10},
    {"Buenos Aires", "Argentina", "AR", "ARS", "America/Argentina/Buenos_Aires", 6},
    {"London", "United Kingdom", "GB", "GBP", "Europe/London", 12},
    {"Manchester", "United Kingdom", "GB", "GBP", "Europe/London", 3},
    {"Dublin", "Ireland", "IE", "EUR", "Europe/Dublin", 2},
    {"Paris", "France", "FR", "EUR", "Europe/Paris", 11},
    {"Lyon", "France", "FR", "EUR", "Europe/Paris", 2},
    {"Berlin", "Germany", "DE", "EUR", "Europe/Berlin", 6},
    {"Munich", "Germany", "DE", "EUR", "Europe/Berlin", 3},
    {"Amsterdam", "Netherlands", "NL", "EUR", "Europe/Amsterdam", 3},
    {"Madrid", "Spain", "ES", "EUR", "Europe/Madrid", 6},
    {"Barcelona", "Spain", "ES", "EUR", "Europe/Madrid", 5},
    {"Milan", "Italy", "IT", "EUR", "Europe/Rome", 4},
    {"Rome", "Italy", "IT", "EUR", "Europe/Rome", 4},
    {"Stockholm", "Sweden", "SE", "SEK", "Europe/Stockholm", 2},
    {"Warsaw", "Poland", "PL", "PLN", "Europe/Warsaw", 3},
    {"Zurich", "Switzerland", "CH", "CHF", "Europe/Zurich", 1},
    {"Istanbul", "Turkey", "TR", "TRY", "Europe/Istanbul", 12},
    {"Dubai", "United Arab Emirates", "AE", "AED", "Asia/Dubai", 3},
    {"Mumbai", "India", "IN", "INR", "Asia/Kolkata", 18},
    {"Bangalore", "India", "IN", "INR", "Asia/Kolkata", 10},
    {"Singapore", "Singapore", "SG", "SGD", "Asia/Singapore", 5},
    {"Tokyo", "Japan", "JP", "JPY", "Asia/Tokyo", 30},
    {"Osaka", "Japan", "JP", "JPY", "Asia/Tokyo", 15},
    {"Seoul", "South Korea", "KR", "KRW", "Asia/Seoul", 20},
    {"Shanghai", "China", "CN", "CNY", "Asia/Shanghai", 25},
    {"Sydney", "Australia", "AU", "AUD", "Australia/Sydney", 5},
    {"Melbourne", "Australia", "AU", "AUD", "Australia/Melbourne", 5},
    {"Johannesburg", "South Africa", "ZA", "ZAR", "Africa/Johannesburg", 6},
    {"Lagos", "Nigeria", "NG", "NGN", "Africa/Lagos", 12},
    {"Cairo", "Egypt", "EG", "EGP", "Africa/Cairo", 16},
};

struct Country {
  std::string_view name;
  std::string_view code;      // ISO 3166-1 alpha-2
  std::string_view currency;  // ISO 4217
};

inline constexpr Country kCountries[] = {
    {"United States", "US", "USD"},
    {"Canada", "CA", "CAD"},
    {"Mexico", "MX", "MXN"},
    {"Brazil", "BR", "BRL"},
    {"Argentina", "AR", "ARS"},
    {"United Kingdom", "GB", "GBP"},
    {"Ireland", "IE", "EUR"},
    {"France", "FR", "EUR"},
    {"Germany", "DE", "EUR"},
    {"Netherlands", "NL", "EUR"},
    {"Belgium", "BE", "EUR"},
    {"Spain", "ES", "EUR"},
    {"Portugal", "PT", "EUR"},
    {"Italy", "IT", "EUR"},
    {"Switzerland", "CH", "CHF"},
    {"Austria", "AT", "EUR"},
    {"Sweden", "SE", "SEK"},
    {"Norway", "NO", "NOK"},
    {"Denmark", "DK", "DKK"},
    {"Finland", "FI", "EUR"},
    {"Poland", "PL", "PLN"},
    {"Czechia", "CZ", "CZK"},
    {"Turkey", "TR", "TRY"},
    {"Israel", "IL", "ILS"},
    {"United Arab Emirates", "AE", "AED"},
    {"India", "IN", "INR"},
    {"Singapore", "SG", "SGD"},
    {"Japan", "JP", "JPY"},
    {"South Korea", "KR", "KRW"},
    {"China", "CN", "CNY"},
    {"Australia", "AU", "AUD"},
    {"New Zealand", "NZ", "NZD"},
    {"South Africa", "ZA", "ZAR"},
    {"Nigeria", "NG", "NGN"},
    {"Egypt", "EG", "EGP"},
    {"Kenya", "KE", "KES"},
};

inline constexpr std::string_view kCurrencies[] = {
    "USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK",
    "PLN", "CZK", "INR", "SGD", "KRW", "BRL", "MXN", "ZAR", "TRY", "AED", "ILS", "HKD"};

inline constexpr std::string_view kColors[] = {
    "red",      "green",   "blue", "yellow", "orange",    "purple", "pink",  "brown",
    "black",    "white",   "gray", "silver", "gold",      "navy",   "teal",  "maroon",
    "olive",    "lime",    "aqua", "coral",  "crimson",   "indigo", "ivory", "khaki",
    "lavender", "magenta", "mint", "salmon", "turquoise", "violet", "beige", "charcoal"};

inline constexpr std::string_view kProductAdjectives[] = {
    "Ergonomic", "Rustic",  "Sleek",  "Compact",  "Durable",  "Lightweight", "Premium",
    "Smart",     "Classic", "Modern", "Portable", "Wireless", "Heavy Duty",  "Deluxe",
    "Eco",       "Pro",     "Ultra",  "Mini",     "Handmade", "Refurbished"};
inline constexpr std::string_view kProductMaterials[] = {
    "Steel",  "Wooden", "Cotton",  "Leather",  "Plastic", "Granite", "Bamboo",
    "Copper", "Glass",  "Ceramic", "Aluminum", "Wool",    "Carbon",  "Silicone"};
inline constexpr std::string_view kProductNouns[] = {
    "Chair", "Table",    "Lamp",     "Keyboard", "Mouse",  "Backpack", "Bottle",  "Mug",
    "Desk",  "Shelf",    "Jacket",   "Watch",    "Wallet", "Speaker",  "Monitor", "Headphones",
    "Bench", "Notebook", "Umbrella", "Charger",  "Kettle", "Blanket",  "Pillow",  "Gloves"};

inline constexpr std::string_view kFileExtensions[] = {"pdf",  "docx", "xlsx", "pptx", "txt", "csv",
                                                       "json", "png",  "jpg",  "zip",  "log", "md"};

inline constexpr std::string_view kTopLevelDomains[] = {".com", ".net", ".org", ".io",
                                                        ".co",  ".dev", ".app", ".biz"};

// A vocabulary of ordinary English words, for word/sentence/paragraph and file names.
inline constexpr std::string_view kWords[] = {
    "account",  "action",   "answer",  "area",    "balance", "base",    "board",   "budget",
    "build",    "change",   "channel", "check",   "client",  "cloud",   "code",    "control",
    "cost",     "customer", "data",    "deal",    "design",  "detail",  "device",  "draft",
    "early",    "effort",   "energy",  "event",   "fact",    "feature", "field",   "figure",
    "final",    "focus",    "form",    "future",  "goal",    "group",   "growth",  "history",
    "idea",     "image",    "impact",  "issue",   "item",    "job",     "key",     "level",
    "light",    "line",     "list",    "local",   "market",  "meeting", "method",  "model",
    "month",    "network",  "note",    "number",  "offer",   "office",  "order",   "owner",
    "page",     "paper",    "part",    "people",  "period",  "plan",    "point",   "policy",
    "power",    "price",    "process", "product", "project", "quality", "quarter", "question",
    "range",    "rate",     "record",  "report",  "result",  "review",  "risk",    "role",
    "sale",     "scale",    "service", "share",   "signal",  "source",  "space",   "stage",
    "standard", "status",   "step",    "store",   "summary", "support", "system",  "target",
    "task",     "team",     "term",    "test",    "time",    "tool",    "total",   "track",
    "trade",    "trend",    "unit",    "update",  "user",    "value",   "version", "view",
    "volume",   "week",     "work",    "world",   "year",    "zone",    "quick",   "clear",
    "simple",   "strong",   "better",  "common",  "direct",  "open",    "ready",   "recent",
    "secure",   "steady",   "useful",  "whole"};

}  // namespace seedforge::values::catalog

namespace seedforge::values::catalog {

// Crypto assets with a realistic price level (USD, late 2024) for random-walk price series.
struct Coin {
  std::string_view symbol;
  std::string_view name;
  double price;
};

inline constexpr Coin kCoins[] = {
    {"BTC", "Bitcoin", 62000},  {"ETH", "Ethereum", 3100}, {"SOL", "Solana", 145},
    {"BNB", "BNB", 560},        {"XRP", "XRP", 0.55},      {"ADA", "Cardano", 0.38},
    {"DOGE", "Dogecoin", 0.12}, {"AVAX", "Avalanche", 27}, {"DOT", "Polkadot", 4.6},
    {"LINK", "Chainlink", 11},  {"LTC", "Litecoin", 68},   {"MATIC", "Polygon", 0.42},
};

}  // namespace seedforge::values::catalog
