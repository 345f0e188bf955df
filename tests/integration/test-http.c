/* test-http.c: the JSON API, event stream, metrics and page of the real daemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain HTTP on the SIP port, spoken to with libsoup's client while SIP
 * clients register and call over WebSockets on the same port.
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "sws-test-call.h"

#define TOKEN "0123456789abcdef-test-token"
#define METRICS_TOKEN "fedcba9876543210-metrics-token"

typedef struct
{
  guint status;
  char *body;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static char *
http_base (SwsTestDaemon *daemon)
{
  return g_strdup_printf ("http://127.0.0.1:%u", sws_test_daemon_get_port (daemon));
}

/* One request; `host` and `auth` replace the Host and Authorization
 * headers when not NULL. */
static Reply *
http_request (SwsTestDaemon *daemon,
              const char    *method,
              const char    *path,
              const char    *host,
              const char    *auth)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autofree char *base = http_base (daemon);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  if (host != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Host", host);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  /* An empty body (HEAD) is "", not NULL. */
  reply->body = g_bytes_get_size (body) > 0
                  ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
                  : g_strdup ("");
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static Reply *
http_get (SwsTestDaemon *daemon,
          const char    *path)
{
  return http_request (daemon, "GET", path, NULL, NULL);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* GET `path`, expect 200 and JSON. */
static JsonNode *
get_json (SwsTestDaemon *daemon,
          const char    *path)
{
  g_autoptr(Reply) reply = http_get (daemon, path);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  return parse_json (reply->body);
}

/* An error answer: the status, and the same status in the JSON body. */
static void
assert_json_error (Reply *reply,
                   guint  status)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *error;

  g_assert_cmpuint (reply->status, ==, status);
  node = parse_json (reply->body);
  error = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_nonnull (error);
  g_assert_cmpint (json_object_get_int_member (error, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
}

static JsonObject *
find_registration (JsonArray  *array,
                   const char *aor)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *reg = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (reg, "aor"), aor) == 0)
        return reg;
    }
  return NULL;
}

/* ---- JSON --------------------------------------------------------------- */

