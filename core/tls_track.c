/* SPDX-License-Identifier: MIT */
/*
 * The hello tracker: a fixed pool of connection entries in a symmetric
 * hash (both directions find one entry) with a least-recently-used list,
 * reassembly buffers from a free stack, and the records. Each side of a
 * connection waits for its hello, collects it when it is split, and is
 * done once it is reported or given up. Time comes from the packets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conn_hash.h"
#include "record.h"
#include "tls_match.h"
#include "tls_track.h"

#define NONE UINT32_MAX
#define CLI 1			/* a side, as a record's to_srv: the ClientHello's */
#define SRV 0
#define WAIT_SEGS 8		/* data segments a side may send before its hello */
#define SCRATCH_SIZE 65536	/* a decrypted QUIC packet; a joined TLS message */

enum side_state { ST_WAIT, ST_COLLECT, ST_DONE };

struct np_tls_conn {
	uint8_t cli[16], srv[16];
	uint16_t cli_port, srv_port;
	uint8_t ip_ver;
	uint8_t udp;		/* QUIC or DTLS rather than TCP */
	uint8_t transport;	/* NP_TLS_TCP, NP_TLS_QUIC, NP_TLS_DTLS */
	uint8_t state[2];	/* [side] enum side_state */
	uint8_t wait_segs[2];
	uint8_t has_expect;	/* TCP: bit side: expect[side] is known */
	uint8_t provisional;	/* TCP: bit side: collecting what may not be a hello */
	uint8_t dcid_len;	/* QUIC: the client's Destination CID, which */
	uint8_t dcid[NP_QUIC_CID_MAX];	/* keys both sides' Initials */
	uint16_t dtls_seq[2];	/* DTLS: message_seq of the side's hello */
	int32_t syn_label;	/* the SYN's label, -1: none */
	uint32_t quic_version;
	uint32_t buf[2];	/* reassembly buffer of the side, or NONE */
	uint32_t base[2];	/* TCP: sequence number of stream offset 0;
				 * DTLS: the hello's body length */
	uint32_t expect[2];	/* TCP: the side's next in-order sequence number */
	uint32_t last_s;
	uint32_t hash;		/* conn_hash(): the flow table's, for TCP */
	uint32_t hnext, older, newer;
};

struct np_tls_buf {
	struct np_reasm r;
};

const char *const np_tls_ctr_names[NP_TLS_CTR_COUNT] = {
#define NP_TLS_CTR_NAME_(id, desc) desc,
	NP_FOREACH_TLS_CTR(NP_TLS_CTR_NAME_)
#undef NP_TLS_CTR_NAME_
};

/* ---- the connection table ------------------------------------------------ */

/* The flow table's hash, set apart for UDP. */
static uint32_t
conn_hash(bool udp, uint8_t ip_ver, const uint8_t *a, uint16_t ap, const uint8_t *b,
	  uint16_t bp)
{
	return np_conn_hash(ip_ver, a, ap, b, bp) ^ (udp ? 0x9e3779b9u : 0);
}

static inline struct np_tls_conn *
conn_at(const struct np_tls_track *t, uint32_t i)
{
	return i == NONE ? NULL : &t->pool[i];
}

static inline uint32_t
conn_index(const struct np_tls_track *t, const struct np_tls_conn *c)
{
	return (uint32_t)(c - t->pool);
}

static uint32_t *
bucket_of(struct np_tls_track *t, const struct np_tls_conn *c)
{
	return &t->buckets[c->hash & t->mask];
}

/* A datagram's connection hash. */
static uint32_t
udp_hash(const struct np_udp *u)
{
	return conn_hash(true, u->ip_ver, u->src, u->sport, u->dst, u->dport);
}

/* The entry of a packet from src to dst (its conn_hash() given); *side is
 * the sender's side. */
static struct np_tls_conn *
lookup(struct np_tls_track *t, bool udp, uint32_t hash, uint8_t ip_ver, const uint8_t *src,
       uint16_t sport, const uint8_t *dst, uint16_t dport, int *side)
{
	unsigned alen = ip_ver == 4 ? 4 : 16;
	uint32_t v = t->buckets[hash & t->mask];

	for (; v; v = t->pool[v - 1].hnext) {
		struct np_tls_conn *c = &t->pool[v - 1];

		if (c->udp != udp || c->ip_ver != ip_ver)
			continue;
		if (c->cli_port == sport && c->srv_port == dport && !memcmp(c->cli, src, alen) &&
		    !memcmp(c->srv, dst, alen)) {
			*side = CLI;
			return c;
		}
		if (c->cli_port == dport && c->srv_port == sport && !memcmp(c->cli, dst, alen) &&
		    !memcmp(c->srv, src, alen)) {
			*side = SRV;
			return c;
		}
	}
	return NULL;
}

