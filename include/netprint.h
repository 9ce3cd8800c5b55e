/* SPDX-License-Identifier: MIT */
/*
 * libnetprint: passive fingerprinting of network traffic, p0f 3's answers
 * (same database, same records) plus TLS, QUIC and DTLS fingerprints (JA4,
 * JA3, JA3S). Feed it captured frames; it tells, per connection and per
 * host, the operating system behind TCP SYNs and SYN+ACKs, the link and
 * MTU, the uptime, the HTTP client or server and its language, NAT and
 * host changes, and the TLS client or server.
 *
 *	struct np_db *db;
 *	struct np_capture *cap;
 *	struct np_observer *obs;
 *	char msg[NP_MSG_MAX];
 *
 *	if (np_db_open(&db, NULL, 0, msg, sizeof(msg)) ||
 *	    np_capture_open_live(&cap, "eth0", false, msg, sizeof(msg)) ||
 *	    np_observer_new(&obs, db, np_capture_linktype(cap), NULL))
 *		errx(1, "%s", msg);
 *	np_observer_on_record(obs, print_record, NULL);
 *	np_capture_run(cap, obs);	(until np_capture_stop())
 *
 * Conventions. Every function returning int returns NP_OK (0) or a
 * negative NP_ERR_* code, which np_strerror() names. Functions that can
 * fail for a reason worth a sentence (a file, a database line, an
 * interface) also write it into msg (msg_len bytes, NP_MSG_MAX is enough;
 * msg may be NULL). Handles are opaque and made by the library; NULL is a
 * valid argument to every function that frees or releases one.
 *
 * Threads. A database is immutable once opened: any number of observers
 * in any number of threads may share it; its reference count is atomic.
 * An observer and a capture are used by one thread at a time, except
 * np_capture_stop(), which any thread or signal handler may call.
 *
 * Strings in records and host facts are NUL-terminated and may hold any
 * byte the traffic or the database held (labels, SNI, ALPN are not
 * guaranteed UTF-8); NP_FORMAT_JSON makes them valid UTF-8.
 *
 * No DPDK, liburcu, libpcap or jansson type appears here: link with
 * pkg-config's "netprint" (cc prog.c $(pkg-config --cflags --libs netprint)).
 */
#ifndef NETPRINT_H
#define NETPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------ */

#define NP_VERSION_MAJOR 0
#define NP_VERSION_MINOR 1
#define NP_VERSION_PATCH 0
#define NP_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if */
#define NP_VERSION_NUMBER (NP_VERSION_MAJOR * 10000 + NP_VERSION_MINOR * 100 + NP_VERSION_PATCH)

/* The version of the library loaded at run time, "MAJOR.MINOR.PATCH". */
const char *np_version(void);

/* ---- Errors ------------------------------------------------------------- */

#define NP_OK 0
#define NP_ERR_INVALID (-1)	/* an argument is NULL, out of range, or the wrong state */
#define NP_ERR_NOMEM (-2)	/* out of memory */
#define NP_ERR_IO (-3)		/* a file or interface cannot be opened or read (msg: why) */
#define NP_ERR_DATABASE (-4)	/* a database is wrong (msg: FILE:LINE: what is wrong) */
#define NP_ERR_LINKTYPE (-5)	/* a link type netprint (and p0f) cannot read */
#define NP_ERR_DAMAGED (-6)	/* a capture file ends on a damaged record; the frames
				 * before it were delivered */
#define NP_ERR_NOT_FOUND (-7)	/* nothing is known of that host */
#define NP_ERR_NO_SPACE (-8)	/* the buffer is too small for the text */
#define NP_ERR_BUSY (-9)	/* called from the observer's own record callback */

/* A sentence for an NP_ERR_* code (or NP_OK); never NULL. */
const char *np_strerror(int err);

/* Room for any message the library writes into msg. */
#define NP_MSG_MAX 512

/* ---- Signature database --------------------------------------------------- */

/*
 * A database: p0f's p0f.fp (its [tcp:*], [mtu] and [http:*] sections) and
 * netprint's [tls:client] / [tls:server] sections, from one or more files
 * read as one (classes merge; a later file may not repeat an earlier
 * label's signature). Immutable and reference-counted.
 */
struct np_db;

