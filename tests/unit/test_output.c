/* SPDX-License-Identifier: MIT */
/*
 * Output tests: handcrafted packets (output_cases.h) go through the parser,
 * np_track() and the bundled database, and the records are formatted with
 * np_format_log_line() / np_format_block() / np_format_tcp_sig(). The
 * expected text is p0f 3.09b's own output for the same frames; then p0f's
 * flow rules (flow_dispatch, create_flow_from_syn, expire_cache, nuke_flows)
 * through np_track() and np_tracker_tick().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "hosts.h"
#include "tracker.h"
#include "output_cases.h"

#include <criterion/criterion.h>
#include "np_assert.h"

#define assert_str(actual, expected) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		cr_assert(a_ != NULL && !strcmp(a_, e_), "got\n\"%s\"\nwant\n\"%s\"", \
			  a_ ? a_ : "(null)", e_); \
	} while (0)

/*
 * p0f 3.09b's log (-o) for output_cases.h, case by case, verbatim: produced
 * by Debian's p0f 3.09b ("TZ=UTC /usr/sbin/p0f -r cases.pcap -f db/p0f.fp
 * -o cases.log") on a pcap holding exactly the frames oc_build() makes.
 * Cases with fewer lines than packets are p0f's flow rules at work.
 */
static const char *const p0f_log[OC_COUNT][6] = {
	[OC_LINUX4] = {
		"[2023/11/14 22:13:20] mod=syn|cli=10.0.0.1/40000|srv=10.0.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=none|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:13:20] mod=mtu|cli=10.0.0.1/40000|srv=10.0.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		"[2023/11/14 22:13:20] mod=syn+ack|cli=10.0.0.1/40000|srv=10.0.0.2/80|subj=srv|os=Linux 3.x|dist=0|params=none|raw_sig=4:64+0:0:1460:mss*10,7:mss,sok,ts,nop,ws:df:0",
		"[2023/11/14 22:13:20] mod=mtu|cli=10.0.0.1/40000|srv=10.0.0.2/80|subj=srv|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_LINUX6] = {
		"[2023/11/14 22:13:30] mod=syn|cli=2001:db8:0:0:0:0:0:1/40001|srv=2001:db8:0:0:0:0:0:2/80|subj=cli|os=Linux 3.11 and newer|dist=0|params=none|raw_sig=6:64+0:0:1440:mss*20,7:mss,sok,ts,nop,ws::0",
		"[2023/11/14 22:13:30] mod=mtu|cli=2001:db8:0:0:0:0:0:1/40001|srv=2001:db8:0:0:0:0:0:2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		"[2023/11/14 22:13:30] mod=syn+ack|cli=2001:db8:0:0:0:0:0:1/40001|srv=2001:db8:0:0:0:0:0:2/80|subj=srv|os=Linux 3.x|dist=4|params=none|raw_sig=6:60+4:0:1440:mss*10,7:mss,sok,ts,nop,ws::0",
		"[2023/11/14 22:13:30] mod=mtu|cli=2001:db8:0:0:0:0:0:1/40001|srv=2001:db8:0:0:0:0:0:2/80|subj=srv|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_TOS] = {
		"[2023/11/14 22:13:40] mod=syn|cli=10.2.0.1/40002|srv=10.2.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=tos:0x04|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:13:40] mod=mtu|cli=10.2.0.1/40002|srv=10.2.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_UNKNOWN_FAR] = {
		"[2023/11/14 22:13:50] mod=syn|cli=10.3.0.1/40003|srv=10.3.0.2/80|subj=cli|os=???|dist=55|params=excess_dist|raw_sig=4:200+?:0:1400:5000,0:mss,?30,nop,eol+2:df,id+:0",
		"[2023/11/14 22:13:50] mod=mtu|cli=10.3.0.1/40003|srv=10.3.0.2/80|subj=cli|link=generic tunnel or VPN|raw_mtu=1440",
		NULL,
	},
	[OC_NMAP] = {
		"[2023/11/14 22:14:00] mod=syn|cli=10.4.0.1/40004|srv=10.4.0.2/80|subj=cli|app=NMap SYN scan|dist=<= 44|params=random_ttl excess_dist|raw_sig=4:20+12:0:1460:1024,0:mss::0",
		NULL,
	},
	[OC_FUZZY] = {
		"[2023/11/14 22:14:10] mod=syn|cli=10.5.0.1/40005|srv=10.5.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=fuzzy|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws::0",
		"[2023/11/14 22:14:10] mod=mtu|cli=10.5.0.1/40005|srv=10.5.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_GENERIC] = {
		"[2023/11/14 22:14:20] mod=syn|cli=10.6.0.1/40006|srv=10.6.0.2/80|subj=cli|os=Linux 2.4.x-2.6.x|dist=3|params=generic|raw_sig=4:61+3:0:1460:mss*4,9:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:14:20] mod=mtu|cli=10.6.0.1/40006|srv=10.6.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_ACK_BIT24] = {
		"[2023/11/14 22:14:30] mod=syn|cli=10.7.0.1/40007|srv=10.7.0.2/80|subj=cli|os=???|dist=3|params=none|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+,ack+:0",
		"[2023/11/14 22:14:30] mod=mtu|cli=10.7.0.1/40007|srv=10.7.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_ACK_LOW] = {
		"[2023/11/14 22:14:40] mod=syn|cli=10.8.0.1/40008|srv=10.8.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=none|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:14:40] mod=mtu|cli=10.8.0.1/40008|srv=10.8.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_FLOW6] = {
		"[2023/11/14 22:14:50] mod=syn|cli=2001:db8:0:0:0:0:0:3/40009|srv=2001:db8:0:0:0:0:0:4/80|subj=cli|os=???|dist=0|params=none|raw_sig=6:64+0:0:1440:mss*20,7:mss,sok,ts,nop,ws:flow:0",
		"[2023/11/14 22:14:50] mod=mtu|cli=2001:db8:0:0:0:0:0:3/40009|srv=2001:db8:0:0:0:0:0:4/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_MTU_WINDOW] = {
		"[2023/11/14 22:15:00] mod=syn|cli=10.10.0.1/40010|srv=10.10.0.2/80|subj=cli|os=???|dist=3|params=none|raw_sig=4:61+3:0:1000:mtu*10,2:mss,nop,ws:df,id+:0",
		"[2023/11/14 22:15:00] mod=mtu|cli=10.10.0.1/40010|srv=10.10.0.2/80|subj=cli|link=???|raw_mtu=1040",
		NULL,
	},
	[OC_PEER_MSS] = {
		"[2023/11/14 22:15:10] mod=syn|cli=10.11.0.1/40011|srv=10.11.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=none|raw_sig=4:61+3:0:1300:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:15:10] mod=mtu|cli=10.11.0.1/40011|srv=10.11.0.2/80|subj=cli|link=???|raw_mtu=1340",
		"[2023/11/14 22:15:10] mod=syn+ack|cli=10.11.0.1/40011|srv=10.11.0.2/80|subj=srv|os=???|dist=0|params=none|raw_sig=4:64+0:0:1200:mss*2,7:mss,nop,ws:df:0",
		"[2023/11/14 22:15:10] mod=mtu|cli=10.11.0.1/40011|srv=10.11.0.2/80|subj=srv|link=GIF|raw_mtu=1240",
		NULL,
	},
	[OC_PAYLOAD] = {
		"[2023/11/14 22:15:20] mod=syn|cli=10.12.0.1/40012|srv=10.12.0.2/80|subj=cli|os=???|dist=3|params=none|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:+",
		"[2023/11/14 22:15:20] mod=mtu|cli=10.12.0.1/40012|srv=10.12.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_IP_OPTIONS] = {
		"[2023/11/14 22:15:30] mod=syn|cli=10.13.0.1/40013|srv=10.13.0.2/80|subj=cli|os=???|dist=3|params=none|raw_sig=4:61+3:4:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:15:30] mod=mtu|cli=10.13.0.1/40013|srv=10.13.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_ODD_OPTIONS] = {
		"[2023/11/14 22:15:40] mod=syn|cli=10.14.0.1/40014|srv=10.14.0.2/80|subj=cli|os=???|dist=3|params=none|raw_sig=4:61+3:0:1460:8000,15:mss,nop,ws,sok,eol+5:df,id+,opt+,exws,bad:0",
		"[2023/11/14 22:15:40] mod=mtu|cli=10.14.0.1/40014|srv=10.14.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_EOL_LAST_BYTE] = {
		"[2023/11/14 22:15:50] mod=syn|cli=10.15.0.1/40015|srv=10.15.0.2/80|subj=cli|os=???|dist=3|params=none|raw_sig=4:61+3:0:1460:8000,0:mss,eol+3:df,id+:0",
		"[2023/11/14 22:15:50] mod=mtu|cli=10.15.0.1/40015|srv=10.15.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_RETRANSMIT] = {
		"[2023/11/14 22:16:00] mod=syn|cli=10.16.0.1/40016|srv=10.16.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=none|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:16:00] mod=mtu|cli=10.16.0.1/40016|srv=10.16.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		"[2023/11/14 22:16:01] mod=syn+ack|cli=10.16.0.1/40016|srv=10.16.0.2/80|subj=srv|os=Linux 3.x|dist=0|params=none|raw_sig=4:64+0:0:1460:mss*10,7:mss,sok,ts,nop,ws:df:0",
		"[2023/11/14 22:16:01] mod=mtu|cli=10.16.0.1/40016|srv=10.16.0.2/80|subj=srv|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_ORPHAN_SYNACK] = {
		NULL,
	},
	[OC_DOUBLE_SYNACK] = {
		"[2023/11/14 22:16:20] mod=syn|cli=10.18.0.1/40018|srv=10.18.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=none|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:16:20] mod=mtu|cli=10.18.0.1/40018|srv=10.18.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		"[2023/11/14 22:16:20] mod=syn+ack|cli=10.18.0.1/40018|srv=10.18.0.2/80|subj=srv|os=Linux 3.x|dist=0|params=none|raw_sig=4:64+0:0:1460:mss*10,7:mss,sok,ts,nop,ws:df:0",
		"[2023/11/14 22:16:20] mod=mtu|cli=10.18.0.1/40018|srv=10.18.0.2/80|subj=srv|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_ACK_BEFORE_SYNACK] = {
		"[2023/11/14 22:16:30] mod=syn|cli=10.19.0.1/40019|srv=10.19.0.2/80|subj=cli|os=Linux 3.11 and newer|dist=3|params=none|raw_sig=4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		"[2023/11/14 22:16:30] mod=mtu|cli=10.19.0.1/40019|srv=10.19.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_WINDOWS] = {
		"[2023/11/14 22:16:40] mod=syn|cli=10.20.0.1/40020|srv=10.20.0.2/80|subj=cli|os=Windows 7 or 8|dist=8|params=none|raw_sig=4:120+8:0:1460:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0",
		"[2023/11/14 22:16:40] mod=mtu|cli=10.20.0.1/40020|srv=10.20.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
	[OC_SENDSYN] = {
		"[2023/11/14 22:16:50] mod=sendsyn probe|cli=10.21.0.1/40021|srv=10.21.0.2/80|subj=cli|app=p0f sendsyn utility|dist=0|params=none|raw_sig=4:192+?:0:1331:1337,0:mss,nop,eol+18::0",
		"[2023/11/14 22:16:50] mod=sendsyn response|cli=10.21.0.1/40021|srv=10.21.0.2/80|subj=srv|app=Linux 2.4-2.6|dist=0|params=none|raw_sig=4:64+0:0:*:mss*4,0:mss,nop,nop,sok:df:0",
		NULL,
	},
	[OC_NO_MSS] = {
		"[2023/11/14 22:17:00] mod=syn|cli=10.22.0.1/40022|srv=10.22.0.2/80|subj=cli|os=???|dist=3|params=none|raw_sig=4:61+3:0:0:512,0::df,id+:0",
		"[2023/11/14 22:17:00] mod=syn+ack|cli=10.22.0.1/40022|srv=10.22.0.2/80|subj=srv|os=???|dist=0|params=none|raw_sig=4:64+0:0:0:1024,0::df:0",
		NULL,
	},
	[OC_TOOL_FUZZY] = {
		"[2023/11/14 22:17:10] mod=syn|cli=10.23.0.1/40023|srv=10.23.0.2/80|subj=cli|os=???|dist=0|params=none|raw_sig=4:61+3:0:265:512,0:mss,sok,ts:id-,ack+:0",
		"[2023/11/14 22:17:10] mod=mtu|cli=10.23.0.1/40023|srv=10.23.0.2/80|subj=cli|link=???|raw_mtu=305",
		NULL,
	},
	[OC_GENERIC_FUZZY] = {
		"[2023/11/14 22:17:20] mod=syn|cli=10.24.0.1/40024|srv=10.24.0.2/80|subj=cli|os=Linux 2.2.x-3.x (barebone)|dist=3|params=generic fuzzy|raw_sig=4:61+3:0:1460:1000,0:mss:id-:0",
		"[2023/11/14 22:17:20] mod=mtu|cli=10.24.0.1/40024|srv=10.24.0.2/80|subj=cli|link=Ethernet or modem|raw_mtu=1500",
		NULL,
	},
};

/* p0f's stdout blocks for some of the same records (same run). */
static const char p0f_block_linux4[] =
	".-[ 10.0.0.1/40000 -> 10.0.0.2/80 (syn) ]-\n"
	"|\n"
	"| client   = 10.0.0.1/40000\n"
	"| os       = Linux 3.11 and newer\n"
	"| dist     = 3\n"
	"| params   = none\n"
	"| raw_sig  = 4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
	"|\n"
	"`----\n"
	"\n"
	".-[ 10.0.0.1/40000 -> 10.0.0.2/80 (mtu) ]-\n"
	"|\n"
	"| client   = 10.0.0.1/40000\n"
	"| link     = Ethernet or modem\n"
	"| raw_mtu  = 1500\n"
	"|\n"
	"`----\n"
	"\n"
	".-[ 10.0.0.1/40000 -> 10.0.0.2/80 (syn+ack) ]-\n"
	"|\n"
	"| server   = 10.0.0.2/80\n"
	"| os       = Linux 3.x\n"
	"| dist     = 0\n"
	"| params   = none\n"
	"| raw_sig  = 4:64+0:0:1460:mss*10,7:mss,sok,ts,nop,ws:df:0\n"
	"|\n"
	"`----\n"
	"\n"
	".-[ 10.0.0.1/40000 -> 10.0.0.2/80 (mtu) ]-\n"
	"|\n"
	"| server   = 10.0.0.2/80\n"
	"| link     = Ethernet or modem\n"
	"| raw_mtu  = 1500\n"
	"|\n"
	"`----\n"
	"\n";

static const char p0f_block_linux6_syn[] =
	".-[ 2001:db8:0:0:0:0:0:1/40001 -> 2001:db8:0:0:0:0:0:2/80 (syn) ]-\n"
	"|\n"
	"| client   = 2001:db8:0:0:0:0:0:1/40001\n"
	"| os       = Linux 3.11 and newer\n"
	"| dist     = 0\n"
	"| params   = none\n"
	"| raw_sig  = 6:64+0:0:1440:mss*20,7:mss,sok,ts,nop,ws::0\n"
	"|\n"
	"`----\n"
	"\n";

static const char p0f_block_nmap[] =
	".-[ 10.4.0.1/40004 -> 10.4.0.2/80 (syn) ]-\n"
	"|\n"
	"| client   = 10.4.0.1/40004\n"
	"| app      = NMap SYN scan\n"
	"| dist     = <= 44\n"
	"| params   = random_ttl excess_dist\n"
	"| raw_sig  = 4:20+12:0:1460:1024,0:mss::0\n"
	"|\n"
	"`----\n"
	"\n";

static const char p0f_block_sendsyn_response[] =
	".-[ 10.21.0.1/40021 -> 10.21.0.2/80 (sendsyn response) ]-\n"
	"|\n"
	"| server   = 10.21.0.2/80\n"
	"| app      = Linux 2.4-2.6\n"
	"| dist     = 0\n"
	"| params   = none\n"
	"| raw_sig  = 4:64+0:0:*:mss*4,0:mss,nop,nop,sok:df:0\n"
	"|\n"
	"`----\n"
	"\n";

static struct np_db *g_db;
static struct np_hosts g_hosts;	/* the logger side: what gets printed */

static void
setup(void)
{
	char err[NP_DB_ERR_MAX];

	setenv("TZ", "UTC", 1);
	tzset();
	g_db = np_db_load(NP_TEST_FP, err, sizeof(err));
	cr_assert(g_db != NULL, "%s", err);
	cr_assert(eq(int, np_hosts_init(&g_hosts, np_tracker_host_capacity(100000, 10000), 1,
				       100002), 0));
}

static void
ignore(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx, (void)r, (void)tail;
}

/* Host drops go to the hosts, as the logger takes them. */
static void
to_hosts(void *ctx, const struct np_rec *r)
{
	(void)ctx;
	np_hosts_process(&g_hosts, r, NULL, ignore, NULL);
}

/* Collects the records the logger would print. */
struct printed {
	struct np_rec *out;
	unsigned n;
};

static void
collect(void *ctx, const struct np_rec *r, const char *tail)
{
	struct printed *p = ctx;

	(void)tail;
	p->out[p->n++] = *r;
}

/* A worker's records through the host logic, as the logger runs them. */
static unsigned
print_records(struct np_observation *obs, struct np_rec *out)
{
	struct printed p = { out, 0 };

	for (unsigned i = 0; i < obs->n; i++) {
		np_rec_resolve(&obs->rec[i], g_db);
		np_hosts_process(&g_hosts, &obs->rec[i], np_observation_tail(obs, i),
				 collect, &p);
	}
	return p.n;
}

static void
teardown(void)
{
	np_db_free(g_db);
	g_db = NULL;
}

TestSuite(p0f_log, .init = setup, .fini = teardown);
TestSuite(p0f_block, .init = setup, .fini = teardown);
TestSuite(format, .init = setup, .fini = teardown);
TestSuite(flow, .init = setup, .fini = teardown);

#define MAX_RECS 16

/* Ethernet frame -> parser -> np_track(); the caller ticks. */
static unsigned
observe(struct np_tracker *o, const struct tf *t, uint64_t ts_us, struct np_rec *out)
{
	uint8_t b[TF_MAX];
	size_t n = tf_eth(t, b);
	struct np_link lk;
	struct np_packet pk;

	static struct np_observation obs;

	np_link_init(&lk, 1);
	cr_assert(eq(int, np_parse_frame(&lk, b, (uint32_t)n, &pk), NP_PARSE_OK));
	np_track(o, g_db, 1, &pk, ts_us, &obs);
	return print_records(&obs, out);
}

/* As a worker does it: tick for every TCP frame, then observe. */
static unsigned
feed(struct np_tracker *o, const struct tf *t, uint64_t ts_us, struct np_rec *out)
{
	uint8_t b[TF_MAX];
	size_t n = tf_eth(t, b);
	struct np_link lk;

	np_link_init(&lk, 1);
	if (np_link_is_tcp(&lk, b, (uint32_t)n))
		np_tracker_tick(o, ts_us);
	return observe(o, t, ts_us, out);
}

/* All packets of case i through a fresh pipeline (p0f's -m 1000 -t 30). */
static unsigned
run_case(unsigned i, struct np_rec *recs)
{
	struct oc_case c;
	struct np_tracker o;
	unsigned n = 0;

	oc_build(i, &c);
	cr_assert(eq(int, np_tracker_init(&o, 1000, 30, 10000, 120, to_hosts, NULL), 0));
	for (unsigned k = 0; k < c.n; k++) {
		cr_assert(le(u32, n + NP_OBSERVE_MAX_RECORDS, MAX_RECS));
		n += feed(&o, &c.p[k].t, c.p[k].ts_us, recs + n);
	}
	np_tracker_fini(&o);
	return n;
}

static unsigned
p0f_lines(unsigned i)
{
	unsigned n = 0;

	while (p0f_log[i][n])
		n++;
	return n;
}

static void
check_log(unsigned i)
{
	struct np_rec recs[MAX_RECS];
	unsigned n = run_case(i, recs), want = p0f_lines(i);
	char line[NP_FORMAT_MAX], exp[NP_FORMAT_MAX];

	for (unsigned k = 0; k < n && k < want; k++) {
		np_format_log_line(line, sizeof(line), &recs[k], NULL);
		snprintf(exp, sizeof(exp), "%s\n", p0f_log[i][k]);
		assert_str(line, exp);
	}
	cr_assert(eq(u32, n, want), "%u records, p0f logged %u lines", n, want);
}

/* ------------------------------------------------------------------ */
/* Log lines, against p0f 3.09b                                         */
/* ------------------------------------------------------------------ */

Test(p0f_log, linux_ipv4_syn_mtu_synack_mtu) { check_log(OC_LINUX4); }
Test(p0f_log, ipv6_addresses_without_compression) { check_log(OC_LINUX6); }
Test(p0f_log, tos_param) { check_log(OC_TOS); }
Test(p0f_log, unknown_sig_excess_dist_ttl_question_mark_unknown_option_eol) { check_log(OC_UNKNOWN_FAR); }
Test(p0f_log, tool_random_ttl_dist_le_and_no_mtu_or_synack) { check_log(OC_NMAP); }
Test(p0f_log, fuzzy_when_df_vanishes) { check_log(OC_FUZZY); }
Test(p0f_log, generic_signature) { check_log(OC_GENERIC); }
Test(p0f_log, ack_plus_from_bit_24_of_ack) { check_log(OC_ACK_BIT24); }
Test(p0f_log, no_ack_plus_for_ack_1) { check_log(OC_ACK_LOW); }
Test(p0f_log, ipv6_flow_label_quirk) { check_log(OC_FLOW6); }
Test(p0f_log, mtu_multiple_window_and_unknown_link) { check_log(OC_MTU_WINDOW); }
Test(p0f_log, syn_ack_window_from_peer_mss) { check_log(OC_PEER_MSS); }
Test(p0f_log, payload_class_plus) { check_log(OC_PAYLOAD); }
Test(p0f_log, ip_option_length) { check_log(OC_IP_OPTIONS); }
Test(p0f_log, opt_plus_exws_bad_and_eol_padding) { check_log(OC_ODD_OPTIONS); }
Test(p0f_log, nonzero_last_eol_padding_byte_not_flagged) { check_log(OC_EOL_LAST_BYTE); }
Test(p0f_log, retransmitted_syn_logs_nothing) { check_log(OC_RETRANSMIT); }
Test(p0f_log, syn_ack_without_syn_logs_nothing) { check_log(OC_ORPHAN_SYNACK); }
Test(p0f_log, second_syn_ack_logs_nothing) { check_log(OC_DOUBLE_SYNACK); }
Test(p0f_log, ack_before_syn_ack_kills_the_flow) { check_log(OC_ACK_BEFORE_SYNACK); }
Test(p0f_log, windows_ttl_128) { check_log(OC_WINDOWS); }
Test(p0f_log, sendsyn_probe_and_response_with_echoed_mss) { check_log(OC_SENDSYN); }
Test(p0f_log, no_mss_gives_no_mtu_records) { check_log(OC_NO_MSS); }
Test(p0f_log, first_fuzzy_candidate_a_tool_gives_no_match_and_dist_0) { check_log(OC_TOOL_FUZZY); }
Test(p0f_log, generic_and_fuzzy_together) { check_log(OC_GENERIC_FUZZY); }

/* np_format_tcp_sig() is the raw_sig field of every SYN / SYN+ACK line. */
Test(p0f_log, raw_sig_equals_the_logged_field)
{
	unsigned checked = 0;

	for (unsigned i = 0; i < OC_COUNT; i++) {
		struct np_rec recs[MAX_RECS];
		unsigned n = run_case(i, recs);

		for (unsigned k = 0; k < n && p0f_log[i][k]; k++) {
			const char *want = strstr(p0f_log[i][k], "|raw_sig=");
			char sig[NP_FORMAT_MAX];

			if (recs[k].kind == NP_REC_MTU)
				continue;
			cr_assert(want != NULL);
			np_format_tcp_sig(sig, sizeof(sig), &recs[k]);
			assert_str(sig, want + strlen("|raw_sig="));
			checked++;
		}
	}
	cr_assert(gt(u32, checked, 20));
}

/* ------------------------------------------------------------------ */
/* Stdout blocks, against p0f 3.09b                                     */
/* ------------------------------------------------------------------ */

static void
check_blocks(unsigned i, unsigned first, unsigned count, const char *want)
{
	struct np_rec recs[MAX_RECS];
	unsigned n = run_case(i, recs);
	char out[4 * NP_FORMAT_MAX];
	size_t pos = 0;

	cr_assert(ge(u32, n, first + count));
	for (unsigned k = first; k < first + count; k++)
		pos += np_format_block(out + pos, sizeof(out) - pos, &recs[k], NULL);
	assert_str(out, want);
}

Test(p0f_block, linux_ipv4_handshake)
{
	check_blocks(OC_LINUX4, 0, 4, p0f_block_linux4);
}

Test(p0f_block, ipv6_syn)
{
	check_blocks(OC_LINUX6, 0, 1, p0f_block_linux6_syn);
}

Test(p0f_block, tool_uses_app_key_and_le_dist)
{
	check_blocks(OC_NMAP, 0, 1, p0f_block_nmap);
}

Test(p0f_block, sendsyn_response_with_mss_wildcard)
{
	check_blocks(OC_SENDSYN, 1, 1, p0f_block_sendsyn_response);
}

/* ------------------------------------------------------------------ */
/* Formatting details                                                   */
/* ------------------------------------------------------------------ */

Test(format, ipv6_address_eight_groups_no_compression)
{
	uint8_t a[16];
	char buf[64];

	tf_addr6(a, 1);
	np_format_addr(buf, sizeof(buf), a, 6);
	assert_str(buf, "2001:db8:0:0:0:0:0:1");
	memset(a, 0, sizeof(a));
	a[0] = 0xfe;
	a[1] = 0x80;
	a[8] = 0xab;
	a[9] = 0xcd;
	a[15] = 0x0f;
	np_format_addr(buf, sizeof(buf), a, 6);
	assert_str(buf, "fe80:0:0:0:abcd:0:0:f");
}

Test(format, ipv4_address_dotted_quad)
{
	uint8_t a[16];
	char buf[64];

	tf_addr4(a, 192, 0, 2, 255);
	np_format_addr(buf, sizeof(buf), a, 4);
	assert_str(buf, "192.0.2.255");
}

/* A hand-made record with every param flag: p0f's dump_flags() order. */
Test(format, params_in_p0f_order_and_random_ttl_distance)
{
	struct np_rec r;
	char line[NP_FORMAT_MAX];

	memset(&r, 0, sizeof(r));
	r.ts_us = OC_T0 * 1000000ull;
	r.kind = NP_REC_SYN;
	r.ip_ver = 4;
	r.to_srv = 1;
	tf_addr4(r.cli, 1, 2, 3, 4);
	tf_addr4(r.srv, 5, 6, 7, 8);
	r.cli_port = 1;
	r.srv_port = 2;
	r.names.label = "Some OS";
	r.tcp.flags = NP_RTCP_MATCHED | NP_RTCP_GENERIC | NP_RTCP_FUZZY | NP_RTCP_BAD_TTL;
	r.tcp.dist = 40;
	r.tcp.tos = 0x2e;
	r.tcp.ttl = 24;
	r.tcp.win = 100;
	np_format_log_line(line, sizeof(line), &r, NULL);
	assert_str(line, "[2023/11/14 22:13:20] mod=syn|cli=1.2.3.4/1|srv=5.6.7.8/2|subj=cli|"
		   "os=Some OS|dist=<= 40|params=generic fuzzy random_ttl excess_dist tos:0x2e|"
		   "raw_sig=4:24+8:0:0:100,0:::0\n");
}

Test(format, unmatched_record_has_question_marks_and_no_match_params)
{
	struct np_rec r;
	char line[NP_FORMAT_MAX];

	memset(&r, 0, sizeof(r));
	r.ts_us = OC_T0 * 1000000ull;
	r.kind = NP_REC_SYNACK;
	r.ip_ver = 4;
	tf_addr4(r.cli, 1, 2, 3, 4);
	tf_addr4(r.srv, 5, 6, 7, 8);
	r.tcp.flags = NP_RTCP_FUZZY | NP_RTCP_GENERIC;	/* ignored when unmatched */
	r.tcp.dist = 3;
	r.tcp.ttl = 61;
	np_format_log_line(line, sizeof(line), &r, NULL);
	assert_str(line, "[2023/11/14 22:13:20] mod=syn+ack|cli=1.2.3.4/0|srv=5.6.7.8/0|subj=srv|"
		   "os=???|dist=3|params=none|raw_sig=4:61+3:0:0:0,0:::0\n");
}

/* ------------------------------------------------------------------ */
/* Flow rules through np_track()                                      */
/* ------------------------------------------------------------------ */

#define T(s) ((OC_T0 + (s)) * 1000000ull)

/* A Linux client SYN numbered k (its own source port), and the answer. */
static struct tf
flow_syn(unsigned k)
{
	struct tf t = oc_syn(200);

	t.sport = (uint16_t)(20000 + k);
	return t;
}

static bool
has_flow(struct np_tracker *o, const struct tf *syn)
{
	uint8_t b[TF_MAX];
	size_t n = tf_eth(syn, b);
	struct np_link lk;
	struct np_packet pk;
	bool to_srv;

	np_link_init(&lk, 1);
	cr_assert(eq(int, np_parse_frame(&lk, b, (uint32_t)n, &pk), NP_PARSE_OK));
	return np_flow_lookup(&o->flows, &pk, &to_srv) != NULL;
}

static struct np_tracker g_obs;

static void
obs_init(uint32_t max_conn)
{
	cr_assert(eq(int, np_tracker_init(&g_obs, max_conn, 30, 10000, 120, to_hosts, NULL), 0));
}

Test(flow, syn_then_synack_gives_syn_mtu_synack_mtu)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s);

	obs_init(1000);
	cr_assert(eq(u32, observe(&g_obs, &s, T(0), r), 2));
	cr_assert(eq(u32, observe(&g_obs, &a, T(1), r + 2), 2));
	cr_assert(eq(u8, r[0].kind, NP_REC_SYN));
	cr_assert(eq(u8, r[1].kind, NP_REC_MTU));
	cr_assert(eq(u8, r[2].kind, NP_REC_SYNACK));
	cr_assert(eq(u8, r[3].kind, NP_REC_MTU));
	cr_assert(eq(u8, r[0].to_srv, 1));
	cr_assert(eq(u8, r[1].to_srv, 1));
	cr_assert(eq(u8, r[2].to_srv, 0));
	cr_assert(eq(u8, r[3].to_srv, 0));
	cr_assert(eq(u16, r[2].cli_port, s.sport));	/* still the client's view */
	cr_assert(eq(u32, r[1].mtu.mtu, 1500));
}

