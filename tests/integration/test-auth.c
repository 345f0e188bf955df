/* test-auth.c: Digest authentication through the real daemon (RFC 3261 §22)
 *
 * sipwsd with [auth] and a users file, spoken to over real WebSockets:
 * clients answer 401 and 407 challenges the way JsSIP and SIP.js do
 * (the first challenge they can use, nc counting up, the same Call-ID
 * and a higher CSeq), register, message and call each other; the
 * requests inside the call go along the Record-Route without credentials.
 * SIGHUP re-reads the users file.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sws-sip-digest.h"
#include "sws-test-call.h"

#define REALM "example.com"

typedef struct
{
  SwsTestCallFixture call;
  char *users_path;
} Fixture;

static void
write_users (Fixture *f, const char *extra)
{
  const char *users[][2] = { { "alice", "alice-pw" }, { "bob", "bob-pw" } };
  g_autoptr(GString) text = g_string_new ("# users of the test\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *md5 = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_MD5, users[i][0], REALM,
                                             users[i][1]);
      g_autofree char *sha = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_SHA256, users[i][0], REALM,
                                             users[i][1]);

      g_string_append_printf (text, "%s:" REALM ":MD5:%s\n%s:" REALM ":SHA-256:%s\n",
                              users[i][0], md5, users[i][0], sha);
    }
  if (extra != NULL)
    g_string_append (text, extra);
  g_file_set_contents_full (f->users_path, text->str, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                            &error);
  g_assert_no_error (error);
}

static void
setup (Fixture *f, gconstpointer data)
{
  SwsTestCallFixture *c = &f->call;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sws-auth-XXXXXX", &error);
  GKeyFile *config;
  guint16 port;

  g_assert_no_error (error);
  f->users_path = g_build_filename (dir, "users", NULL);
  write_users (f, NULL);

  c->daemon = sws_test_daemon_new ();
  config = sws_test_daemon_get_config (c->daemon);
  g_key_file_set_string (config, "server", "domains", REALM);
  g_key_file_set_string (config, "auth", "users-file", f->users_path);
  sws_test_daemon_start (c->daemon);

  port = sws_test_daemon_get_port (c->daemon);
  c->via_pattern = g_strdup_printf ("^SIP/2\\.0/WS 127\\.0\\.0\\.1:%u"
                                    ";branch=z9hG4bK[^;,\\s]+$", port);
  c->route_pattern = g_strdup_printf ("^<sip:127\\.0\\.0\\.1:%u;transport=ws;lr"
                                      ";sws=[0-9]+\\.[0-9]+\\.[0-9a-f]{16}>$", port);
  c->alice = sws_test_client_new_for_daemon (c->daemon);
  c->bob = sws_test_client_new_for_daemon (c->daemon);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_path_get_dirname (f->users_path);

  sws_test_call_fixture_teardown (&f->call, data);
  g_unlink (f->users_path);
  g_rmdir (dir);
  g_free (f->users_path);
}

/* The challenge of `response` for `algorithm` in header `name`. */
static void
get_challenge (const char         *response,
               const char         *name,
               SwsDigestAlgorithm  algorithm,
               SwsDigestChallenge *ch)
{
  g_auto(GStrv) values = sws_test_header_all (response, name);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!sws_digest_challenge_parse (sws_str_c (values[i]), ch, &error))
        g_error ("%s: %s", values[i], error->message);
      if (ch->algorithm == algorithm)
        return;
      sws_digest_challenge_clear (ch);
    }
  g_error ("no %s challenge in %s:\n%s", sws_digest_algorithm_to_string (algorithm), name,
           response);
}

/* `request` with one more header line after its Max-Forwards. */
static char *
with_header (const char *request, const char *line)
{
  const char *at = strstr (request, "Max-Forwards:");

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s\r\n%s", (int) (at - request), request, line, at);
}

/* REGISTER for `user`: 401, then the same registration with credentials
 * (CSeq 2); returns the final status. */
static guint
register_user (SwsTestClient      *client,
               const char         *user,
               const char         *password,
               SwsDigestAlgorithm  algorithm)
{
  g_autofree char *aor = g_strdup_printf ("sip:%s@" REALM, user);
  g_autofree char *contact = g_strdup_printf ("<%s>", sws_test_call_contact (client));
  g_autofree char *call_id = sws_test_new_token (16);
  g_autofree char *first = sws_test_build_register (aor, contact, -1, call_id, 1);
  g_autofree char *challenge = sws_test_client_request (client, first);
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autofree char *value = NULL, *line = NULL, *plain = NULL, *second = NULL, *final = NULL;

  g_assert_nonnull (challenge);
  g_assert_cmpuint (sws_test_status_code (challenge), ==, 401);
  get_challenge (challenge, "WWW-Authenticate", algorithm, &ch);
  g_assert_cmpstr (ch.realm, ==, REALM);
  g_assert_true (ch.offers_auth);

  value = sws_digest_authorization_new (&ch, user, password, "REGISTER", "sip:" REALM,
                                        "c1f2", 1);
  line = g_strdup_printf ("Authorization: %s", value);
  plain = sws_test_build_register (aor, contact, -1, call_id, 2);
  second = with_header (plain, line);
  final = sws_test_client_request (client, second);
  g_assert_nonnull (final);
  return sws_test_status_code (final);
}

