// Realistic values for the people of the fleet model: names, departments and roles.
//
// Names are plain ASCII letters (no apostrophes, hyphens or accents) so that usernames and e-mail
// addresses built from them need no transliteration, and so that the numeric id appended to them
// can never be confused with part of a name (the digits at the end of "jsmith17" are the id).
#pragma once

#include <cstddef>
#include <iterator>
#include <string_view>

namespace seedforge::catalog {

inline constexpr std::string_view kFirstNames[] = {
    "James",     "Mary",      "John",      "Patricia", "Robert",    "Jennifer", "Michael",
    "Linda",     "William",   "Elizabeth", "David",    "Barbara",   "Richard",  "Susan",
    "Joseph",    "Jessica",   "Thomas",    "Sarah",    "Charles",   "Karen",    "Christopher",
    "Nancy",     "Daniel",    "Lisa",      "Matthew",  "Betty",     "Anthony",  "Margaret",
    "Mark",      "Sandra",    "Donald",    "Ashley",   "Steven",    "Kimberly", "Paul",
    "Emily",     "Andrew",    "Donna",     "Joshua",   "Michelle",  "Kenneth",  "Dorothy",
    "Kevin",     "Carol",     "Brian",     "Amanda",   "George",    "Melissa",  "Timothy",
    "Deborah",   "Ronald",    "Stephanie", "Edward",   "Rebecca",   "Jason",    "Sharon",
    "Jeffrey",   "Laura",     "Ryan",      "Cynthia",  "Jacob",     "Kathleen", "Gary",
    "Amy",       "Nicholas",  "Angela",    "Eric",     "Shirley",   "Jonathan", "Anna",
    "Stephen",   "Brenda",    "Larry",     "Pamela",   "Justin",    "Emma",     "Scott",
    "Nicole",    "Brandon",   "Helen",     "Benjamin", "Samantha",  "Samuel",   "Katherine",
    "Gregory",   "Christine", "Alexander", "Debra",    "Frank",     "Rachel",   "Patrick",
    "Carolyn",   "Raymond",   "Janet",     "Jack",     "Catherine", "Dennis",   "Maria",
    "Jerry",     "Heather",   "Tyler",     "Diane",    "Aaron",     "Ruth",     "Jose",
    "Julie",     "Adam",      "Olivia",    "Nathan",   "Joyce",     "Henry",    "Virginia",
    "Douglas",   "Victoria",  "Zachary",   "Kelly",    "Peter",     "Lauren",   "Kyle",
    "Christina", "Noah",      "Joan",      "Ethan",    "Evelyn",    "Jeremy",   "Megan",
    "Walter",    "Andrea",    "Christian", "Hannah",   "Keith",     "Martha",   "Sean",
    "Gloria",    "Priya",     "Wei",       "Hiroshi",  "Yuki",      "Mohammed", "Fatima",
    "Carlos",    "Sofia",     "Luca",      "Ingrid",   "Lars",      "Aisha",    "Raj",
    "Mei",       "Omar",      "Elena",     "Mateo",    "Chloe",     "Arjun",    "Leila",
    "Kwame",     "Nadia",     "Sven",      "Ana",
};

inline constexpr std::string_view kLastNames[] = {
    "Smith",     "Johnson",   "Williams",   "Brown",     "Jones",    "Garcia",    "Miller",
    "Davis",     "Rodriguez", "Martinez",   "Hernandez", "Lopez",    "Gonzalez",  "Wilson",
    "Anderson",  "Thomas",    "Taylor",     "Moore",     "Jackson",  "Martin",    "Lee",
    "Perez",     "Thompson",  "White",      "Harris",    "Sanchez",  "Clark",     "Ramirez",
    "Lewis",     "Robinson",  "Walker",     "Young",     "Allen",    "King",      "Wright",
    "Scott",     "Torres",    "Nguyen",     "Hill",      "Flores",   "Green",     "Adams",
    "Nelson",    "Baker",     "Hall",       "Rivera",    "Campbell", "Mitchell",  "Carter",
    "Roberts",   "Gomez",     "Phillips",   "Evans",     "Turner",   "Diaz",      "Parker",
    "Cruz",      "Edwards",   "Collins",    "Reyes",     "Stewart",  "Morris",    "Morales",
    "Murphy",    "Cook",      "Rogers",     "Gutierrez", "Ortiz",    "Morgan",    "Cooper",
    "Peterson",  "Bailey",    "Reed",       "Kelly",     "Howard",   "Ramos",     "Kim",
    "Cox",       "Ward",      "Richardson", "Watson",    "Brooks",   "Chavez",    "Wood",
    "James",     "Bennett",   "Gray",       "Mendoza",   "Ruiz",     "Hughes",    "Price",
    "Alvarez",   "Castillo",  "Sanders",    "Patel",     "Myers",    "Long",      "Ross",
    "Foster",    "Jimenez",   "Powell",     "Jenkins",   "Perry",    "Russell",   "Sullivan",
    "Bell",      "Coleman",   "Butler",     "Henderson", "Barnes",   "Fisher",    "Vasquez",
    "Simmons",   "Romero",    "Jordan",     "Patterson", "Hamilton", "Graham",    "Reynolds",
    "Griffin",   "Wallace",   "Moreno",     "West",      "Cole",     "Hayes",     "Bryant",
    "Herrera",   "Gibson",    "Ellis",      "Tran",      "Medina",   "Stevens",   "Murray",
    "Ford",      "Castro",    "Marshall",   "Owens",     "Harrison", "Fernandez", "McDonald",
    "Kennedy",   "Chen",      "Wang",       "Zhang",     "Liu",      "Kumar",     "Singh",
    "Tanaka",    "Yamamoto",  "Muller",     "Schmidt",   "Rossi",    "Novak",     "Kowalski",
    "Johansson", "Larsen",    "Dubois",     "OBrien",
};

struct Department {
  std::string_view name;
  int weight;  // relative share of users
};

inline constexpr Department kDepartments[] = {
    {"Engineering", 30},      {"IT", 8},         {"Security", 3}, {"Sales", 15},
    {"Marketing", 7},         {"Finance", 5},    {"HR", 4},       {"Legal", 2},
    {"Customer Support", 12}, {"Operations", 6}, {"Product", 6},  {"Executive", 2},
};
inline constexpr int kDepartmentCount = static_cast<int>(std::size(kDepartments));

// The roles a department employs, with their relative weights inside the department.
struct Role {
  int department;  // index into kDepartments
  std::string_view name;
  int weight;
};

inline constexpr Role kRoles[] = {
    {0, "Software Engineer", 45},
    {0, "Senior Software Engineer", 25},
    {0, "Staff Engineer", 6},
    {0, "Engineering Manager", 8},
    {0, "QA Engineer", 8},
    {0, "DevOps Engineer", 8},
    {1, "IT Administrator", 30},
    {1, "Systems Engineer", 25},
    {1, "Helpdesk Technician", 30},
    {1, "Network Engineer", 10},
    {1, "IT Manager", 5},
    {2, "Security Analyst", 50},
    {2, "Security Engineer", 40},
    {2, "Security Manager", 10},
    {3, "Account Executive", 40},
    {3, "Sales Development Representative", 35},
    {3, "Solutions Engineer", 15},
    {3, "Sales Manager", 10},
    {4, "Marketing Manager", 25},
    {4, "Content Strategist", 25},
    {4, "Product Marketing Manager", 25},
    {4, "Graphic Designer", 25},
    {5, "Accountant", 40},
    {5, "Financial Analyst", 40},
    {5, "Controller", 10},
    {5, "Finance Manager", 10},
    {6, "HR Generalist", 35},
    {6, "Recruiter", 45},
    {6, "HR Business Partner", 20},
    {7, "Corporate Counsel", 50},
    {7, "Paralegal", 30},
    {7, "Compliance Officer", 20},
    {8, "Support Agent", 60},
    {8, "Support Engineer", 30},
    {8, "Support Team Lead", 10},
    {9, "Operations Analyst", 50},
    {9, "Office Manager", 30},
    {9, "Facilities Coordinator", 20},
    {10, "Product Manager", 50},
    {10, "Product Designer", 30},
    {10, "UX Researcher", 20},
    {11, "Vice President", 50},
    {11, "Director", 30},
    {11, "Executive Assistant", 20},
};

// Longest name in each table, for sizing stack buffers.
inline constexpr size_t kMaxNameChars = 16;

constexpr bool NamesArePlainLetters() {
  auto check = [](std::string_view name) {
    if (name.empty() || name.size() > kMaxNameChars) return false;
    for (char c : name) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    return true;
  };
  for (std::string_view name : kFirstNames) {
    if (!check(name)) return false;
  }
  for (std::string_view name : kLastNames) {
    if (!check(name)) return false;
  }
  return true;
}
static_assert(NamesArePlainLetters(), "names must be 1..16 ASCII letters");

constexpr bool EveryDepartmentHasARole() {
  for (int d = 0; d < kDepartmentCount; ++d) {
    bool found = false;
    for (const Role& role : kRoles) found = found || role.department == d;
    if (!found) return false;
  }
  for (const Role& role : kRoles) {
    if (role.department < 0 || role.department >= kDepartmentCount) return false;
  }
  return true;
}
static_assert(EveryDepartmentHasARole());

}  // namespace seedforge::catalog