Test(flow, retransmitted_syn_gives_nothing_and_keeps_the_flow)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s);

	obs_init(1000);
	cr_assert(eq(u32, observe(&g_obs, &s, T(0), r), 2));
	cr_assert(eq(u32, observe(&g_obs, &s, T(1), r), 0));
	cr_assert(eq(u32, observe(&g_obs, &a, T(2), r), 2));
	cr_assert(eq(u64, g_obs.flows.stats.created, 1));
}

Test(flow, new_syn_with_other_seq_restarts_the_flow)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0);

	obs_init(1000);
	cr_assert(eq(u32, observe(&g_obs, &s, T(0), r), 2));
	s.seq += 1000;
	cr_assert(eq(u32, observe(&g_obs, &s, T(1), r), 2));
	cr_assert(eq(u64, g_obs.flows.stats.created, 2));
	cr_assert(eq(u32, g_obs.flows.count, 1));
}

Test(flow, synack_without_syn_gives_nothing)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s);

	obs_init(1000);
	cr_assert(eq(u32, observe(&g_obs, &a, T(0), r), 0));
	cr_assert(eq(u32, g_obs.flows.count, 0));
}

Test(flow, second_synack_gives_nothing)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s);

	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	cr_assert(eq(u32, observe(&g_obs, &a, T(1), r), 2));
	cr_assert(eq(u32, observe(&g_obs, &a, T(2), r), 0));
	a.seq += 7;	/* not even a different one */
	cr_assert(eq(u32, observe(&g_obs, &a, T(3), r), 0));
	cr_assert(has_flow(&g_obs, &s));
}

