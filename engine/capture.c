/* SPDX-License-Identifier: MIT */
/*
 * Capture files, read once with libpcap before the engine starts: is it a
 * readable pcap, which link type, and how many frames net_pcap will deliver
 * (so file mode knows when every packet has been processed).
 */
#include <pcap/pcap.h>
#include <stdio.h>

#include "engine.h"

int
np_capture_scan(const char *path, struct np_capture_info *info, char *err, size_t err_len)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, perr);
	int rc;

	if (!p) {
		snprintf(err, err_len, "%s: cannot read capture: %s", path, perr);
		return -1;
	}
	info->dlt = pcap_datalink(p);
	info->frames = 0;
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1)
		info->frames++;
	if (rc == PCAP_ERROR) {
		/* net_pcap stops at the same place: what was read is processed */
		fprintf(stderr, "netprint: %s: truncated capture after %llu frames: %s\n", path,
			(unsigned long long)info->frames, pcap_geterr(p));
	}
	pcap_close(p);
	return 0;
}
