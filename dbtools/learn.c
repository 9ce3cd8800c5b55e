/* SPDX-License-Identifier: MIT */
/*
 * netprint learn: database lines proposed from labelled traffic. Every SYN,
 * SYN+ACK and TLS ClientHello the database leaves unnamed, or names only
 * generically or fuzzily, is kept with what its host declares (evidence.h);
 * once the captures are read they are grouped and labelled by the majority
 * of the hosts that declare something:
 *
 *   TCP: by the signature's shape (TTL, IP options' length, TCP options,
 *   quirks, payload class); a shape whose declaring hosts all name one
 *   family is one line, with "*" where they vary (IP version, window,
 *   scale); a shape two families share is split into its signatures (IP
 *   version, window and scale as seen), each labelled on its own; the MSS
 *   is always "*" (a link's, not an OS's). Signatures only silent hosts
 *   showed are left out.
 *   TLS: by JA4; labelled by the OS whose update service the flows reach,
 *   or by the client the hosts' User-Agents name.
 *
 * A group whose leading family (or client) has under three quarters of
 * the hosts that declare one gets no line, only its split. The output is
 * for review: nothing is written to a database.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbtools.h"
#include "evidence.h"
#include "raw_sig.h"
#include "sweep.h"
#include "ua_label.h"

#define WHO "learn"
#define EXAMPLES 3
#define AGREE_NUM 3	/* a line needs the leading label on 3/4 of the hosts */
#define AGREE_DEN 4

enum { K_SYN, K_SYNACK, K_TLS, K_COUNT };

static const char *const sections[K_COUNT] = { "[tcp:request]", "[tcp:response]", "[tls:client]" };

/* One fingerprint the database does not name well, and its host's word. */
struct obs {
	int k;
	size_t capture;
	char *host, *flow;
	char *shape;		/* TCP: "ittl:olen:olayout:quirks:pclass"; TLS: the JA4 */
	char *exact;		/* TCP: the whole signature in the database's form */
	char ver;		/* '4' or '6' */
	char *win, *scale;	/* TCP: the window field ("mss*44", "8192") and scale */
	char *now;		/* what the database says: "unnamed", "generic Linux 2.2.x-3.x" */
	unsigned long flows;	/* flows it stands for: one host's alike are one entry */
	enum np_os_family flow_os;	/* TLS: the OS whose update service the flow reaches */
	/* the host's evidence, set when its capture ends */
	enum np_os_family family;
	char *ua;		/* a User-Agent that declared family, or another */
	char *client;		/* TLS: the one client the host's User-Agents name */
	bool split;
};

struct learn {
	struct obs *obs;
	size_t n, cap, capture_start;
	size_t merge_at;	/* the capture's entries that make a merge worth it */
	struct np_evidence *ev;
	char *const *captures;
	unsigned min_hosts;
	unsigned long long unread;	/* raw signatures not in p0f's form */
	bool nomem;
};

static void
free_obs(struct obs *o)
{
	free(o->host);
	free(o->flow);
	free(o->shape);
	free(o->exact);
	free(o->win);
	free(o->scale);
	free(o->now);
	free(o->ua);
	free(o->client);
}

/*
 * "4:64+0:0:1460:mss*44,8:mss,nop,ws:df,id+:0" into its fields (empty ones
 * too: a SYN without options has an empty layout), its shape, and its line
 * at the exact level: the database's TTL, any MSS (a link's, not the OS's).
 */
static bool
tcp_fields(struct obs *o, const char *raw)
{
	char db[512], *p = db, *f[8], *comma;
	unsigned n = 0;

	np_raw_tcp_db_form(db, sizeof(db), raw);
	while (p && n < 8)
		f[n++] = strsep(&p, ":");
	if (n != 8 || p || !(comma = strchr(f[4], ',')))
		return false;
	*comma = 0;
	o->ver = f[0][0];
	o->win = strdup(f[4]);
	o->scale = strdup(comma + 1);
	if (asprintf(&o->shape, "%s:%s:%s:%s:%s", f[1], f[2], f[5], f[6], f[7]) < 0)
		o->shape = NULL;
	if (asprintf(&o->exact, "%c:%s:%s:*:%s,%s:%s:%s:%s", o->ver, f[1], f[2], f[4], comma + 1,
		     f[5], f[6], f[7]) < 0)
		o->exact = NULL;
	return true;
}

