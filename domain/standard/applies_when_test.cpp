#include "domain/standard/applies_when.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

// A profile with every flag off, in the UK, OFFICIAL.
ScopeProfile Uk() { return ScopeProfile{}; }

ScopeProfile With(bool ScopeProfile::*flag) {
  ScopeProfile profile;
  profile.*flag = true;
  return profile;
}

ScopeProfile Offshore(std::vector<OffshoreActivity> activities) {
  ScopeProfile profile;
  for (OffshoreActivity activity : activities) profile.offshore.push_back({"IN", activity});
  return profile;
}

ScopeProfile Sensitive() {
  ScopeProfile profile;
  profile.classification = Classification::kOfficialSensitive;
  return profile;
}

// Flags a, b, c as offshore, hmg_crypto, operates_pki, for the precedence tables.
ScopeProfile Abc(bool a, bool b, bool c) {
  ScopeProfile profile = a ? Offshore({OffshoreActivity::kHosting}) : ScopeProfile{};
  profile.hmg_crypto = b;
  profile.operates_pki = c;
  return profile;
}

struct EvalCase {
  std::string text;
  ScopeProfile profile;
  bool expected;
};

void ExpectEvaluations(const std::vector<EvalCase>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(AppliesWhen::Parse(c.text).Evaluate(c.profile), c.expected) << c.text;
  }
}

TEST(AppliesWhenTest, EachBooleanFieldReadsItsProfileField) {
  ExpectEvaluations({
      {"connects_to_network", With(&ScopeProfile::connects_to_network), true},
      {"connects_to_network", Uk(), false},
      {"personal_data", With(&ScopeProfile::personal_data), true},
      {"personal_data", Uk(), false},
      {"hmg_crypto", With(&ScopeProfile::hmg_crypto), true},
      {"hmg_crypto", Uk(), false},
      {"operates_pki", With(&ScopeProfile::operates_pki), true},
      {"operates_pki", Uk(), false},
      {"offshore", Offshore({OffshoreActivity::kSupport}), true},
      {"offshore", Uk(), false},
  });
}

TEST(AppliesWhenTest, FieldsDoNotReadEachOther) {
  // Every other flag on: a field must still answer from its own profile field only.
  ScopeProfile all_but = Offshore({OffshoreActivity::kHosting});
  all_but.connects_to_network = all_but.personal_data = all_but.hmg_crypto = all_but.operates_pki =
      true;
  for (bool ScopeProfile::*flag : {&ScopeProfile::connects_to_network, &ScopeProfile::personal_data,
                                   &ScopeProfile::hmg_crypto, &ScopeProfile::operates_pki}) {
    ScopeProfile profile = all_but;
    profile.*flag = false;
    const int true_count = AppliesWhen::Parse("connects_to_network").Evaluate(profile) +
                           AppliesWhen::Parse("personal_data").Evaluate(profile) +
                           AppliesWhen::Parse("hmg_crypto").Evaluate(profile) +
                           AppliesWhen::Parse("operates_pki").Evaluate(profile);
    EXPECT_EQ(true_count, 3);
  }
  ScopeProfile uk = all_but;
  uk.offshore.clear();
  EXPECT_FALSE(AppliesWhen::Parse("offshore").Evaluate(uk));
  EXPECT_TRUE(AppliesWhen::Parse("connects_to_network").Evaluate(uk));
}

TEST(AppliesWhenTest, ClassificationEqualsMatchesOnlyThatClassification) {
  ExpectEvaluations({
      {"classification == OFFICIAL", Uk(), true},
      {"classification == OFFICIAL", Sensitive(), false},
      {"classification == OFFICIAL_SENSITIVE", Uk(), false},
      {"classification == OFFICIAL_SENSITIVE", Sensitive(), true},
      {"classification==OFFICIAL_SENSITIVE", Sensitive(), true},
  });
}

