/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the capture file reader (core/capture.c, built into
 * this target: it needs libpcap only) on the input as a whole file, read
 * through a memfd (/proc/self/fd/N, which both libpcap and capture.c's own
 * block reader open by name): classic pcap in either byte order, micro- or
 * nanoseconds, records beyond the snapshot length handed over to libpcap,
 * pcapng, damaged file headers, record headers and files cut short. Every
 * frame delivered is read to its last byte (ASan checks it lies in the
 * buffer), must be no longer than libpcap's largest record, and the reader
 * must end, closed without leaks, whatever the file says. Opening a file
 * that is not a capture must fail with a message.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "fuzz_common.h"

#define MAX_FRAMES 100000
#define MAX_RECORD (256u << 10)		/* libpcap refuses longer records */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct np_capture c;
	char err[512];
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts, frames = 0;
	volatile uint8_t sink = 0;

	if (fd < 0) {
		np_fuzz_setup();
		fd = memfd_create("np-fuzz-capture", MFD_CLOEXEC);
		NP_FUZZ_CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	NP_FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size,
		      "memfd write: %s", strerror(errno));

	memset(err, 0, sizeof(err));
	if (np_capture_init(&c, path, err, sizeof(err))) {
		NP_FUZZ_CHECK(err[0] != 0, "open failed without a message");
		np_capture_fini(&c);	/* safe on one never opened */
		return 0;
	}
	while (frames < MAX_FRAMES && np_capture_next(&c, &frame, &len, &ts) == 1) {
		NP_FUZZ_CHECK(len <= MAX_RECORD, "frame of %u bytes", len);
		for (uint32_t i = 0; i < len; i++)
			sink ^= frame[i];
		frames++;
	}
	NP_FUZZ_CHECK(frames == c.frames, "delivered %llu frames, counted %llu",
		      (unsigned long long)frames, (unsigned long long)c.frames);
	np_capture_fini(&c);
	(void)sink;
	return 0;
}