Test(flow, synack_from_the_client_side_is_ignored)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s), wrong = s;

	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	wrong.flags = TF_SYN | TF_ACK;
	wrong.ack = 1;
	cr_assert(eq(u32, observe(&g_obs, &wrong, T(1), r), 0));
	cr_assert(eq(u32, observe(&g_obs, &a, T(2), r), 2));
}

Test(flow, ack_before_synack_kills_the_flow)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s), k = oc_ack(&s);

	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	cr_assert(eq(u32, observe(&g_obs, &k, T(1), r), 0));
	cr_assert(not(has_flow(&g_obs, &s)));
	cr_assert(eq(u32, observe(&g_obs, &a, T(2), r), 0));
}

Test(flow, tool_syn_gives_only_the_syn_record_and_no_synack_later)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a;

	/* NMap SYN scan: *:64-:0:1460:1024,0:mss::0 */
	s.frag = 0;
	s.win = 1024;
	s.opts.n = 0;
	opt_mss(&s.opts, 1460);
	a = oc_synack(&s);
	obs_init(1000);
	cr_assert(eq(u32, observe(&g_obs, &s, T(0), r), 1));
	cr_assert(eq(u8, r[0].kind, NP_REC_SYN));
	cr_assert(ne(int, r[0].tcp.flags & NP_RTCP_APP, 0));
	assert_str(r[0].names.label, "NMap SYN scan");
	cr_assert(not(has_flow(&g_obs, &s)));
	cr_assert(eq(u32, observe(&g_obs, &a, T(1), r), 0));
}

