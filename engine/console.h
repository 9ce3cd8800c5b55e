/* SPDX-License-Identifier: MIT */
/*
 * The web console's answers (--http), made on the logger between two
 * records, as output/http_server.h asks: counters and hosts as JSON.
 */
#ifndef NP_CONSOLE_H
#define NP_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "http_server.h"

struct np_logger;

/* The server's calls, answering from lg's state (on the logger). */
struct np_http_calls np_console_calls(struct np_logger *lg);

#endif /* NP_CONSOLE_H */