/* A host's flows alike: the same signature, the same answer now. */
static int
by_entry(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	int c;

	if (x->k != y->k)
		return x->k - y->k;
	if ((c = strcmp(x->exact, y->exact)) || (c = strcmp(x->host, y->host)) ||
	    (c = strcmp(x->now, y->now)))
		return c;
	return (int)x->flow_os - (int)y->flow_os;
}

/*
 * The capture's entries so far, one per host and signature alike (memory
 * follows hosts, not flows: a capture of a million SYNs from one stack
 * keeps one entry per host). The first flow stays the example.
 */
static void
merge_alike(struct learn *l)
{
	size_t n = l->n - l->capture_start, kept = 0;
	struct obs *o = n ? l->obs + l->capture_start : NULL;

	if (n)
		qsort(o, n, sizeof(*o), by_entry);
	for (size_t i = 0; i < n; i++) {
		if (kept && !by_entry(&o[kept - 1], &o[i])) {
			o[kept - 1].flows += o[i].flows;
			free_obs(&o[i]);
		} else {
			o[kept++] = o[i];
		}
	}
	l->n = l->capture_start + kept;
	l->merge_at = 2 * kept > 65536 ? 2 * kept : 65536;
}

static void
on_record(void *ctx, size_t db_index, const struct np_record *rec)
{
	struct learn *l = ctx;
	int k = rec->kind == NP_KIND_SYN ? K_SYN : rec->kind == NP_KIND_SYNACK ? K_SYNACK
		: rec->kind == NP_KIND_TLS_CLIENT ? K_TLS : -1;
	const struct np_endpoint *subject = rec->subject_is_client ? &rec->client : &rec->server;

	(void)db_index;
	if (np_evidence_see(l->ev, rec))
		l->nomem = true;
	if (k < 0 || rec->match.quality == NP_MATCH_EXACT || (k == K_TLS ? !rec->ja4 : !rec->raw_sig))
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct obs *o = realloc(l->obs, cap * sizeof(*o));

		if (!o) {
			l->nomem = true;
			return;
		}
		l->obs = o;
		l->cap = cap;
	}
	struct obs *o = &l->obs[l->n];
	bool ok;

	*o = (struct obs){ .k = k, .capture = 0, .family = NP_OSF_UNKNOWN, .flows = 1,
			   .flow_os = k == K_TLS ? np_os_family_of_sni(rec->sni) : NP_OSF_UNKNOWN };
	o->host = strdup(subject->text);
	ok = asprintf(&o->flow, "%s/%u -> %s/%u", rec->client.text, rec->client.port,
		      rec->server.text, rec->server.port) >= 0;
	if (!ok)
		o->flow = NULL;
	if (rec->match.quality == NP_MATCH_NONE)
		o->now = strdup("unnamed");
	else if (asprintf(&o->now, "%s \"%s\"",
			  rec->match.quality == NP_MATCH_FUZZY ? "fuzzy" : "generic",
			  rec->match.text) < 0)
		o->now = NULL;
	if (k == K_TLS) {
		o->shape = strdup(rec->ja4);
		o->exact = strdup(rec->ja4);
		ok = o->shape && o->exact;
	} else if (!tcp_fields(o, rec->raw_sig)) {
		free_obs(o);
		l->unread++;
		return;
	} else {
		ok = o->win && o->scale && o->shape && o->exact;
	}
	if (!ok || !o->host || !o->flow || !o->now) {
		free_obs(o);
		l->nomem = true;
		return;
	}
	if (++l->n - l->capture_start >= l->merge_at)
		merge_alike(l);
}

static int
on_capture_done(void *ctx, size_t capture, const char *path)
{
	struct learn *l = ctx;
	char client[64];

	(void)path;
	if (l->nomem)
		return -ENOMEM;
	merge_alike(l);
	np_evidence_settle(l->ev);
	for (size_t i = l->capture_start; i < l->n; i++) {
		struct obs *o = &l->obs[i];
		struct np_host_evidence he;
		const char *one = NULL, *shown = NULL;
		bool many = false;

		o->capture = capture;
		np_evidence_of(l->ev, o->host, &he);
		o->family = he.family;
		o->split = he.split;
		for (size_t c = 0; c < he.n_claims; c++) {
			const struct np_evidence_claim *cl = &he.claims[c];

			if (cl->is_sni)
				continue;
			/* the User-Agent shown: one that declared the family, or
			 * (a host that declares none) one that named a client */
			if (!shown || (cl->family == he.family &&
				       np_os_family_of_ua(shown) != he.family))
				shown = cl->text;
			np_ua_client(cl->text, client, sizeof(client));
			if (!*client)
				continue;
			if (one && strcmp(one, client))
				many = true;
			else if (!one && !(one = o->client = strdup(client)))
				return -ENOMEM;
		}
		if (many) {
			free(o->client);
			o->client = NULL;
		}
		if (shown && !(o->ua = strdup(shown)))
			return -ENOMEM;
	}
	l->capture_start = l->n;
	l->merge_at = 65536;
	np_evidence_clear(l->ev);
	return 0;
}

