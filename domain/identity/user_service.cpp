#include "domain/identity/user_service.hpp"

#include <algorithm>

#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/identity/authorization.hpp"
#include "domain/identity/token_service.hpp"
#include "domain/supplier/supplier.hpp"
#include "domain/supplier/supplier_service.hpp"

namespace coco::domain {
namespace {

std::vector<std::string> Ids(const std::vector<SupplierId>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(id.str());
  return out;
}

std::chrono::system_clock::time_point Micros(std::chrono::system_clock::time_point at) {
  return std::chrono::floor<std::chrono::microseconds>(at);
}

}  // namespace

std::string_view ToString(UserState state) {
  return state == UserState::kActive ? "active" : "disabled";
}

void UserService::CheckConflicts(const Role& role, const std::vector<SupplierId>& conflicts,
                                 std::vector<ErrorDetail>& problems) {
  if (conflicts.empty()) return;
  if (role != Role::kAssessor && role != Role::kRiskOwner) {
    problems.push_back({"conflicts", "not_allowed",
                        "only assessors and risk owners declare conflicts of interest"});
    return;
  }
  CheckSuppliersExist("conflicts", conflicts, problems);
}

void UserService::CheckSuppliersExist(const std::string& field, const std::vector<SupplierId>& ids,
                                      std::vector<ErrorDetail>& problems) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!suppliers_.Find(ids[i])) {
      problems.push_back(
          {field + "[" + std::to_string(i) + "]", "unknown_supplier", "no supplier has this id"});
    }
  }
}

void UserService::CheckNotifications(const Role& role, const NotificationsPatch& patch,
                                     std::optional<std::vector<MailKind>>& mail_kinds,
                                     std::vector<ErrorDetail>& problems) {
  if (patch.email && *patch.email) {
    const std::vector<MailKind> allowed = MailKindsOf(role);
    std::vector<MailKind> kinds;
    const auto& names = **patch.email;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string field = "notifications.email[" + std::to_string(i) + "]";
      const auto kind = TryParseMailKind(names[i]);
      if (!kind) {
        problems.push_back({field, "unknown_mail_kind", "no kind of mail has this name"});
      } else if (std::find(allowed.begin(), allowed.end(), *kind) == allowed.end()) {
        problems.push_back({field, "not_for_role", "the user's role does not receive this mail"});
      } else if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end()) {
        kinds.push_back(*kind);
      }
    }
    mail_kinds = std::move(kinds);
  }
  if (patch.follow && !patch.follow->empty()) {
    if (role != Role::kProcurement) {
      problems.push_back({"notifications.follow", "not_allowed",
                          "only procurement follows suppliers' status changes"});
      return;
    }
    CheckSuppliersExist("notifications.follow", *patch.follow, problems);
  }
}

User UserService::Create(const Actor& actor, const Parsed<NewUserRequest>& parsed) {
  Authorize(actor.principal, Permission::kAdminister);
  NewUserRequest request = parsed.Value();
  std::vector<ErrorDetail> problems;
  if (request.name.empty() || CharacterCount(request.name) > 200) {
    problems.push_back({"name", "invalid_length", "name must be 1 to 200 characters"});
  }
  if (!IsPlausibleEmail(request.email)) {
    problems.push_back({"email", "invalid_email", "email is not an e-mail address"});
  }
  if (request.role == Role::kSupplier && !request.supplier_id) {
    problems.push_back({"supplier_id", "required", "a supplier user needs a supplier_id"});
  }
  if (request.role != Role::kSupplier && request.supplier_id) {
    problems.push_back({"supplier_id", "not_allowed", "only a supplier user has a supplier_id"});
  }
  if (request.supplier_id && !suppliers_.Find(*request.supplier_id)) {
    problems.push_back({"supplier_id", "unknown_supplier", "no supplier has this id"});
  }
  CheckConflicts(request.role, request.conflicts, problems);
  if (!problems.empty()) {
    throw InvalidArgument("the user is invalid: " + problems.front().detail, "invalid_body")
        .WithDetails(std::move(problems));
  }
  const auto now = clock_.NowMicros();
  User user{UserId(ids_.NewId()),
            std::move(request.name),
            std::move(request.email),
            request.role,
            request.supplier_id,
            std::move(request.conflicts),
            UserState::kActive,
            now,
            now,
            1};
  AuditEntry audit{"user.create", "user", user.id.str(), user.supplier_id, {}};
  audit.detail.Set("name", user.name)
      .Set("email", user.email)
      .Set("role", ToString(user.role))
      .Set("supplier_id",
           user.supplier_id ? std::optional<std::string>(user.supplier_id->str()) : std::nullopt)
      .Set("conflicts", Ids(user.conflicts));
  identity_.InsertUser(user, actor, audit);
  return user;
}

