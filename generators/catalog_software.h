// Realistic values for the software side of the fleet model: the application catalog, the
// platforms an application is built for, deployment rings and deployment error codes.
//
// An application row is (catalog entry, platform, version). The catalog says on which platforms
// each product exists, so a row never claims e.g. Notepad++ for macOS, and gives the version
// scheme (first major version, minor versions per major) that makes "3.12.4"-style versions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace seedforge::catalog {

// Platforms of applications, in the same order as OsFamily (catalog_hardware.h) so that an
// operating system family and the platform of the software it runs share one index.
inline constexpr int kPlatformCount = 5;
inline constexpr std::string_view kPlatformNames[kPlatformCount] = {"windows", "macos", "linux",
                                                                    "ios", "android"};
inline constexpr uint8_t kWindowsBit = 1 << 0;
inline constexpr uint8_t kMacBit = 1 << 1;
inline constexpr uint8_t kLinuxBit = 1 << 2;
inline constexpr uint8_t kIosBit = 1 << 3;
inline constexpr uint8_t kAndroidBit = 1 << 4;
inline constexpr uint8_t kDesktopPlatforms = kWindowsBit | kMacBit | kLinuxBit;
inline constexpr uint8_t kMobilePlatforms = kIosBit | kAndroidBit;
inline constexpr uint8_t kAllPlatforms = kDesktopPlatforms | kMobilePlatforms;

struct Application {
  std::string_view name;
  std::string_view publisher;
  std::string_view category;
  uint8_t platforms;     // bit set of kWindowsBit, kMacBit, kLinuxBit, kIosBit, kAndroidBit
  int64_t size_mb;       // typical package size in MB
  int first_major;       // major version of the oldest release
  int minors_per_major;  // minor releases before the major number goes up
};

