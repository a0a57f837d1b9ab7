#pragma once

#include <nlohmann/json.hpp>

#include "api/http.hpp"
#include "domain/identity/user_service.hpp"

namespace coco::api::json {

nlohmann::json UserJson(const domain::User& user);
nlohmann::json TokenJson(const domain::TokenInfo& token);
// GET /me: {"user": UserJson, "token": {"id", "expires_at"}}.
nlohmann::json CallerJson(const domain::CallerInfo& caller);
domain::NewUserRequest ReadNewUser(const Request& request);
domain::UserPatch ReadUserPatch(const Request& request);
domain::NewTokenRequest ReadNewToken(const Request& request);

}  // namespace coco::api::json
