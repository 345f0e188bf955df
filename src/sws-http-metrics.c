/* sws-http-metrics.c: GET /metrics in the Prometheus text exposition format
 *
 * Everything is read when scraped from counters the daemon keeps anyway;
 * nothing here runs per SIP message. Names follow Prometheus conventions:
 * sipws_ prefix, _total for counters, base units; the process_ family is
 * the standard one, so existing dashboards work.
 */

#define G_LOG_DOMAIN "sws-http"

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sws-http-metrics.h"

static void
family (GString    *out,
        const char *name,
        const char *type,
        const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
sample (GString    *out,
        const char *name,
        const char *labels,
        guint64     value)
{
  if (labels != NULL)
    g_string_append_printf (out, "%s{%s} %" G_GUINT64_FORMAT "\n", name, labels, value);
  else
    g_string_append_printf (out, "%s %" G_GUINT64_FORMAT "\n", name, value);
}

static void
sample_double (GString    *out,
               const char *name,
               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Locale-independent: a decimal comma would break every parser. */
  g_string_append_printf (out, "%s %s\n", name, g_ascii_dtostr (buf, sizeof buf, value));
}

static void
sip_by_method (GString           *out,
               const char        *name,
               const char        *help,
               const SwsSipStats *stats)
{
  family (out, name, "counter", help);
  for (guint m = 1; m < SWS_SIP_STATS_N_METHODS; m++)
    {
      g_autofree char *labels = g_strdup_printf ("method=\"%s\"", sws_method_to_string (m));

      sample (out, name, labels, stats->requests[m]);
    }
  sample (out, name, "method=\"other\"", stats->requests[SWS_METHOD_UNKNOWN]);
}

static void
sip_by_class (GString           *out,
              const char        *name,
              const char        *help,
              const SwsSipStats *stats)
{
  family (out, name, "counter", help);
  for (guint c = 1; c <= 6; c++)
    {
      g_autofree char *labels = g_strdup_printf ("class=\"%uxx\"", c);

      sample (out, name, labels, stats->responses[c]);
    }
}

static void
calls_by_state (GString  *out,
                SwsProxy *proxy)
{
  static const SwsCallState states[] = {
    SWS_CALL_STATE_DIALING, SWS_CALL_STATE_RINGING_OUT, SWS_CALL_STATE_ACTIVE,
    SWS_CALL_STATE_HELD, SWS_CALL_STATE_TERMINATED,
  };
  static const char *const names[] = {
    "dialing", "ringing-out", "active", "held", "terminated",
  };
  g_autoptr(GPtrArray) calls = sws_proxy_list_calls (proxy);
  guint64 counts[G_N_ELEMENTS (states)] = { 0 };

  for (guint i = 0; i < calls->len; i++)
    for (guint s = 0; s < G_N_ELEMENTS (states); s++)
      if (sws_call_get_state (calls->pdata[i]) == states[s])
        counts[s]++;

  family (out, "sipws_calls", "gauge",
          "Calls by state; terminated ones are listed for call-linger seconds.");
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autofree char *labels = g_strdup_printf ("state=\"%s\"", names[s]);

      sample (out, "sipws_calls", labels, counts[s]);
    }
}

/* Resident and virtual size from /proc/self/statm (pages). */
static gboolean
read_memory (guint64 *resident,
             guint64 *virtual)
{
  g_autofree char *text = NULL;
  guint64 size = 0, rss = 0;
  long page = sysconf (_SC_PAGESIZE);

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL) ||
      sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &size, &rss) != 2)
    return FALSE;
  *virtual = size * (guint64) page;
  *resident = rss * (guint64) page;
  return TRUE;
}

static guint64
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint64 n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  /* Not counting the descriptor of the listing itself. */
  return n > 0 ? n - 1 : 0;
}