Test(flow, rst_kills_the_flow)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s), rst = a;

	rst.flags = TF_RST | TF_ACK;
	rst.opts.n = 0;
	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	cr_assert(eq(u32, observe(&g_obs, &rst, T(1), r), 0));
	cr_assert(not(has_flow(&g_obs, &s)));
	cr_assert(eq(u32, observe(&g_obs, &a, T(2), r), 0));
}

Test(flow, fin_kills_the_flow)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), fin = s;

	fin.flags = TF_FIN | TF_ACK;
	fin.ack = 1;
	fin.opts.n = 0;
	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	cr_assert(eq(u32, observe(&g_obs, &fin, T(1), r), 0));
	cr_assert(not(has_flow(&g_obs, &s)));
}

Test(flow, syn_without_mss_gives_no_mtu_record_but_keeps_the_flow)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s);

	s.opts.n = 0;
	obs_init(1000);
	cr_assert(eq(u32, observe(&g_obs, &s, T(0), r), 1));
	cr_assert(eq(u8, r[0].kind, NP_REC_SYN));
	cr_assert(eq(u32, observe(&g_obs, &a, T(1), r), 2));
}

/* p0f expire_cache(): every 50 packets, flows with now - created > 30 go. */
static void
ticks(unsigned n, uint64_t ts_us)
{
	for (unsigned i = 0; i < n; i++)
		np_tracker_tick(&g_obs, ts_us);
}

