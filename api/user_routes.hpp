#pragma once

#include "api/router.hpp"
#include "domain/identity/user_service.hpp"

namespace coco::api {

// POST/GET /users, GET/PATCH /users/{id}, POST /users/{id}/disable,
// POST/GET /tokens, DELETE /tokens/{id}.
void AddUserRoutes(Router& router, domain::UserService* users);

}  // namespace coco::api
