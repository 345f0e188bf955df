/* test-limits.c: origin policy, connection limits and the request rate limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts the real daemon with the limit under test, hits it,
 * and checks that a well-behaved client (from another loopback address,
 * 127.0.0.2, where the limit is per address) keeps being served.
 */

#include <string.h>

#include "sws-test-client.h"
#include "sws-test-daemon.h"
#include "sws-test-ws-raw.h"

#define OTHER_IP "127.0.0.2"

/* A raw WebSocket handshake offering "sip", with `origin` (NULL: none)
 * from `local_ip` (NULL: any); returns the HTTP status. The socket is
 * handed back in *keep when the caller wants the flow to stay open. */
static guint
handshake (SwsTestDaemon      *daemon,
           const char         *origin,
           const char         *local_ip,
           GSocketConnection **keep)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *origin_header = origin ? g_strdup_printf ("Origin: %s\r\n", origin) : NULL;
  g_autofree char *request = NULL;
  GInputStream *in;
  char buf[1024];
  gsize got = 0;
  guint status = 0;

  g_socket_client_set_timeout (client, 5);
  if (local_ip != NULL)
    {
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new_from_string (local_ip, 0);

      g_socket_client_set_local_address (client, local);
    }
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", sws_test_daemon_get_port (daemon),
                                          NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("GET / HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "%s"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Protocol: sip\r\n"
                             "\r\n",
                             sws_test_daemon_get_port (daemon), origin_header ? origin_header : "");
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* The status line is all we need. */
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  while (got < sizeof buf - 1 && memchr (buf, '\n', got) == NULL)
    {
      gssize n = g_input_stream_read (in, buf + got, sizeof buf - 1 - got, NULL, &error);

      g_assert_no_error (error);
      if (n <= 0)
        break;
      got += (gsize) n;
    }
  buf[got] = '\0';
  g_assert_true (g_str_has_prefix (buf, "HTTP/1.1 "));
  status = (guint) g_ascii_strtoull (buf + 9, NULL, 10);
  if (keep != NULL)
    *keep = g_steal_pointer (&conn);
  return status;
}

/* A counter of the Manager, read through the HTTP API. */
static gint64
manager_counter (SwsTestDaemon *daemon,
                 const char    *key)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/status",
                                          sws_test_daemon_get_port (daemon));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);
  g_autofree char *text = NULL;
  const char *at;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  at = strstr (text, needle);
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (needle), NULL, 10);
}

static void
register_ok (SwsTestClient *client,
             const char    *aor)
{
  g_autofree char *contact = g_strdup_printf ("<%s>", sws_test_client_get_contact_uri (client));
  g_autofree char *request = sws_test_build_register (aor, contact, -1, NULL, 1);
  g_autofree char *response = sws_test_client_request (client, request);

  g_assert_nonnull (response);
  g_assert_cmpuint (sws_test_status_code (response), ==, 200);
}

static guint
count_lines (const char *log,
             const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (log, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* ---- origins ------------------------------------------------------------ */

static void
test_origin_default (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autofree char *own = NULL;
  g_autofree char *log = NULL;
  const char *allowed[] = { NULL, "http://127.0.0.1:8089", "http://localhost:3000",
                            "https://LOCALHOST", "http://[::1]:8080", "http://app.localhost" };
  const char *refused[] = { "https://evil.example", "null", "http://127.0.0.1.evil.example",
                            "file://", "not an origin" };

  sws_test_daemon_start (daemon);
  own = g_strdup_printf ("http://127.0.0.1:%u", sws_test_daemon_get_port (daemon));

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_test_message ("Origin: %s", allowed[i] ? allowed[i] : "(none)");
      g_assert_cmpuint (handshake (daemon, allowed[i], NULL, NULL), ==, 101);
    }
  g_assert_cmpuint (handshake (daemon, own, NULL, NULL), ==, 101);
  /* A page anywhere else may not drive a desktop server from the
   * visitor's browser (cross-site WebSocket hijacking). */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("Origin: %s", refused[i]);
      g_assert_cmpuint (handshake (daemon, refused[i], NULL, NULL), ==, 403);
    }
  g_assert_cmpint (manager_counter (daemon, "rejected_connections"), ==, G_N_ELEMENTS (refused));

  sws_test_daemon_stop (daemon);
  /* Logged, but once for the lot. */
  log = sws_test_daemon_dup_log (daemon);
  g_assert_cmpuint (count_lines (log, "allowed-origins"), ==, 1);
}

