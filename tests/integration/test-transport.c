/* test-transport.c: the WebSocket transport, bad input and shutdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 7118 (handshake, framing), RFC 3261 §8.2 (UAS checks on requests),
 * RFC 4475 (torture messages) and the product contract's limits.
 */

#include <signal.h>
#include <string.h>

#include "sws-test-client.h"
#include "sws-test-daemon.h"
#include "sws-test-ws-raw.h"

#define MAX_MESSAGE_SIZE 65536
#define HTTP_TIMEOUT_S 5
/* The daemon takes frames up to 128 KiB (libsoup's limit) and holds at
 * most 144 KiB of a message that has not ended. */
#define FRAGMENT_SIZE (16 * 1024)
#define ENDLESS_MESSAGE_SIZE (176 * 1024)
#define HUGE_FRAME_SIZE (300 * 1024)

typedef struct
{
  SwsTestDaemon *daemon;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->daemon = sws_test_daemon_new ();
  sws_test_daemon_start (fixture->daemon);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  sws_test_daemon_stop (fixture->daemon);
  g_clear_pointer (&fixture->daemon, sws_test_daemon_free);
}

static char *
expect_response (SwsTestClient *client,
                 const char    *request,
                 guint          code)
{
  g_autofree char *response = sws_test_client_request (client, request);

  if (response == NULL)
    g_test_message ("no response within %u ms to:\n%.2000s",
                    SWS_TEST_RECV_TIMEOUT_MS, request);
  g_assert_nonnull (response);

  if (sws_test_status_code (response) != code)
    g_test_message ("request:\n%.2000s\nresponse:\n%s", request, response);
  g_assert_cmpuint (sws_test_status_code (response), ==, code);

  return g_steal_pointer (&response);
}

static void
assert_options_ok (SwsTestClient *client)
{
  g_autofree char *options = sws_test_build_options ("sip:127.0.0.1");

  g_free (expect_response (client, options, 200));
}

static char *
build_register_for (SwsTestClient *client,
                    const char    *aor)
{
  g_autofree char *contact = g_strdup_printf ("<%s>",
                                              sws_test_client_get_contact_uri (client));

  return sws_test_build_register (aor, contact, -1, NULL, 1);
}

static gboolean
strv_contains_ci (const char * const *strv,
                  const char         *value)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_ascii_strcasecmp (strv[i], value) == 0)
      return TRUE;

  return FALSE;
}

static void
test_transport_options (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *request = sws_test_build_options ("sip:127.0.0.1");
  g_autofree char *response = expect_response (client, request, 200);
  g_auto(GStrv) allow = sws_test_header_list (response, "Allow");
  g_auto(GStrv) accept = sws_test_header_all (response, "Accept");
  g_auto(GStrv) supported = sws_test_header_all (response, "Supported");

  /* RFC 3261 §11.2 */
  g_assert_true (strv_contains_ci ((const char * const *) allow, "REGISTER"));
  g_assert_true (strv_contains_ci ((const char * const *) allow, "OPTIONS"));
  g_assert_cmpuint (g_strv_length (accept), >=, 1);
  g_assert_cmpuint (g_strv_length (supported), >=, 1);
}

static void
test_transport_unknown_method (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *request = NULL;

  /* RFC 3261 §8.2.1 */
  request = sws_test_build_request ("FROBNICATE", "sip:127.0.0.1", "sip:127.0.0.1",
                                    NULL, 1, NULL, NULL);
  g_free (expect_response (client, request, 501));
  assert_options_ok (client);
}

/* A REGISTER of exactly @size bytes for @contact_uri, padded with a body. */
static char *
build_register_of_size (const char *contact_uri,
                        gsize       size)
{
  g_autofree char *contact = g_strdup_printf ("<%s>", contact_uri);
  gsize body_len = size;

  /* Content-Length's own digits change the size: converge on it. */
  for (guint round = 0; round < 4; round++)
    {
      g_autofree char *body = g_strnfill (body_len, 'x');
      g_autofree char *request = NULL;
      gsize len;

      request = sws_test_build_register_full ("sip:big@example.com", contact, -1,
                                              NULL, 1,
                                              "Content-Type: text/plain\r\n", body);
      len = strlen (request);
      if (len == size)
        return g_steal_pointer (&request);

      g_assert_cmpuint (len - body_len, <, size);
      body_len = size - (len - body_len);
    }

  g_assert_not_reached ();
}

