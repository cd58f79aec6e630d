#ifndef LOGDX_LIBCURL_ON_DEMAND_H
#define LOGDX_LIBCURL_ON_DEMAND_H

#include <stddef.h>

/// Loads libcurl (once; later calls give the first answer). Returns 1 when it is loaded with
/// every function Foundation's URLSession calls, else 0 with the reason in `reason`.
int logdx_libcurl_load(char *reason, size_t reason_size);

#endif
