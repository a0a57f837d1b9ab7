#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/coco_server.hpp"
#include "tests/support/dates.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

// E-mail end to end: a real coco sends through libcurl's SMTP to a real mail server the test
// starts (tests/support/smtp_receiver.py, Debian's python3-aiosmtpd), which records what it got.
namespace coco::test {
namespace {

using nlohmann::json;

// One message as the mail server received it.
struct Received {
  std::string mail_from;
  std::vector<std::string> to;
  std::string data;

  // Whether the message holds `text`; its line ends read as "\n", whatever came over the wire.
  bool Has(const std::string& text) const {
    std::string lines = data;
    lines.erase(std::remove(lines.begin(), lines.end(), '\r'), lines.end());
    return lines.find(text) != std::string::npos;
  }
};

// The mail server, on a port chosen before it starts (coco is told the port first, so mail
// can fail while nothing listens there).
class MailServer {
 public:
  explicit MailServer(int port)
      : port_(port),
        dir_(std::filesystem::temp_directory_path() /
             ("coco-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(port))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~MailServer() {
    Stop();
    std::filesystem::remove_all(dir_);
  }
  MailServer(const MailServer&) = delete;
  MailServer& operator=(const MailServer&) = delete;

  void Start() {
    if (pid_ > 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string script = std::string(COCO_SOURCE_DIR) + "/tests/support/smtp_receiver.py";
      // Debian's python: python3-aiosmtpd is installed for it.
      ::execl("/usr/bin/python3", "python3", script.c_str(), std::to_string(port_).c_str(),
              dir_.c_str(), nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !std::filesystem::exists(dir_ / "ready"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!std::filesystem::exists(dir_ / "ready")) {
      throw std::runtime_error("the mail server did not start");
    }
  }
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // Every message received so far, in the order they arrived.
  std::vector<Received> Messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<Received> messages;
    for (const auto& file : files) {
      std::ifstream in(file);
      const json record = json::parse(in);
      messages.push_back({record.at("mail_from"),
                          record.at("rcpt_tos").get<std::vector<std::string>>(),
                          record.at("data")});
    }
    return messages;
  }
  // Those to `address`.
  std::vector<Received> To(const std::string& address) const {
    std::vector<Received> found;
    for (const auto& message : Messages()) {
      if (std::find(message.to.begin(), message.to.end(), address) != message.to.end()) {
        found.push_back(message);
      }
    }
    return found;
  }

 private:
  int port_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

// Polls `done` every 100 ms for at most `seconds`: the bound only ends a test that would
// otherwise wait for ever.
bool Eventually(const std::function<bool()>& done, int seconds = 30) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

constexpr const char* kPublicUrl = "https://coco.example.test";

class MailHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    port_ = FreePort();
    mail_ = new MailServer(port_);
    world_ = new World({{"COCO_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(port_)},
                        {"COCO_MAIL_FROM", "coco <coco@example.test>"},
                        {"COCO_PUBLIC_URL", std::string(kPublicUrl) + "/"},
                        {"COCO_MAIL_INTERVAL_MS", "100"},
                        {"COCO_MAIL_TIMEOUT_MS", "2000"},
                        {"COCO_MAIL_RETRY_FIRST_MS", "200"},
                        {"COCO_MAIL_RETRY_MAX_MS", "500"},
                        {"COCO_MAIL_DIGEST_HOUR", "0"},
                        // Webhooks to loopback, failing for good within a second and a half.
                        {"COCO_WEBHOOK_ALLOW_HTTP", "127.0.0.1"},
                        {"COCO_WEBHOOK_ALLOW_HOSTS", "127.0.0.1"},
                        {"COCO_WEBHOOK_INTERVAL_MS", "100"},
                        {"COCO_WEBHOOK_TIMEOUT_MS", "1000"},
                        {"COCO_WEBHOOK_RETRY_FIRST_MS", "100"},
                        {"COCO_WEBHOOK_RETRY_MAX_MS", "200"},
                        {"COCO_WEBHOOK_GIVE_UP_MS", "1500"}});
  }
  static void TearDownTestSuite() {
    delete world_;
    delete mail_;
  }
  void SetUp() override { client_ = world_->Client(); }

  HttpResponse Send(const std::string& token, const std::string& method, const std::string& target,
                    const json& body = nullptr) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}};
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  std::string SupplierName(const std::string& id) {
    return BodyJson(Send(world_->Token("admin"), "GET", "/suppliers/" + id)).at("name");
  }