static void
test_register (Fixture *f, gconstpointer data)
{
  SwsTestCallFixture *c = &f->call;
  g_autofree char *log = NULL;

  g_assert_cmpuint (register_user (c->alice, "alice", "alice-pw", SWS_DIGEST_ALGORITHM_SHA256),
                    ==, 200);
  g_assert_cmpuint (register_user (c->bob, "bob", "bob-pw", SWS_DIGEST_ALGORITHM_MD5), ==, 200);
  /* A wrong password is challenged again, and logged */
  g_assert_cmpuint (register_user (c->bob, "bob", "nope", SWS_DIGEST_ALGORITHM_SHA256), ==, 401);
  log = sws_test_daemon_dup_log (c->daemon);
  g_assert_nonnull (strstr (log, "Authentication failed for “bob”"));
}

/* `request` again as its retry with credentials (§22.2/§22.3): a new
 * branch, CSeq + 1, the credentials' header. */
static char *
retry_with (const char *request, const char *header, const char *credentials)
{
  g_autofree char *old_via = sws_test_header (request, "Via");
  g_autofree char *new_via = sws_test_call_new_via ();
  g_autofree char *cseq = sws_test_header (request, "CSeq");
  g_autofree char *method = sws_test_method (request);
  g_autofree char *new_cseq = g_strdup_printf ("%lu %s", strtoul (cseq, NULL, 10) + 1, method);
  g_autofree char *line = g_strdup_printf ("%s: %s", header, credentials);
  g_autoptr(GString) s = g_string_new (request);

  g_string_replace (s, old_via, new_via, 1);
  g_string_replace (s, cseq, new_cseq, 1);
  return with_header (s->str, line);
}

static void
test_message (Fixture *f, gconstpointer data)
{
  SwsTestCallFixture *c = &f->call;
  g_autofree char *message = sws_test_call_build_message (SWS_TEST_ALICE, SWS_TEST_BOB, "hi");
  g_autofree char *challenge = NULL, *value = NULL, *retry = NULL, *forwarded = NULL;
  g_autofree char *ok = NULL, *spoofed = NULL, *forbidden = NULL, *spoof_challenge = NULL;
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_auto(SwsDigestChallenge) ch2 = { 0 };

  g_assert_cmpuint (register_user (c->alice, "alice", "alice-pw", SWS_DIGEST_ALGORITHM_SHA256),
                    ==, 200);
  g_assert_cmpuint (register_user (c->bob, "bob", "bob-pw", SWS_DIGEST_ALGORITHM_SHA256), ==, 200);

  sws_test_client_send (c->alice, message);
  challenge = sws_test_call_expect_response (c->alice, 407, "1 MESSAGE");
  get_challenge (challenge, "Proxy-Authenticate", SWS_DIGEST_ALGORITHM_SHA256, &ch);
  value = sws_digest_authorization_new (&ch, "alice", "alice-pw", "MESSAGE", SWS_TEST_BOB,
                                        "a1b2", 1);
  retry = retry_with (message, "Proxy-Authorization", value);
  sws_test_client_send (c->alice, retry);
  forwarded = sws_test_call_expect_request (c->bob, "MESSAGE");
  g_assert_cmpstr (sws_test_body (forwarded), ==, "hi");
  g_free (sws_test_call_answer (c->bob, forwarded, 200, "OK", NULL));
  ok = sws_test_call_expect_response (c->alice, 200, "2 MESSAGE");

  /* alice's credentials, bob's identity: 403, and bob hears nothing */
  spoofed = sws_test_call_build_message (SWS_TEST_BOB, SWS_TEST_BOB, "it's me, bob");
  sws_test_client_send (c->alice, spoofed);
  spoof_challenge = sws_test_call_expect_response (c->alice, 407, "1 MESSAGE");
  get_challenge (spoof_challenge, "Proxy-Authenticate", SWS_DIGEST_ALGORITHM_MD5, &ch2);
  g_free (value);
  value = sws_digest_authorization_new (&ch2, "alice", "alice-pw", "MESSAGE", SWS_TEST_BOB,
                                        "a1b3", 1);
  g_free (retry);
  retry = retry_with (spoofed, "Proxy-Authorization", value);
  sws_test_client_send (c->alice, retry);
  forbidden = sws_test_call_expect_response (c->alice, 403, "2 MESSAGE");
  sws_test_client_expect_silence (c->bob);
}

