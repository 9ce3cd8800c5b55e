/* SPDX-License-Identifier: MIT */
/*
 * Privileges: what netprint gives up, when, and how it checks that it did.
 * Capabilities are set with the raw system calls (<linux/capability.h>), so
 * no libcap. Capability sets, the bounding set and no_new_privs belong to
 * each thread: the bounding set and no_new_privs are set before any thread
 * exists, so every thread inherits them; the capability sets of threads
 * that already run (EAL's) are cleared by the uid switch, which glibc makes
 * in every thread and which the kernel answers by clearing the permitted,
 * effective and ambient sets of a thread that leaves uid 0.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "privs.h"

int
np_kept_path_init(struct np_kept_path *k, const char *path, char *err, size_t err_len)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	*k = (struct np_kept_path){ .path = path, .dirfd = -1 };
	if (!*path || (slash && !slash[1])) {
		snprintf(err, err_len, "%s: not a file name", path);
		return -1;
	}
	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	k->base = strdup(slash ? slash + 1 : path);
	if (!dir || !k->base) {
		free(dir);
		np_kept_path_fini(k);
		snprintf(err, err_len, "%s: out of memory", path);
		return -1;
	}
	/* O_PATH: the directory is named, not read; openat() works through it */
	k->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (k->dirfd < 0) {
		snprintf(err, err_len, "%s: cannot open its directory %s: %s", path, dir,
			 strerror(errno));
		free(dir);
		np_kept_path_fini(k);
		return -1;
	}
	free(dir);
	return 0;
}

int
np_kept_path_open(const struct np_kept_path *k, int flags, mode_t mode)
{
	return openat(k->dirfd, k->base, flags, mode);
}

void
np_kept_path_fini(struct np_kept_path *k)
{
	if (!k->path)
		return;		/* never set: a zeroed one */
	if (k->dirfd >= 0)
		close(k->dirfd);
	free(k->base);
	*k = (struct np_kept_path){ .dirfd = -1 };
}

static int
open_kept(void *paths, unsigned i, int flags)
{
	return np_kept_path_open(&((const struct np_kept_path *)paths)[i], flags | O_NOCTTY, 0);
}

struct np_db *
np_db_load_kept(const struct np_kept_path *paths, unsigned n, char *err, size_t err_len)
{
	const char *names[n ? n : 1];

	for (unsigned i = 0; i < n; i++)
		names[i] = paths[i].path;
	return np_db_load_opened(names, n, open_kept, (void *)paths, err, err_len);
}

/* /proc/self/task, opened before a chroot hides /proc: the check of every
 * thread after the drop reads it. */
static int task_dir = -1;

int
np_privs_init(void)
{
	if (getauxval(AT_SECURE) || getuid() != geteuid() || getgid() != getegid()) {
		fprintf(stderr,
			"netprint: refusing to run set-user-ID, set-group-ID or with file capabilities:\n"
			"netprint: anyone could hand it EAL arguments (-d loads a shared object).\n"
			"netprint: start it as root with -u USER, or from a service manager.\n");
		return -1;
	}
	/* netprint never executes anything: nothing it runs may gain privileges */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		fprintf(stderr, "netprint: cannot set no_new_privs: %s\n", strerror(errno));
		return -1;
	}
	/*
	 * The bounding set only limits what an execve() could grant, so it can
	 * go now, before EAL's threads exist (they inherit it), while the
	 * permitted set keeps what start-up needs. Without CAP_SETPCAP (not
	 * root) the kernel refuses, and there is nothing to bound anyway.
	 */
	for (int c = 0; c <= 63; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno != EINVAL)
			break;	/* EPERM: not ours to drop */
	task_dir = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return 0;
}

int
np_privs_lookup(const char *name, struct np_user *u)
{
	struct passwd *pw;

	if (geteuid()) {
		fprintf(stderr, "netprint: -u %s: switching users needs root (running as uid %u)\n",
			name, (unsigned)geteuid());
		return -1;
	}
	errno = 0;
	if (!(pw = getpwnam(name))) {
		fprintf(stderr, "netprint: -u %s: no such user%s%s\n", name, errno ? ": " : "",
			errno ? strerror(errno) : "");
		return -1;
	}
	if (!pw->pw_uid || !pw->pw_gid) {
		fprintf(stderr, "netprint: -u %s: the user must not have uid 0 or gid 0\n", name);
		return -1;
	}
	*u = (struct np_user){ .name = name, .uid = pw->pw_uid, .gid = pw->pw_gid };
	endpwent();
	return 0;
}

int
np_privs_clear_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	/* ambient capabilities need their permitted bit: already gone, but say so */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -1;
	return 0;
}

/* Does the calling thread still hold a capability? */
static bool
holds_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return true;
	for (unsigned i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			return true;
	return false;
}

/*
 * Every thread as the kernel shows it: uid and gid, and no capability
 * permitted. Returns the number of threads that fail, -1 if /proc could not
 * be read.
 */