static void
lru_unlink(struct np_tls_track *t, struct np_tls_conn *c)
{
	struct np_tls_conn *o = conn_at(t, c->older), *n = conn_at(t, c->newer);

	if (o)
		o->newer = c->newer;
	else
		t->lru = c->newer;
	if (n)
		n->older = c->older;
	else
		t->mru = c->older;
}

static void
lru_push(struct np_tls_track *t, struct np_tls_conn *c)
{
	uint32_t i = conn_index(t, c);

	c->older = t->mru;
	c->newer = NONE;
	if (t->mru != NONE)
		t->pool[t->mru].newer = i;
	else
		t->lru = i;
	t->mru = i;
}

static void
release_buf(struct np_tls_track *t, struct np_tls_conn *c, int side)
{
	if (c->buf[side] != NONE) {
		t->buf_free[t->buf_n_free++] = c->buf[side];
		c->buf[side] = NONE;
	}
}

/* A side stops: counted under ctr (a failure), or just done (ctr < 0). */
static void
side_done(struct np_tls_track *t, struct np_tls_conn *c, int side, int ctr)
{
	if (ctr >= 0)
		t->ctr[ctr]++;
	release_buf(t, c, side);
	c->state[side] = ST_DONE;
}

/* An entry goes; a side still collecting a hello is counted under ctr
 * (bytes kept in case they were one are not). */
static void
remove_conn(struct np_tls_track *t, struct np_tls_conn *c, int ctr)
{
	uint32_t i = conn_index(t, c), *pp = bucket_of(t, c);

	for (int side = 0; side < 2; side++)
		if (c->state[side] == ST_COLLECT)
			side_done(t, c, side, c->provisional & (1u << side) ? -1 : ctr);
	while (*pp != i + 1)
		pp = &t->pool[*pp - 1].hnext;
	*pp = c->hnext;
	lru_unlink(t, c);
	c->hnext = t->free_head;
	t->free_head = i + 1;
	t->count--;
}

/* A new entry, oriented from the client's point of view; the table full,
 * the least recently used entry makes room. */
static struct np_tls_conn *
insert(struct np_tls_track *t, bool udp, uint32_t hash, uint8_t ip_ver, const uint8_t *cli,
       uint16_t cli_port, const uint8_t *srv, uint16_t srv_port, uint32_t now_s)
{
	unsigned alen = ip_ver == 4 ? 4 : 16;
	struct np_tls_conn *c;
	uint32_t i;

	if (t->count == t->cap)
		remove_conn(t, &t->pool[t->lru], NP_TLS_CTR_FAIL_EVICTED);
	if (t->free_head) {
		i = t->free_head - 1;
		t->free_head = t->pool[i].hnext;
	} else {
		i = t->unused++;
	}
	c = &t->pool[i];
	memset(c, 0, sizeof(*c));
	memcpy(c->cli, cli, alen);
	memcpy(c->srv, srv, alen);
	c->cli_port = cli_port;
	c->srv_port = srv_port;
	c->ip_ver = ip_ver;
	c->udp = udp;
	c->syn_label = -1;
	c->buf[0] = c->buf[1] = NONE;
	c->last_s = now_s;
	c->hash = hash;
	uint32_t *b = bucket_of(t, c);
	c->hnext = *b;
	*b = i + 1;
	lru_push(t, c);
	t->count++;
	return c;
}

static void
touch(struct np_tls_track *t, struct np_tls_conn *c, uint32_t now_s)
{
	c->last_s = now_s;
	if (t->mru != conn_index(t, c)) {
		lru_unlink(t, c);
		lru_push(t, c);
	}
}

void
np_tls_track_expire(struct np_tls_track *t, uint32_t now_s)
{
	struct np_tls_conn *c;

	t->last_expire_s = now_s;
	while ((c = conn_at(t, t->lru)) && now_s - c->last_s > t->max_age_s)
		remove_conn(t, c, NP_TLS_CTR_FAIL_EVICTED);
}

static inline void
maybe_expire(struct np_tls_track *t, uint64_t ts_us)
{
	uint32_t now_s = (uint32_t)(ts_us / 1000000);

	if (t->count && now_s != t->last_expire_s)
		np_tls_track_expire(t, now_s);
}

