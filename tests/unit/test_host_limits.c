/* SPDX-License-Identifier: MIT */
/*
 * p0f's host table limit (-m conns,HOSTS) and host idle expiry
 * (-t conns,MINUTES), decided in the tracker next to the flows
 * (core/tracker.c) and carried out in the logger's hosts
 * (NP_REC_HOST_DROP), driven frame by frame through np_pipeline_frame().
 *
 * What p0f 3.09b does (process.c):
 *  - create_flow_from_syn() touches or creates the client, then the server
 *    host; create_host() calls nuke_hosts() when host_cnt > max_hosts.
 *  - nuke_hosts() first drops the oldest 1 + 10 % of the flows
 *    (nuke_flows), then walks ->older from the least recently touched host,
 *    which has none: at most that one host goes, and only if no flow uses it.
 *  - expire_cache() runs on every 50th packet, when the second has changed:
 *    flows older than conn_max_age first, then hosts idle longer than the
 *    limit, from the least recently touched on, skipping used ones and
 *    stopping at the first one that is not idle long enough.
 *
 * What p0f forgets with a host shows in its log: a host's next SYN is timed
 * against its last one (the uptime line) only if p0f still has the host.
 *
 * Lines marked "p0f" are p0f 3.09b's output (Debian's /usr/sbin/p0f,
 * "TZ=UTC p0f -r X.pcap -f db/p0f.fp -o X.log" with the -m / -t the test
 * names) for a pcap of exactly the frames the test feeds, in order, with
 * their timestamps: a throwaway build of this file wrote each frame given to
 * np_pipeline_frame() to the pcap as well. netprint printed the same log,
 * line for line, for every one of those pcaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "frames.h"
#include "hosts.h"
#include "tracker.h"
#include "pipeline.h"

#include <criterion/criterion.h>
#include "np_assert.h"

#define assert_str(actual, expected) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		cr_assert(a_ != NULL && e_ != NULL && !strcmp(a_, e_), \
			  "got\n\"%s\"\nwant\n\"%s\"", a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
	} while (0)

static struct np_db *g_db;

/* One run: the pipeline and every line it printed. */
#define LINES_MAX 256
#define LINE_LEN 512
static struct {
	struct np_pipeline p;
	bool started;
	uint8_t net;		/* hosts are 10.<net>.0.x */
	uint64_t t0_ms;		/* frame times are given in ms from t0 */
	uint32_t fill_seq;
	uint64_t tcp_frames;	/* sent so far: what p0f's packet count sees */
	unsigned n;
	uint8_t kind[LINES_MAX];
	char line[LINES_MAX][LINE_LEN];
} g;

static void
print_line(void *ctx, const struct np_rec *r, const char *tail)
{
	static char buf[NP_FORMAT_MAX];

	(void)ctx;
	cr_assert(lt(u32, g.n, LINES_MAX));
	np_format_log_line(buf, sizeof(buf), r, tail);
	buf[strcspn(buf, "\n")] = 0;
	cr_assert(lt(sz, strlen(buf), (size_t)LINE_LEN));
	memcpy(g.line[g.n], buf, strlen(buf) + 1);
	g.kind[g.n] = r->kind;
	g.n++;
}

static void
setup(void)
{
	char err[NP_DB_ERR_MAX];

	setenv("TZ", "UTC", 1);
	tzset();
	memset(&g, 0, sizeof(g));
	g_db = np_db_load(NP_TEST_FP, err, sizeof(err));
	cr_assert(g_db != NULL, "%s", err);
}

static void
teardown(void)
{
	if (g.started)
		np_pipeline_fini(&g.p);
	g.started = false;
	np_db_free(g_db);
	g_db = NULL;
}

TestSuite(host_limits, .init = setup, .fini = teardown);

/* p0f -m max_conn,max_hosts -t conn_max_age,host_idle_min, hosts 10.net.0.x,
 * times from t0 (s). */
static void
start(uint8_t net, uint64_t t0, uint32_t max_conn, uint32_t conn_max_age, uint32_t max_hosts,
      uint32_t host_idle_min)
{
	g.net = net;
	g.t0_ms = t0 * 1000;
	cr_assert(eq(int, np_pipeline_init(&g.p, g_db, 1, max_conn, conn_max_age, max_hosts,
					   host_idle_min, print_line, NULL), 0));
	g.started = true;
}

