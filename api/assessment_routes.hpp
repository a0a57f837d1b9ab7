#pragma once

#include "api/router.hpp"
#include "domain/assessment/assessment_service.hpp"

namespace coco::api {

// POST /services/{id}/assessments, GET /assessments, GET /assessments/{id},
// PUT /assessments/{id}/responses/{requirement_id}, POST /assessments/{id}/submit|withdraw.
void AddAssessmentRoutes(Router& router, domain::AssessmentService* assessments);

}  // namespace coco::api