static void
test_http_status (SwsTestCallFixture *fixture,
                  gconstpointer       user_data)
{
  g_autoptr(JsonNode) node = get_json (fixture->daemon, "/api/v1/status");
  JsonObject *status = json_node_get_object (node);
  g_autofree char *listen = NULL;
  JsonArray *uris;

  g_assert_cmpstr (json_object_get_string_member (status, "path"), ==, "/org/sipws/Server1");
  g_assert_cmpstr (json_object_get_string_member (status, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpint (json_object_get_int_member (status, "uptime"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (status, "uptime"), <, 60);
  g_assert_cmpint (json_object_get_int_member (status, "start_time"), >, 0);
  uris = json_object_get_array_member (status, "listen_uris");
  g_assert_cmpuint (json_array_get_length (uris), ==, 1);
  listen = g_strdup_printf ("ws://127.0.0.1:%u", sws_test_daemon_get_port (fixture->daemon));
  g_assert_cmpstr (json_array_get_string_element (uris, 0), ==, listen);
  g_assert_cmpint (json_object_get_int_member (status, "registration_count"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (status, "connection_count"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (status, "call_count"), ==, 0);
  /* Two REGISTERs in, two 200s out. */
  g_assert_cmpint (json_object_get_int_member (status, "messages_received"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (status, "messages_sent"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (status, "parse_errors"), ==, 0);
}

static void
test_http_registrations (SwsTestCallFixture *fixture,
                         gconstpointer       user_data)
{
  g_autoptr(JsonNode) node = get_json (fixture->daemon, "/api/v1/registrations");
  g_autoptr(JsonNode) one = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autofree char *one_path = NULL;
  JsonArray *array = json_node_get_array (node);
  JsonObject *alice, *same;
  const char *path;
  gint64 now_us = g_get_real_time ();

  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  alice = find_registration (array, SWS_TEST_ALICE);
  g_assert_nonnull (alice);
  g_assert_nonnull (find_registration (array, SWS_TEST_BOB));

  /* Every property of the D-Bus Registration, in snake_case. */
  path = json_object_get_string_member (alice, "path");
  g_assert_true (g_str_has_prefix (path, "/org/sipws/Server1/Registration/"));
  g_assert_cmpstr (json_object_get_string_member (alice, "contact"), ==,
                   sws_test_call_contact (fixture->alice));
  g_assert_cmpstr (json_object_get_string_member (alice, "transport"), ==, "WS");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (alice, "remote_address"),
                                   "127.0.0.1:"));
  g_assert_cmpint (json_object_get_int_member (alice, "cseq"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (alice, "q"), ==, 1.0);
  g_assert_true (json_object_has_member (alice, "call_id"));
  g_assert_true (json_object_has_member (alice, "user_agent"));
  g_assert_true (json_object_has_member (alice, "instance_id"));
  g_assert_true (json_object_has_member (alice, "reg_id"));
  g_assert_cmpint (json_object_get_int_member (alice, "registered_at"), <=, now_us);
  /* Default expiry (600 s) from now, give or take the test's run time. */
  g_assert_cmpint (json_object_get_int_member (alice, "expires"), >, now_us + 590 * G_USEC_PER_SEC);
  g_assert_cmpint (json_object_get_int_member (alice, "expires"), <=, now_us + 601 * G_USEC_PER_SEC);

  /* One object by its number: the same JSON. */
  one_path = g_strconcat ("/api/v1/registrations/", strrchr (path, '/') + 1, NULL);
  one = get_json (fixture->daemon, one_path);
  same = json_node_get_object (one);
  g_assert_cmpstr (json_object_get_string_member (same, "path"), ==, path);
  g_assert_cmpstr (json_object_get_string_member (same, "aor"), ==, SWS_TEST_ALICE);

  missing = http_get (fixture->daemon, "/api/v1/registrations/999999");
  assert_json_error (missing, 404);
  bad = http_get (fixture->daemon, "/api/v1/registrations/alice");
  assert_json_error (bad, 404);
}

static JsonObject *
only_call (JsonNode *node)
{
  JsonArray *array = json_node_get_array (node);

  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return json_array_get_object_element (array, 0);
}

static void
test_http_calls (SwsTestCallFixture *fixture,
                 gconstpointer       user_data)
{
  g_autoptr(JsonNode) regs = get_json (fixture->daemon, "/api/v1/registrations");
  g_autoptr(JsonNode) empty = get_json (fixture->daemon, "/api/v1/calls");
  g_autoptr(JsonNode) during = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *one_path = NULL;
  g_auto(SwsTestCall) call = { 0 };
  JsonObject *alice = find_registration (json_node_get_array (regs), SWS_TEST_ALICE);
  JsonObject *bob = find_registration (json_node_get_array (regs), SWS_TEST_BOB);
  JsonObject *c;

  g_assert_cmpuint (json_array_get_length (json_node_get_array (empty)), ==, 0);

  sws_test_call_establish (fixture, &call);
  during = get_json (fixture->daemon, "/api/v1/calls");
  c = only_call (during);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (c, "path"),
                                   "/org/sipws/Server1/Call/"));
  g_assert_cmpstr (json_object_get_string_member (c, "call_id"), ==, call.call_id);
  g_assert_cmpstr (json_object_get_string_member (c, "caller"), ==, SWS_TEST_ALICE);
  g_assert_cmpstr (json_object_get_string_member (c, "callee"), ==, SWS_TEST_BOB);
  g_assert_cmpint (json_object_get_int_member (c, "state"), ==, 4);            /* active */
  g_assert_cmpint (json_object_get_int_member (c, "state_reason"), ==, 3);     /* accepted */
  g_assert_cmpint (json_object_get_int_member (c, "answer_time"), >=,
                   json_object_get_int_member (c, "start_time"));
  g_assert_cmpint (json_object_get_int_member (c, "end_time"), ==, 0);
  /* The parties' bindings, by the same paths as /api/v1/registrations. */
  g_assert_cmpstr (json_object_get_string_member (c, "caller_registration"), ==,
                   json_object_get_string_member (alice, "path"));
  g_assert_cmpstr (json_object_get_string_member (c, "callee_registration"), ==,
                   json_object_get_string_member (bob, "path"));
  status = get_json (fixture->daemon, "/api/v1/status");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status), "call_count"), ==, 1);

  sws_test_call_in_dialog (fixture, &call, FALSE, "BYE", NULL, NULL);
  after = get_json (fixture->daemon, "/api/v1/calls");
  c = only_call (after);
  g_assert_cmpint (json_object_get_int_member (c, "state"), ==, 7);            /* terminated */
  g_assert_cmpint (json_object_get_int_member (c, "state_reason"), ==, 4);     /* hung up */
  g_assert_cmpint (json_object_get_int_member (c, "terminated_by"), ==, 2);    /* callee */
  g_assert_cmpint (json_object_get_int_member (c, "end_time"), >=,
                   json_object_get_int_member (c, "answer_time"));

  one_path = g_strconcat ("/api/v1/calls/",
                          strrchr (json_object_get_string_member (c, "path"), '/') + 1, NULL);
  one = get_json (fixture->daemon, one_path);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (one), "call_id"), ==,
                   call.call_id);
  sws_test_call_expect_quiet (fixture);
}

