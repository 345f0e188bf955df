/* test-register.c: the registrar, seen from WebSocket clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 3261 §10.3 (registrar behaviour), RFC 5626 §6 (outbound flows),
 * RFC 7118 §5 (bindings of WebSocket clients), and the defaults of the
 * product contract: expiry 600 s by default, 60 s minimum, 3600 s maximum.
 */

#include <string.h>

#include "sws-test-client.h"
#include "sws-test-daemon.h"

#define POLL_INTERVAL_MS 100
#define BINDING_GONE_TIMEOUT_MS 2000

typedef struct
{
  SwsTestDaemon *daemon;
  char          *aor;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *user = sws_test_new_token (8);

  fixture->daemon = sws_test_daemon_new ();
  fixture->aor = g_strdup_printf ("sip:%s@example.com", user);
  sws_test_daemon_start (fixture->daemon);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* Also checks that the daemon is still alive and exits cleanly. */
  sws_test_daemon_stop (fixture->daemon);
  g_clear_pointer (&fixture->daemon, sws_test_daemon_free);
  g_clear_pointer (&fixture->aor, g_free);
}

/* Sends @request and returns the final response, which must be @code. */
static char *
expect_response (SwsTestClient *client,
                 const char    *request,
                 guint          code)
{
  g_autofree char *response = sws_test_client_request (client, request);

  if (response == NULL)
    g_test_message ("no response within %u ms to:\n%s",
                    SWS_TEST_RECV_TIMEOUT_MS, request);
  g_assert_nonnull (response);

  if (sws_test_status_code (response) != code)
    g_test_message ("request:\n%s\nresponse:\n%s", request, response);
  g_assert_cmpuint (sws_test_status_code (response), ==, code);

  return g_steal_pointer (&response);
}

static char *
do_register (SwsTestClient *client,
             const char    *aor,
             const char    *contact,
             int            expires,
             const char    *call_id,
             guint32        cseq,
             guint          code)
{
  g_autofree char *request = sws_test_build_register (aor, contact, expires,
                                                      call_id, cseq);

  return expect_response (client, request, code);
}

static char *
bracketed (const char *uri)
{
  return g_strdup_printf ("<%s>", uri);
}

/* A REGISTER without Contact lists the bindings (RFC 3261 §10.2.3). */
static GStrv
query_contacts (SwsTestClient *client,
                const char    *aor)
{
  g_autofree char *call_id = sws_test_new_token (20);
  g_autofree char *response = do_register (client, aor, NULL, -1, call_id, 1, 200);

  return sws_test_header_list (response, "Contact");
}

static void
assert_single_binding (const char *response,
                       const char *uri,
                       gint64      expires)
{
  g_auto(GStrv) contacts = sws_test_header_list (response, "Contact");
  const char *contact;

  g_assert_cmpuint (g_strv_length (contacts), ==, 1);
  contact = sws_test_find_contact ((const char * const *) contacts, uri);
  g_assert_nonnull (contact);
  g_assert_cmpint (sws_test_contact_expires (contact), ==, expires);
}

static void
test_register_basic (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = bracketed (uri);
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  g_autofree char *sent_via = NULL;
  g_autofree char *sent_branch = NULL;
  g_autofree char *via = NULL;
  g_autofree char *received = NULL;
  g_autofree char *branch = NULL;
  g_autofree char *date = NULL;
  g_auto(GStrv) vias = NULL;

  request = sws_test_build_register (fixture->aor, contact, -1, "basic-1", 1);
  response = expect_response (client, request, 200);

  /* No expiry asked for: the default, as a contact parameter, since
   * browser clients read it only there. */
  assert_single_binding (response, uri, 600);

  /* RFC 3261 §10.3 step 8: a registrar's 200 carries Date. */
  date = sws_test_header (response, "Date");
  g_assert_nonnull (date);
  g_assert_true (g_regex_match_simple ("^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} "
                                       "[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$",
                                       date, 0, 0));

  /* RFC 3261 §18.2.1: received= the source address; §8.2.6.2: the Via is
   * copied back unchanged otherwise. */
  vias = sws_test_header_list (response, "Via");
  g_assert_cmpuint (g_strv_length (vias), ==, 1);
  via = g_strdup (vias[0]);
  received = sws_test_header_param (via, "received");
  g_assert_cmpstr (received, ==, "127.0.0.1");

  sent_via = sws_test_header (request, "Via");
  sent_branch = sws_test_header_param (sent_via, "branch");
  branch = sws_test_header_param (via, "branch");
  g_assert_cmpstr (branch, ==, sent_branch);
  g_assert_true (g_str_has_prefix (via, "SIP/2.0/WS "));
}

