/* sws-bench.c: a load tool for SIP-over-WebSocket servers (RFC 7118)
 *
 *   sws-bench --url ws://127.0.0.1:5066 --mode register --connections 200 \
 *             --window 1 --duration 10 --pid $(pidof sipwsd)
 *
 * The main thread parses options, starts the workers, moves the run
 * through its phases (setup, run, stop, quit), reads the server's CPU time
 * and memory from /proc at the edges of the measured window, and prints
 * one human line and one JSON line. Only loopback servers are accepted:
 * this is a benchmark, not a traffic generator for other hosts.
 */

#include "sws-bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

const char *const sb_error_names[SB_ERR_N] = {
  "timeout", "connect", "handshake", "closed", "protocol", "incomplete",
};

static volatile sig_atomic_t interrupted;

int64_t
sb_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* xorshift64*: WebSocket masks and nonces need to vary, not to be secret. */
uint64_t
sb_random (SbWorker *w)
{
  w->rng ^= w->rng >> 12;
  w->rng ^= w->rng << 25;
  w->rng ^= w->rng >> 27;
  return w->rng * 0x2545F4914F6CDD1DULL;
}

void
sb_stats_latency (SbStats *stats,
                  int64_t  ns)
{
  if (stats->n_lat == stats->cap_lat)
    {
      stats->cap_lat = stats->cap_lat ? stats->cap_lat * 2 : 65536;
      stats->lat = realloc (stats->lat, stats->cap_lat * sizeof *stats->lat);
      if (stats->lat == NULL)
        abort ();
    }
  stats->lat[stats->n_lat++] = (uint32_t) MIN (ns / 1000, (int64_t) UINT32_MAX);
}

/* --trace: a look at what really goes over the wire. */
void
sb_trace (SbWorker   *w,
          SbConn     *c,
          bool        out,
          const char *data,
          size_t      len)
{
  if (atomic_fetch_add (&w->shared->traced, 1) >= w->opts->trace)
    return;
  flockfile (stderr);
  fprintf (stderr, "---- b%u %s (%zu bytes)\n%.*s\n", c->index, out ? "sent" : "received",
           len, (int) len, data);
  funlockfile (stderr);
}

static void
on_signal (int sig)
{
  interrupted = 1;
}

/* Sleep until `deadline` (CLOCK_MONOTONIC ns) or a signal. */
static void
sleep_until (int64_t deadline)
{
  while (!interrupted && sb_now () < deadline)
    {
      int64_t left = deadline - sb_now ();
      struct timespec ts;

      if (left > 50000000)
        left = 50000000;
      if (left <= 0)
        break;
      ts.tv_sec = 0;
      ts.tv_nsec = left;
      nanosleep (&ts, NULL);
    }
}

static double
cpu_self (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ---- options ------------------------------------------------------------ */

static bool
parse_url (SbOptions   *o,
           const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);
  const char *host;
  struct in_addr in;
  int port;

  if (uri == NULL)
    return false;
  if (g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "only ws:// URLs: %s", url);
      return false;
    }
  host = g_uri_get_host (uri);
  if (g_strcmp0 (host, "localhost") == 0)
    host = "127.0.0.1";
  if (host == NULL || inet_pton (AF_INET, host, &in) != 1 || (ntohl (in.s_addr) >> 24) != 127)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "the server must be on 127.0.0.0/8 (loopback only): %s", url);
      return false;
    }
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = 80;
  g_strlcpy (o->url, url, sizeof o->url);
  o->addr.sin_family = AF_INET;
  o->addr.sin_addr = in;
  o->addr.sin_port = htons ((uint16_t) port);
  snprintf (o->host_port, sizeof o->host_port, "%s:%d", host, port);
  g_strlcpy (o->path, *g_uri_get_path (uri) ? g_uri_get_path (uri) : "/", sizeof o->path);
  return true;
}

