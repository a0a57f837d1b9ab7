#include "api/json/user_json.hpp"

#include <chrono>
#include <sstream>

#include "api/json/body.hpp"
#include "domain/common/date.hpp"

namespace coco::api::json {
namespace {

std::vector<domain::SupplierId> SupplierIds(const std::vector<std::string>& ids) {
  std::vector<domain::SupplierId> out;
  for (const auto& id : ids) out.push_back(domain::SupplierId::Parse(id));
  return out;
}

nlohmann::json Ids(const std::vector<domain::SupplierId>& ids) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& id : ids) out.push_back(id.str());
  return out;
}

// RFC 3339 with a Z or +00:00 offset, seconds optionally fractional, in years 1970 to 2200: the
// clock counts nanoseconds in 64 bits, which end in 2262 (fuzz/json_body_fuzzer found year 7987
// overflowing it).
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  if (tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 2200) return std::nullopt;
  long long micros = 0;
  if (in.peek() == '.') {
    in.get();
    std::string digits;
    while (std::isdigit(in.peek())) digits.push_back(static_cast<char>(in.get()));
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    digits.resize(6, '0');
    micros = std::stoll(digits.substr(0, 6));
  }
  std::string zone;
  in >> zone;
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  const auto date = domain::Date::FromYmd(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                                          static_cast<unsigned>(tm.tm_mday));
  return std::chrono::system_clock::time_point(date.days()) + std::chrono::hours(tm.tm_hour) +
         std::chrono::minutes(tm.tm_min) + std::chrono::seconds(tm.tm_sec) +
         std::chrono::microseconds(micros);
}

// What the user hears of: the kinds of mail they receive (chosen, else their role's), and the
// suppliers they follow.
nlohmann::json NotificationsJson(const domain::User& user) {
  return {{"email", domain::NamesOf(domain::MailKindsWanted(user))},
          {"email_choices", domain::NamesOf(domain::MailKindsOf(user.role))},
          {"follow", Ids(user.follows)}};
}

// notifications: {email: [mail kind names] | null, follow: [supplier ids]}, either left out.
// Whether each kind is one the user's role receives is the domain's to say.
std::optional<domain::NotificationsPatch> ReadNotifications(ObjectReader& parent) {
  const nlohmann::json* object =
      parent.Raw("notifications", false, nlohmann::json::value_t::object);
  if (object == nullptr) return std::nullopt;
  std::vector<domain::ErrorDetail> problems;
  ObjectReader reader(*object, parent.Pointer("notifications"), &problems);
  domain::NotificationsPatch patch;
  if (reader.Has("email") && object->at("email").is_null()) {
    reader.Raw("email", false, nlohmann::json::value_t::null);
    patch.email = std::optional<std::vector<std::string>>();
  } else if (const nlohmann::json* email =
                 reader.Raw("email", false, nlohmann::json::value_t::array)) {
    std::vector<std::string> kinds;
    for (std::size_t i = 0; i < email->size(); ++i) {
      const auto& item = (*email)[i];
      if (!item.is_string() || item.get_ref<const std::string&>().size() > 60 || i >= 20) {
        reader.Problem(reader.Pointer("email") + "/" + std::to_string(i), "invalid_type",
                       "a kind of mail, by name");
        continue;
      }
      kinds.push_back(item.get<std::string>());
    }
    patch.email = std::move(kinds);
  }
  if (auto follow = reader.UuidArray("follow", false, 1000)) {
    patch.follow = SupplierIds(*follow);
  }
  reader.Finish();
  for (auto& problem : problems) parent.Problem(problem.field, problem.code, problem.detail);
  if (!problems.empty()) return std::nullopt;
  return patch;
}

}  // namespace

nlohmann::json UserJson(const domain::User& user) {
  return {{"id", user.id.str()},
          {"name", user.name},
          {"email", user.email ? nlohmann::json(*user.email) : nlohmann::json(nullptr)},
          {"role", domain::ToString(user.role)},
          {"supplier_id",
           user.supplier_id ? nlohmann::json(user.supplier_id->str()) : nlohmann::json(nullptr)},
          {"conflicts", Ids(user.conflicts)},
          {"notifications", NotificationsJson(user)},
          {"state", domain::ToString(user.state)},
          {"created_at", domain::FormatTimestamp(user.created_at)},
          {"updated_at", domain::FormatTimestamp(user.updated_at)},
          {"version", user.version}};
}

nlohmann::json TokenJson(const domain::TokenInfo& token) {
  return {
      {"id", token.id.str()},
      {"user_id", token.user_id.str()},
      {"name", token.name},
      {"created_at", domain::FormatTimestamp(token.created_at)},
      {"expires_at", domain::FormatTimestamp(token.expires_at)},
      {"revoked_at", token.revoked_at ? nlohmann::json(domain::FormatTimestamp(*token.revoked_at))
                                      : nlohmann::json(nullptr)}};
}

nlohmann::json CallerJson(const domain::CallerInfo& caller) {
  return {{"user", UserJson(caller.user)},
          {"token",
           {{"id", caller.token_id.str()},
            {"expires_at", domain::FormatTimestamp(caller.token_expires_at)}}}};
}

domain::NewUserRequest ReadNewUser(const Request& request) {
  ObjectReader body(request);
  auto name = body.String("name", true, 200);
  auto email = body.String("email", true, 254, 3);
  auto role =
      body.Enum("role", true, {"admin", "assessor", "risk_owner", "procurement", "supplier"});
  auto supplier = body.Uuid("supplier_id", false);
  auto conflicts = body.UuidArray("conflicts", false);
  body.Finish();
  domain::NewUserRequest user{*name, *email, domain::ParseRole(*role), std::nullopt, {}};
  if (supplier) user.supplier_id = domain::SupplierId::Parse(*supplier);
  if (conflicts) user.conflicts = SupplierIds(*conflicts);
  return user;
}

domain::UserPatch ReadUserPatch(const Request& request) {
  ObjectReader body(request);
  domain::UserPatch patch;
  patch.name = body.String("name", false, 200);
  const bool has_email = body.Has("email");
  auto email = body.String("email", false, 254, 3);
  if (has_email) patch.email = email;
  if (auto conflicts = body.UuidArray("conflicts", false))
    patch.conflicts = SupplierIds(*conflicts);
  patch.notifications = ReadNotifications(body);
  body.Finish();
  return patch;
}

domain::NewTokenRequest ReadNewToken(const Request& request) {
  ObjectReader body(request);
  auto user = body.Uuid("user_id", true);
  auto name = body.String("name", true, 200);
  auto expires = body.String("expires_at", false, 40, 20);
  std::optional<std::chrono::system_clock::time_point> expires_at;
  if (expires) {
    expires_at = ParseTimestamp(*expires);
    if (!expires_at) {
      body.Problem(body.Pointer("expires_at"), "invalid_timestamp",
                   "expires_at must be an RFC 3339 UTC time such as 2027-01-31T00:00:00Z");
    }
  }
  body.Finish();
  return domain::NewTokenRequest{domain::UserId::Parse(*user), *name, expires_at};
}

}  // namespace coco::api::json
