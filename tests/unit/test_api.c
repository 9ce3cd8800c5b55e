/* SPDX-License-Identifier: MIT */
/*
 * The query API codec: p0f 3.09b's 21-byte query and 232-byte answer
 * (api.h, packed, native byte order), and the JSON-line form.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include "np_assert.h"

#include "api.h"
#include "hosts.h"

/* p0f's struct p0f_api_response, to read answers the way its clients do. */
struct p0f_api_response {
	uint32_t magic, status, first_seen, last_seen, total_conn, uptime_min, up_mod_days,
		last_nat, last_chg;
	int16_t distance;
	uint8_t bad_sw, os_match_q;
	char os_name[32], os_flavor[32], http_name[32], http_flavor[32], link_type[32],
		language[32];
} __attribute__((packed));

static struct np_hosts g_hosts;

static void
setup(void)
{
	cr_assert(eq(int, np_hosts_init(&g_hosts, 100, 1, 16), 0));
}

static void
teardown(void)
{
	np_hosts_fini(&g_hosts);
}

TestSuite(api, .init = setup, .fini = teardown);

static void
ignore(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx, (void)r, (void)tail;
}

/* A matched SYN from 192.0.2.7 to 198.51.100.1 at time t, as a worker sends it. */
static void
syn_from(uint32_t t, uint8_t ttl, const char *name, const char *flavor)
{
	struct np_rec r;

	memset(&r, 0, sizeof(r));
	r.ts_us = (uint64_t)t * 1000000;
	r.kind = NP_REC_SYN;
	r.ip_ver = 4;
	r.to_srv = 1;
	r.cli_port = 40000;
	r.srv_port = 80;
	inet_pton(AF_INET, "192.0.2.7", r.cli);
	inet_pton(AF_INET, "198.51.100.1", r.srv);
	r.tcp.flags = NP_RTCP_MATCHED | NP_RTCP_OS_SIG | NP_RTCP_GENERIC | NP_RTCP_HAS_MTU;
	r.tcp.m.class_id = 1;
	r.tcp.m.name_id = 3;
	r.names.name = name;
	r.names.flavor = flavor;
	r.tcp.dist = 64 - ttl;
	r.tcp.ttl = ttl;
	r.tcp.mss = 1460;
	r.tcp.mtu = 1500;
	r.names.link = "Ethernet or modem";
	np_hosts_process(&g_hosts, &r, NULL, ignore, NULL);
}

static void
ask(uint32_t magic, uint8_t type, const char *addr, struct p0f_api_response *out)
{
	uint8_t q[NP_API_QUERY_LEN] = { 0 };

	memcpy(q, &magic, 4);
	q[4] = type;
	if (addr)
		inet_pton(type == 6 ? AF_INET6 : AF_INET, addr, q + 5);
	np_api_answer(&g_hosts, q, (uint8_t *)out);
}

Test(api, layout_is_p0fs)
{
	cr_assert(eq(sz, sizeof(struct p0f_api_response), NP_API_RESP_LEN));
	cr_assert(eq(sz, offsetof(struct p0f_api_response, distance), 36));
	cr_assert(eq(sz, offsetof(struct p0f_api_response, os_name), 40));
	cr_assert(eq(sz, offsetof(struct p0f_api_response, language), 200));
}

Test(api, known_host_answers_with_its_facts)
{
	struct p0f_api_response r;

	syn_from(1000, 60, "Linux", "3.x");
	syn_from(1010, 60, "Linux", "3.x");
	ask(NP_API_QUERY_MAGIC, 4, "192.0.2.7", &r);
	cr_assert(eq(u32, r.magic, NP_API_RESP_MAGIC));
	cr_assert(eq(u32, r.status, NP_API_STATUS_OK));
	cr_assert(eq(u32, r.first_seen, 1000));
	cr_assert(eq(u32, r.last_seen, 1010));
	cr_assert(eq(u32, r.total_conn, 2));
	cr_assert(eq(i16, r.distance, 4));
	cr_assert(eq(u8, r.os_match_q, 2), "generic");
	cr_assert(eq(str, r.os_name, "Linux"));
	cr_assert(eq(str, r.os_flavor, "3.x"));
	cr_assert(eq(str, r.link_type, "Ethernet or modem"));
	cr_assert(eq(u32, r.uptime_min, 0), "no uptime: 0, as p0f");
	cr_assert(eq(str, r.http_name, ""));
}

Test(api, server_side_host_has_unknown_distance_255)
{
	struct p0f_api_response r;

	syn_from(1000, 60, "Linux", "3.x");
	ask(NP_API_QUERY_MAGIC, 4, "198.51.100.1", &r);
	cr_assert(eq(u32, r.status, NP_API_STATUS_OK));
	cr_assert(eq(i16, r.distance, 255), "p0f's u8 distance reads 255 when unknown");
	cr_assert(eq(u32, r.total_conn, 1));
	cr_assert(eq(str, r.os_name, ""));
}