static bool
parse_options (SbOptions  *o,
               int        *argc,
               char     ***argv,
               GError    **error)
{
  g_autofree char *url = NULL, *mode = NULL, *domain = NULL;
  g_auto(GStrv) pids = NULL, rest = NULL;
  int connections = 200, window = 1, threads = 2, sources = -1, repeat = 10, first = 0, burst = 8;
  int trace = 0;
  gint64 min_ok = 0;
  double duration = 10, warmup = 2, hold = 10, timeout = 5, setup_timeout = 120;
  g_autofree char *source = NULL;
  g_autofree char *ready_file = NULL, *label = NULL, *spawn_log = NULL;
  const GOptionEntry entries[] = {
    { "url", 'u', 0, G_OPTION_ARG_STRING, &url, "Server, ws://127.x.x.x:PORT[/path]", "URL" },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode, "register, call, hold or startup", "MODE" },
    { "connections", 'c', 0, G_OPTION_ARG_INT, &connections, "WebSocket connections (200)", "N" },
    { "window", 'w', 0, G_OPTION_ARG_INT, &window, "REGISTERs in flight per connection (1)", "W" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration, "Measured seconds (10)", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &warmup, "Seconds of load before measuring (2)", "S" },
    { "hold", 0, 0, G_OPTION_ARG_DOUBLE, &hold, "Hold mode: seconds to stay connected (10)", "S" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Worker threads (2)", "T" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout, "Seconds before a transaction or call fails (5)", "S" },
    { "setup-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &setup_timeout, "Seconds to connect and register everyone (120)", "S" },
    { "sources", 0, 0, G_OPTION_ARG_INT, &sources, "Connect from 127.0.0.2..(K+1); 0: default address (auto)", "K" },
    { "connect-burst", 0, 0, G_OPTION_ARG_INT, &burst, "Connections in TCP/WebSocket handshake at once, all threads (8)", "N" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Connect from this loopback address", "IP" },
    { "first", 0, 0, G_OPTION_ARG_INT, &first, "Number of the first AOR, sip:b<N>@domain (0)", "N" },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain, "Host part of the AORs (bench.invalid)", "HOST" },
    { "pid", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &pids, "Server process to measure (repeatable)", "PID" },
    { "ready-file", 0, 0, G_OPTION_ARG_FILENAME, &ready_file, "Hold mode: create FILE once all are registered", "FILE" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, "Name of this run in the JSON line", "TEXT" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Startup mode: starts to measure (10)", "N" },
    { "spawn-log", 0, 0, G_OPTION_ARG_FILENAME, &spawn_log, "Output of a spawned server (/dev/null)", "FILE" },
    { "trace", 0, 0, G_OPTION_ARG_INT, &trace, "Print the first N SIP messages sent or received", "N" },
    { "min-ok", 0, 0, G_OPTION_ARG_INT64, &min_ok, "Exit 1 unless at least N operations succeed", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[-- SERVER-COMMAND (@PORT@ becomes a free port)]");

  g_option_context_set_summary (context,
    "Load a SIP-over-WebSocket server on loopback and measure what it costs.\n"
    "With a server command after --, start it on a free port and measure it.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return false;

  if (mode == NULL || g_str_equal (mode, "register"))
    o->mode = SB_MODE_REGISTER;
  else if (g_str_equal (mode, "call"))
    o->mode = SB_MODE_CALL;
  else if (g_str_equal (mode, "hold"))
    o->mode = SB_MODE_HOLD;
  else if (g_str_equal (mode, "startup"))
    o->mode = SB_MODE_STARTUP;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown mode %s", mode);
      return false;
    }
  if (connections < 1 || window < 1 || window > 1024 || threads < 1 || threads > 64 ||
      burst < 1 || duration <= 0 || warmup < 0 || hold < 0 || timeout <= 0 || repeat < 1 || first < 0 ||
      (o->mode == SB_MODE_CALL && connections % 2 != 0))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "bad numbers (call mode needs an even number of connections)");
      return false;
    }
  if (source != NULL &&
      (inet_pton (AF_INET, source, &o->source) != 1 || (ntohl (o->source.s_addr) >> 24) != 127))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--source must be a 127.x.x.x address: %s", source);
      return false;
    }
  if (label != NULL)
    for (const char *p = label; *p; p++)
      if (!g_ascii_isalnum (*p) && strchr ("._:-+", *p) == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "labels are letters, digits and ._:-+ only: %s", label);
          return false;
        }

  o->connections = (unsigned) connections;
  o->window = (unsigned) window;
  o->threads = MIN ((unsigned) threads, o->connections);
  /* Beyond 10,000 connections, one source address per 10,000. */
  o->sources = sources >= 0 ? (unsigned) sources
                            : (o->connections > 10000 ? (o->connections + 9999) / 10000 : 0);
  /* Small by default: a server with a short listen backlog drops SYNs
   * under a connect storm, and the retries back off for seconds. */
  o->burst = MAX (1u, (unsigned) burst / o->threads);
  o->first = (unsigned) first;
  o->repeat = (unsigned) repeat;
  o->duration = duration;
  o->warmup = warmup;
  o->hold = hold;
  o->timeout = timeout;
  o->setup_timeout = setup_timeout;
  o->min_ok = (unsigned long long) MAX (min_ok, 0);
  o->trace = (unsigned) MAX (trace, 0);
  o->ready_file = g_steal_pointer (&ready_file);
  o->label = g_steal_pointer (&label);
  o->spawn_log = g_steal_pointer (&spawn_log);
  g_strlcpy (o->domain, domain ? domain : "bench.invalid", sizeof o->domain);
  if (rest != NULL && rest[0] != NULL)
    o->spawn_argv = g_steal_pointer (&rest);

  for (unsigned i = 0; pids != NULL && pids[i] != NULL; i++)
    {
      gint64 pid = g_ascii_strtoll (pids[i], NULL, 10);

      if (pid <= 0 || o->n_pids == SB_MAX_PIDS)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad --pid %s", pids[i]);
          return false;
        }
      o->pids[o->n_pids++] = (pid_t) pid;
    }
  if (o->mode != SB_MODE_STARTUP && o->spawn_argv == NULL &&
      !parse_url (o, url ? url : "ws://127.0.0.1:5066/", error))
    return false;
  return true;
}