static void
test_transport_too_large (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *request = NULL;

  request = build_register_of_size (sws_test_client_get_contact_uri (client), 70000);
  g_free (expect_response (client, request, 513));
  assert_options_ok (client);
}

static void
test_transport_size_limit (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *contact_uri = sws_test_client_get_contact_uri (client);
  g_autofree char *fits = build_register_of_size (contact_uri, MAX_MESSAGE_SIZE);
  g_autofree char *over = build_register_of_size (contact_uri, MAX_MESSAGE_SIZE + 1);

  /* 64 KiB is the limit: that much is a message, one octet more is not. */
  g_free (expect_response (client, fits, 200));
  g_free (expect_response (client, over, 513));
}

static void
test_transport_malformed (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) bad = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) good = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *valid = build_register_for (bad, "sip:bad@example.com");
  g_autoptr(GString) broken = g_string_new (valid);
  g_autofree char *response = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *request = NULL;
  static const guint8 junk[] = { 0xff, 0x00, 0x13, 0x37, 'S', 'I', 'P', 0x80 };

  /* RFC 3261 §8.2.2: 400 with a reason phrase that says what is wrong. */
  g_string_replace (broken, "CSeq: 1 REGISTER", "CSeq: one REGISTER", 1);
  response = expect_response (bad, broken->str, 400);
  reason = sws_test_reason_phrase (response);
  g_test_message ("400 reason phrase: \"%s\"", reason);
  g_assert_cmpstr (reason, !=, "");

  /* No headers to answer with: nothing comes back, the flow stays up. */
  sws_test_client_send (bad, "hello, this is not SIP at all\r\n\r\n");
  sws_test_client_expect_silence (bad);
  sws_test_client_send_binary (bad, junk, sizeof junk);
  sws_test_client_expect_silence (bad);
  g_assert_true (sws_test_client_is_open (bad));
  assert_options_ok (bad);

  /* Other clients never notice. */
  request = build_register_for (good, "sip:good@example.com");
  g_free (expect_response (good, request, 200));
}

static void
test_transport_keepalive (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);

  g_autofree char *pong = NULL;

  /* Some clients send bare CRLFs as keepalives: a double CRLF is a ping
   * that may get a single CRLF back (RFC 5626 §3.5.1), nothing else. */
  sws_test_client_send (client, "\r\n\r\n");
  pong = sws_test_client_recv (client, SWS_TEST_SILENCE_MS);
  if (pong != NULL)
    g_assert_cmpstr (pong, ==, "\r\n");
  sws_test_client_expect_silence (client);

  sws_test_client_send (client, "\r\n");
  sws_test_client_expect_silence (client);
  assert_options_ok (client);
}

static void
test_transport_binary_frame (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *request = build_register_for (client, "sip:binary@example.com");
  g_autofree char *response = NULL;
  g_auto(GStrv) contacts = NULL;

  /* RFC 7118 §5.1: binary frames carry SIP as well as text frames. */
  sws_test_client_send_binary (client, request, strlen (request));
  response = sws_test_client_recv_final (client, SWS_TEST_RECV_TIMEOUT_MS);
  g_assert_nonnull (response);
  g_assert_cmpuint (sws_test_status_code (response), ==, 200);

  contacts = sws_test_header_list (response, "Contact");
  g_assert_nonnull (sws_test_find_contact ((const char * const *) contacts,
                                           sws_test_client_get_contact_uri (client)));
}

/* ---- fragmented messages (RFC 6455 §5.4), with a raw client ---- */

static char *
new_contact_uri (void)
{
  g_autofree char *user = sws_test_new_token (8);
  g_autofree char *host = sws_test_new_token (12);

  return g_strdup_printf ("sip:%s@%s.invalid;transport=ws", user, host);
}

