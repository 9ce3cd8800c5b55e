/* SPDX-License-Identifier: MIT */
/*
 * The web console's pages and scripts (output/console/), built into the
 * program by output/embed_assets.py: served from memory, nothing read from
 * disk or the internet.
 */
#ifndef NP_CONSOLE_ASSETS_H
#define NP_CONSOLE_ASSETS_H

#include "http_server.h"

extern const struct np_http_asset np_console_assets[];
extern const unsigned np_console_n_assets;

#endif /* NP_CONSOLE_ASSETS_H */
