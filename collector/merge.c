/* SPDX-License-Identifier: MIT */
/*
 * The collector's merge of its sensors' records (merge.h): per sensor, its
 * messages put back in its order, then all in packet-time order.
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
	m->gap_wait_ms = NP_MERGE_GAP_WAIT_MS;
}

void
np_merge_gap_wait(struct np_merge *m, uint64_t ms)
{
	m->gap_wait_ms = ms;
}

static void
free_list(struct np_pending *p)
{
	while (p) {
		struct np_pending *next = p->next;

		free(p);
		p = next;
	}
}

void
np_merge_fini(struct np_merge *m)
{
	uint64_t gap_wait = m->gap_wait_ms;

	for (unsigned s = 0; s < m->n_sensors; s++) {
		free_list(m->s[s].head);
		free_list(m->s[s].early);
	}
	np_merge_init(m);
	m->gap_wait_ms = gap_wait;
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

/* p's turn in its sensor's order has come: ready for the merge. */
static void
ready(struct np_merge *m, struct np_merge_sensor *s, struct np_pending *p)
{
	if (p->empty) {
		m->held--;
		free(p);
		return;
	}
	p->next = NULL;
	*s->last = p;
	s->last = &p->next;
}

/* The early ones whose turn has come now. */
static void
take_early(struct np_merge *m, struct np_merge_sensor *s)
{
	while (s->early && s->early->sensor_seq <= s->next_seq) {
		struct np_pending *p = s->early;

		s->early = p->next;
		s->n_early--;
		if (p->sensor_seq == s->next_seq)
			s->next_seq++;
		ready(m, s, p);
	}
}

/* Give up on the messages missing before the first early one. */
static void
skip_gap(struct np_merge *m, struct np_merge_sensor *s)
{
	m->missing += s->early->sensor_seq - s->next_seq;
	s->next_seq = s->early->sensor_seq;
	take_early(m, s);
}

void
np_merge_push(struct np_merge *m, struct np_pending *p)
{
	struct np_merge_sensor *s = &m->s[p->sensor];

	m->held++;
	if (!s->next_seq || p->boot != s->boot) {	/* its first message, or it restarted */
		while (s->early)
			skip_gap(m, s);
		s->boot = p->boot;
		s->next_seq = 1;
	}
	if (p->sensor_seq == s->next_seq) {
		s->next_seq++;
		ready(m, s, p);
		take_early(m, s);
	} else if (p->sensor_seq > s->next_seq) {
		struct np_pending **at = &s->early;

		while (*at && (*at)->sensor_seq < p->sensor_seq)
			at = &(*at)->next;
		p->next = *at;
		*at = p;
		s->n_early++;
	} else {
		m->late++;	/* its place was given up: now is all it can have */
		ready(m, s, p);
	}
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
		struct np_merge_sensor *s = &m->s[i];

		if (!s->head && s->early &&
		    (drain || s->n_early >= NP_MERGE_LOOKAHEAD ||
		     s->early->sensor_seq - s->next_seq >= NP_MERGE_LOOKAHEAD ||	/* not a sensor's */
		     now_ms - s->early->arrived_ms >= m->gap_wait_ms))
			skip_gap(m, s);
		if (s->head && (!best || s->head->rec.ts_us < best->head->rec.ts_us ||
				(s->head->rec.ts_us == best->head->rec.ts_us &&
				 s->head->stream_seq < best->head->stream_seq)))
			best = s;
	}
	if (!best)
		return NULL;
	for (unsigned i = 0; i < m->n_sensors && !drain && !wait; i++)
		wait = !m->s[i].head &&
		       (m->s[i].early || waited_for(m, &m->s[i], now_ms, hold_ms, caught_up));

	/* a backlog: a sensor not seen yet may have older ones further on */
	bool seen_enough = caught_up || m->newest_seq - best->head->stream_seq >= NP_MERGE_LOOKAHEAD;

	if (!drain && m->held < NP_MERGE_HELD_MAX && now_ms - best->head->arrived_ms < hold_ms &&
	    (wait || !seen_enough))
		return NULL;

	struct np_pending *p = best->head;

	if (!(best->head = p->next))
		best->last = &best->head;
	m->held--;
	return p;
}