static char *
raw_expect_response (SwsTestWsRaw *raw,
                     guint         code)
{
  g_autofree char *response = sws_test_ws_raw_recv (raw, SWS_TEST_RECV_TIMEOUT_MS);

  if (response == NULL)
    g_test_message ("no response within %u ms", SWS_TEST_RECV_TIMEOUT_MS);
  g_assert_nonnull (response);
  if (sws_test_status_code (response) != code)
    g_test_message ("expected %u, got:\n%s", code, response);
  g_assert_cmpuint (sws_test_status_code (response), ==, code);

  return g_steal_pointer (&response);
}

static void
test_transport_fragments (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsTestWsRaw) raw = sws_test_ws_raw_new (fixture->daemon);
  g_autofree char *contact_uri = new_contact_uri ();
  g_autofree char *contact = g_strdup_printf ("<%s>", contact_uri);
  g_autofree char *request = sws_test_build_register ("sip:fragments@example.com",
                                                      contact, -1, NULL, 1);
  g_autofree char *response = NULL;
  g_auto(GStrv) contacts = NULL;
  gsize len = strlen (request);
  gsize third = len / 3;

  /* One SIP message in one WebSocket message (RFC 7118 §5.1), however
   * many frames carry it: a text frame, a continuation, and a last one
   * with FIN. A ping may come between them (RFC 6455 §5.4) and is
   * answered at once. */
  sws_test_ws_raw_send_frame (raw, FALSE, SWS_TEST_WS_TEXT, request, third, &error);
  g_assert_no_error (error);
  sws_test_ws_raw_send_frame (raw, TRUE, SWS_TEST_WS_PING, "ping", 4, &error);
  g_assert_no_error (error);
  sws_test_ws_raw_send_frame (raw, FALSE, SWS_TEST_WS_CONTINUATION,
                              request + third, third, &error);
  g_assert_no_error (error);
  sws_test_ws_raw_send_frame (raw, TRUE, SWS_TEST_WS_CONTINUATION,
                              request + 2 * third, len - 2 * third, &error);
  g_assert_no_error (error);

  response = raw_expect_response (raw, 200);
  g_assert_cmpuint (sws_test_ws_raw_get_pongs (raw), ==, 1);
  contacts = sws_test_header_list (response, "Contact");
  g_assert_nonnull (sws_test_find_contact ((const char * const *) contacts, contact_uri));
}

static void
test_transport_fragments_too_large (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsTestWsRaw) raw = sws_test_ws_raw_new (fixture->daemon);
  g_autofree char *contact_uri = new_contact_uri ();
  g_autofree char *request = build_register_of_size (contact_uri, 70000);
  g_autofree char *options = sws_test_build_options ("sip:127.0.0.1");

  /* 64 KiB is the limit of a SIP message, not of a frame: ten frames of
   * 7000 bytes make one message too large (513), and the flow goes on. */
  sws_test_ws_raw_send_fragments (raw, request, 10, &error);
  g_assert_no_error (error);
  g_free (raw_expect_response (raw, 513));

  sws_test_ws_raw_send_frame (raw, TRUE, SWS_TEST_WS_TEXT, options, strlen (options), &error);
  g_assert_no_error (error);
  g_free (raw_expect_response (raw, 200));
}

/* A message that never ends: continuation frames without FIN, more than
 * the daemon holds, optionally with an unsolicited pong after each (RFC
 * 6455 §5.5.3 allows those, and they must not make the daemon forget what
 * it holds). The daemon closes that flow; other clients never notice. */