User UserService::Get(const Actor& actor, const UserId& id) {
  if (actor.principal.user_id != id) Authorize(actor.principal, Permission::kAdminister);
  auto user = identity_.FindUser(id);
  if (!user) throw NotFound("no such user");
  return *user;
}

PageResult<User> UserService::List(const Actor& actor, const PageRequest& page) {
  Authorize(actor.principal, Permission::kAdminister);
  return identity_.ListUsers(page);
}

User UserService::Patch(const Actor& actor, const Parsed<UserId>& user,
                        const UserPatchFields& named, const Parsed<UserPatch>& parsed,
                        std::optional<long long> expected_version) {
  // What a user hears of is theirs to choose; everything else about a user is an admin's.
  const bool own_notifications =
      user.ok() && user.Value() == actor.principal.user_id && named.OnlyNotifications();
  if (!own_notifications) Authorize(actor.principal, Permission::kAdminister);
  const UserId& id = user.Value();
  const UserPatch& patch = parsed.Value();
  // What was read holds to the fields named, whoever named them.
  if (!patch.OnlyNotifications()) Authorize(actor.principal, Permission::kAdminister);
  const User current = Get(actor, id);
  if (patch.Empty()) {
    // Nothing to record: no audit entry, no new version; a stale If-Match is still refused.
    if (expected_version && *expected_version != current.version) {
      throw StaleVersion(current.version);
    }
    return current;
  }
  std::vector<ErrorDetail> problems;
  std::optional<std::vector<MailKind>> mail_kinds;
  if (patch.notifications)
    CheckNotifications(current.role, *patch.notifications, mail_kinds, problems);
  if (patch.name && (patch.name->empty() || CharacterCount(*patch.name) > 200)) {
    problems.push_back({"name", "invalid_length", "name must be 1 to 200 characters"});
  }
  if (patch.email && *patch.email && !IsPlausibleEmail(**patch.email)) {
    problems.push_back({"email", "invalid_email", "email is not an e-mail address"});
  }
  if (patch.conflicts) CheckConflicts(current.role, *patch.conflicts, problems);
  if (!problems.empty()) {
    throw InvalidArgument("the change is invalid: " + problems.front().detail, "invalid_body")
        .WithDetails(std::move(problems));
  }
  const auto now = clock_.NowMicros();
  return identity_.UpdateUser(id, expected_version, actor, [&](User& user) {
    AuditEntry audit{"user.update", "user", user.id.str(), user.supplier_id, {}};
    if (patch.name) {
      user.name = *patch.name;
      audit.detail.Set("name", user.name);
    }
    if (patch.email) {
      user.email = *patch.email;
      audit.detail.Set("email", user.email);
    }
    if (patch.conflicts) {
      user.conflicts = *patch.conflicts;
      audit.detail.Set("conflicts", Ids(user.conflicts));
    }
    if (patch.notifications && patch.notifications->email) {
      user.mail_kinds = mail_kinds;
      audit.detail.Set("mail_kinds", NamesOf(MailKindsWanted(user)));
    }
    if (patch.notifications && patch.notifications->follow) {
      user.follows = *patch.notifications->follow;
      audit.detail.Set("follows", Ids(user.follows));
    }
    user.updated_at = now;
    return audit;
  });
}

