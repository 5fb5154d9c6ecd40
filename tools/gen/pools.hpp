// Tool: newshound-gen's word pools: first and last names (some with diacritics),
// organisation and place name parts, and newswire vocabulary. Plain data.
#pragma once

#include <string_view>

namespace gen {

inline constexpr std::string_view first_names[] = {
    "James",    "Maria",     "Ahmed",   "Li",       "Olga",     "Pierre",    "Kenji",   "Ana",
    "David",    "Fatima",    "Hans",    "Yuki",     "Carlos",   "Ingrid",    "Ravi",    "Sofia",
    "John",     "Mary",      "Peter",   "Paul",     "Elena",    "Ivan",      "Chen",    "Wei",
    "Omar",     "Lucía",     "Marco",   "Anna",     "Thomas",   "Karl",      "Jean",    "Luis",
    "Ali",      "Sara",      "Mikhail", "Helmut",   "Margaret", "Ronald",    "Jacques", "Nigel",
    "Hiroshi",  "Akira",     "Jürgen",  "François", "José",     "Zoë",       "Søren",   "Björn",
    "Ayşe",     "Mehmet",    "Priya",   "Arjun",    "Ngozi",    "Chinedu",   "Kwame",   "Amara",
    "Dmitri",   "Natasha",   "Sergei",  "Irina",    "Wang",     "Xiu",       "Min-jun", "Seo-yeon",
    "Mohammed", "Layla",     "Yusuf",   "Leila",    "Pedro",    "Isabel",    "Diego",   "Camila",
    "Giulia",   "Luca",      "Matteo",  "Chiara",   "Henrik",   "Astrid",    "Lars",    "Ingeborg",
    "Tomasz",   "Agnieszka", "Piotr",   "Zofia",    "Andrés",   "Valentina", "Rafael",  "Beatriz",
    "Emily",    "Michael",   "Robert",  "Susan",    "William",  "Elizabeth", "Richard", "Patricia",
    "Charles",  "Jennifer",  "Joseph",  "Linda",    "Daniel",   "Barbara",   "Mark",    "Nancy",
    "George",   "Helen",     "Edward",  "Ruth",     "Kevin",    "Sharon",    "Brian",   "Laura",
    "Amir",     "Nadia",     "Tariq",   "Yasmin",   "Kofi",     "Adaeze",    "Thabo",   "Naledi"};

inline constexpr std::string_view last_names[] = {
    "Smith",     "Baker",      "Tanaka",    "Müller",    "Rossi",       "Kowalski",     "Nakamura",
    "Silva",     "Novak",      "Jensen",    "Petrov",    "Haddad",      "García",       "Kim",
    "Olsen",     "Dubois",     "Schmidt",   "Sato",      "Moreau",      "Ivanov",       "Reagan",
    "Thatcher",  "Kohl",       "Volcker",   "Lawson",    "Delors",      "Nakasone",     "Brown",
    "Wilson",    "Clark",      "Lewis",     "Walker",    "Young",       "King",         "Wright",
    "López",     "Hill",       "Scott",     "Green",     "Adams",       "Nelson",       "Carter",
    "Mitchell",  "Roberts",    "Turner",    "Phillips",  "Campbell",    "Parker",       "Evans",
    "Edwards",   "Collins",    "Stewart",   "Morris",    "Rogers",      "Reed",         "Cook",
    "Morgan",    "Bell",       "Murphy",    "Yılmaz",    "Öztürk",      "Erdem",        "Şahin",
    "Nguyen",    "Tran",       "Pham",      "Okafor",    "Adeyemi",     "Mensah",       "Owusu",
    "Mbeki",     "Dlamini",    "Khumalo",   "Sharma",    "Patel",       "Gupta",        "Singh",
    "Iyer",      "Kuznetsov",  "Smirnov",   "Popov",     "Sokolov",     "Lebedev",      "Zhang",
    "Liu",       "Huang",      "Zhao",      "Wu",        "Zhou",        "Park",         "Choi",
    "Jung",      "Kang",       "Yamamoto",  "Kobayashi", "Watanabe",    "Suzuki",       "Takahashi",
    "Fernández", "González",   "Rodríguez", "Martínez",  "Sánchez",     "Pérez",        "Gómez",
    "Díaz",      "Ferreira",   "Almeida",   "Costa",     "Santos",      "Oliveira",     "Bianchi",
    "Romano",    "Colombo",    "Ricci",     "Marino",    "Greco",       "Bruno",        "Gallo",
    "Lefèvre",   "Lambert",    "Fontaine",  "Rousseau",  "Girard",      "Bonnet",       "Dupont",
    "Wagner",    "Becker",     "Hoffmann",  "Schäfer",   "Koch",        "Richter",      "Klein",
    "Wolf",      "Schröder",   "Neumann",   "Schwarz",   "Zimmermann",  "Braun",        "Krüger",
    "Hansen",    "Johansson",  "Lindqvist", "Nilsson",   "Eriksson",    "Larsen",       "Andersen",
    "Nowak",     "Wiśniewski", "Wójcik",    "Kamiński",  "Lewandowski", "Dvořák",       "Horváth",
    "Nagy",      "Szabó",      "Popescu",   "Ionescu",   "Georgiou",    "Papadopoulos", "Khalil",
    "Hussein"};

inline constexpr std::string_view org_heads[] = {
    "Northern", "Southern",     "Atlantic",  "Pacific",     "Meridian",   "Summit",   "Pioneer",
    "Sterling", "Granite",      "Harbor",    "Crescent",    "Orion",      "Vanguard", "Keystone",
    "Liberty",  "Silverline",   "Redwood",   "Bluewater",   "Ironbridge", "Eastgate", "Westfield",
    "Highland", "Lakeside",     "Riverside", "Continental", "Imperial",   "National", "General",
    "United",   "Consolidated", "Allied",    "Federal",     "Royal",      "Global",   "Metro",
    "Coastal",  "Polar",        "Sunrise",   "Evergreen",   "Falcon",     "Phoenix",  "Titan",
    "Zenith",   "Apex",         "Beacon",    "Cedar",       "Delta",      "Echo",     "Frontier",
    "Gateway",  "Horizon",      "Juniper",   "Kestrel",     "Lighthouse", "Magnolia", "Nova",
    "Oakmont",  "Prairie",      "Quarry",    "Ridgeway",    "Saffron",    "Tundra",   "Upland",
    "Willow"};
inline constexpr std::string_view org_middles[] = {
    "Steel",    "Energy", "Mining",      "Petroleum", "Shipping",  "Airlines", "Foods",
    "Chemical", "Motors", "Textiles",    "Telecom",   "Insurance", "Savings",  "Trust",
    "Grain",    "Sugar",  "Coffee",      "Cocoa",     "Copper",    "Gold",     "Timber",
    "Paper",    "Pharma", "Electronics", "Software",  "Rail",      "Freight",  "Cement",
    "Glass",    "Rubber", "Power",       "Gas",       "Water",     "Media",    "Publishing",
    "Hotels",   "Retail", "Tobacco",     "Brewing",   "Fertilizer"};
inline constexpr std::string_view org_tails[] = {
    "Corp", "Inc",     "Group",   "Holdings", "Co", "Ltd", "Industries", "Partners",
    "Bank", "Capital", "Company", "AG",       "SA", "plc", "Resources",  "Trading"};

inline constexpr std::string_view place_syllables[] = {
    "kar", "ova", "bad", "lin",  "mar", "tes", "ros", "vel", "dun", "hal",
    "mir", "zan", "por", "quel", "sab", "tor", "ven", "gra", "lis", "nor",
    "bel", "cas", "dor", "fen",  "gal", "hav", "ist", "jan", "kol", "lum",
    "mon", "nev", "ost", "pal",  "ral", "sol", "tav", "ulm", "var", "wes"};
inline constexpr std::string_view place_tails[] = {"",     "",     "",      " City", "port",
                                                   "grad", "abad", "ville", "burg",  "stan"};

/// Newswire vocabulary for bodies, headlines and topics (all lower case, ASCII).
inline constexpr std::string_view words[] = {
    "market",     "shares",    "prices",    "trade",      "talks",       "agreement", "government",
    "minister",   "officials", "company",   "profit",     "quarter",     "exports",   "imports",
    "tariff",     "sanctions", "oil",       "crude",      "output",      "bank",      "interest",
    "rates",      "inflation", "growth",    "economy",    "budget",      "deficit",   "bonds",
    "yields",     "currency",  "dollar",    "yen",        "mark",        "sterling",  "stocks",
    "index",      "earnings",  "dividend",  "merger",     "acquisition", "takeover",  "bid",
    "offer",      "stake",     "investors", "analysts",   "forecast",    "demand",    "supply",
    "production", "harvest",   "wheat",     "corn",       "soybeans",    "coffee",    "sugar",
    "cocoa",      "gold",      "silver",    "copper",     "steel",       "shipping",  "strike",
    "union",      "workers",   "election",  "parliament", "vote",        "reform",    "policy",
    "central",    "reserve",   "treasury",  "debt",       "loan",        "credit",    "billion",
    "million",    "percent",   "rise",      "fall",       "gain",        "loss",      "record",
    "week",       "month",     "year",      "statement",  "spokesman",   "report",    "ceasefire",
    "summit",     "security",  "alliance",  "border",     "embassy"};

inline constexpr std::string_view verbs[] = {"said",   "told reporters", "announced", "warned",
                                             "added",  "noted",          "stressed",  "confirmed",
                                             "denied", "argued",         "insisted",  "predicted"};

}  // namespace gen
