/* SPDX-License-Identifier: MIT */
/*
 * Host logic tests (core/hosts.c): records made by hand the way
 * core/tracker.c fills them go through np_hosts_process(), and what it
 * emits is collected and printed with np_format_log_line().
 *
 *  - uptime: p0f check_ts_tcp()
 *  - nat_tcp / nat_http / nat_ring: score_nat() of fp_tcp.c and fp_http.c,
 *    add_nat_score() and verify_tool_class()
 *  - host_table: creation, lookup, pruning, expiry, the fields the API reads
 *  - http_date: p0f parse_date()
 *
 * Lines marked "p0f" are p0f 3.09b's output (Debian's /usr/sbin/p0f,
 * "TZ=UTC p0f -r X.pcap -f db/p0f.fp -o X.log", with the -m / -t given)
 * for a pcap of the frames the records here stand for, written by a
 * throwaway generator; netprint's own binary printed the same lines for
 * those pcaps unless a test says otherwise. Names, labels and line numbers
 * below are stand-ins: the host logic only compares them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "frames.h"
#include "hosts.h"
#include "matcher.h"

#include <criterion/criterion.h>
#include "np_assert.h"

#define assert_str(actual, expected) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		cr_assert(a_ != NULL && e_ != NULL && !strcmp(a_, e_), \
			  "got\n\"%s\"\nwant\n\"%s\"", a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
	} while (0)

#define DAY 86400u
#define FLOW_SLOTS 64

static struct np_hosts g_hs;

/* What np_hosts_process() emitted, each record also printed as a line. */
#define OUT_MAX 256
static struct {
	struct np_rec rec[OUT_MAX];
	char line[OUT_MAX][1024];
	unsigned n;
} g_out;

static void
collect(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx;
	cr_assert(lt(u32, g_out.n, OUT_MAX));
	g_out.rec[g_out.n] = *r;
	np_format_log_line(g_out.line[g_out.n], sizeof(g_out.line[0]), r, tail);
	g_out.line[g_out.n][strcspn(g_out.line[g_out.n], "\n")] = 0;
	g_out.n++;
}

static void
hosts_init(uint32_t max_hosts, uint32_t idle_min)
{
	(void)idle_min;	/* idle expiry is the tracker's: see test_host_limits.c */
	np_hosts_fini(&g_hs);
	cr_assert(eq(int, np_hosts_init(&g_hs, max_hosts + 8, 1, FLOW_SLOTS), 0));
	memset(&g_out, 0, sizeof(g_out));
}

static void
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	hosts_init(10000, 120);	/* p0f's defaults */
}

static void
teardown(void)
{
	np_hosts_fini(&g_hs);
}

TestSuite(uptime, .init = setup, .fini = teardown);
TestSuite(nat_tcp, .init = setup, .fini = teardown);
TestSuite(nat_http, .init = setup, .fini = teardown);
TestSuite(nat_ring, .init = setup, .fini = teardown);
TestSuite(host_table, .init = setup, .fini = teardown);
TestSuite(http_date, .init = setup, .fini = teardown);

static void
process(const struct np_rec *r)
{
	np_hosts_process(&g_hs, r, NULL, collect, NULL);
}

/* The lines of the emitted records of one kind, from index `from`. */
static unsigned
lines_of(enum np_rec_kind kind, unsigned from, const char **out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = from; i < g_out.n && n < max; i++)
		if (g_out.rec[i].kind == kind)
			out[n++] = g_out.line[i];
	return n;
}

/* The host change / ip sharing lines emitted, in order. */
static unsigned
nat_lines(const char **out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g_out.n && n < max; i++)
		if (g_out.rec[i].kind == NP_REC_HOST_CHANGE || g_out.rec[i].kind == NP_REC_IP_SHARING)
			out[n++] = g_out.line[i];
	return n;
}

static void
expect_nat_lines(const char *const *want)
{
	const char *got[64];
	unsigned n = nat_lines(got, 64), w = 0;

	while (want[w])
		w++;
	for (unsigned i = 0; i < n && i < w; i++)
		assert_str(got[i], want[i]);
	cr_assert(eq(u32, n, w), "%u host change / ip sharing lines, p0f logged %u", n, w);
}

static const struct np_host *
host(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t addr[16];

	tf_addr4(addr, a, b, c, d);
	return np_hosts_lookup(&g_hs, addr, 4);
}

/* ------------------------------------------------------------------ */
/* Records as tracker.c makes them                                   */
/* ------------------------------------------------------------------ */

/* Stand-in ids (p0f only compares them). */
enum { CLASS_WIN, CLASS_UNIX };
enum { NAME_LINUX = 1, NAME_WINDOWS, NAME_APACHE, NAME_NGINX, NAME_IIS, NAME_FIREFOX, NAME_MAC };

/* A signature as fingerprint_tcp() would record a packet matching it. */
struct sig {
	bool matched;
	int32_t class_id;
	uint32_t name_id, label_id, line_no;
	const char *name, *flavor;
	uint8_t ittl;		/* the signature's TTL, for the distance */
	uint32_t quirks;
	uint8_t opt_cnt;
	uint8_t layout[8];
	bool has_ts;
};

#define Q_DF_ID (NP_QUIRK(DF) | NP_QUIRK(NZ_ID))
#define L_LINUX 5, { NP_OPT_MSS, NP_OPT_SOK, NP_OPT_TS, NP_OPT_NOP, NP_OPT_WS }, true
#define L_WIN 6, { NP_OPT_MSS, NP_OPT_NOP, NP_OPT_WS, NP_OPT_NOP, NP_OPT_NOP, NP_OPT_SOK }, false
#define L_SHORT 3, { NP_OPT_MSS, NP_OPT_NOP, NP_OPT_WS }, false
#define L_ODD 5, { NP_OPT_MSS, NP_OPT_NOP, NP_OPT_NOP, NP_OPT_WS, NP_OPT_EOL }, false

/* SYNs: p0f.fp "Linux 3.11 and newer" (two lines), "Linux 3.1-3.10",
 * "Windows 7 or 8", and unknown ones. */
static const struct sig S_L311_WS10 = { true, CLASS_UNIX, NAME_LINUX, 10, 101, "Linux",
					"3.11 and newer", 64, Q_DF_ID, L_LINUX };
static const struct sig S_L311_WS7 = { true, CLASS_UNIX, NAME_LINUX, 10, 102, "Linux",
				       "3.11 and newer", 64, Q_DF_ID, L_LINUX };
static const struct sig S_L31 = { true, CLASS_UNIX, NAME_LINUX, 11, 103, "Linux", "3.1-3.10", 64,
				  Q_DF_ID, L_LINUX };
static const struct sig S_WIN7 = { true, CLASS_WIN, NAME_WINDOWS, 12, 104, "Windows", "7 or 8", 128,
				   Q_DF_ID, L_WIN };
static const struct sig S_UNK_SHORT = { false, 0, 0, 0, 0, "", "", 0, Q_DF_ID, L_SHORT };
static const struct sig S_UNK_URG = { false, 0, 0, 0, 0, "", "", 0, Q_DF_ID | NP_QUIRK(NZ_URG),
				      L_LINUX };
/* SYN+ACKs: "Linux 3.x", "Linux 2.6.x", unknown ones (IP ID 0: no id+). */
static const struct sig S_SA_L3 = { true, CLASS_UNIX, NAME_LINUX, 20, 201, "Linux", "3.x", 64,
				    NP_QUIRK(DF), L_LINUX };
static const struct sig S_SA_L26 = { true, CLASS_UNIX, NAME_LINUX, 21, 202, "Linux", "2.6.x", 64,
				     NP_QUIRK(DF), L_LINUX };
static const struct sig S_SA_UNK_ODD = { false, 0, 0, 0, 0, "", "", 0, NP_QUIRK(DF), L_ODD };
static const struct sig S_SA_UNK_URG = { false, 0, 0, 0, 0, "", "", 0,
					 NP_QUIRK(DF) | NP_QUIRK(NZ_URG), L_LINUX };

static uint32_t g_serial;

/*
 * "name flavor" as a database label's text, for a record's names: kept in
 * a ring of buffers long enough for the records a test has in hand.
 */
static const char *
label_text(const char *name, const char *flavor)
{
	static char texts[16][NP_LABEL_MAX];
	static unsigned next;
	char *t = texts[next++ % 16];

	snprintf(t, NP_LABEL_MAX, "%s%s%s", name, flavor && flavor[0] ? " " : "",
		 flavor ? flavor : "");
	return t;
}

/* The record head: addresses, ports, time, flow. */
static struct np_rec
head(enum np_rec_kind kind, bool to_srv, const uint8_t *cli, const uint8_t *srv, uint16_t cport,
     uint16_t sport, uint64_t ts_us, uint32_t serial)
{
	struct np_rec r;

	memset(&r, 0, sizeof(r));
	r.ts_us = ts_us;
	r.db_gen = 1;
	r.kind = (uint8_t)kind;
	r.ip_ver = 4;
	r.to_srv = to_srv;
	r.cli_port = cport;
	r.srv_port = sport;
	memcpy(r.cli, cli, 16);
	memcpy(r.srv, srv, 16);
	r.flow_serial = serial;
	r.flow_slot = serial % FLOW_SLOTS;
	return r;
}

struct pkt {
	const struct sig *sig;
	uint8_t ttl;
	uint16_t mss;		/* 0: 1460 */
	uint32_t ts;		/* TSval (0: none) */
	bool fuzzy;		/* DF gone: quirks lose df and id+ */
};

/* fingerprint_tcp()'s record: the match, the packet fields, the MTU. */
static void
fill_tcp(struct np_rec *r, const struct pkt *p)
{
	const struct sig *s = p->sig;
	struct np_rec_tcp *t = &r->tcp;

	memset(t, 0, sizeof(*t));
	t->ttl = p->ttl;
	t->mss = p->mss ? p->mss : 1460;
	t->quirks = p->fuzzy ? s->quirks & ~Q_DF_ID : s->quirks;
	t->ts1 = p->ts;
	t->opt_cnt = s->opt_cnt;
	memcpy(t->opt_layout, s->layout, s->opt_cnt);
	t->dist = s->matched ? s->ittl - p->ttl : np_guess_dist(p->ttl);
	t->flags = NP_RTCP_OS_SIG | NP_RTCP_HAS_MTU;
	t->mtu = t->mss + 40u;
	if (s->matched) {
		t->flags |= NP_RTCP_MATCHED | (p->fuzzy ? NP_RTCP_FUZZY : 0);
		t->m.class_id = s->class_id;
		t->m.name_id = s->name_id;
		t->m.label_id = s->label_id;
		t->m.line_no = s->line_no;
		r->names.label = label_text(s->name, s->flavor);
		r->names.name = s->name;
		r->names.flavor = s->flavor;
	}
}

/* A SYN from cli to srv, as the first packet of a new flow. */
static uint32_t
syn(const uint8_t *cli, const uint8_t *srv, uint16_t cport, uint16_t sport, uint64_t ts_us,
    const struct pkt *p)
{
	struct np_rec r = head(NP_REC_SYN, true, cli, srv, cport, sport, ts_us, ++g_serial);

	fill_tcp(&r, p);
	process(&r);
	return g_serial;
}

/* The SYN+ACK of flow `serial`. */
static void
synack(const uint8_t *cli, const uint8_t *srv, uint16_t cport, uint16_t sport, uint64_t ts_us,
       uint32_t serial, const struct pkt *p)
{
	struct np_rec r = head(NP_REC_SYNACK, false, cli, srv, cport, sport, ts_us, serial);

	fill_tcp(&r, p);
	process(&r);
}

