/* SPDX-License-Identifier: MIT */
/*
 * OS families (matcher/os_family.h): what real User-Agents declare, what
 * labels may mean, and every OS label of the bundled p0f.fp placed.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "db.h"
#include "os_family.h"

struct ua_case {
	const char *ua;
	enum np_os_family want;
};

static const struct ua_case uas[] = {
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	  "Chrome/120.0.0.0 Safari/537.36", NP_OSF_WINDOWS },
	{ "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)", NP_OSF_WINDOWS },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
	  "Gecko) Version/17.1 Safari/605.1.15", NP_OSF_MACOS },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
	  "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", NP_OSF_IOS },
	{ "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15", NP_OSF_IOS },
	{ "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
	  "Chrome/120.0.0.0 Mobile Safari/537.36", NP_OSF_ANDROID },
	{ "Dalvik/2.1.0 (Linux; U; Android 11; SM-G991B Build/RP1A.200720.012)", NP_OSF_ANDROID },
	{ "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0", NP_OSF_LINUX },
	{ "Mozilla/5.0 (X11; Ubuntu; Linux i686; rv:24.0) Gecko/20100101", NP_OSF_LINUX },
	{ "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36", NP_OSF_CHROMEOS },
	{ "Mozilla/5.0 (X11; FreeBSD amd64; rv:109.0) Gecko/20100101 Firefox/115.0", NP_OSF_BSD },
	{ "Mozilla/5.0 (X11; OpenBSD amd64; rv:102.0) Gecko/20100101", NP_OSF_BSD },
	{ "curl/8.4.0", NP_OSF_UNKNOWN },
	{ "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	  NP_OSF_UNKNOWN },
	{ "Wget/1.21.3", NP_OSF_UNKNOWN },
	{ "Debian APT-HTTP/1.3 (2.6.1)", NP_OSF_LINUX },
	{ "", NP_OSF_UNKNOWN },
};

Test(os_family, user_agents_declare_their_family)
{
	for (unsigned i = 0; i < sizeof(uas) / sizeof(uas[0]); i++)
		cr_assert(eq(int, np_os_family_of_ua(uas[i].ua), uas[i].want), "%s", uas[i].ua);
	cr_assert(eq(int, np_os_family_of_ua(NULL), NP_OSF_UNKNOWN));
}

Test(os_family, update_services_declare_their_os)
{
	cr_assert(eq(int, np_os_family_of_sni("fe2.update.microsoft.com"), NP_OSF_WINDOWS));
	cr_assert(eq(int, np_os_family_of_sni("ctldl.windowsupdate.com"), NP_OSF_WINDOWS));
	cr_assert(eq(int, np_os_family_of_sni("WindowsUpdate.com"), NP_OSF_WINDOWS));
	cr_assert(eq(int, np_os_family_of_sni("swscan.apple.com"), NP_OSF_MACOS));
	cr_assert(eq(int, np_os_family_of_sni("notwindowsupdate.com"), NP_OSF_UNKNOWN),
		  "a name under the domain, not one ending in its letters");
	cr_assert(eq(int, np_os_family_of_sni("mesu.apple.com"), NP_OSF_UNKNOWN),
		  "iOS and macOS share it");
	cr_assert(eq(int, np_os_family_of_sni("www.google.com"), NP_OSF_UNKNOWN));
	cr_assert(eq(int, np_os_family_of_sni(NULL), NP_OSF_UNKNOWN));
}

Test(os_family, labels_may_mean_one_family_or_two)
{
	const uint32_t mac = NP_OSF_BIT(NP_OSF_MACOS), ios = NP_OSF_BIT(NP_OSF_IOS);

	cr_assert(eq(u32, np_os_families_of_label("Windows", "7 or 8"), NP_OSF_BIT(NP_OSF_WINDOWS)));
	cr_assert(eq(u32, np_os_families_of_label("Mac OS X", "10.x"), mac));
	cr_assert(eq(u32, np_os_families_of_label("Mac OS X", "iPhone or iPad"), ios));
	cr_assert(eq(u32, np_os_families_of_label("MacOS X",
						  "10.9 or newer (sometimes iPhone or iPad)"),
		     mac | ios));
	cr_assert(eq(u32, np_os_families_of_label("iOS", "iPhone 13"), ios));
	cr_assert(eq(u32, np_os_families_of_label("Linux", "3.11 and newer"),
		     NP_OSF_BIT(NP_OSF_LINUX)));
	cr_assert(eq(u32, np_os_families_of_label("Linux", "(Android)"), NP_OSF_BIT(NP_OSF_ANDROID)),
		  "Android is its own family");
	cr_assert(eq(u32, np_os_families_of_label("FreeBSD", "9.x or newer"), NP_OSF_BIT(NP_OSF_BSD)));
	cr_assert(eq(u32, np_os_families_of_label("Solaris", "10"), NP_OSF_BIT(NP_OSF_OTHER)));
	cr_assert(eq(u32, np_os_families_of_label("masscan", ""), 0), "a tool names no OS");
	cr_assert(eq(u32, np_os_families_of_label("", ""), 0));
	cr_assert(eq(u32, np_os_families_of_label(NULL, NULL), 0));
}

/* Every OS label (class not "!") of p0f's TCP signatures has a family but
 * the crawlers and tools p0f files under an OS class. */
Test(os_family, every_os_label_of_the_bundled_database_is_placed)
{
	static const char *const none[] = { "BaiduSpider", "p0f" };
	char err[512];
	struct np_db *db = np_db_load(NP_TEST_FP, err, sizeof(err));
	unsigned placed = 0;

	cr_assert(db != NULL, "%s", err);
	for (int dir = 0; dir < 2; dir++)
		for (uint32_t i = 0; i < db->n_tcp[dir]; i++) {
			const struct np_label *lb = np_db_label(db, db->tcp[dir][i].label);
			const char *name = db->names[lb->name_id];
			bool tool = false;

			if (lb->class_id < 0)
				continue;
			for (unsigned k = 0; k < sizeof(none) / sizeof(none[0]); k++)
				tool |= !strcmp(name, none[k]);
			cr_assert(eq(int, np_os_families_of_label(name, lb->flavor) != 0, !tool),
				  "%s %s", name, lb->flavor ? lb->flavor : "");
			placed += !tool;
		}
	cr_assert(placed > 100, "%u OS signatures", placed);
	np_db_free(db);
}
