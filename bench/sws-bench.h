/* sws-bench.h: shared types of sws-bench, the SIP-over-WebSocket load tool
 *
 * sws-bench drives a SIP-over-WebSocket server (RFC 7118) from a few
 * threads, each with its own epoll set and its own share of the client
 * connections; nothing is shared between threads on the hot path except
 * the phase word and a few counters. It measures what the server costs:
 * CPU time and PSS are read from /proc for the PIDs it is given.
 *
 * Prefix: Sb/sb_ ("sws-bench"), to keep it apart from the daemon's Sws.
 */
#pragma once

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SB_MAX_PIDS 64
#define SB_MAX_STATUS 700
#define SB_SCRATCH_SIZE (64 * 1024)

typedef enum
{
  SB_MODE_REGISTER,
  SB_MODE_CALL,
  SB_MODE_HOLD,
  SB_MODE_STARTUP,
} SbMode;

/* The run moves through these, driven by the main thread. */
typedef enum
{
  SB_PHASE_SETUP,   /* connect, handshake, register every connection once */
  SB_PHASE_RUN,     /* load (register, call) or idle (hold) */
  SB_PHASE_STOP,    /* start nothing new; let what is in flight finish */
  SB_PHASE_QUIT,    /* close every connection and leave */
} SbPhase;

/* Failures that are not a SIP status code. */
typedef enum
{
  SB_ERR_TIMEOUT,      /* no final response within --timeout */
  SB_ERR_CONNECT,      /* TCP connect failed */
  SB_ERR_HANDSHAKE,    /* no 101, or the 101 did not echo "sip" */
  SB_ERR_CLOSED,       /* the server closed a connection during the run */
  SB_ERR_PROTOCOL,     /* a frame or SIP message we could not make sense of */
  SB_ERR_INCOMPLETE,   /* a call ended without every step seen */
  SB_ERR_N
} SbError;

extern const char *const sb_error_names[SB_ERR_N];

typedef struct
{
  const char *p;
  size_t len;
} SbStr;

typedef struct
{
  char *data;
  size_t len;
  size_t cap;
} SbBuf;

typedef struct
{
  SbMode mode;
  char url[256];
  struct sockaddr_in addr;      /* the server's */
  char host_port[80];           /* for the Host header */
  char path[128];
  char domain[64];              /* host part of every AOR */
  unsigned connections;
  unsigned window;
  unsigned threads;
  unsigned sources;             /* source addresses 127.0.0.2... (0: the default one) */
  struct in_addr source;        /* --source: this one for all (0: see sources) */
  unsigned burst;               /* connections being set up at once, per thread */
  unsigned first;               /* number of the first AOR */
  unsigned repeat;              /* startup mode */
  double duration;
  double warmup;
  double hold;
  double timeout;
  double setup_timeout;
  pid_t pids[SB_MAX_PIDS];
  unsigned n_pids;
  char *ready_file;             /* the three strings: owned */
  char *label;
  char *spawn_log;
  char **spawn_argv;            /* server command, "@PORT@" replaced */
  unsigned long long min_ok;
  unsigned trace;               /* print the first N SIP messages each way */
} SbOptions;

/* What every thread counts; merged by the main thread at the end. */
typedef struct
{
  uint64_t ok;                  /* operations completed in the measured window */
  uint64_t ok_total;            /* ... at any time */
  uint64_t sent;                /* SIP messages sent */
  uint64_t received;            /* SIP messages received */
  uint64_t status[SB_MAX_STATUS];  /* failed final responses by code */
  uint64_t errors[SB_ERR_N];
  uint32_t *lat;                /* µs, operations in the measured window */
  size_t n_lat;
  size_t cap_lat;
} SbStats;

/* Caller side of one call at a time (call mode). */
typedef struct
{
  int state;
  uint32_t seq;
  int64_t started;              /* ns, INVITE sent */
  int64_t step_at;              /* ns, last request sent */
  bool got_180;
  bool got_200;
  char call_id[64];
  size_t call_id_len;
  char invite_branch[48];
  char to[256];                 /* To of the 2xx, with the callee's tag */
  size_t to_len;
  char target[256];             /* the callee's Contact URI */
  size_t target_len;
  char route[1024];             /* "Route: ...\r\n" lines, reversed Record-Route */
  size_t route_len;
} SbCaller;

/* Callee side: what it saw of the call it is in. */
typedef struct
{
  char call_id[64];
  size_t call_id_len;
  bool invite;
  bool ack;
  bool bye;
} SbCallee;

typedef enum
{
  SB_CONN_IDLE,
  SB_CONN_CONNECTING,
  SB_CONN_HANDSHAKE,
  SB_CONN_OPEN,
  SB_CONN_CLOSING,
  SB_CONN_CLOSED,
} SbConnState;

typedef struct SbWorker SbWorker;
typedef struct SbConn SbConn;
typedef struct SbShared SbShared;

struct SbConn
{
  int fd;
  SbConnState state;
  unsigned index;               /* global; the AOR is sip:b<index>@domain */
  bool dirty;                   /* queued for sb_worker_flush() */
  bool want_out;                /* EPOLLOUT armed */
  bool registered;
  bool failed;                  /* counted in SbShared.failed */
  char ws_key[28];
  SbBuf in;                     /* unconsumed bytes (only between reads) */
  SbBuf out;                    /* frames not yet written */
  SbBuf frag;                   /* a fragmented WebSocket message */
  int frag_opcode;

