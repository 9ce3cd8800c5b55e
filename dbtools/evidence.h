/* SPDX-License-Identifier: MIT */
/*
 * What a capture shows of its hosts' operating systems, whatever a
 * database says of them: the family a host's own HTTP User-Agent declares,
 * or an OS's own update service it reaches by TLS (SNI, os_family.h's
 * list). A server's Server header is not taken: the SYN+ACK may come from
 * a load balancer or a CDN in front of it (an "IIS" behind a Linux one).
 * Gathered from one capture's records, then read per host. A host whose
 * evidence names two families (NAT, a phone and a laptop behind one
 * address) is "split": no evidence.
 */
#ifndef NP_EVIDENCE_H
#define NP_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netprint.h"
#include "os_family.h"

struct np_evidence;

/* One thing a host said: a User-Agent (family UNKNOWN when it names no OS:
 * curl) or an update service's name. */
struct np_evidence_claim {
	const char *host;
	enum np_os_family family;
	const char *text;
	bool is_sni;
};

/* What is known of one host. */
struct np_host_evidence {
	enum np_os_family family;	/* NP_OSF_UNKNOWN: none, or split */
	bool split;			/* families disagree */
	uint32_t families;		/* NP_OSF_BIT()s of all that were declared */
	const char *example;		/* a User-Agent or SNI that declared family
					 * (NULL without one) */
	const struct np_evidence_claim *claims;	/* all the host said, each once */
	size_t n_claims;
};

struct np_evidence *np_evidence_new(void);
void np_evidence_free(struct np_evidence *ev);

/* Take what rec declares (HTTP requests, TLS clients; other records
 * declare nothing). 0, or -ENOMEM. */
int np_evidence_see(struct np_evidence *ev, const struct np_record *rec);

/* Once the capture's records are seen: before np_evidence_of(). */
void np_evidence_settle(struct np_evidence *ev);

/* What is known of host (an endpoint's text); family UNKNOWN when nothing.
 * Valid until the next clear. */
void np_evidence_of(const struct np_evidence *ev, const char *host, struct np_host_evidence *out);

/* How many hosts have a family, and how many are split. */
void np_evidence_counts(const struct np_evidence *ev, unsigned *known, unsigned *split);

/* Forget everything: the next capture. */
void np_evidence_clear(struct np_evidence *ev);

#endif /* NP_EVIDENCE_H */
