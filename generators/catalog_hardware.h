// Realistic values for the hardware side of the fleet model: asset types, operating systems,
// manufacturers with their serial-number prefixes and MAC OUIs, and hardware models.
//
// Coherence lives in these tables rather than in code: a hardware model names its asset type,
// its manufacturer, the operating systems it can run (an OsProfile) and where such a machine is
// placed (an office, a datacenter, a cloud region). The generator only picks rows of these
// tables, so it cannot produce a Dell running macOS or a VMware VM in an office.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace seedforge::catalog {

enum class AssetType : uint8_t { kLaptop, kDesktop, kServer, kVirtualMachine, kMobile };
inline constexpr int kAssetTypeCount = 5;
inline constexpr std::string_view kAssetTypeNames[kAssetTypeCount] = {"laptop", "desktop", "server",
                                                                      "vm", "mobile"};

// Devices that a person uses (and may own); servers and VMs never have an owner.
constexpr bool IsEndUserDevice(AssetType type) {
  return type == AssetType::kLaptop || type == AssetType::kDesktop || type == AssetType::kMobile;
}

// Same order as the application platforms of catalog_software.h.
enum class OsFamily : uint8_t { kWindows, kMacOs, kLinux, kIos, kAndroid };
inline constexpr int kOsFamilyCount = 5;

struct OperatingSystem {
  std::string_view name;     // os_name
  std::string_view version;  // os_version
  OsFamily family;
  // Identifiers of the patches this system receives (patch_applied events): the prefix
  // followed by `patch_digits` digits, e.g. "KB50" + "34441".
  std::string_view patch_prefix;
  int patch_digits;
};

inline constexpr OperatingSystem kOperatingSystems[] = {
    {"Windows 11", "23H2", OsFamily::kWindows, "KB50", 5},
    {"Windows 11", "22H2", OsFamily::kWindows, "KB50", 5},
    {"Windows 10", "22H2", OsFamily::kWindows, "KB50", 5},
    {"Windows 10", "21H2", OsFamily::kWindows, "KB50", 5},
    {"macOS", "14.5", OsFamily::kMacOs, "APPLE-SA-2024-", 2},
    {"macOS", "14.4.1", OsFamily::kMacOs, "APPLE-SA-2024-", 2},
    {"macOS", "13.6.7", OsFamily::kMacOs, "APPLE-SA-2024-", 2},
    {"Ubuntu", "22.04.4", OsFamily::kLinux, "USN-6", 3},
    {"Ubuntu", "24.04", OsFamily::kLinux, "USN-6", 3},
    {"iOS", "17.5", OsFamily::kIos, "APPLE-SA-2024-", 2},
    {"iOS", "17.4.1", OsFamily::kIos, "APPLE-SA-2024-", 2},
    {"iOS", "16.7.8", OsFamily::kIos, "APPLE-SA-2024-", 2},
    {"iPadOS", "17.5", OsFamily::kIos, "APPLE-SA-2024-", 2},
    {"iPadOS", "17.4.1", OsFamily::kIos, "APPLE-SA-2024-", 2},
    {"Android", "14", OsFamily::kAndroid, "ASB-2024-", 2},
    {"Android", "13", OsFamily::kAndroid, "ASB-2024-", 2},
    {"Windows Server 2022", "21H2", OsFamily::kWindows, "KB50", 5},
    {"Windows Server 2019", "1809", OsFamily::kWindows, "KB50", 5},
    {"Ubuntu Server", "22.04.4", OsFamily::kLinux, "USN-6", 3},
    {"Ubuntu Server", "24.04", OsFamily::kLinux, "USN-6", 3},
    {"Red Hat Enterprise Linux", "8.10", OsFamily::kLinux, "RHSA-2024:", 4},
    {"Red Hat Enterprise Linux", "9.4", OsFamily::kLinux, "RHSA-2024:", 4},
    {"Red Hat Enterprise Linux", "9.3", OsFamily::kLinux, "RHSA-2024:", 4},
    {"Debian", "12.5", OsFamily::kLinux, "DSA-5", 3},
    {"Debian", "12.6", OsFamily::kLinux, "DSA-5", 3},
};
inline constexpr int kOperatingSystemCount = static_cast<int>(std::size(kOperatingSystems));

// Index of an operating system by name and version; a typo fails compilation (not a constant).
consteval int OsIndex(std::string_view name, std::string_view version) {
  for (int i = 0; i < kOperatingSystemCount; ++i) {
    if (kOperatingSystems[i].name == name && kOperatingSystems[i].version == version) return i;
  }
  throw "unknown operating system";
}