Test(api, names_are_cut_to_32_bytes_without_nul)
{
	struct p0f_api_response r;
	const char *longf = "10.9 or newer (sometimes iPhone or iPad)";

	syn_from(1000, 64, "MacOS X", longf);
	ask(NP_API_QUERY_MAGIC, 4, "192.0.2.7", &r);
	cr_assert(eq(int, memcmp(r.os_flavor, longf, 32), 0));
	cr_assert(eq(int, memcmp(r.http_name, "\0", 1), 0));
}

Test(api, unknown_host_is_no_match)
{
	struct p0f_api_response r;

	ask(NP_API_QUERY_MAGIC, 4, "203.0.113.9", &r);
	cr_assert(eq(u32, r.magic, NP_API_RESP_MAGIC));
	cr_assert(eq(u32, r.status, NP_API_STATUS_NOMATCH));
	ask(NP_API_QUERY_MAGIC, 6, "2001:db8::1", &r);
	cr_assert(eq(u32, r.status, NP_API_STATUS_NOMATCH));
}

Test(api, bad_magic_and_bad_type_are_bad_queries)
{
	struct p0f_api_response r;

	syn_from(1000, 60, "Linux", "3.x");
	ask(0x50304602, 4, "192.0.2.7", &r);
	cr_assert(eq(u32, r.status, NP_API_STATUS_BADQUERY));
	cr_assert(eq(u32, r.magic, NP_API_RESP_MAGIC));
	ask(NP_API_QUERY_MAGIC, 5, "192.0.2.7", &r);
	cr_assert(eq(u32, r.status, NP_API_STATUS_BADQUERY));
	cr_assert(eq(u32, r.first_seen, 0), "nothing else filled in");
}

static const char *
json_answer(const char *q, char *out, size_t len)
{
	size_t n = np_api_answer_json(&g_hosts, q, strlen(q), out, len, NULL);

	cr_assert(gt(sz, n, 0));
	cr_assert(eq(chr, out[n - 1], '\n'));
	out[n - 1] = 0;
	return out;
}

Test(api, json_known_host)
{
	char out[2048];

	syn_from(1000, 60, "Linux", "3.x");
	json_answer("{\"addr\":\"192.0.2.7\"}", out, sizeof(out));
	cr_assert(not(eq(ptr, strstr(out, "\"status\":\"ok\""), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"total_conn\":1"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"os\":{\"name\":\"Linux\",\"flavor\":\"3.x\",\"match\":\"generic\"}"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"distance\":4"), NULL)), "%s", out);
}

Test(api, json_malformed_queries)
{
	char out[2048];

	cr_assert(not(eq(ptr, strstr(json_answer("not json", out, sizeof(out)), "bad query"), NULL)));
	cr_assert(not(eq(ptr, strstr(json_answer("{\"addr\":42}", out, sizeof(out)), "bad query"), NULL)));
	cr_assert(not(eq(ptr, strstr(json_answer("{\"addr\":\"1.2.3\"}", out, sizeof(out)), "bad query"), NULL)));
	cr_assert(not(eq(ptr, strstr(json_answer("[1,2]", out, sizeof(out)), "bad query"), NULL)));
	cr_assert(not(eq(ptr, strstr(json_answer("{\"addr\":\"2001:db8::5\"}", out, sizeof(out)), "no match"), NULL)));
}

Test(api, json_answer_never_overflows)
{
	char out[16];
	size_t n;

	syn_from(1000, 60, "Linux", "3.x");
	n = np_api_answer_json(&g_hosts, "{\"addr\":\"192.0.2.7\"}", 20, out, sizeof(out), NULL);
	cr_assert(le(sz, n, sizeof(out)));
}

/* A "tls client" record from addr at time t, matched or not, as a worker sends it. */
static void
tls_client_from(const char *addr, uint32_t t, const char *ja4, const char *name,
		const char *flavor, uint8_t flags)
{
	struct np_rec r;

	memset(&r, 0, sizeof(r));
	r.ts_us = (uint64_t)t * 1000000;
	r.kind = NP_REC_TLS_CLIENT;
	r.ip_ver = 4;
	r.to_srv = 1;
	r.cli_port = 40001;
	r.srv_port = 443;
	inet_pton(AF_INET, addr, r.cli);
	inet_pton(AF_INET, "198.51.100.1", r.srv);
	strcpy(r.tls.sig, ja4);
	r.tls.transport = 'q';
	r.tls.flags = flags;
	r.tls.m.class_id = -1;
	if (name) {
		r.names.name = name;
		r.names.flavor = flavor;
	}
	np_hosts_process(&g_hosts, &r, NULL, ignore, NULL);
}