/* ---- report ------------------------------------------------------------- */

static int
compare_u32 (const void *a,
             const void *b)
{
  uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

  return x < y ? -1 : x > y;
}

/* Nearest rank. */
static double
percentile_ms (const uint32_t *sorted,
               size_t          n,
               double          q)
{
  size_t rank = (size_t) ceil (q * (double) n);

  if (n == 0)
    return 0;
  return sorted[rank > 0 ? rank - 1 : 0] / 1000.0;
}

static void
merge_stats (SbWorker **workers,
             unsigned   n,
             SbStats   *all)
{
  memset (all, 0, sizeof *all);
  for (unsigned i = 0; i < n; i++)
    {
      SbStats *s = &workers[i]->stats;

      all->ok += s->ok;
      all->ok_total += s->ok_total;
      all->sent += s->sent;
      all->received += s->received;
      for (unsigned k = 0; k < SB_MAX_STATUS; k++)
        all->status[k] += s->status[k];
      for (unsigned k = 0; k < SB_ERR_N; k++)
        all->errors[k] += s->errors[k];
      for (size_t k = 0; k < s->n_lat; k++)
        sb_stats_latency (all, (int64_t) s->lat[k] * 1000);
    }
  qsort (all->lat, all->n_lat, sizeof *all->lat, compare_u32);
}

/* "errors":{...} and a human summary of the same. */
static void
append_errors (const SbStats *s,
               GString       *json,
               GString       *human)
{
  bool any = false;

  g_string_append (json, "\"errors\":{");
  for (unsigned k = 0; k < SB_MAX_STATUS; k++)
    if (s->status[k] > 0)
      {
        g_string_append_printf (json, "%s\"%u\":%" G_GUINT64_FORMAT, any ? "," : "", k, s->status[k]);
        g_string_append_printf (human, "%s%u×%" G_GUINT64_FORMAT, any ? ", " : "", k, s->status[k]);
        any = true;
      }
  for (unsigned k = 0; k < SB_ERR_N; k++)
    if (s->errors[k] > 0)
      {
        g_string_append_printf (json, "%s\"%s\":%" G_GUINT64_FORMAT, any ? "," : "",
                                sb_error_names[k], s->errors[k]);
        g_string_append_printf (human, "%s%s×%" G_GUINT64_FORMAT, any ? ", " : "",
                                sb_error_names[k], s->errors[k]);
        any = true;
      }
  g_string_append (json, "}");
  if (!any)
    g_string_append (human, "none");
}

