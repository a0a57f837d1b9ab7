#pragma once

#include <string>
#include <vector>

namespace coco::app {

// Runs `coco <subcommand> ...`; returns the process exit code: 0 success, 1 a failure while
// working (e.g. a refused import), 2 bad usage or configuration (one clear line on stderr).
int RunCli(const std::vector<std::string>& args);

}  // namespace coco::app
