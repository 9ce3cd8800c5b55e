/* SPDX-License-Identifier: MIT */
/*
 * TCP signatures: parsing "ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass"
 * and testing one signature against an observation, with p0f 3.09b's exact
 * rules (fp_tcp.c tcp_register_sig, detect_win_multi, tcp_find_match).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_sig.h"

struct np_win_multi
np_tcp_win_multi(const struct np_tcp_sig *ts, uint16_t syn_mss)
{
	struct np_win_multi r = { -1, false };
	int32_t win = ts->win, mss = ts->mss;

	if (!win || mss < 100 || ts->win_type != NP_WIN_NORMAL)
		return r;

	/* The candidates, in p0f's order; the first divisor wins. */
	const struct { int32_t div; bool mtu; bool on; } c[] = {
		{ mss, false, true },
		{ mss - 12, false, ts->ts1 != 0 },
		{ 1500 - NP_MIN_TCP4, false, true },
		{ 1500 - NP_MIN_TCP4 - 12, false, true },
		{ 1500 - NP_MIN_TCP6, false, ts->ip_ver == 6 },
		{ 1500 - NP_MIN_TCP6 - 12, false, ts->ip_ver == 6 },
		{ mss + NP_MIN_TCP4, true, true },
		{ mss + ts->tot_hdr, true, true },
		{ mss + NP_MIN_TCP6, true, ts->ip_ver == 6 },
		{ 1500, true, true },
		{ syn_mss, false, syn_mss != 0 },
		{ (int32_t)syn_mss - 12, false, syn_mss != 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		/* p0f would divide by zero on a peer MSS of 12; treat as no match */
		if (!c[i].on || c[i].div == 0 || win % c[i].div)
			continue;
		r.multi = (int16_t)(win / c[i].div);
		r.use_mtu = c[i].mtu;
		return r;
	}
	return r;
}

enum np_sig_verdict
np_tcp_sig_check(const struct np_tcp_sig *ref, const struct np_tcp_sig *ts,
		 struct np_win_multi wm, bool have_fuzzy)
{
	if (ref->opt_cnt != ts->opt_cnt ||
	    memcmp(ref->opt_layout, ts->opt_layout, ref->opt_cnt))
		return NP_SIG_NO;
	return np_tcp_sig_check_same_layout(ref, ts, wm, have_fuzzy);
}

enum np_sig_verdict
np_tcp_sig_check_same_layout(const struct np_tcp_sig *ref, const struct np_tcp_sig *ts,
			     struct np_win_multi wm, bool have_fuzzy)
{
	bool fuzzy = false;
	uint32_t ref_quirks = ref->quirks;

	/* What can only reject first, the most telling before the rest; which
	 * test rejects first changes nothing in the answer. */
	if ((ref->mss != -1 && ref->mss != ts->mss) ||
	    (ref->wscale != -1 && ref->wscale != ts->wscale) ||
	    ref->opt_eol_pad != ts->opt_eol_pad || ref->ip_opt_len != ts->ip_opt_len ||
	    (ref->pay_class != -1 && ref->pay_class != ts->pay_class))
		return NP_SIG_NO;

	/* A "*" signature drops the quirks the other IP version cannot have. */
	if (ref->ip_ver == -1)
		ref_quirks &= ts->ip_ver == 4 ? ~NP_QUIRKS_V6_ONLY :
			~(NP_QUIRK(DF) | NP_QUIRK(NZ_ID) | NP_QUIRK(ZERO_ID));

	if (ref_quirks != ts->quirks) {
		uint32_t deleted = (ref_quirks ^ ts->quirks) & ref_quirks;
		uint32_t added = (ref_quirks ^ ts->quirks) & ts->quirks;

		/* Only df / id+ vanishing or id- / ecn appearing is tolerated. */
		if (have_fuzzy || (deleted & ~(NP_QUIRK(DF) | NP_QUIRK(NZ_ID))) ||
		    (added & ~(NP_QUIRK(ZERO_ID) | NP_QUIRK(ECN))))
			return NP_SIG_NO;
		fuzzy = true;
	}

	if (ref->bad_ttl) {
		if (ref->ttl < ts->ttl)
			return NP_SIG_NO;
	} else if (ref->ttl < ts->ttl || ref->ttl - ts->ttl > NP_MAX_DIST) {
		fuzzy = true;
	}

