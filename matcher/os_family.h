/* SPDX-License-Identifier: MIT */
/*
 * Operating-system families, as evidence and as claims: the family a
 * User-Agent declares (what a host's own browser says it runs on), and
 * the families a database label may mean (a label can mean two: p0f's
 * "Mac OS X 10.9 or newer (sometimes iPhone or iPad)"). The fidelity
 * report compares the two per host: a label is right when the User-Agent's
 * family is among its families. As the report counts it, Android is not
 * Linux (a label "Linux" on an Android phone is a wrong answer, however
 * true of its kernel), nor iOS macOS.
 */
#ifndef NP_OS_FAMILY_H
#define NP_OS_FAMILY_H

#include <stdint.h>

#define NP_FOREACH_OS_FAMILY(_) \
	_(WINDOWS, "Windows") \
	_(MACOS, "macOS") \
	_(IOS, "iOS") \
	_(ANDROID, "Android") \
	_(LINUX, "Linux") \
	_(CHROMEOS, "ChromeOS") \
	_(BSD, "BSD") \
	_(OTHER, "other")	/* a known OS none of the above (Solaris, a console...) */

enum np_os_family {
	NP_OSF_UNKNOWN = -1,
#define NP_OSF_ENUM_(id, name) NP_OSF_##id,
	NP_FOREACH_OS_FAMILY(NP_OSF_ENUM_)
#undef NP_OSF_ENUM_
	NP_OSF_COUNT
};

#define NP_OSF_BIT(f) (1u << (f))

extern const char *const np_os_family_names[NP_OSF_COUNT];

/* The family a User-Agent (the header's value) declares, or NP_OSF_UNKNOWN
 * (a bot, a tool, an app that names none). */
enum np_os_family np_os_family_of_ua(const char *ua);

/* The family whose own update service a TLS server name (SNI) is
 * ("fe2.update.microsoft.com": Windows), or NP_OSF_UNKNOWN. */
enum np_os_family np_os_family_of_sni(const char *sni);

/*
 * The families a label's name and flavor may mean, as NP_OSF_BIT()s: 0 for
 * none (a tool, an application, a label that names no OS).
 */
uint32_t np_os_families_of_label(const char *name, const char *flavor);

#endif /* NP_OS_FAMILY_H */