static void
check_endless_message (Fixture  *fixture,
                       gboolean  pongs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsTestClient) good = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestWsRaw) raw = sws_test_ws_raw_new (fixture->daemon);
  g_autofree char *chunk = g_strnfill (FRAGMENT_SIZE, 'x');
  const char *start = "MESSAGE sip:bob@example.com SIP/2.0\r\n";
  gsize sent;

  sws_test_ws_raw_send_frame (raw, FALSE, SWS_TEST_WS_TEXT, start, strlen (start), &error);
  g_assert_no_error (error);
  sent = strlen (start);

  while (sent <= ENDLESS_MESSAGE_SIZE)
    {
      if (!sws_test_ws_raw_send_frame (raw, FALSE, SWS_TEST_WS_CONTINUATION,
                                       chunk, FRAGMENT_SIZE, &error) ||
          (pongs && !sws_test_ws_raw_send_frame (raw, TRUE, SWS_TEST_WS_PONG,
                                                 NULL, 0, &error)))
        {
          /* The daemon closed on us while we were still writing. */
          g_test_message ("send failed after %" G_GSIZE_FORMAT " bytes: %s",
                          sent, error->message);
          break;
        }
      sent += FRAGMENT_SIZE;
      assert_options_ok (good);
    }

  if (!sws_test_ws_raw_wait_closed (raw, SWS_TEST_RECV_TIMEOUT_MS))
    g_test_message ("flow still open after %" G_GSIZE_FORMAT " bytes of one message", sent);
  g_assert_true (sws_test_ws_raw_wait_closed (raw, 0));
  g_test_message ("closed after %" G_GSIZE_FORMAT " bytes, close code %u",
                  sent, sws_test_ws_raw_get_close_code (raw));

  assert_options_ok (good);
}

static void
test_transport_endless_message (Fixture       *fixture,
                                gconstpointer  user_data)
{
  check_endless_message (fixture, FALSE);
}

static void
test_transport_endless_message_pongs (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  check_endless_message (fixture, TRUE);
}

static void
test_transport_huge_frame (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsTestClient) good = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestWsRaw) raw = sws_test_ws_raw_new (fixture->daemon);
  g_autofree char *payload = g_strnfill (HUGE_FRAME_SIZE, 'x');
  g_autofree char *request = build_register_for (good, "sip:good@example.com");

  /* One frame far over libsoup's 128 KiB: the flow is closed, maybe before
   * we are done writing it. */
  if (!sws_test_ws_raw_send_frame (raw, TRUE, SWS_TEST_WS_TEXT, payload,
                                   HUGE_FRAME_SIZE, &error))
    g_test_message ("send failed: %s", error->message);
  g_assert_true (sws_test_ws_raw_wait_closed (raw, SWS_TEST_RECV_TIMEOUT_MS));
  g_test_message ("close code %u", sws_test_ws_raw_get_close_code (raw));

  assert_options_ok (good);
  g_free (expect_response (good, request, 200));
}

/* Sends a raw HTTP request and returns the response head (to the empty
 * line), bounded by HTTP_TIMEOUT_S for connect and for every read. */
static char *
http_exchange (guint16     port,
               const char *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  GInputStream *input;
  GOutputStream *output;

  g_socket_client_set_timeout (socket_client, HTTP_TIMEOUT_S);
  conn = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port,
                                          NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (conn), HTTP_TIMEOUT_S);

  output = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_output_stream_write_all (output, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  input = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  while (strstr (head->str, "\r\n\r\n") == NULL && head->len < 16384)
    {
      char buf[1024];
      gssize n = g_input_stream_read (input, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      g_string_append_len (head, buf, n);
    }

  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);

  if (strstr (head->str, "\r\n\r\n") != NULL)
    g_string_truncate (head, strstr (head->str, "\r\n\r\n") - head->str + 2);

  return g_string_free (g_steal_pointer (&head), FALSE);
}

static guint
http_status (const char *head)
{
  g_autofree char *digits = NULL;
  guint64 code = 0;

  if (!g_str_has_prefix (head, "HTTP/1.1 ") && !g_str_has_prefix (head, "HTTP/1.0 "))
    return 0;

  digits = g_strndup (head + strlen ("HTTP/1.1 "), 3);
  if (!g_ascii_string_to_unsigned (digits, 10, 100, 599, &code, NULL))
    return 0;

  return (guint) code;
}

/* Returns the response head of a WebSocket upgrade offering @protocols
 * (NULL: no Sec-WebSocket-Protocol header at all). */
static char *
upgrade (guint16     port,
         const char *protocols)
{
  g_autofree char *protocol_header = NULL;
  g_autofree char *request = NULL;

  if (protocols != NULL)
    protocol_header = g_strdup_printf ("Sec-WebSocket-Protocol: %s\r\n", protocols);

  /* The key and accept value are the example of RFC 6455 §1.3. */
  request = g_strdup_printf ("GET / HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Origin: http://127.0.0.1:8089\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "%s"
                             "\r\n",
                             port, protocol_header ? protocol_header : "");

  return http_exchange (port, request);
}

