/* SPDX-License-Identifier: MIT */
/*
 * netprint's NATS connections (nats_conn.h).
 */
#include <stdio.h>
#include <string.h>

#include "nats_conn.h"

#define MAX_SERVERS 16

/* Reconnecting: 100 ms, doubling, at most 5 s between attempts. */
static int64_t
reconnect_delay(natsConnection *nc, int attempts, void *closure)
{
	(void)nc, (void)closure;
	return attempts >= 6 ? 5000 : 100LL << attempts;
}

/* Connected at last (with a callback, connecting does not block the caller). */
static void
on_connected(natsConnection *nc, void *closure)
{
	char url[256] = "";

	natsConnection_GetConnectedUrl(nc, url, sizeof(url));
	fprintf(stderr, "netprint: %s: connected to %s\n", (const char *)closure, url);
}

int
np_nats_connect(const struct np_nats_conn_config *cfg, jsOptions *jo, natsOptions **opts,
		natsConnection **nc, jsCtx **js, char *err, size_t err_len)
{
	char urls[1024], *save = NULL;
	const char *servers[MAX_SERVERS];
	int n_servers = 0;
	natsStatus s;

	*opts = NULL;
	*nc = NULL;
	*js = NULL;
	if (snprintf(urls, sizeof(urls), "%s", cfg->urls) >= (int)sizeof(urls)) {
		snprintf(err, err_len, "--nats: too long");
		return -1;
	}
	for (char *u = strtok_r(urls, ",", &save); u && n_servers < MAX_SERVERS;
	     u = strtok_r(NULL, ",", &save))
		servers[n_servers++] = u;
	if (!n_servers) {
		snprintf(err, err_len, "--nats %s: no server", cfg->urls);
		return -1;
	}
	if ((s = natsOptions_Create(opts)) != NATS_OK ||
	    (s = natsOptions_SetServers(*opts, servers, n_servers)) != NATS_OK ||
	    (s = natsOptions_SetName(*opts, cfg->name)) != NATS_OK ||
	    (s = natsOptions_SetMaxReconnect(*opts, -1)) != NATS_OK ||
	    (s = natsOptions_SetCustomReconnectDelay(*opts, reconnect_delay, NULL)) != NATS_OK ||
	    (s = natsOptions_SetRetryOnFailedConnect(*opts, true, on_connected, (void *)cfg->who)) !=
		    NATS_OK ||
	    (cfg->creds &&
	     (s = natsOptions_SetUserCredentialsFromFiles(*opts, cfg->creds, NULL)) != NATS_OK) ||
	    (cfg->tls_ca && ((s = natsOptions_SetSecure(*opts, true)) != NATS_OK ||
			     (s = natsOptions_LoadCATrustedCertificates(*opts, cfg->tls_ca)) !=
				     NATS_OK))) {
		snprintf(err, err_len, "--nats: %s (%s)", natsStatus_GetText(s), nats_GetLastError(NULL));
		goto fail;
	}
	s = natsConnection_Connect(nc, *opts);
	if ((s != NATS_OK && s != NATS_NOT_YET_CONNECTED) ||
	    (s = natsConnection_JetStream(js, *nc, jo)) != NATS_OK) {
		snprintf(err, err_len, "--nats %s: %s", cfg->urls, natsStatus_GetText(s));
		goto fail;
	}
	return 0;
fail:
	natsConnection_Destroy(*nc);
	natsOptions_Destroy(*opts);
	*nc = NULL;
	*opts = NULL;
	return -1;
}