/* The side's reassembly buffer, taken from the pool if it has none. */
static struct np_reasm *
side_buf(struct np_tls_track *t, struct np_tls_conn *c, int side)
{
	if (c->buf[side] == NONE) {
		if (!t->buf_n_free)
			return NULL;
		c->buf[side] = t->buf_free[--t->buf_n_free];
		np_reasm_reset(&t->bufs[c->buf[side]].r);
	}
	return &t->bufs[c->buf[side]].r;
}

int
np_tls_track_init(struct np_tls_track *t, uint32_t max_conn, uint32_t n_bufs,
		  uint32_t conn_max_age)
{
	uint32_t nb = 1;

	memset(t, 0, sizeof(*t));
	t->cap = max_conn ? max_conn : 1;
	while (nb < t->cap)
		nb <<= 1;
	t->mask = nb - 1;
	t->max_age_s = conn_max_age;
	t->lru = t->mru = NONE;
	t->buf_cap = n_bufs;
	/* calloc maps zero pages: entries and buckets are touched as they fill */
	t->pool = calloc(t->cap, sizeof(*t->pool));
	t->buckets = calloc(nb, sizeof(*t->buckets));
	t->bufs = calloc(n_bufs ? n_bufs : 1, sizeof(*t->bufs));
	t->buf_free = malloc((n_bufs ? n_bufs : 1) * sizeof(*t->buf_free));
	t->scratch = malloc(SCRATCH_SIZE);
	t->hasher = np_tls_hasher_new();
	t->quic = np_quic_crypto_new();
	if (!t->pool || !t->buckets || !t->bufs || !t->buf_free || !t->scratch || !t->hasher ||
	    !t->quic) {
		np_tls_track_fini(t);
		return -ENOMEM;
	}
	/* lowest entries on top: reuse keeps the touched pages few */
	for (uint32_t i = 0; i < n_bufs; i++)
		t->buf_free[i] = n_bufs - 1 - i;
	t->buf_n_free = n_bufs;
	return 0;
}

void
np_tls_track_fini(struct np_tls_track *t)
{
	free(t->pool);
	free(t->buckets);
	free(t->bufs);
	free(t->buf_free);
	free(t->scratch);
	np_tls_hasher_free(t->hasher);
	np_quic_crypto_free(t->quic);
	memset(t, 0, sizeof(*t));
}

/* ---- records --------------------------------------------------------------- */

/* The best signature's label, filled into rt; NULL when none matches. */
static const struct np_label *
fill_match(struct np_rec_tls *rt, const struct np_db *db, enum np_dir dir, const char *fp)
{
	struct np_tls_match m;

	np_match_tls(db, dir, fp, &m);
	if (m.sig < 0)
		return NULL;

	const struct np_tls_sig *s = &db->tls[dir][m.sig];
	const struct np_label *lb = np_db_label(db, s->label);

	np_rec_match_fill(&rt->m, db, s->label, s->line_no);
	rt->flags |= NP_RTLS_MATCHED;
	if (!m.exact || lb->generic)
		rt->flags |= NP_RTLS_GENERIC;
	return lb;
}

/* Does the client's label contradict the OS its SYN was matched to? */
static bool
os_mismatch(const struct np_db *db, const struct np_label *tls, int32_t syn_label)
{
	if (!tls || syn_label < 0 || (uint32_t)syn_label >= db->n_labels)
		return false;

	const struct np_label *os = np_db_label(db, (uint32_t)syn_label);

	return os->class_id >= 0 && np_tls_os_mismatch(tls, os->name_id, os->class_id);
}

/*
 * A side's hello is whole: handshake type and body. Parse, fingerprint,
 * match, and add the record with the reduced hello as its tail.
 */