static void
test_register_response_headers (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *contact = bracketed (sws_test_client_get_contact_uri (client));
  g_autofree char *request = sws_test_build_register (fixture->aor, contact, -1,
                                                      "headers-1", 7);
  g_autofree char *response = expect_response (client, request, 200);
  const char *echoed[] = { "Call-ID", "CSeq", "From" };
  g_autofree char *to = NULL;
  g_autofree char *to_tag = NULL;
  g_autofree char *length = NULL;

  /* RFC 3261 §8.2.6.2 */
  for (gsize i = 0; i < G_N_ELEMENTS (echoed); i++)
    {
      g_autofree char *sent = sws_test_header (request, echoed[i]);
      g_autofree char *got = sws_test_header (response, echoed[i]);

      g_assert_cmpstr (got, ==, sent);
    }

  to = sws_test_header (response, "To");
  g_assert_nonnull (to);
  g_assert_nonnull (strstr (to, fixture->aor));
  to_tag = sws_test_header_param (to, "tag");
  g_assert_nonnull (to_tag);
  g_assert_cmpstr (to_tag, !=, "");

  /* Clients drop a message whose Content-Length does not match its body. */
  length = sws_test_header (response, "Content-Length");
  if (length != NULL)
    g_assert_cmpstr (length, ==, "0");
}

static void
test_register_via_rport (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *contact = bracketed (sws_test_client_get_contact_uri (client));
  g_autofree char *plain = sws_test_build_register (fixture->aor, contact, -1, "rport-1", 1);
  g_autoptr(GString) with_rport = g_string_new (plain);
  g_autofree char *response = NULL;
  g_autofree char *via = NULL;
  g_autofree char *rport = NULL;
  g_autofree char *received = NULL;
  guint64 port;

  /* RFC 3581 §4: rport gets a value only when the client asked for it. */
  response = expect_response (client, plain, 200);
  via = sws_test_header (response, "Via");
  rport = sws_test_header_param (via, "rport");
  g_assert_null (rport);
  g_clear_pointer (&response, g_free);
  g_clear_pointer (&via, g_free);

  g_string_replace (with_rport, ";branch=", ";rport;branch=", 1);
  g_string_replace (with_rport, "CSeq: 1 ", "CSeq: 2 ", 1);
  response = expect_response (client, with_rport->str, 200);
  via = sws_test_header (response, "Via");
  rport = sws_test_header_param (via, "rport");
  g_assert_nonnull (rport);
  g_assert_true (g_ascii_string_to_unsigned (rport, 10, 1, 65535, &port, NULL));
  g_assert_cmpuint (port, !=, sws_test_daemon_get_port (fixture->daemon));
  received = sws_test_header_param (via, "received");
  g_assert_cmpstr (received, ==, "127.0.0.1");
}

static void
test_register_refresh (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = bracketed (uri);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  first = do_register (client, fixture->aor, contact, -1, "refresh-1", 1, 200);
  assert_single_binding (first, uri, 600);

  /* Same Call-ID, higher CSeq: the binding is updated, not duplicated. */
  second = do_register (client, fixture->aor, contact, 300, "refresh-1", 2, 200);
  assert_single_binding (second, uri, 300);
}

static void
test_register_multiple_contacts (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) first = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) second = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri1 = sws_test_client_get_contact_uri (first);
  const char *uri2 = sws_test_client_get_contact_uri (second);
  g_autofree char *contact1 = bracketed (uri1);
  g_autofree char *contact2 = bracketed (uri2);
  g_autofree char *response1 = NULL;
  g_autofree char *response2 = NULL;
  g_auto(GStrv) contacts = NULL;
  const char *found;

  response1 = do_register (first, fixture->aor, contact1, -1, "multi-1", 1, 200);
  assert_single_binding (response1, uri1, 600);

  /* RFC 3261 §10.3 step 8: the 200 lists every current binding. */
  response2 = do_register (second, fixture->aor, contact2, 120, "multi-2", 1, 200);
  contacts = sws_test_header_list (response2, "Contact");
  g_assert_cmpuint (g_strv_length (contacts), ==, 2);

  found = sws_test_find_contact ((const char * const *) contacts, uri1);
  g_assert_nonnull (found);
  g_assert_cmpint (sws_test_contact_expires (found), >, 590);
  g_assert_cmpint (sws_test_contact_expires (found), <=, 600);

  found = sws_test_find_contact ((const char * const *) contacts, uri2);
  g_assert_nonnull (found);
  g_assert_cmpint (sws_test_contact_expires (found), ==, 120);
}