/* ---- Grouping and labelling ------------------------------------------- */

static int
by_group(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	int c;

	if (x->k != y->k)
		return x->k - y->k;
	if ((c = strcmp(x->shape, y->shape)) || (c = strcmp(x->exact, y->exact)))
		return c;
	if (x->capture != y->capture)
		return x->capture < y->capture ? -1 : 1;
	return strcmp(x->host, y->host);
}

/* What a host says, as a label key: "os:N" or "app:NAME"; "" when nothing. */
static void
host_key(const struct obs *o, char *out, size_t len)
{
	if (o->k == K_TLS && o->flow_os != NP_OSF_UNKNOWN)
		snprintf(out, len, "os:%d", o->flow_os);
	else if (o->k == K_TLS)
		snprintf(out, len, "%s%s", o->client ? "app:" : "", o->client ? o->client : "");
	else if (o->family != NP_OSF_UNKNOWN && np_ua_family_class(o->family))
		snprintf(out, len, "os:%d", o->family);
	else
		out[0] = 0;
}

/* A group's hosts and what they say. */
struct vote {
	char key[72];
	unsigned hosts;
	const struct obs *first;
};

struct tally {
	unsigned long flows;
	unsigned hosts, said, split;
	struct vote votes[16];
	unsigned n_votes;
	const struct obs *top;	/* an observation of the leading key's */
	unsigned top_hosts;
};

/* By host, and a host's update-service flows (TLS) before its others. */
static int
by_host(const void *a, const void *b)
{
	const struct obs *x = *(const struct obs *const *)a, *y = *(const struct obs *const *)b;
	int c;

	if (x->capture != y->capture)
		return x->capture < y->capture ? -1 : 1;
	if ((c = strcmp(x->host, y->host)))
		return c;
	return (x->flow_os == NP_OSF_UNKNOWN) - (y->flow_os == NP_OSF_UNKNOWN);
}

/* A group's hosts and what they say; false when out of memory. */
static bool
count(const struct obs *const *g, size_t n, struct tally *t)
{
	const struct obs **by = malloc(n * sizeof(*by) + 1);

	memset(t, 0, sizeof(*t));
	if (!by)
		return false;
	memcpy(by, g, n * sizeof(*by));
	qsort(by, n, sizeof(*by), by_host);
	for (size_t i = 0; i < n; i++)
		t->flows += by[i]->flows;
	for (size_t i = 0; i < n; i++) {
		const struct obs *o = by[i];	/* a host's first: its update-service flow */
		char key[72];
		unsigned v;

		if (i && by[i - 1]->capture == o->capture && !strcmp(by[i - 1]->host, o->host))
			continue;
		t->hosts++;
		t->split += o->split;
		host_key(o, key, sizeof(key));
		if (!*key)
			continue;
		t->said++;
		for (v = 0; v < t->n_votes && strcmp(t->votes[v].key, key); v++)
			;
		if (v == t->n_votes) {
			/* more kinds of answer than this: counted as saying
			 * something else, which only lowers the leading share */
			if (v == sizeof(t->votes) / sizeof(t->votes[0]))
				continue;
			snprintf(t->votes[v].key, sizeof(t->votes[v].key), "%s", key);
			t->votes[v].first = o;
			t->n_votes++;
		}
		t->votes[v].hosts++;
	}
	free(by);
	for (unsigned v = 0; v < t->n_votes; v++)
		if (t->votes[v].hosts > t->top_hosts) {
			t->top_hosts = t->votes[v].hosts;
			t->top = t->votes[v].first;
		}
	return true;
}

static const char *
key_name(const char *key)
{
	return !strncmp(key, "os:", 3) ? np_os_family_names[atoi(key + 3)] : key + 4;
}