static void
hello_done(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	   struct np_tls_conn *c, int side, uint8_t type, const uint8_t *body, uint32_t len,
	   uint64_t ts_us, uint8_t worker, struct np_observation *out)
{
	struct np_tls_hello h;
	char sig[NP_JA4_LEN + 1];
	enum np_tls_result r;

	if (type != (side == CLI ? NP_TLS_CLIENT_HELLO : NP_TLS_SERVER_HELLO)) {
		side_done(t, c, side, NP_TLS_CTR_FAIL_NOT_TLS);
		return;
	}
	if ((r = np_tls_parse_hello(type, body, len, c->transport == NP_TLS_DTLS, &h))) {
		side_done(t, c, side, NP_TLS_CTR_FAIL_NOT_TLS + (r - NP_TLS_NOT_TLS));
		return;
	}
	if (np_tls_signature(t->hasher, &h, (char)c->transport, sig) ||
	    out->n == NP_OBSERVE_MAX_RECORDS) {
		side_done(t, c, side, NP_TLS_CTR_FAIL_MALFORMED);
		return;
	}
	side_done(t, c, side, NP_TLS_CTR_HELLO_DONE);

	struct np_rec *rec = &out->rec[out->n++];
	unsigned alen = c->ip_ver == 4 ? 4 : 16;

	memset(rec, 0, offsetof(struct np_rec, tcp) + sizeof(rec->tls));
	rec->ts_us = ts_us;
	rec->db_gen = db_gen;
	rec->kind = side == CLI ? NP_REC_TLS_CLIENT : NP_REC_TLS_SERVER;
	rec->ip_ver = c->ip_ver;
	rec->to_srv = side == CLI;
	rec->worker = worker;
	rec->cli_port = c->cli_port;
	rec->srv_port = c->srv_port;
	memcpy(rec->cli, c->cli, alen);
	memcpy(rec->srv, c->srv, alen);

	struct np_rec_tls *rt = &rec->tls;

	memcpy(rt->sig, sig, sizeof(rt->sig));
	rt->version = np_tls_hello_version(&h);
	rt->cipher = h.cipher;
	rt->transport = c->transport;
	if (side == CLI) {
		if (os_mismatch(db, fill_match(rt, db, NP_DIR_REQUEST, sig), c->syn_label))
			rt->flags |= NP_RTLS_OS_MISMATCH;
	} else {
		fill_match(rt, db, NP_DIR_RESPONSE, sig);
	}
	np_observation_tail_done(out, (uint16_t)np_tls_hello_reduce(
					      &h, (uint8_t *)np_observation_tail_room(out), NP_TAIL_MAX));
}

/* A TLS message (type, 24-bit length, body) of msg_len bytes or more. */
static void
message_done(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	     struct np_tls_conn *c, int side, const uint8_t *msg, uint64_t ts_us, uint8_t worker,
	     struct np_observation *out)
{
	uint32_t len = (uint32_t)msg[1] << 16 | (uint32_t)msg[2] << 8 | msg[3];

	hello_done(t, db, db_gen, c, side, msg[0], msg + 4, len, ts_us, worker, out);
}

/* ---- TLS over TCP ------------------------------------------------------------ */

static inline bool
seq_ahead(uint32_t seq, uint32_t expect)
{
	return seq != expect && seq - expect < NP_REASM_CAP;
}

/* Too short to tell, but the start of a TLS record all the same (a first
 * segment of a few bytes: the record header alone, say). */
static bool
hello_prefix(struct np_tls_track *t, const uint8_t *data, uint32_t len)
{
	const uint8_t *msg;
	uint32_t msg_len;

	return len < 6 && np_tls_stream_message(data, len, t->scratch, &msg, &msg_len) == NP_TLS_MORE;
}

/* A side's stream from c->base[side] has no hello at its start after all:
 * it was plaintext (STARTTLS), which the side may still follow with one. */
static void
not_a_hello(struct np_tls_track *t, struct np_tls_conn *c, int side, uint32_t have)
{
	release_buf(t, c, side);
	c->expect[side] = c->base[side] + have;
	c->provisional &= (uint8_t)~(1u << side);
	c->state[side] = ++c->wait_segs[side] >= WAIT_SEGS ? ST_DONE : ST_WAIT;
}

/* Collect a segment into the side's buffer; report the hello once whole. */
static void
tcp_collect(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	    struct np_tls_conn *c, int side, uint32_t seq, const uint8_t *data, uint32_t len,
	    uint64_t ts_us, uint8_t worker, struct np_observation *out)
{
	uint8_t want = side == CLI ? NP_TLS_CLIENT_HELLO : NP_TLS_SERVER_HELLO;
	struct np_reasm *ra = &t->bufs[c->buf[side]].r;
	uint32_t off = seq - c->base[side], msg_len;
	const uint8_t *msg;

	if (off >= 0x80000000u) {	/* starts before the stream: keep what follows */
		uint32_t back = 0u - off;

		if (back >= len)
			return;
		data += back;
		len -= back;
		off = 0;
	}
	if (!np_reasm_add(ra, off, data, len)) {
		side_done(t, c, side, NP_TLS_CTR_FAIL_GAP);
		return;
	}

	uint32_t have = np_reasm_contiguous(ra);

	if (c->provisional & (1u << side)) {
		/* buffered ahead of the side's next byte: is there a hello there? */
		if (have < 6)
			return;
		if (np_tls_starts_hello(ra->buf, have) != want) {
			not_a_hello(t, c, side, have);
			return;
		}
		c->provisional &= (uint8_t)~(1u << side);
		t->ctr[NP_TLS_CTR_HELLO_SEEN]++;
	}

	enum np_tls_result r = np_tls_stream_message(ra->buf, have, t->scratch, &msg, &msg_len);

	if (r == NP_TLS_OK)
		message_done(t, db, db_gen, c, side, msg, ts_us, worker, out);
	else if (r != NP_TLS_MORE)
		side_done(t, c, side, NP_TLS_CTR_FAIL_NOT_TLS + (r - NP_TLS_NOT_TLS));
	else if (have == NP_REASM_CAP)
		side_done(t, c, side, NP_TLS_CTR_FAIL_TOO_LONG);
	else if (ra->beyond)	/* a hole, and data already past the buffer */
		side_done(t, c, side, NP_TLS_CTR_FAIL_GAP);
}