// The sets of operating systems a hardware model can run.
enum class OsProfile : uint8_t {
  kPc,           // business laptops and desktops: Windows, occasionally Ubuntu
  kWindowsOnly,  // Microsoft Surface
  kMac,          // Apple laptops and desktops
  kIphone,
  kIpad,
  kAndroid,
  kServer,  // physical servers and VMs
};
inline constexpr int kOsProfileCount = 7;

struct OsChoice {
  OsProfile profile;
  int os;  // index into kOperatingSystems
  int weight;
};

inline constexpr OsChoice kOsChoices[] = {
    {OsProfile::kPc, OsIndex("Windows 11", "23H2"), 40},
    {OsProfile::kPc, OsIndex("Windows 11", "22H2"), 15},
    {OsProfile::kPc, OsIndex("Windows 10", "22H2"), 28},
    {OsProfile::kPc, OsIndex("Windows 10", "21H2"), 10},
    {OsProfile::kPc, OsIndex("Ubuntu", "22.04.4"), 4},
    {OsProfile::kPc, OsIndex("Ubuntu", "24.04"), 3},
    {OsProfile::kWindowsOnly, OsIndex("Windows 11", "23H2"), 60},
    {OsProfile::kWindowsOnly, OsIndex("Windows 11", "22H2"), 25},
    {OsProfile::kWindowsOnly, OsIndex("Windows 10", "22H2"), 15},
    {OsProfile::kMac, OsIndex("macOS", "14.5"), 45},
    {OsProfile::kMac, OsIndex("macOS", "14.4.1"), 35},
    {OsProfile::kMac, OsIndex("macOS", "13.6.7"), 20},
    {OsProfile::kIphone, OsIndex("iOS", "17.5"), 50},
    {OsProfile::kIphone, OsIndex("iOS", "17.4.1"), 35},
    {OsProfile::kIphone, OsIndex("iOS", "16.7.8"), 15},
    {OsProfile::kIpad, OsIndex("iPadOS", "17.5"), 60},
    {OsProfile::kIpad, OsIndex("iPadOS", "17.4.1"), 40},
    {OsProfile::kAndroid, OsIndex("Android", "14"), 60},
    {OsProfile::kAndroid, OsIndex("Android", "13"), 40},
    {OsProfile::kServer, OsIndex("Windows Server 2022", "21H2"), 22},
    {OsProfile::kServer, OsIndex("Windows Server 2019", "1809"), 13},
    {OsProfile::kServer, OsIndex("Ubuntu Server", "22.04.4"), 18},
    {OsProfile::kServer, OsIndex("Ubuntu Server", "24.04"), 10},
    {OsProfile::kServer, OsIndex("Red Hat Enterprise Linux", "8.10"), 9},
    {OsProfile::kServer, OsIndex("Red Hat Enterprise Linux", "9.4"), 10},
    {OsProfile::kServer, OsIndex("Red Hat Enterprise Linux", "9.3"), 5},
    {OsProfile::kServer, OsIndex("Debian", "12.5"), 6},
    {OsProfile::kServer, OsIndex("Debian", "12.6"), 7},
};

enum class ManufacturerId : uint8_t {
  kApple,
  kDell,
  kHp,
  kHpe,
  kLenovo,
  kMicrosoft,
  kSamsung,
  kGoogle,
  kSupermicro,
  kVmware,
  kHyperV,
  kQemu,
  kAmazon,
};

struct Manufacturer {
  std::string_view name;
  // Serial numbers are this prefix plus kSerialDigits base-36 digits. The prefixes are pairwise
  // different, so two manufacturers can never produce the same serial number.
  std::string_view serial_prefix;
};

inline constexpr Manufacturer kManufacturers[] = {
    {"Apple", "C02"},
    {"Dell", "DL"},
    {"HP", "5CG"},
    {"HPE", "CZJ"},
    {"Lenovo", "PF"},
    {"Microsoft", "MS"},
    {"Samsung", "R5"},
    {"Google", "GA"},
    {"Supermicro", "SM"},
    {"VMware", "VMW-"},
    {"Microsoft Hyper-V", "HV-"},
    {"QEMU", "QM-"},
    {"Amazon EC2", "EC2-"},
};
inline constexpr int kManufacturerCount = static_cast<int>(std::size(kManufacturers));
inline constexpr int kSerialDigits = 7;  // 36^7 > 2^32: every 32-bit scramble fits

// MAC address prefixes (OUIs) per manufacturer. The cloud providers assign locally administered
// addresses (second-lowest bit of the first byte set), as EC2 does.
struct Oui {
  ManufacturerId manufacturer;
  uint8_t bytes[3];
};