/* A timestamp sample (in-order ACK, FIN or RST) of flow `serial`. */
static void
ts_sample(const uint8_t *cli, const uint8_t *srv, uint16_t cport, uint16_t sport, uint64_t ts_us,
	  uint32_t serial, bool to_srv, uint32_t ts1)
{
	struct np_rec r = head(NP_REC_TS, to_srv, cli, srv, cport, sport, ts_us, serial);

	r.ts1 = ts1;
	process(&r);
}

#define US(s) ((uint64_t)(s) * 1000000ull)

/* ------------------------------------------------------------------ */
/* Uptime (p0f check_ts_tcp)                                          */
/* ------------------------------------------------------------------ */

#define TS_A 1000000000u
#define TS_B 2000000000u

/*
 * Two SYNs from one client, `ms` apart, TSval going up by `ticks`: the
 * second is measured against the first (the host's last SYN). p0f logged
 * these uptime fields for exactly these SYNs (client 10.72.i.1, one row
 * every 10 s + ms from 1705000000). `freq` is the rounded frequency.
 */
static const struct {
	uint32_t ticks, ms, freq;
	const char *fields;	/* NULL: p0f logged no uptime */
} rounding[] = {
	{ 6, 10000, 0, NULL },	/* 0.6 Hz */
	{ 7, 10000, 1, "11574 days 1 hrs 46 min (modulo 49710 days)|raw_freq=0.70 Hz" },
	{ 8, 10000, 1, "11574 days 1 hrs 46 min (modulo 49710 days)|raw_freq=0.80 Hz" },
	{ 5, 1000, 5, "2314 days 19 hrs 33 min (modulo 9942 days)|raw_freq=5.00 Hz" },
	{ 10, 1000, 10, "1157 days 9 hrs 46 min (modulo 4971 days)|raw_freq=10.00 Hz" },
	{ 11, 1000, 10, "1157 days 9 hrs 46 min (modulo 4971 days)|raw_freq=11.00 Hz" },
	{ 12, 1000, 15, "771 days 14 hrs 31 min (modulo 3314 days)|raw_freq=12.00 Hz" },
	{ 13, 1000, 15, "771 days 14 hrs 31 min (modulo 3314 days)|raw_freq=13.00 Hz" },
	{ 17, 1000, 20, "578 days 16 hrs 53 min (modulo 2485 days)|raw_freq=17.00 Hz" },
	{ 50, 1000, 50, "231 days 11 hrs 33 min (modulo 994 days)|raw_freq=50.00 Hz" },
	{ 51, 1000, 50, "231 days 11 hrs 33 min (modulo 994 days)|raw_freq=51.00 Hz" },
	{ 55, 1000, 60, "192 days 21 hrs 37 min (modulo 828 days)|raw_freq=55.00 Hz" },
	{ 100, 1000, 100, "115 days 17 hrs 46 min (modulo 497 days)|raw_freq=100.00 Hz" },
	{ 101, 1000, 100, "115 days 17 hrs 46 min (modulo 497 days)|raw_freq=101.00 Hz" },
	{ 125, 1000, 150, "77 days 3 hrs 51 min (modulo 331 days)|raw_freq=125.00 Hz" },
	{ 500, 1000, 500, "23 days 3 hrs 33 min (modulo 99 days)|raw_freq=500.00 Hz" },
	{ 501, 1000, 500, "23 days 3 hrs 33 min (modulo 99 days)|raw_freq=501.00 Hz" },
	{ 550, 1000, 600, "19 days 6 hrs 57 min (modulo 82 days)|raw_freq=550.00 Hz" },
	{ 999, 1000, 1000, "11 days 13 hrs 46 min (modulo 49 days)|raw_freq=999.00 Hz" },
	{ 1500, 1000, 1500, "7 days 17 hrs 11 min (modulo 33 days)|raw_freq=1500.00 Hz" },
	{ 1501, 1000, 0, NULL },	/* over 1500 Hz */
	{ 21, 2000, 10, "1157 days 9 hrs 46 min (modulo 4971 days)|raw_freq=10.50 Hz" },
	{ 4, 1000, 0, NULL },	/* fewer than 5 ticks */
	{ 25, 24, 0, NULL },	/* under 25 ms */
	{ 25, 25, 1000, "11 days 13 hrs 46 min (modulo 49 days)|raw_freq=1000.00 Hz" },
	{ 600000, 600000, 1000, "11 days 13 hrs 56 min (modulo 49 days)|raw_freq=1000.00 Hz" },
	{ 600001, 600001, 0, NULL },	/* over 10 minutes */
	{ 7, 9999, 1, "11574 days 1 hrs 46 min (modulo 49710 days)|raw_freq=0.70 Hz" },
};

Test(uptime, window_ticks_range_and_rounding_match_p0f)
{
	uint64_t t = US(1705000000);

	for (unsigned i = 0; i < sizeof(rounding) / sizeof(rounding[0]); i++) {
		const struct pkt p1 = { &S_L311_WS7, 61, 0, TS_A, false };
		const struct pkt p2 = { &S_L311_WS7, 61, 0, TS_A + rounding[i].ticks, false };
		uint8_t cli[16], srv[16];
		const char *got[4];
		char want[256];

		tf_addr4(cli, 10, 72, (uint8_t)i, 1);
		tf_addr4(srv, 10, 72, (uint8_t)i, 2);
		syn(cli, srv, 40000, 80, t, &p1);
		unsigned from = g_out.n;
		syn(cli, srv, 40001, 80, t + rounding[i].ms * 1000ull, &p2);
		unsigned n = lines_of(NP_REC_UPTIME, from, got, 4);
		const struct np_host *h = host(10, 72, (uint8_t)i, 1);

		if (!rounding[i].fields) {
			cr_assert(eq(u32, n, 0), "%u ticks in %u ms: %s", rounding[i].ticks,
				  rounding[i].ms, n ? got[0] : "");
			cr_assert(eq(i32, h->last_up_min, -1));
		} else {
			cr_assert(eq(u32, n, 1), "%u ticks in %u ms", rounding[i].ticks, rounding[i].ms);
			snprintf(want, sizeof(want), "|subj=cli|uptime=%s", rounding[i].fields);
			cr_assert(strstr(got[0], want) != NULL, "got  %s\nwant %s", got[0], want);
			cr_assert(eq(u32, h->up_mod_days,
				     0xFFFFFFFFu / (rounding[i].freq * 86400u)));
			cr_assert(eq(i32, h->last_up_min,
				     (int32_t)((TS_A + rounding[i].ticks) / rounding[i].freq / 60)));
		}
		t += rounding[i].ms * 1000ull + 10000000ull;
	}
}

/* The whole line, p0f's: the uptime record is the SYN's. */
Test(uptime, line_is_p0fs)
{
	const struct pkt p1 = { &S_L311_WS7, 61, 0, TS_A, false };
	const struct pkt p2 = { &S_L311_WS7, 61, 0, TS_A + 999, false };
	uint8_t cli[16], srv[16];
	const char *got[2];

	tf_addr4(cli, 10, 72, 18, 1);
	tf_addr4(srv, 10, 72, 18, 2);
	syn(cli, srv, 40000, 80, 1705000225000000ull, &p1);
	syn(cli, srv, 40001, 80, 1705000226000000ull, &p2);
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 2), 1));
	assert_str(got[0], "[2024/01/11 19:10:26] mod=uptime|cli=10.72.18.1/40001|srv=10.72.18.2/80"
			   "|subj=cli|uptime=11 days 13 hrs 46 min (modulo 49 days)"
			   "|raw_freq=999.00 Hz");
}

/*
 * One connection (flow serial) or two, with timestamp samples: p0f
 * logged these lines for exactly these packets (client 10.73.i.1,
 * server 10.73.i.2, scenario i at 1705100000 + 10 s * i).
 */
enum { E_SYN, E_SYNACK, E_CLI, E_SRV };

struct ts_ev {
	uint32_t ms;
	uint8_t what;		/* E_* */
	uint8_t flow;		/* 0 or 1: client port 40000 + flow */
	uint32_t ts;
};

static void
run_ts(unsigned i, const struct ts_ev *ev, unsigned n)
{
	uint64_t t0 = US(1705100000 + 10 * i);
	uint32_t serial[2] = { 0, 0 };
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 73, (uint8_t)i, 1);
	tf_addr4(srv, 10, 73, (uint8_t)i, 2);
	for (unsigned k = 0; k < n; k++) {
		uint64_t t = t0 + ev[k].ms * 1000ull;
		uint16_t port = (uint16_t)(40000 + ev[k].flow);
		const struct pkt sp = { &S_L311_WS7, 61, 0, ev[k].ts, false };
		const struct pkt ap = { &S_SA_L3, 64, 0, ev[k].ts, false };

		switch (ev[k].what) {
		case E_SYN:
			serial[ev[k].flow] = syn(cli, srv, port, 80, t, &sp);
			break;
		case E_SYNACK:
			synack(cli, srv, port, 80, t, serial[ev[k].flow], &ap);
			break;
		default:
			ts_sample(cli, srv, port, 80, t, serial[ev[k].flow], ev[k].what == E_CLI,
				  ev[k].ts);
		}
	}
}

static void
expect_uptime_lines(const char *const *want)
{
	const char *got[8];
	unsigned n = lines_of(NP_REC_UPTIME, 0, got, 8), w = 0;

	while (want[w])
		w++;
	for (unsigned k = 0; k < n && k < w; k++)
		assert_str(got[k], want[k]);
	cr_assert(eq(u32, n, w), "%u uptime lines, p0f logged %u", n, w);
}

#define UP_1000HZ "uptime=11 days 13 hrs 46 min (modulo 49 days)|raw_freq=1000.00 Hz"

Test(uptime, once_per_flow_direction)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B },
		{ 1000, E_CLI, 0, TS_A + 1000 }, { 2000, E_CLI, 0, TS_A + 2000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:53:21] mod=uptime|cli=10.73.0.1/40000|srv=10.73.0.2/80|subj=cli|" UP_1000HZ,
		NULL,
	};

	run_ts(0, ev, 4);
	expect_uptime_lines(want);
}

Test(uptime, bad_reading_on_an_ack_disables_the_direction)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B },
		{ 1000, E_CLI, 0, TS_A + 100000 }, { 2000, E_CLI, 0, TS_A + 2000 },
	};
	const char *const want[] = { NULL };

	run_ts(1, ev, 4);
	expect_uptime_lines(want);
}

/* "Allow the timestamp to go back slightly within a short window": back
 * by up to 15000 ticks within 100 ms is ignored, not a bad reading. */
Test(uptime, going_back_within_100_ms_is_ignored)
{
	const struct ts_ev ev2[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B },
		{ 50, E_CLI, 0, TS_A - 10 }, { 1000, E_CLI, 0, TS_A + 1000 },
	};
	const struct ts_ev ev3[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B },
		{ 50, E_CLI, 0, TS_A - 15000 }, { 1000, E_CLI, 0, TS_A + 1000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:53:41] mod=uptime|cli=10.73.2.1/40000|srv=10.73.2.2/80|subj=cli|" UP_1000HZ,
		"[2024/01/12 22:53:51] mod=uptime|cli=10.73.3.1/40000|srv=10.73.3.2/80|subj=cli|" UP_1000HZ,
		NULL,
	};

	run_ts(2, ev2, 4);
	run_ts(3, ev3, 4);
	expect_uptime_lines(want);
}

