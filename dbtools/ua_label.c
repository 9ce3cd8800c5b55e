/* SPDX-License-Identifier: MIT */
/*
 * What a User-Agent says, in a database label's words (ua_label.h).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ua_label.h"

const char *
np_ua_family_class(enum np_os_family f)
{
	switch (f) {
	case NP_OSF_WINDOWS:
		return "win";
	case NP_OSF_MACOS:
	case NP_OSF_IOS:
	case NP_OSF_ANDROID:
	case NP_OSF_LINUX:
	case NP_OSF_CHROMEOS:
	case NP_OSF_BSD:
		return "unix";
	default:
		return NULL;
	}
}

const char *
np_ua_os_name(enum np_os_family f, const char *ua)
{
	static const char *const bsds[] = { "FreeBSD", "OpenBSD", "NetBSD", "DragonFly" };

	switch (f) {
	case NP_OSF_WINDOWS:
		return "Windows";
	case NP_OSF_MACOS:
		return "Mac OS X";
	case NP_OSF_IOS:
		return "iOS";
	case NP_OSF_ANDROID:
	case NP_OSF_LINUX:
		return "Linux";
	case NP_OSF_CHROMEOS:
		return "Chrome OS";
	case NP_OSF_BSD:
		for (unsigned i = 0; ua && i < sizeof(bsds) / sizeof(bsds[0]); i++)
			if (strstr(ua, bsds[i]))
				return bsds[i];
		return "FreeBSD";
	default:
		return NULL;
	}
}

/* The digits after the first of marks found in ua, with '_' read as '.',
 * cut to parts numbers ("10_15_7", 2: "10.15"); "" when none. */
static void
version_after(const char *ua, const char *const *marks, unsigned parts, char *out, size_t len)
{
	const char *p = NULL;
	size_t n = 0;

	out[0] = 0;
	for (unsigned i = 0; marks[i] && !p; i++)
		if ((p = strstr(ua, marks[i])))
			p += strlen(marks[i]);
	if (!p || !isdigit((unsigned char)*p))
		return;
	for (unsigned seen = 1; *p && n + 1 < len; p++) {
		if (isdigit((unsigned char)*p)) {
			out[n++] = *p;
		} else if ((*p == '.' || *p == '_') && isdigit((unsigned char)p[1]) && seen < parts) {
			out[n++] = '.';
			seen++;
		} else {
			break;
		}
	}
	out[n] = 0;
}

void
np_ua_flavor(enum np_os_family f, const char *ua, char *out, size_t len)
{
	static const char *const nt[] = { "Windows NT ", NULL };
	static const char *const mac[] = { "Mac OS X ", NULL };
	static const char *const ios[] = { "iPhone OS ", "CPU OS ", NULL };
	static const char *const android[] = { "Android ", NULL };
	static const struct {
		const char *nt, *name;
	} windows[] = {
		{ "10.0", "10 or 11" }, { "6.3", "8.1" }, { "6.2", "8" }, { "6.1", "7" },
		{ "6.0", "Vista" }, { "5.2", "XP" }, { "5.1", "XP" }, { "5.0", "2000" },
	};
	char v[32];

	out[0] = 0;
	if (!ua || !len)
		return;
	switch (f) {
	case NP_OSF_WINDOWS:
		version_after(ua, nt, 2, v, sizeof(v));
		for (unsigned i = 0; i < sizeof(windows) / sizeof(windows[0]); i++)
			if (!strcmp(v, windows[i].nt))
				snprintf(out, len, "%s", windows[i].name);
		break;
	case NP_OSF_MACOS:
		version_after(ua, mac, 2, v, sizeof(v));
		/* browsers have said 10.15 on every macOS since 11 */
		snprintf(out, len, "%s%s", v, !strcmp(v, "10.15") ? " or newer" : "");
		break;
	case NP_OSF_IOS:
		version_after(ua, ios, 1, v, sizeof(v));
		snprintf(out, len, "%s", v);
		break;
	case NP_OSF_ANDROID:
		version_after(ua, android, 1, v, sizeof(v));
		snprintf(out, len, "(Android%s%s)", *v ? " " : "", v);
		break;
	default:
		break;
	}
}

static bool
take(const char *ua, const char *mark, const char *name, char *out, size_t len)
{
	if (!strstr(ua, mark))
		return false;
	snprintf(out, len, "%s", name);
	return true;
}

void
np_ua_client(const char *ua, char *out, size_t len)
{
	out[0] = 0;
	if (!ua || !len)
		return;
	if (!strncmp(ua, "Mozilla/", 8)) {
		/* the most specific mark first: every Chromium says Chrome and
		 * Safari, Safari says Safari only */
		(void)(take(ua, "Electron/", "Electron", out, len) || take(ua, "Edg/", "Edge", out, len) ||
		       take(ua, "Edge/", "Edge", out, len) || take(ua, "OPR/", "Opera", out, len) ||
		       take(ua, "SamsungBrowser/", "Samsung Internet", out, len) ||
		       take(ua, "CriOS/", "Chrome", out, len) || take(ua, "Chrome/", "Chrome", out, len) ||
		       take(ua, "FxiOS/", "Firefox", out, len) || take(ua, "Firefox/", "Firefox", out, len) ||
		       take(ua, "MSIE ", "MSIE", out, len) || take(ua, "Trident/", "MSIE", out, len) ||
		       take(ua, "Safari/", "Safari", out, len));
		return;	/* none: a bot's "compatible; ...", an unknown browser */
	}
	size_t n = strcspn(ua, "/ ;(");

	/* "CaptiveNetworkSupport-390.60.1": the product without its version */
	for (size_t i = 1; i < n; i++)
		if (ua[i] == '-' && ua[i + 1] >= '0' && ua[i + 1] <= '9')
			n = i;
	snprintf(out, len, "%.*s", (int)n, ua);
}