inline constexpr Oui kOuis[] = {
    {ManufacturerId::kApple, {0x3C, 0x22, 0xFB}},
    {ManufacturerId::kApple, {0xA4, 0x83, 0xE7}},
    {ManufacturerId::kApple, {0xF0, 0x18, 0x98}},
    {ManufacturerId::kApple, {0xAC, 0xBC, 0x32}},
    {ManufacturerId::kDell, {0x18, 0x66, 0xDA}},
    {ManufacturerId::kDell, {0xB8, 0xCA, 0x3A}},
    {ManufacturerId::kDell, {0xF8, 0xBC, 0x12}},
    {ManufacturerId::kDell, {0xD4, 0x81, 0xD7}},
    {ManufacturerId::kHp, {0x3C, 0xD9, 0x2B}},
    {ManufacturerId::kHp, {0x9C, 0x8E, 0x99}},
    {ManufacturerId::kHp, {0x10, 0x60, 0x4B}},
    {ManufacturerId::kHpe, {0x94, 0x18, 0x82}},
    {ManufacturerId::kHpe, {0x1C, 0x98, 0xEC}},
    {ManufacturerId::kHpe, {0x48, 0xDF, 0x37}},
    {ManufacturerId::kLenovo, {0x54, 0xEE, 0x75}},
    {ManufacturerId::kLenovo, {0x8C, 0x16, 0x45}},
    {ManufacturerId::kLenovo, {0xE8, 0x6A, 0x64}},
    {ManufacturerId::kMicrosoft, {0x28, 0x18, 0x78}},
    {ManufacturerId::kMicrosoft, {0xC0, 0x33, 0x5E}},
    {ManufacturerId::kSamsung, {0x5C, 0x0A, 0x5B}},
    {ManufacturerId::kSamsung, {0x8C, 0x77, 0x12}},
    {ManufacturerId::kSamsung, {0xF4, 0x7B, 0x09}},
    {ManufacturerId::kGoogle, {0x3C, 0x28, 0x6D}},
    {ManufacturerId::kGoogle, {0xF8, 0x0F, 0xF9}},
    {ManufacturerId::kSupermicro, {0x00, 0x25, 0x90}},
    {ManufacturerId::kSupermicro, {0xAC, 0x1F, 0x6B}},
    {ManufacturerId::kSupermicro, {0x0C, 0xC4, 0x7A}},
    {ManufacturerId::kVmware, {0x00, 0x50, 0x56}},
    {ManufacturerId::kVmware, {0x00, 0x0C, 0x29}},
    {ManufacturerId::kHyperV, {0x00, 0x15, 0x5D}},
    {ManufacturerId::kQemu, {0x52, 0x54, 0x00}},
    {ManufacturerId::kAmazon, {0x02, 0x4A, 0x7E}},
    {ManufacturerId::kAmazon, {0x0A, 0x3B, 0x91}},
    {ManufacturerId::kAmazon, {0x12, 0x6F, 0xC4}},
};

// Where a machine of a model stands.
enum class Placement : uint8_t {
  kOffice,             // an office (end-user devices)
  kDatacenter,         // an on-premises datacenter
  kAws,                // an AWS region
  kAzureOrDatacenter,  // an Azure region or an on-premises datacenter (Hyper-V)
};

struct HardwareModel {
  AssetType type;
  ManufacturerId manufacturer;
  std::string_view name;
  OsProfile os_profile;
  int weight;  // relative share among the models of its asset type
  // Word used in hostnames: "mbp" gives "jsmith-mbp", "iPhone" gives "Johns-iPhone".
  std::string_view host_word;
  Placement placement;
};

