/* SPDX-License-Identifier: MIT */
/*
 * Where a worker's cycles go, for the benchmark build only (meson
 * -Dstage_cycles=true): the frame path marks the stage it enters and
 * leaves (parse, flow, host, match, payload, record, ring) and a
 * thread-local clock charges the TSC cycles between two marks to the stage
 * that was running; what no stage claims (the device, the loop) is
 * "other". Each mark costs a TSC read, charged to the stage it ends: the
 * report takes off the cost of a mark, measured at the start, per stretch
 * (np_stage_mark_cost). In the ordinary build the marks compile to nothing.
 */
#ifndef NP_STAGE_H
#define NP_STAGE_H

#include <stdint.h>

#define NP_FOREACH_STAGE(_) \
	_(OTHER, "other") \
	_(PARSE, "parse") \
	_(FLOW, "flow") \
	_(HOST, "host") \
	_(MATCH, "match") \
	_(PAYLOAD, "payload") \
	_(RECORD, "record") \
	_(RING, "ring")

enum np_stage {
#define NP_STAGE_ENUM_(id, name) NP_STAGE_##id,
	NP_FOREACH_STAGE(NP_STAGE_ENUM_)
#undef NP_STAGE_ENUM_
	NP_STAGE_COUNT
};

struct np_stage_clock {
	uint64_t last;
	unsigned cur;
	uint64_t cycles[NP_STAGE_COUNT];
	uint64_t marks[NP_STAGE_COUNT];	/* stretches charged: a mark's cost each */
};

#ifdef NP_STAGE_CYCLES
#include <x86intrin.h>

extern _Thread_local struct np_stage_clock np_stage_clock;

/* Charge the running stage and switch to s; returns the one to go back to. */
static inline unsigned
np_stage_enter(unsigned s)
{
	struct np_stage_clock *c = &np_stage_clock;
	uint64_t now = __rdtsc();
	unsigned prev = c->cur;

	c->cycles[prev] += now - c->last;
	c->marks[prev]++;
	c->last = now;
	c->cur = s;
	return prev;
}

/* What one mark costs on this CPU, in cycles: the median of a few runs. */
uint64_t np_stage_mark_cost(void);

/* From here to NP_STAGE_END() in the same block, stage id. */
#define NP_STAGE(id) const unsigned np_stage_prev_ = np_stage_enter(NP_STAGE_##id)
#define NP_STAGE_END() ((void)np_stage_enter(np_stage_prev_))
/* Within a marked block: on to stage id (the block's end still restores). */
#define NP_STAGE_TO(id) ((void)np_stage_enter(NP_STAGE_##id))
#define NP_STAGE_ENABLED 1
#else
#define NP_STAGE(id) do { } while (0)
#define NP_STAGE_END() do { } while (0)
#define NP_STAGE_TO(id) do { } while (0)
#define NP_STAGE_ENABLED 0
#endif

extern const char *const np_stage_names[NP_STAGE_COUNT];

#endif /* NP_STAGE_H */