/* ---- events ------------------------------------------------------------- */

typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  GDataInputStream *lines;
} EventStream;

static EventStream *
event_stream_open (SwsTestDaemon *daemon)
{
  EventStream *stream = g_new0 (EventStream, 1);
  g_autofree char *base = http_base (daemon);
  g_autofree char *url = g_strconcat (base, "/api/v1/events", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = NULL;

  /* Reads give up after 5 s: a missing event fails the test, no hang. */
  stream->session = soup_session_new_with_options ("timeout", 5, NULL);
  stream->msg = soup_message_new ("GET", url);
  body = soup_session_send (stream->session, stream->msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (stream->msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (stream->msg), NULL), ==,
                   "text/event-stream");
  stream->lines = g_data_input_stream_new (body);
  return stream;
}

static void
event_stream_close (EventStream *stream)
{
  g_input_stream_close (G_INPUT_STREAM (stream->lines), NULL, NULL);
  g_clear_object (&stream->lines);
  g_clear_object (&stream->msg);
  g_clear_object (&stream->session);
  g_free (stream);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EventStream, event_stream_close)

/* The next event's JSON, comments and ids skipped; asserts that every
 * event has an id. */
static JsonNode *
event_stream_next (EventStream *stream)
{
  gboolean had_id = FALSE;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (stream->lines, NULL, NULL,
                                                                  &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "id: "))
        had_id = TRUE;
      if (g_str_has_prefix (line, "data: "))
        {
          g_assert_true (had_id);
          return parse_json (line + strlen ("data: "));
        }
    }
}

/* Read the next event and check its name and, when given, one string
 * member of its object. */
static JsonNode *
expect_event (EventStream *stream,
              const char  *event,
              const char  *member,
              const char  *value)
{
  JsonNode *node = event_stream_next (stream);
  JsonObject *ev = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (ev, "event"), ==, event);
  g_assert_cmpint (json_object_get_int_member (ev, "time"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (ev, "path"), ==,
                   json_object_get_string_member (json_object_get_object_member (ev, "object"),
                                                  "path"));
  if (member != NULL)
    g_assert_cmpstr (json_object_get_string_member (ev, member), ==, value);
  return node;
}

static void
expect_call_state (EventStream *stream,
                   const char  *old_state,
                   const char  *new_state,
                   const char  *reason)
{
  g_autoptr(JsonNode) node = expect_event (stream, "call-state", "new_state", new_state);
  JsonObject *ev = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (ev, "old_state"), ==, old_state);
  g_assert_cmpstr (json_object_get_string_member (ev, "reason"), ==, reason);
}

static void
test_http_events (SwsTestCallFixture *fixture,
                  gconstpointer       user_data)
{
  g_autoptr(EventStream) stream = event_stream_open (fixture->daemon);
  g_autoptr(JsonNode) registered = NULL;
  g_autoptr(JsonNode) unregistered = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_auto(SwsTestCall) call = { 0 };
  SwsTestClient *carol = sws_test_client_new_for_daemon (fixture->daemon);
  JsonObject *ev;

  sws_test_call_register (carol, "sip:carol@example.com");
  registered = expect_event (stream, "registered", NULL, NULL);
  ev = json_node_get_object (registered);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ev, "object"),
                                                  "aor"), ==, "sip:carol@example.com");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (ev, "path"),
                                   "/org/sipws/Server1/Registration/"));

  /* A call's whole life, as `sipwsctl monitor` tells it. */
  sws_test_call_establish (fixture, &call);
  added = expect_event (stream, "call-added", NULL, NULL);
  ev = json_object_get_object_member (json_node_get_object (added), "object");
  g_assert_cmpstr (json_object_get_string_member (ev, "call_id"), ==, call.call_id);
  expect_call_state (stream, "dialing", "ringing-out", "outgoing-started");
  expect_call_state (stream, "ringing-out", "active", "accepted");
  sws_test_call_in_dialog (fixture, &call, TRUE, "BYE", NULL, NULL);
  expect_call_state (stream, "active", "terminated", "hung-up");

  /* Carol's WebSocket goes: her binding with it (RFC 7118 §5). */
  sws_test_client_free (carol);
  unregistered = expect_event (stream, "unregistered", "reason", "connection-closed");
  ev = json_object_get_object_member (json_node_get_object (unregistered), "object");
  g_assert_cmpstr (json_object_get_string_member (ev, "aor"), ==, "sip:carol@example.com");
  sws_test_call_expect_quiet (fixture);
}

