#pragma once

#include "api/router.hpp"
#include "domain/inbox/inbox_service.hpp"

namespace coco::api {

// GET /me/inbox: what waits for the caller, by role (docs/notifications.md "Inboxes").
void AddInboxRoutes(Router& router, domain::InboxService* inbox);

}  // namespace coco::api