static void
test_origin_configured (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();

  g_key_file_set_string (sws_test_daemon_get_config (daemon), "server", "allowed-origins",
                         "https://phone.example.com;https://other.example:8443");
  sws_test_daemon_start (daemon);

  g_assert_cmpuint (handshake (daemon, "https://phone.example.com", NULL, NULL), ==, 101);
  g_assert_cmpuint (handshake (daemon, "https://other.example:8443", NULL, NULL), ==, 101);
  g_assert_cmpuint (handshake (daemon, NULL, NULL, NULL), ==, 101);
  /* The list is the whole policy: not even loopback pages pass. */
  g_assert_cmpuint (handshake (daemon, "http://127.0.0.1:8089", NULL, NULL), ==, 403);
  g_assert_cmpuint (handshake (daemon, "https://other.example", NULL, NULL), ==, 403);
  g_assert_cmpuint (handshake (daemon, "http://phone.example.com", NULL, NULL), ==, 403);

  sws_test_daemon_stop (daemon);
}

static void
test_origin_any (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();

  g_key_file_set_string (sws_test_daemon_get_config (daemon), "server", "allowed-origins", "*");
  sws_test_daemon_start (daemon);
  g_assert_cmpuint (handshake (daemon, "https://evil.example", NULL, NULL), ==, 101);
  g_assert_cmpuint (handshake (daemon, "null", NULL, NULL), ==, 101);
  sws_test_daemon_stop (daemon);
}

/* With Digest authentication a page needs a password anyway: every
 * origin may try. */
static void
test_origin_with_auth (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autofree char *users = g_build_filename (sws_test_daemon_get_tmpdir (daemon), "users", NULL);
  g_autofree char *ha1 = g_compute_checksum_for_string (G_CHECKSUM_MD5,
                                                        "alice:example.com:secret", -1);
  g_autofree char *line = g_strdup_printf ("alice:example.com:MD5:%s\n", ha1);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (users, line, -1, &error);
  g_assert_no_error (error);
  g_key_file_set_string (sws_test_daemon_get_config (daemon), "auth", "users-file", users);
  g_key_file_set_string (sws_test_daemon_get_config (daemon), "auth", "realm", "example.com");
  sws_test_daemon_start (daemon);
  g_assert_cmpuint (handshake (daemon, "https://softphone.example.net", NULL, NULL), ==, 101);
  /* "null" too: a file: page with the password is a client like any. */
  g_assert_cmpuint (handshake (daemon, "null", NULL, NULL), ==, 101);
  sws_test_daemon_stop (daemon);
}

/* ---- connections -------------------------------------------------------- */

static gboolean
connection_count_is (gpointer user_data)
{
  gpointer *args = user_data;

  return manager_counter (args[0], "connection_count") == GPOINTER_TO_INT (args[1]);
}

static void
test_per_ip (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autoptr(SwsTestClient) a = NULL;
  g_autoptr(SwsTestClient) b = NULL;
  g_autoptr(SwsTestClient) other = NULL;
  g_autoptr(SwsTestClient) again = NULL;
  g_autoptr(GError) error = NULL;
  gpointer args[2];

  g_key_file_set_integer (sws_test_daemon_get_config (daemon), "server",
                          "max-connections-per-ip", 2);
  sws_test_daemon_start (daemon);

  a = sws_test_client_new_for_daemon (daemon);
  b = sws_test_client_new_for_daemon (daemon);
  g_assert_cmpuint (handshake (daemon, NULL, NULL, NULL), ==, 503);

  /* Another address is not concerned, and the first two still work. */
  other = sws_test_client_new_from (sws_test_daemon_get_uri (daemon), OTHER_IP, &error);
  g_assert_no_error (error);
  register_ok (other, "sip:carol@example.com");
  register_ok (a, "sip:alice@example.com");
  register_ok (b, "sip:bob@example.com");
  g_assert_cmpint (manager_counter (daemon, "rejected_connections"), ==, 1);

  /* A closed flow frees its place. */
  g_clear_pointer (&a, sws_test_client_free);
  args[0] = daemon;
  args[1] = GINT_TO_POINTER (2);
  g_assert_true (sws_test_iterate_until (NULL, 3000, connection_count_is, args));
  again = sws_test_client_new_from (sws_test_daemon_get_uri (daemon), NULL, &error);
  g_assert_no_error (error);
  register_ok (again, "sip:alice@example.com");

  sws_test_daemon_stop (daemon);
}