/* Start collecting at base; false when the pool is empty (counted). */
static bool
tcp_start(struct np_tls_track *t, struct np_tls_conn *c, int side, uint32_t base,
	  bool provisional)
{
	if (!side_buf(t, c, side)) {
		if (provisional)
			return false;	/* not known to be a hello: nothing lost to count */
		side_done(t, c, side, NP_TLS_CTR_FAIL_NO_BUFFER);
		return false;
	}
	c->base[side] = base;
	c->state[side] = ST_COLLECT;
	if (provisional)
		c->provisional |= (uint8_t)(1u << side);
	return true;
}

/*
 * A data segment of one side. Waiting, a segment that starts the side's
 * hello begins it (in place when whole); one that comes ahead of the side's
 * next byte is kept until the bytes before it tell whether a hello starts
 * there; in-order plaintext moves the next byte on (STARTTLS).
 */
static void
tcp_data(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen, struct np_tls_conn *c,
	 int side, uint32_t seq, const uint8_t *data, uint32_t len, uint64_t ts_us, uint8_t worker,
	 struct np_observation *out)
{
	uint8_t want = side == CLI ? NP_TLS_CLIENT_HELLO : NP_TLS_SERVER_HELLO;
	bool known = c->has_expect & (1u << side);
	const uint8_t *msg;
	uint32_t msg_len;
	enum np_tls_result r;

	switch (c->state[side]) {
	case ST_DONE:
		if (np_tls_starts_hello(data, len) == want)
			t->ctr[NP_TLS_CTR_HELLO_LATER]++;
		return;

	case ST_WAIT:
		if (known && seq_ahead(seq, c->expect[side])) {
			if (tcp_start(t, c, side, c->expect[side], true))
				tcp_collect(t, db, db_gen, c, side, seq, data, len, ts_us, worker, out);
			return;
		}
		if (known && seq - c->expect[side] >= NP_REASM_CAP)
			return;	/* a retransmission of what went before */
		if (hello_prefix(t, data, len)) {
			if (tcp_start(t, c, side, seq, true))
				tcp_collect(t, db, db_gen, c, side, seq, data, len, ts_us, worker, out);
			return;
		}
		if (np_tls_starts_hello(data, len) != want) {
			c->expect[side] = seq + len;
			c->has_expect |= (uint8_t)(1u << side);
			if (++c->wait_segs[side] >= WAIT_SEGS)
				c->state[side] = ST_DONE;
			return;
		}
		t->ctr[NP_TLS_CTR_HELLO_SEEN]++;
		r = np_tls_stream_message(data, len, t->scratch, &msg, &msg_len);
		if (r == NP_TLS_OK)
			message_done(t, db, db_gen, c, side, msg, ts_us, worker, out);
		else if (r != NP_TLS_MORE)
			side_done(t, c, side, NP_TLS_CTR_FAIL_NOT_TLS + (r - NP_TLS_NOT_TLS));
		else if (tcp_start(t, c, side, seq, false))
			tcp_collect(t, db, db_gen, c, side, seq, data, len, ts_us, worker, out);
		return;

	case ST_COLLECT:
		tcp_collect(t, db, db_gen, c, side, seq, data, len, ts_us, worker, out);
		return;
	}
}

