/* SPDX-License-Identifier: MIT */
/*
 * Test helpers: build Ethernet / IPv4 / IPv6 / TCP frames byte by byte.
 *
 * A struct tf describes one packet field by field; tf_ip() writes the IP
 * packet, tf_eth() the same packet behind an Ethernet header with optional
 * VLAN tags. Every field the parsers look at can be set to an odd value, and
 * nothing is computed behind the test's back except lengths (which can be
 * overridden too) and the IPv4 header checksum.
 */
#ifndef NP_TEST_FRAMES_H
#define NP_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TF_MAX 4096

/* TCP (or IPv4) option bytes, appended in wire order. */
struct tf_opts {
	uint8_t b[64];
	uint8_t n;
};

static inline void
opt_bytes(struct tf_opts *o, const uint8_t *p, size_t n)
{
	memcpy(o->b + o->n, p, n);
	o->n = (uint8_t)(o->n + n);
}

static inline void
opt_byte(struct tf_opts *o, uint8_t v)
{
	o->b[o->n++] = v;
}

static inline void opt_eol(struct tf_opts *o) { opt_byte(o, 0); }
static inline void opt_nop(struct tf_opts *o) { opt_byte(o, 1); }

static inline void
opt_mss(struct tf_opts *o, uint16_t mss)
{
	const uint8_t b[] = { 2, 4, (uint8_t)(mss >> 8), (uint8_t)mss };
	opt_bytes(o, b, sizeof(b));
}

static inline void
opt_ws(struct tf_opts *o, uint8_t scale)
{
	const uint8_t b[] = { 3, 3, scale };
	opt_bytes(o, b, sizeof(b));
}

static inline void
opt_sok(struct tf_opts *o)
{
	const uint8_t b[] = { 4, 2 };
	opt_bytes(o, b, sizeof(b));
}

static inline void
opt_ts(struct tf_opts *o, uint32_t tsval, uint32_t tsecr)
{
	const uint8_t b[] = { 8, 10,
		(uint8_t)(tsval >> 24), (uint8_t)(tsval >> 16), (uint8_t)(tsval >> 8), (uint8_t)tsval,
		(uint8_t)(tsecr >> 24), (uint8_t)(tsecr >> 16), (uint8_t)(tsecr >> 8), (uint8_t)tsecr };
	opt_bytes(o, b, sizeof(b));
}

/* Linux's SYN layout: mss,sok,ts,nop,ws (20 bytes). */
static inline void
opt_linux(struct tf_opts *o, uint16_t mss, uint32_t tsval, uint32_t tsecr, uint8_t ws)
{
	opt_mss(o, mss);
	opt_sok(o);
	opt_ts(o, tsval, tsecr);
	opt_nop(o);
	opt_ws(o, ws);
}

/* One packet, field by field. Zero means "default / computed" only where
 * noted. */
struct tf {
	uint8_t ip_ver;		/* 4 or 6 */
	uint8_t src[16], dst[16];
	uint8_t ttl;
	uint8_t tos;		/* IPv4 TOS byte, IPv6 traffic class */
	uint32_t flow;		/* IPv6 flow label */
	uint16_t ip_id;
	uint16_t frag;		/* IPv4 flags + offset (0x4000 = DF, 0x8000 = MBZ) */
	uint8_t proto;		/* IPv4 protocol / IPv6 first next header */
	uint8_t proto_set;	/* use proto; otherwise 6 (TCP) */
	uint8_t ihl;		/* IPv4 header words; 0 = from ip_opts */
	struct tf_opts ip_opts;	/* IPv4 options (a multiple of 4 bytes) */
	uint8_t ext[64];	/* IPv6 extension headers, verbatim */
	uint8_t ext_len;
	uint8_t set_len;	/* use len_field as tot_len / payload length */
	uint16_t len_field;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;		/* TCP flags byte */
	uint8_t rsvd;		/* low nibble of TCP byte 12 (0x01 = NS) */
	uint16_t win, urg;
	struct tf_opts opts;	/* TCP options, padded by the test */
	uint8_t doff;		/* TCP header words; 0 = from opts */
	const uint8_t *payload;
	uint16_t pay_len;
	uint16_t trailer;	/* zero bytes after the IP packet (Ethernet padding) */
	uint8_t udp;		/* a UDP header instead of TCP (protocol 17 by default) */
	uint8_t set_udp_len;	/* use udp_len as the UDP length field */
	uint16_t udp_len;
};

#define TF_FIN 0x01
#define TF_SYN 0x02
#define TF_RST 0x04
#define TF_PSH 0x08
#define TF_ACK 0x10
#define TF_URG 0x20
#define TF_ECE 0x40
#define TF_CWR 0x80

static inline void
tf_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
tf_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
tf_addr4(uint8_t *a, uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
	memset(a, 0, 16);
	a[0] = x;
	a[1] = y;
	a[2] = z;
	a[3] = w;
}

/* 2001:db8::<last> */
static inline void
tf_addr6(uint8_t *a, uint16_t last)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[14] = (uint8_t)(last >> 8);
	a[15] = (uint8_t)last;
}

/* A Linux 3.x-style IPv4 SYN: DF, non-zero IP ID, TTL 64, MSS 1460,
 * window 29200 (mss*20), mss,sok,ts,nop,ws with scale 7. */
