/* SPDX-License-Identifier: MIT */
/*
 * The database tools' pieces (dbtools/): labels from User-Agents
 * (ua_label.h) and what a capture's hosts declare (evidence.h), on
 * records made up in the test.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "evidence.h"
#include "ua_label.h"

static void
flavor(enum np_os_family f, const char *ua, const char *want)
{
	char out[64];

	np_ua_flavor(f, ua, out, sizeof(out));
	cr_assert(eq(str, out, (char *)want), "%s", ua);
}

Test(ua_label, versions_in_a_labels_words)
{
	flavor(NP_OSF_WINDOWS, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "10 or 11");
	flavor(NP_OSF_WINDOWS, "Mozilla/5.0 (Windows NT 6.1; WOW64)", "7");
	flavor(NP_OSF_WINDOWS, "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1)", "XP");
	flavor(NP_OSF_WINDOWS, "Mozilla/5.0 (Windows NT 99.0)", "");
	flavor(NP_OSF_MACOS, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)", "10.15 or newer");
	flavor(NP_OSF_MACOS, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:1)", "10.14");
	flavor(NP_OSF_IOS, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)", "17");
	flavor(NP_OSF_IOS, "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X)", "16");
	flavor(NP_OSF_ANDROID, "Dalvik/2.1.0 (Linux; U; Android 5.1.1; LGLS751)", "(Android 5)");
	flavor(NP_OSF_ANDROID, "Like-Android", "(Android)");
	flavor(NP_OSF_LINUX, "Mozilla/5.0 (X11; Linux x86_64)", "");
	flavor(NP_OSF_WINDOWS, NULL, "");
}

static void
client(const char *ua, const char *want)
{
	char out[64];

	np_ua_client(ua, out, sizeof(out));
	cr_assert(eq(str, out, (char *)want), "%s", ua);
}

Test(ua_label, the_client_a_user_agent_names)
{
	client("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) "
	       "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0", "Edge");
	client("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) "
	       "Chrome/120.0.0.0 Safari/537.36", "Chrome");
	client("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) "
	       "Slack/4.32.122 Chrome/112.0.5615.87 Electron/24.1.2 Safari/537.36", "Electron");
	client("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
	       "like Gecko) Version/17.1 Safari/605.1.15", "Safari");
	client("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "Firefox");
	client("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "");
	client("curl/8.4.0", "curl");
	client("python-requests/2.31.0", "python-requests");
	client("CaptiveNetworkSupport-390.60.1 wispr", "CaptiveNetworkSupport");
	client(NULL, "");
}

Test(ua_label, p0f_names_for_a_family)
{
	cr_assert(eq(str, (char *)np_ua_os_name(NP_OSF_ANDROID, NULL), "Linux"),
		  "Android's SYN label is p0f's 'Linux (Android)'");
	cr_assert(eq(str, (char *)np_ua_os_name(NP_OSF_BSD, "X11; OpenBSD amd64"), "OpenBSD"));
	cr_assert(eq(str, (char *)np_ua_family_class(NP_OSF_WINDOWS), "win"));
	cr_assert(eq(str, (char *)np_ua_family_class(NP_OSF_IOS), "unix"));
	cr_assert(eq(ptr, (void *)np_ua_family_class(NP_OSF_OTHER), NULL));
	cr_assert(eq(ptr, (void *)np_ua_os_name(NP_OSF_UNKNOWN, NULL), NULL));
}

static struct np_record
http_request(const char *client_ip, const char *raw_sig)
{
	struct np_record r;

	memset(&r, 0, sizeof(r));
	r.kind = NP_KIND_HTTP_REQUEST;
	r.client.text = client_ip;
	r.server.text = "192.0.2.80";
	r.subject_is_client = true;
	r.raw_sig = raw_sig;
	return r;
}

Test(evidence, hosts_declare_one_family_or_are_split)
{
	struct np_evidence *ev = np_evidence_new();
	struct np_record r;
	struct np_host_evidence he;
	unsigned known, split;

	cr_assert(ev != NULL);
	r = http_request("10.0.0.1", "1:Host,User-Agent:Accept:Mozilla/5.0 (Windows NT 10.0)");
	cr_assert(eq(int, np_evidence_see(ev, &r), 0));
	cr_assert(eq(int, np_evidence_see(ev, &r), 0), "the same claim twice");
	r = http_request("10.0.0.2", "1:Host,Accept=[a:b]:Accept:Mozilla/5.0 (Linux; Android 14)");
	cr_assert(eq(int, np_evidence_see(ev, &r), 0));
	r = http_request("10.0.0.3", "1:Host::Mozilla/5.0 (X11; Linux x86_64)");
	cr_assert(eq(int, np_evidence_see(ev, &r), 0));
	r = http_request("10.0.0.3", "1:Host::Mozilla/5.0 (iPhone; CPU iPhone OS 17_1)");
	cr_assert(eq(int, np_evidence_see(ev, &r), 0));
	r = http_request("10.0.0.4", "1:Host::curl/8.4.0");
	cr_assert(eq(int, np_evidence_see(ev, &r), 0));
	memset(&r, 0, sizeof(r));
	r.kind = NP_KIND_TLS_CLIENT;
	r.client.text = "10.0.0.5";
	r.sni = "ctldl.windowsupdate.com";
	cr_assert(eq(int, np_evidence_see(ev, &r), 0));
	np_evidence_settle(ev);

	np_evidence_of(ev, "10.0.0.1", &he);
	cr_assert(eq(int, he.family, NP_OSF_WINDOWS));
	cr_assert(eq(str, (char *)he.example, "Mozilla/5.0 (Windows NT 10.0)"));
	cr_assert(eq(sz, he.n_claims, 1), "a claim made twice is kept once");
	np_evidence_of(ev, "10.0.0.2", &he);
	cr_assert(eq(int, he.family, NP_OSF_ANDROID),
		  "the software field after a ':' inside brackets");
	np_evidence_of(ev, "10.0.0.3", &he);
	cr_assert(eq(int, he.family, NP_OSF_UNKNOWN));
	cr_assert(he.split);
	np_evidence_of(ev, "10.0.0.4", &he);
	cr_assert(eq(int, he.family, NP_OSF_UNKNOWN), "curl names no OS");
	cr_assert(eq(sz, he.n_claims, 1), "but its User-Agent is kept (the client it names)");
	np_evidence_of(ev, "10.0.0.5", &he);
	cr_assert(eq(int, he.family, NP_OSF_WINDOWS));
	cr_assert(he.claims[0].is_sni);
	np_evidence_of(ev, "10.9.9.9", &he);
	cr_assert(eq(int, he.family, NP_OSF_UNKNOWN));
	cr_assert(eq(sz, he.n_claims, 0));
	np_evidence_counts(ev, &known, &split);
	cr_assert(eq(u32, known, 3));
	cr_assert(eq(u32, split, 1));

	np_evidence_clear(ev);
	np_evidence_settle(ev);
	np_evidence_of(ev, "10.0.0.1", &he);
	cr_assert(eq(int, he.family, NP_OSF_UNKNOWN), "cleared for the next capture");
	np_evidence_free(ev);
}