inline constexpr Application kApplications[] = {
    {"Google Chrome", "Google LLC", "Browser", kDesktopPlatforms | kMobilePlatforms, 110, 118, 3},
    {"Mozilla Firefox", "Mozilla Foundation", "Browser", kAllPlatforms, 90, 119, 3},
    {"Microsoft Edge", "Microsoft Corporation", "Browser", kAllPlatforms, 160, 118, 3},
    {"Slack", "Slack Technologies", "Communication", kAllPlatforms, 120, 4, 40},
    {"Zoom Workplace", "Zoom Video Communications", "Communication", kAllPlatforms, 95, 5, 17},
    {"Microsoft Teams", "Microsoft Corporation", "Communication", kAllPlatforms, 140, 24, 12},
    {"Webex", "Cisco Systems", "Communication", kAllPlatforms, 250, 43, 12},
    {"WhatsApp", "Meta Platforms", "Communication", kMobilePlatforms | kWindowsBit | kMacBit, 150,
     2, 24},
    {"Microsoft Outlook", "Microsoft Corporation", "Productivity",
     kWindowsBit | kMacBit | kMobilePlatforms, 520, 16, 80},
    {"Microsoft Word", "Microsoft Corporation", "Productivity",
     kWindowsBit | kMacBit | kMobilePlatforms, 1100, 16, 80},
    {"Microsoft Excel", "Microsoft Corporation", "Productivity",
     kWindowsBit | kMacBit | kMobilePlatforms, 1050, 16, 80},
    {"Microsoft PowerPoint", "Microsoft Corporation", "Productivity",
     kWindowsBit | kMacBit | kMobilePlatforms, 980, 16, 80},
    {"LibreOffice", "The Document Foundation", "Productivity", kDesktopPlatforms, 330, 7, 6},
    {"Notion", "Notion Labs", "Productivity", kAllPlatforms, 140, 3, 12},
    {"Adobe Acrobat Reader", "Adobe Inc.", "Productivity", kWindowsBit | kMacBit | kMobilePlatforms,
     450, 23, 8},
    {"Microsoft OneDrive", "Microsoft Corporation", "Storage",
     kWindowsBit | kMacBit | kMobilePlatforms, 45, 24, 50},
    {"Dropbox", "Dropbox Inc.", "Storage", kAllPlatforms, 180, 190, 10},
    {"Google Drive", "Google LLC", "Storage", kWindowsBit | kMacBit | kMobilePlatforms, 300, 85,
     10},
    {"Box Drive", "Box Inc.", "Storage", kWindowsBit | kMacBit, 110, 2, 40},
    {"1Password", "AgileBits", "Security", kAllPlatforms, 90, 8, 10},
    {"Bitwarden", "Bitwarden Inc.", "Security", kAllPlatforms, 80, 2024, 12},
    {"CrowdStrike Falcon Sensor", "CrowdStrike", "Security", kDesktopPlatforms, 120, 7, 20},
    {"SentinelOne Agent", "SentinelOne", "Security", kDesktopPlatforms, 150, 23, 4},
    {"Microsoft Defender for Endpoint", "Microsoft Corporation", "Security", kAllPlatforms, 200,
     101, 30},
    {"Okta Verify", "Okta Inc.", "Security", kWindowsBit | kMacBit | kMobilePlatforms, 45, 9, 10},
    {"Duo Mobile", "Cisco Systems", "Security", kMobilePlatforms, 70, 4, 60},
    {"Microsoft Authenticator", "Microsoft Corporation", "Security", kMobilePlatforms, 180, 6, 12},
    {"Jamf Protect", "Jamf", "Security", kMacBit, 30, 5, 6},
    {"Cisco Secure Client", "Cisco Systems", "VPN", kAllPlatforms, 60, 5, 2},
    {"GlobalProtect", "Palo Alto Networks", "VPN", kAllPlatforms, 40, 6, 3},
    {"Tailscale", "Tailscale Inc.", "VPN", kAllPlatforms, 30, 1, 70},
    {"Visual Studio Code", "Microsoft Corporation", "Development", kDesktopPlatforms, 95, 1, 95},
    {"IntelliJ IDEA", "JetBrains", "Development", kDesktopPlatforms, 900, 2023, 3},
    {"PyCharm", "JetBrains", "Development", kDesktopPlatforms, 700, 2023, 3},
    {"Git", "Software Freedom Conservancy", "Development", kDesktopPlatforms, 55, 2, 50},
    {"Docker Desktop", "Docker Inc.", "Development", kDesktopPlatforms, 550, 4, 35},
    {"Postman", "Postman Inc.", "Development", kDesktopPlatforms, 160, 10, 25},
    {"Python", "Python Software Foundation", "Runtime", kDesktopPlatforms, 28, 3, 13},
    {"Node.js", "OpenJS Foundation", "Runtime", kDesktopPlatforms, 30, 18, 20},
    {"Eclipse Temurin JDK", "Eclipse Adoptium", "Runtime", kDesktopPlatforms, 190, 17, 1},
    {".NET Runtime", "Microsoft Corporation", "Runtime", kDesktopPlatforms, 32, 6, 1},
    {"Adobe Photoshop", "Adobe Inc.", "Design", kWindowsBit | kMacBit, 2800, 25, 12},
    {"Adobe Illustrator", "Adobe Inc.", "Design", kWindowsBit | kMacBit, 2300, 28, 6},
    {"Figma", "Figma Inc.", "Design", kWindowsBit | kMacBit, 210, 116, 20},
    {"Spotify", "Spotify AB", "Media", kAllPlatforms, 130, 1, 2},
    {"VLC media player", "VideoLAN", "Media", kAllPlatforms, 40, 3, 1},
    {"7-Zip", "Igor Pavlov", "Utility", kWindowsBit, 2, 23, 2},
    {"Notepad++", "Notepad++ Team", "Utility", kWindowsBit, 5, 8, 7},
    {"WinSCP", "Martin Prikryl", "Utility", kWindowsBit, 11, 6, 4},
    {"PuTTY", "Simon Tatham", "Utility", kWindowsBit, 4, 0, 90},
    {"TeamViewer", "TeamViewer SE", "Remote Access", kAllPlatforms, 80, 15, 50},
    {"AnyDesk", "AnyDesk Software", "Remote Access", kAllPlatforms, 6, 8, 3},
    {"Citrix Workspace", "Cloud Software Group", "Remote Access", kAllPlatforms, 330, 23, 12},
    {"Microsoft Remote Desktop", "Microsoft Corporation", "Remote Access",
     kMacBit | kMobilePlatforms, 60, 10, 9},
    {"Company Portal", "Microsoft Corporation", "Management",
     kWindowsBit | kMacBit | kMobilePlatforms, 60, 5, 60},
    {"Splunk Universal Forwarder", "Splunk Inc.", "Monitoring", kDesktopPlatforms, 90, 9, 3},
    {"Datadog Agent", "Datadog", "Monitoring", kDesktopPlatforms, 480, 7, 55},
    {"osquery", "osquery Foundation", "Monitoring", kDesktopPlatforms, 25, 5, 12},
    {"Zabbix Agent", "Zabbix LLC", "Monitoring", kWindowsBit | kLinuxBit, 12, 6, 5},
    {"PostgreSQL", "PostgreSQL Global Development Group", "Database", kWindowsBit | kLinuxBit, 60,
     14, 1},
    {"Redis", "Redis Ltd.", "Database", kLinuxBit, 3, 7, 4},
    {"nginx", "F5 Inc.", "Web Server", kLinuxBit | kWindowsBit, 2, 1, 27},
    {"Apache Tomcat", "Apache Software Foundation", "Web Server", kLinuxBit | kWindowsBit, 15, 9,
     1},
    {"Salesforce", "Salesforce Inc.", "CRM", kMobilePlatforms, 120, 248, 4},
    {"Workday", "Workday Inc.", "HR", kMobilePlatforms, 110, 2024, 12},
};
inline constexpr int kApplicationCount = static_cast<int>(std::size(kApplications));

