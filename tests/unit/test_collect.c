/* SPDX-License-Identifier: MIT */
/*
 * What a collector reads: records packed by a sensor (record.h's
 * np_rec_pack / np_rec_unpack / np_rec_check), the messages' form
 * (nats_wire.h: subjects, base64, message ids), and the packet-time merge
 * of several sensors (collector/merge.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "db.h"
#include "merge.h"
#include "nats_wire.h"
#include "record.h"

static struct np_db *db;

static void
load_db(void)
{
	char err[512];

	db = np_db_load(NP_TEST_FP, err, sizeof(err));
	cr_assert(db != NULL, "%s", err);
}

static void
free_db(void)
{
	np_db_free(db);
}

TestSuite(pack, .init = load_db, .fini = free_db);

static struct np_rec
syn_record(void)
{
	struct np_rec r;

	memset(&r, 0, sizeof(r));
	r.kind = NP_REC_SYN;
	r.ip_ver = 4;
	r.to_srv = 1;
	r.worker = 3;
	r.ts_us = 1700000000123456ull;
	r.flow_serial = 77;
	r.flow_slot = 12;
	r.cli_port = 40000;
	r.srv_port = 443;
	memcpy(r.cli, "\x0a\x00\x00\x01", 4);
	memcpy(r.srv, "\x0a\x00\x00\x02", 4);
	r.tcp.flags = NP_RTCP_MATCHED | NP_RTCP_OS_SIG;
	r.tcp.m.label = 2;
	r.tcp.m.line_no = 99;
	r.tcp.m.class_id = 12345;	/* wrong on purpose: np_rec_check sets it again */
	r.tcp.ts1 = 0xdeadbeef;
	r.tcp.mss = 1460;
	r.tcp.opt_cnt = 2;
	r.tcp.opt_layout[0] = 2;
	r.tcp.opt_layout[1] = 4;
	return r;
}

Test(pack, a_record_and_its_tail_come_back_whole)
{
	struct np_rec r = syn_record(), back;
	uint8_t buf[NP_REC_PACK_MAX];
	char tail[NP_TAIL_MAX + 1];
	uint64_t digest = 0;
	const char *t = "4:64+0:0:1460:mss*44,7:mss,sok:df:0";

	r.tail_len = (uint16_t)strlen(t);
	size_t n = np_rec_pack(&r, t, 0x1122334455667788ull, buf, sizeof(buf));

	cr_assert(eq(sz, n, NP_REC_PACK_HEAD + np_rec_wire_size(NP_REC_SYN) + strlen(t)));
	cr_assert(eq(int, np_rec_unpack(buf, n, &back, tail, &digest), 0));
	cr_assert(eq(u64, digest, 0x1122334455667788ull));
	cr_assert(eq(str, tail, (char *)t));
	cr_assert(eq(int, memcmp(&back, &r, np_rec_wire_size(NP_REC_SYN)), 0));
	cr_assert(eq(ptr, (void *)back.names.label, NULL));	/* names never travel */
}

Test(pack, a_tls_tail_of_bytes_with_nuls_comes_back)
{
	struct np_rec r = syn_record(), back;
	uint8_t buf[NP_REC_PACK_MAX];
	char tail[NP_TAIL_MAX + 1];
	const char hello[] = { 0x16, 0x03, 0x01, 0x00, 0x00, 0x05, 0x00 };
	uint64_t digest;

	r.kind = NP_REC_TLS_CLIENT;
	r.tls = (struct np_rec_tls){ .sig = "t13d1516h2_8daaf6152771_02713d6af862" };
	r.tail_len = sizeof(hello);
	size_t n = np_rec_pack(&r, hello, 1, buf, sizeof(buf));

	cr_assert(eq(int, np_rec_unpack(buf, n, &back, tail, &digest), 0));
	cr_assert(eq(int, memcmp(tail, hello, sizeof(hello)), 0));
	cr_assert(eq(int, np_rec_check(&back, db), 0));
}