/* The JSON answer carries the host's last TLS client fingerprint. */
Test(api, json_last_tls_client)
{
	char out[2048];

	syn_from(1000, 60, "Linux", "3.x");
	json_answer("{\"addr\":\"192.0.2.7\"}", out, sizeof(out));
	cr_assert(not(eq(ptr, strstr(out, "\"tls\":null"), NULL)), "%s", out);

	tls_client_from("192.0.2.7", 1001, "t13d1516h2_8daaf6152771_e5627efa2ab1", "Chrome", "120",
			NP_RTLS_MATCHED | NP_RTLS_GENERIC | NP_RTLS_OS_MISMATCH);
	tls_client_from("192.0.2.7", 1002, "q13d0311h3_55b375c5d22e_653d80c3fe9d", "Firefox", "130",
			NP_RTLS_MATCHED);
	json_answer("{\"addr\":\"192.0.2.7\"}", out, sizeof(out));
	cr_assert(not(eq(ptr, strstr(out, "\"os\":{\"name\":\"Linux\""), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"tls\":{\"ja4\":\"q13d0311h3_55b375c5d22e_653d80c3fe9d\","
				      "\"transport\":\"quic\",\"last_seen\":1002,\"app\":{\"name\":"
				      "\"Firefox\",\"flavor\":\"130\",\"match\":\"exact\"},"
				      "\"os_mismatch\":false}"), NULL)), "%s", out);

	/* the binary answer stays p0f's */
	struct p0f_api_response r;
	ask(NP_API_QUERY_MAGIC, 4, "192.0.2.7", &r);
	cr_assert(eq(u32, r.status, NP_API_STATUS_OK));
	cr_assert(eq(str, r.http_name, ""));
}

/* A client known by TLS alone (a QUIC client sends no SYN): p0f's facts
 * empty, the binary API says no match as p0f would. */
Test(api, json_tls_only_client)
{
	char out[2048];
	struct p0f_api_response r;

	tls_client_from("203.0.113.5", 2000, "q13d0311h3_55b375c5d22e_653d80c3fe9d", NULL, NULL, 0);
	json_answer("{\"addr\":\"203.0.113.5\"}", out, sizeof(out));
	cr_assert(not(eq(ptr, strstr(out, "\"status\":\"ok\""), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"first_seen\":2000"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"os\":null"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"distance\":null"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, "\"app\":null,\"os_mismatch\":false}"), NULL)), "%s", out);
	ask(NP_API_QUERY_MAGIC, 4, "203.0.113.5", &r);
	cr_assert(eq(u32, r.status, NP_API_STATUS_NOMATCH));
}

/* The TLS table is bounded: the least recently seen client goes. */
Test(api, tls_clients_bounded)
{
	char addr[32], out[2048];

	for (unsigned i = 0; i < 150; i++) {
		snprintf(addr, sizeof(addr), "10.0.%u.%u", i / 250, i % 250 + 1);
		tls_client_from(addr, 3000 + i, "t13d1516h2_8daaf6152771_e5627efa2ab1", NULL, NULL, 0);
	}
	cr_assert(le(u32, g_hosts.tls.count, g_hosts.tls.cap));
	cr_assert(not(eq(ptr, strstr(json_answer("{\"addr\":\"10.0.0.1\"}", out, sizeof(out)),
				     "no match"), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(json_answer("{\"addr\":\"10.0.0.150\"}", out, sizeof(out)),
				     "\"status\":\"ok\""), NULL)), "%s", out);
}

/*
 * Found by fuzz_db and fuzz_api: a name that is not UTF-8 (any database but
 * the bundled one), or one whose 32-byte cut splits a character, made the
 * JSON answer drop "os" altogether. Such bytes read as U+FFFD, as in --json.
 */
Test(api, json_keeps_os_when_a_name_is_not_utf8)
{
	char out[2048];

	syn_from(1000, 60, "Linux\x8a", "3.x");
	json_answer("{\"addr\":\"192.0.2.7\"}", out, sizeof(out));
	cr_assert(not(eq(ptr, strstr(out, "\"os\":{\"name\":\"Linux\xef\xbf\xbd\",\"flavor\":\"3.x\""),
			 NULL)), "%s", out);
}

Test(api, json_keeps_os_when_the_32_byte_cut_splits_a_character)
{
	char out[2048], flavor[64] = "", want[128];

	for (int i = 0; i < 15; i++)
		strcat(flavor, "\xc3\xa9");	/* é */
	strcat(flavor, "x\xc3\xa9");		/* 33 bytes: the cut falls inside the last é */
	syn_from(1000, 60, "Linux", flavor);
	json_answer("{\"addr\":\"192.0.2.7\"}", out, sizeof(out));
	snprintf(want, sizeof(want), "\"flavor\":\"%.31s\xef\xbf\xbd\"", flavor);
	cr_assert(not(eq(ptr, strstr(out, want), NULL)), "%s", out);
}
