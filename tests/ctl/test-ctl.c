/* test-ctl.c: sipwsctl against the real daemon on a private bus
 *
 * Each test has its own bus and its own sipwsd; clients register and call
 * over real WebSockets, and sipwsctl runs as a user would run it. What is
 * checked is what users and scripts rely on: the output, the JSON shape
 * and the exit status (0, 1 D-Bus error or no daemon, 2 bad usage).
 */

#include <signal.h>

#include "sws-ctl-test.h"
#include "sws-test-ua.h"

#define ROOT "/org/sipws/Server1"
#define ALICE "sip:alice@alice.invalid;transport=ws"
#define BOB "sip:bob@bob.invalid;transport=ws"

typedef struct
{
  SwsCtlTest *t;
  char *out;
  char *err;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->t = sws_ctl_test_new ();
  /* Ended calls stay long enough to be looked at. */
  sws_ctl_test_write_config (f->t, "[proxy]\ncall-linger=60\n");
  sws_ctl_test_start_daemon (f->t);
}

static void
setup_no_daemon (Fixture *f, gconstpointer data)
{
  f->t = sws_ctl_test_new ();
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->t, sws_ctl_test_free);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
}

/* Run sipwsctl; the output of the previous run is dropped. */
static int
ctl (Fixture *f, const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return sws_ctl_runv ((const char * const *) args->pdata, &f->out, &f->err);
}

#define CTL(f, ...) ctl ((f), __VA_ARGS__, NULL)

static SwsTestClient *
client (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SwsTestClient *c = sws_test_client_new (sws_ctl_test_get_uri (f->t), &error);

  g_assert_no_error (error);
  return c;
}

/* REGISTER `contact` for `aor` with a User-Agent; asserts 200. */
static void
register_as (SwsTestClient *c, const char *aor, const char *contact, const char *call_id)
{
  g_autofree char *bracketed = g_strdup_printf ("<%s>", contact);
  g_autofree char *req = sws_test_build_register_full (aor, bracketed, 600, call_id, 1,
                                                       "User-Agent: sws-ctl-test/1.0\r\n", NULL);
  g_autofree char *resp = sws_test_client_request (c, req);

  g_assert_cmpuint (sws_test_status_code (resp), ==, 200);
}

static JsonArray *
json_list (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_node_get_array (node);
}

/* ---- status ------------------------------------------------------------- */

static void
test_status (Fixture *f, gconstpointer data)
{
  g_auto(GStrv) lines = NULL;
  glong column = -1;

  g_assert_cmpint (CTL (f, "status"), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_nonnull (strstr (f->out, sws_ctl_test_get_uri (f->t)));
  lines = g_strsplit (g_strchomp (f->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 9);
  g_assert_true (g_str_has_prefix (lines[0], "Version:"));
  /* Aligned: every value starts in the same column. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      const char *value;

      g_assert_nonnull (colon);
      for (value = colon + 1; *value == ' '; value++)
        ;
      if (column < 0)
        column = value - lines[i];
      g_assert_cmpint (value - lines[i], ==, column);
    }
  g_assert_nonnull (strstr (f->out, "Registrations:"));
  g_assert_nonnull (strstr (f->out, "every domain"));
}

static void
test_status_json (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonArray *listen;
  gint64 start;

  g_assert_cmpint (CTL (f, "status", "--json"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, ROOT);
  g_assert_cmpstr (json_object_get_string_member (o, "version"), !=, "");
  /* the daemon runs with --verbose: at least info */
  g_assert_cmpstr (json_object_get_string_member (o, "log_level"), ==, "info");
  listen = json_object_get_array_member (o, "listen_uris");
  g_assert_cmpuint (json_array_get_length (listen), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (listen, 0), ==, sws_ctl_test_get_uri (f->t));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "domains")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "registration_count"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "call_count"), ==, 0);
  g_assert_true (json_object_has_member (o, "messages_received"));
  g_assert_true (json_object_has_member (o, "parse_errors"));
  /* µs since the epoch, a moment ago */
  start = json_object_get_int_member (o, "start_time");
  g_assert_cmpint (start, <=, g_get_real_time ());
  g_assert_cmpint (start, >, g_get_real_time () - 60 * G_USEC_PER_SEC);
}