/*
 * Read paths[0..n_paths-1]; n_paths 0 reads the databases installed with
 * the library (p0f.fp and tls.fp of share/netprint). On success *db holds
 * one reference. NP_ERR_IO (a file cannot be read), NP_ERR_DATABASE (msg:
 * "FILE:LINE: reason"), NP_ERR_NOMEM, NP_ERR_INVALID (db NULL, or paths
 * NULL with n_paths > 0).
 */
int np_db_open(struct np_db **db, const char *const *paths, size_t n_paths, char *msg,
	       size_t msg_len);

/* One more reference; returns db. */
struct np_db *np_db_ref(struct np_db *db);

/* One reference less: the last one frees the database. Observers hold
 * their own, so a program may release its database (or swap in a new one)
 * while observers still use the old one. */
void np_db_unref(struct np_db *db);

/* Signatures of each kind: TCP (both directions), HTTP, TLS, MTU. */
struct np_db_counts {
	size_t tcp, http, tls, mtu;
};
void np_db_counts(const struct np_db *db, struct np_db_counts *out);

/* ---- Records ---------------------------------------------------------- */

/* What a record is about: p0f's "mod=" (np_record.kind_name). */
enum np_kind {
	NP_KIND_SYN = 1,		/* "syn": the client's OS, from its SYN */
	NP_KIND_SYNACK,			/* "syn+ack": the server's OS */
	NP_KIND_MTU,			/* "mtu": link type and MTU, from the MSS */
	NP_KIND_UPTIME,			/* "uptime": from TCP timestamps */
	NP_KIND_HTTP_REQUEST,		/* "http request": the HTTP client */
	NP_KIND_HTTP_RESPONSE,		/* "http response": the HTTP server */
	NP_KIND_HOST_CHANGE,		/* "host change": another host behind the address */
	NP_KIND_IP_SHARING,		/* "ip sharing": several hosts behind it (NAT) */
	NP_KIND_TLS_CLIENT,		/* "tls client": a ClientHello */
	NP_KIND_TLS_SERVER,		/* "tls server": a ServerHello */
	NP_KIND_SENDSYN_PROBE,		/* "sendsyn probe": p0f-sendsyn's own SYN */
	NP_KIND_SENDSYN_RESPONSE,	/* "sendsyn response": the answer to it */
};

/* How a label matched. */
enum np_quality {
	NP_MATCH_NONE = 0,	/* nothing matched: the label's strings are NULL */
	NP_MATCH_EXACT,
	NP_MATCH_GENERIC,	/* a generic signature (p0f's "g:" class), or a TLS
				 * fingerprint matched on some parts only */
	NP_MATCH_FUZZY,		/* p0f's fuzzy TCP match */
};

/* The database label a record or host matched, and how. */
struct np_match {
	enum np_quality quality;
	bool is_os;		/* an OS ("os=" in p0f's text); false: an application or
				 * a tool ("app=") */
	const char *class_name;	/* "win", "unix", "other"...; NULL for an application */
	const char *name;	/* "Linux" */
	const char *flavor;	/* "3.11 and newer"; "" when the label has none */
	const char *text;	/* as p0f prints it: "Linux 3.11 and newer" */
};

/* One side of the connection. */
struct np_endpoint {
	int ip_version;		/* 4 or 6 */
	uint8_t addr[16];	/* 4 bytes for IPv4, network order */
	uint16_t port;
	const char *text;	/* the address as p0f prints it */
};

/* Flags of a record (np_record.flags); p0f's "params" words where it has them. */
#define NP_FLAG_GENERIC 0x0001		/* "generic" */
#define NP_FLAG_FUZZY 0x0002		/* "fuzzy" */
#define NP_FLAG_RANDOM_TTL 0x0004	/* "random_ttl": distance is an upper bound */
#define NP_FLAG_EXCESS_DIST 0x0008	/* "excess_dist" */
#define NP_FLAG_DISHONEST 0x0010	/* "dishonest": the User-Agent lies */
#define NP_FLAG_ANONYMOUS 0x0020	/* "anonymous": no User-Agent or Server */
#define NP_FLAG_OS_MISMATCH 0x0040	/* "os_mismatch": a TLS label of another OS than the SYN's */

/*
 * A record, as the library hands it out: read-only, valid until the
 * callback it was given to returns, or until the next np_observer_poll()
 * or np_observer_free(). Fields that do not apply to the kind are zero or
 * NULL. Fields may be added at the end in later minor versions: never
 * make one yourself.
 */