  // A supplier's assessment sent back to it: the event assessment.changes_requested.
  std::string ChangesRequested(const std::string& supplier, const std::string& token) {
    Story story(*world_);
    story.Supplier(supplier, token)
        .Service(Profile())
        .Assessment("SUPPLIER")
        .AnswerAll()
        .Submit()
        .Claim()
        .Query("SUP-01", "Which board signed it?")
        .RequestChanges("Please attach the signed policy.");
    return story.id();
  }

  static inline int port_ = 0;
  static inline MailServer* mail_ = nullptr;
  static inline World* world_ = nullptr;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(MailHttpTest, MailWaitsForTheServerToComeBackAndGoesOnlyToWhoMayReadIt) {
  const auto ann = world_->NewHttpUser("ann.a", "supplier", {}, world_->supplier_a());
  const auto bob = world_->NewHttpUser("bob.b", "supplier", {}, world_->supplier_b());
  const auto pat = world_->NewHttpUser("pat.p", "procurement");
  // Pat follows supplier A, by their own choice.
  const auto followed = Send(pat.token, "PATCH", "/users/" + pat.id,
                             {{"notifications", {{"follow", {world_->supplier_a()}}}}});
  ASSERT_EQ(followed.status, 200) << followed.body;
  EXPECT_EQ(BodyJson(followed).at("notifications"),
            (json{{"email", {"supplier_lapsing", "followed_supplier", "webhook_disabled"}},
                  {"email_choices", {"supplier_lapsing", "followed_supplier", "webhook_disabled"}},
                  {"follow", {world_->supplier_a()}}}));

  // Nothing listens on the mail server's port yet: every request still succeeds.
  const std::string assessment = ChangesRequested(world_->supplier_a(), ann.token);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // several tries fail meanwhile
  EXPECT_TRUE(mail_->Messages().empty());

  mail_->Start();
  const std::string to_ann = "ann.a@example.org";
  ASSERT_TRUE(Eventually([&] { return !mail_->To(to_ann).empty(); }))
      << "the changes requested never reached its supplier's user";
  ASSERT_TRUE(Eventually([&] { return !mail_->To("pat.p@example.org").empty(); }))
      << "no status change of a followed supplier reached procurement";

  const std::string name = SupplierName(world_->supplier_a());
  const auto mails = mail_->To(to_ann);
  ASSERT_EQ(mails.size(), 1u) << "one mail for one event, however often it was tried";
  EXPECT_EQ(world_->server().database().QueryValue(
                "SELECT attempts > 1 AND last_error IS NULL AND sent_at IS NOT NULL"
                " FROM mail_outbox WHERE to_address = '" +
                to_ann + "'"),
            "t")
      << "the first tries failed, and the last one was sent";
  const Received& mail = mails.front();
  EXPECT_EQ(mail.mail_from, "coco@example.test");
  EXPECT_TRUE(mail.Has("Subject: Changes requested: an assessment of " + name + "\n")) << mail.data;
  EXPECT_TRUE(mail.Has("From: coco <coco@example.test>\n")) << mail.data;
  EXPECT_TRUE(mail.Has("To: " + to_ann + "\n")) << mail.data;
  EXPECT_TRUE(mail.Has(std::string(kPublicUrl) + "/assessments/" + assessment + "\n")) << mail.data;

  for (const auto& followed_mail : mail_->To("pat.p@example.org")) {
    EXPECT_TRUE(followed_mail.Has("Subject: Assurance status changed: " + name + "\n"))
        << followed_mail.data;
    EXPECT_TRUE(followed_mail.Has(std::string(kPublicUrl) + "/suppliers/" + world_->supplier_a()))
        << followed_mail.data;
  }
  // Supplier B's user hears nothing of supplier A; no mail names B's supplier for A's events.
  EXPECT_TRUE(mail_->To("bob.b@example.org").empty());
  (void)bob;
}

TEST_F(MailHttpTest, EachUserChoosesTheirOwnMailWithinTheirRole) {
  mail_->Start();
  const auto cat = world_->NewHttpUser("cat.a", "supplier", {}, world_->supplier_a());
  const auto dan = world_->NewHttpUser("dan.a", "supplier", {}, world_->supplier_a());
  const auto pia = world_->NewHttpUser("pia.p", "procurement");
  const auto me = BodyJson(Send(cat.token, "GET", "/me")).at("user");
  EXPECT_EQ(me.at("notifications"),
            (json{{"email", {"changes_requested", "action_due", "webhook_disabled"}},
                  {"email_choices", {"changes_requested", "action_due", "webhook_disabled"}},
                  {"follow", json::array()}}));

  // Only their own notifications, and nothing else of theirs, nor anyone else's.
  EXPECT_EQ(
      Send(cat.token, "PATCH", "/users/" + dan.id, {{"notifications", {{"email", {}}}}}).status,
      403);
  EXPECT_EQ(Send(cat.token, "PATCH", "/users/" + cat.id, {{"name", "Cat the Great"}}).status, 403);
  const auto foreign = Send(cat.token, "PATCH", "/users/" + cat.id,
                            {{"notifications", {{"email", {"exception_expiring"}}}}});
  EXPECT_EQ(foreign.status, 422) << foreign.body;
  EXPECT_EQ(BodyJson(foreign).at("errors").at(0).at("code"), "not_for_role") << foreign.body;
  const auto unknown = Send(cat.token, "PATCH", "/users/" + cat.id,
                            {{"notifications", {{"email", {"everything"}}}}});
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  const auto follows = Send(cat.token, "PATCH", "/users/" + cat.id,
                            {{"notifications", {{"follow", {world_->supplier_b()}}}}});
  EXPECT_EQ(follows.status, 422) << "only procurement follows suppliers: " << follows.body;
  const auto nobody =
      Send(pia.token, "PATCH", "/users/" + pia.id,
           {{"notifications", {{"follow", {"00000000-0000-4000-8000-000000000000"}}}}});
  EXPECT_EQ(nobody.status, 422) << nobody.body;
  // A malformed change of their own notifications is told what is wrong, not that it is not
  // theirs to make; naming anything else of theirs is still refused.
  for (const json& malformed :
       {json{{"notifications", json::array()}}, json{{"notifications", {{"email", "action_due"}}}},
        json{{"notifications", {{"email", {"action_due"}}, {"sms", true}}}},
        json{{"notifications", {{"follow", "everyone"}}}},
        json{{"notifications", {{"follow", {"not-a-uuid"}}}}},
        json{{"notifications", {{"email", {1}}}}},
        json{{"notifications", {{"email", json(21, "action_due")}}}}}) {
    const auto response = Send(cat.token, "PATCH", "/users/" + cat.id, malformed);
    EXPECT_EQ(response.status, 422) << malformed << ": " << response.body;
    EXPECT_EQ(BodyJson(response).at("code"), "invalid_body") << response.body;
  }
  EXPECT_EQ(Send(cat.token, "PATCH", "/users/" + cat.id,
                 {{"notifications", json::array()}, {"name", "Cat"}})
                .status,
            403);
  EXPECT_EQ(Send(cat.token, "PATCH", "/users/" + dan.id, {{"notifications", json::array()}}).status,
            403);
  const auto before = BodyJson(Send(world_->Token("admin"), "GET", "/users/" + cat.id));
  EXPECT_EQ(before.at("notifications"),
            (json{{"email", {"changes_requested", "action_due", "webhook_disabled"}},
                  {"email_choices", {"changes_requested", "action_due", "webhook_disabled"}},
                  {"follow", json::array()}}))
      << "a refused change changes nothing";
  // A change that changes nothing writes nothing: no new version, no audit entry.
  const auto audit_before =
      BodyJson(Send(world_->Token("admin"), "GET", "/audit?entity=user&entity_id=" + cat.id));
  for (const json& empty : {json::object(), json{{"notifications", json::object()}}}) {
    const auto response = Send(cat.token, "PATCH", "/users/" + cat.id, empty);
    ASSERT_EQ(response.status, 200) << empty << ": " << response.body;
    EXPECT_EQ(BodyJson(response).at("version"), before.at("version")) << empty;
  }
  EXPECT_EQ(BodyJson(Send(world_->Token("admin"), "GET", "/audit?entity=user&entity_id=" + cat.id)),
            audit_before);

  // Cat wants no mail; Dan keeps the default; an admin may set anyone's.
  const auto none =
      Send(cat.token, "PATCH", "/users/" + cat.id, {{"notifications", {{"email", json::array()}}}});
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(BodyJson(none).at("notifications").at("email"), json::array());
  ASSERT_EQ(Send(world_->Token("admin"), "PATCH", "/users/" + pia.id,
                 {{"notifications", {{"follow", {world_->supplier_a()}}}}})
                .status,
            200);
  const std::string assessment = ChangesRequested(world_->supplier_a(), dan.token);
  ASSERT_TRUE(Eventually([&] {
    for (const auto& mail : mail_->To("dan.a@example.org")) {
      if (mail.Has("/assessments/" + assessment)) return true;
    }
    return false;
  }));
  // Mail of one event is made for all its recipients at once: Cat's would be there by now.
  EXPECT_TRUE(mail_->To("cat.a@example.org").empty());

  // Back to the role's default with null.
  const auto reset =
      Send(cat.token, "PATCH", "/users/" + cat.id, {{"notifications", {{"email", nullptr}}}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(BodyJson(reset).at("notifications").at("email"),
            (json{"changes_requested", "action_due", "webhook_disabled"}));
}

// A webhook coco disables (its receiver never answered) is told to its owner, once, with how to
// resume it; nobody else hears of it, and an owner who chose not to gets nothing.
TEST_F(MailHttpTest, TheOwnerOfAWebhookCocoDisabledIsToldOnce) {
  mail_->Start();
  const auto rae = world_->NewHttpUser("rae.w", "risk_owner");
  const auto sid = world_->NewHttpUser("sid.w", "supplier", {}, world_->supplier_a());
  ASSERT_EQ(Send(sid.token, "PATCH", "/users/" + sid.id,
                 {{"notifications", {{"email", {"changes_requested"}}}}})
                .status,
            200);
  // Nothing listens on the receivers' port: every try is refused until coco gives up.
  const std::string url = "http://127.0.0.1:" + std::to_string(FreePort()) + "/hook";
  auto subscribe = [&](const std::string& token) {
    const auto created =
        Send(token, "POST", "/webhooks",
             {{"url", url}, {"event_types", {"status.changed"}}, {"description", "Our SIEM"}});
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = BodyJson(created).at("id");
    EXPECT_EQ(Send(token, "POST", "/webhooks/" + id + "/test").status, 202);
    return id;
  };
  const std::string rae_hook = subscribe(rae.token);
  const std::string sid_hook = subscribe(sid.token);

  ASSERT_TRUE(Eventually([&] { return !mail_->To("rae.w@example.org").empty(); }))
      << "no mail about the disabled webhook";
  const auto mail = mail_->To("rae.w@example.org").front();
  EXPECT_TRUE(mail.Has("Subject: Your webhook was disabled: " + url + "\n")) << mail.data;
  EXPECT_TRUE(mail.Has("coco disabled your webhook Our SIEM (" + url + ")")) << mail.data;
  EXPECT_TRUE(mail.Has("PATCH /webhooks/" + rae_hook)) << mail.data;
  EXPECT_EQ(BodyJson(Send(rae.token, "GET", "/webhooks/" + rae_hook)).at("enabled"), false);

  // Sid's webhook is disabled too, but Sid chose not to hear of it; nobody else hears of Rae's.
  ASSERT_TRUE(Eventually([&] {
    return BodyJson(Send(sid.token, "GET", "/webhooks/" + sid_hook)).at("enabled") == false;
  }));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a few mail rounds
  EXPECT_TRUE(mail_->To("sid.w@example.org").empty());
  int about_rae = 0;
  for (const auto& message : mail_->Messages()) {
    if (message.Has("PATCH /webhooks/" + rae_hook)) ++about_rae;
  }
  EXPECT_EQ(about_rae, 1) << "told once, to its owner only";

  // Enabled and disabled again: a new disabling, told again.
  ASSERT_EQ(Send(rae.token, "PATCH", "/webhooks/" + rae_hook, {{"enabled", true}}).status, 200);
  ASSERT_EQ(Send(rae.token, "POST", "/webhooks/" + rae_hook + "/test").status, 202);
  ASSERT_TRUE(Eventually([&] { return mail_->To("rae.w@example.org").size() == 2; }));
}

TEST_F(MailHttpTest, AnAssessorGetsOneDigestADayOfWhatTheyMayClaim) {
  mail_->Start();
  // A submission waits in the queue before the assessors exist.
  Story story(*world_);
  story.Supplier("supplier_b").Service(Profile()).Assessment("SUPPLIER").AnswerAll().Submit();
  const auto ada = world_->NewHttpUser("ada.s", "assessor");
  // Eve declared a conflict with supplier B: its case is not hers to claim, nor to hear of.
  const auto eve = world_->NewHttpUser("eve.s", "assessor", {world_->supplier_b()});

  const std::string to_ada = "ada.s@example.org";
  ASSERT_TRUE(Eventually([&] { return !mail_->To(to_ada).empty(); })) << "no digest";
  const std::string name = SupplierName(world_->supplier_b());
  const Received digest = mail_->To(to_ada).front();
  EXPECT_TRUE(digest.Has("Subject: Review queue: ")) << digest.data;
  EXPECT_TRUE(digest.Has("- " + name + ": SUPPLIER ")) << digest.data;
  EXPECT_TRUE(digest.Has(std::string(kPublicUrl) + "/cases/" + story.id() + "\n")) << digest.data;

  const auto digests_of = [&](const std::string& user) {
    return world_->server().database().QueryValue(
        "SELECT count(*) FROM mail_digests WHERE user_id = '" + user + "' AND day = current_date");
  };
  ASSERT_TRUE(Eventually([&] { return digests_of(eve.id) == "1"; })) << "Eve's day not looked at";
  for (const auto& mail : mail_->To("eve.s@example.org")) {
    EXPECT_FALSE(mail.Has(story.id())) << "a conflicted assessor heard of the case";
  }
  // Rounds go on every 100 ms: still one digest today.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(mail_->To(to_ada).size(), 1u);
  EXPECT_EQ(digests_of(ada.id), "1");
}

// Dates coming up, opened by the approvals themselves: an action due in 20 days for the
// supplier's users, an exception ending in 10 days for the risk owners, the supplier about to
// lapse for procurement; nobody else hears of them.
TEST_F(MailHttpTest, EachAlertReachesItsRoleAndNoOneElse) {
  mail_->Start();
  const auto fay = world_->NewHttpUser("fay.a", "supplier", {}, world_->supplier_a());
  const auto gil = world_->NewHttpUser("gil.b", "supplier", {}, world_->supplier_b());
  const auto rob = world_->NewHttpUser("rob.r", "risk_owner");
  const auto ria = world_->NewHttpUser("ria.r", "risk_owner", {world_->supplier_a()});
  const auto gus = world_->NewHttpUser("gus.p", "procurement");

  Story excepted(*world_);
  excepted.Supplier(world_->supplier_a(), fay.token)
      .Service(Profile())
      .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
      .Exception("SUP-05", Day(10), "compensating controls")
      .Approve();
  Story conditioned(*world_);
  conditioned.Supplier(world_->supplier_a(), fay.token)
      .Service(Profile())
      .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
      .Approve({{"conditions", {Condition("SUP-05", Day(20), "fix SUP-05")}}});
  const auto actions =
      BodyJson(Send(fay.token, "GET",
                    "/actions?supplier=" + world_->supplier_a() + "&state=open&limit=200"))
          .at("items");
  std::string action;
  for (const auto& item : actions) {
    if (item.at("assessment_id") == conditioned.id()) action = item.at("id");
  }
  ASSERT_FALSE(action.empty()) << actions.dump();

  const std::string name = SupplierName(world_->supplier_a());
  const auto with = [&](const std::string& to, const std::string& subject) {
    for (const auto& mail : mail_->To(to)) {
      if (mail.Has("Subject: " + subject + "\n")) return std::optional<Received>(mail);
    }
    return std::optional<Received>();
  };
  std::optional<Received> due, expiring, lapsing;
  ASSERT_TRUE(Eventually([&] {
    due = with("fay.a@example.org", "Action due soon: " + name);
    expiring = with("rob.r@example.org", "Risk exception expiring: " + name);
    lapsing = with("gus.p@example.org", name + " will stop being assured");
    return due && expiring && lapsing;
  })) << "due "
      << due.has_value() << ", expiring " << expiring.has_value() << ", lapsing "
      << lapsing.has_value();
  EXPECT_TRUE(due->Has(std::string(kPublicUrl) + "/actions/" + action + "\n")) << due->data;
  EXPECT_TRUE(expiring->Has(std::string(kPublicUrl) + "/exceptions\n")) << expiring->data;
  EXPECT_TRUE(lapsing->Has(std::string(kPublicUrl) + "/suppliers/" + world_->supplier_a() + "\n"))
      << lapsing->data;

  // Not the other supplier's user, and not the risk owner with a conflict of interest.
  for (const auto& mail : mail_->To("gil.b@example.org")) {
    EXPECT_FALSE(mail.Has(name)) << "another supplier's user heard of " << name;
  }
  EXPECT_TRUE(mail_->To("ria.r@example.org").empty());
  (void)gil;
  (void)ria;
}

// A mail server that takes the connection and never says a word: the server still stops
// promptly on SIGTERM (the conversation in flight is cut short and tried again after a restart),
// not after the 60 s the try may otherwise take.
TEST(MailShutdownTest, AHangingMailServerDoesNotHoldUpAStop) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int port = FreePort();
  address.sin_port = htons(static_cast<uint16_t>(port));
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 16), 0);  // the kernel completes the handshake; nobody answers

