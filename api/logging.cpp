#include "api/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>

#include "domain/common/date.hpp"

namespace coco::api {

std::shared_ptr<spdlog::logger> MakeJsonLogger(std::string_view level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("coco", std::move(sink));
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::info);
  return logger;
}

void LogJson(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
             nlohmann::json fields) {
  if (!logger.should_log(level)) return;
  nlohmann::json line = {
      {"time", domain::FormatTimestamp(std::chrono::system_clock::now())},
      {"level", spdlog::level::to_string_view(level).data()},
      {"msg", message},
  };
  if (fields.is_object()) {
    for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  }
  logger.log(level, "{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace coco::api
