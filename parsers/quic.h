/* SPDX-License-Identifier: MIT */
/*
 * QUIC Initial packets (RFC 9000, RFC 9001; QUIC v2, RFC 9369; draft-29):
 * long headers read in place, coalesced packets walked, the Initial keys
 * derived from the Destination Connection ID, header protection removed
 * and the payload decrypted, and the CRYPTO frames inside listed, so the
 * TLS handshake they carry can be reassembled and fingerprinted (tls.h).
 *
 * HKDF, AES-128-ECB (header protection) and AES-128-GCM come from
 * OpenSSL's libcrypto, through contexts made once per thread
 * (np_quic_crypto_new): decrypting a packet allocates nothing.
 */
#ifndef NP_QUIC_H
#define NP_QUIC_H

#include <stdbool.h>
#include <stdint.h>

#define NP_QUIC_V1 0x00000001u
#define NP_QUIC_V2 0x6b3343cfu
#define NP_QUIC_DRAFT29 0xff00001du

#define NP_QUIC_CID_MAX 20
#define NP_QUIC_MIN_INITIAL 1200	/* a client's Initial datagram, at least */

/* Long header packet types, whatever the version numbers them as. */
enum np_quic_type { NP_QUIC_INITIAL, NP_QUIC_0RTT, NP_QUIC_HANDSHAKE, NP_QUIC_RETRY };

/* A long header packet in a datagram. */
struct np_quic_long {
	uint32_t version;
	uint8_t type;			/* enum np_quic_type */
	uint8_t dcid_len, scid_len;
	const uint8_t *dcid, *scid;
	const uint8_t *pkt;		/* first byte of the packet */
	uint32_t pn_off;		/* offset of the (protected) packet number */
	uint32_t pkt_len;		/* the whole packet: the next coalesced one starts here */
};

/* Is this a version netprint can decrypt (v1, v2, draft-29)? */
bool np_quic_version_known(uint32_t version);

/*
 * Does a UDP payload start with a long header packet of a known version
 * (the cheap test, before anything is parsed)?
 */
bool np_quic_starts_long(const uint8_t *p, uint32_t len);

/*
 * Parse the long header at p (len bytes to the end of the datagram).
 * Initial, 0-RTT and Handshake packets parse, whatever their version
 * numbers the type bits as, so that the packets coalesced in a datagram can
 * be walked: the next one starts at p + h->pkt_len. Returns 0, or -EINVAL
 * when the header is malformed (a Connection ID over 20 bytes, an Initial
 * without the fixed bit, a Length leaving no room for a packet number and
 * the 16-byte header protection sample), a length runs past the datagram,
 * or the version is not known; -ENOTSUP for a Retry or a version
 * negotiation packet (no packet number, nothing to decrypt). h is only
 * meaningful when 0 is returned.
 */
int np_quic_parse_long(const uint8_t *p, uint32_t len, struct np_quic_long *h);

struct np_quic_keys {
	uint32_t version;
	uint8_t key[16], iv[12], hp[16];
};

/* libcrypto contexts and fetched algorithms: one per thread, never shared. */
struct np_quic_crypto;

struct np_quic_crypto *np_quic_crypto_new(void);	/* NULL, errno set, on failure */
void np_quic_crypto_free(struct np_quic_crypto *c);

/*
 * The client's (server false) or the server's Initial keys of a connection
 * whose client chose dcid as its first Destination Connection ID.
 * Returns 0, -EINVAL for an unknown version or a dcid over 20 bytes, -EIO
 * if libcrypto fails. libcrypto 3.0 allocates inside every HMAC it keys,
 * so this is the one call here that does (16 allocations): derive once per
 * connection and keep the keys.
 */
int np_quic_initial_keys(struct np_quic_crypto *c, uint32_t version, const uint8_t *dcid,
			 uint8_t dcid_len, bool server, struct np_quic_keys *k);

/*
 * Remove the header protection of an Initial packet and decrypt its
 * payload into out (which must hold h->pkt_len bytes); the packet itself is
 * not written to. On success returns 0 with the frames in out[0 ..
 * *out_len) and the packet number in *pn, as truncated on the wire (1 to 4
 * bytes: enough for Initials). Otherwise *out_len is 0 and the result is
 * -EBADMSG when authentication fails (wrong keys or damaged packet);
 * -EINVAL when the packet is too short to sample, or when it authenticates
 * but its reserved bits are set or it carries no frames (judged only after
 * authentication, as RFC 9000 section 17.2 asks); -EIO if libcrypto fails.
 * Allocates nothing.
 */
int np_quic_decrypt(struct np_quic_crypto *c, const struct np_quic_keys *k,
		    const struct np_quic_long *h, uint8_t *out, uint32_t *out_len, uint64_t *pn);

/*
 * The next CRYPTO frame of a decrypted payload, from *pos (0 at first);
 * PADDING, PING, ACK and CONNECTION_CLOSE frames are skipped. Returns 1
 * with the frame's stream offset and data (inside frames), *pos past it;
 * 0 at the end of the payload, *pos = len; -EINVAL, *pos unchanged, for a
 * malformed or unexpected frame: a varint or length running past the
 * payload, a CRYPTO frame ending beyond 2^62 - 1, any other type (not
 * allowed in an Initial packet) or a type not minimally encoded.
 */
int np_quic_next_crypto(const uint8_t *frames, uint32_t len, uint32_t *pos, uint64_t *offset,
			const uint8_t **data, uint32_t *data_len);

#endif /* NP_QUIC_H */