Test(uptime, going_back_further_or_later_is_a_bad_reading)
{
	const struct ts_ev ev4[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B },
		{ 50, E_CLI, 0, TS_A - 15001 }, { 1000, E_CLI, 0, TS_A + 1000 },
	};
	const struct ts_ev ev5[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B },
		{ 100, E_CLI, 0, TS_A - 10 }, { 1000, E_CLI, 0, TS_A + 1000 },
	};
	const char *const want[] = { NULL };

	run_ts(4, ev4, 4);
	run_ts(5, ev5, 4);
	expect_uptime_lines(want);
}

Test(uptime, too_early_sample_is_ignored_not_bad)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B },
		{ 24, E_CLI, 0, TS_A + 24 }, { 1000, E_CLI, 0, TS_A + 1000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:54:21] mod=uptime|cli=10.73.6.1/40000|srv=10.73.6.2/80|subj=cli|" UP_1000HZ,
		NULL,
	};

	run_ts(6, ev, 4);
	expect_uptime_lines(want);
}

/* A SYN is measured against the host's previous SYN, a SYN+ACK against
 * its previous SYN+ACK. */
Test(uptime, syn_and_synack_of_a_second_connection)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B }, { 2, E_CLI, 0, TS_A + 2 },
		{ 1000, E_SYN, 1, TS_A + 1000 }, { 1001, E_SYNACK, 1, TS_B + 1000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:54:31] mod=uptime|cli=10.73.7.1/40001|srv=10.73.7.2/80|subj=cli|" UP_1000HZ,
		"[2024/01/12 22:54:31] mod=uptime|cli=10.73.7.1/40001|srv=10.73.7.2/80|subj=srv|"
		"uptime=23 days 3 hrs 33 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};

	run_ts(7, ev, 5);
	expect_uptime_lines(want);
}

Test(uptime, bad_reading_on_a_synack_disables_the_server_direction)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B }, { 2, E_CLI, 0, TS_A + 2 },
		{ 1000, E_SYN, 1, TS_A + 100 }, { 1001, E_SYNACK, 1, TS_B + 100000 },
		{ 2000, E_SRV, 1, TS_B + 100000 + 1000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:54:41] mod=uptime|cli=10.73.8.1/40001|srv=10.73.8.2/80|subj=cli|"
		"uptime=115 days 17 hrs 46 min (modulo 497 days)|raw_freq=100.00 Hz",
		NULL,
	};

	run_ts(8, ev, 6);
	expect_uptime_lines(want);
}

Test(uptime, a_new_connection_measures_again)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B }, { 1000, E_CLI, 0, TS_A + 1000 },
		{ 2000, E_SYN, 1, TS_A + 2000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:54:51] mod=uptime|cli=10.73.9.1/40000|srv=10.73.9.2/80|subj=cli|" UP_1000HZ,
		"[2024/01/12 22:54:52] mod=uptime|cli=10.73.9.1/40001|srv=10.73.9.2/80|subj=cli|" UP_1000HZ,
		NULL,
	};

	run_ts(9, ev, 4);
	expect_uptime_lines(want);
}

Test(uptime, server_sample_after_the_synack)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B }, { 3000, E_SRV, 0, TS_B + 3000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:55:13] mod=uptime|cli=10.73.11.1/40000|srv=10.73.11.2/80|subj=srv|"
		"uptime=23 days 3 hrs 33 min (modulo 49 days)|raw_freq=1000.33 Hz",
		NULL,
	};

	run_ts(11, ev, 3);
	expect_uptime_lines(want);
}

/* p0f 3.09b: "Allow bad reading on SYN, as this may be just an artifact
 * of IP sharing or OS change" - the flow keeps measuring. */
Test(uptime, bad_reading_on_a_syn_does_not_disable_the_flow)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, TS_A }, { 1, E_SYNACK, 0, TS_B }, { 2, E_CLI, 0, TS_A + 2 },
		{ 1000, E_SYN, 1, TS_A + 50000 }, { 1001, E_SYNACK, 1, TS_B },
		{ 2000, E_CLI, 1, TS_A + 51000 },
	};
	const char *const want[] = {
		"[2024/01/12 22:55:22] mod=uptime|cli=10.73.12.1/40001|srv=10.73.12.2/80|subj=cli|"
		"uptime=11 days 13 hrs 47 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};

	run_ts(12, ev, 6);
	expect_uptime_lines(want);
}

Test(uptime, tsval_wrapping_around_counts_forward)
{
	const struct ts_ev ev[] = {
		{ 0, E_SYN, 0, 0xFFFFFF00u }, { 1, E_SYNACK, 0, TS_B }, { 1000, E_CLI, 0, 0x2E8 },
	};
	const char *const want[] = {
		"[2024/01/12 22:55:31] mod=uptime|cli=10.73.13.1/40000|srv=10.73.13.2/80|subj=cli|"
		"uptime=0 days 0 hrs 0 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};

	run_ts(13, ev, 3);
	expect_uptime_lines(want);
}

/* The per-flow state lives in the worker's flow slot: a new flow in the
 * same slot (another serial) starts afresh, the same flow does not. */
Test(uptime, state_resets_when_a_new_flow_reuses_the_slot)
{
	const struct pkt s1 = { &S_L311_WS7, 61, 0, TS_A, false };
	uint8_t cli[16], srv[16];
	struct np_rec r;
	const char *got[4];

	tf_addr4(cli, 10, 76, 0, 1);
	tf_addr4(srv, 10, 76, 0, 2);
	r = head(NP_REC_SYN, true, cli, srv, 40000, 80, US(1000), 7);
	fill_tcp(&r, &s1);
	process(&r);
	r = head(NP_REC_TS, true, cli, srv, 40000, 80, US(1001), 7);
	r.ts1 = TS_A + 1000;
	process(&r);
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 4), 1));
	r.ts_us = US(1002);
	r.ts1 = TS_A + 2000;
	process(&r);
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 4), 1), "same flow: once");
	r.flow_serial = 7 + FLOW_SLOTS;	/* same slot, another flow */
	process(&r);
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 4), 2), "new flow in the slot");
	cr_assert(eq(u32, r.flow_slot, (7 + FLOW_SLOTS) % FLOW_SLOTS));
}

Test(uptime, samples_without_timestamp_or_reference_are_ignored)
{
	const struct pkt win = { &S_WIN7, 120, 0, 0, false };	/* no TS option */
	const struct pkt lin = { &S_L311_WS7, 61, 0, TS_A, false };
	uint8_t cli[16], srv[16], cli2[16];
	const char *got[4];

	tf_addr4(cli, 10, 76, 1, 1);
	tf_addr4(cli2, 10, 76, 1, 3);
	tf_addr4(srv, 10, 76, 1, 2);
	uint32_t f = syn(cli, srv, 40000, 80, US(1000), &win);
	ts_sample(cli, srv, 40000, 80, US(1001), f, true, TS_A);	/* last SYN had no TS */
	f = syn(cli2, srv, 40000, 80, US(1000), &lin);
	ts_sample(cli2, srv, 40000, 80, US(1001), f, true, 0);		/* sample without TS */
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 4), 0));
	ts_sample(cli2, srv, 40000, 80, US(1002), f, true, TS_A + 2000);
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 4), 1), "not disabled by those");
}

Test(uptime, sendsyn_and_unknown_workers_are_ignored)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, TS_A, false };
	uint8_t cli[16], srv[16];
	const char *got[4];
	struct np_rec r;

	tf_addr4(cli, 10, 76, 2, 1);
	tf_addr4(srv, 10, 76, 2, 2);
	uint32_t f = syn(cli, srv, 40000, 80, US(1000), &lin);
	r = head(NP_REC_TS, true, cli, srv, 40000, 80, US(1001), f);
	r.ts1 = TS_A + 1000;
	r.sendsyn = 1;
	process(&r);
	r.sendsyn = 0;
	r.worker = 1;		/* only worker 0 exists */
	process(&r);
	r.worker = 0;
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 4), 0));
	r.flow_slot = f % FLOW_SLOTS + FLOW_SLOTS;	/* a collector's: past the table, */
	process(&r);					/* its flow shares the slot */
	cr_assert(eq(u32, lines_of(NP_REC_UPTIME, 0, got, 4), 1));
}

/* ------------------------------------------------------------------ */
/* Host change and ip sharing from SYNs and SYN+ACKs (fp_tcp.c)       */
/* ------------------------------------------------------------------ */

/*
 * Scenario i: SYNs from 10.70.i.1 to 10.70.i.2:80 (client scenarios), or
 * SYN+ACKs from 10.70.i.250:80 to clients 10.70.i.k (server scenarios),
 * at the given seconds after `start`. p0f logged the lines given for
 * exactly these packets (-t 30,1000000 to keep hosts over the day-long
 * gaps that put timestamps out of play: MAX_NAT_TS).
 */
struct syn_ev {
	uint32_t at;		/* seconds after start */
	uint16_t port;		/* client port */
	struct pkt p;
};

static void
run_client(unsigned i, uint32_t start, const struct syn_ev *ev, unsigned n)
{
	uint8_t cli[16], srv[16];

	hosts_init(10000, 1000000);
	tf_addr4(cli, 10, 70, (uint8_t)i, 1);
	tf_addr4(srv, 10, 70, (uint8_t)i, 2);
	for (unsigned k = 0; k < n; k++)
		syn(cli, srv, ev[k].port, 80, US(start + ev[k].at), &ev[k].p);
}

static void
run_server(unsigned i, uint32_t start, const struct syn_ev *ev, unsigned n)
{
	const struct pkt client = { &S_L311_WS7, 61, 0, 1000, false };
	uint8_t cli[16], srv[16];

	hosts_init(10000, 1000000);
	tf_addr4(srv, 10, 70, (uint8_t)i, 250);
	for (unsigned k = 0; k < n; k++) {
		uint64_t t = US(start + ev[k].at);
		uint16_t port = (uint16_t)(40001 + k);

		tf_addr4(cli, 10, 70, (uint8_t)i, (uint8_t)(k + 1));
		uint32_t f = syn(cli, srv, port, 80, t, &client);
		synack(cli, srv, port, 80, t + 1000, f, &ev[k].p);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LINUX(ttl, mss, ts) { &S_L311_WS7, ttl, mss, ts, false }

Test(nat_tcp, other_os_name_is_os_diff_plus_8)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ 1, 40001, { &S_WIN7, 120, 0, 0, false } },	/* TTL change not counted */
	};
	const char *const want[] = {
		"[2023/11/26 12:00:01] mod=host change|cli=10.70.0.1/40001|srv=10.70.0.2/80|subj=cli|reason=os_diff|raw_hits=1,1,1,1",
		NULL,
	};

	run_client(0, 1701000000, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, other_label_same_name_is_os_diff_plus_2)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ DAY + 1, 40001, { &S_L31, 61, 0, 1000, false } },
	};
	const char *const want[] = {
		"[2023/11/27 12:01:42] mod=host change|cli=10.70.1.1/40001|srv=10.70.1.2/80|subj=cli|reason=os_diff|raw_hits=0,0,1,1",
		NULL,
	};

	run_client(1, 1701000101, ev, N(ev));
	expect_nat_lines(want);
}

