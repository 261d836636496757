// common.cpp: per-thread last-error storage shared by all translation units.
#include <cstdarg>
#include <cstdio>
#include <string>

#include "backend.h"

namespace oli {

static thread_local std::string g_last_error;

oli_status set_error(oli_status status, const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  g_last_error = buf;
  return status;
}

const char* last_error_message() { return g_last_error.c_str(); }

void clear_error() { g_last_error.clear(); }

}  // namespace oli