static void
process_metrics (GString   *out,
                 SwsServer *server)
{
  struct rusage usage;
  struct rlimit limit;
  guint64 resident, virtual;

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    {
      family (out, "process_cpu_seconds_total", "counter",
              "User and system CPU time spent in seconds.");
      sample_double (out, "process_cpu_seconds_total",
                     usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
    }
  if (read_memory (&resident, &virtual))
    {
      family (out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
      sample (out, "process_resident_memory_bytes", NULL, resident);
      family (out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
      sample (out, "process_virtual_memory_bytes", NULL, virtual);
    }
  family (out, "process_open_fds", "gauge", "Number of open file descriptors.");
  sample (out, "process_open_fds", NULL, count_open_fds ());
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    {
      family (out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
      sample (out, "process_max_fds", NULL, (guint64) limit.rlim_cur);
    }
  family (out, "process_start_time_seconds", "gauge",
          "Start time of the process since unix epoch in seconds.");
  sample (out, "process_start_time_seconds", NULL,
          (guint64) (sws_server_get_start_time (server) / G_USEC_PER_SEC));
}

char *
sws_http_metrics_render (SwsServer *server,
                         guint      event_streams)
{
  GString *out = g_string_sized_new (8192);
  SwsSipStats received, sent;
  SwsTransport *transport = sws_server_get_transport (server);
  SwsProxy *proxy = sws_server_get_proxy (server);

  sws_server_get_sip_stats (server, &received, &sent);

  family (out, "sipws_build_info", "gauge", "Version of sipwsd; the value is always 1.");
  sample (out, "sipws_build_info", "version=\"" PACKAGE_VERSION "\"", 1);

  family (out, "sipws_connections", "gauge", "Open WebSocket SIP flows.");
  sample (out, "sipws_connections", NULL, sws_server_get_connection_count (server));
  family (out, "sipws_connections_rejected_total", "counter",
          "WebSocket handshakes refused (no sip subprotocol, origin, limits).");
  sample (out, "sipws_connections_rejected_total", NULL,
          sws_transport_get_rejected_count (transport));

  family (out, "sipws_registrations", "gauge", "Contact bindings.");
  sample (out, "sipws_registrations", NULL,
          sws_registrar_get_count (sws_server_get_registrar (server)));
  calls_by_state (out, proxy);
  family (out, "sipws_transactions", "gauge", "Proxy transactions in progress.");
  sample (out, "sipws_transactions", NULL, sws_proxy_get_transaction_count (proxy));

  family (out, "sipws_sip_messages_received_total", "counter",
          "SIP messages received, malformed ones and keepalives included.");
  sample (out, "sipws_sip_messages_received_total", NULL,
          sws_server_get_messages_received (server));
  family (out, "sipws_sip_messages_sent_total", "counter", "SIP messages sent.");
  sample (out, "sipws_sip_messages_sent_total", NULL, sws_server_get_messages_sent (server));
  sip_by_method (out, "sipws_sip_requests_received_total",
                 "Well-formed SIP requests received, by method.", &received);
  sip_by_class (out, "sipws_sip_responses_received_total",
                "Well-formed SIP responses received, by status class.", &received);
  sip_by_method (out, "sipws_sip_requests_sent_total",
                 "SIP requests sent (forwarded or the proxy's own), by method.", &sent);
  sip_by_class (out, "sipws_sip_responses_sent_total",
                "SIP responses sent (relayed or the server's own), by status class.", &sent);
  family (out, "sipws_sip_rate_limited_total", "counter",
          "SIP requests refused with 503 by the per-address rate limit.");
  sample (out, "sipws_sip_rate_limited_total", NULL, sws_server_get_rate_limited (server));
  family (out, "sipws_auth_failures_total", "counter",
          "Digest credentials that were wrong (password, user, nonce).");
  sample (out, "sipws_auth_failures_total", NULL, sws_server_get_auth_failures (server));
  family (out, "sipws_sip_parse_errors_total", "counter",
          "SIP messages that were malformed (answered with an error or dropped).");
  sample (out, "sipws_sip_parse_errors_total", NULL, sws_server_get_parse_errors (server));

  family (out, "sipws_http_event_streams", "gauge", "Open /api/v1/events streams.");
  sample (out, "sipws_http_event_streams", NULL, event_streams);

  process_metrics (out, server);
  return g_string_free (out, FALSE);
}