static void
append_pids (const SbOptions *o,
             GString         *json)
{
  g_string_append (json, "\"pids\":[");
  for (unsigned i = 0; i < o->n_pids; i++)
    g_string_append_printf (json, "%s%d", i ? "," : "", (int) o->pids[i]);
  g_string_append (json, "]");
}

typedef struct
{
  double setup_s;
  double window_s;
  double server_cpu_s;          /* NAN when unknown */
  double server_sys_s;          /* the kernel's part of it */
  double client_cpu_s;
  double other_cpu_s;           /* everybody else's, NAN when unknown */
  uint64_t pss_before;          /* KiB, 0 when unknown */
  uint64_t pss_after;
  unsigned registered;
  unsigned failed;
} SbMeasure;

static const char *const mode_names[] = { "register", "call", "hold", "startup" };

static void
report_hold (const SbOptions *o,
             const SbMeasure *m,
             GString         *json,
             GString         *human)
{
  double per_conn = m->registered && m->pss_before && m->pss_after >= m->pss_before
                      ? (double) (m->pss_after - m->pss_before) * 1024.0 / m->registered
                      : NAN;

  g_string_append_printf (json, ",\"pss_kib_before\":%" G_GUINT64_FORMAT
                          ",\"pss_kib_after\":%" G_GUINT64_FORMAT, m->pss_before, m->pss_after);
  if (!isnan (per_conn))
    g_string_append_printf (json, ",\"bytes_per_connection\":%.0f", per_conn);
  if (!isnan (m->server_cpu_s))
    g_string_append_printf (json, ",\"idle_cpu_s\":%.3f", m->server_cpu_s);
  g_string_append_printf (json, "},\"hold_s\":%.1f,\"client_cpu_s\":%.3f}", m->window_s,
                          m->client_cpu_s);

  g_string_append_printf (human, "hold      %s: %u/%u connections registered in %.1f s, "
                          "held %.0f s; server PSS %" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT
                          " KiB", o->url, m->registered, o->connections, m->setup_s,
                          m->window_s, m->pss_before, m->pss_after);
  if (!isnan (per_conn))
    g_string_append_printf (human, " = %.0f bytes per connection", per_conn);
}

static void
report_load (const SbOptions *o,
             const SbStats   *s,
             const SbMeasure *m,
             GString         *json,
             GString         *human)
{
  bool calls = o->mode == SB_MODE_CALL;
  unsigned window = calls ? 1 : o->window;
  double rate = s->ok / m->window_s;
  double us_per_op = !isnan (m->server_cpu_s) && s->ok ? m->server_cpu_s * 1e6 / s->ok : NAN;
  double p50 = percentile_ms (s->lat, s->n_lat, 0.50);
  double p90 = percentile_ms (s->lat, s->n_lat, 0.90);
  double p99 = percentile_ms (s->lat, s->n_lat, 0.99);

  if (!isnan (m->server_cpu_s))
    g_string_append_printf (json, ",\"cpu_s\":%.3f,\"cpu_sys_s\":%.3f,\"cpu_util\":%.3f",
                            m->server_cpu_s, m->server_sys_s, m->server_cpu_s / m->window_s);
  if (!isnan (us_per_op))
    g_string_append_printf (json, ",\"cpu_us_per_op\":%.2f", us_per_op);
  if (m->pss_after)
    g_string_append_printf (json, ",\"pss_kib\":%" G_GUINT64_FORMAT, m->pss_after);
  g_string_append_printf (json, "},\"window\":%u,\"duration_s\":%.3f,\"ok\":%" G_GUINT64_FORMAT
                          ",\"ok_total\":%" G_GUINT64_FORMAT ",\"rate\":%.1f,"
                          "\"lat_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
                          "\"sent\":%" G_GUINT64_FORMAT ",\"received\":%" G_GUINT64_FORMAT
                          ",\"client_cpu_s\":%.3f",
                          window, m->window_s, s->ok, s->ok_total, rate, p50, p90, p99,
                          percentile_ms (s->lat, s->n_lat, 1.0), s->sent, s->received,
                          m->client_cpu_s);
  if (!isnan (m->other_cpu_s))
    g_string_append_printf (json, ",\"other_cpu_s\":%.3f", m->other_cpu_s);
  g_string_append (json, "}");

  g_string_append_printf (human, "%-9s %s: %u conns, window %u: %.0f %s/s (%" G_GUINT64_FORMAT
                          " in %.1f s), latency p50 %.2f ms p90 %.2f ms p99 %.2f ms",
                          mode_names[o->mode], o->url, o->connections, window, rate,
                          calls ? "calls" : "REGISTER", s->ok, m->window_s, p50, p90, p99);
  if (!isnan (us_per_op))
    g_string_append_printf (human, ", server CPU %.1f µs/%s (%.0f%% kernel; %.0f%% of a core)",
                            us_per_op, calls ? "call" : "op",
                            100 * m->server_sys_s / m->server_cpu_s,
                            100 * m->server_cpu_s / m->window_s);
  if (m->pss_after)
    g_string_append_printf (human, ", PSS %" G_GUINT64_FORMAT " KiB", m->pss_after);
  /* Measurements taken next to somebody else's load are suspect: say so. */
  if (!isnan (m->other_cpu_s) && m->other_cpu_s / m->window_s > 0.1)
    g_string_append_printf (human, "; other processes used %.0f%% of a core",
                            100 * m->other_cpu_s / m->window_s);
}

