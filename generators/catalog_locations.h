// Where the fleet lives: offices for end-user devices, datacenters and cloud regions for servers
// and virtual machines, each with the private IPv4 /16 its machines take addresses from.
//
// Offices use 10.<b>.0.0/16 with b in 10..40, cloud regions 10.<b>.0.0/16 with b >= 100 (VPC
// ranges) and on-premises datacenters 172.<16..19>.0.0/16, so an address alone tells which
// site it belongs to. Within a site the third octet separates the networks of the asset types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "generators/catalog_hardware.h"

namespace seedforge::catalog {

enum class LocationKind : uint8_t { kOffice, kDatacenter, kAws, kAzure };
inline constexpr int kLocationKindCount = 4;

struct Location {
  std::string_view name;  // assets.location
  std::string_view code;  // short code used in hostnames
  LocationKind kind;
  int weight;  // relative share of the machines placed in a location of its kind
  uint8_t ip_first;
  uint8_t ip_second;
};

inline constexpr Location kLocations[] = {
    {"New York", "nyc", LocationKind::kOffice, 20, 10, 10},
    {"San Francisco", "sfo", LocationKind::kOffice, 14, 10, 11},
    {"Austin", "aus", LocationKind::kOffice, 8, 10, 12},
    {"Chicago", "chi", LocationKind::kOffice, 7, 10, 13},
    {"Toronto", "yyz", LocationKind::kOffice, 5, 10, 14},
    {"London", "lon", LocationKind::kOffice, 12, 10, 20},
    {"Dublin", "dub", LocationKind::kOffice, 5, 10, 21},
    {"Berlin", "ber", LocationKind::kOffice, 6, 10, 22},
    {"Paris", "par", LocationKind::kOffice, 4, 10, 23},
    {"Amsterdam", "ams", LocationKind::kOffice, 4, 10, 24},
    {"Bangalore", "blr", LocationKind::kOffice, 8, 10, 30},
    {"Singapore", "sin", LocationKind::kOffice, 4, 10, 31},
    {"Tokyo", "tyo", LocationKind::kOffice, 3, 10, 32},
    {"Sydney", "syd", LocationKind::kOffice, 3, 10, 33},
    {"Sao Paulo", "gru", LocationKind::kOffice, 3, 10, 40},
    {"Ashburn DC1", "ash", LocationKind::kDatacenter, 40, 172, 16},
    {"Dallas DC2", "dfw", LocationKind::kDatacenter, 25, 172, 17},
    {"Frankfurt DC3", "fra", LocationKind::kDatacenter, 25, 172, 18},
    {"Singapore DC4", "sgp", LocationKind::kDatacenter, 10, 172, 19},
    {"aws:us-east-1", "use1", LocationKind::kAws, 45, 10, 100},
    {"aws:us-west-2", "usw2", LocationKind::kAws, 20, 10, 101},
    {"aws:eu-west-1", "euw1", LocationKind::kAws, 25, 10, 102},
    {"aws:ap-southeast-1", "apse1", LocationKind::kAws, 10, 10, 103},
    {"azure:eastus", "eus", LocationKind::kAzure, 60, 10, 110},
    {"azure:westeurope", "weu", LocationKind::kAzure, 40, 10, 111},
};
inline constexpr int kLocationCount = static_cast<int>(std::size(kLocations));

// Third-octet range [first, last] of each asset type's network inside its site.
struct SubnetRange {
  uint8_t first;
  uint8_t last;
};
inline constexpr SubnetRange kSubnetsByAssetType[kAssetTypeCount] = {
    {32, 95},   // laptops: office Wi-Fi
    {0, 31},    // desktops: wired office LAN
    {0, 63},    // servers
    {64, 254},  // virtual machines
    {96, 127},  // mobiles: guest/BYOD Wi-Fi
};

// Server roles, used in hostnames such as "ash-db-07".
inline constexpr std::string_view kServerRoles[] = {"web",  "app", "db",  "cache", "mq",  "build",
                                                    "file", "dc",  "mon", "k8s",   "etl", "proxy"};

}  // namespace seedforge::catalog