TEST(AppliesWhenTest, OffshoreActivityMatchesAnyEntryWithThatActivity) {
  const std::vector<OffshoreActivity> all = {OffshoreActivity::kHosting, OffshoreActivity::kSupport,
                                             OffshoreActivity::kDevelopment,
                                             OffshoreActivity::kProcessing};
  for (OffshoreActivity asked : all) {
    const std::string text = "offshore_activity(" + std::string(ToString(asked)) + ")";
    const AppliesWhen expression = AppliesWhen::Parse(text);
    EXPECT_FALSE(expression.Evaluate(Uk())) << text;
    for (OffshoreActivity held : all) {
      EXPECT_EQ(expression.Evaluate(Offshore({held})), held == asked)
          << text << " with " << ToString(held);
    }
    EXPECT_TRUE(expression.Evaluate(Offshore(all))) << text;
  }
  ScopeProfile two_countries;
  two_countries.offshore = {{"IN", OffshoreActivity::kHosting},
                            {"US", OffshoreActivity::kDevelopment}};
  EXPECT_TRUE(AppliesWhen::Parse("offshore_activity(development)").Evaluate(two_countries));
  EXPECT_FALSE(AppliesWhen::Parse("offshore_activity(support)").Evaluate(two_countries));
  EXPECT_TRUE(AppliesWhen::Parse("offshore_activity ( hosting )").Evaluate(two_countries));
}

TEST(AppliesWhenTest, OrAndNotEvaluateAsBooleans) {
  std::vector<EvalCase> cases;
  for (bool a : {false, true}) {
    for (bool b : {false, true}) {
      cases.push_back({"offshore || hmg_crypto", Abc(a, b, false), a || b});
      cases.push_back({"offshore && hmg_crypto", Abc(a, b, false), a && b});
      cases.push_back({"!offshore", Abc(a, b, false), !a});
    }
  }
  ExpectEvaluations(cases);
}

TEST(AppliesWhenTest, NotBindsTighterThanAndTighterThanOr) {
  // Each row is chosen so the wrong grouping gives the other answer.
  ExpectEvaluations({
      // a || b && c  is  a || (b && c), not (a || b) && c
      {"offshore || hmg_crypto && operates_pki", Abc(true, false, false), true},
      {"offshore || hmg_crypto && operates_pki", Abc(false, true, false), false},
      // a && b || c  is  (a && b) || c, not a && (b || c)
      {"offshore && hmg_crypto || operates_pki", Abc(false, false, true), true},
      // !a && b  is  (!a) && b, not !(a && b)
      {"!offshore && hmg_crypto", Abc(false, false, false), false},
      {"!offshore && hmg_crypto", Abc(false, true, false), true},
      {"!offshore && hmg_crypto", Abc(true, true, false), false},
      // !a || b  is  (!a) || b, not !(a || b)
      {"!offshore || hmg_crypto", Abc(false, true, false), true},
      // !(a || b) negates the group
      {"!(offshore || hmg_crypto)", Abc(false, true, false), false},
      {"!(offshore || hmg_crypto)", Abc(false, false, false), true},
      {"!(offshore || hmg_crypto)", Abc(true, false, false), false},
      // parentheses override && over ||
      {"(offshore || hmg_crypto) && operates_pki", Abc(true, false, false), false},
      {"(offshore || hmg_crypto) && operates_pki", Abc(true, false, true), true},
      {"offshore && (hmg_crypto || operates_pki)", Abc(true, false, true), true},
      {"offshore && (hmg_crypto || operates_pki)", Abc(false, false, true), false},
      // double negation and nested parentheses
      {"!!offshore", Abc(true, false, false), true},
      {"! ! offshore", Abc(false, false, false), false},
      {"((offshore))", Abc(true, false, false), true},
      {"!((offshore) && !(hmg_crypto))", Abc(true, false, false), false},
      {"!((offshore) && !(hmg_crypto))", Abc(true, true, false), true},
      // chains of the same operator
      {"offshore && hmg_crypto && operates_pki", Abc(true, true, true), true},
      {"offshore && hmg_crypto && operates_pki", Abc(true, true, false), false},
      {"offshore || hmg_crypto || operates_pki", Abc(false, false, true), true},
      {"offshore || hmg_crypto || operates_pki", Abc(false, false, false), false},
  });
}