static void
test_register_contact_expires_param (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = g_strdup_printf ("<%s>;expires=120", uri);
  g_autofree char *response = NULL;

  response = do_register (client, fixture->aor, contact, -1, "param-1", 1, 200);
  assert_single_binding (response, uri, 120);
}

static void
test_register_contact_param_wins (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = g_strdup_printf ("<%s>;expires=120", uri);
  g_autofree char *response = NULL;

  /* RFC 3261 §10.2.1.1: the parameter overrides the Expires header. */
  response = do_register (client, fixture->aor, contact, 300, "param-2", 1, 200);
  assert_single_binding (response, uri, 120);
}

static void
test_register_interval_too_brief (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *contact = bracketed (sws_test_client_get_contact_uri (client));
  g_autofree char *response = NULL;
  g_autofree char *min_expires = NULL;
  g_auto(GStrv) contacts = NULL;

  /* RFC 3261 §10.3 step 7 */
  response = do_register (client, fixture->aor, contact, 30, "brief-1", 1, 423);
  min_expires = sws_test_header (response, "Min-Expires");
  g_assert_cmpstr (min_expires, ==, "60");

  contacts = query_contacts (client, fixture->aor);
  g_assert_cmpuint (g_strv_length (contacts), ==, 0);
}

static void
test_register_max_expires (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = bracketed (uri);
  g_autofree char *response = NULL;

  /* RFC 3261 §10.3 step 7 lets the registrar shorten the interval. */
  response = do_register (client, fixture->aor, contact, 99999, "max-1", 1, 200);
  assert_single_binding (response, uri, 3600);
}

static void
test_register_wildcard_remove (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) first = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) second = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *contact1 = bracketed (sws_test_client_get_contact_uri (first));
  g_autofree char *contact2 = bracketed (sws_test_client_get_contact_uri (second));
  g_autofree char *response = NULL;
  g_auto(GStrv) removed = NULL;
  g_auto(GStrv) contacts = NULL;

  g_free (do_register (first, fixture->aor, contact1, -1, "wild-1", 1, 200));
  g_free (do_register (second, fixture->aor, contact2, -1, "wild-2", 1, 200));

  /* RFC 3261 §10.2.2: "Contact: *" with "Expires: 0" removes them all. */
  response = do_register (first, fixture->aor, "*", 0, "wild-3", 1, 200);
  removed = sws_test_header_list (response, "Contact");
  g_assert_cmpuint (g_strv_length (removed), ==, 0);

  contacts = query_contacts (second, fixture->aor);
  g_assert_cmpuint (g_strv_length (contacts), ==, 0);
}

static void
test_register_wildcard_invalid (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = bracketed (uri);
  g_autofree char *mixed = g_strdup_printf ("*, <%s>", uri);
  g_auto(GStrv) contacts = NULL;

  g_free (do_register (client, fixture->aor, contact, -1, "wildbad-1", 1, 200));

  /* RFC 3261 §10.3 step 6: "*" needs Expires 0 and no other Contact. */
  g_free (do_register (client, fixture->aor, "*", 10, "wildbad-2", 1, 400));
  g_free (do_register (client, fixture->aor, "*", -1, "wildbad-3", 1, 400));
  g_free (do_register (client, fixture->aor, mixed, 0, "wildbad-4", 1, 400));

  contacts = query_contacts (client, fixture->aor);
  g_assert_cmpuint (g_strv_length (contacts), ==, 1);
  g_assert_nonnull (sws_test_find_contact ((const char * const *) contacts, uri));
}

static void
test_register_cseq_out_of_order (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = bracketed (uri);
  g_autofree char *removal = g_strdup_printf ("<%s>;expires=0", uri);
  g_auto(GStrv) contacts = NULL;
  const char *found;

  g_free (do_register (client, fixture->aor, contact, -1, "order-1", 5, 200));

  /* RFC 3261 §10.3 step 7: a lower CSeq for the same Call-ID is stale. */
  g_free (do_register (client, fixture->aor, removal, -1, "order-1", 3, 400));

  contacts = query_contacts (client, fixture->aor);
  g_assert_cmpuint (g_strv_length (contacts), ==, 1);
  found = sws_test_find_contact ((const char * const *) contacts, uri);
  g_assert_nonnull (found);
  g_assert_cmpint (sws_test_contact_expires (found), >, 590);
  g_assert_cmpint (sws_test_contact_expires (found), <=, 600);
}