	if (ts->win_type != NP_WIN_NORMAL) {
		/* Two signatures: the same window spec covers. */
		if (ref->win_type != ts->win_type || ref->win != ts->win)
			return NP_SIG_NO;
	} else {
		switch (ref->win_type) {
		case NP_WIN_NORMAL:
			if (ref->win != ts->win)
				return NP_SIG_NO;
			break;
		case NP_WIN_MOD:
			if (ts->win % ref->win)
				return NP_SIG_NO;
			break;
		case NP_WIN_MSS:
			if (wm.use_mtu || ref->win != wm.multi)
				return NP_SIG_NO;
			break;
		case NP_WIN_MTU:
			if (!wm.use_mtu || ref->win != wm.multi)
				return NP_SIG_NO;
			break;
		default:
			break;
		}
	}
	return fuzzy ? NP_SIG_FUZZY : NP_SIG_EXACT;
}

void
np_tcp_sig_from_packet(const struct np_packet *pk, struct np_tcp_sig *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->opt_cnt = pk->opt_cnt;
	memcpy(ts->opt_layout, pk->opt_layout, pk->opt_cnt);
	ts->quirks = pk->quirks;
	ts->opt_eol_pad = pk->opt_eol_pad;
	ts->ip_opt_len = pk->ip_opt_len;
	ts->ip_ver = (int8_t)pk->ip_ver;
	ts->ttl = pk->ttl;
	ts->mss = pk->mss;
	ts->win = pk->win;
	ts->win_type = NP_WIN_NORMAL;
	ts->wscale = pk->wscale;
	ts->pay_class = pk->pay_len != 0;
	ts->tot_hdr = pk->tot_hdr;
	ts->ts1 = pk->ts1;
}

/* ---- parsing: the same pointer walk as p0f, so odd lines read the same ---- */

