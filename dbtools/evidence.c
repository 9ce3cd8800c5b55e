/* SPDX-License-Identifier: MIT */
/*
 * What a capture shows of its hosts' operating systems (evidence.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "raw_sig.h"

struct claim {
	char *host;
	enum np_os_family family;
	char *example;
};

struct host {
	const char *host;
	uint32_t families;
	const char *example[NP_OSF_COUNT];
};

struct np_evidence {
	struct claim *claims;
	size_t n_claims, cap_claims;
	struct host *hosts;	/* by host, once settled */
	size_t n_hosts;
};

struct np_evidence *
np_evidence_new(void)
{
	return calloc(1, sizeof(struct np_evidence));
}

void
np_evidence_clear(struct np_evidence *ev)
{
	for (size_t i = 0; i < ev->n_claims; i++) {
		free(ev->claims[i].host);
		free(ev->claims[i].example);
	}
	ev->n_claims = 0;
	free(ev->hosts);
	ev->hosts = NULL;
	ev->n_hosts = 0;
}

void
np_evidence_free(struct np_evidence *ev)
{
	if (!ev)
		return;
	np_evidence_clear(ev);
	free(ev->claims);
	free(ev);
}

static int
claim(struct np_evidence *ev, const char *host, enum np_os_family family, const char *example)
{
	if (family == NP_OSF_UNKNOWN)
		return 0;
	if (ev->n_claims == ev->cap_claims) {
		size_t cap = ev->cap_claims ? ev->cap_claims * 2 : 64;
		struct claim *c = realloc(ev->claims, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		ev->claims = c;
		ev->cap_claims = cap;
	}
	struct claim *c = &ev->claims[ev->n_claims];

	c->host = strdup(host);
	c->example = strdup(example);
	c->family = family;
	if (!c->host || !c->example) {
		free(c->host);
		free(c->example);
		return -ENOMEM;
	}
	ev->n_claims++;
	return 0;
}

int
np_evidence_see(struct np_evidence *ev, const struct np_record *rec)
{
	const char *sw;

	switch (rec->kind) {
	case NP_KIND_HTTP_REQUEST:
		sw = rec->raw_sig ? np_raw_http_software(rec->raw_sig) : NULL;
		return sw ? claim(ev, rec->client.text, np_os_family_of_ua(sw), sw) : 0;
	case NP_KIND_TLS_CLIENT:
		return rec->sni ? claim(ev, rec->client.text, np_os_family_of_sni(rec->sni), rec->sni)
				: 0;
	default:
		return 0;
	}
}

static int
by_host(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c || x->family != y->family)
		return c ? c : (int)x->family - (int)y->family;
	return strcmp(x->example, y->example);	/* the example shown: the same every run */
}

void
np_evidence_settle(struct np_evidence *ev)
{
	free(ev->hosts);
	ev->n_hosts = 0;
	if (!ev->n_claims || !(ev->hosts = calloc(ev->n_claims, sizeof(*ev->hosts)))) {
		ev->hosts = NULL;
		return;
	}
	qsort(ev->claims, ev->n_claims, sizeof(ev->claims[0]), by_host);
	for (size_t i = 0; i < ev->n_claims; i++) {
		const struct claim *c = &ev->claims[i];
		struct host *h = ev->n_hosts ? &ev->hosts[ev->n_hosts - 1] : NULL;

		if (!h || strcmp(h->host, c->host)) {
			h = &ev->hosts[ev->n_hosts++];
			h->host = c->host;
		}
		h->families |= NP_OSF_BIT(c->family);
		if (!h->example[c->family])
			h->example[c->family] = c->example;
	}
}

static int
host_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct host *)elem)->host);
}

void
np_evidence_of(const struct np_evidence *ev, const char *host, struct np_host_evidence *out)
{
	const struct host *h = ev->hosts ? bsearch(host, ev->hosts, ev->n_hosts,
						   sizeof(ev->hosts[0]), host_cmp)
					 : NULL;

	memset(out, 0, sizeof(*out));
	out->family = NP_OSF_UNKNOWN;
	if (!h)
		return;
	out->families = h->families;
	if (h->families & (h->families - 1)) {
		out->split = true;
		return;
	}
	out->family = (enum np_os_family)__builtin_ctz(h->families);
	out->example = h->example[out->family];
}

void
np_evidence_counts(const struct np_evidence *ev, unsigned *known, unsigned *split)
{
	*known = *split = 0;
	for (size_t i = 0; i < ev->n_hosts; i++) {
		if (ev->hosts[i].families & (ev->hosts[i].families - 1))
			(*split)++;
		else
			(*known)++;
	}
}