  /* REGISTER transactions: send times by CSeq % window; 0 = free */
  uint32_t cseq;
  unsigned inflight;
  int64_t *sent_at;

  SbConn *peer;                 /* call mode: the other half of the pair */
  SbCaller *caller;             /* call mode, even indexes */
  SbCallee *callee;             /* call mode, odd indexes */
};

struct SbShared
{
  const SbOptions *opts;
  atomic_int phase;
  atomic_uint open;
  atomic_uint registered;
  atomic_uint failed;
  atomic_llong measure_start;   /* ns, CLOCK_MONOTONIC; 0 = not yet */
  atomic_llong measure_end;     /* ns; 0 = open-ended */
  atomic_llong quit_deadline;
  atomic_uint traced;
};

struct SbWorker
{
  unsigned id;
  pthread_t thread;
  SbShared *shared;
  const SbOptions *opts;
  int epfd;
  SbConn *conns;
  unsigned n_conns;
  unsigned next_connect;
  unsigned connecting;
  unsigned live;                /* connections with an fd */
  SbConn **dirty;
  unsigned n_dirty;
  uint64_t rng;
  uint64_t branch_seq;
  int seen_phase;
  SbStats stats;
  char rbuf[SB_SCRATCH_SIZE];   /* read scratch */
  char wbuf[SB_SCRATCH_SIZE];   /* message building scratch */
};

/* sws-bench.c */
int64_t sb_now (void);
uint64_t sb_random (SbWorker *w);
void sb_stats_latency (SbStats *stats, int64_t ns);

void sb_trace (SbWorker *w, SbConn *c, bool out, const char *data, size_t len);

/* sws-bench-ws.c: the WebSocket client */
bool sb_conn_start (SbWorker *w, SbConn *c);
void sb_conn_event (SbWorker *w, SbConn *c, uint32_t events);
void sb_conn_send (SbWorker *w, SbConn *c, const char *data, size_t len);
void sb_conn_quit (SbWorker *w, SbConn *c);
void sb_conn_close (SbWorker *w, SbConn *c, int error);
void sb_worker_flush (SbWorker *w);
void sb_buf_append (SbBuf *b, const void *data, size_t len);
void sb_buf_clear (SbBuf *b);

/* sws-bench-sip.c: just enough SIP for a user agent */
typedef enum
{
  SB_H_OTHER,
  SB_H_VIA,
  SB_H_FROM,
  SB_H_TO,
  SB_H_CALL_ID,
  SB_H_CSEQ,
  SB_H_CONTACT,
  SB_H_RECORD_ROUTE,
  SB_H_CONTENT_LENGTH,
  SB_H_N
} SbHeaderId;

#define SB_MAX_HEADERS 48

typedef struct
{
  SbHeaderId id;
  SbStr line;                   /* "Name: value", without the CRLF */
  SbStr value;
} SbHeader;

typedef struct
{
  bool is_request;
  unsigned status;
  SbStr method;
  SbStr request_uri;
  SbHeader headers[SB_MAX_HEADERS];
  unsigned n_headers;
  int first[SB_H_N];
  SbStr call_id;
  uint32_t cseq;
  SbStr cseq_method;
  SbStr body;
} SbSipMsg;

typedef struct
{
  char *p;
  char *end;
  bool overflow;
} SbOut;

bool sb_sip_parse (const char *data, size_t len, SbSipMsg *msg);
bool sb_str_eq (SbStr s, const char *lit);
bool sb_sip_has_tag (SbStr value);
bool sb_sip_contact_uri (const SbSipMsg *msg, SbStr *uri);
size_t sb_sip_route_set (const SbSipMsg *msg, char *out, size_t cap);
void sb_out_init (SbOut *o, char *buf, size_t cap);
void sb_out_mem (SbOut *o, const void *p, size_t len);
void sb_out_str (SbOut *o, const char *s);
void sb_out_s (SbOut *o, SbStr s);
void sb_out_u (SbOut *o, uint64_t v);
size_t sb_out_len (const SbOut *o, const char *start);
void sb_sip_begin_response (SbOut *o, const SbSipMsg *req, unsigned code, const char *reason);
void sb_sip_copy_dialog (SbOut *o, const SbSipMsg *req, const char *to_tag);

/* sws-bench-ua.c: the user agents and the thread loop */
void *sb_worker_main (void *data);
void sb_ua_opened (SbWorker *w, SbConn *c);
void sb_ua_message (SbWorker *w, SbConn *c, const char *data, size_t len);
void sb_ua_closed (SbWorker *w, SbConn *c);

/* sws-bench-proc.c: the server's processes */
bool sb_proc_cpu (const pid_t *pids, unsigned n, double *user, double *sys);
bool sb_proc_pss (const pid_t *pids, unsigned n, uint64_t *kib);
bool sb_proc_busy (double *seconds);
unsigned sb_free_port (void);
pid_t sb_spawn (char **argv_template, unsigned port, const char *log);
bool sb_wait_accepting (const struct sockaddr_in *addr, pid_t pid, double timeout, int64_t *at);
void sb_stop_server (pid_t pid);
int sb_run_startup (SbOptions *opts);
