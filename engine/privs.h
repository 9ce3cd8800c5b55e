/* SPDX-License-Identifier: MIT */
/*
 * Running as a long-lived service: refuse set-uid / set-gid / file-capability
 * execution, no new privileges, an empty capability bounding set, and after
 * everything is opened a switch to an unprivileged user (-u), optionally
 * chrooted (-c), with no capability left. Files that must be named again
 * after that (databases at reload, logs at rotation) are kept as their
 * directory, held open from before the switch, and their name in it.
 */
#ifndef NP_PRIVS_H
#define NP_PRIVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct np_db;

/* A file named again later: its directory (an O_PATH descriptor opened at
 * start, so the name still resolves after a chroot or a uid switch) and its
 * last path component. */
struct np_kept_path {
	const char *path;	/* as given, for messages */
	int dirfd;		/* -1 when unset */
	char *base;
};

/* Resolve the directory of path now; 0, or -1 with err set. */
int np_kept_path_init(struct np_kept_path *k, const char *path, char *err, size_t err_len);

/* openat() of the name in its directory; -1 with errno set on failure. */
int np_kept_path_open(const struct np_kept_path *k, int flags, mode_t mode);

/* Close and free; a zeroed, never initialised one is left alone. */
void np_kept_path_fini(struct np_kept_path *k);

/* The databases read as one (np_db_load_opened), each opened through its kept
 * directory; NULL with err ("FILE: why" or "FILE:LINE: why") on failure. */
struct np_db *np_db_load_kept(const struct np_kept_path *paths, unsigned n, char *err,
			      size_t err_len);

/* The user -u names, looked up before any chroot. */
struct np_user {
	const char *name;
	uid_t uid;
	gid_t gid;
};

/*
 * First thing in main: refuse a set-uid, set-gid or file-capability start
 * (AT_SECURE: anyone could hand such a binary EAL arguments, and EAL loads
 * shared objects), set no_new_privs, empty the capability bounding set when
 * allowed (root). Threads created later inherit both. Returns 0 or -1 after
 * printing why.
 */
int np_privs_init(void);

/* Look up -u's user (must exist, not uid or gid 0; we must be root). */
int np_privs_lookup(const char *name, struct np_user *u);

/*
 * After every port, socket and file is open: chroot to dir (if not NULL),
 * drop supplementary groups, switch to u's uid and primary gid (every
 * thread: glibc applies set*id to all), clear the capability sets, and
 * check it all held. u NULL: only the capabilities of the calling thread
 * are cleared. Returns 0, or -1 after printing why (the caller must exit).
 */
int np_privs_drop(const struct np_user *u, const char *dir);

/* After the threads netprint runs itself (the workers) cleared theirs too:
 * every thread of the process, as /proc shows it (opened by np_privs_init).
 * With u, any thread not u's or holding a capability is an error (-1);
 * without, the threads that kept capabilities (EAL's own) are named. */
int np_privs_check_threads(const struct np_user *u);

/* Clear the calling thread's capability sets (effective, permitted,
 * inheritable, ambient); 0 or -1 with errno. */
int np_privs_clear_caps(void);

#endif /* NP_PRIVS_H */