/* "Windows 3 of 4 (75%), Linux 1; 2 hosts say nothing" */
static void
print_evidence(const struct tally *t)
{
	printf("; %u host%s, %lu flow%s; ", t->hosts, t->hosts == 1 ? "" : "s", t->flows,
	       t->flows == 1 ? "" : "s");
	/* the votes in order of hosts: the leading one first */
	for (unsigned v = 0; v < t->n_votes; v++) {
		if (v == 0)
			printf("%s %u of %u (%u%%)", key_name(t->votes[v].key), t->votes[v].hosts,
			       t->said, 100 * t->votes[v].hosts / t->said);
		else
			printf(", %s %u", key_name(t->votes[v].key), t->votes[v].hosts);
	}
	if (t->hosts > t->said)
		printf("%s%u say nothing%s", t->n_votes ? "; " : "", t->hosts - t->said,
		       t->split ? " (or name two systems)" : "");
	printf("\n");
}

static int
vote_order(const void *a, const void *b)
{
	const struct vote *x = a, *y = b;

	return x->hosts != y->hosts ? (x->hosts < y->hosts ? 1 : -1) : strcmp(x->key, y->key);
}

static int
by_now(const void *a, const void *b)
{
	return strcmp((*(const struct obs *const *)a)->now, (*(const struct obs *const *)b)->now);
}

/* What the database says of the group now: "unnamed 3, generic "..." 2". */
static void
print_now(const struct obs *const *g, size_t n)
{
	const struct obs **by = malloc(n * sizeof(*by) + 1);

	if (!by)
		return;
	memcpy(by, g, n * sizeof(*by));
	qsort(by, n, sizeof(*by), by_now);
	printf("; the database now:");
	for (size_t i = 0, j; i < n; i = j) {
		unsigned long flows = 0;

		for (j = i; j < n && !strcmp(by[j]->now, by[i]->now); j++)
			flows += by[j]->flows;
		printf("%s %s %lu", i ? "," : "", by[i]->now, flows);
	}
	printf("\n");
	free(by);
}

static void
print_examples(const struct learn *l, const struct obs *const *g, size_t n)
{
	unsigned shown = 0;

	/* hosts that said something first */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && shown < EXAMPLES; i++) {
			const struct obs *o = g[i];
			char key[72];

			host_key(o, key, sizeof(key));
			if ((pass == 0) != (*key != 0))
				continue;
			printf("; e.g. %s: %s", l->captures[o->capture], o->flow);
			if (o->k == K_TLS && o->flow_os != NP_OSF_UNKNOWN)
				printf(" (an update service of %s)", np_os_family_names[o->flow_os]);
			else if (o->ua)
				printf(", User-Agent \"%.120s\"", o->ua);
			printf("\n");
			shown++;
		}
}

/* The label line(s) for the leading key of t, from the group g. */
static void
print_label(const struct obs *const *g, size_t n, const struct tally *t)
{
	char key[72], flavor[64] = "", f[64];
	bool mixed = false;

	host_key(t->top, key, sizeof(key));
	if (!strncmp(key, "app:", 4)) {
		uint32_t fams = 0;
		bool any = false;

		printf("label = s:!:%s:\nsys   = ", key + 4);
		for (size_t i = 0; i < n; i++) {
			char k2[72];

			host_key(g[i], k2, sizeof(k2));
			if (!strcmp(k2, key) && g[i]->family != NP_OSF_UNKNOWN)
				fams |= NP_OSF_BIT(g[i]->family == NP_OSF_ANDROID ? NP_OSF_LINUX
										 : g[i]->family);
		}
		for (int fam = 0; fam < NP_OSF_COUNT; fam++)
			if (fams & NP_OSF_BIT(fam) && np_ua_os_name(fam, NULL)) {
				printf("%s%s", any ? "," : "", np_ua_os_name(fam, NULL));
				any = true;
			}
		printf("%s\n", any ? "" : "@win,@unix");
		return;
	}
	enum np_os_family fam = (enum np_os_family)atoi(key + 3);

	if (t->top->k == K_TLS) {
		printf("label = s:%s:%s:update client\n", np_ua_family_class(fam),
		       np_ua_os_name(fam, NULL));
		return;
	}
	/* the version the User-Agents give, when they give one */
	for (size_t i = 0; i < n; i++) {
		if (g[i]->family != fam || !g[i]->ua)
			continue;
		np_ua_flavor(fam, g[i]->ua, f, sizeof(f));
		if (!*flavor)
			snprintf(flavor, sizeof(flavor), "%s", f);
		else if (strcmp(flavor, f))
			mixed = true;
	}
	if (mixed)
		snprintf(flavor, sizeof(flavor), "%s", fam == NP_OSF_ANDROID ? "(Android)" : "");
	printf("label = s:%s:%s:%s\n", np_ua_family_class(fam), np_ua_os_name(fam, t->top->ua),
	       flavor);
}