static void
host_addr(uint8_t x, uint8_t *a)
{
	tf_addr4(a, 10, g.net, 0, x);
}

/* One frame, ms after t0, as a worker and the logger handle it. */
static void
send(const struct tf *t, uint64_t ms)
{
	uint8_t b[TF_MAX];
	size_t n = tf_eth(t, b);
	uint64_t parsed = np_pipeline_parsed(&g.p);

	np_pipeline_frame(&g.p, b, (uint32_t)n, (g.t0_ms + ms) * 1000);
	cr_assert(eq(u64, np_pipeline_parsed(&g.p), parsed + 1), "the frame parses");
	g.tcp_frames++;
}

/* A UDP datagram (IPv4 protocol 17): p0f's filter "tcp or (vlan and tcp)"
 * never passes it, so it does not count toward the expiry interval. */
static void
send_udp(uint64_t ms)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	size_t n;
	uint64_t parsed = np_pipeline_parsed(&g.p);

	tf_addr4(t.src, 10, 255, 1, 1);
	tf_addr4(t.dst, 10, 255, 1, 2);
	tf_set_proto(&t, 17);
	t.opts.n = 0;
	n = tf_eth(&t, b);
	np_pipeline_frame(&g.p, b, (uint32_t)n, (g.t0_ms + ms) * 1000);
	cr_assert(eq(u64, np_pipeline_parsed(&g.p), parsed), "not a TCP packet");
}

/* A Linux SYN (p0f: "Linux 3.11 and newer") from 10.net.0.cli:port to
 * 10.net.0.srv:80 with TSval ts, sent; returned for the packets after it. */
static struct tf
syn(uint8_t cli, uint8_t srv, uint16_t port, uint64_t ms, uint32_t ts)
{
	struct tf t = tf_syn4();

	host_addr(cli, t.src);
	host_addr(srv, t.dst);
	t.ttl = 61;
	t.sport = port;
	t.dport = 80;
	t.seq = (uint32_t)cli << 24 | (uint32_t)port << 4;
	t.opts.n = 0;
	opt_linux(&t.opts, 1460, ts, 0, 7);
	send(&t, ms);
	return t;
}

/* The client resets the flow: p0f destroys it, its hosts are unused. */
static void
rst(const struct tf *s, uint64_t ms)
{
	struct tf t = *s;

	t.flags = TF_RST;
	t.seq = s->seq + 1;
	t.ack = 0;
	t.win = 0;
	t.opts.n = 0;
	send(&t, ms);
}

/* The server's Linux 3.x SYN+ACK (TSval 555). */
static void
synack(const struct tf *s, uint64_t ms)
{
	struct tf t = *s;

	memcpy(t.src, s->dst, 16);
	memcpy(t.dst, s->src, 16);
	t.sport = s->dport;
	t.dport = s->sport;
	t.seq = 0x20000000u;
	t.ack = s->seq + 1;
	t.flags = TF_SYN | TF_ACK;
	t.ttl = 64;
	t.ip_id = 0;
	t.win = 14600;
	t.opts.n = 0;
	opt_linux(&t.opts, 1460, 555, 12345, 7);
	send(&t, ms);
}

/* The client's first ACK, with TSval ts: a timestamp sample. */
static void
ack_ts(const struct tf *s, uint64_t ms, uint32_t ts)
{
	struct tf t = *s;

	t.flags = TF_ACK;
	t.seq = s->seq + 1;
	t.ack = 0x20000001u;
	t.opts.n = 0;
	opt_nop(&t.opts);
	opt_nop(&t.opts);
	opt_ts(&t.opts, ts, 555);
	send(&t, ms);
}

/* Pure ACKs of no flow (10.255.0.1 -> 10.255.0.2) until `count` TCP
 * frames have been sent: they only count toward p0f's expiry interval. */
static void
fill_to(uint64_t count, uint64_t ms)
{
	struct tf t = tf_syn4();

	tf_addr4(t.src, 10, 255, 0, 1);
	tf_addr4(t.dst, 10, 255, 0, 2);
	t.sport = 9;
	t.dport = 9;
	t.flags = TF_ACK;
	t.ack = 1;
	t.opts.n = 0;
	cr_assert(le(u64, g.tcp_frames, count));
	while (g.tcp_frames < count) {
		t.seq = ++g.fill_seq;
		send(&t, ms);
	}
}

/* Whether p0f would still have host 10.net.0.x: the logger's facts and the
 * tracker's reference must agree. */