Test(flow, expires_after_30_s_on_the_50th_tick)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0);

	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	ticks(49, T(31));
	cr_assert(has_flow(&g_obs, &s));
	ticks(1, T(31));
	cr_assert(not(has_flow(&g_obs, &s)));
	cr_assert(eq(u64, g_obs.flows.stats.expired, 1));
}

Test(flow, kept_at_exactly_30_s)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0);

	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	ticks(50, T(30) + 999999);
	cr_assert(has_flow(&g_obs, &s));
	cr_assert(eq(u64, g_obs.flows.stats.expired, 0));
}

Test(flow, expiry_keeps_younger_flows)
{
	struct np_rec r[4];
	struct tf s0 = flow_syn(0), s1 = flow_syn(1);

	obs_init(1000);
	observe(&g_obs, &s0, T(0), r);
	observe(&g_obs, &s1, T(20), r);
	ticks(50, T(31));
	cr_assert(not(has_flow(&g_obs, &s0)));
	cr_assert(has_flow(&g_obs, &s1));
}

Test(flow, expired_flow_gives_no_synack_record)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s);

	obs_init(1000);
	observe(&g_obs, &s, T(0), r);
	ticks(50, T(40));
	cr_assert(eq(u32, observe(&g_obs, &a, T(40), r), 0));
}