/* The signature for the group: its fields, "*" where they vary. */
static void
print_sig(const struct obs *const *g, size_t n)
{
	const struct obs *o = g[0];
	bool one_ver = true, one_win = true, one_scale = true;
	char shape[512], *f[5], *save = NULL;
	unsigned nf = 0;

	if (o->k == K_TLS) {
		printf("sig   = %s\n", o->exact);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		one_ver &= g[i]->ver == o->ver;
		one_win &= !strcmp(g[i]->win, o->win);
		one_scale &= !strcmp(g[i]->scale, o->scale);
	}
	snprintf(shape, sizeof(shape), "%s", o->shape);
	for (char *p = strtok_r(shape, ":", &save); p && nf < 5; p = strtok_r(NULL, ":", &save))
		f[nf++] = p;
	if (nf != 5)
		return;
	/* a window p0f wrote as a multiple ("mss*44") is one by p0f's own
	 * divisors, which its matching computes again: kept as it is */
	printf("sig   = %c:%s:%s:*:%s,%s:%s:%s:%s\n", one_ver ? o->ver : '*', f[0], f[1],
	       one_win ? o->win : "*", one_scale ? o->scale : "*", f[2], f[3], f[4]);
}

/* One proposal (or its split, when the hosts disagree). */
static unsigned
propose(struct learn *l, const struct obs *const *g, size_t n)
{
	struct tally t;

	if (!count(g, n, &t)) {
		l->nomem = true;
		return 0;
	}
	if (t.top_hosts < l->min_hosts)
		return 0;
	qsort(t.votes, t.n_votes, sizeof(t.votes[0]), vote_order);
	printf("\n");
	print_evidence(&t);
	print_now(g, n);
	print_examples(l, g, n);
	if (t.top_hosts * AGREE_DEN < t.said * AGREE_NUM) {
		printf("; no line: the hosts disagree\n");
		if (g[0]->k != K_TLS)
			printf("; sig   = %s\n", g[0]->exact);
		else
			printf("; sig   = %s\n", g[0]->shape);
		return 0;
	}
	print_label(g, n, &t);
	print_sig(g, n);
	return 1;
}

/*
 * A TCP shape: its exact signatures whose hosts declare something, as one
 * line when they all declare one family, else one line each. Signatures
 * only silent hosts showed are left out: nothing says what they are.
 */
static unsigned
propose_shape(struct learn *l, const struct obs *const *g, size_t n, unsigned *silent)
{
	const struct obs **said = malloc(n * sizeof(*said));
	size_t n_said = 0;
	struct tally t;
	unsigned lines = 0;

	if (!said) {
		l->nomem = true;
		return 0;
	}
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(g[j]->exact, g[i]->exact); j++)
			;
		if (!count(g + i, j - i, &t))
			l->nomem = true;
		if (!t.n_votes) {
			(*silent)++;
			continue;
		}
		memcpy(&said[n_said], &g[i], (j - i) * sizeof(*g));
		n_said += j - i;
	}
	if (!count(said, n_said, &t))
		l->nomem = true;
	if (t.n_votes == 1) {
		lines = propose(l, said, n_said);
	} else {
		for (size_t i = 0, j; i < n_said; i = j) {
			for (j = i + 1; j < n_said && !strcmp(said[j]->exact, said[i]->exact); j++)
				;
			lines += propose(l, said + i, j - i);
		}
	}
	free(said);
	return lines;
}