Test(pack, what_is_not_a_packed_record_is_refused)
{
	struct np_rec r = syn_record(), back;
	uint8_t buf[NP_REC_PACK_MAX], bad[NP_REC_PACK_MAX];
	char tail[NP_TAIL_MAX + 1];
	uint64_t digest;
	size_t n = np_rec_pack(&r, NULL, 1, buf, sizeof(buf));

	cr_assert(n > NP_REC_PACK_HEAD);
	cr_assert(eq(int, np_rec_unpack(buf, n - 1, &back, tail, &digest), -EINVAL));
	cr_assert(eq(int, np_rec_unpack(buf, NP_REC_PACK_HEAD - 1, &back, tail, &digest), -EINVAL));
	memcpy(bad, buf, n);
	bad[0] = 'x';
	cr_assert(eq(int, np_rec_unpack(bad, n, &back, tail, &digest), -EINVAL));
	memcpy(bad, buf, n);
	bad[2] = NP_REC_PACK_VERSION + 1;
	cr_assert(eq(int, np_rec_unpack(bad, n, &back, tail, &digest), -EPROTO));
	memcpy(bad, buf, n);
	bad[4] ^= 3, bad[5] ^= 3;	/* the other byte order */
	cr_assert(eq(int, np_rec_unpack(bad, n, &back, tail, &digest), -EPROTO));
	memcpy(bad, buf, n);
	bad[3] = NP_REC_KIND_COUNT;
	cr_assert(eq(int, np_rec_unpack(bad, n, &back, tail, &digest), -EINVAL));
	memcpy(bad, buf, n);
	bad[NP_REC_PACK_HEAD] = NP_REC_HTTP_REQUEST;	/* the body says another kind */
	cr_assert(eq(int, np_rec_unpack(bad, n, &back, tail, &digest), -EINVAL));
	memcpy(bad, buf, n);
	bad[6] = 5;	/* a tail the bytes do not have */
	cr_assert(eq(int, np_rec_unpack(bad, n, &back, tail, &digest), -EINVAL));
	cr_assert(eq(sz, np_rec_pack(&r, NULL, 1, buf, NP_REC_PACK_HEAD + 8), 0));
}

Test(pack, check_takes_a_sensors_input_with_this_database)
{
	struct np_rec r = syn_record();

	cr_assert(eq(int, np_rec_check(&r, db), 0));
	cr_assert(eq(i32, r.tcp.m.class_id, np_db_label(db, 2)->class_id));
	cr_assert(eq(u32, r.tcp.m.name_id, np_db_label(db, 2)->name_id));
	r.tcp.flags &= (uint16_t)~NP_RTCP_MATCHED;
	r.tcp.m.label = 1u << 30;	/* not matched: not looked at */
	cr_assert(eq(int, np_rec_check(&r, db), 0));
	r = syn_record();
	r.kind = NP_REC_TS;
	cr_assert(eq(int, np_rec_check(&r, NULL), 0));
	r.kind = NP_REC_HOST_DROP;
	cr_assert(eq(int, np_rec_check(&r, NULL), 0));
}