void
np_tls_track_tcp(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
		 const struct np_packet *pk, const struct np_tls_tcp_hint *hint, uint64_t ts_us,
		 uint8_t worker, struct np_observation *out)
{
	bool syn = pk->tcp_type & NP_TCP_SYN, ends = pk->tcp_type & (NP_TCP_FIN | NP_TCP_RST);
	/* data on a SYN (TCP Fast Open) starts after its sequence number */
	uint32_t seq = pk->seq + syn, now_s = (uint32_t)(ts_us / 1000000);
	struct np_tls_conn *c = NULL;
	int side = CLI;

	if (!pk->pay_len && !(t->count && (syn || ends)))
		return;
	maybe_expire(t, ts_us);
	if (t->count)
		c = lookup(t, false, hint->hash, pk->ip_ver, pk->src, pk->sport, pk->dst, pk->dport,
			   &side);
	if (c && syn && !(pk->tcp_type & NP_TCP_ACK)) {
		remove_conn(t, c, NP_TLS_CTR_FAIL_CLOSED);	/* a new connection */
		c = NULL;
	}
	if (pk->pay_len && !c) {
		uint8_t type = np_tls_starts_hello(pk->payload, pk->pay_len);
		bool early = hint->seq_known && hint->no_data_yet &&
			     (seq_ahead(seq, hint->snd_next) || hello_prefix(t, pk->payload, pk->pay_len));

		/* A hello starts here; or, on a connection p0f follows and that has
		 * carried no data yet, the first bytes may still come, or be too few
		 * to tell, and a hello with them. */
		if (type)
			side = type == NP_TLS_CLIENT_HELLO ? CLI : SRV;
		else if (early)
			side = hint->to_srv ? CLI : SRV;
		else
			return;
		if (side == CLI)
			c = insert(t, false, hint->hash, pk->ip_ver, pk->src, pk->sport, pk->dst,
				   pk->dport, now_s);
		else
			c = insert(t, false, hint->hash, pk->ip_ver, pk->dst, pk->dport, pk->src,
				   pk->sport, now_s);
		c->transport = NP_TLS_TCP;
		if ((side == CLI) == hint->to_srv)	/* the TLS client sent the SYN */
			c->syn_label = hint->syn_label;
		if (hint->seq_known) {
			c->expect[side] = hint->snd_next;
			c->expect[!side] = hint->rcv_next;
			c->has_expect = 3;
		}
	}
	if (pk->pay_len)
		tcp_data(t, db, db_gen, c, side, seq, pk->payload, pk->pay_len, ts_us, worker, out);
	if (!c)
		return;
	if (ends)
		remove_conn(t, c, NP_TLS_CTR_FAIL_CLOSED);
	else
		touch(t, c, now_s);
}

/* ---- QUIC ---------------------------------------------------------------------- */

/* The Initial keys of a side, derived once per connection ID. */
static const struct np_quic_keys *
quic_keys(struct np_tls_track *t, uint32_t version, const uint8_t *dcid, uint8_t dcid_len,
	  bool server)
{
	struct np_quic_keys *k = &t->key_cache[server];
	uint8_t *id = t->key_dcid[server];

	if (k->version == version && id[0] == dcid_len && !memcmp(id + 1, dcid, dcid_len))
		return k;
	if (np_quic_initial_keys(t->quic, version, dcid, dcid_len, server, k)) {
		k->version = 0;
		return NULL;
	}
	id[0] = dcid_len;
	memcpy(id + 1, dcid, dcid_len);
	return k;
}

/* CRYPTO data of a decrypted Initial into the side's stream. */
static void
quic_crypto(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	    struct np_tls_conn *c, int side, const uint8_t *frames, uint32_t len, uint64_t ts_us,
	    uint8_t worker, struct np_observation *out)
{
	uint32_t pos = 0, dlen;
	uint64_t off;
	const uint8_t *data;
	struct np_reasm *ra = NULL;
	int rc;

	while ((rc = np_quic_next_crypto(frames, len, &pos, &off, &data, &dlen)) == 1) {
		if (!ra) {
			if (c->state[side] == ST_WAIT) {
				t->ctr[NP_TLS_CTR_HELLO_SEEN]++;
				c->state[side] = ST_COLLECT;
			}
			if (!(ra = side_buf(t, c, side))) {
				side_done(t, c, side, NP_TLS_CTR_FAIL_NO_BUFFER);
				return;
			}
		}
		if (!np_reasm_add(ra, off, data, dlen)) {
			side_done(t, c, side, NP_TLS_CTR_FAIL_GAP);
			return;
		}
	}
	if (rc < 0)
		t->ctr[NP_TLS_CTR_QUIC_MALFORMED]++;
	if (!ra)
		return;

	uint32_t have = np_reasm_contiguous(ra);

	if (have < 4)
		return;

	uint32_t need = 4 + ((uint32_t)ra->buf[1] << 16 | (uint32_t)ra->buf[2] << 8 | ra->buf[3]);

	if (need > NP_TLS_HELLO_MAX)
		side_done(t, c, side, NP_TLS_CTR_FAIL_TOO_LONG);
	else if (have >= need)
		message_done(t, db, db_gen, c, side, ra->buf, ts_us, worker, out);
}

