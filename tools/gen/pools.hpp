// Tool: newshound-gen's word pools, as one table: for each pool (first and last
// names, some with diacritics; organisation and place name parts; newswire
// vocabulary) its entries in one '|'-separated string. Plain data; pools() splits
// it once. The order of the entries is part of the output for a given --seed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace gen {

enum class Pool : std::uint8_t {
  first_name,
  last_name,
  org_head,
  org_middle,
  org_tail,
  place_syllable,
  place_tail,
  word,
  verb,
};
inline constexpr std::size_t kPoolCount = static_cast<std::size_t>(Pool::verb) + 1;

struct PoolText {
  Pool pool;
  std::string_view entries;  ///< '|'-separated; an entry may be empty
};

inline constexpr PoolText kPoolTable[] = {
    // First names, some with diacritics.
    {Pool::first_name,
     "James|Maria|Ahmed|Li|Olga|Pierre|Kenji|Ana|David|Fatima|Hans|Yuki|Carlos|Ingrid|Ravi|"
     "Sofia|John|Mary|Peter|Paul|Elena|Ivan|Chen|Wei|Omar|Lucía|Marco|Anna|Thomas|Karl|"
     "Jean|Luis|Ali|Sara|Mikhail|Helmut|Margaret|Ronald|Jacques|Nigel|Hiroshi|Akira|Jürgen|"
     "François|José|Zoë|Søren|Björn|Ayşe|Mehmet|Priya|Arjun|Ngozi|Chinedu|Kwame|Amara|"
     "Dmitri|Natasha|Sergei|Irina|Wang|Xiu|Min-jun|Seo-yeon|Mohammed|Layla|Yusuf|Leila|"
     "Pedro|Isabel|Diego|Camila|Giulia|Luca|Matteo|Chiara|Henrik|Astrid|Lars|Ingeborg|"
     "Tomasz|Agnieszka|Piotr|Zofia|Andrés|Valentina|Rafael|Beatriz|Emily|Michael|Robert|"
     "Susan|William|Elizabeth|Richard|Patricia|Charles|Jennifer|Joseph|Linda|Daniel|Barbara|"
     "Mark|Nancy|George|Helen|Edward|Ruth|Kevin|Sharon|Brian|Laura|Amir|Nadia|Tariq|Yasmin|"
     "Kofi|Adaeze|Thabo|Naledi"},
    // Family names, some with diacritics.
    {Pool::last_name,
     "Smith|Baker|Tanaka|Müller|Rossi|Kowalski|Nakamura|Silva|Novak|Jensen|Petrov|Haddad|"
     "García|Kim|Olsen|Dubois|Schmidt|Sato|Moreau|Ivanov|Reagan|Thatcher|Kohl|Volcker|"
     "Lawson|Delors|Nakasone|Brown|Wilson|Clark|Lewis|Walker|Young|King|Wright|López|Hill|"
     "Scott|Green|Adams|Nelson|Carter|Mitchell|Roberts|Turner|Phillips|Campbell|Parker|"
     "Evans|Edwards|Collins|Stewart|Morris|Rogers|Reed|Cook|Morgan|Bell|Murphy|Yılmaz|"
     "Öztürk|Erdem|Şahin|Nguyen|Tran|Pham|Okafor|Adeyemi|Mensah|Owusu|Mbeki|Dlamini|"
     "Khumalo|Sharma|Patel|Gupta|Singh|Iyer|Kuznetsov|Smirnov|Popov|Sokolov|Lebedev|Zhang|"
     "Liu|Huang|Zhao|Wu|Zhou|Park|Choi|Jung|Kang|Yamamoto|Kobayashi|Watanabe|Suzuki|"
     "Takahashi|Fernández|González|Rodríguez|Martínez|Sánchez|Pérez|Gómez|Díaz|"
     "Ferreira|Almeida|Costa|Santos|Oliveira|Bianchi|Romano|Colombo|Ricci|Marino|Greco|"
     "Bruno|Gallo|Lefèvre|Lambert|Fontaine|Rousseau|Girard|Bonnet|Dupont|Wagner|Becker|"
     "Hoffmann|Schäfer|Koch|Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|Braun|"
     "Krüger|Hansen|Johansson|Lindqvist|Nilsson|Eriksson|Larsen|Andersen|Nowak|Wiśniewski|"
     "Wójcik|Kamiński|Lewandowski|Dvořák|Horváth|Nagy|Szabó|Popescu|Ionescu|Georgiou|"
     "Papadopoulos|Khalil|Hussein"},
    // First word of an organisation name.
    {Pool::org_head,
     "Northern|Southern|Atlantic|Pacific|Meridian|Summit|Pioneer|Sterling|Granite|Harbor|"
     "Crescent|Orion|Vanguard|Keystone|Liberty|Silverline|Redwood|Bluewater|Ironbridge|"
     "Eastgate|Westfield|Highland|Lakeside|Riverside|Continental|Imperial|National|General|"
     "United|Consolidated|Allied|Federal|Royal|Global|Metro|Coastal|Polar|Sunrise|Evergreen|"
     "Falcon|Phoenix|Titan|Zenith|Apex|Beacon|Cedar|Delta|Echo|Frontier|Gateway|Horizon|"
     "Juniper|Kestrel|Lighthouse|Magnolia|Nova|Oakmont|Prairie|Quarry|Ridgeway|Saffron|"
     "Tundra|Upland|Willow"},
    // Its trade.
    {Pool::org_middle,
     "Steel|Energy|Mining|Petroleum|Shipping|Airlines|Foods|Chemical|Motors|Textiles|"
     "Telecom|Insurance|Savings|Trust|Grain|Sugar|Coffee|Cocoa|Copper|Gold|Timber|Paper|"
     "Pharma|Electronics|Software|Rail|Freight|Cement|Glass|Rubber|Power|Gas|Water|Media|"
     "Publishing|Hotels|Retail|Tobacco|Brewing|Fertilizer"},
    // Its legal form.
    {Pool::org_tail,
     "Corp|Inc|Group|Holdings|Co|Ltd|Industries|Partners|Bank|Capital|Company|AG|SA|plc|"
     "Resources|Trading"},
    // Syllables of made-up place names (two or three per name).
    {Pool::place_syllable,
     "kar|ova|bad|lin|mar|tes|ros|vel|dun|hal|mir|zan|por|quel|sab|tor|ven|gra|lis|nor|bel|"
     "cas|dor|fen|gal|hav|ist|jan|kol|lum|mon|nev|ost|pal|ral|sol|tav|ulm|var|wes"},
    // Endings of place names ("" three times: most names have none).
    {Pool::place_tail, "||| City|port|grad|abad|ville|burg|stan"},
    // Newswire vocabulary for bodies, headlines and topics (lower case, ASCII).
    {Pool::word,
     "market|shares|prices|trade|talks|agreement|government|minister|officials|company|"
     "profit|quarter|exports|imports|tariff|sanctions|oil|crude|output|bank|interest|rates|"
     "inflation|growth|economy|budget|deficit|bonds|yields|currency|dollar|yen|mark|"
     "sterling|stocks|index|earnings|dividend|merger|acquisition|takeover|bid|offer|stake|"
     "investors|analysts|forecast|demand|supply|production|harvest|wheat|corn|soybeans|"
     "coffee|sugar|cocoa|gold|silver|copper|steel|shipping|strike|union|workers|election|"
     "parliament|vote|reform|policy|central|reserve|treasury|debt|loan|credit|billion|"
     "million|percent|rise|fall|gain|loss|record|week|month|year|statement|spokesman|report|"
     "ceasefire|summit|security|alliance|border|embassy"},
    // Verbs of saying, after a quote.
    {Pool::verb,
     "said|told reporters|announced|warned|added|noted|stressed|confirmed|denied|argued|"
     "insisted|predicted"},
};

/// Every pool's entries, split once from kPoolTable. Never throws but std::bad_alloc.
inline const std::array<std::vector<std::string_view>, kPoolCount>& pools() {
  static const auto split = [] {
    std::array<std::vector<std::string_view>, kPoolCount> out;
    for (const PoolText& row : kPoolTable) {
      auto& entries = out[static_cast<std::size_t>(row.pool)];
      std::string_view rest = row.entries;
      for (std::size_t bar; (bar = rest.find('|')) != std::string_view::npos;) {
        entries.push_back(rest.substr(0, bar));
        rest.remove_prefix(bar + 1);
      }
      entries.push_back(rest);
    }
    return out;
  }();
  return split;
}

}  // namespace gen
