/* SPDX-License-Identifier: MIT */
/*
 * Signature databases for library users: opened from files (or the ones
 * installed with the library), shared by reference count.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "db.h"
#include "lib.h"

/* The installed databases, and the source tree's for a library used where
 * it was built (not installed yet). */
#ifndef NP_INSTALLED_DB_DIR
#define NP_INSTALLED_DB_DIR "/usr/local/share/netprint"
#endif
#ifndef NP_SOURCE_DB_DIR
#define NP_SOURCE_DB_DIR NP_INSTALLED_DB_DIR
#endif

static void
say(char *msg, size_t msg_len, const char *text)
{
	if (msg && msg_len)
		snprintf(msg, msg_len, "%s", text);
}

const char *const *
np_db_bundled(void)
{
	static const char *const installed[] = { NP_INSTALLED_DB_DIR "/p0f.fp",
						 NP_INSTALLED_DB_DIR "/tls.fp" };
	static const char *const source[] = { NP_SOURCE_DB_DIR "/p0f.fp", NP_SOURCE_DB_DIR "/tls.fp" };

	return access(installed[0], F_OK) && !access(source[0], F_OK) ? source : installed;
}

int
np_db_open(struct np_db **db, const char *const *paths, size_t n_paths, char *msg, size_t msg_len)
{
	char err[NP_MSG_MAX];
	struct np_db *d;

	if (msg && msg_len)
		msg[0] = 0;
	if (db)
		*db = NULL;
	if (!db || (!paths && n_paths) || n_paths > UINT32_MAX) {
		say(msg, msg_len, "np_db_open: no place for the database, or no paths");
		return NP_ERR_INVALID;
	}
	if (!n_paths) {
		paths = np_db_bundled();
		n_paths = 2;
	}
	for (size_t i = 0; i < n_paths; i++)
		if (!paths[i]) {
			say(msg, msg_len, "np_db_open: a path is NULL");
			return NP_ERR_INVALID;
		}
	errno = 0;
	if (!(d = np_db_load_files(paths, (unsigned)n_paths, err, sizeof(err)))) {
		int e = errno;

		say(msg, msg_len, err);
		return e == ENOMEM ? NP_ERR_NOMEM : e == EINVAL || e == 0 ? NP_ERR_DATABASE : NP_ERR_IO;
	}
	__atomic_store_n(&d->refs, 1, __ATOMIC_RELAXED);
	*db = d;
	return NP_OK;
}

struct np_db *
np_db_ref(struct np_db *db)
{
	if (db)
		__atomic_add_fetch(&db->refs, 1, __ATOMIC_RELAXED);
	return db;
}

void
np_db_unref(struct np_db *db)
{
	if (db && __atomic_sub_fetch(&db->refs, 1, __ATOMIC_ACQ_REL) == 0)
		np_db_free(db);
}

void
np_db_counts(const struct np_db *db, struct np_db_counts *out)
{
	if (!out)
		return;
	*out = (struct np_db_counts){ 0 };
	if (!db)
		return;
	out->tcp = (size_t)db->n_tcp[0] + db->n_tcp[1];
	out->http = (size_t)db->n_http[0] + db->n_http[1];
	out->tls = (size_t)db->n_tls[0] + db->n_tls[1];
	out->mtu = db->n_mtu;
}
