#ifndef LOGDX_CVECTORSCAN_SHIM_H
#define LOGDX_CVECTORSCAN_SHIM_H

// Vectorscan installs its headers under include/hs; pkg-config (libhs) adds that directory.
#include <hs.h>

#endif