static void
test_call (Fixture *f, gconstpointer data)
{
  SwsTestCallFixture *c = &f->call;
  g_auto(SwsTestCall) call = { 0 };
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autofree char *invite = NULL, *challenge = NULL, *value = NULL, *retry = NULL;
  g_autofree char *trying = NULL, *forwarded = NULL, *ringing = NULL, *ok = NULL;
  g_autofree char *tag = sws_test_new_token (10);

  g_assert_cmpuint (register_user (c->alice, "alice", "alice-pw", SWS_DIGEST_ALGORITHM_SHA256),
                    ==, 200);
  g_assert_cmpuint (register_user (c->bob, "bob", "bob-pw", SWS_DIGEST_ALGORITHM_MD5), ==, 200);

  /* 407, which the caller ACKs (§17.1.1.3) like any failure */
  invite = sws_test_call_build_invite (&call, c->alice, SWS_TEST_BOB, 70);
  sws_test_client_send (c->alice, invite);
  challenge = sws_test_call_expect_response (c->alice, 407, "1 INVITE");
  sws_test_call_ack_failure (c->alice, invite, challenge);
  sws_test_client_expect_silence (c->bob);

  /* The same INVITE with Proxy-Authorization (MD5 this time) */
  get_challenge (challenge, "Proxy-Authenticate", SWS_DIGEST_ALGORITHM_MD5, &ch);
  value = sws_digest_authorization_new (&ch, "alice", "alice-pw", "INVITE", SWS_TEST_BOB,
                                        "0a4f113b", 1);
  retry = retry_with (invite, "Proxy-Authorization", value);
  g_free (call.invite);
  call.invite = g_strdup (retry);
  call.caller_cseq = 2;
  sws_test_client_send (c->alice, retry);
  trying = sws_test_call_expect_response (c->alice, 100, "2 INVITE");
  forwarded = sws_test_call_expect_request (c->bob, "INVITE");
  sws_test_call_assert_forwarded (c, forwarded, retry, sws_test_call_contact (c->bob), TRUE);

  g_free (sws_test_call_answer (c->bob, forwarded, 180, "Ringing", tag));
  ringing = sws_test_call_expect_response (c->alice, 180, "2 INVITE");
  g_free (sws_test_call_answer (c->bob, forwarded, 200, "OK", tag));
  ok = sws_test_call_expect_response (c->alice, 200, "2 INVITE");
  /* ACK along the route, then requests both ways, BYE last: none of them
   * carries credentials, none is challenged. */
  sws_test_call_confirm (c, &call, c->bob, ok);
  sws_test_call_in_dialog (c, &call, FALSE, "INFO", "application/dtmf-relay",
                           "Signal=5\r\nDuration=160\r\n");
  sws_test_call_in_dialog (c, &call, TRUE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (c);
}

static void
test_reload (Fixture *f, gconstpointer data)
{
  SwsTestCallFixture *c = &f->call;
  g_autofree char *md5 = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_MD5, "carol", REALM, "carol-pw");
  g_autofree char *sha = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_SHA256, "carol", REALM, "carol-pw");
  g_autofree char *carol = g_strdup_printf ("carol:" REALM ":MD5:%s\ncarol:" REALM ":SHA-256:%s\n",
                                            md5, sha);
  g_autofree char *log = NULL;
  gint64 deadline;
  guint status;

  g_assert_cmpuint (register_user (c->alice, "carol", "carol-pw", SWS_DIGEST_ALGORITHM_SHA256),
                    ==, 401);

  /* A broken file: refused, with its line; the users in use stay */
  write_users (f, "carol:" REALM ":SHA-256:0123\n");
  sws_test_daemon_send_signal (c->daemon, SIGHUP);
  deadline = g_get_monotonic_time () + SWS_TEST_START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  do
    {
      sws_test_sleep (20);
      g_free (log);
      log = sws_test_daemon_dup_log (c->daemon);
    }
  while (strstr (log, "Reload failed") == NULL && g_get_monotonic_time () < deadline);
  g_assert_nonnull (strstr (log, "users:6: the SHA-256 HA1 must be 64 hexadecimal digits"));
  g_assert_cmpuint (register_user (c->alice, "alice", "alice-pw", SWS_DIGEST_ALGORITHM_MD5),
                    ==, 200);

  /* A good one: carol can register */
  write_users (f, carol);
  sws_test_daemon_send_signal (c->daemon, SIGHUP);
  /* The signal is handled between messages: try until it was. */
  deadline = g_get_monotonic_time () + SWS_TEST_START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while ((status = register_user (c->bob, "carol", "carol-pw", SWS_DIGEST_ALGORITHM_SHA256)) != 200 &&
         g_get_monotonic_time () < deadline)
    sws_test_sleep (50);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (sws_test_daemon_is_running (c->daemon));
}

int
main (int argc, char *argv[])
{
  sws_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/sws/integration/auth/" path, Fixture, NULL, setup, func, teardown)
  ADD ("register", test_register);
  ADD ("message", test_message);
  ADD ("call", test_call);
  ADD ("reload", test_reload);
#undef ADD

  return g_test_run ();
}
