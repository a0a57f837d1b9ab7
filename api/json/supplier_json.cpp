#include "api/json/supplier_json.hpp"

#include "api/json/body.hpp"
#include "domain/common/date.hpp"

namespace coco::api::json {

nlohmann::json SupplierJson(const domain::Supplier& supplier) {
  return {{"id", supplier.id.str()},
          {"name", supplier.name},
          {"companies_house_number", supplier.companies_house_number
                                         ? nlohmann::json(*supplier.companies_house_number)
                                         : nlohmann::json(nullptr)},
          {"contact_email", supplier.contact_email},
          {"state", domain::ToString(supplier.state)},
          {"created_at", domain::FormatTimestamp(supplier.created_at)},
          {"updated_at", domain::FormatTimestamp(supplier.updated_at)},
          {"version", supplier.version}};
}

domain::NewSupplier ReadNewSupplier(const Request& request) {
  ObjectReader body(request);
  auto name = body.String("name", true, 200);
  auto number = body.String("companies_house_number", false, 8, 8);
  auto email = body.String("contact_email", true, 254, 3);
  body.Finish();
  return domain::NewSupplier{*name, number, *email};
}

domain::SupplierPatch ReadSupplierPatch(const Request& request) {
  ObjectReader body(request);
  domain::SupplierPatch patch;
  patch.name = body.String("name", false, 200);
  if (body.Has("companies_house_number")) {
    patch.companies_house_number = body.String("companies_house_number", false, 8, 8);
  } else {
    body.String("companies_house_number", false, 8, 8);
  }
  patch.contact_email = body.String("contact_email", false, 254, 3);
  if (auto state = body.Enum("state", false, {"active", "offboarded"})) {
    patch.state = domain::TryParseSupplierState(*state);
  }
  body.Finish();
  return patch;
}

}  // namespace coco::api::json