static void
test_max_connections (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autoptr(SwsTestClient) a = NULL;
  g_autoptr(GError) error = NULL;

  g_key_file_set_integer (sws_test_daemon_get_config (daemon), "server", "max-connections", 1);
  sws_test_daemon_start (daemon);

  a = sws_test_client_new_for_daemon (daemon);
  g_assert_cmpuint (handshake (daemon, NULL, OTHER_IP, NULL), ==, 503);
  register_ok (a, "sip:alice@example.com");
  sws_test_daemon_stop (daemon);
}

/* A peer that connects and sends nothing, or half a request, is closed. */
static void
test_handshake_timeout (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autoptr(SwsTestClient) client = NULL;
  const char *sent[] = { NULL, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" };

  g_key_file_set_integer (sws_test_daemon_get_config (daemon), "server", "handshake-timeout", 1);
  sws_test_daemon_start (daemon);
  client = sws_test_client_new_for_daemon (daemon);

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_autoptr(GSocketClient) sc = g_socket_client_new ();
      g_autoptr(GSocketConnection) conn = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      char buf[64];
      gssize n;

      conn = g_socket_client_connect_to_host (sc, "127.0.0.1", sws_test_daemon_get_port (daemon),
                                              NULL, &error);
      g_assert_no_error (error);
      g_socket_set_timeout (g_socket_connection_get_socket (conn), 5);
      if (sent[i] != NULL)
        g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), sent[i],
                                   strlen (sent[i]), NULL, NULL, &error);
      g_assert_no_error (error);
      /* End of stream from the server, well before our own 5 s. */
      n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf,
                               NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 0);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
    }

  /* A WebSocket open for longer than that is not concerned, nor is an
   * HTTP connection kept alive after a request (closed, not counted). */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/status",
                                            sws_test_daemon_get_port (daemon));
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    sws_test_sleep (2500);
  }
  register_ok (client, "sip:alice@example.com");
  g_assert_cmpint (manager_counter (daemon, "rejected_connections"), ==, 2);
  sws_test_daemon_stop (daemon);
}

/* ---- request rate ------------------------------------------------------- */

#define FLOOD 40

