#pragma once

#include <string_view>

namespace coco::domain {

// True for the officially assigned ISO 3166-1 alpha-2 codes (upper case), e.g. "GB", "IN".
bool IsIsoCountryCode(std::string_view code);

}  // namespace coco::domain