static void
test_transport_handshake (Fixture       *fixture,
                          gconstpointer  user_data)
{
  guint16 port = sws_test_daemon_get_port (fixture->daemon);
  const char *refused[] = { NULL, "foo", "sip2, xmpp" };
  const char *accepted[] = { "sip", "foo, sip" };

  /* RFC 7118 §4: the "sip" subprotocol is required. */
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *head = upgrade (port, refused[i]);

      g_test_message ("offering %s: %.80s", refused[i] ? refused[i] : "nothing", head);
      g_assert_cmpuint (http_status (head), ==, 400);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autofree char *head = upgrade (port, accepted[i]);
      g_autofree char *protocol = NULL;
      g_autofree char *accept = NULL;

      g_test_message ("offering %s: %.80s", accepted[i], head);
      g_assert_cmpuint (http_status (head), ==, 101);
      protocol = sws_test_header (head, "Sec-WebSocket-Protocol");
      g_assert_cmpstr (protocol, ==, "sip");
      accept = sws_test_header (head, "Sec-WebSocket-Accept");
      g_assert_cmpstr (accept, ==, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}

static void
test_transport_http_not_found (Fixture       *fixture,
                               gconstpointer  user_data)
{
  guint16 port = sws_test_daemon_get_port (fixture->daemon);
  g_autofree char *request = NULL;
  g_autofree char *head = NULL;

  request = g_strdup_printf ("GET /nonexistent HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Connection: close\r\n"
                             "\r\n", port);
  head = http_exchange (port, request);
  g_assert_cmpuint (http_status (head), ==, 404);
}

static void
check_shutdown_signal (Fixture *fixture,
                       int      signum)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) idle = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *request = build_register_for (client, "sip:leaving@example.com");

  g_free (expect_response (client, request, 200));

  /* RFC 6455 §7.4.1: 1001 "going away" for a server shutting down. */
  sws_test_daemon_send_signal (fixture->daemon, signum);

  g_assert_true (sws_test_client_wait_closed (client, SWS_TEST_EXIT_TIMEOUT_MS));
  g_assert_cmpuint (sws_test_client_get_close_code (client), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_true (sws_test_client_wait_closed (idle, SWS_TEST_EXIT_TIMEOUT_MS));
  g_assert_cmpuint (sws_test_client_get_close_code (idle), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  g_assert_cmpint (sws_test_daemon_wait_exit (fixture->daemon, SWS_TEST_EXIT_TIMEOUT_MS),
                   ==, 0);
}

static void
test_transport_sigterm (Fixture       *fixture,
                        gconstpointer  user_data)
{
  check_shutdown_signal (fixture, SIGTERM);
}

static void
test_transport_sigint (Fixture       *fixture,
                       gconstpointer  user_data)
{
  check_shutdown_signal (fixture, SIGINT);
}

/* ---- RFC 4475 ---- */

typedef enum
{
  EXPECT_CODES,      /* a final response with one of the codes */
  EXPECT_VALID,      /* valid: any final response but 400 */
  EXPECT_ANY,        /* the RFC allows either rejecting or accepting */
  EXPECT_DROP,       /* a response: silently dropped */
} Expect;

typedef struct
{
  const char *name;
  Expect      expect;
  guint       codes[3];
} TortureCase;

/* Expected outcomes follow RFC 4475 and tests/data/rfc4475/MANIFEST.md. */
static const TortureCase torture_cases[] = {
  /* 3.1.1 valid messages */
  { "wsinv",      EXPECT_VALID },
  { "intmeth",    EXPECT_VALID },
  { "esc01",      EXPECT_VALID },
  { "escnull",    EXPECT_CODES, { 200 } },
  { "esc02",      EXPECT_CODES, { 501 } },       /* not REGISTER, to us */
  { "lwsdisp",    EXPECT_VALID },
  { "longreq",    EXPECT_VALID },
  { "dblreq",     EXPECT_CODES, { 200 } },       /* and nothing for the rest */
  { "semiuri",    EXPECT_VALID },
  { "transports", EXPECT_VALID },
  { "mpart01",    EXPECT_VALID },
  { "unreason",   EXPECT_DROP },
  { "noreason",   EXPECT_DROP },
  /* 3.1.2 invalid messages */
  { "badinv01",   EXPECT_CODES, { 400 } },
  { "clerr",      EXPECT_CODES, { 400 } },
  { "ncl",        EXPECT_CODES, { 400 } },
  { "scalar02",   EXPECT_CODES, { 400 } },
  { "scalarlg",   EXPECT_DROP },
  { "quotbal",    EXPECT_ANY },
  { "ltgtruri",   EXPECT_ANY },
  { "lwsruri",    EXPECT_CODES, { 400 } },
  { "lwsstart",   EXPECT_ANY },
  { "trws",       EXPECT_ANY },
  { "escruri",    EXPECT_ANY },
  { "baddate",    EXPECT_ANY },
  { "regbadct",   EXPECT_CODES, { 400 } },
  { "badaspec",   EXPECT_CODES, { 400 } },
  { "baddn",      EXPECT_CODES, { 400 } },
  { "badvers",    EXPECT_CODES, { 505 } },
  { "mismatch01", EXPECT_CODES, { 400 } },
  { "mismatch02", EXPECT_CODES, { 501, 400 } },
  { "bigcode",    EXPECT_DROP },
  /* 3.2 transaction layer */
  { "badbranch",  EXPECT_ANY },
  /* 3.3 application layer semantics */
  { "insuf",      EXPECT_CODES, { 400 } },
  { "unkscm",     EXPECT_CODES, { 416 } },
  { "novelsc",    EXPECT_CODES, { 416 } },
  { "unksm2",     EXPECT_CODES, { 400, 404, 416 } }, /* To is no SIP AOR */
  { "bext01",     EXPECT_CODES, { 420 } },
  { "invut",      EXPECT_VALID },
  { "regaut01",   EXPECT_CODES, { 200 } },       /* no auth: a plain query */
  { "multi01",    EXPECT_CODES, { 400 } },
  { "mcl01",      EXPECT_CODES, { 400 } },
  { "bcast",      EXPECT_DROP },
  { "zeromf",     EXPECT_CODES, { 483, 200 } },  /* not yet a proxy */
  { "cparam01",   EXPECT_CODES, { 200 } },
  { "cparam02",   EXPECT_CODES, { 200 } },
  { "regescrt",   EXPECT_ANY },
  { "sdp01",      EXPECT_VALID },
  /* 3.4 backward compatibility */
  { "inv2543",    EXPECT_VALID },
};

static const TortureCase *
find_torture_case (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (torture_cases); i++)
    if (g_strcmp0 (torture_cases[i].name, name) == 0)
      return &torture_cases[i];

  return NULL;
}

