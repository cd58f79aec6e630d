#ifndef LOGDX_CINFLATE_SHIM_H
#define LOGDX_CINFLATE_SHIM_H

// zlib's inflate, for `.gz` logs. Not named CZLib: ZIPFoundation's module already is.
#include <zlib.h>

// inflateInit2 is a macro in zlib.h, which Swift cannot call; this is the same call as a function.
static inline int logdx_inflate_init_gzip(z_stream *stream) {
    // 15 + 32: the largest window, and detect a gzip or zlib header by itself.
    return inflateInit2(stream, 15 + 32);
}

#endif
