#ifndef OCEANID_CPQ_SHIM_H
#define OCEANID_CPQ_SHIM_H
// libpq, PostgreSQL's C client (https://www.postgresql.org/docs/15/libpq.html): only
// oceanid-apply's database commands link it.
#include <libpq-fe.h>
#endif