static gboolean
code_expected (const TortureCase *tc,
               guint              code)
{
  switch (tc->expect)
    {
    case EXPECT_CODES:
      for (gsize i = 0; i < G_N_ELEMENTS (tc->codes) && tc->codes[i] != 0; i++)
        if (tc->codes[i] == code)
          return TRUE;
      return FALSE;
    case EXPECT_VALID:
      return code >= 200 && code != 400;
    case EXPECT_ANY:
      return code >= 200;
    case EXPECT_DROP:
    default:
      return FALSE;
    }
}

/* Sends one torture message on a fresh connection; returns a complaint, or
 * NULL when the daemon did what RFC 4475 asks. */
static char *
run_torture_case (SwsTestDaemon     *daemon,
                  const TortureCase *tc,
                  const char        *data,
                  gsize              len)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (daemon);
  g_autofree char *response = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *status_line = NULL;
  guint code;

  /* One message per WebSocket message (RFC 7118 §5.1); what is not UTF-8
   * (or holds NULs) can only go in a binary frame. */
  if (g_utf8_validate_len (data, len, NULL))
    sws_test_client_send (client, data);
  else
    sws_test_client_send_binary (client, data, len);

  if (tc->expect == EXPECT_DROP)
    {
      response = sws_test_client_recv (client, SWS_TEST_SILENCE_MS);
      if (response != NULL)
        return g_strdup_printf ("%s: a response must be dropped, got \"%.*s\"",
                                tc->name, (int) strcspn (response, "\r\n"), response);
      return NULL;
    }

  response = sws_test_client_recv_final (client, SWS_TEST_RECV_TIMEOUT_MS);
  if (response == NULL)
    return g_strdup_printf ("%s: no final response", tc->name);

  code = sws_test_status_code (response);
  status_line = g_strndup (response, strcspn (response, "\r\n"));
  g_test_message ("%s: %s", tc->name, status_line);
  if (!code_expected (tc, code))
    return g_strdup_printf ("%s: unexpected \"%s\"", tc->name, status_line);

  /* dblreq: the octets after Content-Length are not a second request. */
  if (g_str_equal (tc->name, "dblreq"))
    {
      extra = sws_test_client_recv (client, SWS_TEST_SILENCE_MS);
      if (extra != NULL)
        return g_strdup_printf ("%s: answered the trailing octets: \"%.60s\"",
                                tc->name, extra);
    }

  return NULL;
}