static void
test_register_query (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) observer = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = bracketed (uri);
  g_autofree char *unknown = g_strdup_printf ("%s-nobody", fixture->aor);
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) contacts = NULL;
  const char *found;

  /* An AOR that nobody registered: 200 with no Contact. */
  none = query_contacts (observer, unknown);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  g_free (do_register (client, fixture->aor, contact, 300, "query-1", 1, 200));

  contacts = query_contacts (observer, fixture->aor);
  g_assert_cmpuint (g_strv_length (contacts), ==, 1);
  found = sws_test_find_contact ((const char * const *) contacts, uri);
  g_assert_nonnull (found);
  g_assert_cmpint (sws_test_contact_expires (found), >, 290);
  g_assert_cmpint (sws_test_contact_expires (found), <=, 300);
}

static void
assert_unbound (SwsTestClient *client,
                const char    *response,
                const char    *aor,
                const char    *uri)
{
  g_auto(GStrv) listed = sws_test_header_list (response, "Contact");
  g_auto(GStrv) contacts = NULL;

  g_assert_null (sws_test_find_contact ((const char * const *) listed, uri));

  contacts = query_contacts (client, aor);
  g_assert_null (sws_test_find_contact ((const char * const *) contacts, uri));
}

static void
test_register_unregister (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  const char *uri = sws_test_client_get_contact_uri (client);
  g_autofree char *contact = bracketed (uri);
  g_autofree char *removal = g_strdup_printf ("<%s>;expires=0", uri);
  g_autofree char *response = NULL;

  /* As contact parameter ... */
  g_free (do_register (client, fixture->aor, contact, -1, "unreg-1", 1, 200));
  response = do_register (client, fixture->aor, removal, -1, "unreg-1", 2, 200);
  assert_unbound (client, response, fixture->aor, uri);
  g_clear_pointer (&response, g_free);

  /* ... and as Expires header. */
  g_free (do_register (client, fixture->aor, contact, -1, "unreg-1", 3, 200));
  response = do_register (client, fixture->aor, contact, 0, "unreg-1", 4, 200);
  assert_unbound (client, response, fixture->aor, uri);
}

static void
test_register_outbound_replace (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(SwsTestClient) old_flow = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) new_flow = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) observer = sws_test_client_new_for_daemon (fixture->daemon);
  const char *old_uri = sws_test_client_get_contact_uri (old_flow);
  const char *new_uri = sws_test_client_get_contact_uri (new_flow);
  const char *extra = "Supported: path, outbound\r\n";
  g_autofree char *instance = NULL;
  g_autofree char *old_contact = NULL;
  g_autofree char *new_contact = NULL;
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  g_auto(GStrv) contacts = NULL;

  instance = g_strdup_printf ("<urn:uuid:8c1a45b7-3f0e-4d2a-9b61-%012x>",
                              g_random_int ());
  old_contact = g_strdup_printf ("<%s>;reg-id=1;+sip.instance=\"%s\"", old_uri, instance);
  new_contact = g_strdup_printf ("<%s>;reg-id=1;+sip.instance=\"%s\"", new_uri, instance);

  request = sws_test_build_register_full (fixture->aor, old_contact, -1,
                                          "outbound-1", 1, extra, NULL);
  response = expect_response (old_flow, request, 200);
  assert_single_binding (response, old_uri, 600);
  g_clear_pointer (&request, g_free);
  g_clear_pointer (&response, g_free);

  /* RFC 5626 §6: same instance and reg-id on a new flow replaces the old
   * binding, as when a browser reconnects. */
  request = sws_test_build_register_full (fixture->aor, new_contact, -1,
                                          "outbound-2", 1, extra, NULL);
  response = expect_response (new_flow, request, 200);
  assert_single_binding (response, new_uri, 600);

  contacts = query_contacts (observer, fixture->aor);
  g_assert_cmpuint (g_strv_length (contacts), ==, 1);
  g_assert_nonnull (sws_test_find_contact ((const char * const *) contacts, new_uri));
}

