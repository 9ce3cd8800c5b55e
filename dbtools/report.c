/* SPDX-License-Identifier: MIT */
/*
 * netprint report: how well databases name the hosts of a set of captures.
 * Per database, side by side: records per kind, the share left unnamed and
 * the share named only generically or fuzzily; then every OS a label gives
 * a host (once per capture, host, kind and label) held against what the
 * capture itself shows of that host (evidence.h): right when the declared
 * family is among the label's, wrong when not (listed in pairs: "Android
 * named Linux 2.2.x-3.x"), unknown when the host declares nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbtools.h"
#include "evidence.h"
#include "sweep.h"

#define WHO "report"

/* The kinds a database names, in the order they are shown. */
static const enum np_kind kinds[] = {
	NP_KIND_SYN, NP_KIND_SYNACK, NP_KIND_MTU, NP_KIND_HTTP_REQUEST, NP_KIND_HTTP_RESPONSE,
	NP_KIND_TLS_CLIENT, NP_KIND_TLS_SERVER,
};
static const char *const kind_names[] = {
	"syn", "syn+ack", "mtu", "http request", "http response", "tls client", "tls server",
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static int
slot_of(enum np_kind k)
{
	for (unsigned i = 0; i < N_KINDS; i++)
		if (kinds[i] == k)
			return (int)i;
	return -1;
}

struct tally {
	unsigned long long records, unnamed, generic, fuzzy;
};

struct agreement {
	unsigned long long right, wrong, unknown;
};

/* An OS a label gave a host in the capture being read. */
struct answer {
	char *host, *label;
	int slot;
	uint32_t families;
};

/* One held against the evidence. */
struct verdict {
	size_t capture;
	char *host, *label, *example;
	int slot;
	enum np_os_family declared;
	bool right;
};

struct column {
	const char *files;		/* as given: "a.fp,b.fp" */
	struct np_db *db;
	struct tally tally[N_KINDS];
	struct agreement agree[N_KINDS];
	json_t *labels[N_KINDS];	/* label text -> records */
	struct answer *pending;
	size_t n_pending, cap_pending;
	size_t dedupe_at;		/* answers that make a dedupe worth it */
	struct verdict *verdicts;	/* right and wrong ones */
	size_t n_verdicts, cap_verdicts;
};

struct report {
	struct column *cols;
	size_t n_cols;
	struct np_evidence *ev;
	char *const *captures;
	unsigned long long hosts_declared, hosts_split;
	unsigned long long not_utf8;	/* strings JSON cannot hold */
	bool nomem;
};

static void *
grow(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	size_t c = *cap ? *cap * 2 : 64;
	void *a = realloc(arr, c * size);

	if (a)
		*cap = c;
	return a;
}

/* Count text's record; a label that is not UTF-8 (a database's bytes)
 * cannot be a JSON key: counted apart, and --json refuses to write. */
static int
count_label(struct report *r, json_t **labels, const char *text)
{
	json_t *n, *probe;

	if (!*labels && !(*labels = json_object()))
		return -ENOMEM;
	n = json_object_get(*labels, text);
	if (!json_object_set_new(*labels, text, json_integer(n ? json_integer_value(n) + 1 : 1)))
		return 0;
	if (!(probe = json_string(text))) {
		r->not_utf8++;
		return 0;
	}
	json_decref(probe);
	return -ENOMEM;
}

static int
by_answer(const void *x, const void *y)
{
	const struct answer *a = x, *b = y;
	int c = strcmp(a->host, b->host);

	if (!c)
		c = a->slot - b->slot;
	return c ? c : strcmp(a->label, b->label);
}

/* The capture's answers, once each. */
static void
dedupe(struct column *col)
{
	size_t n = 0;

	if (!col->n_pending)
		return;
	qsort(col->pending, col->n_pending, sizeof(col->pending[0]), by_answer);
	for (size_t i = 0; i < col->n_pending; i++) {
		struct answer *a = &col->pending[i];

		if (n && !by_answer(a, &col->pending[n - 1])) {
			free(a->host);
			free(a->label);
		} else {
			col->pending[n++] = *a;
		}
	}
	col->n_pending = n;
}

static void
on_record(void *ctx, size_t db_index, const struct np_record *rec)
{
	struct report *r = ctx;
	struct column *col = &r->cols[db_index];
	int slot = slot_of(rec->kind);

	if (db_index == 0 && np_evidence_see(r->ev, rec))
		r->nomem = true;
	if (slot < 0)
		return;
	struct tally *t = &col->tally[slot];

	t->records++;
	if (rec->kind == NP_KIND_MTU ? !rec->link : rec->match.quality == NP_MATCH_NONE)
		t->unnamed++;
	else if (rec->match.quality == NP_MATCH_GENERIC)
		t->generic++;
	else if (rec->match.quality == NP_MATCH_FUZZY)
		t->fuzzy++;
	const char *label = rec->kind == NP_KIND_MTU ? rec->link : rec->match.text;

	if (label && count_label(r, &col->labels[slot], label))
		r->nomem = true;
	if (rec->match.quality == NP_MATCH_NONE || !rec->match.is_os)
		return;
	uint32_t families = np_os_families_of_label(rec->match.name, rec->match.flavor);

	if (!families)
		return;
	struct answer *a = grow(col->pending, &col->cap_pending, col->n_pending, sizeof(*a));

	if (!a) {
		r->nomem = true;
		return;
	}
	col->pending = a;
	a = &a[col->n_pending];
	a->host = strdup(rec->subject_is_client ? rec->client.text : rec->server.text);
	a->label = strdup(rec->match.text);
	a->slot = slot;
	a->families = families;
	if (!a->host || !a->label) {
		free(a->host);
		free(a->label);
		r->nomem = true;
		return;
	}
	/* memory follows a capture's hosts, not its records */
	if (++col->n_pending >= col->dedupe_at) {
		dedupe(col);
		col->dedupe_at = 2 * col->n_pending > 65536 ? 2 * col->n_pending : 65536;
	}
}

/* The capture's answers held against its evidence. */
static int
judge(struct report *r, struct column *col, size_t capture)
{
	int rc = 0;

	dedupe(col);
	for (size_t i = 0; i < col->n_pending; i++) {
		struct answer *a = &col->pending[i];
		struct np_host_evidence he;
		struct verdict *v;

		np_evidence_of(r->ev, a->host, &he);
		if (he.family == NP_OSF_UNKNOWN) {
			col->agree[a->slot].unknown++;
		} else if (!(v = grow(col->verdicts, &col->cap_verdicts, col->n_verdicts,
				      sizeof(*v)))) {
			rc = -ENOMEM;
		} else {
			col->verdicts = v;
			v = &v[col->n_verdicts++];
			*v = (struct verdict){ .capture = capture, .host = a->host,
					       .label = a->label, .example = strdup(he.example),
					       .slot = a->slot, .declared = he.family,
					       .right = (a->families & NP_OSF_BIT(he.family)) != 0 };
			a->host = a->label = NULL;	/* the verdict's now */
			if (v->right)
				col->agree[v->slot].right++;
			else
				col->agree[v->slot].wrong++;
			if (!v->example)
				rc = -ENOMEM;
		}
		free(a->host);
		free(a->label);
	}
	col->n_pending = 0;
	col->dedupe_at = 65536;
	return rc;
}

static int
on_capture_done(void *ctx, size_t capture, const char *path)
{
	struct report *r = ctx;
	unsigned known, split;

	(void)path;
	if (r->nomem)
		return -ENOMEM;
	np_evidence_settle(r->ev);
	np_evidence_counts(r->ev, &known, &split);
	r->hosts_declared += known;
	r->hosts_split += split;
	for (size_t c = 0; c < r->n_cols; c++)
		if (judge(r, &r->cols[c], capture))
			return -ENOMEM;
	np_evidence_clear(r->ev);
	return 0;
}

/* ---- What is printed --------------------------------------------------- */

struct pair {
	enum np_os_family declared;
	const char *label;
	size_t *count;		/* per column */
};

/* The wrong answers of every column, as (declared, label) pairs. */
static struct pair *
wrong_pairs(const struct report *r, size_t *n_out)
{
	struct pair *pairs = NULL;
	size_t n = 0, cap = 0;

	for (size_t c = 0; c < r->n_cols; c++) {
		const struct column *col = &r->cols[c];

		for (size_t i = 0; i < col->n_verdicts; i++) {
			const struct verdict *v = &col->verdicts[i];
			size_t p;

			if (v->right)
				continue;
			for (p = 0; p < n; p++)
				if (pairs[p].declared == v->declared && !strcmp(pairs[p].label, v->label))
					break;
			if (p == n) {
				struct pair *np = grow(pairs, &cap, n, sizeof(*pairs));

				if (!np)
					goto nomem;
				pairs = np;
				pairs[n] = (struct pair){ v->declared, v->label,
							  calloc(r->n_cols, sizeof(size_t)) };
				if (!pairs[n++].count)
					goto nomem;
			}
			pairs[p].count[c]++;
		}
	}
	*n_out = n;
	return pairs;
nomem:
	for (size_t p = 0; p < n; p++)
		free(pairs[p].count);
	free(pairs);
	*n_out = (size_t)-1;
	return NULL;
}

static void
free_pairs(struct pair *pairs, size_t n)
{
	for (size_t p = 0; p < n && pairs; p++)
		free(pairs[p].count);
	free(pairs);
}

static double
share(unsigned long long part, unsigned long long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void
print_text(const struct report *r, const struct np_sweep_result *res, const struct pair *pairs,
	   size_t n_pairs)
{
	char cell[64];

	printf("netprint report: %zu captures read (%zu damaged, %zu skipped), %llu frames\n",
	       res->read, res->damaged, res->skipped, res->frames);
	printf("evidence: %llu hosts declare an OS family (User-Agent, update service), "
	       "%llu declare two or more (not used)\n", r->hosts_declared, r->hosts_split);
	for (size_t c = 0; c < r->n_cols; c++)
		printf("  [%zu] %s\n", c + 1, r->cols[c].files);
	printf("\n%-30s", "records");
	for (size_t c = 0; c < r->n_cols; c++) {
		snprintf(cell, sizeof(cell), "[%zu]", c + 1);
		printf("%18s", cell);
	}
	printf("\n");
	for (unsigned k = 0; k < N_KINDS; k++) {
		printf("%-14s%-16s", kind_names[k], "records");
		for (size_t c = 0; c < r->n_cols; c++)
			printf("%18llu", r->cols[c].tally[k].records);
		printf("\n%-14s%-16s", "", "unnamed");
		for (size_t c = 0; c < r->n_cols; c++) {
			const struct tally *t = &r->cols[c].tally[k];

			snprintf(cell, sizeof(cell), "%.1f%% (%llu)", share(t->unnamed, t->records),
				 t->unnamed);
			printf("%18s", cell);
		}
		if (kinds[k] == NP_KIND_MTU) {
			printf("\n");
			continue;
		}
		printf("\n%-14s%-16s", "", "generic/fuzzy");
		for (size_t c = 0; c < r->n_cols; c++) {
			const struct tally *t = &r->cols[c].tally[k];

			snprintf(cell, sizeof(cell), "%.1f%% (%llu)",
				 share(t->generic + t->fuzzy, t->records), t->generic + t->fuzzy);
			printf("%18s", cell);
		}
		printf("\n");
	}
	printf("\n%-30s\n", "OS named, against the evidence (hosts)");
	for (unsigned k = 0; k <= N_KINDS; k++) {
		static const char *const rows[] = { "right", "wrong", "unknown" };
		bool any = false;

		for (size_t c = 0; c < r->n_cols && k < N_KINDS; c++) {
			const struct agreement *a = &r->cols[c].agree[k];

			any |= a->right || a->wrong || a->unknown;
		}
		if (k < N_KINDS && !any)
			continue;
		for (unsigned row = 0; row < 3; row++) {
			printf("%-14s%-16s", row ? "" : k < N_KINDS ? kind_names[k] : "all", rows[row]);
			for (size_t c = 0; c < r->n_cols; c++) {
				unsigned long long v = 0;

				for (unsigned j = 0; j < N_KINDS; j++) {
					const struct agreement *a = &r->cols[c].agree[j];

					if (k == N_KINDS || j == k)
						v += row == 0 ? a->right : row == 1 ? a->wrong : a->unknown;
				}
				printf("%18llu", v);
			}
			printf("\n");
		}
	}
	if (!n_pairs)
		return;
	printf("\nwrong answers (declared, named as)\n");
	for (size_t p = 0; p < n_pairs; p++) {
		snprintf(cell, sizeof(cell), "%s", np_os_family_names[pairs[p].declared]);
		printf("  %-9s named %-40.40s", cell, pairs[p].label);
		for (size_t c = 0; c < r->n_cols; c++)
			printf("%6zu", pairs[p].count[c]);
		printf("\n");
	}
}

/* Append v to arr; a NULL v (a string not UTF-8, or no memory) is counted. */
static void
add(json_t *arr, json_t *v, unsigned *bad)
{
	*bad += json_array_append_new(arr, v) != 0;
}

static json_t *
column_json(const struct report *r, const struct column *col, unsigned *bad)
{
	json_t *files = json_array(), *kj = json_object(), *aj = json_object(),
	       *answers = json_array();
	json_t *labels = json_object();
	struct agreement all = { 0, 0, 0 };
	char *copy = strdup(col->files), *save = NULL;

	for (char *p = copy ? strtok_r(copy, ",", &save) : NULL; p; p = strtok_r(NULL, ",", &save))
		add(files, json_string(p), bad);
	free(copy);
	for (unsigned k = 0; k < N_KINDS; k++) {
		const struct tally *t = &col->tally[k];
		const struct agreement *a = &col->agree[k];

		json_object_set_new(kj, kind_names[k],
				    json_pack("{s:I, s:I, s:I, s:I}", "records", (json_int_t)t->records,
					      "unnamed", (json_int_t)t->unnamed, "generic",
					      (json_int_t)t->generic, "fuzzy", (json_int_t)t->fuzzy));
		json_object_set_new(labels, kind_names[k],
				    col->labels[k] ? json_incref(col->labels[k]) : json_object());
		if (kinds[k] == NP_KIND_MTU || kinds[k] == NP_KIND_HTTP_REQUEST ||
		    kinds[k] == NP_KIND_HTTP_RESPONSE)
			continue;
		json_object_set_new(aj, kind_names[k],
				    json_pack("{s:I, s:I, s:I}", "right", (json_int_t)a->right, "wrong",
					      (json_int_t)a->wrong, "unknown", (json_int_t)a->unknown));
		all.right += a->right;
		all.wrong += a->wrong;
		all.unknown += a->unknown;
	}
	json_object_set_new(aj, "all", json_pack("{s:I, s:I, s:I}", "right", (json_int_t)all.right,
						 "wrong", (json_int_t)all.wrong, "unknown",
						 (json_int_t)all.unknown));
	for (size_t i = 0; i < col->n_verdicts; i++) {
		const struct verdict *v = &col->verdicts[i];

		add(answers, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			"capture", r->captures[v->capture], "host", v->host, "kind",
			kind_names[v->slot], "label", v->label, "declared",
			np_os_family_names[v->declared], "evidence", v->example, "verdict",
			v->right ? "right" : "wrong"), bad);
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "files", files, "kinds", kj, "labels", labels,
			 "agreement", aj, "answers", answers);
}

static int
print_json(const struct report *r, const struct np_sweep_result *res, const struct pair *pairs,
	   size_t n_pairs)
{
	json_t *cols = json_array(), *pj = json_array();
	unsigned bad = 0;

	for (size_t c = 0; c < r->n_cols; c++)
		add(cols, column_json(r, &r->cols[c], &bad), &bad);
	for (size_t p = 0; p < n_pairs; p++) {
		json_t *counts = json_array();

		for (size_t c = 0; c < r->n_cols; c++)
			add(counts, json_integer((json_int_t)pairs[p].count[c]), &bad);
		add(pj, json_pack("{s:s, s:s, s:o}", "declared",
				  np_os_family_names[pairs[p].declared], "label", pairs[p].label,
				  "count", counts), &bad);
	}
	json_t *o = json_pack("{s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I}, s:o, s:o}",
		"captures", "read", (json_int_t)res->read, "damaged", (json_int_t)res->damaged,
		"skipped", (json_int_t)res->skipped, "frames", (json_int_t)res->frames,
		"evidence", "hosts_declared", (json_int_t)r->hosts_declared, "hosts_split",
		(json_int_t)r->hosts_split, "databases", cols, "wrong_pairs", pj);

	if (!o || bad || r->not_utf8) {
		fprintf(stderr, "netprint report: cannot write the JSON: %s\n",
			o && !bad ? "a database label is not UTF-8" :
			"a capture's name or a label is not UTF-8, or no memory");
		json_decref(o);
		return -EINVAL;
	}
	int rc = json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);

	printf("\n");
	json_decref(o);
	return rc;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: netprint report [--db FILE[,FILE...]]... [--json] CAPTURE...\n"
		"  How well databases name the hosts of CAPTUREs, side by side: records\n"
		"  per kind, unnamed and generic/fuzzy shares, and every OS a label gives\n"
		"  a host against the OS family the capture shows for it (the host's\n"
		"  HTTP User-Agent, an OS update service it reaches by TLS):\n"
		"  right, wrong (with the pairs), unknown.\n"
		"  --db LIST   one database (its files read as one, as -f -f), a column\n"
		"              each; default: netprint's own (p0f.fp and tls.fp)\n"
		"  --json      print it as one JSON object, with every right and wrong\n"
		"              answer\n");
}

