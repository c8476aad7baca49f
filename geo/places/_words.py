"""The geocoder's word lists: names and words that are not places, and hints at a place's kind.

:mod:`geo.places.geocode` reads these to keep precision first: people, factions, media and ordinary
capitalised words of news prose (:data:`NOT_PLACES`, :data:`RAW_NOT_PLACES`) never resolve;
country names (:data:`COUNTRY_NAMES`) are reported as a country, not a point; organisation words
(:data:`ORG_WORDS`, "... Forces") allow only exact curated matches; leading direction words
(:data:`DIRECTION_WORDS`, "northern Aleppo") are dropped; and trailing kind words
(:data:`KIND_HINTS`, "border crossing" -> crossing, "air base" -> airbase) favour places of
that kind. A bracketed country qualifier ("Rabia (Iraq)") maps to its ISO2 code through
:data:`QUALIFIER_COUNTRIES`. Pure data: nothing here touches the gazetteer.

>>> dict(KIND_HINTS)["border crossing"]
frozenset({'crossing'})
>>> "crossing" in HINT_LAST_WORDS, "Hezbollah" in NOT_PLACES
(True, True)
"""

from __future__ import annotations

from geo.places.normalize import normalize_name

__all__ = [
    "COUNTRY_NAMES",
    "DIRECTION_WORDS",
    "HINT_LAST_WORDS",
    "KIND_HINTS",
    "NOT_PLACES",
    "ORG_WORDS",
    "QUALIFIER_COUNTRIES",
    "RAW_NOT_PLACES",
]

#: Media names spelled like places once folded ("Al Jazeera" ~ the Jazira region): raw match only.
RAW_NOT_PLACES: tuple[str, ...] = (
    "Al Jazeera", "Al-Jazeera", "Aljazeera", "Al Jazeera English",
    # given names, alone: "Omar" is a man, "Al-Omar" the oil field
    "Ahmed", "Ahmad", "Mohammed", "Muhammad", "Mohamed", "Ali", "Hussein", "Husain", "Hassan",
    "Hasan", "Omar", "Umar", "Abdullah", "Khalid", "Khaled", "Mustafa", "Ibrahim", "Yusuf",
    "Youssef", "Mahmoud", "Salim", "Salem", "Karim", "Jamal", "Nasser", "Faisal", "Saddam",
    "Suleiman", "Sulaiman", "Hamza", "Abbas", "Hadi", "Maher", "Rami", "Yahya", "Qasim",
    "Victoria", "Taylor", "Sultan", "Murad", "Fathulla",
    # generic toponym words, alone: "Tell", "Deir", "Wadi" are parts of names, not places
    "Tal", "Tall", "Tell", "Tel", "Deir", "Dayr", "Dair", "Jabal", "Jebel", "Khan", "Ras",
    "Beit", "Bayt", "Qasr", "Souq", "Suq", "Wadi", "Ain", "Ayn", "Kafr", "Abu", "Umm", "Bin",
    "Ibn", "Bab", "Hay", "Harat", "Mazraa", "Mazraat", "Khirbet", "Khirbat", "Qalaat", "Nahr",
    "Bir", "Jisr", "Sheikh", "Shaykh", "Madinat", "Qaryat", "Bani", "Sham", "Levant",
    "Mosque", "Media", "Valley",
    # demonyms of towns: "Aleppan" is a person from Aleppo, not Aleppo
    "Aleppan", "Aleppans", "Aleppine", "Homsi", "Homsis", "Damascene", "Damascenes",
    "Raqqawi", "Raqqawis", "Manbiji", "Manbijis", "Idlibi", "Idlibis", "Hamawi", "Deiri",
    "Deiris", "Mosuli", "Mosulis", "Baghdadi", "Baghdadis", "Basrawi", "Anbari", "Kurdistani",
)  # fmt: skip