static int
print_all(struct learn *l, const char *db_list, const struct np_sweep_result *res)
{
	const struct obs **g = malloc(l->n * sizeof(*g) + 1);
	unsigned lines = 0, silent = 0;

	printf("; netprint learn: %zu captures read (%zu damaged, %zu skipped), database %s\n",
	       res->read, res->damaged, res->skipped, db_list);
	printf(";\n"
	       "; Lines proposed for the fingerprints the database leaves unnamed or names\n"
	       "; only generically or fuzzily, labelled by what the hosts that showed them\n"
	       "; declare: their own HTTP User-Agent; for TLS, the OS update service the\n"
	       "; flow reaches, or the client the host's User-Agents name. For review:\n"
	       "; nothing is written to a database. The [tcp:*] lines go into p0f.fp (or\n"
	       "; modern.fp), the [tls:client] lines into tls.fp.\n");
	if (!g)
		return -ENOMEM;
	if (l->n)
		qsort(l->obs, l->n, sizeof(l->obs[0]), by_group);
	for (int k = 0; k < K_COUNT; k++) {
		bool header = false;

		for (size_t i = 0, j; i < l->n; i = j) {
			size_t n = 0;

			for (j = i; j < l->n && l->obs[j].k == l->obs[i].k &&
				    !strcmp(l->obs[j].shape, l->obs[i].shape); j++)
				g[n++] = &l->obs[j];
			if (l->obs[i].k != k)
				continue;
			struct tally t;

			if (!count(g, n, &t))
				l->nomem = true;
			if (!t.n_votes) {
				silent++;
				continue;
			}
			if (!header) {
				printf("\n%s\n", sections[k]);
				header = true;
			}
			lines += k == K_TLS ? propose(l, g, n) : propose_shape(l, g, n, &silent);
		}
	}
	printf("\n; %u line%s proposed; %u fingerprint%s seen only on hosts that declare "
	       "nothing\n", lines, lines == 1 ? "" : "s", silent, silent == 1 ? "" : "s");
	if (l->unread)
		printf("; %llu TCP record%s left out: a raw signature not in p0f's form\n",
		       l->unread, l->unread == 1 ? "" : "s");
	free(g);
	return l->nomem ? -ENOMEM : 0;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: netprint learn [-f FILE]... [--min-hosts N] -r CAPTURE [-r CAPTURE]...\n"
		"  Database lines proposed for the SYNs, SYN+ACKs and TLS ClientHellos the\n"
		"  database leaves unnamed or names only generically or fuzzily, labelled\n"
		"  by what the hosts that showed them declare (their HTTP User-Agent, an\n"
		"  OS update service they reach), with counts, the agreeing share and\n"
		"  example flows as comments. For review: nothing is written.\n"
		"  -f FILE          the database (several -f: read as one; default\n"
		"                   netprint's own p0f.fp and tls.fp)\n"
		"  --min-hosts N    propose a line only when N hosts declare its label\n"
		"                   (default 1)\n");
}

int
np_learn_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "min-hosts", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct learn l = { .min_hosts = 1, .merge_at = 65536 };
	char **captures = calloc((size_t)argc + 1, sizeof(*captures));
	char *db_list = NULL, *end;
	size_t n_captures = 0;
	int ch, status = 1;

	if (!captures) {
		fprintf(stderr, "netprint learn: out of memory\n");
		return 1;
	}
	while ((ch = getopt_long(argc, argv, "r:f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			captures[n_captures++] = optarg;
			break;
		case 'f': {
			char *more = NULL;

			if (asprintf(&more, "%s%s%s", db_list ? db_list : "", db_list ? "," : "",
				     optarg) < 0) {
				fprintf(stderr, "netprint learn: out of memory\n");
				goto out;
			}
			free(db_list);
			db_list = more;
			break;
		}
		case 'n':
			l.min_hosts = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !*optarg || !l.min_hosts || l.min_hosts > 1000000) {
				fprintf(stderr, "netprint learn: --min-hosts: 1 to 1000000\n");
				status = 2;
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			status = 0;
			goto out;
		default:
			usage(stderr);
			status = 2;
			goto out;
		}
	}
	while (optind < argc)
		captures[n_captures++] = argv[optind++];
	if (!n_captures) {
		fprintf(stderr, "netprint learn: no capture to read\n");
		usage(stderr);
		status = 2;
		goto out;
	}
	if (!db_list && !(db_list = np_sweep_bundled_list())) {
		fprintf(stderr, "netprint learn: out of memory\n");
		goto out;
	}
	struct np_db *db = np_sweep_open_db(WHO, db_list);
	struct np_sweep_hooks hooks = { on_record, on_capture_done, &l };
	struct np_sweep_result res;

	l.ev = np_evidence_new();
	l.captures = captures;
	if (db && l.ev && !np_sweep(WHO, captures, n_captures, &db, 1, &hooks, &res)) {
		if (print_all(&l, db_list, &res))
			fprintf(stderr, "netprint learn: out of memory: the proposals are not whole\n");
		else
			status = fflush(stdout) ? 1 : res.damaged ? 3 : 0;
	} else if (!l.ev) {
		fprintf(stderr, "netprint learn: out of memory\n");
	}
	np_db_unref(db);
	np_evidence_free(l.ev);
	for (size_t i = 0; i < l.n; i++)
		free_obs(&l.obs[i]);
	free(l.obs);
out:
	free(db_list);
	free(captures);
	return status;
}
