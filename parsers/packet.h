/* SPDX-License-Identifier: MIT */
/*
 * Frame -> TCP observation. The parsers read a captured frame in place,
 * check every bound, and fill a struct np_packet with what p0f 3.09b's
 * parse_packet() extracts: addresses, ports, TTL, TOS, quirks, the TCP option
 * layout and the payload. No allocation, no clock, no global state.
 */
#ifndef NP_PACKET_H
#define NP_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#define NP_MAX_TCP_OPT 24	/* p0f MAX_TCP_OPT */
#define NP_MIN_TCP4 40		/* IPv4 + TCP headers */
#define NP_MIN_TCP6 60		/* IPv6 + TCP headers */

/* TCP flags kept in np_packet.tcp_type (p0f's tcp_type). */
#define NP_TCP_FIN 0x01
#define NP_TCP_SYN 0x02
#define NP_TCP_RST 0x04
#define NP_TCP_ACK 0x10

/* TCP option kinds with a name in p0f signatures. */
#define NP_OPT_EOL 0
#define NP_OPT_NOP 1
#define NP_OPT_MSS 2
#define NP_OPT_WS 3
#define NP_OPT_SOK 4
#define NP_OPT_SACK 5
#define NP_OPT_TS 8

/*
 * Quirks, in the order p0f prints them. The X-macro keeps the bit, its
 * p0f.fp spelling and the printing order in one place.
 */
#define NP_FOREACH_QUIRK(_) \
	_(DF, "df") \
	_(NZ_ID, "id+") \
	_(ZERO_ID, "id-") \
	_(ECN, "ecn") \
	_(NZ_MBZ, "0+") \
	_(FLOW, "flow") \
	_(ZERO_SEQ, "seq-") \
	_(NZ_ACK, "ack+") \
	_(ZERO_ACK, "ack-") \
	_(NZ_URG, "uptr+") \
	_(URG, "urgf+") \
	_(PUSH, "pushf+") \
	_(OPT_ZERO_TS1, "ts1-") \
	_(OPT_NZ_TS2, "ts2+") \
	_(OPT_EOL_NZ, "opt+") \
	_(OPT_EXWS, "exws") \
	_(OPT_BAD, "bad")

enum np_quirk_bit {
#define NP_QUIRK_BIT_(id, str) NP_QUIRK_BIT_##id,
	NP_FOREACH_QUIRK(NP_QUIRK_BIT_)
#undef NP_QUIRK_BIT_
	NP_QUIRK_COUNT
};

#define NP_QUIRK(id) (1u << NP_QUIRK_BIT_##id)
#define NP_QUIRKS_V4_ONLY (NP_QUIRK(DF) | NP_QUIRK(NZ_ID) | NP_QUIRK(ZERO_ID) | NP_QUIRK(NZ_MBZ))
#define NP_QUIRKS_V6_ONLY (NP_QUIRK(FLOW))

/* p0f.fp spelling of quirk bit i. */
extern const char *const np_quirk_names[NP_QUIRK_COUNT];

/* Why a frame yielded no TCP observation; one counter each in the engine. */
#define NP_FOREACH_SKIP(_) \
	_(LINK, "link layer not IPv4/IPv6") \
	_(SHORT, "truncated or too short") \
	_(BAD_IP, "malformed IP header") \
	_(NOT_TCP, "not TCP") \
	_(FRAGMENT, "IP fragment") \
	_(BAD_TCP, "malformed TCP header") \
	_(TCP_FLAGS, "meaningless TCP flags")

enum np_parse_result {
	NP_PARSE_OK = 0,
#define NP_SKIP_ENUM_(id, desc) NP_SKIP_##id,
	NP_FOREACH_SKIP(NP_SKIP_ENUM_)
#undef NP_SKIP_ENUM_
	NP_PARSE_RESULT_COUNT
};

extern const char *const np_parse_result_names[NP_PARSE_RESULT_COUNT];

struct np_packet {
	const uint8_t *payload;	/* TCP payload, NULL when empty */
	uint32_t pay_len;
	uint32_t quirks;	/* NP_QUIRK() bits */
	uint32_t seq;
	uint32_t ts1;		/* own TSval, 0 when absent */
	uint16_t sport, dport;
	uint16_t win;
	uint16_t mss;		/* 0 when absent */
	uint16_t tot_hdr;	/* IP + TCP header bytes */
	uint8_t ip_ver;		/* 4 or 6 */
	uint8_t ip_opt_len;	/* IPv4 options bytes; 0 for IPv6 */
	uint8_t ttl;		/* TTL or hop limit */
	uint8_t tos;		/* DSCP: TOS or traffic class >> 2 */
	uint8_t tcp_type;	/* flags & (SYN|ACK|FIN|RST) */
	uint8_t wscale;
	uint8_t opt_cnt;
	uint8_t opt_eol_pad;	/* bytes after EOL */
	uint8_t opt_layout[NP_MAX_TCP_OPT];
	uint8_t src[16], dst[16];	/* IPv4 uses the first 4 bytes */
};

/*
 * Link layer: a fixed header length per DLT, as p0f reads it. Unlike p0f,
 * Ethernet frames with 802.1Q / 802.1ad tags are followed to the IP header.
 *
 * Any other DLT is read as p0f 3.09b reads it: p0f's capture filter ("tcp",
 * compiled by libpcap for that DLT) decides which frames are seen at all,
 * and the IP header offset is guessed from the first frames it passes
 * (find_offset() in p0f's process.c, np_link_find_offset() here), one frame
 * after another until one shows it; the frames before are dropped, and if
 * none ever does, nothing is read. The filter is the caller's (the engine
 * compiles it with libpcap); without one, such a DLT reads nothing.
 */