#: People, factions, parties, media, demonyms and ordinary capitalised words of news prose:
#: never places, whichever way they are spelled (matched on the folded key and the raw form).
NOT_PLACES: tuple[str, ...] = (
    # people
    "Assad", "al-Assad", "Bashar", "Bashar al-Assad", "Hafez al-Assad", "Maher al-Assad",
    "Jolani", "al-Jolani", "Julani", "Abu Mohammad al-Jolani", "Sharaa", "al-Sharaa",
    "Ahmed al-Sharaa", "Sudani", "al-Sudani", "Erdogan", "Putin", "Trump", "Biden",
    "Khamenei", "Nasrallah", "Baghdadi", "Araji", "Al-Araji", "Baziani", "Husseini",
    "Mazloum Abdi", "Barzani", "Talabani",
    # factions, armed groups, parties, governments
    "Hezbollah", "Hizbollah", "Hizballah", "HTS", "Hayat Tahrir al-Sham", "Tahrir al-Sham",
    "Hayat Tahrir al Sham", "SDF", "Syrian Democratic Forces", "SNA", "Syrian National Army",
    "FSA", "Free Syrian Army", "Syrian Free Army", "PMF", "PMU", "Popular Mobilization Forces",
    "Popular Mobilisation Forces", "Popular Mobilization Units", "Hashd", "Hashd al-Shaabi",
    "Islamic State", "ISIS", "ISIL", "IS", "Daesh", "Al-Qaeda", "Al-Qaida", "Al Qaeda",
    "YPG", "YPJ", "PKK", "KRG", "AANES", "KDP", "PUK", "IRGC", "Quds Force", "Wagner",
    "Hamas", "Shabiha", "Fatemiyoun", "Zainabiyoun", "Tiger Forces", "Republican Guard",
    "Fourth Division", "Mukhabarat", "Baath Party", "Ba'ath Party", "Qaradawi", "Sharia",
    "Kataib Hezbollah", "Ahrar al-Sham", "Jaish al-Islam", "Nusra", "Jabhat al-Nusra",
    "NATO", "UN", "UNHCR", "OCHA", "CENTCOM", "Pentagon", "Kremlin", "White House",
    # the same in Arabic script
    "الأسد", "بشار الأسد", "حزب الله", "الجولاني", "أحمد الشرع", "هيئة تحرير الشام", "قسد",
    "داعش", "الحشد الشعبي", "الجيش الوطني السوري", "قوات سوريا الديمقراطية",
    # media and agencies
    "INA", "Reuters", "AFP", "AP", "TNA", "The New Arab",
    "Al Arabiya", "Al-Arabiya", "SANA", "SOHR", "ISW", "ACLED", "BBC", "CNN",
    "Rudaw", "Kurdistan24", "Asharq Al-Awsat", "Al-Monitor", "Al-Huda", "Huda",
    # demonyms, groups and adjectives
    "Syrian", "Syrians", "Iraqi", "Iraqis", "Kurdish", "Kurd", "Kurds", "Turkish", "Turk",
    "Turks", "Iranian", "Iranians", "Russian", "Russians", "American", "Americans", "Israeli",
    "Israelis", "Jordanian", "Lebanese", "Arab", "Arabs", "Arabic", "Sunni", "Sunnis", "Shia",
    "Shias", "Shiite", "Alawite", "Alawites", "Druze", "Yazidi", "Yazidis", "Christian",
    "Christians", "Assyrian", "Turkmen", "Islamist", "Islamists", "Jihadist", "Jihadists",
    "Western", "European", "Middle East", "Middle Eastern",
    # ordinary capitalised words of news prose
    "Government", "Regime", "Rebels", "Rebel", "Opposition", "Army", "Forces", "Border",
    "State", "President", "Prime Minister", "Minister", "General", "Major", "Major General",
    "Commander", "Commander-in-Chief", "Spokesman", "Security", "Advisor", "Adviser",
    "Operation", "Dawn of Freedom", "Operation Dawn of Freedom", "Deterrence of Aggression",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Today", "Yesterday", "Centre", "Center", "Forum",
    "Doha Forum", "Council", "Ministry", "Source", "Video", "Views", "Share", "Reply",
    "Comment", "Name", "Region", "City", "Town", "Village", "Camp", "Dam", "Airbase",
)  # fmt: skip