/* One human line, then one JSON line. */
static void
report (const SbOptions *o,
        const SbStats   *s,
        const SbMeasure *m)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GString) human = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);

  g_string_append_printf (json, "{\"tool\":\"sws-bench\",\"mode\":\"%s\",\"label\":\"%s\","
                          "\"url\":\"%s\",\"connections\":%u,\"registered\":%u,\"failed\":%u,"
                          "\"threads\":%u,\"sources\":%u,\"setup_s\":%.3f,",
                          mode_names[o->mode], o->label ? o->label : "", o->url,
                          o->connections, m->registered, m->failed, o->threads, o->sources,
                          m->setup_s);
  append_errors (s, json, errors);
  g_string_append (json, ",\"server\":{");
  append_pids (o, json);
  if (o->mode == SB_MODE_HOLD)
    report_hold (o, m, json, human);
  else
    report_load (o, s, m, json, human);
  printf ("%s; errors: %s\n%s\n", human->str, errors->str, json->str);
  fflush (stdout);
}

/* ---- the run ------------------------------------------------------------ */

static void
raise_fd_limit (const SbOptions *o)
{
  struct rlimit rl;
  rlim_t need = o->connections + 64;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return;
  rl.rlim_cur = rl.rlim_max;
  setrlimit (RLIMIT_NOFILE, &rl);
  if (rl.rlim_max < need)
    fprintf (stderr, "sws-bench: warning: the open-file hard limit is %llu, below the %llu "
             "this run needs; some connections will fail (raise it with ulimit -Hn as root)\n",
             (unsigned long long) rl.rlim_max, (unsigned long long) need);
}