static void
test_transport_rfc4475 (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *dir_path = g_getenv ("SWS_RFC4475_DIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SwsTestClient) last = NULL;
  const char *entry;

  /* A test that cannot run fails. */
  if (dir_path == NULL)
    g_test_message ("SWS_RFC4475_DIR is not set");
  g_assert_nonnull (dir_path);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      g_autofree char *complaint = NULL;
      const TortureCase *tc;
      gsize len;

      if (!g_str_has_suffix (entry, ".dat"))
        continue;

      name = g_strndup (entry, strlen (entry) - strlen (".dat"));
      tc = find_torture_case (name);
      if (tc == NULL)
        {
          g_string_append_printf (failures, "%s: no expectation written down\n", name);
          continue;
        }
      g_hash_table_add (seen, (gpointer) tc->name);

      path = g_build_filename (dir_path, entry, NULL);
      g_file_get_contents (path, &data, &len, &error);
      g_assert_no_error (error);

      complaint = run_torture_case (fixture->daemon, tc, data, len);
      if (complaint != NULL)
        g_string_append_printf (failures, "%s\n", complaint);

      if (!sws_test_daemon_is_running (fixture->daemon))
        {
          g_string_append_printf (failures, "%s: the daemon died\n", name);
          break;
        }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (torture_cases); i++)
    if (!g_hash_table_contains (seen, torture_cases[i].name))
      g_string_append_printf (failures, "%s.dat: missing from %s\n",
                              torture_cases[i].name, dir_path);

  /* After all of that the daemon still serves. */
  if (sws_test_daemon_is_running (fixture->daemon))
    {
      last = sws_test_client_new_for_daemon (fixture->daemon);
      assert_options_ok (last);
    }

  g_assert_cmpstr (failures->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  sws_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/sws/integration/transport/" path, Fixture, NULL, \
              fixture_setup, func, fixture_teardown)

  ADD ("options", test_transport_options);
  ADD ("unknown-method", test_transport_unknown_method);
  ADD ("too-large", test_transport_too_large);
  ADD ("size-limit", test_transport_size_limit);
  ADD ("malformed", test_transport_malformed);
  ADD ("keepalive", test_transport_keepalive);
  ADD ("binary-frame", test_transport_binary_frame);
  ADD ("fragments", test_transport_fragments);
  ADD ("fragments-too-large", test_transport_fragments_too_large);
  ADD ("endless-message", test_transport_endless_message);
  ADD ("endless-message-pongs", test_transport_endless_message_pongs);
  ADD ("huge-frame", test_transport_huge_frame);
  ADD ("handshake", test_transport_handshake);
  ADD ("http-not-found", test_transport_http_not_found);
  ADD ("sigterm", test_transport_sigterm);
  ADD ("sigint", test_transport_sigint);
  ADD ("rfc4475", test_transport_rfc4475);

#undef ADD

  return g_test_run ();
}