#: Country names: reported as "a country, not a point" rather than placed on a village.
COUNTRY_NAMES: tuple[str, ...] = (
    "Syria", "Syrian Arab Republic", "Iraq", "Turkey", "Türkiye", "Turkiye", "Iran", "Jordan",
    "Lebanon", "Israel", "Palestine", "Saudi Arabia", "Qatar", "Russia", "United States",
    "United States of America", "USA", "US", "U.S.", "United Kingdom", "UK", "Britain", "Egypt",
    "Kuwait", "Bahrain", "United Arab Emirates", "UAE", "Oman", "Yemen", "Libya", "France",
    "Germany", "China", "Ukraine", "Cyprus", "Greece", "Armenia", "Azerbaijan", "Georgia",
)  # fmt: skip

#: Country qualifiers of "Name (Country)": a folded key -> ISO2 code.
QUALIFIER_COUNTRIES: dict[str, str] = {
    normalize_name(n): code
    for n, code in (
        ("Syria", "SY"), ("Iraq", "IQ"), ("Turkey", "TR"), ("Türkiye", "TR"), ("Jordan", "JO"),
        ("Lebanon", "LB"), ("Israel", "IL"), ("Iran", "IR"), ("Saudi Arabia", "SA"),
        ("SY", "SY"), ("IQ", "IQ"), ("TR", "TR"), ("JO", "JO"), ("LB", "LB"),
    )
}  # fmt: skip

#: Words that mark a name as an organisation or group: such a query never fuzzy-matches and
#: only resolves through an exact curated (places.csv) alias.
ORG_WORDS: frozenset[str] = frozenset(
    {
        "forces", "army", "front", "brigade", "brigades", "division", "militia", "militias",
        "party", "council", "government", "ministry", "agency", "news", "center", "centre",
        "administration", "movement", "organization", "organisation", "committee", "regime",
        "units", "battalion", "corps", "guard", "guards", "police", "authority", "office",
        "group", "network", "channel", "television", "tv", "radio", "studies", "institute",
        "university", "company", "bank", "fund", "alliance", "coalition", "command", "state",
    }
)  # fmt: skip

#: Leading words that narrow a place without changing it ("northern Aleppo").
DIRECTION_WORDS: frozenset[str] = frozenset(
    {
        "north", "south", "east", "west", "northern", "southern", "eastern", "western",
        "central", "northeast", "northwest", "southeast", "southwest", "northeastern",
        "northwestern", "southeastern", "southwestern", "rural", "greater", "outskirts",
        "countryside", "the", "of", "in", "near", "downtown", "old",
    }
)  # fmt: skip

#: Trailing words (lower case) that hint at the kind of place, longest first.
KIND_HINTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("border crossing point", frozenset({"crossing"})),
    ("border crossing", frozenset({"crossing"})),
    ("border gate", frozenset({"crossing"})),
    ("crossing point", frozenset({"crossing"})),
    ("crossing", frozenset({"crossing"})),
    ("military airport", frozenset({"airbase"})),
    ("military airbase", frozenset({"airbase"})),
    ("air base", frozenset({"airbase"})),
    ("airbase", frozenset({"airbase"})),
    ("airport", frozenset({"airbase"})),
    ("airfield", frozenset({"airbase"})),
    ("refugee camp", frozenset({"camp"})),
    ("displacement camp", frozenset({"camp"})),
    ("camps", frozenset({"camp"})),
    ("camp", frozenset({"camp"})),
    ("dam", frozenset({"dam"})),
    ("oil field", frozenset({"oil_field", "gas_field"})),
    ("oilfield", frozenset({"oil_field", "gas_field"})),
    ("gas field", frozenset({"gas_field", "oil_field"})),
    ("field", frozenset({"oil_field", "gas_field"})),
    ("governorate", frozenset({"region"})),
    ("province", frozenset({"region"})),
    ("region", frozenset({"region"})),
    ("countryside", frozenset({"region"})),
    ("neighbourhood", frozenset({"neighbourhood"})),
    ("neighborhood", frozenset({"neighbourhood"})),
    ("district", frozenset({"neighbourhood", "region"})),
    ("garrison", frozenset({"military_site"})),
    ("base", frozenset({"military_site", "airbase"})),
    ("city", frozenset({"city", "town"})),
    ("town", frozenset({"city", "town"})),
    ("village", frozenset({"town"})),
)

#: The last words of the :data:`KIND_HINTS` phrases: a cheap test before trying them all.
HINT_LAST_WORDS: frozenset[str] = frozenset(phrase.rsplit(" ", 1)[-1] for phrase, _ in KIND_HINTS)