TEST(AppliesWhenTest, MixesFieldKindsInOneExpression) {
  ScopeProfile profile = Offshore({OffshoreActivity::kDevelopment});
  profile.classification = Classification::kOfficialSensitive;
  const AppliesWhen expression = AppliesWhen::Parse(
      "classification == OFFICIAL_SENSITIVE && (offshore_activity(development) || hmg_crypto)");
  EXPECT_TRUE(expression.Evaluate(profile));
  profile.classification = Classification::kOfficial;
  EXPECT_FALSE(expression.Evaluate(profile));
}

TEST(AppliesWhenTest, WhitespaceIsIgnored) {
  const ScopeProfile profile = Abc(true, false, true);
  for (const char* text :
       {"offshore&&!hmg_crypto||operates_pki", "  offshore && ! hmg_crypto || operates_pki  ",
        "\toffshore\n&&\r\n!hmg_crypto\t||\voperates_pki\f",
        "( offshore&&!hmg_crypto )||operates_pki"}) {
    EXPECT_TRUE(AppliesWhen::Parse(text).Evaluate(profile)) << text;
  }
}

TEST(AppliesWhenTest, KeepsTheSourceText) {
  const std::string text = "  offshore && !hmg_crypto ";
  EXPECT_EQ(AppliesWhen::Parse(text).text(), text);
}

TEST(AppliesWhenTest, AlwaysIsTrueForEveryProfileAndHasNoText) {
  const AppliesWhen always = AppliesWhen::Always();
  EXPECT_EQ(always.text(), "");
  for (const ScopeProfile& profile :
       {Uk(), Sensitive(), Offshore({OffshoreActivity::kProcessing}),
        With(&ScopeProfile::connects_to_network), With(&ScopeProfile::hmg_crypto)}) {
    EXPECT_TRUE(always.Evaluate(profile));
  }
}

TEST(AppliesWhenTest, ParsedOnceEvaluatesManyTimesAndCopies) {
  const AppliesWhen original = AppliesWhen::Parse("offshore && hmg_crypto");
  const AppliesWhen copy = original;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(copy.Evaluate(Abc(true, true, false)));
    EXPECT_FALSE(original.Evaluate(Abc(true, false, false)));
  }
  EXPECT_EQ(copy.text(), original.text());
}

struct BadCase {
  std::string text;
  std::size_t position;
  std::string message;  // after "at position N: "
};