/* ---- metrics ------------------------------------------------------------ */

/* Check the exposition format (every sample of a declared family, one
 * TYPE per family, no duplicate series) and index the samples. */
static GHashTable *
parse_metrics (const char *text)
{
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTable *samples = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRegex) sample_re = g_regex_new ("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? "
                                             "([0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?)$",
                                             0, 0, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_true (g_str_has_suffix (text, "\n"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      const char *line = lines[i];
      gsize key_len;

      if (*line == '\0')
        continue;
      if (g_str_has_prefix (line, "# TYPE "))
        {
          g_auto(GStrv) parts = g_strsplit (line + 7, " ", 2);

          g_assert_false (g_hash_table_contains (types, parts[0]));
          g_assert_true (g_strv_contains ((const char * const[]) { "counter", "gauge", NULL },
                                          parts[1]));
          g_hash_table_insert (types, g_strdup (parts[0]), g_strdup (parts[1]));
          continue;
        }
      if (g_str_has_prefix (line, "# HELP "))
        continue;
      if (!g_regex_match (sample_re, line, 0, &match))
        g_error ("not an exposition line: “%s”", line);
      name = g_match_info_fetch (match, 1);
      value = g_match_info_fetch (match, 4);
      g_assert_true (g_hash_table_contains (types, name));
      if (g_str_has_suffix (name, "_total"))
        g_assert_cmpstr (g_hash_table_lookup (types, name), ==, "counter");
      /* The series key: the line up to its value. */
      g_assert_nonnull (value);
      key_len = strlen (line) - strlen (value) - 1;
      g_assert_false (g_hash_table_contains (samples, line));
      g_hash_table_insert (samples, g_strndup (line, key_len), g_steal_pointer (&value));
    }
  return samples;
}

static double
metric (GHashTable *samples,
        const char *series)
{
  const char *value = g_hash_table_lookup (samples, series);

  if (value == NULL)
    g_error ("no sample %s", series);
  return g_ascii_strtod (value, NULL);
}

static void
test_http_metrics (SwsTestCallFixture *fixture,
                   gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GHashTable) samples = NULL;

  sws_test_call_establish (fixture, &call);

  reply = http_get (fixture->daemon, "/metrics");
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (reply->headers, "Content-Type"),
                                   "text/plain; version=0.0.4"));
  samples = parse_metrics (reply->body);

  g_assert_cmpfloat (metric (samples, "sipws_build_info{version=\"" PACKAGE_VERSION "\"}"), ==, 1);
  g_assert_cmpfloat (metric (samples, "sipws_connections"), ==, 2);
  g_assert_cmpfloat (metric (samples, "sipws_registrations"), ==, 2);
  g_assert_cmpfloat (metric (samples, "sipws_calls{state=\"active\"}"), ==, 1);
  g_assert_cmpfloat (metric (samples, "sipws_calls{state=\"dialing\"}"), ==, 0);
  /* In: 2 REGISTER, the INVITE, its ACK; 100, 180 and 200 from Bob. */
  g_assert_cmpfloat (metric (samples, "sipws_sip_requests_received_total{method=\"REGISTER\"}"), ==, 2);
  g_assert_cmpfloat (metric (samples, "sipws_sip_requests_received_total{method=\"INVITE\"}"), ==, 1);
  g_assert_cmpfloat (metric (samples, "sipws_sip_requests_received_total{method=\"ACK\"}"), ==, 1);
  g_assert_cmpfloat (metric (samples, "sipws_sip_responses_received_total{class=\"1xx\"}"), ==, 2);
  g_assert_cmpfloat (metric (samples, "sipws_sip_responses_received_total{class=\"2xx\"}"), ==, 1);
  /* Out: the INVITE and ACK to Bob; our 100 and the relayed 180 (not
   * Bob's 100, §16.7) to Alice; 2 × 200 for the REGISTERs and the
   * relayed 200. */
  g_assert_cmpfloat (metric (samples, "sipws_sip_requests_sent_total{method=\"INVITE\"}"), ==, 1);
  g_assert_cmpfloat (metric (samples, "sipws_sip_requests_sent_total{method=\"ACK\"}"), ==, 1);
  g_assert_cmpfloat (metric (samples, "sipws_sip_responses_sent_total{class=\"1xx\"}"), ==, 2);
  g_assert_cmpfloat (metric (samples, "sipws_sip_responses_sent_total{class=\"2xx\"}"), ==, 3);
  g_assert_cmpfloat (metric (samples, "sipws_sip_requests_sent_total{method=\"other\"}"), ==, 0);
  g_assert_cmpfloat (metric (samples, "sipws_sip_parse_errors_total"), ==, 0);
  g_assert_cmpfloat (metric (samples, "sipws_sip_messages_received_total"), ==, 7);
  g_assert_cmpfloat (metric (samples, "process_resident_memory_bytes"), >, 1000000);
  g_assert_cmpfloat (metric (samples, "process_cpu_seconds_total"), >, 0);
  g_assert_cmpfloat (metric (samples, "process_open_fds"), >=, 4);
  g_assert_cmpfloat (metric (samples, "process_start_time_seconds"), >,
                     g_get_real_time () / G_USEC_PER_SEC - 60);

  sws_test_call_in_dialog (fixture, &call, TRUE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (fixture);
}