inline constexpr HardwareModel kHardwareModels[] = {
    // Laptops.
    {AssetType::kLaptop, ManufacturerId::kApple, "MacBook Pro 14 (M3 Pro)", OsProfile::kMac, 10,
     "mbp", Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kApple, "MacBook Pro 16 (M3 Max)", OsProfile::kMac, 4,
     "mbp", Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kApple, "MacBook Air 13 (M2)", OsProfile::kMac, 8, "mba",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kApple, "MacBook Air 15 (M3)", OsProfile::kMac, 5, "mba",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kDell, "Latitude 5440", OsProfile::kPc, 12, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kDell, "Latitude 7440", OsProfile::kPc, 9, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kDell, "XPS 13 9340", OsProfile::kPc, 4, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kDell, "Precision 5680", OsProfile::kPc, 3, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kHp, "EliteBook 840 G10", OsProfile::kPc, 9, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kHp, "EliteBook 860 G9", OsProfile::kPc, 5, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kHp, "ZBook Firefly 14 G10", OsProfile::kPc, 3, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kHp, "ProBook 450 G10", OsProfile::kPc, 4, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kLenovo, "ThinkPad T14 Gen 4", OsProfile::kPc, 10, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kLenovo, "ThinkPad X1 Carbon Gen 11", OsProfile::kPc, 7,
     "lt", Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kLenovo, "ThinkPad P16s Gen 2", OsProfile::kPc, 3, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kLenovo, "ThinkPad E14 Gen 5", OsProfile::kPc, 3, "lt",
     Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kMicrosoft, "Surface Laptop 5", OsProfile::kWindowsOnly, 3,
     "lt", Placement::kOffice},
    {AssetType::kLaptop, ManufacturerId::kMicrosoft, "Surface Pro 9", OsProfile::kWindowsOnly, 2,
     "lt", Placement::kOffice},
    // Desktops.
    {AssetType::kDesktop, ManufacturerId::kApple, "iMac 24 (M3)", OsProfile::kMac, 6, "imac",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kApple, "Mac mini (M2)", OsProfile::kMac, 4, "macmini",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kApple, "Mac Studio (M2 Max)", OsProfile::kMac, 2,
     "macstudio", Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kDell, "OptiPlex 7010", OsProfile::kPc, 14, "dt",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kDell, "OptiPlex 5000", OsProfile::kPc, 8, "dt",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kDell, "Precision 3660", OsProfile::kPc, 4, "dt",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kHp, "EliteDesk 800 G9", OsProfile::kPc, 10, "dt",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kHp, "ProDesk 400 G9", OsProfile::kPc, 7, "dt",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kHp, "Z2 Tower G9", OsProfile::kPc, 3, "dt",
     Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kLenovo, "ThinkCentre M70q Gen 4", OsProfile::kPc, 9,
     "dt", Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kLenovo, "ThinkCentre M90t Gen 3", OsProfile::kPc, 5,
     "dt", Placement::kOffice},
    {AssetType::kDesktop, ManufacturerId::kLenovo, "ThinkStation P360", OsProfile::kPc, 3, "dt",
     Placement::kOffice},
    // Physical servers.
    {AssetType::kServer, ManufacturerId::kDell, "PowerEdge R650", OsProfile::kServer, 12, "",
     Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kDell, "PowerEdge R750", OsProfile::kServer, 10, "",
     Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kDell, "PowerEdge R760", OsProfile::kServer, 6, "",
     Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kHpe, "ProLiant DL360 Gen10 Plus", OsProfile::kServer, 10,
     "", Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kHpe, "ProLiant DL380 Gen11", OsProfile::kServer, 8, "",
     Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kLenovo, "ThinkSystem SR650 V2", OsProfile::kServer, 6, "",
     Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kLenovo, "ThinkSystem SR630 V3", OsProfile::kServer, 4, "",
     Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kSupermicro, "SuperServer SYS-620U-TNR",
     OsProfile::kServer, 4, "", Placement::kDatacenter},
    {AssetType::kServer, ManufacturerId::kSupermicro, "SuperServer SYS-120C-TN10R",
     OsProfile::kServer, 3, "", Placement::kDatacenter},
    // Virtual machines: the model is what the hypervisor reports as the system product.
    {AssetType::kVirtualMachine, ManufacturerId::kVmware, "VMware Virtual Platform",
     OsProfile::kServer, 30, "", Placement::kDatacenter},
    {AssetType::kVirtualMachine, ManufacturerId::kVmware, "VMware7,1", OsProfile::kServer, 12, "",
     Placement::kDatacenter},
    {AssetType::kVirtualMachine, ManufacturerId::kHyperV, "Virtual Machine", OsProfile::kServer, 15,
     "", Placement::kAzureOrDatacenter},
    {AssetType::kVirtualMachine, ManufacturerId::kQemu, "Standard PC (Q35 + ICH9, 2009)",
     OsProfile::kServer, 8, "", Placement::kDatacenter},
    {AssetType::kVirtualMachine, ManufacturerId::kQemu, "Standard PC (i440FX + PIIX, 1996)",
     OsProfile::kServer, 4, "", Placement::kDatacenter},
    {AssetType::kVirtualMachine, ManufacturerId::kAmazon, "m6i.large", OsProfile::kServer, 10, "",
     Placement::kAws},
    {AssetType::kVirtualMachine, ManufacturerId::kAmazon, "t3.medium", OsProfile::kServer, 8, "",
     Placement::kAws},
    {AssetType::kVirtualMachine, ManufacturerId::kAmazon, "c6i.xlarge", OsProfile::kServer, 5, "",
     Placement::kAws},
    {AssetType::kVirtualMachine, ManufacturerId::kAmazon, "r6i.2xlarge", OsProfile::kServer, 3, "",
     Placement::kAws},
    // Mobile devices.
    {AssetType::kMobile, ManufacturerId::kApple, "iPhone 15", OsProfile::kIphone, 14, "iPhone",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kApple, "iPhone 15 Pro", OsProfile::kIphone, 8, "iPhone",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kApple, "iPhone 14", OsProfile::kIphone, 10, "iPhone",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kApple, "iPhone SE (3rd generation)", OsProfile::kIphone,
     4, "iPhone", Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kApple, "iPad Air (5th generation)", OsProfile::kIpad, 4,
     "iPad", Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kApple, "iPad Pro 11 (4th generation)", OsProfile::kIpad,
     3, "iPad", Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kSamsung, "Galaxy S24", OsProfile::kAndroid, 8, "Galaxy",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kSamsung, "Galaxy S23", OsProfile::kAndroid, 7, "Galaxy",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kSamsung, "Galaxy A54", OsProfile::kAndroid, 5, "Galaxy",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kSamsung, "Galaxy Tab S9", OsProfile::kAndroid, 2,
     "Galaxy", Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kGoogle, "Pixel 8", OsProfile::kAndroid, 5, "Pixel",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kGoogle, "Pixel 8 Pro", OsProfile::kAndroid, 2, "Pixel",
     Placement::kOffice},
    {AssetType::kMobile, ManufacturerId::kGoogle, "Pixel 7", OsProfile::kAndroid, 3, "Pixel",
     Placement::kOffice},
};
inline constexpr int kHardwareModelCount = static_cast<int>(std::size(kHardwareModels));