struct np_record {
	enum np_kind kind;
	const char *kind_name;		/* p0f's "mod": "syn", "http request"... */
	uint64_t ts_us;			/* the packet's capture time, microseconds */
	struct np_endpoint client, server;
	bool subject_is_client;		/* the record is about the client (p0f's subj=cli) */
	unsigned flags;			/* NP_FLAG_* */
	const char *params;		/* p0f's params text: "none", "generic fuzzy"... */

	/* SYN, SYN+ACK, HTTP, TLS: the label matched (quality NONE: none). */
	struct np_match match;
	const char *raw_sig;		/* SYN, SYN+ACK, HTTP: p0f's raw signature */

	/* SYN, SYN+ACK */
	int distance;			/* hops from the sender; p0f's "dist" */
	uint8_t tos;			/* the IP TOS / traffic class */

	/* MTU */
	unsigned mtu;
	const char *link;		/* "Ethernet or modem"...; NULL when unknown */

	/* UPTIME */
	uint32_t uptime_min;		/* minutes since boot (modulo modulo_days) */
	uint32_t uptime_modulo_days;	/* the timestamp clock wraps after this */
	double uptime_freq_hz;		/* the timestamp clock, as measured */

	/* HTTP */
	const char *language;		/* Accept-Language's, "English"; NULL when none */
	const char *language_code;	/* its two letters, "en"; NULL when none */

	/* TLS client and server */
	const char *tls_transport;	/* "tcp", "quic", "dtls" */
	const char *tls_version;	/* "1.3", "DTLS 1.2"... (client: highest offered) */
	const char *ja4, *ja4_r, *ja4_o, *ja4_ro;	/* client */
	const char *ja3, *ja3_raw;	/* client: JA3; server: JA3S (hash and string) */
	const char *sni;		/* client: the first server_name, or NULL */
	const char *alpn;		/* client: offered ALPNs, comma-separated ("" for none);
					 * server: its choice, or NULL */
	uint16_t tls_cipher;		/* server: the suite chosen */

	/* HOST CHANGE, IP SHARING */
	const char *reasons;		/* p0f's reason words, space-separated */
	uint8_t raw_hits[4];		/* p0f's raw_hits */

	const void *internal_;		/* the library's (fields to come go before it) */
};

/* How np_record_format() writes a record. */
enum np_format {
	NP_FORMAT_BLOCK,	/* p0f's stdout block (".-[ ... ]-" to "`----"), as netprint prints */
	NP_FORMAT_LOG,		/* p0f's log line (-o), local time, ending in "\n" */
	NP_FORMAT_JSON,		/* the JSON object netprint --json writes, ending in "\n" */
};

/*
 * Write rec (a record the library gave, still valid, not a copy) into buf,
 * NUL-terminated: exactly what the netprint program writes for it. Returns
 * the length (without the NUL), or NP_ERR_NO_SPACE (buf holds nothing
 * usable; NP_FORMAT_TEXT_MAX is what netprint itself uses, and a record
 * that does not fit in it is one netprint cannot write either),
 * NP_ERR_INVALID, NP_ERR_NOMEM.
 */
#define NP_FORMAT_TEXT_MAX 262144
int np_record_format(const struct np_record *rec, enum np_format how, char *buf, size_t len);

/* ---- Observer ------------------------------------------------------------ */

/*
 * An observer follows connections and hosts on one link type, as one p0f
 * process does: p0f's flow table and limits, its host table and scores,
 * netprint's TLS, QUIC and DTLS tracking. Frames go in with their capture
 * time; records come out through a callback, or queue for polling.
 */
struct np_observer;

/* p0f's limits (its -m and -t options); NULL gives p0f's defaults. */
struct np_limits {
	uint32_t max_conn;	/* connections tracked (p0f -m c,h: 1000) */
	uint32_t max_hosts;	/* hosts remembered (10000) */
	uint32_t conn_max_age;	/* seconds a connection lives without a packet (p0f -t c,h: 30) */
	uint32_t host_idle;	/* minutes a host is kept without traffic (120) */
};
#define NP_LIMITS_P0F { 1000, 10000, 30, 120 }
#define NP_LIMIT_COUNT_MAX 16000000	/* max_conn and max_hosts at most */
#define NP_LIMIT_AGE_MAX 1000000	/* conn_max_age and host_idle at most */