static SbWorker **
make_workers (const SbOptions *o,
              SbShared        *shared)
{
  SbWorker **workers = calloc (o->threads, sizeof *workers);
  unsigned per_pair = o->mode == SB_MODE_CALL ? 2 : 1;
  unsigned units = o->connections / per_pair;

  for (unsigned t = 0; t < o->threads; t++)
    {
      SbWorker *w = calloc (1, sizeof *w);
      unsigned mine = units / o->threads + (t < units % o->threads);

      w->id = t;
      w->shared = shared;
      w->opts = o;
      w->epfd = epoll_create1 (EPOLL_CLOEXEC);
      w->n_conns = mine * per_pair;
      w->conns = calloc (w->n_conns ? w->n_conns : 1, sizeof *w->conns);
      w->dirty = calloc (w->n_conns + 1, sizeof *w->dirty);
      w->rng = 0x9e3779b97f4a7c15ULL ^ ((uint64_t) getpid () << 16) ^ (t + 1) ^ (uint64_t) sb_now ();
      w->seen_phase = SB_PHASE_SETUP;
      /* Unit u of this thread is global unit t + u * threads. */
      for (unsigned u = 0; u < mine; u++)
        for (unsigned k = 0; k < per_pair; k++)
          {
            SbConn *c = &w->conns[u * per_pair + k];

            c->fd = -1;
            c->index = o->first + (t + u * o->threads) * per_pair + k;
            c->sent_at = calloc (o->mode == SB_MODE_REGISTER ? o->window : 1, sizeof (int64_t));
          }
      if (o->mode == SB_MODE_CALL)
        for (unsigned u = 0; u < mine; u++)
          {
            SbConn *caller = &w->conns[2 * u], *callee = &w->conns[2 * u + 1];

            caller->peer = callee;
            callee->peer = caller;
            caller->caller = calloc (1, sizeof (SbCaller));
            callee->callee = calloc (1, sizeof (SbCallee));
          }
      workers[t] = w;
    }
  return workers;
}

static void
free_workers (SbWorker **workers,
              unsigned   n)
{
  for (unsigned t = 0; t < n; t++)
    {
      SbWorker *w = workers[t];

      for (unsigned i = 0; i < w->n_conns; i++)
        {
          free (w->conns[i].sent_at);
          free (w->conns[i].caller);
          free (w->conns[i].callee);
        }
      close (w->epfd);
      free (w->conns);
      free (w->dirty);
      free (w->stats.lat);
      free (w);
    }
  free (workers);
}

/* User and system seconds of the server's processes; NAN when unknown. */
static void
server_cpu (const SbOptions *o,
            double          *user,
            double          *sys)
{
  if (o->n_pids == 0 || !sb_proc_cpu (o->pids, o->n_pids, user, sys))
    *user = *sys = NAN;
}

static uint64_t
server_pss (const SbOptions *o)
{
  uint64_t kib;

  return o->n_pids > 0 && sb_proc_pss (o->pids, o->n_pids, &kib) ? kib : 0;
}

