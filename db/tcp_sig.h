/* SPDX-License-Identifier: MIT */
/*
 * What one TCP signature line means: its parser, and the test of one
 * signature against an observation (or against a later signature, which is
 * how p0f finds duplicates). The matcher orders these verdicts; the loader
 * uses them to refuse lines already covered.
 */
#ifndef NP_TCP_SIG_H
#define NP_TCP_SIG_H

#include "db.h"

#define NP_MAX_DIST 35		/* p0f MAX_DIST */

enum np_sig_verdict { NP_SIG_NO, NP_SIG_EXACT, NP_SIG_FUZZY };

/* Window as a multiple of MSS or MTU (p0f detect_win_multi). */
struct np_win_multi {
	int16_t multi;		/* -1 when none; p0f's s16, so it may wrap */
	bool use_mtu;
};

struct np_win_multi np_tcp_win_multi(const struct np_tcp_sig *obs, uint16_t syn_mss);

/*
 * Does ref match obs? EXACT, FUZZY (quirks or TTL off in the ways p0f
 * tolerates), or NO. have_fuzzy: a fuzzy candidate is already known, in
 * which case p0f no longer considers quirk mismatches at all.
 */
enum np_sig_verdict np_tcp_sig_check(const struct np_tcp_sig *ref, const struct np_tcp_sig *obs,
				     struct np_win_multi wm, bool have_fuzzy);

/* The same, for a signature known to have the observation's option layout. */
enum np_sig_verdict np_tcp_sig_check_same_layout(const struct np_tcp_sig *ref,
						 const struct np_tcp_sig *obs,
						 struct np_win_multi wm, bool have_fuzzy);

/* Parse the value of a "sig =" line in a [tcp:*] section. Returns NULL on
 * success, or a static description of what is wrong. */
const char *np_tcp_sig_parse(const char *val, struct np_tcp_sig *sig);

/* Observed packet -> signature form, for matching. */
void np_tcp_sig_from_packet(const struct np_packet *pk, struct np_tcp_sig *obs);

#endif /* NP_TCP_SIG_H */
