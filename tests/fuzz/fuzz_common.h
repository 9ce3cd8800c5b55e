/* SPDX-License-Identifier: MIT */
/*
 * What the libFuzzer targets of tests/fuzz share: a check that turns a
 * broken promise of netprint's into a crash libFuzzer keeps (the reason on
 * stderr, then abort), a fixed clock zone so that output is the same on
 * every machine, and the logger's formatting of one record by every
 * output (p0f block, p0f log line, JSON line), with the checks the outputs
 * promise: nothing cut short, the two ways of making p0f text agree, and
 * every JSON line is one valid JSON object naming its record kind.
 */
#ifndef NP_FUZZ_COMMON_H
#define NP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

/*
 * A broken promise: reported by libFuzzer as a crash ("deadly signal"). The
 * reason goes where sanitizer reports go, which stays open when libFuzzer
 * closes the target's stderr (-close_fd_mask=2).
 */
#define NP_FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			np_fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

__attribute__((noreturn, format(printf, 4, 5)))
void np_fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...);

/*
 * TZ=UTC, as the tests run p0f and netprint (log lines are local time),
 * and jansson's hash seed fixed rather than read from /dev/urandom: the
 * same input runs the same way in every process.
 */
void np_fuzz_setup(void);

/* The bundled p0f.fp and tls.fp, loaded as netprint loads them by default
 * (a failure is a finding: the target cannot run). */
struct np_db *np_fuzz_bundled_db(void);

/* A host-logic output that keeps nothing (the targets that check elsewhere). */
void np_fuzz_emit_nothing(void *ctx, const struct np_rec *r, const char *tail);

/*
 * Format r (tail: its text tail, or NULL) the way engine/logger.c does,
 * plus the one-shot np_format_log_line() / np_format_block(), and check
 * the results. Buffers are kept between calls, as the logger keeps them.
 */
void np_fuzz_format_record(const struct np_rec *r, const char *tail);

/* json_reference.c: np_json_record()'s answer made with jansson, the oracle. */
struct np_tls_out;
size_t np_fuzz_json_reference(char *buf, size_t len, const struct np_rec *r, const char *tail,
			      const struct np_tls_out *tls);

/*
 * How many TLS reassembly buffers the next pipeline gets. The engine gives
 * every tracker NP_TLS_BUFS_DEFAULT (20 MiB, which ASan poisons and
 * unpoisons on every input): targets linked with
 * -Wl,--wrap=np_tls_track_init take this count instead, so few buffers
 * both run the pool-empty paths and keep a fresh pipeline per input cheap.
 */
extern uint32_t np_fuzz_tls_bufs;

/*
 * Check a JSON answer of the query API (np_api_answer_json): one object
 * ending in '\n', with a "status"; an "ok" answer has every key the API
 * documents, null when unknown, never missing. Returns its status.
 */
struct np_hosts;
const char *np_fuzz_check_api_json(const char *answer, size_t n);

/* Ask the API about addr, both ways, as a client would; check the answers. */
void np_fuzz_query_api(const struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver);

/*
 * The addresses of the records formatted since the last call (at most 16)
 * asked about through np_fuzz_query_api(): the hosts a run made, with
 * whatever names, ages and scores it gave them. NULL: forget them.
 */
void np_fuzz_query_seen(const struct np_hosts *hs);

/* Records formatted so far, by kind. */
extern uint64_t np_fuzz_records[NP_REC_KIND_COUNT];

/*
 * With NP_FUZZ_VERBOSE set in the environment: the records an input made,
 * by kind, on stderr (to see what a seed reaches); then the counts restart.
 */
void np_fuzz_report_records(const char *what);

#endif /* NP_FUZZ_COMMON_H */
