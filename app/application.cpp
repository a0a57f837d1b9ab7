#include "app/application.hpp"

namespace coco::app {

std::size_t ApplyCatalogue(persistence::ConnectionPool& pool, Infrastructure& infra) {
  persistence::PgStatusJournal journal(pool, infra.clock);
  persistence::PgAuditLog audit_log(infra.hasher, infra.clock);
  persistence::PgCatalogueRepository catalogue_repository(pool);
  persistence::PgSupplierRepository supplier_repository(pool, audit_log);
  persistence::PgServiceRepository service_repository(pool, audit_log);
  domain::Catalogue catalogue(catalogue_repository);
  domain::ServiceService services(service_repository, supplier_repository, catalogue, infra.ids,
                                  infra.hasher, infra.clock);
  return services.ApplyCatalogue(domain::SystemActor("catalogue-apply")).size();
}

Application::Application(persistence::ConnectionPool& pool, Infrastructure& infra,
                         domain::SignerSource& signers,
                         const std::vector<persistence::Migration>& migrations, int max_uploads,
                         domain::EgressPolicy egress)
    : pool_(pool),
      migrations_(migrations),
      signers_(signers),
      journal_(pool, infra.clock),
      audit_log_(infra.hasher, infra.clock),
      catalogue_repository_(pool),
      identity_repository_(pool, &audit_log_),
      supplier_repository_(pool, audit_log_),
      service_repository_(pool, audit_log_),
      audit_repository_(pool),
      evidence_repository_(pool, audit_log_),
      assessment_repository_(pool, audit_log_),
      action_repository_(pool, audit_log_),
      exception_repository_(pool, audit_log_),
      trigger_repository_(pool, audit_log_),
      comment_repository_(pool, audit_log_),
      status_repository_(pool),
      signing_key_repository_(pool),
      idempotency_(pool, infra.clock),
      webhook_repository_(pool, audit_log_),
      catalogue_(catalogue_repository_),
      suppliers_(supplier_repository_, infra.ids, infra.clock),
      services_(service_repository_, supplier_repository_, catalogue_, infra.ids, infra.hasher,
                infra.clock),
      users_(identity_repository_, supplier_repository_, infra.hasher, infra.token_generator,
             infra.ids, infra.clock),
      tokens_(identity_repository_, infra.hasher, infra.token_generator, infra.clock),
      audit_(audit_repository_, infra.hasher),
      evidence_(evidence_repository_, supplier_repository_, infra.hasher, infra.ids, infra.clock),
      upload_limiter_(max_uploads),
      assessments_(assessment_repository_, service_repository_, evidence_repository_, catalogue_,
                   infra.ids, infra.clock),
      reviews_(assessment_repository_, comment_repository_, catalogue_, infra.ids, infra.clock),
      actions_(action_repository_, evidence_repository_, infra.clock),
      exceptions_(exception_repository_, assessment_repository_, infra.ids, infra.clock),
      triggers_(trigger_repository_, service_repository_, infra.ids, infra.clock),
      status_(status_repository_, infra.hasher, infra.clock),
      signing_keys_(signing_key_repository_, signers, infra.clock),
      webhooks_(webhook_repository_, supplier_repository_, infra.webhook_signer, infra.ids,
                infra.clock, std::move(egress)),
      inbox_(assessments_, actions_, exceptions_, status_, webhooks_, infra.clock) {}

api::ApiServices Application::Services(api::Metrics& metrics, std::function<bool()> stopping) {
  return api::ApiServices{
      [this] { return persistence::MigrationsCurrent(pool_, migrations_); },
      &metrics,
      &catalogue_,
      &suppliers_,
      &services_,
      &users_,
      &audit_,
      &evidence_,
      &upload_limiter_,
      &assessments_,
      &reviews_,
      &actions_,
      &exceptions_,
      &triggers_,
      &status_,
      &signers_,
      &signing_keys_,
      &webhooks_,
      &inbox_,
      std::move(stopping),
  };
}

}  // namespace coco::app
