/* SPDX-License-Identifier: MIT */
/*
 * The packets behind test_output.c. Case i runs at OC_T0 + 10 * i seconds
 * between 10.i.0.1 (client) and 10.i.0.2 (server), or 2001:db8::x for IPv6,
 * so cases never share a host and p0f's per-host state cannot mix them.
 *
 * The expected lines in test_output.c are p0f 3.09b's output for a pcap of
 * exactly these frames (Ethernet, in case order), written once by a
 * throwaway program that included this header and read with
 * "TZ=UTC p0f -r cases.pcap -f db/p0f.fp -o cases.log".
 */
#ifndef NP_TEST_OUTPUT_CASES_H
#define NP_TEST_OUTPUT_CASES_H

#include "frames.h"

#define OC_T0 1700000000ull	/* 2023/11/14 22:13:20 UTC */
#define OC_MAX_PKTS 8

struct oc_pkt {
	struct tf t;
	uint64_t ts_us;
};

struct oc_case {
	const char *name;
	unsigned n;
	struct oc_pkt p[OC_MAX_PKTS];
};

/* Client SYN and server SYN+ACK templates for case i. */
static inline struct tf
oc_syn(unsigned i)
{
	struct tf t = tf_syn4();

	tf_addr4(t.src, 10, (uint8_t)i, 0, 1);
	tf_addr4(t.dst, 10, (uint8_t)i, 0, 2);
	t.ttl = 61;
	t.sport = (uint16_t)(40000 + i);
	t.dport = 80;
	t.seq = 0x10000000u + i;
	return t;
}

/* The Linux 3.x answer: DF, IP ID 0, MSS 1460, window mss*10, scale 7. */
static inline struct tf
oc_synack(const struct tf *syn)
{
	struct tf t = *syn;

	memcpy(t.src, syn->dst, 16);
	memcpy(t.dst, syn->src, 16);
	t.sport = syn->dport;
	t.dport = syn->sport;
	t.seq = 0x20000000u;
	t.ack = syn->seq + 1;
	t.flags = TF_SYN | TF_ACK;
	t.ttl = 64;
	t.ip_id = 0;
	t.frag = syn->ip_ver == 4 ? 0x4000 : 0;
	t.win = syn->ip_ver == 4 ? 14600 : 14400;
	t.opts.n = 0;
	opt_linux(&t.opts, syn->ip_ver == 4 ? 1460 : 1440, 555, 12345, 7);
	return t;
}

/* The client's first ACK of the handshake. */
static inline struct tf
oc_ack(const struct tf *syn)
{
	struct tf t = *syn;

	t.flags = TF_ACK;
	t.seq = syn->seq + 1;
	t.ack = 0x20000001u;
	t.opts.n = 0;
	return t;
}

static inline void
oc_add(struct oc_case *c, unsigned i, const struct tf *t, unsigned ms)
{
	c->p[c->n].t = *t;
	c->p[c->n].ts_us = (OC_T0 + 10ull * i) * 1000000ull + ms * 1000ull;
	c->n++;
}

enum {
	OC_LINUX4, OC_LINUX6, OC_TOS, OC_UNKNOWN_FAR, OC_NMAP, OC_FUZZY, OC_GENERIC,
	OC_ACK_BIT24, OC_ACK_LOW, OC_FLOW6, OC_MTU_WINDOW, OC_PEER_MSS, OC_PAYLOAD,
	OC_IP_OPTIONS, OC_ODD_OPTIONS, OC_EOL_LAST_BYTE, OC_RETRANSMIT, OC_ORPHAN_SYNACK,
	OC_DOUBLE_SYNACK, OC_ACK_BEFORE_SYNACK, OC_WINDOWS, OC_SENDSYN, OC_NO_MSS, OC_TOOL_FUZZY, OC_GENERIC_FUZZY, OC_COUNT
};