/*
 * A new observer matching against db (it takes its own reference) for
 * frames of linktype (libpcap's DLT_*: 1 Ethernet, 101 raw IP, 113 Linux
 * cooked...; link types without a fixed IP offset are read as p0f reads
 * them, by finding the IP header in the first TCP frames). Every limit is
 * at least 1, counts at most NP_LIMIT_COUNT_MAX, ages at most
 * NP_LIMIT_AGE_MAX (netprint's -m and -t take the same). NP_ERR_INVALID,
 * NP_ERR_LINKTYPE, NP_ERR_NOMEM.
 *
 * The observer's tables are allocated for its limits and touched as they
 * fill (calloc's fresh pages). With glibc, once a program has freed an
 * observer, later ones may get their tables from the heap and clear them
 * whole (glibc raises its mmap threshold past a freed large block): a
 * program that makes many observers (one per capture file, as netprint
 * report does) keeps them cheap with mallopt(M_MMAP_THRESHOLD, 128 * 1024)
 * at its start.
 */
int np_observer_new(struct np_observer **obs, struct np_db *db, int linktype,
		    const struct np_limits *limits);

/* Frees the observer and the records it queued; releases its database. */
void np_observer_free(struct np_observer *obs);

/*
 * Frames fed from now on are matched against db (the observer takes a
 * reference and releases the old database's). Flows and hosts are kept:
 * this is netprint's hot reload. NP_ERR_INVALID, NP_ERR_BUSY.
 */
int np_observer_set_db(struct np_observer *obs, struct np_db *db);

/*
 * The callback every record goes to, in the order p0f reports them, from
 * inside np_observer_feed(). With fn NULL (the start), records queue for
 * np_observer_poll() instead (at most NP_POLL_QUEUE_MAX; beyond, the oldest
 * waiting record is dropped and counted in np_stats.records_dropped). The
 * callback may read the record and format it, and may not feed, poll, free
 * or change the observer (NP_ERR_BUSY).
 */
typedef void (*np_record_fn)(void *ctx, const struct np_record *rec);
void np_observer_on_record(struct np_observer *obs, np_record_fn fn, void *ctx);
#define NP_POLL_QUEUE_MAX 65536

/*
 * One captured frame (caplen bytes from the link header on) at capture
 * time ts_us (microseconds since the epoch; time only matters relatively
 * and should not go backwards). Returns how many records it gave (>= 0),
 * or NP_ERR_INVALID, NP_ERR_BUSY. A frame that is not IPv4 / IPv6 TCP or
 * UDP, or is malformed, gives none and is counted in np_stats.
 */
int np_observer_feed(struct np_observer *obs, const void *frame, size_t caplen, uint64_t ts_us);

/*
 * The next queued record, or NULL when none waits (or a callback is set).
 * It stays valid until the next poll, np_observer_free(), or a feed.
 */
const struct np_record *np_observer_poll(struct np_observer *obs);

/* What the observer has seen; counters only grow. The frame counters are
 * the ones netprint prints at exit. */
struct np_stats {
	uint64_t frames, bytes;		/* fed */
	uint64_t tcp;			/* IPv4 / IPv6 TCP packets parsed */
	uint64_t udp;			/* UDP datagrams parsed (QUIC, DTLS) */
	uint64_t skipped;		/* frames with neither: the sum of the skip_* */
	uint64_t skip_link;		/* link layer not IPv4 / IPv6 */
	uint64_t skip_short;		/* truncated or too short */
	uint64_t skip_bad_ip;		/* malformed IP header */
	uint64_t skip_not_tcp_udp;	/* IP carrying neither TCP nor UDP */
	uint64_t skip_fragment;		/* IP fragments */
	uint64_t skip_bad_tcp;		/* malformed TCP header */
	uint64_t skip_tcp_flags;	/* meaningless TCP flags */
	uint64_t syn, synack, http;	/* fingerprinted */
	uint64_t matched, fuzzy;	/* signatures matched, fuzzy among them */
	uint64_t records;		/* records made (given out, or dropped below) */
	uint64_t records_dropped;	/* not given out: queue full (NP_POLL_QUEUE_MAX) */
	uint64_t hosts_dropped;		/* hosts dropped by p0f's limits */
	uint64_t tls_hellos;		/* TLS / QUIC / DTLS hellos fingerprinted */
	uint64_t tls_given_up;		/* hellos not put together (malformed, gap, pool empty...) */
};
void np_observer_stats(const struct np_observer *obs, struct np_stats *out);

