/* SPDX-License-Identifier: MIT */
/*
 * The collector's packet-time merge of its sensors' records (merge.h).
 */
#include <stdlib.h>
#include <string.h>

#include "merge.h"

void
np_merge_init(struct np_merge *m)
{
	memset(m, 0, sizeof(*m));
	for (unsigned s = 0; s < NP_MERGE_SENSORS; s++)
		m->s[s].last = &m->s[s].head;
}

void
np_merge_fini(struct np_merge *m)
{
	for (unsigned s = 0; s < m->n_sensors; s++)
		while (m->s[s].head) {
			struct np_pending *p = m->s[s].head;

			m->s[s].head = p->next;
			free(p);
		}
	np_merge_init(m);
}

void
np_merge_saw(struct np_merge *m, unsigned s, uint64_t seq, uint64_t now_ms)
{
	if (s >= NP_MERGE_SENSORS)
		return;
	if (s >= m->n_sensors)
		m->n_sensors = s + 1;
	m->s[s].seen = true;
	m->s[s].last_arrival_ms = now_ms;
	m->s[s].last_seq = seq;
	if (seq > m->newest_seq)
		m->newest_seq = seq;
}

void
np_merge_push(struct np_merge *m, struct np_pending *p)
{
	struct np_merge_sensor *s = &m->s[p->sensor];

	p->next = NULL;
	*s->last = p;
	s->last = &p->next;
	m->held++;
}

/* Is sensor s still sending, so that an older record of its may come? */
static bool
waited_for(const struct np_merge *m, const struct np_merge_sensor *s, uint64_t now_ms,
	   uint64_t hold_ms, bool caught_up)
{
	if (!s->seen)
		return false;
	if (caught_up)
		return now_ms - s->last_arrival_ms < hold_ms;
	return m->newest_seq - s->last_seq < NP_MERGE_LOOKAHEAD;
}

struct np_pending *
np_merge_next(struct np_merge *m, uint64_t now_ms, uint64_t hold_ms, bool caught_up, bool drain)
{
	struct np_merge_sensor *best = NULL;
	bool wait = false;

	for (unsigned i = 0; i < m->n_sensors; i++) {
		const struct np_pending *h = m->s[i].head;

		if (h && (!best || h->rec.ts_us < best->head->rec.ts_us ||
			  (h->rec.ts_us == best->head->rec.ts_us &&
			   h->stream_seq < best->head->stream_seq)))
			best = &m->s[i];
	}
	if (!best)
		return NULL;
	for (unsigned i = 0; i < m->n_sensors && !drain && !wait; i++)
		wait = !m->s[i].head && waited_for(m, &m->s[i], now_ms, hold_ms, caught_up);
	if (wait && !(caught_up && now_ms - best->head->arrived_ms >= hold_ms) &&
	    m->held < NP_MERGE_HELD_MAX)
		return NULL;

	struct np_pending *p = best->head;

	if (!(best->head = p->next))
		best->last = &best->head;
	m->held--;
	return p;
}

uint64_t
np_merge_min_seq(const struct np_merge *m)
{
	uint64_t min = UINT64_MAX;

	for (unsigned i = 0; i < m->n_sensors; i++)
		if (m->s[i].head && m->s[i].head->stream_seq < min)
			min = m->s[i].head->stream_seq;
	return min;
}