// The coherence rules, checked at compile time.
constexpr bool IsAppleOs(OsFamily family) {
  return family == OsFamily::kMacOs || family == OsFamily::kIos;
}
constexpr bool IsServerOs(std::string_view name) {
  return name == "Windows Server 2022" || name == "Windows Server 2019" ||
         name == "Ubuntu Server" || name == "Red Hat Enterprise Linux" || name == "Debian";
}

constexpr bool HardwareIsCoherent() {
  for (const HardwareModel& model : kHardwareModels) {
    const bool apple = model.manufacturer == ManufacturerId::kApple;
    const bool virtual_platform = model.manufacturer == ManufacturerId::kVmware ||
                                  model.manufacturer == ManufacturerId::kHyperV ||
                                  model.manufacturer == ManufacturerId::kQemu ||
                                  model.manufacturer == ManufacturerId::kAmazon;
    if ((model.type == AssetType::kVirtualMachine) != virtual_platform) return false;
    if ((model.type == AssetType::kServer || model.type == AssetType::kVirtualMachine) !=
        (model.os_profile == OsProfile::kServer)) {
      return false;
    }
    if ((model.type == AssetType::kServer || model.type == AssetType::kVirtualMachine) ==
        (model.placement == Placement::kOffice)) {
      return false;
    }
    bool any_os = false;
    for (const OsChoice& choice : kOsChoices) {
      if (choice.profile != model.os_profile) continue;
      any_os = true;
      const OperatingSystem& os = kOperatingSystems[choice.os];
      if (apple != IsAppleOs(os.family)) return false;
      if (IsServerOs(os.name) != (model.os_profile == OsProfile::kServer)) return false;
      if (model.type == AssetType::kMobile &&
          !(os.family == OsFamily::kIos || os.family == OsFamily::kAndroid)) {
        return false;
      }
      if ((model.type == AssetType::kLaptop || model.type == AssetType::kDesktop) &&
          !(os.name == "Windows 10" || os.name == "Windows 11" || os.name == "macOS" ||
            os.name == "Ubuntu")) {
        return false;
      }
    }
    if (!any_os) return false;
    bool any_oui = false;
    for (const Oui& oui : kOuis) any_oui = any_oui || oui.manufacturer == model.manufacturer;
    if (!any_oui) return false;
  }
  return true;
}
static_assert(HardwareIsCoherent(), "a hardware model breaks a coherence rule");

constexpr bool SerialPrefixesAreDistinct() {
  for (int a = 0; a < kManufacturerCount; ++a) {
    for (int b = 0; b < a; ++b) {
      if (kManufacturers[a].serial_prefix == kManufacturers[b].serial_prefix) return false;
    }
  }
  return true;
}
static_assert(SerialPrefixesAreDistinct());

}  // namespace seedforge::catalog
