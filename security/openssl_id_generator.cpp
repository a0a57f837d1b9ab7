#include "security/openssl_id_generator.hpp"

#include <openssl/rand.h>

#include <cstdio>

#include "domain/common/error.hpp"

namespace coco::security {

domain::Uuid OpensslIdGenerator::NewId() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw domain::Internal("the random source failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return domain::Uuid::Parse(text);
}

}  // namespace coco::security
