/* SPDX-License-Identifier: MIT */
/*
 * The web console's answers (--http), made on the logger between two
 * records, as output/http_server.h asks: counters and hosts as JSON.
 */
#ifndef NP_CONSOLE_H
#define NP_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* np_http_answer_fn for ctx = the struct np_logger. */
unsigned np_console_answer(void *ctx, const char *path, const char *arg, bool change,
			   char **body, size_t *len);

#endif /* NP_CONSOLE_H */
