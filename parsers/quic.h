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
 * Returns 0, or -EINVAL when the header is malformed, a length runs past
 * the datagram, or the version is not known; -ENOTSUP for a Retry or a
 * version negotiation packet (no packet number, nothing to decrypt).
 */
int np_quic_parse_long(const uint8_t *p, uint32_t len, struct np_quic_long *h);

struct np_quic_keys {
	uint32_t version;
	uint8_t key[16], iv[12], hp[16];
};

struct np_quic_crypto;

struct np_quic_crypto *np_quic_crypto_new(void);	/* NULL, errno set, on failure */
void np_quic_crypto_free(struct np_quic_crypto *c);

/*
 * The client's (server false) or the server's Initial keys of a connection
 * whose client chose dcid as its first Destination Connection ID.
 * Returns 0, -EINVAL for an unknown version, -EIO if libcrypto fails.
 */
int np_quic_initial_keys(struct np_quic_crypto *c, uint32_t version, const uint8_t *dcid,
			 uint8_t dcid_len, bool server, struct np_quic_keys *k);

/*
 * Remove the header protection of an Initial packet and decrypt its
 * payload into out (which must hold h->pkt_len bytes). On success returns
 * 0 with the frames in out[0 .. *out_len) and the packet number in *pn;
 * -EINVAL when the packet is too short to sample or the reserved bits are
 * set, -EBADMSG when authentication fails (wrong keys or damaged packet).
 */
int np_quic_decrypt(struct np_quic_crypto *c, const struct np_quic_keys *k,
		    const struct np_quic_long *h, uint8_t *out, uint32_t *out_len, uint64_t *pn);

/*
 * The next CRYPTO frame of a decrypted payload, from *pos (0 at first);
 * PADDING, PING, ACK and CONNECTION_CLOSE frames are skipped. Returns 1
 * with the frame's stream offset and data (inside frames), 0 at the end of
 * the payload, -EINVAL for a malformed or unexpected frame (any other
 * type is not allowed in an Initial packet).
 */
int np_quic_next_crypto(const uint8_t *frames, uint32_t len, uint32_t *pos, uint64_t *offset,
			const uint8_t **data, uint32_t *data_len);

#endif /* NP_QUIC_H */
