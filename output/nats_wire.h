/* SPDX-License-Identifier: MIT */
/*
 * netprint's messages in NATS, as the publisher writes them and the
 * collector reads them. A record's message:
 *   subject  netprint.<sensor>.<kind>, the kind's characters other than
 *            letters and digits made '_' (syn_ack, http_request, ...);
 *   payload  the record's JSON object as --json writes it, with "sensor";
 *   headers  Nats-Msg-Id "<sensor>.<boot>.<sequence>" (JetStream's
 *            duplicate window drops a copy sent again), and Netprint-Input:
 *            the record the host logic was given (record.h's packed form,
 *            base64), on the first message made from it.
 * The host logic derives records of its own (uptime, host change, ip
 * sharing, mtu): their messages carry no Netprint-Input, and an input that
 * yields no record to print (a timestamp sample, a host drop) travels alone
 * on netprint.<sensor>._input with an empty payload.
 */
#ifndef NP_NATS_WIRE_H
#define NP_NATS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_NATS_SUBJECTS "netprint.>"
#define NP_NATS_MSG_ID "Nats-Msg-Id"
#define NP_NATS_INPUT "Netprint-Input"
#define NP_NATS_INPUT_KIND "_input"
#define NP_NATS_SENSOR_MAX 64
#define NP_NATS_INPUT_MAX 32768	/* a packed record (record.h's NP_REC_PACK_MAX fits) */
#define NP_BASE64_LEN(n) (((n) + 2) / 3 * 4 + 1)	/* with its NUL */

/* "netprint.<sensor>.<kind made safe>" (kind NULL: the _input subject);
 * the length, or 0 when it does not fit. */
size_t np_nats_subject(char *out, size_t cap, const char *sensor, const char *kind);

/* Letters, digits, '-' and '_', 1 to NP_NATS_SENSOR_MAX of them. */
bool np_nats_name_ok(const char *s, size_t len);

/* This machine's name made a safe name (len >= 2): --sensor's default. */
void np_nats_host_name(char *out, size_t len);

/* Base64 (RFC 4648, padded): out holds NP_BASE64_LEN(n) bytes. */
size_t np_base64_encode(const uint8_t *in, size_t n, char *out);

/* Its inverse: the bytes written to out (cap), or -1 for anything that is
 * not base64 or does not fit. */
long np_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap);

/*
 * A message id "<sensor>.<boot hex>.<sequence>": the sensor's name (its
 * length in *sensor_len), boot and sequence. False when it is not one.
 */
bool np_nats_msg_id_parse(const char *id, size_t *sensor_len, uint64_t *boot, uint64_t *seq);

#endif /* NP_NATS_WIRE_H */
