#ifndef LOGDX_CZSTD_SHIM_H
#define LOGDX_CZSTD_SHIM_H

// libzstd's streaming decoder, for `.zst` logs.
#include <zstd.h>

#endif
