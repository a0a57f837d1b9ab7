#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

namespace coco::api {

// A logger that writes one JSON object per line to stderr: {"time", "level", "msg", ...fields}.
// Level names as COCO_LOG_LEVEL takes them: trace, debug, info, warn, error, off.
std::shared_ptr<spdlog::logger> MakeJsonLogger(std::string_view level);

// Writes one line; `fields` must be an object and never holds secrets (tokens, evidence bytes).
void LogJson(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
             nlohmann::json fields = nlohmann::json::object());

}  // namespace coco::api