static bool
known(uint8_t x)
{
	uint8_t a[16];

	host_addr(x, a);
	bool facts = np_hosts_lookup(&g.p.hosts, a, 4) != NULL;
	bool ref = np_addr_lookup(&g.p.obs.hosts, a, 4) != NULL;

	cr_assert(eq(int, facts, ref), "10.%u.0.%u: logger %d, tracker %d", g.net, x, facts, ref);
	return facts;
}

/* How many flows use host 10.net.0.x (p0f use_cnt). */
static uint32_t
uses(uint8_t x)
{
	uint8_t a[16];

	host_addr(x, a);
	const struct np_host_ref *h = (const struct np_host_ref *)np_addr_lookup(&g.p.obs.hosts, a, 4);

	cr_assert(h != NULL, "10.%u.0.%u is known", g.net, x);
	return h->use_cnt;
}

/* Both tables hold n hosts. */
static void
expect_host_count(uint32_t n)
{
	cr_assert(eq(u32, g.p.obs.hosts.count, n), "tracker: %u hosts, want %u",
		  g.p.obs.hosts.count, n);
	cr_assert(eq(u32, g.p.hosts.t.count, n), "logger: %u hosts, want %u", g.p.hosts.t.count, n);
}

/* The printed lines of one kind are exactly want (NULL-terminated), in
 * order, and all lines number `total`. */
static void
expect_lines(enum np_rec_kind kind, const char *const *want, unsigned total)
{
	unsigned k = 0;

	for (unsigned i = 0; i < g.n; i++) {
		if (g.kind[i] != kind)
			continue;
		cr_assert(want[k] != NULL, "an extra %s line: %s", np_rec_kind_names[kind],
			  g.line[i]);
		assert_str(g.line[i], want[k]);
		k++;
	}
	cr_assert(want[k] == NULL, "missing %s line: %s", np_rec_kind_names[kind], want[k]);
	cr_assert(eq(u32, g.n, total), "%u lines, p0f logged %u", g.n, total);
}

/* p0f's syn+ack line for the server 10.70.0.250 answering 10.70.0.<cli> */
#define SYNACK_70(cli) \
	"[2023/11/23 00:40:10] mod=syn+ack|cli=10.70.0." cli "|srv=10.70.0.250/80|subj=srv" \
	"|os=Linux 3.x|dist=0|params=none|raw_sig=4:64+0:0:1460:mss*10,7:mss,sok,ts,nop,ws:df:0"

/* A host's 1000 Hz clock: TSval at ms after t0. */
#define TSV(x, ms) ((uint32_t)(x) * 10000000u + (uint32_t)(ms))

/* ------------------------------------------------------------------ */
/* The host limit                                                     */
/* ------------------------------------------------------------------ */

/*
 * New hosts beyond max_hosts + 1 push the least recently touched one out,
 * when no flow uses it. Four clients SYN to one server and reset (no flow
 * left), client 1 SYNs again at 10 s (timed against its SYN at 1 s; client
 * 2 is now the least recently touched), client 5 arrives: 2 goes, 1 stays.
 * Then 1 and 2 SYN again: p0f timed 1's SYN against its last one; 2 was new
 * to it (its SYN at 2 s forgotten).
 * p0f: TZ=UTC /usr/sbin/p0f -r X.pcap -f db/p0f.fp -o X.log -m 1000,4
 */