/* ---- page and refusals -------------------------------------------------- */

static void
test_http_page (SwsTestCallFixture *fixture,
                gconstpointer       user_data)
{
  g_autoptr(Reply) page = http_get (fixture->daemon, "/");
  g_autoptr(Reply) script = http_get (fixture->daemon, "/sipws.js");
  g_autoptr(Reply) style = http_get (fixture->daemon, "/sipws.css");
  g_autoptr(Reply) head = http_request (fixture->daemon, "HEAD", "/api/v1/status", NULL, NULL);

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (page->headers, "Content-Type"),
                                   "text/html"));
  g_assert_nonnull (strstr (page->body, "<script src=\"sipws.js\""));
  /* Our own files only: a SIP client's display name cannot run script. */
  g_assert_nonnull (strstr (soup_message_headers_get_one (page->headers, "Content-Security-Policy"),
                            "default-src 'self'"));
  g_assert_cmpuint (script->status, ==, 200);
  g_assert_nonnull (strstr (script->body, "EventSource"));
  g_assert_cmpuint (style->status, ==, 200);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpstr (head->body, ==, "");
}

static void
test_http_refusals (SwsTestCallFixture *fixture,
                    gconstpointer       user_data)
{
  const char *unknown[] = { "/nope", "/api/v1", "/api/v1/", "/api/v2/status",
                            "/api/v1/status/extra", "/api/v1/calls/x", "/metrics/" };
  g_autoptr(Reply) post = http_request (fixture->daemon, "POST", "/api/v1/status", NULL, NULL);
  g_autoptr(Reply) del = http_request (fixture->daemon, "DELETE", "/api/v1/registrations/1",
                                       NULL, NULL);
  g_autoptr(Reply) rebound = http_request (fixture->daemon, "GET", "/api/v1/registrations",
                                           "attacker.example:5066", NULL);
  g_autoptr(Reply) localhost = http_request (fixture->daemon, "GET", "/api/v1/status",
                                             "localhost", NULL);
  g_autoptr(JsonNode) status = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(Reply) reply = http_get (fixture->daemon, unknown[i]);

      g_test_message ("GET %s", unknown[i]);
      assert_json_error (reply, 404);
    }
  assert_json_error (post, 405);
  g_assert_cmpstr (soup_message_headers_get_one (post->headers, "Allow"), ==, "GET, HEAD");
  assert_json_error (del, 405);
  /* A page whose name was rebound to 127.0.0.1 reads nothing. */
  assert_json_error (rebound, 403);
  g_assert_cmpuint (localhost->status, ==, 200);

  /* None of it was taken for SIP. */
  status = get_json (fixture->daemon, "/api/v1/status");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status), "messages_received"),
                   ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status), "parse_errors"),
                   ==, 0);
}

