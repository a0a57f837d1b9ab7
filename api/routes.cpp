#include "api/routes.hpp"

#include "api/assessment_routes.hpp"
#include "api/audit_routes.hpp"
#include "api/inbox_routes.hpp"
#include "api/review_routes.hpp"
#include "api/service_routes.hpp"
#include "api/standard_routes.hpp"
#include "api/status_routes.hpp"
#include "api/supplier_routes.hpp"
#include "api/system_routes.hpp"
#include "api/user_routes.hpp"
#include "api/webhook_routes.hpp"

namespace coco::api {

void AddAllRoutes(Router& router, const ApiServices& services) {
  AddSystemRoutes(router, SystemDependencies{services.ready, services.metrics, services.stopping});
  AddStandardRoutes(router, services.catalogue);
  AddSupplierRoutes(router, services.suppliers);
  AddServiceRoutes(router, services.services);
  AddUserRoutes(router, services.users);
  AddAuditRoutes(router, services.audit);
  AddEvidenceRoutes(router, services.evidence, services.upload_limiter);
  AddAssessmentRoutes(router, services.assessments);
  AddReviewRoutes(router, services.reviews, services.actions, services.exceptions,
                  services.triggers);
  AddStatusRoutes(router, services.status, services.signers, services.signing_keys);
  AddWebhookRoutes(router, services.webhooks);
  AddInboxRoutes(router, services.inbox);
}

}  // namespace coco::api
