// The one header Swift sees of libgit2 (libgit2-dev, found through pkg-config).
#ifndef OCEANID_CGIT2_SHIM_H
#define OCEANID_CGIT2_SHIM_H
#include <git2.h>
#endif