Test(host_limits, pruning_takes_the_least_recently_touched_unused_host)
{
	const char *const uptime[] = {
		"[2023/11/21 21:06:50] mod=uptime|cli=10.80.0.1/40001|srv=10.80.0.250/80|subj=cli|uptime=0 days 2 hrs 46 min (modulo 49 days)|raw_freq=1000.00 Hz",
		"[2023/11/21 21:06:52] mod=uptime|cli=10.80.0.1/40002|srv=10.80.0.250/80|subj=cli|uptime=0 days 2 hrs 46 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};
	struct tf s;

	start(80, 1700600800, 1000, 30, 4, 120);
	for (uint8_t k = 1; k <= 4; k++) {	/* by age: 1, 2, 3, 4, 250 */
		s = syn(k, 250, 40000, k * 1000u, TSV(k, k * 1000u));
		rst(&s, k * 1000u + 1);
	}
	expect_host_count(5);	/* p0f lets it reach max_hosts + 1 */
	cr_assert(eq(u32, g.p.obs.flows.count, 0));
	s = syn(1, 250, 40001, 10000, TSV(1, 10000));	/* 1 touched: 2 is the oldest */
	rst(&s, 10001);
	cr_assert(eq(u64, g.p.obs.host_drops, 0));

	s = syn(5, 250, 40000, 11000, TSV(5, 11000));
	rst(&s, 11001);
	cr_assert(eq(u64, g.p.obs.host_drops, 1));
	cr_assert(not(known(2)));
	cr_assert(known(1));
	cr_assert(known(3));
	cr_assert(known(4));
	cr_assert(known(5));
	cr_assert(known(250));
	expect_host_count(5);

	syn(1, 250, 40002, 12000, TSV(1, 12000));	/* timed against 10 s */
	syn(2, 250, 40001, 12500, TSV(2, 12500));	/* new again: no uptime */
	expect_lines(NP_REC_UPTIME, uptime, 18);
}

/*
 * p0f 3.09b nuke_hosts() computes "1 + 10 %" but walks ->older from the
 * oldest host, which has none: one host goes per creation over the limit.
 * With "p0f -m 1000,20", 21 clients SYN to one server (22 hosts: the 21st
 * client prunes the flows of clients 1 to 3, then client 1 only), then
 * clients 2 and 3 SYN again one second later with 1000 Hz timestamps; p0f
 * logged both uptime lines, so both kept their last SYN (the lines first
 * recorded for the logger-only tests; this file's pcap gave them again).
 * p0f: TZ=UTC /usr/sbin/p0f -r X.pcap -f db/p0f.fp -o X.log -m 1000,20
 */
Test(host_limits, pruning_removes_one_host_at_a_time_like_p0f)
{
	const char *const uptime[] = {
		"[2023/11/20 17:06:41] mod=uptime|cli=10.90.0.2/45002|srv=10.90.0.250/80|subj=cli|uptime=0 days 0 hrs 0 min (modulo 49 days)|raw_freq=1000.00 Hz",
		"[2023/11/20 17:06:41] mod=uptime|cli=10.90.0.3/45003|srv=10.90.0.250/80|subj=cli|uptime=0 days 0 hrs 0 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};

	start(90, 1700500000, 1000, 30, 20, 120);
	for (uint8_t i = 1; i <= 20; i++)
		syn(i, 250, (uint16_t)(44000 + i), i, 1000);
	expect_host_count(21);
	cr_assert(eq(u64, g.p.obs.host_drops, 0));
	syn(21, 250, 44021, 21, 1000);
	cr_assert(eq(u64, g.p.obs.flows.stats.evicted, 3), "1 + 10 %% of 20 flows");
	cr_assert(eq(u64, g.p.obs.host_drops, 1), "p0f destroyed one host, not %u",
		  (unsigned)g.p.obs.host_drops);
	cr_assert(not(known(1)));
	cr_assert(known(2));
	cr_assert(known(3));
	cr_assert(eq(u32, uses(2), 0));
	expect_host_count(21);
	for (uint8_t i = 2; i <= 3; i++)
		syn(i, 250, (uint16_t)(45000 + i), 1000u + i, 2000);
	expect_lines(NP_REC_UPTIME, uptime, 48);
	expect_host_count(21);
}

/*
 * Over the host limit, p0f drops the oldest 1 + 10 % of the flows first
 * (nuke_flows), then the least recently touched host only if no flow uses
 * it any more, and no other. p0f -m 1000,2: client 1 opens 11 flows to the
 * server, client 2 one, which it resets; then clients 3 and 4 each push the
 * table over the limit. Each time two flows of client 1 go (1 + 10 % of 11,
 * then of 10); client 1, the oldest host, still has flows, so no host goes,
 * not even client 2, unused: the table grows. SYN+ACKs for every flow come
 * next: p0f printed none for client 1's first four flows (nor for client
 * 2's, reset). Client 2's next SYN was timed against its first.
 * p0f: TZ=UTC /usr/sbin/p0f -r X.pcap -f db/p0f.fp -o X.log -m 1000,2
 */
Test(host_limits, over_the_host_limit_the_oldest_flows_go_first)
{
	const char *const synacks[] = {
		SYNACK_70("1/41004"), SYNACK_70("1/41005"), SYNACK_70("1/41006"),
		SYNACK_70("1/41007"), SYNACK_70("1/41008"), SYNACK_70("1/41009"),
		SYNACK_70("1/41010"), SYNACK_70("3/43000"), SYNACK_70("4/44000"),
		NULL,
	};
	const char *const uptime[] = {
		"[2023/11/23 00:40:11] mod=uptime|cli=10.70.0.2/42001|srv=10.70.0.250/80|subj=cli|uptime=0 days 5 hrs 33 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};
	struct tf s[14];
	unsigned n = 0;

	start(70, 1700700000, 1000, 30, 2, 120);
	for (unsigned k = 0; k <= 10; k++)	/* 1 ms apart: no uptime lines */
		s[n++] = syn(1, 250, (uint16_t)(41000 + k), k, TSV(1, k));
	s[n] = syn(2, 250, 42000, 2000, TSV(2, 2000));
	rst(&s[n++], 2001);
	expect_host_count(3);
	cr_assert(eq(u32, g.p.obs.flows.count, 11));

	s[n++] = syn(3, 250, 43000, 3000, TSV(3, 3000));
	cr_assert(eq(u64, g.p.obs.flows.stats.evicted, 2), "1 + 10 %% of 11 flows");
	cr_assert(eq(u64, g.p.obs.host_drops, 0), "the oldest host still has flows");
	cr_assert(eq(u32, uses(1), 9));
	cr_assert(eq(u32, uses(2), 0));
	cr_assert(known(2), "unused, but not the oldest");
	expect_host_count(4);

	s[n++] = syn(4, 250, 44000, 4000, TSV(4, 4000));
	cr_assert(eq(u64, g.p.obs.flows.stats.evicted, 4), "1 + 10 %% of 10 flows");
	cr_assert(eq(u64, g.p.obs.host_drops, 0));
	cr_assert(eq(u32, uses(1), 7));
	cr_assert(known(2));
	cr_assert(eq(u32, g.p.obs.flows.count, 9));
	expect_host_count(5);

	for (unsigned k = 0; k < n; k++)	/* all in the same millisecond */
		synack(&s[k], 10000);
	syn(2, 250, 42001, 11000, TSV(2, 11000));
	expect_lines(NP_REC_SYNACK, synacks, 49);
	expect_lines(NP_REC_UPTIME, uptime, 49);
}

/* ------------------------------------------------------------------ */
/* Idle expiry                                                        */
/* ------------------------------------------------------------------ */

/*
 * Hosts idle longer than the limit go only at p0f's expiry points: every
 * 50th TCP packet, when the second has changed since the last one; flows
 * older than their limit go first. p0f -t 70,1 (flows live 70 s, hosts
 * 60 s); 1, 2, 3, 4, 5, 8 and 9 are last touched at 0 s, 6, 7 and 250 at
 * 10 s; 3 and 4 hold flows to 5, 8 one to 9.
 *  - three UDP datagrams do not count;
 *  - TCP packet 49, at 70 s: 2 SYNs (a probe to 251) and p0f times it
 *    against its SYN at 0 s: idle 70 s, it is still there;
 *  - packet 50, at 70 s: 1 goes; 3, 4, 5, 8 and 9 are in use; 6 is idle
 *    exactly 60 s, which is not longer than the limit (p0f timed 6's next
 *    SYN);
 *  - 3 and 4 reset their flows; packet 100 is still in second 70: nothing
 *    happens (p0f timed 3's next SYN);
 *  - packet 150, at 71 s: the flow 8 -> 9 expires (71 s old), then 4, 5,
 *    8, 9, 7 and 250 (idle 61 s) go; p0f did not time the next SYNs of 4,
 *    7 and 8.
 * p0f: TZ=UTC /usr/sbin/p0f -r X.pcap -f db/p0f.fp -o X.log -t 70,1
 */
Test(host_limits, expiry_only_at_expiry_points_and_only_when_idle_too_long)
{
	const char *const uptime[] = {
		"[2024/01/12 22:54:30] mod=uptime|cli=10.81.0.2/40001|srv=10.81.0.251/80|subj=cli|uptime=0 days 5 hrs 34 min (modulo 49 days)|raw_freq=1000.00 Hz",
		"[2024/01/12 22:54:30] mod=uptime|cli=10.81.0.6/40001|srv=10.81.0.251/80|subj=cli|uptime=0 days 16 hrs 41 min (modulo 49 days)|raw_freq=1000.00 Hz",
		"[2024/01/12 22:54:30] mod=uptime|cli=10.81.0.3/40001|srv=10.81.0.251/80|subj=cli|uptime=0 days 8 hrs 21 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};
	struct tf s, d3, d4;

	start(81, 1705100000, 1000, 70, 10000, 1);
	s = syn(1, 250, 40000, 0, TSV(1, 0));
	rst(&s, 1);
	s = syn(2, 250, 40000, 2, TSV(2, 2));
	rst(&s, 3);
	d3 = syn(3, 5, 40000, 4, TSV(3, 4));
	d4 = syn(4, 5, 40000, 5, TSV(4, 5));
	syn(8, 9, 40000, 6, TSV(8, 6));
	s = syn(6, 250, 40000, 10000, TSV(6, 10000));
	rst(&s, 10001);
	s = syn(7, 250, 40000, 10002, TSV(7, 10002));
	rst(&s, 10003);

	fill_to(45, 70000);
	for (unsigned k = 0; k < 3; k++)
		send_udp(70000);
	fill_to(48, 70000);
	cr_assert(eq(u64, g.p.obs.clock.packets, 48));
	cr_assert(known(1), "idle 70 s, but no expiry point yet");
	syn(2, 251, 40001, 70000, TSV(2, 70000));
	cr_assert(eq(u64, g.p.obs.host_drops, 0));

	fill_to(50, 70000);
	cr_assert(eq(u64, g.p.obs.host_drops, 1));
	cr_assert(not(known(1)));
	cr_assert(known(3), "in use");
	cr_assert(known(4), "in use");
	cr_assert(known(5), "in use");
	cr_assert(known(8), "in use");
	cr_assert(known(9), "in use");
	cr_assert(known(6), "idle exactly the limit");
	cr_assert(known(7), "idle exactly the limit");
	cr_assert(known(250));

	rst(&d3, 70100);
	rst(&d4, 70200);
	cr_assert(eq(u32, uses(5), 0));
	syn(6, 251, 40001, 70300, TSV(6, 70300));
	fill_to(100, 70900);	/* second 70 again */
	cr_assert(eq(u64, g.p.obs.host_drops, 1));
	cr_assert(known(3));
	cr_assert(known(4));
	cr_assert(known(5));
	syn(3, 251, 40001, 70950, TSV(3, 70950));

	fill_to(149, 71000);
	cr_assert(eq(u64, g.p.obs.host_drops, 1));
	fill_to(150, 71000);
	cr_assert(eq(u64, g.p.obs.flows.stats.expired, 1));
	cr_assert(eq(u64, g.p.obs.host_drops, 7));
	cr_assert(not(known(4)));
	cr_assert(not(known(5)));
	cr_assert(not(known(8)), "its flow expired just before");
	cr_assert(not(known(9)));
	cr_assert(not(known(7)));
	cr_assert(not(known(250)));
	cr_assert(known(2));
	cr_assert(known(3));
	cr_assert(known(6));
	cr_assert(known(251));
	expect_host_count(4);
	syn(4, 251, 40001, 71100, TSV(4, 71100));
	syn(7, 251, 40001, 71200, TSV(7, 71200));
	syn(8, 251, 40001, 71300, TSV(8, 71300));
	expect_lines(NP_REC_UPTIME, uptime, 29);
}

/*
 * Expiry walks from the least recently touched host: it skips hosts in use,
 * drops idle unused ones and stops at the first host not idle long enough,
 * even if one touched later at an earlier time comes after it (the pcap's
 * clock goes back once). p0f -t 1000,1: 1 -> 2 keeps its flow; 3 -> 4 at
 * 1 s, 5 -> 6 at 2 s and 7 -> 8 at 0.1 s (after them) reset theirs.
 *  - packet 50, at 62 s: 1 and 2 are in use, 3 and 4 go, 5 is idle 60 s:
 *    the walk stops, 7 and 8 (idle 62 s) stay; p0f timed 7's next SYN and
 *    not 3's;
 *  - packet 100, at 63 s: 5, 6 and 8 go; p0f did not time 5's next SYN,
 *    and timed 1's (idle, but in use).
 * p0f: TZ=UTC /usr/sbin/p0f -r X.pcap -f db/p0f.fp -o X.log -t 1000,1
 */
Test(host_limits, expiry_walks_from_the_least_recently_touched_host)
{
	const char *const uptime[] = {
		"[2024/01/14 02:41:02] mod=uptime|cli=10.82.0.7/40001|srv=10.82.0.251/80|subj=cli|uptime=0 days 19 hrs 27 min (modulo 49 days)|raw_freq=1000.00 Hz",
		"[2024/01/14 02:41:03] mod=uptime|cli=10.82.0.1/40001|srv=10.82.0.2/80|subj=cli|uptime=0 days 2 hrs 47 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};
	struct tf s;

	start(82, 1705200000, 1000, 1000, 10000, 1);
	syn(1, 2, 40000, 0, TSV(1, 0));
	s = syn(3, 4, 40000, 1000, TSV(3, 1000));
	rst(&s, 1001);
	s = syn(5, 6, 40000, 2000, TSV(5, 2000));
	rst(&s, 2001);
	s = syn(7, 8, 40000, 100, TSV(7, 100));
	rst(&s, 101);

	fill_to(50, 62000);
	cr_assert(eq(u64, g.p.obs.host_drops, 2));
	cr_assert(known(1), "in use");
	cr_assert(known(2), "in use");
	cr_assert(not(known(3)));
	cr_assert(not(known(4)));
	cr_assert(known(5), "idle exactly the limit");
	cr_assert(known(6));
	cr_assert(known(7), "after the host the walk stopped at");
	cr_assert(known(8));
	syn(7, 251, 40001, 62100, TSV(7, 62100));
	syn(3, 251, 40001, 62200, TSV(3, 62200));

	fill_to(100, 63000);
	cr_assert(eq(u64, g.p.obs.host_drops, 5));
	cr_assert(not(known(5)));
	cr_assert(not(known(6)));
	cr_assert(not(known(8)));
	cr_assert(known(1));
	cr_assert(known(2));
	cr_assert(known(7));
	cr_assert(known(3));
	cr_assert(known(251));
	expect_host_count(5);
	syn(5, 251, 40001, 63100, TSV(5, 63100));
	syn(1, 2, 40001, 63200, TSV(1, 63200));
	expect_lines(NP_REC_UPTIME, uptime, 18);
}

/*
 * p0f expire_cache() skips hosts a live flow uses (use_cnt). With
 * "p0f -t 1000,1" (flows live 1000 s, hosts idle 1 min): a SYN from
 * 10.75.0.1 at 1705300000 and its SYN+ACK; 10.75.0.3 -> 10.75.0.4 at the
 * same time, reset; 120 frames of other traffic every 0.5 s from 120 s on
 * (expiry runs at 142 s and 167 s): 3 and 4 go, 1 and 2 stay. Then the
 * first flow's client ACKs with a 1000 Hz timestamp at 180.5 s: p0f logged
 * the uptime line, its host having survived the expiry; 3's next SYN was
 * not timed. Never happens with p0f's defaults (flows die at 30 s, hosts
 * at 120 min).
 * p0f: TZ=UTC /usr/sbin/p0f -r X.pcap -f db/p0f.fp -o X.log -t 1000,1
 */
Test(host_limits, a_host_with_a_live_flow_is_not_expired_like_p0f)
{
	const char *const uptime[] = {
		"[2024/01/15 06:29:40] mod=uptime|cli=10.75.0.1/40000|srv=10.75.0.2/80|subj=cli|uptime=11 days 13 hrs 49 min (modulo 49 days)|raw_freq=1000.00 Hz",
		NULL,
	};
	const uint32_t ts_a = 1000000000u;
	struct tf f, s;

	start(75, 1705300000, 1000, 1000, 10000, 1);
	f = syn(1, 2, 40000, 0, ts_a);
	synack(&f, 1);
	s = syn(3, 4, 40000, 2, TSV(3, 2));
	rst(&s, 3);
	for (unsigned k = 0; k < 120; k++)
		fill_to(5 + k, 120000 + 500 * k);
	cr_assert(eq(u64, g.p.obs.host_drops, 2));
	cr_assert(not(known(3)));
	cr_assert(not(known(4)));
	cr_assert(known(1), "idle 167 s, but in use");
	cr_assert(known(2), "idle 167 s, but in use");
	cr_assert(eq(u32, uses(1), 1));
	ack_ts(&f, 180500, ts_a + 180500);
	syn(3, 4, 40001, 181000, TSV(3, 181000));
	expect_lines(NP_REC_UPTIME, uptime, 9);
}