/* Line +1 alone would be silent; with the MSS +1 it is a host change. */
Test(nat_tcp, other_line_same_label_plus_1_and_mss_plus_1)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ DAY + 1, 40001, { &S_L311_WS10, 61, 1400, 1000, false } },
	};
	const char *const want[] = {
		"[2023/11/28 12:03:23] mod=host change|cli=10.70.2.1/40001|srv=10.70.2.2/80|subj=cli|reason=os_diff mtu|raw_hits=0,0,1,1",
		NULL,
	};

	run_client(2, 1701086602, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, fuzziness_change_plus_1_and_port_drop_of_64_plus_1)
{
	const struct syn_ev ev[] = {
		{ 0, 40100, LINUX(61, 0, 1000) },
		{ DAY + 1, 40036, { &S_L311_WS7, 61, 0, 1000, true } },
	};
	const char *const want[] = {
		"[2023/11/29 12:05:04] mod=host change|cli=10.70.3.1/40036|srv=10.70.3.2/80|subj=cli|reason=port fuzzy|raw_hits=0,0,1,1",
		NULL,
	};

	run_client(3, 1701173103, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, port_drop_of_63_is_not_counted)
{
	const struct syn_ev ev[] = {
		{ 0, 40100, LINUX(61, 0, 1000) },
		{ DAY + 1, 40037, { &S_L311_WS7, 61, 0, 1000, true } },	/* fuzzy +1 only */
	};
	const char *const want[] = { NULL };

	run_client(4, 1701259604, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, ttl_change_plus_4)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ DAY + 1, 40001, LINUX(57, 0, 1000) },
	};
	const char *const want[] = {
		"[2023/12/01 12:08:26] mod=host change|cli=10.70.5.1/40001|srv=10.70.5.2/80|subj=cli|reason=ttl|raw_hits=0,1,1,1",
		NULL,
	};

	run_client(5, 1701346105, ev, N(ev));
	expect_nat_lines(want);
}

/* Distance over 5 and a change of at most 2: +1 only. */
Test(nat_tcp, small_ttl_change_of_a_distant_host_plus_1)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(57, 0, 1000) },
		{ DAY + 1, 40001, LINUX(56, 1400, 1000) },
	};
	const char *const want[] = {
		"[2023/12/02 12:10:07] mod=host change|cli=10.70.6.1/40001|srv=10.70.6.2/80|subj=cli|reason=ttl mtu|raw_hits=0,0,1,1",
		NULL,
	};

	run_client(6, 1701432606, ev, N(ev));
	expect_nat_lines(want);
}

/* Distance over 9: a change of 1 (or a drop) is not counted, +2 is. */
Test(nat_tcp, ttl_change_of_a_very_distant_host)
{
	const struct syn_ev ignored[] = {
		{ 0, 40000, LINUX(50, 0, 1000) },
		{ DAY + 1, 40001, { &S_L31, 49, 0, 1000, false } },
	};
	const struct syn_ev counted[] = {
		{ 0, 40000, LINUX(50, 0, 1000) },
		{ DAY + 1, 40001, { &S_L31, 52, 0, 1000, false } },
	};
	const char *const want7[] = {
		"[2023/12/03 12:11:48] mod=host change|cli=10.70.7.1/40001|srv=10.70.7.2/80|subj=cli|reason=os_diff|raw_hits=0,0,1,1",
		NULL,
	};
	const char *const want8[] = {
		"[2023/12/04 12:13:29] mod=host change|cli=10.70.8.1/40001|srv=10.70.8.2/80|subj=cli|reason=os_diff ttl|raw_hits=0,1,1,1",
		NULL,
	};

	run_client(7, 1701519107, ignored, N(ignored));
	expect_nat_lines(want7);
	run_client(8, 1701605608, counted, N(counted));
	expect_nat_lines(want8);
}

/* Within a day: more than 1500 ticks a second accuses (+4), anything
 * slower confirms and halves the score. */
Test(nat_tcp, timestamps_too_fast_plus_4)
{
	const struct syn_ev fast[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ 1, 40001, { &S_L31, 61, 0, 1000 + 1000000, false } },
	};
	const struct syn_ev just_over[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ 1, 40001, { &S_L31, 61, 1400, 2501, false } },
	};
	const char *const want9[] = {
		"[2023/12/04 12:15:10] mod=host change|cli=10.70.9.1/40001|srv=10.70.9.2/80|subj=cli|reason=os_diff tstamp|raw_hits=1,1,1,1",
		NULL,
	};
	const char *const want13[] = {
		"[2023/12/04 12:21:54] mod=host change|cli=10.70.13.1/40001|srv=10.70.13.2/80|subj=cli|reason=os_diff tstamp mtu|raw_hits=1,1,1,1",
		NULL,
	};

	run_client(9, 1701692109, fast, N(fast));
	expect_nat_lines(want9);
	run_client(13, 1701692513, just_over, N(just_over));
	expect_nat_lines(want13);
}

Test(nat_tcp, consistent_timestamps_halve_the_score)
{
	const struct syn_ev three[] = {		/* label +2, mss +1: 3 / 2 = 1, silent */
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ 1, 40001, { &S_L31, 61, 1400, 2000, false } },
	};
	const struct syn_ev four[] = {		/* and port +1: 4 / 2 = 2 */
		{ 0, 40100, LINUX(61, 0, 1000) },
		{ 1, 40000, { &S_L31, 61, 1400, 2000, false } },
	};
	const struct syn_ev at_1500_hz[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ 1, 40001, { &S_L31, 61, 1400, 2500, false } },
	};
	const char *const none[] = { NULL };
	const char *const want11[] = {
		"[2023/12/04 12:18:32] mod=host change|cli=10.70.11.1/40000|srv=10.70.11.2/80|subj=cli|reason=os_diff port mtu|raw_hits=0,0,1,1",
		NULL,
	};

	run_client(10, 1701692210, three, N(three));
	expect_nat_lines(none);
	run_client(11, 1701692311, four, N(four));
	expect_nat_lines(want11);
	run_client(12, 1701692412, at_1500_hz, N(at_1500_hz));
	expect_nat_lines(none);
}

Test(nat_tcp, unknown_signature_with_other_quirks_plus_2_and_x_known_plus_1)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ DAY + 1, 40001, { &S_UNK_URG, 61, 0, 1000, false } },
	};
	const char *const want[] = {
		"[2023/12/05 12:23:35] mod=host change|cli=10.70.14.1/40001|srv=10.70.14.2/80|subj=cli|reason=sig_diff x_known|raw_hits=0,1,1,1",
		NULL,
	};

	run_client(14, 1701692614, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, unknown_signature_with_other_layout_plus_1_and_x_known_plus_1)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ DAY + 1, 40001, { &S_UNK_SHORT, 61, 0, 0, false } },
	};
	const char *const want[] = {
		"[2023/12/06 12:25:16] mod=host change|cli=10.70.15.1/40001|srv=10.70.15.2/80|subj=cli|reason=sig_diff x_known|raw_hits=0,0,1,1",
		NULL,
	};

	run_client(15, 1701779115, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, two_unknown_signatures_alike_are_nothing)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, { &S_UNK_SHORT, 61, 0, 0, false } },
		{ DAY + 1, 40001, { &S_UNK_SHORT, 61, 1400, 0, false } },	/* mss +1 only */
	};
	const char *const want[] = { NULL };

	run_client(16, 1701865616, ev, N(ev));
	expect_nat_lines(want);
}

/* With no known previous SYN, only the OS on file is compared; the
 * unknown SYN in between does not replace it. */
Test(nat_tcp, os_on_file_survives_an_unknown_signature)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ DAY + 1, 40001, { &S_UNK_SHORT, 61, 0, 0, false } },
		{ 2 * DAY + 2, 40002, { &S_WIN7, 120, 0, 0, false } },
	};
	const char *const want[] = {
		"[2024/01/01 12:35:46] mod=host change|cli=10.70.21.1/40001|srv=10.70.21.2/80|subj=cli|reason=sig_diff x_known|raw_hits=0,0,1,1",
		"[2024/01/02 12:35:47] mod=host change|cli=10.70.21.1/40002|srv=10.70.21.2/80|subj=cli|reason=os_diff sig_diff x_known|raw_hits=1,1,2,2",
		NULL,
	};

	run_client(21, 1704026145, ev, N(ev));
	expect_nat_lines(want);
	cr_assert(eq(i32, host(10, 70, 21, 1)->last_name_id, NAME_WINDOWS));
}

/* SYN+ACKs: the name counts, the label, line, layout and known-ness do
 * not; quirks, TTL and MSS do. */