/* Build the packets of case i. */
static inline void
oc_build(unsigned i, struct oc_case *c)
{
	struct tf s = oc_syn(i), a, x;

	memset(c, 0, sizeof(*c));
	switch (i) {
	case OC_LINUX4:
		c->name = "linux4";
		a = oc_synack(&s);
		oc_add(c, i, &s, 0);
		oc_add(c, i, &a, 20);
		break;
	case OC_LINUX6:
		c->name = "linux6";
		s = tf_syn6();
		tf_addr6(s.src, 1);
		tf_addr6(s.dst, 2);
		s.sport = (uint16_t)(40000 + i);
		s.ttl = 64;
		a = oc_synack(&s);
		a.ttl = 60;
		oc_add(c, i, &s, 0);
		oc_add(c, i, &a, 20);
		break;
	case OC_TOS:
		c->name = "tos";
		s.tos = 0x10;
		oc_add(c, i, &s, 0);
		break;
	case OC_UNKNOWN_FAR:
		c->name = "unknown_far";
		s.ttl = 200;
		s.win = 5000;
		s.opts.n = 0;
		opt_mss(&s.opts, 1400);
		opt_byte(&s.opts, 30);	/* unknown option 30, length 4 */
		opt_byte(&s.opts, 4);
		opt_byte(&s.opts, 0);
		opt_byte(&s.opts, 0);
		opt_nop(&s.opts);
		opt_eol(&s.opts);
		opt_byte(&s.opts, 0);
		opt_byte(&s.opts, 0);
		oc_add(c, i, &s, 0);
		break;
	case OC_NMAP:
		c->name = "nmap";
		s.ttl = 20;
		s.frag = 0;
		s.win = 1024;
		s.opts.n = 0;
		opt_mss(&s.opts, 1460);
		a = oc_synack(&s);
		oc_add(c, i, &s, 0);
		oc_add(c, i, &a, 20);
		break;
	case OC_FUZZY:
		c->name = "fuzzy";
		s.frag = 0;	/* df vanished */
		oc_add(c, i, &s, 0);
		break;
	case OC_GENERIC:
		c->name = "generic";
		s.win = 1460 * 4;
		s.opts.n = 0;
		opt_linux(&s.opts, 1460, 12345, 0, 9);
		oc_add(c, i, &s, 0);
		break;
	case OC_ACK_BIT24:
		c->name = "ack_bit24";
		s.ack = 0x01000000;
		oc_add(c, i, &s, 0);
		break;
	case OC_ACK_LOW:
		c->name = "ack_low";
		s.ack = 1;
		oc_add(c, i, &s, 0);
		break;
	case OC_FLOW6:
		c->name = "flow6";
		s = tf_syn6();
		tf_addr6(s.src, 3);
		tf_addr6(s.dst, 4);
		s.sport = (uint16_t)(40000 + i);
		s.flow = 0xbeef;
		oc_add(c, i, &s, 0);
		break;
	case OC_MTU_WINDOW:
		c->name = "mtu_window";
		s.win = 10400;	/* (1000 + 40) * 10 */
		s.opts.n = 0;
		opt_mss(&s.opts, 1000);
		opt_nop(&s.opts);
		opt_ws(&s.opts, 2);
		oc_add(c, i, &s, 0);
		break;
	case OC_PEER_MSS:
		c->name = "peer_mss";
		s.win = 26000;
		s.opts.n = 0;
		opt_linux(&s.opts, 1300, 12345, 0, 7);
		a = oc_synack(&s);
		a.win = 2600;	/* 2 * the client's MSS */
		a.opts.n = 0;
		opt_mss(&a.opts, 1200);
		opt_nop(&a.opts);
		opt_ws(&a.opts, 7);
		oc_add(c, i, &s, 0);
		oc_add(c, i, &a, 20);
		break;
	case OC_PAYLOAD: {
		static const uint8_t data[5] = { 'h', 'e', 'l', 'l', 'o' };

		c->name = "payload";
		s.payload = data;
		s.pay_len = 5;
		oc_add(c, i, &s, 0);
		break;
	}
	case OC_IP_OPTIONS:
		c->name = "ip_options";
		for (int k = 0; k < 4; k++)
			opt_nop(&s.ip_opts);
		oc_add(c, i, &s, 0);
		break;
	case OC_ODD_OPTIONS: {
		static const uint8_t o[] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 15, 4, 3, 0, 0, 7, 0, 0, 0 };

		c->name = "odd_options";
		s.win = 8000;
		s.opts.n = 0;
		opt_bytes(&s.opts, o, sizeof(o));	/* mss,nop,ws 15,sok len 3,eol+5 */
		oc_add(c, i, &s, 0);
		break;
	}
	case OC_EOL_LAST_BYTE: {
		static const uint8_t o[] = { 2, 4, 0x05, 0xb4, 0, 0, 0, 9 };

		c->name = "eol_last_byte";
		s.win = 8000;
		s.opts.n = 0;
		opt_bytes(&s.opts, o, sizeof(o));
		oc_add(c, i, &s, 0);
		break;
	}
	case OC_RETRANSMIT:
		c->name = "retransmit";
		a = oc_synack(&s);
		oc_add(c, i, &s, 0);
		oc_add(c, i, &s, 1000);	/* same seq: a retransmission */
		oc_add(c, i, &a, 1020);
		break;
	case OC_ORPHAN_SYNACK:
		c->name = "orphan_synack";
		a = oc_synack(&s);
		oc_add(c, i, &a, 0);
		break;
	case OC_DOUBLE_SYNACK:
		c->name = "double_synack";
		a = oc_synack(&s);
		oc_add(c, i, &s, 0);
		oc_add(c, i, &a, 20);
		oc_add(c, i, &a, 40);
		break;
	case OC_ACK_BEFORE_SYNACK:
		c->name = "ack_before_synack";
		a = oc_synack(&s);
		x = oc_ack(&s);
		oc_add(c, i, &s, 0);
		oc_add(c, i, &x, 10);
		oc_add(c, i, &a, 20);
		break;
	case OC_WINDOWS:
		c->name = "windows";
		s.ttl = 120;
		s.win = 8192;
		s.opts.n = 0;
		opt_mss(&s.opts, 1460);
		opt_nop(&s.opts);
		opt_ws(&s.opts, 8);
		opt_nop(&s.opts);
		opt_nop(&s.opts);
		opt_sok(&s.opts);
		oc_add(c, i, &s, 0);
		break;
	case OC_SENDSYN:
		c->name = "sendsyn";	/* p0f-sendsyn: window 1337, MSS 1331 */
		s.ttl = 192;
		s.frag = 0;
		s.win = 1337;
		s.opts.n = 0;
		opt_mss(&s.opts, 1331);
		opt_nop(&s.opts);
		for (int k = 0; k < 19; k++)
			opt_eol(&s.opts);	/* eol+18 */
		a = oc_synack(&s);
		a.opts.n = 0;
		opt_mss(&a.opts, 1331);	/* echoed back: raw sig shows "*" */
		opt_nop(&a.opts);
		opt_nop(&a.opts);
		opt_sok(&a.opts);
		a.win = 5840;
		oc_add(c, i, &s, 0);
		oc_add(c, i, &a, 20);
		break;
	case OC_NO_MSS:
		c->name = "no_mss";
		s.win = 512;
		s.opts.n = 0;
		a = oc_synack(&s);
		a.opts.n = 0;
		a.win = 1024;
		oc_add(c, i, &s, 0);
		oc_add(c, i, &a, 20);
		break;
	case OC_TOOL_FUZZY:
		/* NMap OS detection (*:64-:0:265:512,0:mss,sok,ts:ack+:0) plus
		 * id-: the first fuzzy candidate is a tool, so no match at all */
		c->name = "tool_fuzzy";
		s.frag = 0;
		s.ip_id = 0;
		s.ack = 0x01000000;
		s.win = 512;
		s.opts.n = 0;
		opt_mss(&s.opts, 265);
		opt_sok(&s.opts);
		opt_ts(&s.opts, 1, 0);
		oc_add(c, i, &s, 0);
		break;
	case OC_GENERIC_FUZZY:
		/* MSS only, no DF, IP ID 0: fuzzy on a generic Linux signature */
		c->name = "generic_fuzzy";
		s.frag = 0;
		s.ip_id = 0;
		s.win = 1000;
		s.opts.n = 0;
		opt_mss(&s.opts, 1460);
		oc_add(c, i, &s, 0);
		break;
	default:
		break;
	}
}

#endif /* NP_TEST_OUTPUT_CASES_H */
