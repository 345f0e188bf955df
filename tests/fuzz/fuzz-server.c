/* fuzz-server.c: the whole message path, several flows, one input at a time
 *
 * Each input is a short conversation: SIP messages separated by "%%%"
 * (never found in SIP text, where '%' starts a hex escape), handed to
 * sws_server_handle_message() on three flows in turn, as WebSocket
 * messages would be. Two pseudo-messages let the fuzzer change the
 * flows' lives too:
 *
 *   !close    the flow whose turn it is closes; a new flow takes its place
 *   !timers   time jumps ahead by hours: every pending timer fires
 *
 * and placeholders let it answer what the proxy sent, whose branch it
 * could never guess: "$H" in a message stands for the Via, Record-Route,
 * From, To, Call-ID and CSeq lines of the last request the server sent on
 * that flow, To with ";tag=fz<N>" (N: the flow's turn) when it had none,
 * as a user agent copies them into a response (RFC 3261 §8.2.6.2, §12.1.1);
 * "$V" for its Via lines only, "$I" for the lines of the last INVITE (the
 * 487 that follows a CANCEL answers the INVITE). "$R" stands for Route
 * lines made of the Record-Route of the last message sent on the flow
 * that had one, the route set of a dialog (§12.1.1, §12.1.2), so that
 * in-dialog requests carry the proxy's flow token, which it signs.
 * Randomness is seeded per input, so tags and branches repeat too.
 *
 * The server is new for every input (a default SwsConfig, no sockets),
 * so that an input replays the same way each time and nothing from one
 * input grows the next one's memory. At the end of an input the flows
 * close and time jumps ahead; then no call may be active, no binding and
 * no timer left, every message the server sent must parse, and the
 * server must be finalized when its last reference goes.
 */

#define _GNU_SOURCE   /* memmem */

#include <string.h>

#include "sws-fake-connection.h"
#include "sws-fuzz.h"
#include "sws-server.h"

#define SEPARATOR "%%%"
#define N_FLOWS 3
/* Bounds one input's work whatever its length: libFuzzer's -max_len
 * already caps inputs; this caps the messages cut from them. */
#define MAX_MESSAGES 64

static SwsConfig *config;

typedef struct {
  SwsServer *server;
  SwsConnection *flows[N_FLOWS];
  GPtrArray *closed;   /* flows closed during the input, checked at the end */
  guint next_ip;
} Conversation;

static SwsConnection *
new_flow (Conversation *c)
{
  /* TEST-NET-1 addresses, one per flow, as the transport would fill in */
  g_autofree char *ip = g_strdup_printf ("192.0.2.%u", 1 + c->next_ip++ % 250);
  SwsConnection *flow = sws_fake_connection_new (ip, (guint16) (40000 + c->next_ip));

  sws_server_adopt_connection (c->server, flow);
  return flow;
}

/* The server answers a request that lacks From, To, Call-ID or CSeq with
 * a 400 (RFC 4475 §3.1.2.4 insuf, and others): the answer copies what
 * there is, so it lacks the same, but it carries the Via a client matches
 * it by (§17.1.3). */
static gboolean
is_own_error_reply (const SwsSipMessage *msg)
{
  const SwsHeader *server;

  if (msg == NULL || msg->is_request || msg->status < 400 ||
      sws_sip_message_find (msg, SWS_HDR_VIA) == NULL)
    return FALSE;
  server = sws_sip_message_find (msg, SWS_HDR_SERVER);
  return server != NULL && server->value.len > 6 && memcmp (server->value.p, "sipws/", 6) == 0;
}

/* Everything else the server sends goes to a SIP peer that parses it. */
static void
check_sent (SwsConnection *flow)
{
  GPtrArray *sent = sws_fake_connection_sent (SWS_FAKE_CONNECTION (flow));

  for (guint i = 0; i < sent->len; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (sent->pdata[i], &len);
      g_autoptr(SwsSipMessage) msg = NULL;
      g_autoptr(GError) error = NULL;

      if (g_getenv ("SWS_FUZZ_VERBOSE") != NULL)
        g_printerr ("---- to %s\n%.*s\n", sws_connection_get_remote_address (flow), (int) len, data);
      if (len == 2 && memcmp (data, "\r\n", 2) == 0)   /* keepalive pong */
        continue;
      if (sws_sip_message_parse (sent->pdata[i], &msg, &error) || is_own_error_reply (msg))
        continue;
      g_error ("the server sent a message that does not parse (%d %s):\n%.*s",
               error->code, error->message, (int) len, data);
    }
}

static void
jump_ahead (Conversation *c)
{
  /* A timer that fires may start another (Timer C's CANCEL starts
   * Timer F...): a few rounds, each an hour later than the last. */
  for (guint round = 1; round <= 4 && sws_server_get_timer_count (c->server) > 0; round++)
    sws_server_run_timers_at (c->server,
                              g_get_monotonic_time () + round * G_TIME_SPAN_HOUR);
}

/* The lines of the last request sent on `flow` that a response copies:
 * `what` is the placeholder's letter. */
