// The one header Swift sees of libgit2 (libgit2-dev, found through pkg-config).
#ifndef OCEANID_CGIT2_SHIM_H
#define OCEANID_CGIT2_SHIM_H
#include <git2.h>

// git_libgit2_opts is variadic, which Swift cannot call: one fixed-argument wrapper per option used.
static inline int oceanid_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
#endif