/* p0f nuke_flows(): when more than max_conn flows exist, the oldest
 * 1 + 10 % go before a new one is made. */
Test(flow, prunes_oldest_one_plus_ten_percent_over_max_conn)
{
	struct np_rec r[4];
	struct tf s[14];

	obs_init(10);
	for (unsigned k = 0; k < 11; k++) {
		s[k] = flow_syn(k);
		observe(&g_obs, &s[k], T(k), r);
	}
	cr_assert(eq(u32, g_obs.flows.count, 11));	/* p0f lets it reach 11 */
	cr_assert(eq(u64, g_obs.flows.stats.evicted, 0));

	s[11] = flow_syn(11);
	observe(&g_obs, &s[11], T(11), r);	/* 11 > 10: prune 1 + 11 / 10 = 2 */
	cr_assert(eq(u64, g_obs.flows.stats.evicted, 2));
	cr_assert(eq(u32, g_obs.flows.count, 10));
	cr_assert(not(has_flow(&g_obs, &s[0])));
	cr_assert(not(has_flow(&g_obs, &s[1])));
	for (unsigned k = 2; k < 12; k++)
		cr_assert(has_flow(&g_obs, &s[k]), "flow %u", k);

	s[12] = flow_syn(12);
	observe(&g_obs, &s[12], T(12), r);	/* 10 is not over the limit */
	cr_assert(eq(u32, g_obs.flows.count, 11));
	s[13] = flow_syn(13);
	observe(&g_obs, &s[13], T(13), r);
	cr_assert(eq(u64, g_obs.flows.stats.evicted, 4));
	cr_assert(not(has_flow(&g_obs, &s[2])));
	cr_assert(not(has_flow(&g_obs, &s[3])));
	cr_assert(has_flow(&g_obs, &s[4]));
}