Test(nat_tcp, synack_label_change_is_nothing)
{
	const struct syn_ev ev[] = {
		{ 0, 0, { &S_SA_L3, 64, 0, 555, false } },
		{ DAY + 1, 0, { &S_SA_L26, 64, 0, 555, false } },
	};
	const char *const want[] = { NULL };

	run_server(23, 1704717553, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, synack_ttl_change_plus_4)
{
	const struct syn_ev ev[] = {
		{ 0, 0, { &S_SA_L3, 64, 0, 555, false } },
		{ DAY + 1, 0, { &S_SA_L3, 60, 0, 555, false } },
	};
	const char *const want[] = {
		"[2024/01/10 12:40:55] mod=host change|cli=10.70.24.2/40002|srv=10.70.24.250/80|subj=srv|reason=ttl|raw_hits=0,1,1,1",
		NULL,
	};

	run_server(24, 1704804054, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, synack_unknown_layout_is_nothing)
{
	const struct syn_ev ev[] = {
		{ 0, 0, { &S_SA_L3, 64, 0, 555, false } },
		{ DAY + 1, 0, { &S_SA_UNK_ODD, 64, 0, 0, false } },
	};
	const char *const want[] = { NULL };

	run_server(25, 1704890555, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, synack_unknown_quirks_plus_2_without_x_known)
{
	const struct syn_ev ev[] = {
		{ 0, 0, { &S_SA_L3, 64, 0, 555, false } },
		{ DAY + 1, 0, { &S_SA_UNK_URG, 64, 0, 555, false } },
	};
	const char *const want[] = {
		"[2024/01/12 12:44:17] mod=host change|cli=10.70.26.2/40002|srv=10.70.26.250/80|subj=srv|reason=sig_diff|raw_hits=0,0,1,1",
		NULL,
	};

	run_server(26, 1704977056, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_tcp, synack_consistent_timestamps_halve)
{
	const struct syn_ev ev[] = {
		{ 0, 0, { &S_SA_L3, 64, 0, 5000, false } },
		{ 1, 0, { &S_SA_L3, 60, 0, 6000, false } },
	};
	const char *const want[] = {
		"[2024/01/12 12:45:58] mod=host change|cli=10.70.27.2/40002|srv=10.70.27.250/80|subj=srv|reason=ttl|raw_hits=0,0,1,1",
		NULL,
	};

	run_server(27, 1705063557, ev, N(ev));
	expect_nat_lines(want);
}

/* ------------------------------------------------------------------ */
/* The score ring (p0f add_nat_score)                                 */
/* ------------------------------------------------------------------ */

/* Three entries of 6 or more: ip sharing, then the ring starts over. */
Test(nat_ring, three_scores_of_8_are_ip_sharing_then_reset)
{
	const struct syn_ev ev[] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ 1, 40001, { &S_WIN7, 120, 0, 0, false } },
		{ 2, 40002, LINUX(61, 0, 1000) },
		{ 3, 40003, { &S_WIN7, 120, 0, 0, false } },
		{ 4, 40004, LINUX(61, 0, 1000) },
	};
	const char *const want[] = {
		"[2023/12/07 12:28:38] mod=host change|cli=10.70.17.1/40001|srv=10.70.17.2/80|subj=cli|reason=os_diff|raw_hits=1,1,1,1",
		"[2023/12/07 12:28:39] mod=host change|cli=10.70.17.1/40002|srv=10.70.17.2/80|subj=cli|reason=os_diff|raw_hits=2,2,2,2",
		"[2023/12/07 12:28:40] mod=ip sharing|cli=10.70.17.1/40003|srv=10.70.17.2/80|subj=cli|reason=os_diff|raw_hits=3,3,3,3",
		"[2023/12/07 12:28:41] mod=host change|cli=10.70.17.1/40004|srv=10.70.17.2/80|subj=cli|reason=os_diff|raw_hits=1,1,1,1",
		NULL,
	};

	run_client(17, 1701952117, ev, N(ev));
	expect_nat_lines(want);
	const struct np_host *h = host(10, 70, 17, 1);
	cr_assert(eq(u32, h->last_nat, 1701952117 + 3));
	cr_assert(eq(u32, h->last_chg, 1701952117 + 4));
}

/* Five entries of 3 or more (TTL +4 each time). */
Test(nat_ring, five_scores_of_4_are_ip_sharing)
{
	struct syn_ev ev[7];
	const char *const want[] = {
		"[2023/12/08 12:30:22] mod=host change|cli=10.70.18.1/40001|srv=10.70.18.2/80|subj=cli|reason=ttl|raw_hits=0,1,1,1",
		"[2023/12/09 12:30:23] mod=host change|cli=10.70.18.1/40002|srv=10.70.18.2/80|subj=cli|reason=ttl|raw_hits=0,2,2,2",
		"[2023/12/10 12:30:24] mod=host change|cli=10.70.18.1/40003|srv=10.70.18.2/80|subj=cli|reason=ttl|raw_hits=0,3,3,3",
		"[2023/12/11 12:30:25] mod=host change|cli=10.70.18.1/40004|srv=10.70.18.2/80|subj=cli|reason=ttl|raw_hits=0,4,4,4",
		"[2023/12/12 12:30:26] mod=ip sharing|cli=10.70.18.1/40005|srv=10.70.18.2/80|subj=cli|reason=ttl|raw_hits=0,5,5,5",
		"[2023/12/13 12:30:27] mod=host change|cli=10.70.18.1/40006|srv=10.70.18.2/80|subj=cli|reason=ttl|raw_hits=0,1,1,1",
		NULL,
	};

	for (unsigned k = 0; k < 7; k++)
		ev[k] = (struct syn_ev){ (DAY + 1) * k, (uint16_t)(40000 + k),
					 LINUX(k % 2 ? 57 : 61, 0, 1000) };
	run_client(18, 1701952221, ev, 7);
	expect_nat_lines(want);
}

/* Seven entries of 2 or more (label flips). */
Test(nat_ring, seven_scores_of_2_are_ip_sharing)
{
	struct syn_ev ev[9];
	const char *const want[] = {
		"[2023/12/14 12:32:08] mod=host change|cli=10.70.19.1/40001|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,1,1",
		"[2023/12/15 12:32:09] mod=host change|cli=10.70.19.1/40002|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,2,2",
		"[2023/12/16 12:32:10] mod=host change|cli=10.70.19.1/40003|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,3,3",
		"[2023/12/17 12:32:11] mod=host change|cli=10.70.19.1/40004|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,4,4",
		"[2023/12/18 12:32:12] mod=host change|cli=10.70.19.1/40005|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,5,5",
		"[2023/12/19 12:32:13] mod=host change|cli=10.70.19.1/40006|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,6,6",
		"[2023/12/20 12:32:14] mod=ip sharing|cli=10.70.19.1/40007|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,7,7",
		"[2023/12/21 12:32:15] mod=host change|cli=10.70.19.1/40008|srv=10.70.19.2/80|subj=cli|reason=os_diff|raw_hits=0,0,1,1",
		NULL,
	};

	for (unsigned k = 0; k < 9; k++)
		ev[k] = (struct syn_ev){ (DAY + 1) * k, (uint16_t)(40000 + k),
					 { k % 2 ? &S_L31 : &S_L311_WS7, 61, 0, 1000, false } };
	run_client(19, 1702470727, ev, 9);
	expect_nat_lines(want);
}

/* Scores of 1 are never a host change, but nine of them are ip sharing. */
Test(nat_ring, nine_scores_of_1_are_ip_sharing)
{
	struct syn_ev ev[11];
	const char *const want[] = {
		"[2023/12/30 12:34:04] mod=ip sharing|cli=10.70.20.1/40009|srv=10.70.20.2/80|subj=cli|reason=os_diff|raw_hits=0,0,0,9",
		NULL,
	};

	for (unsigned k = 0; k < 11; k++)
		ev[k] = (struct syn_ev){ (DAY + 1) * k, (uint16_t)(40000 + k),
					 { k % 2 ? &S_L311_WS10 : &S_L311_WS7, 61, 0, 1000, false } };
	run_client(20, 1703162035, ev, 11);
	expect_nat_lines(want);
}

/* ip sharing prints every reason since the last reset (a silent +1 for
 * the line included); host change only the current one. */
Test(nat_ring, ip_sharing_reasons_accumulate_since_the_reset)
{
	struct syn_ev ev[7] = {
		{ 0, 40000, LINUX(61, 0, 1000) },
		{ DAY + 1, 40001, { &S_L311_WS10, 61, 0, 1000, false } },
	};
	const char *const want[] = {
		"[2024/01/04 12:37:29] mod=host change|cli=10.70.22.1/40002|srv=10.70.22.2/80|subj=cli|reason=ttl|raw_hits=0,1,1,2",
		"[2024/01/05 12:37:30] mod=host change|cli=10.70.22.1/40003|srv=10.70.22.2/80|subj=cli|reason=ttl|raw_hits=0,2,2,3",
		"[2024/01/06 12:37:31] mod=host change|cli=10.70.22.1/40004|srv=10.70.22.2/80|subj=cli|reason=ttl|raw_hits=0,3,3,4",
		"[2024/01/07 12:37:32] mod=host change|cli=10.70.22.1/40005|srv=10.70.22.2/80|subj=cli|reason=ttl|raw_hits=0,4,4,5",
		"[2024/01/08 12:37:33] mod=ip sharing|cli=10.70.22.1/40006|srv=10.70.22.2/80|subj=cli|reason=os_diff ttl mtu|raw_hits=0,5,5,6",
		NULL,
	};

	for (unsigned k = 2; k < 6; k++)
		ev[k] = (struct syn_ev){ (DAY + 1) * k, (uint16_t)(40000 + k),
					 { &S_L311_WS10, k % 2 ? 61 : 57, 0, 1000, false } };
	ev[6] = (struct syn_ev){ (DAY + 1) * 6, 40006, { &S_L311_WS10, 57, 1400, 1000, false } };
	run_client(22, 1704199047, ev, 7);
	expect_nat_lines(want);
}

/* Zero scores take ring slots too (p0f shifts before "if (!score)"): of
 * 32 slots, the first SYN (no reference: 0), the 8, 30 zeros and the new
 * 8 still hold both eights; one zero more pushes the first out. */
Test(nat_ring, zero_scores_push_old_entries_out)
{
	for (unsigned zeros = 30; zeros <= 31; zeros++) {
		struct syn_ev ev[40];
		unsigned n = 0;
		const char *got[8];

		ev[n++] = (struct syn_ev){ 0, 40000, LINUX(61, 0, 1000) };
		ev[n++] = (struct syn_ev){ 1, 40001, { &S_WIN7, 120, 0, 0, false } };	/* 8 */
		for (unsigned k = 0; k < zeros; k++)	/* the same Windows SYN: 0 */
			ev[n++] = (struct syn_ev){ 2 + k, (uint16_t)(40002 + k),
						   { &S_WIN7, 120, 0, 0, false } };
		ev[n++] = (struct syn_ev){ 100, 41000, LINUX(61, 0, 1000) };	/* 8 */
		run_client(40, 1710000000, ev, n);
		cr_assert(eq(u32, nat_lines(got, 8), 2));
		cr_assert(strstr(got[1], zeros == 30 ? "raw_hits=2,2,2,2" : "raw_hits=1,1,1,1") != NULL,
			  "%u zeros: %s", zeros, got[1]);
	}
}

/* Client and server sides of a host keep separate rings. */
Test(nat_ring, client_and_server_rings_are_separate)
{
	uint8_t a[16], b[16], c[16];
	const struct pkt lin = LINUX(61, 0, 1000), win = { &S_WIN7, 120, 0, 0, false };
	const struct pkt sa_lin = { &S_SA_L3, 64, 0, 555, false };
	const struct pkt sa_far = { &S_SA_L3, 60, 0, 555, false };
	const char *got[8];

	tf_addr4(a, 10, 77, 0, 1);	/* a client, and a server for c */
	tf_addr4(b, 10, 77, 0, 2);
	tf_addr4(c, 10, 77, 0, 3);
	syn(a, b, 40000, 80, US(1000), &lin);
	syn(a, b, 40001, 80, US(1001), &win);	/* a as client: 8 */
	syn(a, b, 40002, 80, US(1002), &lin);	/* 8 */
	uint32_t f = syn(c, a, 40000, 80, US(1003), &lin);
	synack(c, a, 40000, 80, US(1003), f, &sa_lin);
	f = syn(c, a, 40001, 80, US(DAY + 2000), &lin);
	synack(c, a, 40001, 80, US(DAY + 2000), f, &sa_far);	/* a as server: ttl 4 */
	cr_assert(eq(u32, nat_lines(got, 8), 3));
	cr_assert(strstr(got[2], "|subj=srv|reason=ttl|raw_hits=0,1,1,1") != NULL, "%s", got[2]);
}

/* ------------------------------------------------------------------ */
/* Host change from HTTP (fp_http.c score_nat)                        */
/* ------------------------------------------------------------------ */

/* An HTTP signature as fingerprint_http() would record a match. */
struct app {
	int32_t class_id;	/* -1: an application */
	uint32_t name_id, label_id;
	const char *name, *flavor;
	uint32_t sys[4];
	uint8_t sys_cnt;
};

static const struct app A_APACHE2 = { -1, NAME_APACHE, 30, "Apache", "2.x",
				      { CLASS_UNIX | NP_SYS_CLASS, NAME_WINDOWS }, 2 };
static const struct app A_APACHE1 = { -1, NAME_APACHE, 31, "Apache", "1.x",
				      { CLASS_UNIX | NP_SYS_CLASS, NAME_WINDOWS }, 2 };
static const struct app A_NGINX = { -1, NAME_NGINX, 32, "nginx", "1.x",
				    { CLASS_UNIX | NP_SYS_CLASS }, 1 };
static const struct app A_IIS = { -1, NAME_IIS, 33, "IIS", "7.x", { NAME_WINDOWS }, 1 };
static const struct app A_MSIE = { -1, NAME_FIREFOX, 34, "MSIE", "8 or newer", { NAME_WINDOWS }, 1 };
static const struct app A_CURL = { -1, NAME_FIREFOX + 10, 35, "curl", NULL,
				   { CLASS_UNIX | NP_SYS_CLASS, NAME_WINDOWS }, 2 };
/* p0f.fp has no HTTP OS signature; these are made up. */
static const struct app O_LINUX = { CLASS_UNIX, NAME_LINUX, 40, "Linux", "http", { 0 }, 0 };
static const struct app O_LINUX2 = { CLASS_UNIX, NAME_LINUX, 41, "Linux", "http2", { 0 }, 0 };
static const struct app O_WINDOWS = { CLASS_WIN, NAME_WINDOWS, 42, "Windows", "http", { 0 }, 0 };

struct http {
	const struct app *app;	/* NULL: no match */
	bool dishonest, anonymous, via;
	const char *lang;	/* the first three Accept-Language bytes */
	const char *date;	/* response Date value */
	int32_t ua_os;		/* what ua_os names for a plausible UA, -1 none */
};

static void
http_rec(bool to_srv, const uint8_t *cli, const uint8_t *srv, uint16_t cport, uint16_t sport,
	 uint64_t ts_us, uint32_t serial, const struct http *h)
{
	struct np_rec r = head(to_srv ? NP_REC_HTTP_REQUEST : NP_REC_HTTP_RESPONSE, to_srv, cli,
				  srv, cport, sport, ts_us, serial);
	struct np_rec_http *x = &r.http;

	memset(x, 0, sizeof(*x));
	x->ua_os = h->ua_os;
	if (h->app) {
		x->flags |= NP_RHTTP_MATCHED;
		x->m.class_id = h->app->class_id;
		x->m.name_id = h->app->name_id;
		x->m.label_id = h->app->label_id;
		r.names.label = label_text(h->app->name, h->app->flavor);
		r.names.name = h->app->name;
		r.names.flavor = h->app->flavor ? h->app->flavor : "";
		r.names.sys = h->app->sys;
		r.names.sys_cnt = h->app->sys_cnt;
	}
	x->flags |= (h->dishonest ? NP_RHTTP_DISHONEST : 0) | (h->anonymous ? NP_RHTTP_ANONYMOUS : 0) |
		    (h->via ? NP_RHTTP_VIA : 0);
	if (h->lang) {	/* three bytes, no NUL when all are set */
		x->lang[0] = h->lang[0];
		x->lang[1] = h->lang[0] ? h->lang[1] : 0;
		x->lang[2] = x->lang[1] ? h->lang[2] : 0;
	}
	if (h->date)
		snprintf(x->date, sizeof(x->date), "%s", h->date);
	np_hosts_process(&g_hs, &r, "raw_sig", collect, NULL);
}

/*
 * Server scenario n: client 10.74.n.(k+1), port 40001 + k, talks to
 * 10.74.n.250 (a Linux SYN+ACK) at `at` s, sends an anonymous unknown
 * request, gets the response described. p0f logged the lines given for
 * exactly these exchanges (scenario n at 1705200000 + 100 s * n).
 */
struct resp_ev {
	uint32_t at;
	uint16_t port;
	struct http resp;
};

static void
run_responses(unsigned n, const struct resp_ev *ev, unsigned cnt)
{
	const struct pkt client = { &S_L311_WS7, 61, 0, 12345, false };
	const struct pkt server = { &S_SA_L3, 64, 0, 555, false };
	const struct http request = { NULL, false, true, false, NULL, NULL, -1 };
	uint64_t start = US(1705200000 + 100 * n);
	uint8_t cli[16], srv[16];

	tf_addr4(srv, 10, 74, (uint8_t)n, 250);
	for (unsigned k = 0; k < cnt; k++) {
		uint64_t t = start + US(ev[k].at);
		uint16_t port = (uint16_t)(40001 + k);

		tf_addr4(cli, 10, 74, (uint8_t)n, (uint8_t)(k + 1));
		uint32_t f = syn(cli, srv, port, ev[k].port, t, &client);
		synack(cli, srv, port, ev[k].port, t + 1000, f, &server);
		http_rec(true, cli, srv, port, ev[k].port, t + 3000, f, &request);
		http_rec(false, cli, srv, port, ev[k].port, t + 4000, f, &ev[k].resp);
	}
}

#define DATE0 "Tue, 14 Nov 2023 22:13:20 GMT"
#define RESP(app, date) { app, false, false, false, NULL, date, -1 }

Test(nat_http, server_app_name_change_plus_8)
{
	const struct resp_ev ev[] = {
		{ 0, 80, RESP(&A_APACHE2, DATE0) }, { 5, 80, RESP(&A_NGINX, DATE0) },
	};
	const char *const want[] = {
		"[2024/01/14 02:40:05] mod=host change|cli=10.74.0.2/40002|srv=10.74.0.250/80|subj=srv|reason=srv_sig_lb|raw_hits=1,1,1,1",
		NULL,
	};

	run_responses(0, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_http, server_app_label_change_plus_2)
{
	const struct resp_ev ev[] = {
		{ 0, 80, RESP(&A_APACHE2, DATE0) }, { 5, 80, RESP(&A_APACHE1, DATE0) },
	};
	const char *const want[] = {
		"[2024/01/14 02:41:45] mod=host change|cli=10.74.1.2/40002|srv=10.74.1.250/80|subj=srv|reason=srv_sig_lb|raw_hits=0,0,1,1",
		NULL,
	};

	run_responses(1, ev, N(ev));
	expect_nat_lines(want);
}

/* Only the signature last seen on the same port is compared: 80, then
 * 8080, then 80 again is never a change. */
Test(nat_http, server_signature_of_another_port_is_not_compared)
{
	const struct resp_ev ev[] = {
		{ 0, 80, RESP(&A_APACHE2, DATE0) }, { 5, 8080, RESP(&A_NGINX, DATE0) },
		{ 10, 80, RESP(&A_APACHE2, DATE0) },
	};
	const char *const want[] = { NULL };

	run_responses(2, ev, N(ev));
	expect_nat_lines(want);
	cr_assert(eq(u16, host(10, 74, 2, 250)->http_resp_port, 80));
}

Test(nat_http, server_known_to_unknown_plus_4_not_the_reverse)
{
	const struct resp_ev down[] = {
		{ 0, 80, RESP(&A_APACHE2, DATE0) }, { 5, 80, RESP(NULL, NULL) },
	};
	const struct resp_ev up[] = {
		{ 0, 80, RESP(NULL, NULL) }, { 5, 80, RESP(&A_APACHE2, DATE0) },
	};
	const char *const want3[] = {
		"[2024/01/14 02:45:05] mod=host change|cli=10.74.3.2/40002|srv=10.74.3.250/80|subj=srv|reason=x_known|raw_hits=0,1,1,1",
		NULL,
	};
	const char *const none[] = { NULL };

	run_responses(3, down, N(down));
	expect_nat_lines(want3);
	hosts_init(10000, 120);
	run_responses(4, up, N(up));
	expect_nat_lines(none);
}

/* IIS is "sys = Windows"; the server's SYN+ACK said Linux. */
Test(nat_http, app_not_in_its_sys_list_is_app_vs_os)
{
	const struct resp_ev ev[] = { { 0, 80, RESP(&A_IIS, DATE0) } };
	const char *const want[] = {
		"[2024/01/14 02:48:20] mod=host change|cli=10.74.5.1/40001|srv=10.74.5.250/80|subj=srv|reason=app_vs_os|raw_hits=0,1,1,1",
		NULL,
	};

	run_responses(5, ev, N(ev));
	expect_nat_lines(want);
}

Test(nat_http, via_in_a_response_plus_8)
{
	const struct resp_ev ev[] = { { 0, 80, { NULL, false, false, true, NULL, NULL, -1 } } };
	const char *const want[] = {
		"[2024/01/14 02:50:00] mod=host change|cli=10.74.6.1/40001|srv=10.74.6.250/80|subj=srv|reason=via|raw_hits=1,1,1,1",
		NULL,
	};

	run_responses(6, ev, N(ev));
	expect_nat_lines(want);
}

/* Date may go back 10 s and ahead by the time between the responses
 * plus 10 s (5 s apart here); p0f flagged the 11-s steps only. */
Test(nat_http, date_jump_outside_minus_10_to_recv_diff_plus_10_plus_4)
{
	static const struct {
		unsigned n;
		const char *second;
		const char *line;
	} rows[] = {
		{ 7, "Tue, 14 Nov 2023 22:13:10 GMT", NULL },
		{ 8, "Tue, 14 Nov 2023 22:13:09 GMT",
		  "[2024/01/14 02:53:25] mod=host change|cli=10.74.8.2/40002|srv=10.74.8.250/80|subj=srv|reason=date|raw_hits=0,1,1,1" },
		{ 9, "Tue, 14 Nov 2023 22:13:35 GMT", NULL },
		{ 10, "Tue, 14 Nov 2023 22:13:36 GMT",
		  "[2024/01/14 02:56:45] mod=host change|cli=10.74.10.2/40002|srv=10.74.10.250/80|subj=srv|reason=date|raw_hits=0,1,1,1" },
		{ 11, "yesterday", NULL },
	};

	for (unsigned i = 0; i < N(rows); i++) {
		const struct resp_ev ev[] = {
			{ 0, 80, RESP(NULL, DATE0) }, { 5, 80, RESP(NULL, rows[i].second) },
		};
		const char *const want[] = { rows[i].line, NULL };

		hosts_init(10000, 120);
		run_responses(rows[i].n, ev, N(ev));
		expect_nat_lines(want);
	}
}

Test(nat_http, date_needs_a_previous_date)
{
	const struct resp_ev ev[] = { { 0, 80, RESP(NULL, NULL) }, { 5, 80, RESP(NULL, DATE0) } };
	const char *const none[] = { NULL };

	run_responses(12, ev, N(ev));
	expect_nat_lines(none);
}

Test(nat_http, repeated_server_name_changes_are_ip_sharing)
{
	const struct resp_ev ev[] = {
		{ 0, 80, RESP(&A_APACHE2, DATE0) }, { 5, 80, RESP(&A_NGINX, DATE0) },
		{ 10, 80, RESP(&A_APACHE2, DATE0) }, { 15, 80, RESP(&A_NGINX, DATE0) },
	};
	const char *const want[] = {
		"[2024/01/14 03:01:45] mod=host change|cli=10.74.13.2/40002|srv=10.74.13.250/80|subj=srv|reason=srv_sig_lb|raw_hits=1,1,1,1",
		"[2024/01/14 03:01:50] mod=host change|cli=10.74.13.3/40003|srv=10.74.13.250/80|subj=srv|reason=srv_sig_lb|raw_hits=2,2,2,2",
		"[2024/01/14 03:01:55] mod=ip sharing|cli=10.74.13.4/40004|srv=10.74.13.250/80|subj=srv|reason=srv_sig_lb|raw_hits=3,3,3,3",
		NULL,
	};

	run_responses(13, ev, N(ev));
	expect_nat_lines(want);
}

/* One request scoring twice, as p0f logged for test_http.c's MSIE 8
 * exchange from a Linux client: verify_tool_class() adds its own ring
 * entry (app_vs_os), then the User-Agent names Windows (ua_vs_os). */
Test(nat_http, app_vs_os_and_ua_vs_os_are_two_entries)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 12345, false };
	const struct http msie = { &A_MSIE, false, false, false, "pl", NULL, NAME_WINDOWS };
	const char *const want[] = {
		"[2023/11/21 20:53:40] mod=host change|cli=10.60.2.1/41002|srv=10.60.2.2/80|subj=cli|reason=app_vs_os|raw_hits=0,1,1,1",
		"[2023/11/21 20:53:40] mod=host change|cli=10.60.2.1/41002|srv=10.60.2.2/80|subj=cli|reason=ua_vs_os|raw_hits=0,2,2,2",
		NULL,
	};
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 60, 2, 1);
	tf_addr4(srv, 10, 60, 2, 2);
	uint32_t f = syn(cli, srv, 41002, 80, US(1700600020), &lin);
	http_rec(true, cli, srv, 41002, 80, US(1700600020) + 3000, f, &msie);
	expect_nat_lines(want);
	const struct np_host *h = host(10, 60, 2, 1);
	cr_assert(eq(u8, h->bad_sw, 1));
	assert_str(h->http_name, "MSIE");
	assert_str(h->http_flavor, "8 or newer");
	assert_str(h->language, "Polish");
}