/* One Initial packet of a datagram; *cp is the connection, made here for
 * the first client Initial that decrypts. */
static void
quic_initial(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	     struct np_tls_conn **cp, int side, const struct np_udp *u,
	     const struct np_quic_long *h, uint64_t ts_us, uint8_t worker,
	     struct np_observation *out)
{
	struct np_tls_conn *c = *cp;
	const struct np_quic_keys *k;
	uint32_t flen;
	uint64_t pn;

	if (c && c->state[side] == ST_DONE)
		return;	/* reported or given up: retransmissions are not decrypted */
	if (!c && h->dcid_len < 8) {
		/* A client's first Destination CID has 8 bytes at least: this is a
		 * server's Initial, and its keys come from the client's Initial. */
		t->ctr[NP_TLS_CTR_QUIC_NO_KEYS]++;
		return;
	}
	/*
	 * Both sides' Initial keys come from the DCID of the client's first
	 * Initial, whatever DCID later packets carry; after a Retry, from the
	 * DCID the client then uses. So a client packet is tried with the
	 * connection's keys first, then with its own DCID's.
	 */
	bool own = !c;
	int rc = -EBADMSG;

	k = c ? quic_keys(t, c->quic_version, c->dcid, c->dcid_len, side == SRV) :
		quic_keys(t, h->version, h->dcid, h->dcid_len, false);
	if (k)
		rc = np_quic_decrypt(t->quic, k, h, t->scratch, &flen, &pn);
	if (rc && c && side == CLI &&
	    (h->dcid_len != c->dcid_len || memcmp(h->dcid, c->dcid, h->dcid_len))) {
		k = quic_keys(t, h->version, h->dcid, h->dcid_len, false);
		own = true;
		rc = k ? np_quic_decrypt(t->quic, k, h, t->scratch, &flen, &pn) : -EINVAL;
	}
	if (rc) {
		t->ctr[!c ? NP_TLS_CTR_QUIC_NO_KEYS : NP_TLS_CTR_QUIC_FAILED]++;
		return;
	}
	t->ctr[NP_TLS_CTR_QUIC_DECRYPTED]++;
	if (!c) {
		c = *cp = insert(t, true, udp_hash(u), u->ip_ver, u->src, u->sport, u->dst, u->dport,
				 (uint32_t)(ts_us / 1000000));
		c->transport = NP_TLS_QUIC;
	}
	if (own) {	/* this packet's DCID keys the connection from now on */
		c->quic_version = h->version;
		c->dcid_len = h->dcid_len;
		memcpy(c->dcid, h->dcid, h->dcid_len);
	}
	quic_crypto(t, db, db_gen, c, side, t->scratch, flen, ts_us, worker, out);
}

static void
quic_datagram(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	      const struct np_udp *u, uint64_t ts_us, uint8_t worker, struct np_observation *out)
{
	const uint8_t *p = u->payload;
	uint32_t left = u->pay_len;
	int side = CLI;
	struct np_tls_conn *c = t->count ? lookup(t, true, udp_hash(u), u->ip_ver, u->src, u->sport,
						   u->dst, u->dport, &side) : NULL;

	if (c && c->transport != NP_TLS_QUIC)
		return;
	while (left && np_quic_starts_long(p, left)) {
		struct np_quic_long h;
		int rc = np_quic_parse_long(p, left, &h);

		if (rc == -ENOTSUP)
			break;
		if (rc) {
			t->ctr[NP_TLS_CTR_QUIC_MALFORMED]++;
			break;
		}
		if (h.type == NP_QUIC_INITIAL)
			quic_initial(t, db, db_gen, &c, side, u, &h, ts_us, worker, out);
		p += h.pkt_len;
		left -= h.pkt_len;
	}
	if (c)
		touch(t, c, (uint32_t)(ts_us / 1000000));
}

/* ---- DTLS ---------------------------------------------------------------------- */

