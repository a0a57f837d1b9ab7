#include "api/routes.hpp"

#include "api/system_routes.hpp"

namespace coco::api {

void AddAllRoutes(Router& router, const ApiServices& services) {
  AddSystemRoutes(router, SystemDependencies{services.ready, services.metrics});
}

}  // namespace coco::api
