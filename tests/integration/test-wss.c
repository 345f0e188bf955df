/* test-wss.c: SIP over secure WebSockets (RFC 7118 §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A certificate is made for the test with openssl; the daemon listens on
 * ws:// and wss:// at once. Alice registers and calls over wss://, Bob
 * answers over ws://: the proxy joins the two.
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "sws-test-call.h"

/* A self-signed certificate for localhost in the daemon's directory. */
static void
make_certificate (SwsTestDaemon *daemon,
                  char         **cert,
                  char         **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  *cert = g_build_filename (sws_test_daemon_get_tmpdir (daemon), "cert.pem", NULL);
  *key = g_build_filename (sws_test_daemon_get_tmpdir (daemon), "key.pem", NULL);
  {
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", *key, "-out", *cert, "-days", "1",
                           "-subj", "/CN=localhost", NULL };

    /* Not found is a failure: tools/test installs openssl. */
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, &out, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The wss:// URI the daemon reports, with the port it was given. */
static char *
wss_uri (SwsTestDaemon *daemon)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/status",
                                          sws_test_daemon_get_port (daemon));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *uris;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  uris = json_object_get_array_member (json_node_get_object (node), "listen_uris");
  for (guint i = 0; i < json_array_get_length (uris); i++)
    if (g_str_has_prefix (json_array_get_string_element (uris, i), "wss://127.0.0.1:"))
      return g_strconcat (json_array_get_string_element (uris, i), "/", NULL);
  g_assert_not_reached ();
}

static char *
registration_transport (SwsTestDaemon *daemon,
                        const char    *aor)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/registrations",
                                          sws_test_daemon_get_port (daemon));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *reg = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (reg, "aor"), aor))
        return g_strdup (json_object_get_string_member (reg, "transport"));
    }
  return NULL;
}

static void
test_wss_register_and_call (void)
{
  SwsTestCallFixture fixture = { 0 };
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *alice_transport = NULL;
  g_autofree char *bob_transport = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  fixture.daemon = sws_test_daemon_new ();
  make_certificate (fixture.daemon, &cert, &key);
  g_key_file_set_string (sws_test_daemon_get_config (fixture.daemon), "server",
                         "tls-certificate", cert);
  g_key_file_set_string (sws_test_daemon_get_config (fixture.daemon), "server", "tls-key", key);
  sws_test_daemon_add_listen (fixture.daemon, "wss://127.0.0.1:0");
  sws_test_daemon_start (fixture.daemon);

  /* The proxy's Via names the flow's transport (WSS towards Alice) and,
   * like the Record-Route, its first (ws://) listener: responses come
   * back on the flow whatever it says (RFC 7118 §5.3). */
  port = sws_test_daemon_get_port (fixture.daemon);
  fixture.via_pattern = g_strdup_printf ("^SIP/2\\.0/WSS? 127\\.0\\.0\\.1:%u"
                                         ";branch=z9hG4bK[^;,\\s]+$", port);
  fixture.route_pattern = g_strdup_printf ("^<sip:127\\.0\\.0\\.1:%u;transport=ws;lr"
                                           ";sws=[0-9]+\\.[0-9]+\\.[0-9a-f]{16}>$", port);

  uri = wss_uri (fixture.daemon);
  fixture.alice = sws_test_client_new_from (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (soup_websocket_connection_get_protocol (
                     sws_test_client_get_connection (fixture.alice)), ==, "sip");
  fixture.bob = sws_test_client_new_for_daemon (fixture.daemon);
  sws_test_call_register (fixture.alice, SWS_TEST_ALICE);
  sws_test_call_register (fixture.bob, SWS_TEST_BOB);

  alice_transport = registration_transport (fixture.daemon, SWS_TEST_ALICE);
  bob_transport = registration_transport (fixture.daemon, SWS_TEST_BOB);
  g_assert_cmpstr (alice_transport, ==, "WSS");
  g_assert_cmpstr (bob_transport, ==, "WS");

  /* From wss:// to ws:// and back, BYE from each side in turn. */
  sws_test_call_establish (&fixture, &call);
  sws_test_call_in_dialog (&fixture, &call, FALSE, "INFO", "application/dtmf-relay",
                           "Signal=1\r\nDuration=100\r\n");
  sws_test_call_in_dialog (&fixture, &call, TRUE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (&fixture);

  sws_test_call_fixture_teardown (&fixture, NULL);
}

/* A plain-text handshake on the TLS port is not a SIP flow. */
static void
test_wss_plain_refused (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GError) error = NULL;
  SwsTestClient *client;

  make_certificate (daemon, &cert, &key);
  g_key_file_set_string (sws_test_daemon_get_config (daemon), "server", "tls-certificate", cert);
  g_key_file_set_string (sws_test_daemon_get_config (daemon), "server", "tls-key", key);
  sws_test_daemon_add_listen (daemon, "wss://127.0.0.1:0");
  sws_test_daemon_start (daemon);

  uri = wss_uri (daemon);
  plain = g_strconcat ("ws://", uri + strlen ("wss://"), NULL);
  client = sws_test_client_new_from (plain, NULL, &error);
  g_assert_null (client);
  g_assert_nonnull (error);
  sws_test_daemon_stop (daemon);
}

int
main (int   argc,
      char *argv[])
{
  sws_test_init (&argc, &argv);

  g_test_add_func ("/sws/wss/register-and-call", test_wss_register_and_call);
  g_test_add_func ("/sws/wss/plain-refused", test_wss_plain_refused);

  return g_test_run ();
}
