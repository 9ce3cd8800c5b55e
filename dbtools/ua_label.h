/* SPDX-License-Identifier: MIT */
/*
 * What a User-Agent says, in a database label's words: the OS name and
 * class p0f.fp uses for a family ("Mac OS X", "unix"), the version a
 * User-Agent gives ("Windows NT 10.0": "10 or 11"; "Android 14": "14"),
 * and the client it names ("Firefox", "curl"). The learning tool's labels.
 */
#ifndef NP_UA_LABEL_H
#define NP_UA_LABEL_H

#include <stddef.h>

#include "os_family.h"

/* p0f.fp's class and OS name for a family: "win", "Windows"; "unix",
 * "Linux" (Android too: its SYN label is "Linux (Android)"); a BSD's name
 * from ua ("OpenBSD"). NULL for UNKNOWN and OTHER. */
const char *np_ua_family_class(enum np_os_family f);
const char *np_ua_os_name(enum np_os_family f, const char *ua);

/* The version ua gives for family f, as a label's flavor ("10 or 11",
 * "10.15", "(Android 14)"; "(Android)" without one), into out; "" when
 * it gives none. */
void np_ua_flavor(enum np_os_family f, const char *ua, char *out, size_t len);

/* The client ua names: "Chrome", "Firefox", "Edge", "Safari", or the
 * first product of a tool's ("curl", "python-requests"), into out; ""
 * when none. */
void np_ua_client(const char *ua, char *out, size_t len);

#endif /* NP_UA_LABEL_H */