int
np_report_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report r = { 0 };
	const char *lists[64];
	size_t n_lists = 0;
	bool json = false;
	int ch, status = 1;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (n_lists == sizeof(lists) / sizeof(lists[0])) {
				fprintf(stderr, "netprint report: at most 64 --db\n");
				return 2;
			}
			lists[n_lists++] = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "netprint report: no capture to read\n");
		usage(stderr);
		return 2;
	}
	char *bundled = np_sweep_bundled_list();

	if (!n_lists)
		lists[n_lists++] = bundled;
	r.n_cols = n_lists;
	r.cols = calloc(n_lists, sizeof(*r.cols));
	r.ev = np_evidence_new();
	r.captures = argv + optind;

	struct np_db **dbs = calloc(n_lists, sizeof(*dbs));

	if (!r.cols || !r.ev || !dbs || !bundled) {
		fprintf(stderr, "netprint report: out of memory\n");
		goto out;
	}
	for (size_t c = 0; c < n_lists; c++) {
		r.cols[c].files = lists[c];
		r.cols[c].dedupe_at = 65536;
		if (!(dbs[c] = np_sweep_open_db(WHO, lists[c])))
			goto out;
	}
	struct np_sweep_hooks hooks = { on_record, on_capture_done, &r };
	struct np_sweep_result res;

	if (np_sweep(WHO, argv + optind, (size_t)(argc - optind), dbs, n_lists, &hooks, &res))
		goto out;

	size_t n_pairs;
	struct pair *pairs = wrong_pairs(&r, &n_pairs);

	if (n_pairs == (size_t)-1) {
		fprintf(stderr, "netprint report: out of memory\n");
		goto out;
	}
	if (json ? print_json(&r, &res, pairs, n_pairs) : (print_text(&r, &res, pairs, n_pairs), 0))
		fprintf(stderr, "netprint report: the report is not written\n");
	else
		status = fflush(stdout) ? 1 : res.damaged ? 3 : 0;
	free_pairs(pairs, n_pairs);
out:
	for (size_t c = 0; r.cols && c < r.n_cols; c++) {
		struct column *col = &r.cols[c];

		np_db_unref(dbs ? dbs[c] : NULL);
		for (size_t i = 0; i < col->n_pending; i++) {
			free(col->pending[i].host);
			free(col->pending[i].label);
		}
		for (size_t i = 0; i < col->n_verdicts; i++) {
			free(col->verdicts[i].host);
			free(col->verdicts[i].label);
			free(col->verdicts[i].example);
		}
		free(col->pending);
		free(col->verdicts);
		for (unsigned k = 0; k < N_KINDS; k++)
			json_decref(col->labels[k]);
	}
	free(dbs);
	free(r.cols);
	np_evidence_free(r.ev);
	free(bundled);
	return status;
}