/* A tool on an OS its sys list names scores 0 (a ring slot, no line);
 * on a host with no OS yet it is not checked at all. */
Test(nat_http, app_in_its_sys_list_or_on_an_unknown_host_is_nothing)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 12345, false };
	const struct pkt unk = { &S_UNK_SHORT, 61, 0, 0, false };
	const struct http curl = { &A_CURL, false, false, false, NULL, NULL, -1 };
	const struct http msie = { &A_MSIE, false, false, false, NULL, NULL, -1 };
	uint8_t cli[16], cli2[16], srv[16];
	const char *got[4];

	tf_addr4(cli, 10, 78, 0, 1);
	tf_addr4(cli2, 10, 78, 0, 3);
	tf_addr4(srv, 10, 78, 0, 2);
	uint32_t f = syn(cli, srv, 40000, 80, US(1000), &lin);
	http_rec(true, cli, srv, 40000, 80, US(1001), f, &curl);	/* @unix: fine */
	f = syn(cli2, srv, 40000, 80, US(1000), &unk);
	http_rec(true, cli2, srv, 40000, 80, US(1001), f, &msie);	/* no OS on file */
	cr_assert(eq(u32, nat_lines(got, 4), 0));
	cr_assert(eq(i32, host(10, 78, 0, 3)->last_class_id, -1));
}

