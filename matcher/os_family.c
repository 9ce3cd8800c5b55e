/* SPDX-License-Identifier: MIT */
/*
 * OS families from User-Agents and from labels (os_family.h).
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "os_family.h"

const char *const np_os_family_names[NP_OSF_COUNT] = {
#define NP_OSF_NAME_(id, name) name,
	NP_FOREACH_OS_FAMILY(NP_OSF_NAME_)
#undef NP_OSF_NAME_
};

static bool
has(const char *s, const char *what)
{
	return s && strstr(s, what) != NULL;
}

/*
 * In this order: a phone's User-Agent names the desktop it resembles too
 * ("Linux; Android", "like Mac OS X"), a Chromebook's names X11.
 */
enum np_os_family
np_os_family_of_ua(const char *ua)
{
	if (!ua || !*ua)
		return NP_OSF_UNKNOWN;
	if (has(ua, "Android"))
		return NP_OSF_ANDROID;
	if (has(ua, "CrOS"))
		return NP_OSF_CHROMEOS;
	if (has(ua, "iPhone") || has(ua, "iPad") || has(ua, "iPod"))
		return NP_OSF_IOS;
	if (has(ua, "Macintosh") || has(ua, "Mac OS X") || has(ua, "Mac_PowerPC"))
		return NP_OSF_MACOS;
	if (has(ua, "Windows") || has(ua, "Win64") || has(ua, "Win32") || has(ua, "WinNT"))
		return NP_OSF_WINDOWS;
	if (has(ua, "FreeBSD") || has(ua, "OpenBSD") || has(ua, "NetBSD") || has(ua, "DragonFly"))
		return NP_OSF_BSD;
	if (has(ua, "Linux") || has(ua, "X11") || has(ua, "Ubuntu") || has(ua, "Fedora") ||
	    has(ua, "Debian") || has(ua, "CentOS") || has(ua, "Red Hat"))
		return NP_OSF_LINUX;
	return NP_OSF_UNKNOWN;
}

static bool
is_or_under(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);

	return h >= d && !strcasecmp(host + h - d, domain) && (h == d || host[h - d - 1] == '.');
}

/*
 * The vendors' own lists of what their update clients reach: Microsoft's
 * "Windows Update" endpoints (windowsupdate.com, update.microsoft.com) and
 * Apple's "Use Apple products on enterprise networks" (swscan, swcdn and
 * swdist.apple.com: macOS software updates). Names shared with other
 * systems (Apple's mesu serves iOS too, Google's checkin serves desktop
 * Chrome) are left out.
 */
static const struct {
	const char *domain;
	enum np_os_family family;
} update_services[] = {
	{ "windowsupdate.com", NP_OSF_WINDOWS },
	{ "update.microsoft.com", NP_OSF_WINDOWS },
	{ "swscan.apple.com", NP_OSF_MACOS },
	{ "swcdn.apple.com", NP_OSF_MACOS },
	{ "swdist.apple.com", NP_OSF_MACOS },
};

enum np_os_family
np_os_family_of_sni(const char *sni)
{
	if (!sni)
		return NP_OSF_UNKNOWN;
	for (unsigned i = 0; i < sizeof(update_services) / sizeof(update_services[0]); i++)
		if (is_or_under(sni, update_services[i].domain))
			return update_services[i].family;
	return NP_OSF_UNKNOWN;
}

/* p0f's and the forks' OS names that are not a family of their own. */
static const char *const other_os[] = {
	"Solaris", "HP-UX", "AIX", "IRIX", "Tru64", "OpenVMS", "NeXTSTEP", "Nintendo", "BeOS",
	"Haiku", "QNX", "Minix", "WebOS", "Symbian", "BlackBerry", "Playstation", "PlayStation",
	"Xbox", "z/OS", "NetWare", "Novell", "SCO", "OS/2", "Ultrix", "RISC OS", "AmigaOS",
	"Blackberry", "Catalyst", "Cisco", "Juniper", "Plan9", "Inferno",
};

uint32_t
np_os_families_of_label(const char *name, const char *flavor)
{
	if (!name || !*name)
		return 0;
	if (!strcmp(name, "Windows"))
		return NP_OSF_BIT(NP_OSF_WINDOWS);
	if (!strcmp(name, "Mac OS X") || !strcmp(name, "MacOS X") || !strcmp(name, "macOS") ||
	    !strcmp(name, "Mac OS")) {
		if (!has(flavor, "iPhone") && !has(flavor, "iPad"))
			return NP_OSF_BIT(NP_OSF_MACOS);
		return has(flavor, "sometimes") ? NP_OSF_BIT(NP_OSF_MACOS) | NP_OSF_BIT(NP_OSF_IOS)
						  : NP_OSF_BIT(NP_OSF_IOS);
	}
	if (!strcmp(name, "iOS"))
		return NP_OSF_BIT(NP_OSF_IOS);
	if (!strcmp(name, "Android") || (!strcmp(name, "Linux") && has(flavor, "Android")))
		return NP_OSF_BIT(NP_OSF_ANDROID);
	if (!strcmp(name, "Linux"))
		return NP_OSF_BIT(NP_OSF_LINUX);
	if (!strcmp(name, "Chrome OS") || !strcmp(name, "ChromeOS"))
		return NP_OSF_BIT(NP_OSF_CHROMEOS);
	if (strstr(name, "BSD") || !strcmp(name, "DragonFly"))
		return NP_OSF_BIT(NP_OSF_BSD);
	for (unsigned i = 0; i < sizeof(other_os) / sizeof(other_os[0]); i++)
		if (!strncmp(name, other_os[i], strlen(other_os[i])))
			return NP_OSF_BIT(NP_OSF_OTHER);
	return 0;
}