static int
check_threads(const struct np_user *u, unsigned *n_threads)
{
	int fd = task_dir >= 0 ? dup(task_dir) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	int bad = 0;

	*n_threads = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		char path[300], line[256];
		unsigned long long prm = 1, eff = 1;
		unsigned ruid = 0, euid = 0, suid = 0, fsuid = 0, rgid = 0, egid = 0, sgid = 0,
			 fsgid = 0;
		int sfd;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/status", de->d_name);
		if ((sfd = openat(dirfd(d), path, O_RDONLY | O_CLOEXEC)) < 0 ||
		    !(f = fdopen(sfd, "r"))) {
			if (sfd >= 0)
				close(sfd);
			continue;	/* the thread ended */
		}
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "Uid: %u %u %u %u", &ruid, &euid, &suid, &fsuid);
			sscanf(line, "Gid: %u %u %u %u", &rgid, &egid, &sgid, &fsgid);
			sscanf(line, "CapPrm: %llx", &prm);
			sscanf(line, "CapEff: %llx", &eff);
		}
		fclose(f);
		(*n_threads)++;
		if (prm || eff ||
		    (u && (ruid != u->uid || euid != u->uid || suid != u->uid || fsuid != u->uid ||
			   rgid != u->gid || egid != u->gid || sgid != u->gid || fsgid != u->gid))) {
			if (u)
				fprintf(stderr, "netprint: thread %s: uid %u gid %u, capabilities %llx\n",
					de->d_name, euid, egid, prm | eff);
			bad++;
		}
	}
	closedir(d);
	return bad;
}

int
np_privs_drop(const struct np_user *u, const char *dir)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	tzset();	/* log lines keep the local time once /etc/localtime is out of reach */
	if (dir) {
		if (chroot(dir) || chdir("/")) {
			fprintf(stderr, "netprint: -c %s: cannot chroot: %s\n", dir, strerror(errno));
			return -1;
		}
		/* as p0f: a directory of its own, not a view of the system */
		if (!access("/proc/self", F_OK) || !access("/sys/kernel", F_OK)) {
			fprintf(stderr, "netprint: -c %s: shows /proc or /sys: give a dedicated, empty directory\n",
				dir);
			return -1;
		}
	}
	if (u) {
		if (setgroups(0, NULL)) {
			fprintf(stderr, "netprint: -u %s: cannot drop supplementary groups: %s\n",
				u->name, strerror(errno));
			return -1;
		}
		if (setresgid(u->gid, u->gid, u->gid) || setresuid(u->uid, u->uid, u->uid)) {
			fprintf(stderr, "netprint: -u %s: cannot switch to uid %u gid %u: %s\n",
				u->name, (unsigned)u->uid, (unsigned)u->gid, strerror(errno));
			return -1;
		}
	}
	if (np_privs_clear_caps()) {
		fprintf(stderr, "netprint: cannot clear capabilities: %s\n", strerror(errno));
		return -1;
	}
	if (holds_caps()) {
		fprintf(stderr, "netprint: error: capabilities still held after dropping them\n");
		return -1;
	}
	if (u) {
		/* the raw call, for this thread alone: it must fail */
		if (getresuid(&r, &e, &s) || getresgid(&rg, &eg, &sg) || r != u->uid ||
		    e != u->uid || s != u->uid || rg != u->gid || eg != u->gid || sg != u->gid ||
		    getgroups(0, NULL) != 0 || syscall(SYS_setuid, 0) != -1 ||
		    syscall(SYS_setgid, 0) != -1) {
			fprintf(stderr, "netprint: error: -u %s did not hold: still root, or able to become root again\n",
				u->name);
			return -1;
		}
	}
	if (u)
		fprintf(stderr, "netprint: running as %s (uid %u, gid %u)%s%s\n", u->name,
			(unsigned)u->uid, (unsigned)u->gid, dir ? ", chrooted to " : "",
			dir ? dir : "");
	return 0;
}

int
np_privs_check_threads(const struct np_user *u)
{
	unsigned n_threads;
	int bad = check_threads(u, &n_threads);

	if (task_dir >= 0)
		close(task_dir);
	task_dir = -1;
	if (bad < 0) {
		fprintf(stderr, "netprint: note: threads not checked (no /proc)\n");
		return 0;
	}
	if (u && bad) {
		fprintf(stderr, "netprint: error: %d of %u threads kept root or capabilities\n", bad,
			n_threads);
		return -1;
	}
	if (bad)
		fprintf(stderr, "netprint: note: %d of %u threads (DPDK's own) keep the capabilities netprint started with; -u drops them in every thread\n",
			bad, n_threads);
	else if (u)
		fprintf(stderr, "netprint: %u thread%s, none with a capability\n", n_threads,
			n_threads == 1 ? "" : "s");
	return 0;
}