Test(pack, check_refuses_what_the_host_logic_could_not_take)
{
	struct np_rec r = syn_record();

	r.tcp.m.label = db->n_labels;
	cr_assert(eq(int, np_rec_check(&r, db), -EINVAL), "a label past the database");
	r = syn_record();
	cr_assert(eq(int, np_rec_check(&r, NULL), -EINVAL), "a match and no database");
	r.ip_ver = 5;
	cr_assert(eq(int, np_rec_check(&r, db), -EINVAL), "IPv5");
	r = syn_record();
	r.tcp.opt_cnt = NP_MAX_TCP_OPT + 1;
	cr_assert(eq(int, np_rec_check(&r, db), -EINVAL), "more options than a layout holds");
	static const uint8_t derived[] = { NP_REC_MTU, NP_REC_UPTIME, NP_REC_HOST_CHANGE,
					   NP_REC_IP_SHARING };
	for (unsigned i = 0; i < sizeof(derived); i++) {
		r = syn_record();
		r.kind = derived[i];
		cr_assert(eq(int, np_rec_check(&r, db), -EINVAL), "%s: made by the host logic",
			  np_rec_kind_names[derived[i]]);
	}
	r = syn_record();
	r.kind = NP_REC_HTTP_REQUEST;
	r.http = (struct np_rec_http){ .ua_os = -1 };
	memset(r.http.lang, 'e', sizeof(r.http.lang));	/* three characters: fine */
	cr_assert(eq(int, np_rec_check(&r, db), 0));
	memset(r.http.date, 'x', sizeof(r.http.date));
	cr_assert(eq(int, np_rec_check(&r, db), -EINVAL), "a Date without its NUL");
	r = syn_record();
	r.kind = NP_REC_TLS_SERVER;
	r.tls = (struct np_rec_tls){ 0 };
	memset(r.tls.sig, 'a', sizeof(r.tls.sig));
	cr_assert(eq(int, np_rec_check(&r, db), -EINVAL), "a fingerprint without its NUL");
	strcpy(r.tls.sig, "t13d1516h2_8daaf6152771_02713d6af86\xff");
	cr_assert(eq(int, np_rec_check(&r, db), -EINVAL), "a byte no fingerprint has");
	strcpy(r.tls.sig, "t13d1516h2_8daaf6152771_02713d6af862");
	cr_assert(eq(int, np_rec_check(&r, db), 0));
}

Test(wire, base64_as_rfc4648_says)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
					     "Zm9vYmFy" };
	char out[16];
	uint8_t back[16];

	for (unsigned i = 0; i < 7; i++) {
		size_t n = strlen(plain[i]);

		cr_assert(eq(sz, np_base64_encode((const uint8_t *)plain[i], n, out),
			     strlen(coded[i])));
		cr_assert(eq(str, out, (char *)coded[i]));
		cr_assert(eq(long, np_base64_decode(coded[i], strlen(coded[i]), back, sizeof(back)),
			     (long)n));
		cr_assert(eq(int, memcmp(back, plain[i], n), 0));
	}
	static const char *const bad[] = { "Zg=", "Z===", "Zg==Zg==", "Zm9*", "Zm=v", "Zm9v\n" };
	for (unsigned i = 0; i < 6; i++)
		cr_assert(eq(long, np_base64_decode(bad[i], strlen(bad[i]), back, sizeof(back)), -1),
			  "%s", bad[i]);
	cr_assert(eq(long, np_base64_decode("Zm9vYmFy", 8, back, 5), -1), "no room");
}

Test(wire, message_ids_and_subjects)
{
	size_t len;
	uint64_t boot, seq;
	char subj[128];

	cr_assert(np_nats_msg_id_parse("s-1.00000000000000ff.42", &len, &boot, &seq));
	cr_assert(eq(sz, len, 3));
	cr_assert(eq(u64, boot, 255));
	cr_assert(eq(u64, seq, 42));
	cr_assert(not(np_nats_msg_id_parse("s1.ff.42", &len, &boot, &seq)));
	cr_assert(not(np_nats_msg_id_parse("s 1.00000000000000ff.42", &len, &boot, &seq)));
	cr_assert(not(np_nats_msg_id_parse("s1.00000000000000ff.", &len, &boot, &seq)));
	cr_assert(not(np_nats_msg_id_parse("s1.00000000000000ff.4x", &len, &boot, &seq)));
	cr_assert(not(np_nats_msg_id_parse("x", &len, &boot, &seq)));
	np_nats_subject(subj, sizeof(subj), "s1", "syn+ack");
	cr_assert(eq(str, subj, "netprint.s1.syn_ack"));
	np_nats_subject(subj, sizeof(subj), "s1", "http request");
	cr_assert(eq(str, subj, "netprint.s1.http_request"));
	np_nats_subject(subj, sizeof(subj), "s1", NULL);
	cr_assert(eq(str, subj, "netprint.s1._input"));
	cr_assert(eq(sz, np_nats_subject(subj, 8, "s1", "syn"), 0));
}

/* ---- the merge ---------------------------------------------------------- */

static uint64_t next_seq, sensor_seqs[NP_MERGE_SENSORS];

