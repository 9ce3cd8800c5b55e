/* SPDX-License-Identifier: MIT */
/*
 * The signature database: p0f.fp read, validated and compiled into one
 * immutable object. Loading either returns a complete database or NULL with
 * "FILE:LINE: what is wrong" in the caller's buffer; nothing is half-loaded,
 * so the engine can swap databases while traffic flows.
 */
#ifndef NP_DB_H
#define NP_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "packet.h"

#define NP_LABEL_MAX 96		/* "name flavor" as printed, with NUL */
#define NP_DB_ERR_MAX 512
#define NP_DB_LINE_MAX 65535	/* bytes in a database line, its newline not counted */

enum np_win_type {
	NP_WIN_NORMAL,		/* literal */
	NP_WIN_ANY,		/* * */
	NP_WIN_MOD,		/* %N */
	NP_WIN_MSS,		/* mss*N */
	NP_WIN_MTU,		/* mtu*N */
};

/* Direction index of the per-direction tables: p0f's to_srv. */
enum np_dir { NP_DIR_RESPONSE = 0, NP_DIR_REQUEST = 1 };

/* A "label =" line with the "sys =" line that may follow it. */
struct np_label {
	int32_t class_id;	/* index into classes, -1 for "!" (a tool) */
	uint32_t name_id;	/* index into names */
	const char *flavor;	/* NULL when absent */
	uint32_t label_id;	/* p0f's running label number */
	const uint32_t *sys;	/* name ids, or class ids | NP_SYS_CLASS */
	uint32_t sys_cnt;
	bool generic;		/* "g:" */
	char text[NP_LABEL_MAX];	/* "name[ flavor]" as p0f prints it */
};

#define NP_SYS_CLASS 0x80000000u
#define NP_SYS_MAX 8		/* "sys =" entries a label may list */

/*
 * A TCP signature. The same struct describes an observed packet for the
 * matcher (win_type NP_WIN_NORMAL, no wildcards), as p0f does.
 */
struct np_tcp_sig {
	int32_t mss;		/* -1 = any */
	int32_t wscale;		/* -1 = any */
	uint32_t quirks;
	uint32_t ts1;		/* observed only: own TSval */
	uint32_t line_no;	/* signature only */
	uint32_t label;		/* signature only: index into labels */
	uint16_t win;
	uint16_t tot_hdr;	/* observed only */
	int8_t ip_ver;		/* 4, 6, -1 = any */
	int8_t pay_class;	/* 0, 1, -1 = any */
	uint8_t ttl;
	uint8_t ip_opt_len;
	uint8_t win_type;	/* enum np_win_type */
	uint8_t bad_ttl;	/* "ttl-": random TTL */
	uint8_t opt_cnt;
	uint8_t opt_eol_pad;
	uint8_t opt_layout[NP_MAX_TCP_OPT];
};

struct np_mtu_sig {
	uint16_t mtu;
	const char *link;
};

struct np_http_hdr {
	uint32_t id;		/* header name id (case-sensitive, as p0f) */
	const char *value;	/* substring to find, NULL = any */
	bool optional;		/* "?Name" */
};

struct np_http_sig {
	uint64_t need;		/* signature: bit id % 64 of each mandatory header */
	int8_t http_ver;	/* 0, 1, -1 = any */
	uint8_t hdr_cnt;
	uint8_t miss_cnt;
	uint32_t line_no;
	uint32_t label;
	struct np_http_hdr hdr[NP_HTTP_MAX_HDRS];
	uint32_t miss[NP_HTTP_MAX_HDRS];
	const char *sw;		/* expected software string, NULL = none */
};

struct np_ua_os {
	uint32_t name_id;
	const char *ua;		/* User-Agent substring */
};

struct np_db {
	const char **classes;
	uint32_t n_classes;
	const char **names;
	uint32_t n_names;
	const char **hdr_names;
	uint32_t n_hdr_names;
	uint32_t *hdr_slots;	/* name hash -> id (open addressing), see http_sig.h */
	uint32_t hdr_mask;
	uint8_t *hdr_lists;	/* per id: bit list * 2 + to_srv, p0f's fixed lists */
	struct np_label *labels;
	uint32_t n_labels;
	struct np_tcp_sig *tcp[2];	/* [enum np_dir], file order */
	uint32_t n_tcp[2];
	struct np_mtu_sig *mtu;
	uint32_t n_mtu;
	struct np_http_sig *http[2];
	uint32_t n_http[2];
	struct np_ua_os *ua_os;
	uint32_t n_ua_os;
	struct np_tcp_index *tcp_index[2];	/* by option layout, see tcp_index.h */
	struct np_tls_sig *tls[2];	/* [NP_DIR_REQUEST] client JA4s, [NP_DIR_RESPONSE]
					 * server JA3Ss; load order (tls_sig.h) */
	uint32_t n_tls[2];
	struct np_tls_index *tls_index[2];
	uint32_t n_sigs;	/* every "sig =" line */
	uint64_t load_compares;	/* names and signatures compared while loading: the
				 * loader's work, which grows with the file, not its square */
	uint32_t generation;	/* set by whoever publishes it: 1, 2, ... */
	uint64_t serial;	/* unique per load in this process: memos key on it, not on
				 * an address a later database may reuse */
	uint64_t digest;	/* of its lines but comments and blanks, file by file: two
				 * processes that loaded the same signatures in the same
				 * order give records the same ids (FNV-1a 64) */
	uint32_t refs;		/* libnetprint's reference count (np_db_ref); the
				 * engine owns its databases outright */
	struct np_arena *arena;	/* owns everything above */
};

/* Load and compile a p0f.fp file. On failure returns NULL, sets errno
 * (EINVAL: the database is wrong; ENOMEM; else the file cannot be read),
 * and writes "FILE:LINE: reason" (or "FILE: reason") to err. */
struct np_db *np_db_load(const char *path, char *err, size_t err_len);

/*
 * Load several files into one database, in order, as if they were one
 * file whose sections restart at each file (p0f.fp, then netprint's
 * tls.fp, say). Labels, names and classes are shared: a later file may
 * name an earlier file's classes and OS names; a "classes" line adds the
 * classes not known yet.
 */
struct np_db *np_db_load_files(const char *const *paths, unsigned n, char *err, size_t err_len);

/* Same, from a NUL-terminated buffer; name is used in error messages. */
struct np_db *np_db_load_buf(const char *name, const char *text, char *err, size_t err_len);

/*
 * The same, for a caller that opens the files itself (relative to
 * directories it keeps, say): open_file(ctx, i, flags) opens the i-th,
 * named names[i] in messages, and returns its descriptor (closed when
 * read), or -1 with errno set.
 */
typedef int (*np_db_open_fn)(void *ctx, unsigned i, int flags);
struct np_db *np_db_load_opened(const char *const *names, unsigned n, np_db_open_fn open_file,
				void *ctx, char *err, size_t err_len);

void np_db_free(struct np_db *db);

/* Zeroed memory owned by the database (freed with it), for what load builds. */
void *np_db_alloc(struct np_db *db, size_t n);

static inline const struct np_label *
np_db_label(const struct np_db *db, uint32_t idx)
{
	return &db->labels[idx];
}

/* Index of the first HTTP header name registered: these ids are fixed. */
enum np_http_hdr_id {
	NP_HDR_UA, NP_HDR_SERVER, NP_HDR_ACCEPT_LANGUAGE, NP_HDR_VIA, NP_HDR_XFF, NP_HDR_DATE,
};

#endif /* NP_DB_H */