/* ---- tokens ------------------------------------------------------------- */

/* trust-loopback=false stands for a peer that is not on this machine:
 * the tests can only use loopback addresses. */
static void
test_http_token (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  GKeyFile *config = sws_test_daemon_get_config (daemon);
  g_autoptr(Reply) none = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) right = NULL;
  g_autoptr(Reply) query = NULL;
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) metrics_none = NULL;
  g_autoptr(Reply) metrics_api_token = NULL;
  g_autoptr(Reply) metrics_right = NULL;

  g_key_file_set_boolean (config, "http", "trust-loopback", FALSE);
  g_key_file_set_string (config, "http", "token", TOKEN);
  g_key_file_set_string (config, "http", "metrics-token", METRICS_TOKEN);
  sws_test_daemon_start (daemon);

  none = http_get (daemon, "/api/v1/status");
  assert_json_error (none, 401);
  g_assert_cmpstr (soup_message_headers_get_one (none->headers, "WWW-Authenticate"), ==,
                   "Bearer realm=\"sipwsd\"");
  wrong = http_request (daemon, "GET", "/api/v1/status", NULL, "Bearer " TOKEN "x");
  assert_json_error (wrong, 401);
  g_assert_nonnull (strstr (soup_message_headers_get_one (wrong->headers, "WWW-Authenticate"),
                            "invalid_token"));
  right = http_request (daemon, "GET", "/api/v1/status", NULL, "Bearer " TOKEN);
  g_assert_cmpuint (right->status, ==, 200);
  query = http_get (daemon, "/api/v1/registrations?access_token=" TOKEN);
  g_assert_cmpuint (query->status, ==, 200);
  g_assert_cmpstr (query->body, ==, "[]\n");
  page = http_get (daemon, "/");
  assert_json_error (page, 401);

  metrics_none = http_get (daemon, "/metrics");
  assert_json_error (metrics_none, 401);
  metrics_api_token = http_request (daemon, "GET", "/metrics", NULL, "Bearer " TOKEN);
  assert_json_error (metrics_api_token, 401);
  metrics_right = http_request (daemon, "GET", "/metrics", NULL, "Bearer " METRICS_TOKEN);
  g_assert_cmpuint (metrics_right->status, ==, 200);

  sws_test_daemon_stop (daemon);
}

/* Without a token, only trusted peers get in; /metrics can be opened to
 * everyone on its own. */
static void
test_http_no_token (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  GKeyFile *config = sws_test_daemon_get_config (daemon);
  g_autoptr(Reply) api = NULL;
  g_autoptr(Reply) metrics = NULL;

  g_key_file_set_boolean (config, "http", "trust-loopback", FALSE);
  g_key_file_set_boolean (config, "http", "public-metrics", TRUE);
  sws_test_daemon_start (daemon);

  api = http_get (daemon, "/api/v1/status");
  assert_json_error (api, 403);
  g_assert_nonnull (strstr (api->body, "[http] token"));
  metrics = http_get (daemon, "/metrics");
  g_assert_cmpuint (metrics->status, ==, 200);

  sws_test_daemon_stop (daemon);
}

int
main (int   argc,
      char *argv[])
{
  sws_test_init (&argc, &argv);

#define CALL_TEST(path, func) \
  g_test_add (path, SwsTestCallFixture, NULL, sws_test_call_fixture_setup, func, \
              sws_test_call_fixture_teardown)
  CALL_TEST ("/sws/http/status", test_http_status);
  CALL_TEST ("/sws/http/registrations", test_http_registrations);
  CALL_TEST ("/sws/http/calls", test_http_calls);
  CALL_TEST ("/sws/http/events", test_http_events);
  CALL_TEST ("/sws/http/metrics", test_http_metrics);
  CALL_TEST ("/sws/http/page", test_http_page);
  CALL_TEST ("/sws/http/refusals", test_http_refusals);
#undef CALL_TEST
  g_test_add_func ("/sws/http/token", test_http_token);
  g_test_add_func ("/sws/http/no-token", test_http_no_token);

  return g_test_run ();
}