static int
run (SbOptions *o)
{
  SbShared shared = { 0 };
  SbWorker **workers;
  SbStats all;
  SbMeasure m = { 0 };
  int64_t t0, t1, deadline, next_note;
  double cpu0, cpu1, sys0, sys1, self0, busy0 = NAN, busy1 = NAN;

  shared.opts = o;
  atomic_store (&shared.phase, SB_PHASE_SETUP);
  m.pss_before = server_pss (o);
  workers = make_workers (o, &shared);
  for (unsigned t = 0; t < o->threads; t++)
    pthread_create (&workers[t]->thread, NULL, sb_worker_main, workers[t]);

  /* Setup: everyone connected and registered (or failed). */
  t0 = sb_now ();
  deadline = t0 + (int64_t) (o->setup_timeout * 1e9);
  next_note = t0 + 5000000000LL;
  while (!interrupted && sb_now () < deadline &&
         atomic_load (&shared.registered) + atomic_load (&shared.failed) < o->connections)
    {
      sleep_until (sb_now () + 5000000);
      if (sb_now () > next_note)
        {
          fprintf (stderr, "sws-bench: %u registered, %u failed of %u\n",
                   atomic_load (&shared.registered), atomic_load (&shared.failed), o->connections);
          next_note += 5000000000LL;
        }
    }
  m.setup_s = (double) (sb_now () - t0) / 1e9;
  m.registered = atomic_load (&shared.registered);
  m.failed = o->connections - m.registered;

  if (o->mode == SB_MODE_HOLD)
    {
      /* Let the server settle (deferred frees, first pings) before reading. */
      sleep_until (sb_now () + 1000000000LL);
      m.pss_after = server_pss (o);
      if (o->ready_file != NULL)
        {
          g_autofree char *count = g_strdup_printf ("%u\n", m.registered);

          /* Written whole and renamed into place: a reader never sees half. */
          g_file_set_contents (o->ready_file, count, -1, NULL);
        }
      fprintf (stderr, "sws-bench: holding %u registered connections\n", m.registered);
      atomic_store (&shared.phase, SB_PHASE_RUN);
      server_cpu (o, &cpu0, &sys0);
      self0 = cpu_self ();
      t0 = sb_now ();
      sleep_until (t0 + (int64_t) (o->hold * 1e9));
      t1 = sb_now ();
      server_cpu (o, &cpu1, &sys1);
    }
  else
    {
      atomic_store (&shared.phase, SB_PHASE_RUN);
      sleep_until (sb_now () + (int64_t) (o->warmup * 1e9));
      t0 = sb_now ();
      server_cpu (o, &cpu0, &sys0);
      self0 = cpu_self ();
      if (!sb_proc_busy (&busy0))
        busy0 = NAN;
      atomic_store (&shared.measure_start, t0);
      sleep_until (t0 + (int64_t) (o->duration * 1e9));
      t1 = sb_now ();
      atomic_store (&shared.measure_end, t1);
      server_cpu (o, &cpu1, &sys1);
      if (!sb_proc_busy (&busy1))
        busy1 = NAN;
      m.pss_after = server_pss (o);
      atomic_store (&shared.phase, SB_PHASE_STOP);
      sleep_until (sb_now () + 500000000LL);
    }
  m.client_cpu_s = cpu_self () - self0;
  /* Whatever else ran: the machine's busy time minus the server's and ours. */
  m.other_cpu_s = MAX (0.0, (busy1 - busy0) - (cpu1 + sys1 - cpu0 - sys0) - m.client_cpu_s);
  m.window_s = (double) (t1 - t0) / 1e9;
  m.server_cpu_s = (cpu1 + sys1) - (cpu0 + sys0);
  m.server_sys_s = sys1 - sys0;

  atomic_store (&shared.quit_deadline, sb_now () + 2000000000LL);
  atomic_store (&shared.phase, SB_PHASE_QUIT);
  for (unsigned t = 0; t < o->threads; t++)
    pthread_join (workers[t]->thread, NULL);

  merge_stats (workers, o->threads, &all);
  report (o, &all, &m);
  free_workers (workers, o->threads);
  free (all.lat);

  if (o->mode == SB_MODE_HOLD)
    return m.registered >= MAX (o->min_ok, 1) ? 0 : 1;
  return all.ok >= o->min_ok ? 0 : 1;
}

/* --spawn: start the server on a free port and measure it. */
static pid_t
spawn_server (SbOptions *o)
{
  unsigned port = sb_free_port ();
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/", port);
  g_autoptr(GError) error = NULL;
  int64_t at;
  pid_t pid;

  if (port == 0 || !parse_url (o, url, &error))
    return -1;
  pid = sb_spawn (o->spawn_argv, port, o->spawn_log);
  if (pid <= 0 || !sb_wait_accepting (&o->addr, pid, 10.0, &at))
    {
      fprintf (stderr, "sws-bench: %s did not start accepting on port %u\n", o->spawn_argv[0], port);
      sb_stop_server (pid);
      return -1;
    }
  if (o->n_pids < SB_MAX_PIDS)
    o->pids[o->n_pids++] = pid;
  return pid;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  SbOptions opts = { 0 };
  struct sigaction sa = { 0 };
  pid_t spawned = -1;
  int status;

  if (!parse_options (&opts, &argc, &argv, &error))
    {
      fprintf (stderr, "sws-bench: %s\n", error->message);
      return 2;
    }

  signal (SIGPIPE, SIG_IGN);
  sa.sa_handler = on_signal;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);

  if (opts.mode == SB_MODE_STARTUP)
    status = sb_run_startup (&opts);
  else
    {
      raise_fd_limit (&opts);
      if (opts.spawn_argv != NULL && (spawned = spawn_server (&opts)) < 0)
        status = 1;
      else
        {
          status = run (&opts);
          sb_stop_server (spawned);
        }
    }
  /* freed so that a leak check (tools/asan) sees nothing left */
  g_free (opts.ready_file);
  g_free (opts.label);
  g_free (opts.spawn_log);
  g_strfreev (opts.spawn_argv);
  return status;
}