static struct np_pending *
pending(unsigned sensor, uint64_t sensor_seq, uint64_t ts_us, uint64_t now_ms, bool empty)
{
	struct np_pending *p = calloc(1, sizeof(*p) + 1);

	cr_assert(p != NULL);
	p->stream_seq = ++next_seq;
	p->boot = 1;
	p->sensor_seq = sensor_seq;
	p->arrived_ms = now_ms;
	p->sensor = sensor;
	p->empty = empty;
	p->rec.ts_us = ts_us;
	return p;
}

/* The sensor's next message, in its order. */
static void
push(struct np_merge *m, unsigned sensor, uint64_t ts_us, uint64_t now_ms)
{
	struct np_pending *p = pending(sensor, ++sensor_seqs[sensor], ts_us, now_ms, false);

	np_merge_saw(m, sensor, p->stream_seq, now_ms);
	np_merge_push(m, p);
}

/* The ts of the record let go, or 0 for none. */
static uint64_t
next_ts(struct np_merge *m, uint64_t now_ms, bool caught_up, bool drain)
{
	struct np_pending *p = np_merge_next(m, now_ms, 1000, caught_up, drain);
	uint64_t ts = p ? p->rec.ts_us : 0;

	free(p);
	return ts;
}

static void
fresh(struct np_merge *m)
{
	np_merge_init(m);
	next_seq = 0;
	memset(sensor_seqs, 0, sizeof(sensor_seqs));
}

Test(merge, two_sensors_in_packet_time_order)
{
	static struct np_merge m;

	fresh(&m);
	push(&m, 0, 10, 0);
	push(&m, 0, 30, 0);
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 10), "sensor 1 not heard of yet");
	push(&m, 1, 20, 0);
	push(&m, 1, 40, 0);
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 20));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 30));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 0), "40 waits for sensor 0's next");
	cr_assert(eq(u64, next_ts(&m, 999, true, false), 0), "held less than the hold");
	cr_assert(eq(u64, next_ts(&m, 1000, true, false), 40), "then let go");
	cr_assert(eq(u64, m.held, 0));
	np_merge_fini(&m);
}

Test(merge, a_sensor_gone_quiet_is_not_waited_for)
{
	static struct np_merge m;

	fresh(&m);
	push(&m, 0, 10, 0);
	push(&m, 1, 5, 0);
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 5));
	push(&m, 1, 50, 2000);	/* sensor 0 quiet since 0 */
	cr_assert(eq(u64, next_ts(&m, 2000, true, false), 10));
	cr_assert(eq(u64, next_ts(&m, 2000, true, false), 50), "sensor 0: nothing for 2 s");
	np_merge_fini(&m);
}

Test(merge, a_backlog_looks_ahead_for_sensors_not_seen_yet)
{
	static struct np_merge m;

	fresh(&m);
	push(&m, 0, 10, 0);
	push(&m, 0, 30, 0);
	cr_assert(eq(u64, next_ts(&m, 999, false, false), 0), "a backlog: no sensor to wait for");
	next_seq += NP_MERGE_LOOKAHEAD - 3;
	push(&m, 1, 20, 0);	/* a sensor first seen this far on */
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 0), "10 is not that far back yet");
	push(&m, 1, 25, 0);
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 10));
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 0), "20 is not that far back");
	next_seq += NP_MERGE_LOOKAHEAD;	/* sensor 0 absent from that many messages */
	push(&m, 1, 200, 0);
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 20));
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 25));
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 30), "its last, not waited for");
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 0), "200: the lookahead again");
	cr_assert(eq(u64, next_ts(&m, 1000, false, false), 200), "or no longer than the hold");
	np_merge_fini(&m);
}