TEST(AppliesWhenTest, RefusesBadSyntaxNamingPositionAndOffendingText) {
  const std::vector<BadCase> cases = {
      {"offshored", 1, "unknown field 'offshored'"},
      {"connects_to_network && offshored", 24, "unknown field 'offshored'"},
      {"!offshor", 2, "unknown field 'offshor'"},
      {"Offshore", 1, "unknown field 'Offshore'"},
      {"hmg_crypto2", 1, "unknown field 'hmg_crypto2'"},
      {"classification == SECRET", 19,
       "classification is OFFICIAL or OFFICIAL_SENSITIVE, not 'SECRET'"},
      {"classification == official", 19,
       "classification is OFFICIAL or OFFICIAL_SENSITIVE, not 'official'"},
      {"classification ==", 18,
       "classification is OFFICIAL or OFFICIAL_SENSITIVE, not 'end of expression'"},
      {"classification", 15, "expected '==' after classification, found 'end of expression'"},
      {"classification OFFICIAL", 16, "expected '==' after classification, found 'OFFICIAL'"},
      {"classification = OFFICIAL", 16, "unexpected character '='"},
      {"=", 1, "unexpected character '='"},
      {"offshore_activity(mining)", 19,
       "offshore_activity takes hosting, support, development or processing, not 'mining'"},
      {"offshore_activity()", 19,
       "offshore_activity takes hosting, support, development or processing, not ')'"},
      {"offshore_activity hosting", 19, "expected '(' after offshore_activity, found 'hosting'"},
      {"offshore_activity(hosting", 26, "expected ')', found 'end of expression'"},
      {"(offshore || hmg_crypto", 24, "expected ')', found 'end of expression'"},
      {"(offshore hmg_crypto)", 11, "expected ')', found 'hmg_crypto'"},
      {"offshore)", 9, "expected '&&', '||' or the end, found ')'"},
      {"offshore &&", 12, "expected a field or '(', found 'end of expression'"},
      {"&& offshore", 1, "expected a field or '(', found '&&'"},
      {"offshore || && hmg_crypto", 13, "expected a field or '(', found '&&'"},
      {"!", 2, "expected a field or '(', found 'end of expression'"},
      {"()", 2, "expected a field or '(', found ')'"},
      {"offshore hmg_crypto", 10, "expected '&&', '||' or the end, found 'hmg_crypto'"},
      {"a b", 1, "unknown field 'a'"},
      {"", 1, "expected a field or '(', found 'end of expression'"},
      {"   ", 4, "expected a field or '(', found 'end of expression'"},
      {"offshore $ hmg_crypto", 10, "unexpected character '$'"},
      {"offshore & hmg_crypto", 10, "unexpected character '&'"},
      {"offshore | hmg_crypto", 10, "unexpected character '|'"},
  };
  for (const auto& c : cases) {
    try {
      AppliesWhen::Parse(c.text);
      ADD_FAILURE() << "accepted '" << c.text << "'";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument) << c.text;
      EXPECT_EQ(error.code(), "invalid_expression") << c.text;
      EXPECT_EQ(error.message(), "at position " + std::to_string(c.position) + ": " + c.message)
          << "for '" << c.text << "'";
    }
  }
}

TEST(AppliesWhenTest, AcceptsFiveHundredCharactersAndRefusesMore) {
  std::string text = "offshore";
  while (text.size() + 12 <= 500) text += " || offshore";
  text.append(500 - text.size(), ' ');
  ASSERT_EQ(text.size(), 500u);
  EXPECT_TRUE(AppliesWhen::Parse(text).Evaluate(Abc(true, false, false)));

  const std::string too_long = text + " ";
  try {
    AppliesWhen::Parse(too_long);
    ADD_FAILURE() << "accepted a 501-character expression";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "invalid_expression");
    EXPECT_EQ(error.message(), "at position 501: an expression may be at most 500 characters");
  }
  EXPECT_THROW(AppliesWhen::Parse(std::string(10000, '!')), Error);
}

TEST(ScopeProfileTest, ClassificationAndActivityNamesRoundTrip) {
  for (Classification classification :
       {Classification::kOfficial, Classification::kOfficialSensitive}) {
    EXPECT_EQ(TryParseClassification(ToString(classification)), classification);
  }
  EXPECT_EQ(ToString(Classification::kOfficialSensitive), "OFFICIAL_SENSITIVE");
  for (OffshoreActivity activity :
       {OffshoreActivity::kHosting, OffshoreActivity::kSupport, OffshoreActivity::kDevelopment,
        OffshoreActivity::kProcessing}) {
    EXPECT_EQ(TryParseOffshoreActivity(ToString(activity)), activity);
  }
  EXPECT_EQ(ToString(OffshoreActivity::kDevelopment), "development");
  for (const char* bad : {"", "official", "OFFICIAL-SENSITIVE", "SECRET"}) {
    EXPECT_FALSE(TryParseClassification(bad).has_value()) << bad;
  }
  for (const char* bad : {"", "Hosting", "mining", "hosting "}) {
    EXPECT_FALSE(TryParseOffshoreActivity(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace coco::domain
