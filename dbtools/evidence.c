/* SPDX-License-Identifier: MIT */
/*
 * What a capture shows of its hosts' operating systems (evidence.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "raw_sig.h"

/* A host's claims, contiguous in the sorted claims. */
struct host {
	const char *host;
	uint32_t families;
	size_t first, n;
};

struct np_evidence {
	struct np_evidence_claim *claims;
	size_t n_claims, cap_claims;
	struct host *hosts;	/* by host, once settled */
	size_t n_hosts;
};

struct np_evidence *
np_evidence_new(void)
{
	return calloc(1, sizeof(struct np_evidence));
}

static void
free_claim(struct np_evidence_claim *c)
{
	free((char *)c->host);
	free((char *)c->text);
}

void
np_evidence_clear(struct np_evidence *ev)
{
	for (size_t i = 0; i < ev->n_claims; i++)
		free_claim(&ev->claims[i]);
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
claim(struct np_evidence *ev, const char *host, enum np_os_family family, const char *text,
      bool is_sni)
{
	if (ev->n_claims == ev->cap_claims) {
		size_t cap = ev->cap_claims ? ev->cap_claims * 2 : 64;
		struct np_evidence_claim *c = realloc(ev->claims, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		ev->claims = c;
		ev->cap_claims = cap;
	}
	struct np_evidence_claim *c = &ev->claims[ev->n_claims];

	*c = (struct np_evidence_claim){ strdup(host), family, strdup(text), is_sni };
	if (!c->host || !c->text) {
		free_claim(c);
		return -ENOMEM;
	}
	ev->n_claims++;
	return 0;
}

int
np_evidence_see(struct np_evidence *ev, const struct np_record *rec)
{
	const char *ua;
	enum np_os_family f;

	switch (rec->kind) {
	case NP_KIND_HTTP_REQUEST:
		ua = rec->raw_sig ? np_raw_http_software(rec->raw_sig) : NULL;
		return ua && *ua ? claim(ev, rec->client.text, np_os_family_of_ua(ua), ua, false) : 0;
	case NP_KIND_TLS_CLIENT:
		f = np_os_family_of_sni(rec->sni);
		return f != NP_OSF_UNKNOWN ? claim(ev, rec->client.text, f, rec->sni, true) : 0;
	default:
		return 0;
	}
}

/* By host, then family, then text: a host's claims together, and the
 * example shown the same every run. */
static int
by_host(const void *a, const void *b)
{
	const struct np_evidence_claim *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c || x->family != y->family)
		return c ? c : (int)x->family - (int)y->family;
	return strcmp(x->text, y->text);
}

void
np_evidence_settle(struct np_evidence *ev)
{
	size_t n = 0;

	free(ev->hosts);
	ev->hosts = NULL;
	ev->n_hosts = 0;
	if (!ev->n_claims)
		return;
	qsort(ev->claims, ev->n_claims, sizeof(ev->claims[0]), by_host);
	for (size_t i = 0; i < ev->n_claims; i++) {	/* each claim once */
		if (n && !by_host(&ev->claims[i], &ev->claims[n - 1]))
			free_claim(&ev->claims[i]);
		else
			ev->claims[n++] = ev->claims[i];
	}
	ev->n_claims = n;
	if (!(ev->hosts = calloc(n, sizeof(*ev->hosts))))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct np_evidence_claim *c = &ev->claims[i];
		struct host *h = ev->n_hosts ? &ev->hosts[ev->n_hosts - 1] : NULL;

		if (!h || strcmp(h->host, c->host)) {
			h = &ev->hosts[ev->n_hosts++];
			*h = (struct host){ c->host, 0, i, 0 };
		}
		h->n++;
		if (c->family != NP_OSF_UNKNOWN)
			h->families |= NP_OSF_BIT(c->family);
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
	out->claims = &ev->claims[h->first];
	out->n_claims = h->n;
	if (!h->families)
		return;
	if (h->families & (h->families - 1)) {
		out->split = true;
		return;
	}
	out->family = (enum np_os_family)__builtin_ctz(h->families);
	for (size_t i = 0; i < h->n; i++)
		if (out->claims[i].family == out->family) {
			out->example = out->claims[i].text;
			break;
		}
}

void
np_evidence_counts(const struct np_evidence *ev, unsigned *known, unsigned *split)
{
	*known = *split = 0;
	for (size_t i = 0; i < ev->n_hosts; i++) {
		uint32_t f = ev->hosts[i].families;

		if (f & (f - 1))
			(*split)++;
		else if (f)
			(*known)++;
	}
}
