#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/uuid.hpp"
#include "domain/identity/role.hpp"
#include "domain/mail/mail.hpp"

namespace coco::domain {

enum class UserState { kActive, kDisabled };
std::string_view ToString(UserState state);

struct User {
  UserId id;
  std::string name;
  std::optional<std::string> email;
  Role role;
  std::optional<SupplierId> supplier_id;
  std::vector<SupplierId> conflicts;
  UserState state = UserState::kActive;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  long long version = 1;
  // E-mail (docs/notifications.md "E-mail"): the kinds of mail chosen, none chosen meaning every
  // kind of the role (MailKindsOf); and the suppliers whose status changes they follow.
  std::optional<std::vector<MailKind>> mail_kinds = {};
  std::vector<SupplierId> follows = {};
};

// A token as listed: never the secret.
struct TokenInfo {
  TokenId id;
  UserId user_id;
  std::string name;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point expires_at;
  std::optional<std::chrono::system_clock::time_point> revoked_at;
  std::optional<TokenId> created_by_token;
};

// The kinds of mail `user` receives: those chosen, else every kind of the role.
inline std::vector<MailKind> MailKindsWanted(const User& user) {
  return user.mail_kinds ? *user.mail_kinds : MailKindsOf(user.role);
}

// A change of what a user hears of: the mail kinds by name (null: back to the role's
// default), the suppliers followed. Either may be left out.
struct NotificationsPatch {
  std::optional<std::optional<std::vector<std::string>>> email;
  std::optional<std::vector<SupplierId>> follow;
};

struct UserPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> email;
  std::optional<std::vector<SupplierId>> conflicts;
  std::optional<NotificationsPatch> notifications = {};

  // Whether it changes nothing but what the user hears of (theirs to change).
  bool OnlyNotifications() const { return !name && !email && !conflicts; }
  // Whether it changes nothing at all.
  bool Empty() const {
    return OnlyNotifications() &&
           (!notifications || (!notifications->email && !notifications->follow));
  }
};

// The top-level fields a change of a user names, known even when their values could not be
// read: they decide who may make it (a user their own notifications, an admin anything), so
// that a user's malformed change of their own notifications is told what is wrong with it (422)
// rather than that they may not make it (403).
struct UserPatchFields {
  std::vector<std::string> names;

  bool OnlyNotifications() const {
    for (const auto& name : names) {
      if (name != "notifications") return false;
    }
    return true;
  }
};

}  // namespace coco::domain
