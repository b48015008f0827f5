// What happens on the fleet: event types with their severity, where they can occur, and the
// values their JSON payloads draw from.
//
// An event type has one fixed severity, so (event_type, severity) pairs are a closed set. Each
// type says on which operating system families and on which kind of machine (end-user device or
// server/VM) it can occur: USB sticks are not plugged into EC2 instances and iPhones do not run
// backup jobs. Payload vocabularies are indexed by OsFamily, so a process name or a volume fits
// the machine ("chrome.exe" and "C:" on Windows, "/var" on Linux).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "generators/catalog_hardware.h"
#include "generators/catalog_software.h"

namespace seedforge::catalog {

enum class EventKind : uint8_t {
  kHeartbeat,
  kLogin,
  kLogout,
  kLoginFailed,
  kCpuHigh,
  kMemoryHigh,
  kDiskLow,
  kSoftwareInstalled,
  kPatchApplied,
  kMalwareDetected,
  kConfigChanged,
  kReboot,
  kUsbConnected,
  kVpnConnected,
  kServiceCrashed,
  kBackupFailed,
  kCertificateExpiring,
};

inline constexpr uint8_t kOnEndUserDevices = 1;
inline constexpr uint8_t kOnServers = 2;  // physical servers and VMs
inline constexpr uint8_t kOnAnyMachine = kOnEndUserDevices | kOnServers;

struct EventType {
  EventKind kind;
  std::string_view name;      // events.event_type
  std::string_view severity;  // events.severity: info, warning, error or critical
  int weight;                 // relative frequency where the type can occur
  uint8_t os_families;        // bit set over OsFamily (same bits as the platforms kWindowsBit...)
  uint8_t machines;           // kOnEndUserDevices and/or kOnServers
};

inline constexpr EventType kEventTypes[] = {
    {EventKind::kHeartbeat, "heartbeat", "info", 300, kAllPlatforms, kOnAnyMachine},
    {EventKind::kLogin, "login", "info", 120, kAllPlatforms, kOnAnyMachine},
    {EventKind::kLogout, "logout", "info", 90, kAllPlatforms, kOnAnyMachine},
    {EventKind::kLoginFailed, "login_failed", "warning", 30, kAllPlatforms, kOnAnyMachine},
    {EventKind::kCpuHigh, "cpu_high", "warning", 50, kAllPlatforms, kOnAnyMachine},
    {EventKind::kMemoryHigh, "memory_high", "warning", 30, kAllPlatforms, kOnAnyMachine},
    {EventKind::kDiskLow, "disk_low", "warning", 30, kAllPlatforms, kOnAnyMachine},
    {EventKind::kSoftwareInstalled, "software_installed", "info", 50, kAllPlatforms, kOnAnyMachine},
    {EventKind::kPatchApplied, "patch_applied", "info", 60, kAllPlatforms, kOnAnyMachine},
    {EventKind::kMalwareDetected, "malware_detected", "critical", 5, kAllPlatforms, kOnAnyMachine},
    {EventKind::kConfigChanged, "config_changed", "info", 40, kAllPlatforms, kOnAnyMachine},
    {EventKind::kReboot, "reboot", "info", 40, kAllPlatforms, kOnAnyMachine},
    {EventKind::kUsbConnected, "usb_connected", "info", 30, kDesktopPlatforms, kOnEndUserDevices},
    {EventKind::kVpnConnected, "vpn_connected", "info", 40, kAllPlatforms, kOnEndUserDevices},
    {EventKind::kServiceCrashed, "service_crashed", "error", 20, kDesktopPlatforms, kOnAnyMachine},
    {EventKind::kBackupFailed, "backup_failed", "error", 20, kWindowsBit | kLinuxBit, kOnServers},
    {EventKind::kCertificateExpiring, "certificate_expiring", "warning", 10,
     kWindowsBit | kLinuxBit, kOnServers},
};
inline constexpr int kEventTypeCount = static_cast<int>(std::size(kEventTypes));

constexpr bool EveryMachineHasEvents() {
  for (int family = 0; family < kOsFamilyCount; ++family) {
    for (uint8_t machine : {kOnEndUserDevices, kOnServers}) {
      bool any = false;
      for (const EventType& type : kEventTypes) {
        any = any || (((type.os_families >> family) & 1) && (type.machines & machine));
      }
      if (!any) return false;
    }
  }
  for (int i = 0; i < kEventTypeCount; ++i) {
    if (static_cast<int>(kEventTypes[i].kind) != i) return false;  // indexed by kind
  }
  return true;
}
static_assert(EveryMachineHasEvents());

// Events that report on a deployment; the type follows the deployment's status.
struct DeploymentEventType {
  std::string_view name;
  std::string_view severity;
};
inline constexpr DeploymentEventType kDeploymentQueued = {"deployment_queued", "info"};
inline constexpr DeploymentEventType kDeploymentStarted = {"deployment_started", "info"};
inline constexpr DeploymentEventType kDeploymentProgress = {"deployment_progress", "info"};
inline constexpr DeploymentEventType kDeploymentSucceeded = {"deployment_succeeded", "info"};
inline constexpr DeploymentEventType kDeploymentFailed = {"deployment_failed", "error"};
inline constexpr DeploymentEventType kDeploymentRolledBack = {"deployment_rolled_back", "warning"};

// Payload vocabularies, indexed by OsFamily (Windows, macOS, Linux, iOS, Android).
inline constexpr std::string_view kProcesses[kOsFamilyCount][4] = {
    {"chrome.exe", "MsMpEng.exe", "ms-teams.exe", "java.exe"},
    {"Google Chrome Helper", "mds_stores", "kernel_task", "Slack Helper"},
    {"java", "postgres", "node", "dockerd"},
    {"SpringBoard", "WebContent", "backboardd", "mediaserverd"},
    {"system_server", "com.google.android.gms", "surfaceflinger", "com.android.chrome"},
};

inline constexpr std::string_view kVolumes[kOsFamilyCount][2] = {
    {"C:", "D:"},       {"/", "/System/Volumes/Data"},
    {"/", "/var"},      {"/private/var", "/private/var"},
    {"/data", "/data"},
};
inline constexpr int64_t kDiskSizesGb[] = {64, 128, 256, 512, 1024, 2048};

struct Threat {
  std::string_view name;
  std::string_view path;
};
inline constexpr Threat kThreats[kOsFamilyCount][3] = {
    {{"Trojan:Win32/Emotet.RT!MTB", "C:\\Users\\Public\\Downloads\\invoice_0423.exe"},
     {"Ransom:Win32/LockBit.AA", "C:\\ProgramData\\svchost32.exe"},
     {"PUA:Win32/Presenoker", "C:\\Users\\Public\\setup_free.exe"}},
    {{"OSX/Shlayer.D", "/Users/Shared/.flashplayer/Player.app"},
     {"OSX/Adload.B", "/Library/Application Support/.mdworker/mdworker"},
     {"MacOS:AMOS-Stealer", "/private/tmp/.update"}},
    {{"Linux.Mirai.B", "/tmp/.x86_64"},
     {"Linux/CoinMiner.XMRig", "/var/tmp/.kworker"},
     {"Linux.Backdoor.Tsunami", "/dev/shm/.ssh"}},
    {{"iOS/ProfileAbuse", "/private/var/mobile/Library/ConfigurationProfiles"},
     {"iOS/Phishing.Webclip", "/private/var/mobile/Library/WebClips"},
     {"iOS/ProfileAbuse", "/private/var/mobile/Library/ConfigurationProfiles"}},
    {{"Android/Joker.Dropper", "/data/app/com.fancy.wallpapers"},
     {"Android/Hiddad.AB", "/data/app/com.free.cleaner"},
     {"Android/FluBot", "/data/app/com.parcel.tracking"}},
};
inline constexpr std::string_view kThreatActions[] = {"quarantined", "quarantined", "removed",
                                                      "blocked"};

inline constexpr std::string_view kServices[kOsFamilyCount][4] = {
    {"Spooler", "wuauserv", "W32Time", "BITS"},
    {"com.apple.mdworker", "com.microsoft.autoupdate.helper", "com.apple.cupsd",
     "com.docker.vmnetd"},
    {"nginx", "postgresql", "sshd", "docker"},
    {"", "", "", ""},
    {"", "", "", ""},
};

inline constexpr std::string_view kLoginMethods[kOsFamilyCount][3] = {
    {"password", "windows_hello", "smartcard"}, {"password", "touch_id", "smartcard"},
    {"ssh_key", "password", "kerberos"},        {"face_id", "passcode", "touch_id"},
    {"fingerprint", "pin", "face_unlock"},
};
inline constexpr std::string_view kLoginFailureReasons[] = {
    "bad_password", "bad_password", "account_locked", "mfa_denied", "expired_password"};
inline constexpr std::string_view kLogoutReasons[] = {"user", "user", "idle_timeout", "shutdown"};

struct ConfigChange {
  std::string_view setting;
  std::string_view old_value;
  std::string_view new_value;
};
inline constexpr ConfigChange kConfigChanges[] = {
    {"firewall.enabled", "true", "false"},
    {"firewall.enabled", "false", "true"},
    {"screen_lock.timeout_s", "900", "300"},
    {"disk_encryption.enabled", "false", "true"},
    {"auto_update.enabled", "true", "false"},
    {"usb_storage.blocked", "false", "true"},
    {"ntp.server", "time.windows.com", "pool.ntp.org"},
    {"dns.servers", "10.0.0.2", "10.0.0.53"},
    {"proxy.pac_url", "", "http://wpad.corp.internal/wpad.dat"},
};
inline constexpr std::string_view kConfigChangedBy[] = {"policy", "policy", "mdm", "admin", "user"};

inline constexpr std::string_view kRebootReasons[] = {"patch", "patch", "user", "scheduled",
                                                      "crash"};

struct UsbDevice {
  std::string_view vendor;
  std::string_view product;
  bool storage;
};
inline constexpr UsbDevice kUsbDevices[] = {
    {"SanDisk", "Ultra Fit", true},       {"Kingston", "DataTraveler Exodia", true},
    {"Samsung", "T7 Portable SSD", true}, {"Logitech", "Unifying Receiver", false},
    {"Yubico", "YubiKey 5 NFC", false},   {"Jabra", "Evolve2 65", false},
};

inline constexpr std::string_view kVpnGateways[] = {
    "vpn-us-east.corp.internal", "vpn-us-west.corp.internal", "vpn-eu.corp.internal",
    "vpn-apac.corp.internal"};
inline constexpr std::string_view kVpnProtocols[] = {"ipsec", "ssl", "wireguard"};

inline constexpr std::string_view kBackupJobs[] = {"nightly-full", "hourly-incremental",
                                                   "weekly-archive"};
inline constexpr std::string_view kBackupErrors[] = {"TARGET_UNREACHABLE", "QUOTA_EXCEEDED",
                                                     "SNAPSHOT_FAILED", "CREDENTIALS_EXPIRED"};

inline constexpr std::string_view kCertificateSubjects[] = {
    "CN=*.corp.internal", "CN=ldap.corp.internal", "CN=vpn.corp.internal",
    "CN=grafana.corp.internal", "CN=registry.corp.internal"};

inline constexpr std::string_view kAgentVersions[] = {"7.10.4", "7.11.2", "7.12.0", "7.12.1"};

inline constexpr std::string_view kInstallers[kOsFamilyCount] = {"msiexec", "pkg", "apt",
                                                                 "App Store", "Google Play"};

}  // namespace seedforge::catalog