/* ---- registrations ------------------------------------------------------ */

static void
test_registrations (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *reg;
  gint64 expires;

  g_assert_cmpint (CTL (f, "registrations"), ==, 0);
  g_assert_cmpstr (f->out, ==, "No registrations.\n");
  g_assert_cmpint (CTL (f, "registrations", "--json"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  g_assert_cmpuint (json_array_get_length (json_list (node)), ==, 0);
  g_clear_pointer (&node, json_node_unref);

  register_as (alice, "sip:alice@example.com", ALICE, "reg-alice");

  g_assert_cmpint (CTL (f, "--json", "registrations"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  g_assert_cmpuint (json_array_get_length (json_list (node)), ==, 1);
  reg = json_array_get_object_element (json_list (node), 0);
  g_assert_cmpstr (json_object_get_string_member (reg, "path"), ==, ROOT "/Registration/1");
  g_assert_cmpstr (json_object_get_string_member (reg, "aor"), ==, "sip:alice@example.com");
  g_assert_cmpstr (json_object_get_string_member (reg, "contact"), ==, ALICE);
  g_assert_cmpstr (json_object_get_string_member (reg, "call_id"), ==, "reg-alice");
  g_assert_cmpint (json_object_get_int_member (reg, "cseq"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (reg, "reg_id"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (reg, "user_agent"), ==, "sws-ctl-test/1.0");
  g_assert_cmpstr (json_object_get_string_member (reg, "transport"), ==, "WS");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (reg, "remote_address"),
                                   "127.0.0.1:"));
  expires = json_object_get_int_member (reg, "expires");
  g_assert_cmpint (expires, >, g_get_real_time () + 590 * G_USEC_PER_SEC);
  g_assert_cmpint (expires, <=, g_get_real_time () + 600 * G_USEC_PER_SEC);

  /* People get a table: a header, then N, AOR, contact, address,
   * seconds left, user agent. */
  g_assert_cmpint (CTL (f, "registrations"), ==, 0);
  lines = g_strsplit (g_strchomp (f->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], "N  AOR"));
  g_assert_true (g_str_has_prefix (lines[1], "1  sip:alice@example.com"));
  g_assert_nonnull (strstr (lines[1], ALICE));
  g_assert_nonnull (strstr (lines[1], "127.0.0.1:"));
  g_assert_nonnull (strstr (lines[1], "sws-ctl-test/1.0"));
  /* the columns line up under the header */
  g_assert_cmpint (strstr (lines[0], "CONTACT") - lines[0], ==, strstr (lines[1], ALICE) - lines[1]);
}

static void
test_lookup (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(SwsTestClient) alice2 = client (f);
  g_autoptr(SwsTestClient) bob = client (f);
  g_autoptr(JsonNode) node = NULL;

  register_as (alice, "sip:alice@example.com", ALICE, "reg-a1");
  register_as (bob, "sip:bob@example.com", BOB, "reg-b");
  register_as (alice2, "sip:alice@example.com", "sip:alice2@alice.invalid;transport=ws", "reg-a2");

  g_assert_cmpint (CTL (f, "lookup", "alice@example.com"), ==, 0);
  g_assert_nonnull (strstr (f->out, ALICE));
  g_assert_nonnull (strstr (f->out, "sip:alice2@alice.invalid"));
  g_assert_null (strstr (f->out, BOB));

  g_assert_cmpint (CTL (f, "lookup", "--json", "sip:alice@example.com"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  g_assert_cmpuint (json_array_get_length (json_list (node)), ==, 2);
  /* sorted by N */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_list (node), 0),
                                                  "path"), ==, ROOT "/Registration/1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_list (node), 1),
                                                  "path"), ==, ROOT "/Registration/3");

  /* D-Bus errors: exit 1 and the daemon's message, without "GDBus.Error:" */
  g_assert_cmpint (CTL (f, "lookup", "nobody@example.com"), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpstr (f->err, ==, "sipwsctl: Nothing is registered for sip:nobody@example.com\n");
  g_assert_cmpint (CTL (f, "lookup", "not an aor"), ==, 1);
  g_assert_nonnull (strstr (f->err, "is not an address-of-record"));
  g_assert_null (strstr (f->err, "GDBus.Error"));
}

static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(SwsTestClient) bob = client (f);
  g_autoptr(JsonNode) node = NULL;

  register_as (alice, "sip:alice@example.com", ALICE, "reg-alice");
  register_as (bob, "sip:bob@example.com", BOB, "reg-bob");

  g_assert_cmpint (CTL (f, "remove", "1"), ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpint (CTL (f, "lookup", "alice@example.com"), ==, 1);
  /* a full object path works too */
  g_assert_cmpint (CTL (f, "remove", ROOT "/Registration/2"), ==, 0);
  g_assert_cmpint (CTL (f, "registrations", "--json"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  g_assert_cmpuint (json_array_get_length (json_list (node)), ==, 0);
  g_assert_cmpint (CTL (f, "registrations"), ==, 0);
  g_assert_cmpstr (f->out, ==, "No registrations.\n");

  /* gone is gone */
  g_assert_cmpint (CTL (f, "remove", "1"), ==, 1);
  g_assert_cmpstr (f->err, ==, "sipwsctl: there is no registration 1\n");
  /* not a number nor a path: bad usage */
  g_assert_cmpint (CTL (f, "remove", "alice"), ==, 2);
  g_assert_nonnull (strstr (f->err, "“alice” is not a registration"));
}

/* ---- calls -------------------------------------------------------------- */

static char *
invite (const char *call_id)
{
  return g_strdup_printf ("INVITE sip:bob@example.com SIP/2.0\r\n"
                          "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKctl1\r\n"
                          "Max-Forwards: 70\r\n"
                          "To: <sip:bob@example.com>\r\n"
                          "From: <sip:alice@example.com>;tag=atag\r\n"
                          "Call-ID: %s\r\nCSeq: 1 INVITE\r\n"
                          "Contact: <" ALICE ">\r\n"
                          "Content-Length: 0\r\n\r\n", call_id);
}

static guint
next_status (SwsTestClient *c)
{
  g_autoptr(SwsSipMessage) m = sws_test_ua_recv (c);

  g_assert_false (m->is_request);
  return m->status;
}

static void
test_calls_hangup (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) alice = client (f);
  g_autoptr(SwsTestClient) bob = client (f);
  g_autoptr(SwsSipMessage) inv = NULL;
  g_autoptr(SwsSipMessage) cancel = NULL;
  g_autoptr(SwsSipMessage) terminated = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = invite ("ctl-call-1");
  const SwsHeader *to;
  g_autofree char *ack = NULL;
  JsonObject *call;

  register_as (alice, "sip:alice@example.com", ALICE, "reg-alice");
  register_as (bob, "sip:bob@example.com", BOB, "reg-bob");
  g_assert_cmpint (CTL (f, "calls"), ==, 0);
  g_assert_cmpstr (f->out, ==, "No calls.\n");

  /* alice calls bob, bob rings */
  sws_test_client_send (alice, text);
  g_assert_cmpuint (next_status (alice), ==, 100);
  inv = sws_test_ua_recv (bob);
  g_assert_cmpuint (inv->method, ==, SWS_METHOD_INVITE);
  sws_test_ua_respond (bob, inv, 180, "Ringing", "btag", BOB);
  g_assert_cmpuint (next_status (alice), ==, 180);

  g_assert_cmpint (CTL (f, "calls", "--json"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  g_assert_cmpuint (json_array_get_length (json_list (node)), ==, 1);
  call = json_array_get_object_element (json_list (node), 0);
  g_assert_cmpstr (json_object_get_string_member (call, "path"), ==, ROOT "/Call/1");
  g_assert_cmpstr (json_object_get_string_member (call, "call_id"), ==, "ctl-call-1");
  g_assert_cmpstr (json_object_get_string_member (call, "caller"), ==, "sip:alice@example.com");
  g_assert_cmpstr (json_object_get_string_member (call, "callee"), ==, "sip:bob@example.com");
  g_assert_cmpint (json_object_get_int_member (call, "state"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (call, "termination_code"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (call, "answer_time"), ==, 0);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (CTL (f, "calls"), ==, 0);
  g_assert_true (g_str_has_prefix (f->out, "N  STATE"));
  g_assert_nonnull (strstr (f->out, "\n1  ringing-out  sip:alice@example.com  sip:bob@example.com"));

  /* Hangup before the answer: CANCEL to bob, 487 to alice. */
  g_assert_cmpint (CTL (f, "hangup", "1"), ==, 0);
  cancel = sws_test_ua_recv (bob);
  g_assert_cmpuint (cancel->method, ==, SWS_METHOD_CANCEL);
  sws_test_ua_respond (bob, cancel, 200, "OK", "btag", NULL);
  sws_test_ua_respond (bob, inv, 487, "Request Terminated", "btag", NULL);
  terminated = sws_test_ua_recv (alice);
  g_assert_cmpuint (terminated->status, ==, 487);
  /* The ACK of a failure is hop by hop: same branch, To from the 487. */
  to = sws_sip_message_find (terminated, SWS_HDR_TO);
  ack = g_strdup_printf ("ACK sip:bob@example.com SIP/2.0\r\n"
                         "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKctl1\r\n"
                         "Max-Forwards: 70\r\n"
                         "To: %.*s\r\n"
                         "From: <sip:alice@example.com>;tag=atag\r\n"
                         "Call-ID: ctl-call-1\r\nCSeq: 1 ACK\r\n"
                         "Content-Length: 0\r\n\r\n", (int) to->value.len, to->value.p);
  sws_test_client_send (alice, ack);

  g_assert_cmpint (CTL (f, "calls", "--json"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  call = json_array_get_object_element (json_list (node), 0);
  g_assert_cmpint (json_object_get_int_member (call, "state"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (call, "termination_code"), ==, 487);
  g_assert_cmpint (json_object_get_int_member (call, "end_time"), >, 0);
  g_assert_cmpint (CTL (f, "calls"), ==, 0);
  g_assert_nonnull (strstr (f->out, "1  terminated"));
  g_assert_true (g_str_has_suffix (f->out, "487\n"));

  /* The daemon refuses: exit 1 with its message. */
  g_assert_cmpint (CTL (f, "hangup", ROOT "/Call/1"), ==, 1);
  g_assert_cmpstr (f->err, ==, "sipwsctl: The call has already ended\n");
  g_assert_cmpint (CTL (f, "hangup", "999"), ==, 1);
  g_assert_cmpstr (f->err, ==, "sipwsctl: there is no call 999\n");
  /* a Registration is not a Call */
  g_assert_cmpint (CTL (f, "hangup", ROOT "/Registration/1"), ==, 1);
}

/* ---- reload ------------------------------------------------------------- */

static void
test_reload (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;

  sws_ctl_test_write_config (f->t, "[server]\ndomains=example.com;example.org\n");
  g_assert_cmpint (CTL (f, "reload"), ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (CTL (f, "status", "--json"), ==, 0);
  node = sws_ctl_parse_json (f->out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node),
                                                                         "domains")), ==, 2);

  /* A broken file is refused and says why; the daemon goes on. */
  sws_ctl_test_write_config (f->t, "[registrar]\nmin-expires=soon\n");
  g_assert_cmpint (CTL (f, "reload"), ==, 1);
  g_assert_true (g_str_has_prefix (f->err, "sipwsctl: "));
  g_assert_nonnull (strstr (f->err, "min-expires"));
  g_assert_null (strstr (f->err, "GDBus.Error"));
  g_assert_cmpint (CTL (f, "status"), ==, 0);
  g_assert_nonnull (strstr (f->out, "example.com example.org"));
}

/* ---- monitor ------------------------------------------------------------ */

static void
test_monitor (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsCtlProcess) monitor = sws_ctl_spawn ("monitor", NULL);
  g_autoptr(SwsTestClient) carol = NULL;
  g_autoptr(GRegex) stamp = g_regex_new ("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} ", 0, 0, NULL);
  const char *line;

  /* The banner says it is subscribed: nothing after it can be missed. */
  g_assert_nonnull (sws_ctl_process_wait_line (monitor, TRUE, "Watching sipwsd",
                                               SWS_CTL_TEST_TIMEOUT_MS));

  carol = client (f);
  register_as (carol, "sip:carol@example.com", "sip:carol@carol.invalid;transport=ws", "reg-c");
  line = sws_ctl_process_wait_line (monitor, FALSE, "registered sip:carol@example.com", 5000);
  g_assert_nonnull (line);
  g_assert_true (g_regex_match (stamp, line, 0, NULL));
  g_assert_nonnull (strstr (line, "sip:carol@carol.invalid;transport=ws from 127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "(Registration/1)"));

  /* The WebSocket closes: the binding goes, and why. */
  sws_test_client_close (carol);
  line = sws_ctl_process_wait_line (monitor, FALSE, "unregistered sip:carol@example.com", 5000);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "connection-closed"));

  /* The daemon stopping is one event, and monitor keeps watching. */
  sws_ctl_test_stop_daemon (f->t);
  g_assert_nonnull (sws_ctl_process_wait_line (monitor, FALSE, "daemon-stopped", 5000));

  g_assert_cmpint (sws_ctl_process_stop (monitor, SIGTERM), ==, 0);
  /* stdout is events only, each with its timestamp */
  for (guint i = 0; i < sws_ctl_process_get_lines (monitor)->len; i++)
    g_assert_true (g_regex_match (stamp, sws_ctl_process_get_lines (monitor)->pdata[i], 0, NULL));
}

static JsonObject *
find_event (GPtrArray *lines, const char *event, JsonNode **keep)
{
  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr(JsonNode) node = sws_ctl_parse_json (lines->pdata[i]);
      JsonObject *o = json_node_get_object (node);

      if (g_strcmp0 (json_object_get_string_member_with_default (o, "event", NULL), event) == 0)
        {
          *keep = g_steal_pointer (&node);
          return json_node_get_object (*keep);
        }
    }
  return NULL;
}

static void
test_monitor_json (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsCtlProcess) monitor = sws_ctl_spawn ("--json", "monitor", NULL);
  g_autoptr(SwsTestClient) dave = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) removed = NULL;
  JsonObject *o;
  GPtrArray *lines;

  g_assert_nonnull (sws_ctl_process_wait_line (monitor, TRUE, "Watching sipwsd",
                                               SWS_CTL_TEST_TIMEOUT_MS));
  dave = client (f);
  register_as (dave, "sip:dave@example.com", "sip:dave@dave.invalid;transport=ws", "reg-d");
  g_assert_nonnull (sws_ctl_process_wait_line (monitor, FALSE, "\"registered\"", 5000));
  g_assert_cmpint (CTL (f, "remove", "1"), ==, 0);
  g_assert_nonnull (sws_ctl_process_wait_line (monitor, FALSE, "\"unregistered\"", 5000));
  g_assert_cmpint (sws_ctl_process_stop (monitor, SIGINT), ==, 0);

  /* one JSON object per line */
  lines = sws_ctl_process_get_lines (monitor);
  g_assert_cmpuint (lines->len, ==, 2);
  o = find_event (lines, "registered", &added);
  g_assert_nonnull (o);
  g_assert_cmpint (json_object_get_int_member (o, "time"), >, g_get_real_time () - 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, ROOT "/Registration/1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "object"), "aor"),
                   ==, "sip:dave@example.com");
  o = find_event (lines, "unregistered", &removed);
  g_assert_nonnull (o);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "administrative");
}

/* ---- usage and failures ------------------------------------------------- */

static void
test_usage (Fixture *f, gconstpointer data)
{
  const char *commands[] = { "status", "registrations", "calls", "lookup AOR", "hangup CALL",
                             "remove REG", "monitor", "reload" };

  g_assert_cmpint (CTL (f, "bogus-command"), ==, 2);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_true (g_str_has_prefix (f->err, "sipwsctl: unknown command “bogus-command”\n"));
  g_assert_nonnull (strstr (f->err, "Usage:"));
  /* Usage is judged before any bus is looked for. */
  g_clear_pointer (&f->err, g_free);
  g_assert_cmpint (sws_ctl_run_on_bus ("unix:path=/nonexistent/sws-ctl-test", NULL, &f->err,
                                       "status", "--json", "extra", NULL), ==, 2);
  g_assert_nonnull (strstr (f->err, "takes no argument"));
  g_assert_cmpint (CTL (f, "lookup"), ==, 2);
  g_assert_nonnull (strstr (f->err, "needs one argument"));
  g_assert_cmpint (CTL (f, "status", "extra"), ==, 2);
  g_assert_nonnull (strstr (f->err, "takes no argument"));
  g_assert_cmpint (CTL (f, "hangup", "1", "2"), ==, 2);
  g_assert_cmpint (CTL (f, "--no-such-option", "status"), ==, 2);
  g_assert_cmpint (ctl (f, NULL), ==, 2);

  g_assert_cmpint (CTL (f, "--help"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *entry = g_strdup_printf ("\n  %s ", commands[i]);

      g_assert_nonnull (strstr (f->out, entry));
    }
  g_assert_nonnull (strstr (f->out, "--json"));
}

static void
test_not_running (Fixture *f, gconstpointer data)
{
  const char *message = "sipwsd is not running (nothing owns org.sipws.Server1 on the session bus)\n";

  g_assert_cmpint (CTL (f, "status"), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpstr (f->err, ==, message);
  g_assert_cmpint (CTL (f, "registrations", "--json"), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpstr (f->err, ==, message);
  g_assert_cmpint (CTL (f, "monitor"), ==, 1);
  g_assert_cmpstr (f->err, ==, message);

  /* and once it ran and stopped */
  sws_ctl_test_start_daemon (f->t);
  g_assert_cmpint (CTL (f, "status"), ==, 0);
  sws_ctl_test_stop_daemon (f->t);
  g_assert_cmpint (CTL (f, "hangup", "1"), ==, 1);
  g_assert_cmpstr (f->err, ==, message);
}

static void
test_no_bus (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (sws_ctl_run_on_bus ("unix:path=/nonexistent/sws-ctl-test", &f->out, &f->err,
                                       "status", NULL), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_true (g_str_has_prefix (f->err, "sipwsctl: there is no session bus"));
}

int
main (int argc, char *argv[])
{
  sws_test_init (&argc, &argv);

#define ADD(path, setup_func, func) \
  g_test_add ("/sws/ctl/" path, Fixture, NULL, setup_func, func, teardown)

  ADD ("status", setup, test_status);
  ADD ("status/json", setup, test_status_json);
  ADD ("registrations", setup, test_registrations);
  ADD ("lookup", setup, test_lookup);
  ADD ("remove", setup, test_remove);
  ADD ("calls/hangup", setup, test_calls_hangup);
  ADD ("reload", setup, test_reload);
  ADD ("monitor", setup, test_monitor);
  ADD ("monitor/json", setup, test_monitor_json);
  ADD ("usage", setup_no_daemon, test_usage);
  ADD ("not-running", setup_no_daemon, test_not_running);
  ADD ("no-bus", setup_no_daemon, test_no_bus);

  return g_test_run ();
}