/* ---- Hosts ---------------------------------------------------------------- */

/*
 * What the observer knows of a host: the facts p0f's query API answers
 * (-s), and its last TLS client fingerprint. Names and flavors are p0f's
 * API strings, cut to 31 bytes as p0f cuts them (class_name is NULL);
 * text is name and flavor joined.
 */
struct np_host_info {
	uint32_t first_seen, last_seen;	/* seconds since the epoch (packet time) */
	uint32_t total_conn;		/* connections seen */
	int32_t uptime_min;		/* -1: unknown */
	uint32_t uptime_modulo_days;
	uint32_t last_nat, last_chg;	/* last ip sharing / host change; 0: never */
	int distance;			/* hops; -1: unknown */
	uint8_t bad_sw;			/* 1: the User-Agent names another OS, 2: it lies */
	struct np_match os;		/* the last OS (quality: its match) */
	struct np_match http;		/* the last HTTP application */
	const char *link;		/* the link type; "" when unknown */
	const char *language;		/* NULL when unknown */
	bool has_tls;			/* the TLS fields below hold */
	const char *tls_ja4;
	const char *tls_transport;	/* "tcp", "quic", "dtls" */
	uint32_t tls_last_seen;
	struct np_match tls;		/* the label the JA4 matched */
	bool tls_os_mismatch;
	char buf_[512];			/* the strings above point here */
};

/*
 * Fill *out for the host at addr (4 bytes for ip_version 4, 16 for 6).
 * NP_ERR_NOT_FOUND when the observer knows nothing of it, NP_ERR_INVALID.
 * A host known from TLS alone (a QUIC client sends no SYN) has p0f's
 * facts empty: unknown distance and uptime, no OS.
 */
int np_observer_host(const struct np_observer *obs, int ip_version, const uint8_t *addr,
		     struct np_host_info *out);

/* ---- Captures -------------------------------------------------------------- */

/* A capture file (pcap or pcapng, as libpcap reads them) or a live interface. */
struct np_capture;

/* NP_ERR_IO (msg: why), NP_ERR_LINKTYPE, NP_ERR_NOMEM, NP_ERR_INVALID. */
int np_capture_open_file(struct np_capture **cap, const char *path, char *msg, size_t msg_len);

/*
 * Capture on an interface ("eth0", "any") with libpcap: whole frames,
 * delivered as they come; promisc asks for promiscuous mode. Needs the
 * rights to capture (CAP_NET_RAW). NP_ERR_IO (msg: libpcap's reason).
 */
int np_capture_open_live(struct np_capture **cap, const char *iface, bool promisc, char *msg,
			 size_t msg_len);

/* The capture's link type: what np_observer_new() wants. */
int np_capture_linktype(const struct np_capture *cap);

/*
 * The next frame: 1 with *frame (valid until the next call), *caplen and
 * *ts_us set; 0 at the end of a file or once stopped; NP_ERR_DAMAGED when
 * a file ends on a damaged record (np_capture_error() says where and
 * why), NP_ERR_IO when reading fails. On an interface it waits for a
 * frame.
 */
int np_capture_next(struct np_capture *cap, const uint8_t **frame, uint32_t *caplen,
		    uint64_t *ts_us);

/*
 * Feed every frame to obs until the file ends or np_capture_stop() is
 * called: NP_OK, NP_ERR_DAMAGED, NP_ERR_IO, NP_ERR_BUSY, NP_ERR_INVALID.
 */
int np_capture_run(struct np_capture *cap, struct np_observer *obs);

/* Make np_capture_next() and np_capture_run() return as soon as they can.
 * Safe from any thread and from a signal handler. */
void np_capture_stop(struct np_capture *cap);

/* Why the capture ended early ("truncated capture after N frames: ..."), or "". */
const char *np_capture_error(const struct np_capture *cap);

void np_capture_close(struct np_capture *cap);

#ifdef __cplusplus
}
#endif

#endif /* NETPRINT_H */