  CocoServer server({{"COCO_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(port)},
                     {"COCO_MAIL_FROM", "coco@example.test"},
                     {"COCO_PUBLIC_URL", kPublicUrl},
                     {"COCO_MAIL_INTERVAL_MS", "100"},
                     {"COCO_MAIL_TIMEOUT_MS", "60000"}});
  const std::string admin = server.CreateAdminToken();
  auto client = server.Client();
  const auto as_admin = [&](const std::string& method, const std::string& target,
                            const json& body) {
    return client->Send(
        method, target,
        {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/json"}}, body.dump());
  };
  const auto supplier = as_admin("POST", "/suppliers",
                                 {{"name", "Quiet Mail Ltd"}, {"contact_email", "q@example.test"}});
  ASSERT_EQ(supplier.status, 201) << supplier.body;
  const std::string supplier_id = BodyJson(supplier).at("id");
  const auto user =
      as_admin("POST", "/users",
               {{"name", "Quinn"}, {"email", "quinn@example.test"}, {"role", "procurement"}});
  ASSERT_EQ(user.status, 201) << user.body;
  ASSERT_EQ(as_admin("PATCH", "/users/" + BodyJson(user).at("id").get<std::string>(),
                     {{"notifications", {{"follow", {supplier_id}}}}})
                .status,
            200);
  // A status change of the followed supplier: a mail to send, to a server that never answers.
  const auto token = server.RunCli(
      {"token", "create", "--role", "supplier", "--name", "q", "--supplier", supplier_id});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  std::string secret = token.out;
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  const auto service =
      client->Send("POST", "/suppliers/" + supplier_id + "/services",
                   {{"Authorization", "Bearer " + secret}, {"Content-Type", "application/json"}},
                   json{{"name", "quiet portal"}, {"profile", Profile()}}.dump());
  ASSERT_EQ(service.status, 201) << service.body;
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the mail round is waiting on it now

  server.Signal(SIGTERM);
  const auto exited = server.WaitForExit(15000);
  ::close(fd);
  ASSERT_TRUE(exited.has_value()) << "coco did not stop within 15 s of SIGTERM";
  EXPECT_EQ(*exited, 0);
}

}  // namespace
}  // namespace coco::test
