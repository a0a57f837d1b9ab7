#pragma once

#include <optional>
#include <string>
#include <vector>

namespace coco::app {

// `coco backup DIR ...` and `coco restore DIR ...` (the words after the command). Exit codes: 0
// done, 1 refused or failed (nothing usable written, nothing restored), 2 bad usage or
// configuration (an unreachable database included).
int Backup(const std::vector<std::string>& args);
int Restore(const std::vector<std::string>& args);

// A libpq URL split for a child process: the URL without the password of its user-info part,
// and that password (percent-decoded), to be passed as PGPASSWORD so it shows neither in the
// process list nor in messages. Other forms (key=value strings, ?password=) pass unchanged.
struct SplitUrl {
  std::string url;
  std::optional<std::string> password;
};
SplitUrl SplitPassword(const std::string& url);

// The URL with its passwords (user-info, password= parameters) replaced by "***": safe to print.
std::string RedactedUrl(const std::string& url);

}  // namespace coco::app