Test(merge, drain_lets_all_go_oldest_first_and_ties_keep_stream_order)
{
	static struct np_merge m;

	fresh(&m);
	push(&m, 2, 7, 0);
	push(&m, 0, 9, 0);
	push(&m, 1, 7, 0);
	push(&m, 1, 5, 0);	/* its sensor's order stays: after its 7 */
	cr_assert(eq(u64, next_ts(&m, 0, false, true), 7), "sensor 2's 7 came first");
	cr_assert(eq(u64, next_ts(&m, 0, false, true), 7));
	cr_assert(eq(u64, next_ts(&m, 0, false, true), 5));
	cr_assert(eq(u64, next_ts(&m, 0, false, true), 9));
	cr_assert(eq(u64, next_ts(&m, 0, false, true), 0));
	np_merge_fini(&m);
}

Test(merge, a_sensors_message_sent_again_late_takes_its_place_in_its_order)
{
	static struct np_merge m;

	fresh(&m);
	np_merge_saw(&m, 0, 1, 0);
	np_merge_push(&m, pending(0, 1, 10, 0, false));
	np_merge_push(&m, pending(0, 3, 30, 0, false));	/* 2 was refused, sent again later */
	np_merge_push(&m, pending(0, 4, 40, 0, true));	/* a message with no record */
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 10));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 0), "3 waits for 2");
	np_merge_push(&m, pending(0, 2, 20, 0, false));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 20));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 30));
	cr_assert(eq(u64, next_ts(&m, 0, true, true), 0), "4 held its place only");
	cr_assert(eq(u64, m.held, 0));
	cr_assert(eq(u64, m.missing + m.late, 0));
	np_merge_fini(&m);
}

Test(merge, a_message_never_sent_is_given_up_after_the_gap_wait)
{
	static struct np_merge m;

	fresh(&m);
	np_merge_gap_wait(&m, 1000);
	np_merge_saw(&m, 0, 1, 0);
	np_merge_push(&m, pending(0, 1, 10, 0, false));
	np_merge_push(&m, pending(0, 4, 40, 0, false));	/* 2 and 3 never come */
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 10));
	cr_assert(eq(u64, next_ts(&m, 999, true, false), 0));
	cr_assert(eq(u64, next_ts(&m, 1000, true, false), 40));
	cr_assert(eq(u64, m.missing, 2));
	np_merge_push(&m, pending(0, 3, 30, 1000, false));	/* one comes after all */
	cr_assert(eq(u64, m.late, 1));
	cr_assert(eq(u64, next_ts(&m, 1000, true, true), 30), "applied when it comes");
	np_merge_fini(&m);
}

Test(merge, a_message_far_ahead_of_its_sensor_waits_for_nothing)
{
	static struct np_merge m;

	fresh(&m);
	np_merge_saw(&m, 0, 1, 0);
	np_merge_push(&m, pending(0, 1, 10, 0, false));
	np_merge_push(&m, pending(0, 2 + NP_MERGE_LOOKAHEAD, 20, 0, false));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 10));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 20));
	cr_assert(eq(u64, m.missing, NP_MERGE_LOOKAHEAD));
	np_merge_fini(&m);
}

Test(merge, a_sensor_restarted_starts_its_order_again)
{
	static struct np_merge m;

	fresh(&m);
	np_merge_saw(&m, 0, 1, 0);
	np_merge_push(&m, pending(0, 1, 10, 0, false));
	struct np_pending *p = pending(0, 1, 20, 0, false);

	p->boot = 2;
	np_merge_push(&m, p);
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 10));
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 20));
	cr_assert(eq(u64, m.missing + m.late, 0));
	np_merge_fini(&m);
}

Test(merge, never_more_than_the_bound_held)
{
	static struct np_merge m;

	fresh(&m);
	push(&m, 1, 1, 0);	/* sensor 1 then silent, sensor 0 floods */
	cr_assert(eq(u64, next_ts(&m, 0, true, false), 1));
	np_merge_saw(&m, 1, next_seq, 0);
	for (unsigned i = 0; i < NP_MERGE_HELD_MAX; i++) {
		struct np_pending *p = pending(0, i + 1, 10 + i, 0, false);

		p->stream_seq = next_seq;	/* sensor 1 stays within the lookahead */
		np_merge_push(&m, p);
	}
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 10), "the bound reached: the oldest goes");
	cr_assert(eq(u64, next_ts(&m, 0, false, false), 0));
	np_merge_fini(&m);
}