/* ua_vs_os: only for a matched, honest, non-anonymous application; the
 * first mismatch sets bad_sw to 1, a match resets it to 0. */
Test(nat_http, ua_os_sets_and_clears_bad_sw)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 12345, false };
	const struct http ua_win = { &A_CURL, false, false, false, NULL, NULL, NAME_WINDOWS };
	const struct http ua_linux = { &A_CURL, false, false, false, NULL, NULL, NAME_LINUX };
	const struct http dishonest = { &A_CURL, true, false, false, NULL, NULL, NAME_WINDOWS };
	const struct http anonymous = { &A_CURL, false, true, false, NULL, NULL, NAME_WINDOWS };
	uint8_t cli[16], srv[16];
	const char *got[8];

	tf_addr4(cli, 10, 78, 1, 1);
	tf_addr4(srv, 10, 78, 1, 2);
	uint32_t f = syn(cli, srv, 40000, 80, US(1000), &lin);
	http_rec(true, cli, srv, 40000, 80, US(1001), f, &dishonest);
	http_rec(true, cli, srv, 40000, 80, US(1002), f, &anonymous);
	cr_assert(eq(u32, nat_lines(got, 8), 0), "dishonest or anonymous: not checked");
	cr_assert(eq(u8, host(10, 78, 1, 1)->bad_sw, 2), "a dishonest app sets 2");
	http_rec(true, cli, srv, 40000, 80, US(1003), f, &ua_linux);
	cr_assert(eq(u8, host(10, 78, 1, 1)->bad_sw, 0), "checks out: 0");
	http_rec(true, cli, srv, 40000, 80, US(1004), f, &ua_win);
	cr_assert(eq(u32, nat_lines(got, 8), 1));
	cr_assert(strstr(got[0], "|reason=ua_vs_os|") != NULL, "%s", got[0]);
	cr_assert(eq(u8, host(10, 78, 1, 1)->bad_sw, 1));
}

Test(nat_http, via_or_xff_in_a_request_plus_8)
{
	const struct http via = { NULL, false, true, true, NULL, NULL, -1 };
	uint8_t cli[16], srv[16];
	const char *got[4];

	tf_addr4(cli, 10, 78, 2, 1);
	tf_addr4(srv, 10, 78, 2, 2);
	http_rec(true, cli, srv, 40000, 80, US(1000), 1, &via);
	cr_assert(eq(u32, nat_lines(got, 4), 1));
	cr_assert(strstr(got[0], "|subj=cli|reason=via|raw_hits=1,1,1,1") != NULL, "%s", got[0]);
}

/*
 * HTTP OS signatures (none in the shipped p0f.fp): a different name +8;
 * the same name, and p0f then compares the stored *name* id with the new
 * *label* id (+2 when they differ); a known OS over an unknown server
 * signature +4; and, unless a name change was already seen, an OS other
 * than the host's +4.
 */
Test(nat_http, os_signature_scoring)
{
	const struct http lin = { &O_LINUX, false, false, false, NULL, NULL, -1 };
	const struct http lin2 = { &O_LINUX2, false, false, false, NULL, NULL, -1 };
	const struct http win = { &O_WINDOWS, false, false, false, NULL, NULL, -1 };
	const struct http unknown = { NULL, false, false, false, NULL, NULL, -1 };
	uint8_t cli[16], srv[16];
	const char *got[8];

	tf_addr4(cli, 10, 78, 3, 1);
	tf_addr4(srv, 10, 78, 3, 2);
	http_rec(true, cli, srv, 40000, 80, US(1000), 1, &lin);		/* host had no OS: 4 */
	cr_assert(eq(u32, nat_lines(got, 8), 1));
	cr_assert(strstr(got[0], "reason=os_diff|raw_hits=0,1,1,1") != NULL, "%s", got[0]);
	http_rec(true, cli, srv, 40000, 80, US(1001), 1, &lin2);	/* name 1 != label 41: 2 */
	cr_assert(eq(u32, nat_lines(got, 8), 2));
	cr_assert(strstr(got[1], "reason=os_diff|raw_hits=0,1,2,2") != NULL, "%s", got[1]);
	http_rec(true, cli, srv, 40000, 80, US(1002), 1, &win);		/* 8, no +4 */
	cr_assert(eq(u32, nat_lines(got, 8), 3));
	cr_assert(strstr(got[2], "reason=os_diff|raw_hits=1,2,3,3") != NULL, "%s", got[2]);
	cr_assert(eq(i32, host(10, 78, 3, 1)->last_name_id, NAME_WINDOWS));

	http_rec(false, cli, srv, 40000, 80, US(1003), 1, &unknown);
	http_rec(false, cli, srv, 40000, 80, US(1004), 1, &win);	/* unknown -> known: 4+4 */
	cr_assert(eq(u32, nat_lines(got, 8), 4));
	cr_assert(strstr(got[3], "subj=srv|reason=os_diff x_known|raw_hits=1,1,1,1") != NULL, "%s",
		  got[3]);
}

/* p0f's "sic": with name id == label id the label check never fires. */
Test(nat_http, os_signature_label_check_compares_name_with_label)
{
	static const struct app same_ids = { CLASS_UNIX, 50, 50, "X", NULL, { 0 }, 0 };
	static const struct app same_ids2 = { CLASS_UNIX, 50, 51, "X", "2", { 0 }, 0 };
	const struct http a = { &same_ids, false, false, false, NULL, NULL, -1 };
	const struct http b = { &same_ids2, false, false, false, NULL, NULL, -1 };
	uint8_t cli[16], srv[16];
	const char *got[8];

	tf_addr4(cli, 10, 78, 4, 1);
	tf_addr4(srv, 10, 78, 4, 2);
	http_rec(true, cli, srv, 40000, 80, US(1000), 1, &a);	/* no OS on file: 4 */
	http_rec(true, cli, srv, 40000, 80, US(1001), 1, &a);	/* name 50 == label 50: 0 */
	cr_assert(eq(u32, nat_lines(got, 8), 1));
	http_rec(true, cli, srv, 40000, 80, US(1002), 1, &b);	/* name 50 != label 51: 2 */
	cr_assert(eq(u32, nat_lines(got, 8), 2));
	cr_assert(strstr(got[1], "reason=os_diff|raw_hits=0,1,2,2") != NULL, "%s", got[1]);
}

/* ------------------------------------------------------------------ */
/* The host table                                                      */
/* ------------------------------------------------------------------ */

Test(host_table, a_syn_creates_both_ends_with_a_connection_each)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 1000, false };
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 79, 0, 1);
	tf_addr4(srv, 10, 79, 0, 2);
	cr_assert(host(10, 79, 0, 1) == NULL);
	syn(cli, srv, 40000, 80, US(5000) + 999999, &lin);
	const struct np_host *c = host(10, 79, 0, 1), *s = host(10, 79, 0, 2);

	cr_assert(c != NULL && s != NULL);
	cr_assert(eq(u32, c->first_seen, 5000));
	cr_assert(eq(u32, c->last_seen, 5000));
	cr_assert(eq(u32, c->total_conn, 1));
	cr_assert(eq(u32, s->total_conn, 1));
	cr_assert(eq(u32, g_hs.t.count, 2));
	cr_assert(host(10, 79, 0, 3) == NULL);
}

/* IPv4 and IPv6 hosts with the same leading bytes are different hosts. */
Test(host_table, lookup_compares_version_and_address)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 1000, false };
	uint8_t a4[16], b4[16], a6[16];
	struct np_rec r;

	tf_addr4(a4, 32, 1, 13, 184);	/* 2001:db8:: begins with these bytes */
	tf_addr4(b4, 10, 79, 1, 2);
	tf_addr6(a6, 1);
	syn(a4, b4, 40000, 80, US(100), &lin);
	cr_assert(np_hosts_lookup(&g_hs, a6, 6) == NULL);
	r = head(NP_REC_SYN, true, a6, a6, 40000, 80, US(101), ++g_serial);
	r.ip_ver = 6;
	tf_addr6(r.srv, 2);
	fill_tcp(&r, &lin);
	process(&r);
	cr_assert(np_hosts_lookup(&g_hs, a6, 6) != NULL);
	cr_assert(np_hosts_lookup(&g_hs, a4, 4) != np_hosts_lookup(&g_hs, a6, 6));
	cr_assert(eq(u32, g_hs.t.count, 4));
}

/* p0f touches hosts (last_seen, age order) and counts connections only
 * when a SYN creates a flow; SYN+ACK, samples and HTTP do not. */
Test(host_table, only_syns_touch_and_count)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 1000, false };
	const struct pkt sa = { &S_SA_L3, 64, 0, 555, false };
	const struct http req = { NULL, false, true, false, NULL, NULL, -1 };
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 79, 2, 1);
	tf_addr4(srv, 10, 79, 2, 2);
	uint32_t f = syn(cli, srv, 40000, 80, US(100), &lin);
	synack(cli, srv, 40000, 80, US(200), f, &sa);
	ts_sample(cli, srv, 40000, 80, US(300), f, true, 5000);
	http_rec(true, cli, srv, 40000, 80, US(400), f, &req);
	cr_assert(eq(u32, host(10, 79, 2, 1)->last_seen, 100));
	cr_assert(eq(u32, host(10, 79, 2, 2)->last_seen, 100));
	cr_assert(eq(u32, host(10, 79, 2, 2)->total_conn, 1));
	syn(cli, srv, 40001, 80, US(500), &lin);
	cr_assert(eq(u32, host(10, 79, 2, 1)->last_seen, 500));
	cr_assert(eq(u32, host(10, 79, 2, 1)->first_seen, 100));
	cr_assert(eq(u32, host(10, 79, 2, 2)->total_conn, 2));
}