typedef bool (*np_link_filter_fn)(const void *ctx, const uint8_t *frame, uint32_t len);

struct np_link {
	int dlt;
	int off;		/* IP header offset; -1 while unknown */
	bool guess;		/* no fixed offset: off is guessed from the frames */
	uint64_t unplaced;	/* frames the filter passed while off was unknown
				 * that did not show it (p0f dropped them) */
	np_link_filter_fn filter;	/* p0f's capture filter, for a guessed DLT */
	const void *filter_ctx;
};

void np_link_init(struct np_link *lk, int dlt);

/* The capture's TCP filter, called on every frame of a guessed DLT. */
void np_link_set_filter(struct np_link *lk, np_link_filter_fn filter, const void *ctx);

/* True when the DLT has a fixed offset; any other is guessed. */
bool np_link_dlt_supported(int dlt);

/*
 * p0f's offset guess on one frame: the first even offset below 40 where a
 * TCP-carrying IPv4 header (40 bytes left) or IPv6 header (60 bytes left)
 * seems to start, by the version nibble and the protocol byte; 4 less when
 * the two bytes 4 before it are 0x81 0x00 (p0f's VLAN adjustment). -1 when
 * there is none, or fewer than 40 bytes are left before one is found.
 */
int np_link_find_offset(const uint8_t *frame, uint32_t len);

/*
 * A frame arrives on the link: does p0f's capture filter pass it? Always
 * true for a DLT with a fixed offset (that filter is judged from the
 * headers, below) and for a guessed DLT with no filter (whose offset then
 * stays unknown). On a guessed DLT, a frame the filter passes while the
 * offset is unknown is guessed from, as p0f does, and may fix lk->off.
 */
bool np_link_tcp_frame(struct np_link *lk, const uint8_t *frame, uint32_t len);

#define NP_LINK_NOT_IP (-1)	/* no IPv4 / IPv6 packet in this frame */
#define NP_LINK_SHORT (-2)	/* frame ends inside the link header */

/*
 * Offset of the IP header in the frame, or NP_LINK_NOT_IP / NP_LINK_SHORT.
 * *ip_ver is the IP version the link header announces (EtherType, SLL
 * protocol), or 0 where only the IP header itself can tell. On a guessed
 * DLT: the guessed offset, NP_LINK_NOT_IP while there is none.
 */
int np_link_ip_offset(const struct np_link *lk, const uint8_t *frame, uint32_t len,
		      uint8_t *ip_ver);

/*
 * Does the frame carry TCP? This is what p0f's capture filter ("tcp or
 * (vlan and tcp)") passes, for the frames p0f can read: p0f counts only those
 * packets, and its cache expiry runs every 50 of them. On a guessed DLT it
 * is the filter's own answer (false without a filter), offset known or not.
 */
bool np_link_is_tcp(const struct np_link *lk, const uint8_t *frame, uint32_t len);

/*
 * Does this IP packet carry TCP, judged as libpcap's "tcp" filter judges it:
 * by the protocol field of the version the link announced (ip_ver 4 or 6,
 * or 0 for the header's own version nibble), with no other sanity check.
 * IPv6 extension headers are followed (libpcap follows only a fragment
 * header). Returns NP_PARSE_OK, NP_SKIP_SHORT or NP_SKIP_NOT_TCP.
 */
enum np_parse_result np_ip_carries_tcp(const uint8_t *ip, uint32_t len, uint8_t ip_ver);

/* Parse an IP packet (v4 or v6) carrying TCP. */
enum np_parse_result np_parse_ip(const uint8_t *ip, uint32_t len, struct np_packet *pk);

/* Link layer then IP and TCP; frames p0f's capture filter would not pass
 * (not TCP by the link's own account) are skipped first. Each frame is
 * given once, in capture order: on a guessed DLT it may fix the offset
 * (np_link_tcp_frame()), so lk is not const. */
enum np_parse_result np_parse_frame(struct np_link *lk, const uint8_t *frame, uint32_t len,
				    struct np_packet *pk);

/*
 * IPv6 extension headers (hop-by-hop, routing, fragment, destination
 * options) from the fixed header on: *nh and *off end on the first other
 * header. NP_SKIP_FRAGMENT for a fragment that is not the first,
 * NP_SKIP_SHORT when a header runs past len.
 */
enum np_parse_result np_ipv6_walk(const uint8_t *ip, uint32_t len, uint8_t *nh, uint32_t *off);

/* A UDP datagram (QUIC, DTLS), read in place like a TCP packet. */
struct np_udp {
	const uint8_t *payload;	/* NULL when empty */
	uint32_t pay_len;
	uint16_t sport, dport;
	uint8_t ip_ver;
	uint8_t src[16], dst[16];	/* IPv4 uses the first 4 bytes */
};

/*
 * Link layer, IP and UDP: the datagram's payload as the UDP length gives
 * it. Returns NP_PARSE_OK or a skip reason: NP_SKIP_NOT_TCP when the IP
 * packet carries no UDP either, NP_SKIP_FRAGMENT for IP fragments (as for
 * TCP), NP_SKIP_SHORT / NP_SKIP_BAD_IP for broken headers.
 */
enum np_parse_result np_parse_udp_frame(const struct np_link *lk, const uint8_t *frame,
					uint32_t len, struct np_udp *u);

#endif /* NP_PACKET_H */
