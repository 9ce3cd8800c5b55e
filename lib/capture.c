/* SPDX-License-Identifier: MIT */
/*
 * Captures for library users: the engine's capture reader (core/capture.c)
 * behind a handle, and the loop that feeds an observer from it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "lib.h"

/* The reader keeps the name it was given: the handle owns a copy. */
struct np_capture_handle {
	struct np_capture c;	/* first: the handle is the capture */
	char name[];
};

static int
open_capture(struct np_capture **cap, const char *name, bool live, bool promisc, char *msg,
	     size_t msg_len)
{
	char err[NP_MSG_MAX];
	struct np_capture_handle *h;
	size_t n;

	if (msg && msg_len)
		msg[0] = 0;
	if (!cap)
		return NP_ERR_INVALID;
	*cap = NULL;
	if (!name)
		return NP_ERR_INVALID;
	n = strlen(name);
	if (!(h = malloc(sizeof(*h) + n + 1)))
		return NP_ERR_NOMEM;
	memcpy(h->name, name, n + 1);
	errno = 0;
	if ((live ? np_capture_init_live(&h->c, h->name, promisc, err, sizeof(err)) :
		    np_capture_init(&h->c, h->name, err, sizeof(err)))) {
		int e = errno;

		if (msg && msg_len)
			snprintf(msg, msg_len, "%s", err);
		free(h);
		return e == EPROTONOSUPPORT ? NP_ERR_LINKTYPE : e == ENOMEM ? NP_ERR_NOMEM : NP_ERR_IO;
	}
	*cap = &h->c;
	return NP_OK;
}

int
np_capture_open_file(struct np_capture **cap, const char *path, char *msg, size_t msg_len)
{
	return open_capture(cap, path, false, false, msg, msg_len);
}

int
np_capture_open_live(struct np_capture **cap, const char *iface, bool promisc, char *msg,
		     size_t msg_len)
{
	return open_capture(cap, iface, true, promisc, msg, msg_len);
}

int
np_capture_linktype(const struct np_capture *cap)
{
	return cap ? cap->dlt : NP_ERR_INVALID;
}

int
np_capture_run(struct np_capture *cap, struct np_observer *obs)
{
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;
	int rc;

	if (!cap || !obs)
		return NP_ERR_INVALID;
	if (obs->busy)
		return NP_ERR_BUSY;
	while ((rc = np_capture_next(cap, &frame, &len, &ts)) > 0)
		np_observer_feed(obs, frame, len, ts);
	return rc;
}

const char *
np_capture_error(const struct np_capture *cap)
{
	return cap ? cap->error : "";
}

void
np_capture_close(struct np_capture *cap)
{
	if (!cap)
		return;
	np_capture_fini(cap);
	free(cap);	/* the handle: cap is its first member */
}