User UserService::Disable(const Actor& actor, const UserId& id) {
  Authorize(actor.principal, Permission::kAdminister);
  if (actor.principal.user_id == id) {
    throw FailedPrecondition("you cannot disable yourself; ask another admin",
                             "cannot_disable_self");
  }
  Get(actor, id);
  const auto now = clock_.NowMicros();
  return identity_.UpdateUser(id, std::nullopt, actor, [&](User& user) {
    AuditEntry audit{"user.disable", "user", user.id.str(), user.supplier_id, {}};
    audit.detail.Set("state", ToString(UserState::kDisabled));
    user.state = UserState::kDisabled;
    user.updated_at = now;
    return audit;
  });
}

CallerInfo UserService::Me(const Actor& actor) {
  const Principal& caller = actor.principal;
  return CallerInfo{Get(actor, caller.user_id), caller.token_id, caller.token_expires_at};
}

IssuedTokenInfo UserService::CreateToken(const Actor& actor, NewTokenRequest request) {
  const bool for_self = request.user_id == actor.principal.user_id;
  if (!for_self) Authorize(actor.principal, Permission::kAdminister);
  if (request.name.empty() || CharacterCount(request.name) > 200) {
    throw InvalidArgument("name must be 1 to 200 characters", "invalid_body")
        .WithDetail({"name", "invalid_length", "name must be 1 to 200 characters"});
  }
  const auto user = identity_.FindUser(request.user_id);
  if (!user) {
    throw InvalidArgument("no user has this id", "invalid_body")
        .WithDetail({"user_id", "unknown_user", "no user has this id"});
  }
  if (user->state != UserState::kActive) {
    throw FailedPrecondition("the user is disabled", "user_disabled");
  }
  const auto now = clock_.NowMicros();
  const auto latest = now + std::chrono::days(kMaxTokenLifetimeDays);
  auto expires_at = request.expires_at ? Micros(*request.expires_at)
                                       : now + std::chrono::days(kDefaultTokenLifetimeDays);
  if (expires_at <= now || expires_at > latest) {
    throw InvalidArgument("expires_at must be in the future and within a year", "invalid_body")
        .WithDetail({"expires_at", "invalid_expiry",
                     "expires_at must be in the future and "
                     "within a year"});
  }
  if (for_self) {
    const auto parent = actor.principal.token_expires_at;
    if (request.expires_at && expires_at > parent) {
      throw InvalidArgument("a token you make for yourself cannot outlive the token you use",
                            "invalid_body")
          .WithDetail({"expires_at", "outlives_parent",
                       "a token you make for yourself cannot outlive the token you use"});
    }
    expires_at = std::min(expires_at, parent);
  }
  std::string secret = tokens_.NewSecret();
  TokenInfo token{TokenId(ids_.NewId()),
                  request.user_id,
                  std::move(request.name),
                  now,
                  expires_at,
                  std::nullopt,
                  for_self ? std::optional<TokenId>(actor.principal.token_id) : std::nullopt};
  AuditEntry audit{"token.create", "token", token.id.str(), user->supplier_id, {}};
  audit.detail.Set("user_id", token.user_id.str())
      .Set("name", token.name)
      .Set("expires_at", FormatTimestamp(token.expires_at));
  identity_.InsertToken(token, hasher_.Sha256Hex(secret), actor, audit);
  return IssuedTokenInfo{std::move(token), std::move(secret)};
}

PageResult<TokenInfo> UserService::ListTokens(const Actor& actor, const std::optional<UserId>& user,
                                              const PageRequest& page) {
  if (IsAllowed(actor.principal, Permission::kAdminister)) return identity_.ListTokens(user, page);
  if (user && *user != actor.principal.user_id) {
    throw PermissionDenied("you may list only your own tokens");
  }
  return identity_.ListTokens(actor.principal.user_id, page);
}

void UserService::RevokeToken(const Actor& actor, const TokenId& id) {
  const auto token = identity_.FindToken(id);
  const bool mine = token && token->user_id == actor.principal.user_id;
  if (!mine && !IsAllowed(actor.principal, Permission::kAdminister)) {
    // Someone else's token is not revealed to a non-admin.
    throw NotFound("no such token");
  }
  if (!token) throw NotFound("no such token");
  AuditEntry audit{"token.revoke", "token", id.str(), std::nullopt, {}};
  audit.detail.Set("user_id", token->user_id.str());
  identity_.RevokeToken(id, clock_.NowMicros(), actor, audit);
}

}  // namespace coco::domain