static void
test_rate_limit (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  GKeyFile *config = sws_test_daemon_get_config (daemon);
  g_autoptr(SwsTestClient) flooder = NULL;
  g_autoptr(SwsTestClient) polite = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  guint ok = 0, limited = 0;
  gint64 start, elapsed;

  g_key_file_set_integer (config, "server", "rate-limit", 5);
  g_key_file_set_integer (config, "server", "rate-limit-burst", 10);
  g_key_file_set_boolean (config, "server", "rate-limit-loopback", TRUE);
  sws_test_daemon_start (daemon);

  flooder = sws_test_client_new_for_daemon (daemon);
  polite = sws_test_client_new_from (sws_test_daemon_get_uri (daemon), OTHER_IP, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < FLOOD; i++)
    {
      g_autofree char *options = sws_test_build_options ("sip:example.com");

      sws_test_client_send (flooder, options);
    }
  for (guint i = 0; i < FLOOD; i++)
    {
      g_autofree char *response = sws_test_client_recv (flooder, SWS_TEST_RECV_TIMEOUT_MS);
      g_autofree char *retry_after = NULL;

      g_assert_nonnull (response);
      switch (sws_test_status_code (response))
        {
        case 200:
          ok++;
          break;
        case 503:
          limited++;
          /* RFC 3261 §21.5.4: when to come back. */
          retry_after = sws_test_header (response, "Retry-After");
          g_assert_nonnull (retry_after);
          g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >=, 1);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  /* The burst, and what trickled in (5 a second) while the flood was
   * sent and read: a slow machine (sanitizers) lets more through. */
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (ok, >=, 10);
  g_assert_cmpuint (ok, <=, 10 + 5 * (elapsed / G_USEC_PER_SEC + 1));
  g_assert_cmpuint (ok, <, FLOOD);
  g_assert_cmpuint (limited, ==, FLOOD - ok);

  /* Someone else at the same time: served. */
  register_ok (polite, "sip:alice@example.com");
  g_assert_cmpint (manager_counter (daemon, "rate_limited"), ==, limited);

  sws_test_daemon_stop (daemon);
  log = sws_test_daemon_dup_log (daemon);
  g_assert_cmpuint (count_lines (log, "[server] rate-limit"), ==, 1);
}

/* The default leaves loopback peers (the desktop, the benchmark) alone. */
static void
test_rate_limit_loopback_exempt (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autoptr(SwsTestClient) client = NULL;

  g_key_file_set_integer (sws_test_daemon_get_config (daemon), "server", "rate-limit", 1);
  sws_test_daemon_start (daemon);
  client = sws_test_client_new_for_daemon (daemon);
  for (guint i = 0; i < FLOOD; i++)
    {
      g_autofree char *options = sws_test_build_options ("sip:example.com");

      sws_test_client_send (client, options);
    }
  for (guint i = 0; i < FLOOD; i++)
    {
      g_autofree char *response = sws_test_client_recv (client, SWS_TEST_RECV_TIMEOUT_MS);

      g_assert_nonnull (response);
      g_assert_cmpuint (sws_test_status_code (response), ==, 200);
    }
  g_assert_cmpint (manager_counter (daemon, "rate_limited"), ==, 0);
  sws_test_daemon_stop (daemon);
}

/* ---- a peer that does not read ----------------------------------------- */

#define BIG_BODY 60000
#define BIG_MESSAGES 400

static void
test_slow_reader (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autoptr(SwsTestWsRaw) reader = NULL;
  g_autoptr(SwsTestClient) sender = NULL;
  g_autoptr(SwsTestClient) other = NULL;
  g_autofree char *reg = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *body = g_strnfill (BIG_BODY, 'x');
  g_autofree char *log = NULL;
  g_autoptr(GError) error = NULL;
  gpointer args[2];

  sws_test_daemon_start (daemon);

  /* The reader registers, then never reads again. */
  reader = sws_test_ws_raw_new (daemon);
  reg = sws_test_build_register ("sip:reader@example.com",
                                 "<sip:reader@r1.invalid;transport=ws>", -1, NULL, 1);
  sws_test_ws_raw_send_frame (reader, TRUE, SWS_TEST_WS_TEXT, reg, strlen (reg), &error);
  g_assert_no_error (error);
  answer = sws_test_ws_raw_recv (reader, 2000);
  g_assert_nonnull (answer);
  g_assert_cmpuint (sws_test_status_code (answer), ==, 200);

  /* 24 MB of MESSAGEs for it: more than the sockets buffer and far more
   * than the daemon keeps for one peer. */
  sender = sws_test_client_new_for_daemon (daemon);
  for (guint i = 0; i < BIG_MESSAGES; i++)
    {
      g_autofree char *message = sws_test_build_request ("MESSAGE", "sip:reader@example.com",
                                                         "sip:reader@example.com", NULL, 1,
                                                         "Content-Type: text/plain\r\n", body);

      sws_test_client_send (sender, message);
      g_main_context_iteration (NULL, FALSE);
    }

  /* The reader's flow is closed (after libsoup's close timeout), not
   * buffered for; everyone else goes on. */
  args[0] = daemon;
  args[1] = GINT_TO_POINTER (1);
  g_assert_true (sws_test_iterate_until (NULL, 20000, connection_count_is, args));
  /* The sender's MESSAGEs end with 480 (the reader is gone); a new
   * client is served as ever. */
  other = sws_test_client_new_for_daemon (daemon);
  register_ok (other, "sip:other@example.com");
  sws_test_daemon_stop (daemon);
  log = sws_test_daemon_dup_log (daemon);
  g_assert_nonnull (strstr (log, "does not read"));
}

int
main (int   argc,
      char *argv[])
{
  sws_test_init (&argc, &argv);

  g_test_add_func ("/sws/limits/origin/default", test_origin_default);
  g_test_add_func ("/sws/limits/origin/configured", test_origin_configured);
  g_test_add_func ("/sws/limits/origin/any", test_origin_any);
  g_test_add_func ("/sws/limits/origin/with-auth", test_origin_with_auth);
  g_test_add_func ("/sws/limits/connections/per-ip", test_per_ip);
  g_test_add_func ("/sws/limits/connections/total", test_max_connections);
  g_test_add_func ("/sws/limits/connections/handshake-timeout", test_handshake_timeout);
  g_test_add_func ("/sws/limits/rate", test_rate_limit);
  g_test_add_func ("/sws/limits/rate/loopback-exempt", test_rate_limit_loopback_exempt);
  g_test_add_func ("/sws/limits/slow-reader", test_slow_reader);

  return g_test_run ();
}
