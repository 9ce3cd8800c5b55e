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
struct np_http_ask;

unsigned np_console_answer(void *ctx, const struct np_http_ask *q, char **body, size_t *len);

#endif /* NP_CONSOLE_H */