static void
append_response_lines (GString *out, SwsConnection *flow, guint i, char what)
{
  gboolean via_only = what == 'V';
  GPtrArray *sent = sws_fake_connection_sent (SWS_FAKE_CONNECTION (flow));

  for (guint k = sent->len; k > 0; k--)
    {
      g_autoptr(SwsSipMessage) req = NULL;

      if (!sws_sip_message_parse (sent->pdata[k - 1], &req, NULL) || !req->is_request ||
          (what == 'I' && req->method != SWS_METHOD_INVITE))
        continue;
      for (guint h = 0; h < req->n_headers; h++)
        {
          const SwsHeader *hdr = &req->headers[h];

          if (via_only && hdr->id != SWS_HDR_VIA)
            continue;
          switch (hdr->id)
            {
            case SWS_HDR_VIA:
            case SWS_HDR_RECORD_ROUTE:
            case SWS_HDR_FROM:
            case SWS_HDR_TO:
            case SWS_HDR_CALL_ID:
            case SWS_HDR_CSEQ:
              g_string_append_len (out, hdr->name.p, (gssize) hdr->name.len);
              g_string_append (out, ": ");
              g_string_append_len (out, hdr->value.p, (gssize) hdr->value.len);
              if (hdr->id == SWS_HDR_TO && !SWS_STR_IS_SET (req->to.tag))
                g_string_append_printf (out, ";tag=fz%u", i);
              g_string_append (out, "\r\n");
              break;
            default:
              break;
            }
        }
      return;
    }
}

/* Route lines from the Record-Route of the last message sent on `flow`
 * that had one: reversed when it was a response (the caller's view), in
 * order when a request (the callee's). */
static void
append_route_set (GString *out, SwsConnection *flow)
{
  GPtrArray *sent = sws_fake_connection_sent (SWS_FAKE_CONNECTION (flow));

  for (guint k = sent->len; k > 0; k--)
    {
      g_autoptr(SwsSipMessage) msg = NULL;
      g_autoptr(GPtrArray) values = NULL;
      SwsValueIter iter;
      SwsStr value;

      if (!sws_sip_message_parse (sent->pdata[k - 1], &msg, NULL) ||
          sws_sip_message_find (msg, SWS_HDR_RECORD_ROUTE) == NULL)
        continue;
      values = g_ptr_array_new ();
      sws_value_iter_init (&iter, msg, SWS_HDR_RECORD_ROUTE);
      while (sws_value_iter_next (&iter, &value))
        {
          g_autofree char *line = g_strdup_printf ("Route: %.*s\r\n", (int) value.len, value.p);

          if (msg->is_request)
            g_string_append (out, line);
          else
            g_ptr_array_insert (values, 0, g_steal_pointer (&line));
        }
      for (guint v = 0; v < values->len; v++)
        {
          g_string_append (out, values->pdata[v]);
          g_free (values->pdata[v]);
        }
      return;
    }
}

static const char *
find_placeholder (const char *p, const char *end)
{
  for (const char *at = p; (at = memchr (at, '$', (gsize) (end - at))) != NULL; at++)
    if (at + 1 < end && strchr ("HVIR", at[1]) != NULL && at[1] != '\0')
      return at;
  return NULL;
}

static GBytes *
expand (Conversation *c, guint i, const char *p, gsize len)
{
  const char *end = p + len, *at;
  GString *out;

  if (len == 0 || (at = find_placeholder (p, end)) == NULL)
    return g_bytes_new (p, len);
  out = g_string_sized_new (len + 512);
  while (at != NULL)
    {
      g_string_append_len (out, p, at - p);
      if (at[1] == 'R')
        append_route_set (out, c->flows[i]);
      else
        append_response_lines (out, c->flows[i], i, at[1]);
      p = at + 2;
      at = find_placeholder (p, end);
    }
  g_string_append_len (out, p, end - p);
  return g_string_free_to_bytes (out);
}

static void
handle (Conversation *c, guint turn, const char *p, gsize len)
{
  guint i = turn % N_FLOWS;

  if (len == 6 && memcmp (p, "!close", 6) == 0)
    {
      sws_connection_close (c->flows[i], 1000, NULL);
      g_ptr_array_add (c->closed, c->flows[i]);
      c->flows[i] = new_flow (c);
    }
  else if (len == 7 && memcmp (p, "!timers", 7) == 0)
    jump_ahead (c);
  else
    {
      g_autoptr(GBytes) bytes = expand (c, i, p, len);

      sws_server_handle_message (c->server, c->flows[i], bytes);
      /* timers due right away (a call's linger of 0, ...) */
      sws_server_run_timers (c->server);
    }
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  sws_fuzz_init_logging ();
  config = sws_config_new ();
  if (!sws_config_validate (config, &error))
    g_error ("the default configuration does not validate: %s", error->message);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Conversation c = { 0 };
  const char *p = (const char *) data, *end = p + size;
  gpointer server_alive;
  guint turn = 0;

  g_random_set_seed (5066);
  c.server = sws_server_new (config);
  c.closed = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_FLOWS; i++)
    c.flows[i] = new_flow (&c);

  while (p <= end && turn < MAX_MESSAGES)
    {
      const char *sep = size > 0 ? memmem (p, (gsize) (end - p), SEPARATOR,
                                           strlen (SEPARATOR)) : NULL;
      const char *stop = sep != NULL ? sep : end;

      handle (&c, turn++, p, (gsize) (stop - p));
      if (sep == NULL)
        break;
      p = sep + strlen (SEPARATOR);
    }

  /* Everything ends: flows close, time passes. */
  for (guint i = 0; i < N_FLOWS; i++)
    {
      sws_connection_close (c.flows[i], 1000, NULL);
      g_ptr_array_add (c.closed, c.flows[i]);
    }
  jump_ahead (&c);
  g_assert_cmpuint (sws_proxy_get_active_call_count (sws_server_get_proxy (c.server)), ==, 0);
  g_assert_cmpuint (sws_registrar_get_count (sws_server_get_registrar (c.server)), ==, 0);
  g_assert_cmpuint (sws_server_get_timer_count (c.server), ==, 0);

  for (guint i = 0; i < c.closed->len; i++)
    check_sent (c.closed->pdata[i]);

  server_alive = c.server;
  g_object_add_weak_pointer (G_OBJECT (c.server), &server_alive);
  g_object_unref (c.server);
  g_assert_null (server_alive);
  g_ptr_array_unref (c.closed);
  return 0;
}
