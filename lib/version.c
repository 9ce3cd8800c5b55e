/* SPDX-License-Identifier: MIT */
/*
 * np_version() and np_strerror(): what the library is, and what its error
 * codes mean.
 */
#include "netprint.h"

const char *
np_version(void)
{
	return NP_VERSION_STRING;
}

const char *
np_strerror(int err)
{
	switch (err) {
	case NP_OK:
		return "success";
	case NP_ERR_INVALID:
		return "invalid argument";
	case NP_ERR_NOMEM:
		return "out of memory";
	case NP_ERR_IO:
		return "cannot open or read";
	case NP_ERR_DATABASE:
		return "bad signature database";
	case NP_ERR_LINKTYPE:
		return "unsupported link type";
	case NP_ERR_DAMAGED:
		return "capture file damaged";
	case NP_ERR_NOT_FOUND:
		return "no such host";
	case NP_ERR_NO_SPACE:
		return "buffer too small";
	case NP_ERR_BUSY:
		return "called from the observer's own callback";
	default:
		return "unknown error";
	}
}