static void
dtls_fragment(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	      struct np_tls_conn *c, int side, const struct np_dtls_fragment *fr, uint64_t ts_us,
	      uint8_t worker, struct np_observation *out)
{
	struct np_reasm *ra;

	switch (c->state[side]) {
	case ST_DONE:
		if (fr->msg_seq != c->dtls_seq[side] && fr->frag_off == 0)
			t->ctr[NP_TLS_CTR_HELLO_LATER]++;
		return;
	case ST_WAIT:
		t->ctr[NP_TLS_CTR_HELLO_SEEN]++;
		c->dtls_seq[side] = fr->msg_seq;
		if (fr->msg_len > NP_TLS_HELLO_MAX - 4) {
			side_done(t, c, side, NP_TLS_CTR_FAIL_TOO_LONG);
			return;
		}
		if (fr->frag_off == 0 && fr->frag_len == fr->msg_len) {
			hello_done(t, db, db_gen, c, side, fr->msg_type, fr->data, fr->msg_len, ts_us,
				   worker, out);
			return;
		}
		if (!side_buf(t, c, side)) {
			side_done(t, c, side, NP_TLS_CTR_FAIL_NO_BUFFER);
			return;
		}
		c->base[side] = fr->msg_len;
		c->state[side] = ST_COLLECT;
		break;
	case ST_COLLECT:
		if (fr->msg_seq != c->dtls_seq[side])
			return;
		if (fr->msg_len != c->base[side]) {
			side_done(t, c, side, NP_TLS_CTR_FAIL_MALFORMED);
			return;
		}
		break;
	}
	ra = &t->bufs[c->buf[side]].r;
	if (!np_reasm_add(ra, fr->frag_off, fr->data, fr->frag_len)) {
		side_done(t, c, side, NP_TLS_CTR_FAIL_GAP);
		return;
	}
	if (np_reasm_contiguous(ra) >= c->base[side])
		hello_done(t, db, db_gen, c, side, fr->msg_type, ra->buf, c->base[side], ts_us, worker,
			   out);
}

static void
dtls_datagram(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
	      const struct np_udp *u, uint64_t ts_us, uint8_t worker, struct np_observation *out)
{
	struct np_dtls_fragment fr;
	uint32_t pos = 0;
	int side = CLI;
	enum np_tls_result r;
	struct np_tls_conn *c = t->count ? lookup(t, true, udp_hash(u), u->ip_ver, u->src, u->sport,
						   u->dst, u->dport, &side) : NULL;

	if (c && c->transport != NP_TLS_DTLS)
		return;
	while ((r = np_dtls_next_fragment(u->payload, u->pay_len, &pos, &fr)) == NP_TLS_OK) {
		if (fr.msg_type != NP_TLS_CLIENT_HELLO && fr.msg_type != NP_TLS_SERVER_HELLO)
			continue;	/* HelloVerifyRequest and the rest */
		if (!c) {
			uint32_t now_s = (uint32_t)(ts_us / 1000000);

			side = fr.msg_type == NP_TLS_CLIENT_HELLO ? CLI : SRV;
			if (side == CLI)
				c = insert(t, true, udp_hash(u), u->ip_ver, u->src, u->sport, u->dst,
					   u->dport, now_s);
			else
				c = insert(t, true, udp_hash(u), u->ip_ver, u->dst, u->dport, u->src,
					   u->sport, now_s);
			c->transport = NP_TLS_DTLS;
		}
		if (fr.msg_type != (side == CLI ? NP_TLS_CLIENT_HELLO : NP_TLS_SERVER_HELLO))
			continue;
		dtls_fragment(t, db, db_gen, c, side, &fr, ts_us, worker, out);
	}
	/* A broken record ends a hello being collected, or one never started;
	 * what follows a reported hello (DTLS 1.3's own records) is not ours. */
	if (r != NP_TLS_MORE) {
		if (c && c->state[side] == ST_COLLECT)
			side_done(t, c, side, NP_TLS_CTR_FAIL_NOT_TLS + (r - NP_TLS_NOT_TLS));
		else if (!c)
			t->ctr[NP_TLS_CTR_FAIL_NOT_TLS + (r - NP_TLS_NOT_TLS)]++;
	}
	if (c)
		touch(t, c, (uint32_t)(ts_us / 1000000));
}

void
np_tls_track_udp(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
		 const struct np_udp *u, uint64_t ts_us, uint8_t worker, struct np_observation *out)
{
	if (!u->pay_len)
		return;
	maybe_expire(t, ts_us);
	if (np_quic_starts_long(u->payload, u->pay_len))
		quic_datagram(t, db, db_gen, u, ts_us, worker, out);
	else if (np_dtls_starts_handshake(u->payload, u->pay_len))
		dtls_datagram(t, db, db_gen, u, ts_us, worker, out);
}
