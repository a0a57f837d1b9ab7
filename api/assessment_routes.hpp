#pragma once

#include "api/router.hpp"
#include "domain/assessment/assessments.hpp"

namespace coco::api {

// POST /services/{id}/assessments, GET /assessments, GET /assessments/{id},
// PUT /assessments/{id}/responses/{requirement_id}, POST /assessments/{id}/submit|withdraw.
void AddAssessmentRoutes(Router& router, domain::Assessments* assessments);

}  // namespace coco::api