static gboolean
wait_binding_gone (SwsTestClient *observer,
                   const char    *aor,
                   const char    *uri)
{
  gint64 deadline = g_get_monotonic_time ()
                    + BINDING_GONE_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_auto(GStrv) contacts = query_contacts (observer, aor);

      if (sws_test_find_contact ((const char * const *) contacts, uri) == NULL)
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      sws_test_sleep (POLL_INTERVAL_MS);
    }
}

static void
check_binding_dies_with_connection (Fixture  *fixture,
                                    gboolean  abrupt)
{
  g_autoptr(SwsTestClient) client = sws_test_client_new_for_daemon (fixture->daemon);
  g_autoptr(SwsTestClient) observer = sws_test_client_new_for_daemon (fixture->daemon);
  g_autofree char *uri = g_strdup (sws_test_client_get_contact_uri (client));
  g_autofree char *contact = bracketed (uri);
  g_auto(GStrv) contacts = NULL;

  g_free (do_register (client, fixture->aor, contact, -1, "close-1", 1, 200));
  contacts = query_contacts (observer, fixture->aor);
  g_assert_nonnull (sws_test_find_contact ((const char * const *) contacts, uri));

  /* RFC 7118 §5: a WebSocket client is reachable only over its own
   * connection, so its binding ends with it. */
  if (abrupt)
    sws_test_client_drop (client);
  else
    sws_test_client_close (client);
  g_clear_pointer (&client, sws_test_client_free);

  g_assert_true (wait_binding_gone (observer, fixture->aor, uri));
}

static void
test_register_connection_close (Fixture       *fixture,
                                gconstpointer  user_data)
{
  check_binding_dies_with_connection (fixture, FALSE);
}

static void
test_register_connection_drop (Fixture       *fixture,
                               gconstpointer  user_data)
{
  check_binding_dies_with_connection (fixture, TRUE);
}

static void
test_register_config_limits (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  GKeyFile *config = sws_test_daemon_get_config (daemon);
  g_autoptr(SwsTestClient) client = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *response = NULL;
  g_autofree char *min_expires = NULL;
  const char *uri;
  const char *aor = "sip:limits@example.com";

  g_key_file_set_integer (config, "registrar", "default-expires", 300);
  g_key_file_set_integer (config, "registrar", "min-expires", 120);
  g_key_file_set_integer (config, "registrar", "max-expires", 1800);
  sws_test_daemon_start (daemon);

  client = sws_test_client_new_for_daemon (daemon);
  uri = sws_test_client_get_contact_uri (client);
  contact = bracketed (uri);

  response = do_register (client, aor, contact, 90, "limits-1", 1, 423);
  min_expires = sws_test_header (response, "Min-Expires");
  g_assert_cmpstr (min_expires, ==, "120");
  g_clear_pointer (&response, g_free);

  response = do_register (client, aor, contact, -1, "limits-1", 2, 200);
  assert_single_binding (response, uri, 300);
  g_clear_pointer (&response, g_free);

  response = do_register (client, aor, contact, 5000, "limits-1", 3, 200);
  assert_single_binding (response, uri, 1800);

  g_clear_pointer (&client, sws_test_client_free);
  sws_test_daemon_stop (daemon);
}

int
main (int   argc,
      char *argv[])
{
  sws_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/sws/integration/register/" path, Fixture, NULL, \
              fixture_setup, func, fixture_teardown)

  ADD ("basic", test_register_basic);
  ADD ("response-headers", test_register_response_headers);
  ADD ("via-rport", test_register_via_rport);
  ADD ("refresh", test_register_refresh);
  ADD ("multiple-contacts", test_register_multiple_contacts);
  ADD ("contact-expires-param", test_register_contact_expires_param);
  ADD ("contact-param-wins", test_register_contact_param_wins);
  ADD ("interval-too-brief", test_register_interval_too_brief);
  ADD ("max-expires", test_register_max_expires);
  ADD ("wildcard-remove", test_register_wildcard_remove);
  ADD ("wildcard-invalid", test_register_wildcard_invalid);
  ADD ("cseq-out-of-order", test_register_cseq_out_of_order);
  ADD ("query", test_register_query);
  ADD ("unregister", test_register_unregister);
  ADD ("outbound-replace", test_register_outbound_replace);
  ADD ("connection-close", test_register_connection_close);
  ADD ("connection-drop", test_register_connection_drop);

#undef ADD

  g_test_add_func ("/sws/integration/register/config-limits",
                   test_register_config_limits);

  return g_test_run ();
}