Test(flow, pruned_flow_gives_no_synack_record)
{
	struct np_rec r[4];
	struct tf s[12];

	obs_init(10);
	for (unsigned k = 0; k < 12; k++) {
		s[k] = flow_syn(k);
		observe(&g_obs, &s[k], T(k), r);
	}
	struct tf a0 = oc_synack(&s[0]), a5 = oc_synack(&s[5]);

	cr_assert(eq(u32, observe(&g_obs, &a0, T(20), r), 0));
	cr_assert(eq(u32, observe(&g_obs, &a5, T(20), r), 2));
}

/*
 * How long a flow lives once data flows (p0f process_http(), called from
 * flow_dispatch(): a 0 return destroys the flow). p0f drops the flow when it
 * decides the request is not HTTP, when the server talks before the request
 * headers are complete, and once the response headers are parsed.
 */
static struct tf
data_from(const struct tf *hdr_src, uint32_t seq, uint32_t ack, const char *text)
{
	struct tf t = *hdr_src;

	t.flags = TF_ACK | TF_PSH;
	t.seq = seq;
	t.ack = ack;
	t.opts.n = 0;
	t.payload = (const uint8_t *)text;
	t.pay_len = (uint16_t)strlen(text);
	return t;
}

/* Records of one kind among n. */
static unsigned
count_kind(const struct np_rec *r, unsigned n, enum np_rec_kind kind)
{
	unsigned c = 0;

	for (unsigned i = 0; i < n; i++)
		c += r[i].kind == kind;
	return c;
}

/*
 * SYN, SYN+ACK, ACK, then the client sends req (and the server resp).
 * Returns how many http request / response records were printed.
 */
static unsigned
http_exchange(const struct tf *s, const char *req, const char *resp, uint64_t ts)
{
	struct np_rec r[8];
	struct tf a = oc_synack(s), k = oc_ack(s);
	unsigned http = 0, n;

	observe(&g_obs, s, ts, r);
	observe(&g_obs, &a, ts + 1000, r);
	observe(&g_obs, &k, ts + 2000, r);
	if (req) {
		struct tf d = data_from(s, s->seq + 1, a.seq + 1, req);

		n = observe(&g_obs, &d, ts + 3000, r);
		http += count_kind(r, n, NP_REC_HTTP_REQUEST);
	}
	if (resp) {
		struct tf d = data_from(&a, a.seq + 1, s->seq + 1 + (req ? strlen(req) : 0), resp);

		n = observe(&g_obs, &d, ts + 4000, r);
		http += count_kind(r, n, NP_REC_HTTP_RESPONSE);
	}
	return http;
}

#define HTTP_REQ "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
#define HTTP_RESP "HTTP/1.1 200 OK\r\nServer: s\r\n\r\n"

Test(flow, http_request_in_progress_keeps_the_flow)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	http_exchange(&s, "GET / HTTP/1.1\r\nHost: a\r\n", NULL, T(0));
	cr_assert(has_flow(&g_obs, &s));
}

Test(flow, complete_request_waits_for_the_response)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	cr_assert(eq(u32, http_exchange(&s, HTTP_REQ, NULL, T(0)), 1), "one http request record");
	cr_assert(has_flow(&g_obs, &s));
}

Test(flow, request_and_response_give_one_record_each)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	cr_assert(eq(u32, http_exchange(&s, HTTP_REQ, HTTP_RESP, T(0)), 2));
}

Test(flow, incomplete_request_gives_no_http_record)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	cr_assert(eq(u32, http_exchange(&s, "GET / HTTP/1.1\r\nHost: a\r\n", NULL, T(0)), 0));
}