constexpr int PlatformCount(uint8_t platforms) {
  int count = 0;
  for (int p = 0; p < kPlatformCount; ++p) count += (platforms >> p) & 1;
  return count;
}

constexpr bool ApplicationsAreWellFormed() {
  for (int a = 0; a < kApplicationCount; ++a) {
    const Application& app = kApplications[a];
    if (PlatformCount(app.platforms) == 0 || app.size_mb <= 0 || app.minors_per_major <= 0) {
      return false;
    }
    for (int b = 0; b < a; ++b) {
      if (kApplications[b].name == app.name) return false;  // names make rows unique
    }
  }
  return true;
}
static_assert(ApplicationsAreWellFormed());

struct Ring {
  std::string_view name;
  int weight;
};
inline constexpr Ring kRings[] = {{"canary", 5}, {"pilot", 20}, {"broad", 75}};

// error_code of failed deployments: Windows installer HRESULTs, MSI exit codes and agent errors.
inline constexpr std::string_view kDeploymentErrorCodes[] = {
    "0x80070005",         "0x80070643",     "0x80070652",
    "0x800F0922",         "0x80240017",     "MSI_1603",
    "MSI_1618",           "MSI_1638",       "TIMEOUT",
    "DISK_FULL",          "HASH_MISMATCH",  "SIGNATURE_INVALID",
    "DEPENDENCY_MISSING", "REBOOT_PENDING", "NETWORK_UNREACHABLE",
    "DPKG_LOCK_HELD",     "RPM_CONFLICT",   "PKG_INSTALL_FAILED",
    "EXIT_CODE_1",
};
inline constexpr int kDeploymentErrorCodeCount = static_cast<int>(std::size(kDeploymentErrorCodes));

}  // namespace seedforge::catalog