static inline struct tf
tf_syn4(void)
{
	struct tf t;

	memset(&t, 0, sizeof(t));
	t.ip_ver = 4;
	tf_addr4(t.src, 192, 0, 2, 1);
	tf_addr4(t.dst, 192, 0, 2, 2);
	t.ttl = 64;
	t.ip_id = 0x1234;
	t.frag = 0x4000;
	t.sport = 40000;
	t.dport = 80;
	t.seq = 1000;
	t.flags = TF_SYN;
	t.win = 29200;
	opt_linux(&t.opts, 1460, 12345, 0, 7);
	return t;
}

/* The same for IPv6: MSS 1440, window 28800 (mss*20). */
static inline struct tf
tf_syn6(void)
{
	struct tf t = tf_syn4();

	t.ip_ver = 6;
	tf_addr6(t.src, 1);
	tf_addr6(t.dst, 2);
	t.frag = 0;
	t.ip_id = 0;
	t.win = 28800;
	t.opts.n = 0;
	opt_linux(&t.opts, 1440, 12345, 0, 7);
	return t;
}

static inline void
tf_set_proto(struct tf *t, uint8_t proto)
{
	t->proto = proto;
	t->proto_set = 1;
}

/* The UDP header plus payload; returns its length. */
static inline size_t
tf_udp(const struct tf *t, uint8_t *p)
{
	tf_put16(p, t->sport);
	tf_put16(p + 2, t->dport);
	tf_put16(p + 4, t->set_udp_len ? t->udp_len : (uint16_t)(8 + t->pay_len));
	tf_put16(p + 6, 0);
	if (t->pay_len)
		memcpy(p + 8, t->payload, t->pay_len);
	return 8u + t->pay_len;
}

/* The TCP (or UDP) header plus payload; returns its length. */
static inline size_t
tf_tcp(const struct tf *t, uint8_t *p)
{
	if (t->udp)
		return tf_udp(t, p);

	size_t hlen = 20 + t->opts.n;
	uint8_t doff = t->doff ? t->doff : (uint8_t)((hlen + 3) / 4);

	memset(p, 0, 60);
	tf_put16(p, t->sport);
	tf_put16(p + 2, t->dport);
	tf_put32(p + 4, t->seq);
	tf_put32(p + 8, t->ack);
	p[12] = (uint8_t)(doff << 4 | (t->rsvd & 0x0f));
	p[13] = t->flags;
	tf_put16(p + 14, t->win);
	tf_put16(p + 18, t->urg);
	memcpy(p + 20, t->opts.b, t->opts.n);
	hlen = (hlen + 3) / 4 * 4;	/* options are zero-padded to a word */
	if (t->pay_len)
		memcpy(p + hlen, t->payload, t->pay_len);
	return hlen + t->pay_len;
}

static inline uint16_t
tf_ip4_csum(const uint8_t *h, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i += 2)
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The IP packet (and any trailer); returns its length. */
static inline size_t
tf_ip(const struct tf *t, uint8_t *out)
{
	size_t n;

	if (t->ip_ver == 4) {
		size_t hlen = 20 + t->ip_opts.n;
		uint8_t ihl = t->ihl ? t->ihl : (uint8_t)(hlen / 4);
		size_t tcp_len = tf_tcp(t, out + hlen);

		memset(out, 0, 20);
		out[0] = (uint8_t)(0x40 | (ihl & 0x0f));
		out[1] = t->tos;
		tf_put16(out + 2, t->set_len ? t->len_field : (uint16_t)(hlen + tcp_len));
		tf_put16(out + 4, t->ip_id);
		tf_put16(out + 6, t->frag);
		out[8] = t->ttl;
		out[9] = t->proto_set ? t->proto : t->udp ? 17 : 6;
		memcpy(out + 12, t->src, 4);
		memcpy(out + 16, t->dst, 4);
		memcpy(out + 20, t->ip_opts.b, t->ip_opts.n);
		tf_put16(out + 10, tf_ip4_csum(out, hlen));
		n = hlen + tcp_len;
	} else {
		size_t tcp_len = tf_tcp(t, out + 40 + t->ext_len);
		uint32_t vtf = 6u << 28 | (uint32_t)t->tos << 20 | (t->flow & 0xfffff);

		tf_put32(out, vtf);
		tf_put16(out + 4, t->set_len ? t->len_field : (uint16_t)(t->ext_len + tcp_len));
		out[6] = t->proto_set ? t->proto : t->udp ? 17 : 6;
		out[7] = t->ttl;
		memcpy(out + 8, t->src, 16);
		memcpy(out + 24, t->dst, 16);
		memcpy(out + 40, t->ext, t->ext_len);
		n = 40 + t->ext_len + tcp_len;
	}
	memset(out + n, 0, t->trailer);
	return n + t->trailer;
}

/* Ethernet header, then ntags VLAN tags with the given TPIDs, then IP. */
static inline size_t
tf_eth_tagged(const struct tf *t, uint8_t *out, const uint16_t *tpids, unsigned ntags)
{
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01 };
	size_t off = 12;

	memcpy(out, macs, 12);
	for (unsigned i = 0; i < ntags; i++) {
		tf_put16(out + off, tpids[i]);
		tf_put16(out + off + 2, (uint16_t)(100 + i));	/* VLAN id */
		off += 4;
	}
	tf_put16(out + off, t->ip_ver == 4 ? 0x0800 : 0x86dd);
	off += 2;
	return off + tf_ip(t, out + off);
}

static inline size_t
tf_eth(const struct tf *t, uint8_t *out)
{
	return tf_eth_tagged(t, out, NULL, 0);
}

#endif /* NP_TEST_FRAMES_H */
