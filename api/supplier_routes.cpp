#include "api/supplier_routes.hpp"

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/paging.hpp"
#include "api/json/supplier_json.hpp"
#include "api/query.hpp"

namespace coco::api {
namespace {

Response WithEtag(Response response, long long version) {
  response.WithHeader("ETag", EntityTag(version));
  return response;
}

}  // namespace

void AddSupplierRoutes(Router& router, domain::SupplierService* suppliers) {
  router.Add(Method::kPost, "/suppliers", Access::kAuthenticated, Body::kJson, Creates::kYes,
             [suppliers](Request& request) {
               const auto supplier = suppliers->Create(ActorOf(request), Parse([&] {
                                                         RejectUnknownQuery(request, {});
                                                         return json::ReadNewSupplier(request);
                                                       }));
               Response response =
                   WithEtag(json::Ok(json::SupplierJson(supplier), 201), supplier.version);
               response.WithHeader("Location", "/suppliers/" + supplier.id.str());
               return response;
             });

  router.Add(Method::kGet, "/suppliers", Access::kAuthenticated, Body::kNone,
             [suppliers](Request& request) {
               RejectUnknownQuery(request, {"limit", "cursor"});
               const auto page = suppliers->List(ActorOf(request), json::PageFromQuery(request));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& supplier : page.items)
                 items.push_back(json::SupplierJson(supplier));
               return json::Ok(json::PageJson(std::move(items), page.next));
             });

  router.Add(Method::kGet, "/suppliers/{id}", Access::kAuthenticated, Body::kNone,
             [suppliers](Request& request) {
               RejectUnknownQuery(request, {});
               const auto id = domain::SupplierId::Parse(request.PathParam("id"));
               const auto supplier = suppliers->Get(ActorOf(request), id);
               return WithEtag(json::Ok(json::SupplierJson(supplier)), supplier.version);
             });

  router.Add(Method::kPatch, "/suppliers/{id}", Access::kAuthenticated, Body::kJson,
             [suppliers](Request& request) {
               const auto id = domain::SupplierId::Parse(request.PathParam("id"));
               const auto supplier = suppliers->Patch(ActorOf(request), id, Parse([&] {
                                                        RejectUnknownQuery(request, {});
                                                        return json::ReadSupplierPatch(request);
                                                      }),
                                                      IfMatchVersion(request));
               return WithEtag(json::Ok(json::SupplierJson(supplier)), supplier.version);
             });
}

}  // namespace coco::api