Test(flow, non_get_request_ends_the_flow)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	http_exchange(&s, "POST / HTTP/1.1\r\nHost: a\r\n\r\n", NULL, T(0));
	cr_assert(not(has_flow(&g_obs, &s)));
}

Test(flow, http_response_headers_end_the_flow)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	http_exchange(&s, HTTP_REQ, HTTP_RESP, T(0));
	cr_assert(not(has_flow(&g_obs, &s)), "p0f destroys the flow after the response headers");
}

Test(flow, binary_request_line_after_get_ends_the_flow)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	http_exchange(&s, "GET / \x01\x02\x03\x04\x05\x06\x07\x08\x09\x0b\r\n\r\n", NULL, T(0));
	cr_assert(not(has_flow(&g_obs, &s)), "p0f: \"Not HTTP - character 0x01 encountered\"");
}

Test(flow, response_before_request_headers_end_the_flow)
{
	struct tf s = flow_syn(0);

	obs_init(1000);
	http_exchange(&s, "GET / HTTP/1.1\r\nHost: a\r\n", HTTP_RESP, T(0));
	cr_assert(not(has_flow(&g_obs, &s)), "p0f: response before request done -> flow dropped");
}

/*
 * The same, seen in the records: with -m 20, flow A finishes an HTTP
 * exchange, then 22 SYNs arrive and 2 SYN+ACKs. p0f 3.09b ("p0f -m 20,1000"
 * on exactly these packets) logs no syn+ack for the third SYN (10.2.0.5 in
 * that run), because its flow was pruned; A was already gone and took no
 * slot. It logs the fourth one.
 */
Test(flow, pruning_after_finished_http_exchange_matches_p0f)
{
	struct np_rec r[4];
	struct tf a = flow_syn(100), s[22];

	tf_addr4(a.src, 10, 1, 0, 1);
	tf_addr4(a.dst, 10, 1, 0, 2);
	obs_init(20);
	http_exchange(&a, HTTP_REQ, HTTP_RESP, T(0));
	for (unsigned k = 0; k < 22; k++) {
		s[k] = flow_syn(k);
		tf_addr4(s[k].src, 10, 2, 0, (uint8_t)(2 * k + 1));
		tf_addr4(s[k].dst, 10, 2, 0, (uint8_t)(2 * k + 2));
		cr_assert(eq(u32, observe(&g_obs, &s[k], T(1), r), 2));
	}
	struct tf a2 = oc_synack(&s[2]), a3 = oc_synack(&s[3]);

	cr_assert(eq(u32, observe(&g_obs, &a2, T(2), r), 0), "p0f logs nothing for this SYN+ACK");
	cr_assert(eq(u32, observe(&g_obs, &a3, T(2), r), 2));
}

/*
 * Expiry counts what p0f's capture filter passes. An Ethernet frame with
 * EtherType IPv4, a bad version nibble and protocol 6 passes "tcp" and is
 * counted by p0f ("Processed 50 packets" below), though parse_packet()
 * drops it. p0f 3.09b on exactly this sequence (a SYN at t, 48 such frames
 * and the SYN+ACK at t + 40 s, so the SYN+ACK is packet 50 and expiry runs
 * first) logs the syn and mtu lines only.
 */
Test(flow, frames_passing_p0f_filter_count_towards_expiry)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s), g = flow_syn(99);
	uint8_t b[TF_MAX];
	size_t n = tf_eth(&g, b);
	struct np_link lk;
	unsigned out = 0;

	np_link_init(&lk, 1);
	b[14] = 0x55;
	obs_init(1000);
	out += feed(&g_obs, &s, T(0), r);
	for (int k = 0; k < 48; k++)
		if (np_link_is_tcp(&lk, b, (uint32_t)n))
			np_tracker_tick(&g_obs, T(40));
	cr_assert(eq(u32, out, 2));
	cr_assert(eq(u32, feed(&g_obs, &a, T(40), r), 0), "p0f expired the flow first");
}

/* One frame the way engine/worker.c handles it: tick when the frame passes
 * p0f's filter, parse, observe. */
static unsigned
worker_frame(struct np_tracker *o, const uint8_t *b, size_t n, uint64_t ts_us,
	     struct np_rec *out)
{
	struct np_link lk;
	struct np_packet pk;

	static struct np_observation obs;

	np_link_init(&lk, 1);
	if (np_link_is_tcp(&lk, b, (uint32_t)n))
		np_tracker_tick(o, ts_us);
	if (np_parse_frame(&lk, b, (uint32_t)n, &pk) != NP_PARSE_OK)
		return 0;
	np_track(o, g_db, 1, &pk, ts_us, &obs);
	return print_records(&obs, out);
}

/*
 * EtherType IPv6 over an IPv4 TCP SYN: p0f's filter drops it, so p0f 3.09b
 * logs nothing for it and does not count it. On a SYN at t, 48 such frames
 * and the SYN+ACK at t + 40 s, p0f logs syn, mtu, syn+ack, mtu ("Processed
 * 2 packets").
 */
Test(flow, mismatched_ethertype_frame_gives_no_record)
{
	struct np_rec r[4];
	struct tf g = flow_syn(99);
	uint8_t b[TF_MAX];
	size_t n = tf_eth(&g, b);

	b[12] = 0x86;
	b[13] = 0xdd;
	obs_init(1000);
	cr_assert(eq(u32, worker_frame(&g_obs, b, n, T(0), r), 0));
}

Test(flow, mismatched_ethertype_frames_do_not_count_towards_expiry)
{
	struct np_rec r[4];
	struct tf s = flow_syn(0), a = oc_synack(&s), g = flow_syn(99);
	uint8_t b[TF_MAX], f[TF_MAX];
	size_t n = tf_eth(&g, b), fn;

	b[12] = 0x86;
	b[13] = 0xdd;
	obs_init(1000);
	fn = tf_eth(&s, f);
	cr_assert(eq(u32, worker_frame(&g_obs, f, fn, T(0), r), 2));
	for (int k = 0; k < 48; k++)
		worker_frame(&g_obs, b, n, T(40), r);
	fn = tf_eth(&a, f);
	cr_assert(eq(u32, worker_frame(&g_obs, f, fn, T(40), r), 2), "p0f logs the syn+ack");
}