static const char *
skip_digits(const char *p)
{
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/* The decimal number at p, saturating at a value no field accepts. */
static long
read_num(const char *p)
{
	long n = 0;

	for (; isdigit((unsigned char)*p); p++)
		if ((n = n * 10 + (*p - '0')) > 1000000)
			return 1000000;
	return n;
}

/* Digits up to the separator `end`, within [lo, hi]; steps past `end`. */
static const char *
take_num(const char **valp, char end, long lo, long hi, const char *what, long *out)
{
	const char *nxt = skip_digits(*valp);

	if (*nxt != end)
		return "malformed signature";
	*out = read_num(*valp);
	if (*out < lo || *out > hi)
		return what;
	*valp = nxt + 1;
	return NULL;
}

static const char *
parse_layout(const char **valp, struct np_tcp_sig *s)
{
	const char *val = *valp, *nxt;
	static const struct { const char *name; uint8_t kind; } names[] = {
		{ "nop", NP_OPT_NOP }, { "mss", NP_OPT_MSS }, { "ws", NP_OPT_WS },
		{ "sok", NP_OPT_SOK }, { "sack", NP_OPT_SACK }, { "ts", NP_OPT_TS },
	};

	while (*val != ':') {
		size_t i;

		if (s->opt_cnt >= NP_MAX_TCP_OPT)
			return "too many TCP options";
		if (!strncmp(val, "eol", 3)) {
			s->opt_layout[s->opt_cnt++] = NP_OPT_EOL;
			val += 3;
			if (*val != '+')
				return "malformed EOL option (expected eol+N)";
			nxt = skip_digits(++val);
			if (!*nxt)
				return "truncated options";
			if (*nxt != ':')
				return "EOL must be the last option";
			long pad = read_num(val);
			if (pad > 255)
				return "bogus EOL padding";
			s->opt_eol_pad = (uint8_t)pad;
			val = nxt;
		} else if (*val == '?') {
			nxt = skip_digits(++val);
			if (*nxt != ':' && *nxt != ',')
				return "malformed '?' option";
			long kind = read_num(val);
			if (kind > 255)
				return "bogus '?' option";
			s->opt_layout[s->opt_cnt++] = (uint8_t)kind;
			val = nxt;
		} else {
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (!strncmp(val, names[i].name, strlen(names[i].name)))
					break;
			if (i == sizeof(names) / sizeof(names[0]))
				return "unrecognized TCP option";
			s->opt_layout[s->opt_cnt++] = names[i].kind;
			val += strlen(names[i].name);
		}
		if (*val == ':')
			break;
		if (*val != ',')
			return "malformed TCP options";
		val++;
	}
	*valp = val + 1;
	return NULL;
}

static const char *
parse_quirks(const char **valp, struct np_tcp_sig *s)
{
	const char *val = *valp;

	while (*val != ':') {
		unsigned q;

		for (q = 0; q < NP_QUIRK_COUNT; q++)
			if (!strncmp(val, np_quirk_names[q], strlen(np_quirk_names[q])))
				break;
		if (q == NP_QUIRK_COUNT)
			return "unrecognized quirk";
		if (s->ip_ver == 6 && ((1u << q) & NP_QUIRKS_V4_ONLY))
			return "quirk not valid for IPv6";
		if (s->ip_ver == 4 && ((1u << q) & NP_QUIRKS_V6_ONLY))
			return "quirk not valid for IPv4";
		s->quirks |= 1u << q;
		val += strlen(np_quirk_names[q]);
		if (*val == ':')
			break;
		if (*val != ',')
			return "malformed quirks";
		val++;
	}
	*valp = val + 1;
	return NULL;
}

const char *
np_tcp_sig_parse(const char *val, struct np_tcp_sig *s)
{
	const char *nxt, *err;
	long n;

	memset(s, 0, sizeof(*s));

	switch (*val) {
	case '4': s->ip_ver = 4; break;
	case '6': s->ip_ver = 6; break;
	case '*': s->ip_ver = -1; break;
	default: return "unrecognized IP version";
	}
	if (val[1] != ':')
		return "malformed signature";
	val += 2;

	/* Initial TTL: "64", "64+3" (ttl+distance) or "64-" (random TTL). */
	nxt = skip_digits(val);
	if (*nxt != ':' && *nxt != '+' && *nxt != '-')
		return "malformed signature";
	n = read_num(val);
	if (n < 1 || n > 255)
		return "bogus initial TTL";
	val = nxt + 1;
	if (*nxt == '-' && nxt[1] == ':') {
		/* p0f steps over one more character here than the ":" */
		if (!nxt[2])
			return "malformed signature";
		s->bad_ttl = 1;
		val += 2;
	} else if (*nxt == '+') {
		nxt = skip_digits(nxt + 1);
		if (*nxt != ':')
			return "malformed signature";
		long add = read_num(val);
		if (n + add > 255)
			return "bogus initial TTL";
		n += add;
		val = nxt + 1;
	}
	s->ttl = (uint8_t)n;

	if ((err = take_num(&val, ':', 0, 255, "bogus IP option length", &n)))
		return err;
	s->ip_opt_len = (uint8_t)n;

	if (*val == '*' && val[1] == ':') {
		s->mss = -1;
		val += 2;
	} else if ((err = take_num(&val, ':', 0, 65535, "bogus MSS", &n))) {
		return err;
	} else {
		s->mss = (int32_t)n;
	}

	if (*val == '*' && val[1] == ',') {
		s->win_type = NP_WIN_ANY;
		val += 2;
	} else {
		if (*val == '%') {
			s->win_type = NP_WIN_MOD;
			val++;
			err = take_num(&val, ',', 2, 65535, "bogus '%' value", &n);
		} else if (!strncmp(val, "mss*", 4) || !strncmp(val, "mtu*", 4)) {
			s->win_type = val[1] == 's' ? NP_WIN_MSS : NP_WIN_MTU;
			val += 4;
			err = take_num(&val, ',', 1, 1000, "bogus MSS/MTU multiplier", &n);
		} else {
			s->win_type = NP_WIN_NORMAL;
			err = take_num(&val, ',', 0, 65535, "bogus window size", &n);
		}
		if (err)
			return err;
		s->win = (uint16_t)n;
	}

	if (*val == '*' && val[1] == ':') {
		s->wscale = -1;
		val += 2;
	} else if ((err = take_num(&val, ':', 0, 255, "bogus window scale", &n))) {
		return err;
	} else {
		s->wscale = (int32_t)n;
	}

	if ((err = parse_layout(&val, s)) || (err = parse_quirks(&val, s)))
		return err;

	if (!strcmp(val, "*"))
		s->pay_class = -1;
	else if (!strcmp(val, "0"))
		s->pay_class = 0;
	else if (!strcmp(val, "+"))
		s->pay_class = 1;
	else
		return "malformed payload class";
	return NULL;
}
