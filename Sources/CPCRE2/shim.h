#ifndef LOGDX_CPCRE2_SHIM_H
#define LOGDX_CPCRE2_SHIM_H

// The 8-bit library only: logs are bytes, offsets are UTF-8 code units.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// These macros expand to ~0 casts that Swift cannot import as constants.
static inline size_t cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }

#endif