Test(host_table, sendsyn_probe_counts_a_connection_but_scores_nothing)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 1000, false };
	const struct pkt win = { &S_WIN7, 120, 0, 0, false };
	uint8_t cli[16], srv[16];
	struct np_rec r;
	const char *got[4];

	tf_addr4(cli, 10, 79, 3, 1);
	tf_addr4(srv, 10, 79, 3, 2);
	syn(cli, srv, 40000, 80, US(100), &lin);
	r = head(NP_REC_SENDSYN_PROBE, true, cli, srv, 40001, 80, US(101), ++g_serial);
	fill_tcp(&r, &win);
	r.tcp.flags &= (uint16_t)~(NP_RTCP_OS_SIG | NP_RTCP_HAS_MTU);	/* as tracker.c */
	r.sendsyn = 1;
	process(&r);
	cr_assert(eq(u32, host(10, 79, 3, 1)->total_conn, 2));
	cr_assert(eq(u32, nat_lines(got, 4), 0));
	assert_str(host(10, 79, 3, 1)->os_name, "Linux");
}

/* p0f keeps the distance in a u8 set to -1: 255 until the host's own SYN
 * or SYN+ACK; a random-TTL match does not set it. */
Test(host_table, distance_is_255_until_known)
{
	const struct pkt lin = { &S_L311_WS7, 55, 0, 1000, false };
	uint8_t cli[16], srv[16];
	struct np_rec r;

	tf_addr4(cli, 10, 79, 4, 1);
	tf_addr4(srv, 10, 79, 4, 2);
	uint32_t f = syn(cli, srv, 40000, 80, US(100), &lin);
	cr_assert(eq(u8, host(10, 79, 4, 1)->distance, 9));
	cr_assert(eq(u8, host(10, 79, 4, 2)->distance, 255));
	r = head(NP_REC_SYNACK, false, cli, srv, 40000, 80, US(101), f);
	fill_tcp(&r, &(struct pkt){ &S_SA_L3, 60, 0, 555, false });
	r.tcp.flags |= NP_RTCP_BAD_TTL;
	process(&r);
	cr_assert(eq(u8, host(10, 79, 4, 2)->distance, 255), "random TTL: unchanged");
	synack(cli, srv, 40000, 80, US(102), f, &(struct pkt){ &S_SA_L3, 62, 0, 555, false });
	cr_assert(eq(u8, host(10, 79, 4, 2)->distance, 2));
}

/* The API's 32-byte strings: strncpy semantics, no NUL when full. */
Test(host_table, os_name_and_flavor_are_32_byte_copies)
{
	static const struct sig long_names = { true, CLASS_UNIX, 60, 61, 601,
					       "NameOfExactlyThirtyTwoCharacter", "Flavor that is longer than 32 bytes",
					       64, Q_DF_ID, L_LINUX };
	const struct pkt p = { &long_names, 61, 0, 1000, false };
	const struct pkt lin = { &S_L311_WS7, 61, 0, 1000, false };
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 79, 5, 1);
	tf_addr4(srv, 10, 79, 5, 2);
	syn(cli, srv, 40000, 80, US(100), &p);
	const struct np_host *h = host(10, 79, 5, 1);

	cr_assert(eq(int, memcmp(h->os_name, "NameOfExactlyThirtyTwoCharacter", 31), 0));
	cr_assert(eq(int, memcmp(h->os_flavor, "Flavor that is longer than 32 by", 32), 0),
		  "32 bytes, no NUL");
	syn(cli, srv, 40001, 80, US(101), &lin);
	assert_str(h->os_name, "Linux");
	assert_str(h->os_flavor, "3.11 and newer");
	cr_assert(eq(int, h->os_flavor[31], 0), "the rest is zeroed");
}

Test(host_table, mtu_record_and_link_type)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 1000, false };
	uint8_t cli[16], srv[16];
	struct np_rec r;
	const char *got[4];

	tf_addr4(cli, 10, 79, 6, 1);
	tf_addr4(srv, 10, 79, 6, 2);
	r = head(NP_REC_SYN, true, cli, srv, 40000, 80, US(100), ++g_serial);
	fill_tcp(&r, &lin);
	r.names.link = "Ethernet or modem";
	process(&r);
	cr_assert(eq(u32, lines_of(NP_REC_MTU, 0, got, 4), 1));
	cr_assert(strstr(got[0], "|subj=cli|link=Ethernet or modem|raw_mtu=1500") != NULL, "%s",
		  got[0]);
	assert_str(host(10, 79, 6, 1)->link_type, "Ethernet or modem");
	cr_assert(eq(u16, host(10, 79, 6, 1)->mtu, 1500));
	r.ts_us = US(101);
	r.names.link = NULL;	/* an unknown MTU keeps the link type */
	r.tcp.mss = 1000;
	r.tcp.mtu = 1040;
	process(&r);
	assert_str(host(10, 79, 6, 1)->link_type, "Ethernet or modem");
	cr_assert(eq(u16, host(10, 79, 6, 1)->mtu, 1040));
	cr_assert(eq(u32, lines_of(NP_REC_MTU, 0, got, 4), 2));
	cr_assert(strstr(got[1], "|link=???|raw_mtu=1040") != NULL, "%s", got[1]);
}

Test(host_table, match_quality_fuzzy_1_generic_2)
{
	const struct pkt fuzzy = { &S_L311_WS7, 61, 0, 1000, true };
	uint8_t cli[16], srv[16];
	struct np_rec r;

	tf_addr4(cli, 10, 79, 7, 1);
	tf_addr4(srv, 10, 79, 7, 2);
	syn(cli, srv, 40000, 80, US(100), &fuzzy);
	cr_assert(eq(u8, host(10, 79, 7, 1)->last_quality, 1));
	r = head(NP_REC_SYN, true, cli, srv, 40001, 80, US(101), ++g_serial);
	fill_tcp(&r, &fuzzy);
	r.tcp.flags |= NP_RTCP_GENERIC;
	process(&r);
	cr_assert(eq(u8, host(10, 79, 7, 1)->last_quality, 3));
	r.tcp.flags &= (uint16_t)~NP_RTCP_FUZZY;
	process(&r);
	cr_assert(eq(u8, host(10, 79, 7, 1)->last_quality, 2));
}

/* A tool's SYN is checked against its sys list and changes nothing. */
Test(host_table, tool_syn_updates_nothing)
{
	const struct pkt lin = { &S_L311_WS7, 61, 0, 1000, false };
	uint8_t cli[16], srv[16];
	struct np_rec r;
	const char *got[4];

	tf_addr4(cli, 10, 79, 8, 1);
	tf_addr4(srv, 10, 79, 8, 2);
	syn(cli, srv, 40000, 80, US(100), &lin);
	r = head(NP_REC_SYN, true, cli, srv, 40001, 80, US(101), ++g_serial);
	fill_tcp(&r, &(struct pkt){ &S_WIN7, 120, 0, 0, false });
	r.tcp.flags = NP_RTCP_MATCHED | NP_RTCP_APP;	/* no OS_SIG: a tool */
	r.tcp.m.class_id = -1;
	r.names.sys = (const uint32_t[]){ NAME_WINDOWS };
	r.names.sys_cnt = 1;
	process(&r);
	cr_assert(eq(u32, nat_lines(got, 4), 1));
	cr_assert(strstr(got[0], "reason=app_vs_os|raw_hits=0,1,1,1") != NULL, "%s", got[0]);
	assert_str(host(10, 79, 8, 1)->os_name, "Linux");
	cr_assert(eq(u16, host(10, 79, 8, 1)->last_port, 40000));
}

/* The query API's uptime fields follow the last uptime record. */
Test(host_table, api_uptime_fields)
{
	const struct pkt p1 = { &S_L311_WS7, 61, 0, TS_A, false };
	const struct pkt p2 = { &S_L311_WS7, 61, 0, TS_A + 1000, false };
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 82, 0, 1);
	tf_addr4(srv, 10, 82, 0, 2);
	syn(cli, srv, 40000, 80, US(100), &p1);
	cr_assert(eq(i32, host(10, 82, 0, 1)->last_up_min, -1), "unknown");
	syn(cli, srv, 40001, 80, US(101), &p2);
	cr_assert(eq(i32, host(10, 82, 0, 1)->last_up_min, (int32_t)((TS_A + 1000) / 1000 / 60)));
	cr_assert(eq(u32, host(10, 82, 0, 1)->up_mod_days, 49));
}

/* Languages: p0f keeps the last one it could name. */
Test(host_table, language_is_the_last_named_one)
{
	const struct http de = { NULL, false, true, false, "de-", NULL, -1 };
	const struct http eng = { NULL, false, true, false, "eng", NULL, -1 };
	const struct http upper = { NULL, false, true, false, "EN", NULL, -1 };
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 82, 1, 1);
	tf_addr4(srv, 10, 82, 1, 2);
	http_rec(true, cli, srv, 40000, 80, US(100), 1, &de);
	assert_str(host(10, 82, 1, 1)->language, "German");
	http_rec(true, cli, srv, 40000, 80, US(101), 1, &eng);
	http_rec(true, cli, srv, 40000, 80, US(102), 1, &upper);
	assert_str(host(10, 82, 1, 1)->language, "German");
}

/* A dishonest server app: bad_sw 2, http_name kept for the API. */
Test(host_table, server_app_fields)
{
	const struct http apache = { &A_APACHE2, true, false, false, NULL, DATE0, -1 };
	uint8_t cli[16], srv[16];

	tf_addr4(cli, 10, 82, 2, 1);
	tf_addr4(srv, 10, 82, 2, 2);
	http_rec(false, cli, srv, 40000, 80, US(100), 1, &apache);
	const struct np_host *s = host(10, 82, 2, 2);

	assert_str(s->http_name, "Apache");
	assert_str(s->http_flavor, "2.x");
	cr_assert(eq(i32, s->http_name_id, NAME_APACHE));
	cr_assert(eq(u8, s->bad_sw, 2));
	cr_assert(eq(i32, s->last_class_id, -1), "an app is not an OS");
	cr_assert(eq(u32, s->http_resp.date, 1700000000));
}

/* ------------------------------------------------------------------ */
/* p0f parse_date(): strptime("%a, %d %b %Y %H:%M:%S %Z"), mktime()    */
/* ------------------------------------------------------------------ */

Test(http_date, valid_dates)
{
	cr_assert(eq(u32, np_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), 1700000000));
	cr_assert(eq(u32, np_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777));
	cr_assert(eq(u32, np_http_date("Tue, 14 Nov 2023 22:13:20"), 1700000000), "%%Z may be empty");
	cr_assert(eq(u32, np_http_date("tue, 14 NOV 2023 22:13:20 gmt"), 1700000000));
	cr_assert(eq(u32, np_http_date("Mon, 14 Nov 2023 22:13:20 GMT"), 1700000000),
		  "the weekday is not checked");
	cr_assert(eq(u32, np_http_date("Tue, 14 Nov 2023 22:13:20 GMT; junk"), 1700000000));
	cr_assert(eq(u32, np_http_date("Tue,  4 Nov 2023 22:13:20 GMT"), 1699136000));
}

Test(http_date, invalid_dates_are_0)
{
	static const char *const bad[] = {
		"", "yesterday", "Tue 14 Nov 2023 22:13:20 GMT", "Tue, 14 Nov 2023",
		"Tue, 32 Nov 2023 22:13:20 GMT", "Tue, 14 Foo 2023 22:13:20 GMT",
		"Tue, 14 Nov 2023 25:13:20 GMT", "2023-11-14T22:13:20Z", "Xyz, 14 Nov 2023 22:13:20 GMT",
	};

	for (unsigned i = 0; i < N(bad); i++)
		cr_assert(eq(u32, np_http_date(bad[i]), 0), "\"%s\"", bad[i]);
}

/* mktime(): the local time zone, as p0f. */
Test(http_date, local_time_zone)
{
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	cr_assert(eq(u32, np_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), 1700000000 - 3600));
	setenv("TZ", "UTC", 1);
	tzset();
}
