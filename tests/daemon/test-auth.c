/* test-auth.c: Digest authentication of REGISTER and proxied requests (RFC 3261 §22)
 *
 * The server with [auth], driven through sws_server_handle_message() on
 * fake flows. Users: alice and bob of realm example.com (the first of
 * domains=, as no realm= is given).
 */

#include <glib/gstdio.h>

#include "sip/sws-sip-digest.h"
#include "sip/sws-sip-writer.h"
#include "sws-test-sip.h"

#define ALICE_CONTACT "sip:alice1@a.invalid;transport=ws"
#define BOB_CONTACT "sip:bob1@b.invalid;transport=ws"

typedef struct
{
  char *dir;
  char *users_path;
  SwsServer *server;
  SwsAuth *auth;
  SwsConnection *a;   /* alice */
  SwsConnection *b;   /* bob */
  guint seq;
} Fixture;

static void
write_users (Fixture *f, const char *extra)
{
  g_autoptr(GString) text = g_string_new ("# test users\n");
  g_autoptr(GError) error = NULL;
  const char *users[][2] = { { "alice", "alice-secret" }, { "bob", "bob-secret" } };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    for (SwsDigestAlgorithm alg = SWS_DIGEST_ALGORITHM_MD5; alg <= SWS_DIGEST_ALGORITHM_SHA256; alg++)
      {
        g_autofree char *ha1 = sws_digest_ha1 (alg, users[i][0], "example.com", users[i][1]);

        g_string_append_printf (text, "%s:example.com:%s:%s\n", users[i][0],
                                sws_digest_algorithm_to_string (alg), ha1);
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
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  f->dir = g_dir_make_tmp ("sws-auth-XXXXXX", &error);
  g_assert_no_error (error);
  f->users_path = g_build_filename (f->dir, "users", NULL);
  write_users (f, NULL);
  /* The test's data: more [auth] settings */
  config = g_strdup_printf ("[server]\ndomains=example.com\n[auth]\nusers-file=%s\n%s",
                            f->users_path, data ? (const char *) data : "");
  f->server = sws_test_server_new (config);
  f->auth = sws_server_get_auth (f->server);
  g_assert_true (sws_auth_is_enabled (f->auth));
  g_assert_cmpstr (sws_auth_get_realm (f->auth), ==, "example.com");
  f->a = sws_fake_connection_new ("192.0.2.1", 1001);
  f->b = sws_fake_connection_new ("192.0.2.2", 1002);
  sws_server_adopt_connection (f->server, f->a);
  sws_server_adopt_connection (f->server, f->b);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  sws_connection_close (f->a, 1000, NULL);
  sws_connection_close (f->b, 1000, NULL);
  sws_test_settle ();
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_clear_object (&f->server);
  g_unlink (f->users_path);
  g_rmdir (f->dir);
  g_free (f->users_path);
  g_free (f->dir);
}

/* The challenge for `algorithm` among the response's `id` headers; fails
 * the test when there is none. */
static void
get_challenge (SwsSipMessage      *r,
               SwsHeaderId         id,
               SwsDigestAlgorithm  algorithm,
               SwsDigestChallenge *ch)
{
  for (guint i = 0; i < r->n_headers; i++)
    {
      g_autoptr(GError) error = NULL;

      if (r->headers[i].id != id)
        continue;
      g_assert_true (sws_digest_challenge_parse (r->headers[i].value, ch, &error));
      if (ch->algorithm == algorithm)
        return;
      sws_digest_challenge_clear (ch);
    }
  g_error ("no %s challenge in the %u response", sws_digest_algorithm_to_string (algorithm),
           r->status);
}

/* "Authorization: Digest …\r\n" answering `ch` */
static char *
credentials (const SwsDigestChallenge *ch, const char *header, const char *user,
             const char *password, const char *method, const char *uri, guint32 nc)
{
  g_autofree char *value = sws_digest_authorization_new (ch, user, password, method, uri,
                                                         "0a4f113b", nc);

  return g_strdup_printf ("%s: %s\r\n", header, value);
}

static char *
register_text (Fixture *f, const char *aor, const char *contact, const char *extra)
{
  g_autofree char *bracketed = g_strdup_printf ("<%s>", contact);
  g_autofree char *call_id = g_strdup_printf ("reg-%u", g_str_hash (contact));

  return sws_test_register (aor, bracketed, call_id, ++f->seq, extra);
}

/* REGISTER without credentials: the 401 and its challenge. */
static void
challenge_register (Fixture *f, SwsConnection *conn, const char *aor, const char *contact,
                    SwsDigestAlgorithm algorithm, SwsDigestChallenge *ch)
{
  g_autofree char *text = register_text (f, aor, contact, NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, conn, text);

  g_assert_cmpuint (r->status, ==, 401);
  get_challenge (r, SWS_HDR_WWW_AUTHENTICATE, algorithm, ch);
}

static guint
register_with (Fixture *f, SwsConnection *conn, const char *aor, const char *contact,
               const SwsDigestChallenge *ch, const char *user, const char *password, guint32 nc,
               SwsSipMessage **out)
{
  g_autofree char *auth = credentials (ch, "Authorization", user, password, "REGISTER",
                                       "sip:example.com", nc);
  g_autofree char *text = register_text (f, aor, contact, auth);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, conn, text);
  guint status = r->status;

  if (out != NULL)
    *out = g_steal_pointer (&r);
  return status;
}

static guint
binding_count (Fixture *f, const char *aor)
{
  GPtrArray *bindings = sws_registrar_lookup (sws_server_get_registrar (f->server), aor);

  return bindings ? bindings->len : 0;
}

static gboolean
is_stale (SwsSipMessage *r, SwsHeaderId id)
{
  g_auto(SwsDigestChallenge) ch = { 0 };

  get_challenge (r, id, SWS_DIGEST_ALGORITHM_SHA256, &ch);
  return ch.stale;
}

static void
test_register_challenge (Fixture *f, gconstpointer data)
{
  g_autofree char *text = register_text (f, "alice@example.com", ALICE_CONTACT, NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, f->a, text);
  g_auto(SwsDigestChallenge) sha = { 0 };
  g_auto(SwsDigestChallenge) md5 = { 0 };
  const SwsHeader *first;

  g_assert_cmpuint (r->status, ==, 401);
  g_assert_cmpmem (r->reason.p, r->reason.len, "Unauthorized", 12);
  /* RFC 8760 §2.4: SHA-256 offered before MD5; MD5 last is also what
   * JsSIP needs, which keeps only the last challenge. */
  first = sws_sip_message_find (r, SWS_HDR_WWW_AUTHENTICATE);
  g_assert_nonnull (g_strstr_len (first->value.p, first->value.len, "algorithm=SHA-256"));
  get_challenge (r, SWS_HDR_WWW_AUTHENTICATE, SWS_DIGEST_ALGORITHM_SHA256, &sha);
  get_challenge (r, SWS_HDR_WWW_AUTHENTICATE, SWS_DIGEST_ALGORITHM_MD5, &md5);
  g_assert_cmpstr (sha.realm, ==, "example.com");
  g_assert_true (sha.offers_auth);
  g_assert_false (sha.stale);
  g_assert_cmpuint (strlen (sha.nonce), ==, SWS_DIGEST_NONCE_LEN);
  g_assert_null (sws_sip_message_find (r, SWS_HDR_PROXY_AUTHENTICATE));
  g_assert_cmpuint (binding_count (f, "sip:alice@example.com"), ==, 0);
  /* A challenge is not a failure, and costs no memory. */
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 0);
  g_assert_cmpuint (sws_auth_get_nonce_count (f->auth), ==, 0);
}

static void
check_register_ok (Fixture *f, SwsDigestAlgorithm algorithm)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) ok = NULL;

  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, algorithm, &ch);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 1, &ok), ==, 200);
  g_assert_cmpuint (binding_count (f, "sip:alice@example.com"), ==, 1);
  /* The next request on the same nonce counts up (RFC 7616 §3.4). */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 2, NULL), ==, 200);
  g_assert_cmpuint (sws_auth_get_nonce_count (f->auth), ==, 1);
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 0);
}

static void
test_register_sha256 (Fixture *f, gconstpointer data)
{
  check_register_ok (f, SWS_DIGEST_ALGORITHM_SHA256);
}

static void
test_register_md5 (Fixture *f, gconstpointer data)
{
  check_register_ok (f, SWS_DIGEST_ALGORITHM_MD5);
}

static void
test_wrong_password (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) r1 = NULL;
  g_autoptr(SwsSipMessage) r2 = NULL;

  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_SHA256,
                      &ch);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "guess", 1, &r1), ==, 401);
  g_assert_false (is_stale (r1, SWS_HDR_WWW_AUTHENTICATE));
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 1);
  /* An unknown user gets the same answer. */
  g_assert_cmpuint (register_with (f, f->a, "mallory@example.com", ALICE_CONTACT, &ch,
                                   "mallory", "x", 1, &r2), ==, 401);
  g_assert_false (is_stale (r2, SWS_HDR_WWW_AUTHENTICATE));
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 2);
  g_assert_cmpuint (binding_count (f, "sip:alice@example.com"), ==, 0);

  /* The right password still works on the same nonce. */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 1, NULL), ==, 200);
}

static void
test_replayed_nc (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) r = NULL;

  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_MD5, &ch);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 5, NULL), ==, 200);
  /* The same count again, or a lower one: a replay, answered with a
   * fresh nonce (stale, so that a real client just retries). */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 5, &r), ==, 401);
  g_assert_true (is_stale (r, SWS_HDR_WWW_AUTHENTICATE));
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 3, NULL), ==, 401);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 6, NULL), ==, 200);
  /* Replays are not password failures. */
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 0);
}

static void
test_stale_nonce (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_auto(SwsDigestChallenge) fresh = { 0 };
  g_autoptr(SwsSipMessage) r = NULL;

  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_SHA256,
                      &ch);
  /* 300 s (the default lifetime) later */
  sws_auth_set_clock_offset (f->auth, 301);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 1, &r), ==, 401);
  get_challenge (r, SWS_HDR_WWW_AUTHENTICATE, SWS_DIGEST_ALGORITHM_SHA256, &fresh);
  g_assert_true (fresh.stale);
  g_assert_cmpstr (fresh.nonce, !=, ch.nonce);
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 0);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &fresh, "alice",
                                   "alice-secret", 1, NULL), ==, 200);
}

static void
test_forged_nonce (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) r1 = NULL;
  g_autoptr(SwsSipMessage) r2 = NULL;
  g_autoptr(SwsSipMessage) r3 = NULL;
  char *nonce;

  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_SHA256,
                      &ch);
  /* Change the nonce's expiry: the MAC no longer matches. */
  nonce = (char *) ch.nonce;
  nonce[3] = nonce[3] == 'f' ? '0' : 'f';
  /* With the right password, the client is told to take a new nonce… */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 1, &r1), ==, 401);
  g_assert_true (is_stale (r1, SWS_HDR_WWW_AUTHENTICATE));
  /* …with a wrong one it is a failure. */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "nope", 1, &r2), ==, 401);
  g_assert_false (is_stale (r2, SWS_HDR_WWW_AUTHENTICATE));
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 1);
  /* A nonce that was never ours in any shape */
  strcpy (nonce, "abc");
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 1, &r3), ==, 401);
  g_assert_cmpuint (binding_count (f, "sip:alice@example.com"), ==, 0);
  g_assert_cmpuint (sws_auth_get_nonce_count (f->auth), ==, 0);
}

static void
test_other_aor (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) r = NULL;

  challenge_register (f, f->a, "bob@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_SHA256, &ch);
  /* alice's own credentials, bob's AOR in To */
  g_assert_cmpuint (register_with (f, f->a, "bob@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 1, &r), ==, 403);
  g_assert_cmpmem (r->reason.p, r->reason.len, "Forbidden", 9);
  g_assert_cmpuint (binding_count (f, "sip:bob@example.com"), ==, 0);
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 0);
}

static void
test_malformed (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autofree char *t1 = register_text (f, "alice@example.com", ALICE_CONTACT,
                                       "Authorization: Digest username=\"alice\", nonce=\"x\"\r\n");
  g_autofree char *t2 = NULL;
  g_autofree char *t3 = register_text (f, "alice@example.com", ALICE_CONTACT,
                                       "Authorization: Basic YWxpY2U6eA==\r\n");
  g_autofree char *auth = NULL;
  g_autoptr(SwsSipMessage) r1 = sws_test_exchange (f->server, f->a, t1);
  g_autoptr(SwsSipMessage) r2 = NULL;
  g_autoptr(SwsSipMessage) r3 = sws_test_exchange (f->server, f->a, t3);

  g_assert_cmpuint (r1->status, ==, 400);
  g_assert_cmpmem (r1->reason.p, r1->reason.len, "Malformed Digest credentials (no realm)", 39);
  /* Other schemes are not ours: a challenge */
  g_assert_cmpuint (r3->status, ==, 401);

  /* Credentials for another Request-URI (RFC 7616 §3.4.6) */
  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_MD5, &ch);
  auth = credentials (&ch, "Authorization", "alice", "alice-secret", "REGISTER",
                      "sip:elsewhere.example.com", 1);
  t2 = register_text (f, "alice@example.com", ALICE_CONTACT, auth);
  r2 = sws_test_exchange (f->server, f->a, t2);
  g_assert_cmpuint (r2->status, ==, 400);
}

static void
test_md5_only (Fixture *f, gconstpointer data)
{
  g_autofree char *text = register_text (f, "alice@example.com", ALICE_CONTACT, NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, f->a, text);
  g_auto(SwsDigestChallenge) md5 = { 0 };
  g_auto(SwsDigestChallenge) sha = { 0 };
  g_autofree char *forced = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsSipMessage) again = NULL;
  guint n = 0;

  /* algorithms=MD5: one challenge, for clients that read only the first
   * and know only MD5 */
  for (guint i = 0; i < r->n_headers; i++)
    n += r->headers[i].id == SWS_HDR_WWW_AUTHENTICATE;
  g_assert_cmpuint (n, ==, 1);
  get_challenge (r, SWS_HDR_WWW_AUTHENTICATE, SWS_DIGEST_ALGORITHM_MD5, &md5);

  /* SHA-256 credentials on that nonce: not offered, so challenged again,
   * and not a failure */
  forced = g_strdup_printf ("Digest realm=\"example.com\", nonce=\"%s\", algorithm=SHA-256, "
                            "qop=\"auth\"", md5.nonce);
  g_assert_true (sws_digest_challenge_parse (sws_str_c (forced), &sha, &error));
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &sha, "alice",
                                   "alice-secret", 1, &again), ==, 401);
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 0);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &md5, "alice",
                                   "alice-secret", 1, NULL), ==, 200);
}

static void
test_nonce_table_full (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) c1 = { 0 };
  g_auto(SwsDigestChallenge) c2 = { 0 };
  g_auto(SwsDigestChallenge) c3 = { 0 };
  g_autoptr(SwsSipMessage) r = NULL;

  sws_auth_set_max_nonces (f->auth, 2);
  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_MD5, &c1);
  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_MD5, &c2);
  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_MD5, &c3);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &c1, "alice",
                                   "alice-secret", 1, NULL), ==, 200);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &c2, "alice",
                                   "alice-secret", 1, NULL), ==, 200);
  /* A third nonce pushes the first out of the table… */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &c3, "alice",
                                   "alice-secret", 1, NULL), ==, 200);
  g_assert_cmpuint (sws_auth_get_nonce_count (f->auth), ==, 2);
  /* …and it can no longer be used, whatever the count: nothing could
   * tell a replay from a new request */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &c1, "alice",
                                   "alice-secret", 9, &r), ==, 401);
  g_assert_true (is_stale (r, SWS_HDR_WWW_AUTHENTICATE));
  /* The others still count up */
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &c2, "alice",
                                   "alice-secret", 2, NULL), ==, 200);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &c3, "alice",
                                   "alice-secret", 2, NULL), ==, 200);
}

/* ---- proxied requests ---- */

static void
register_both (Fixture *f)
{
  g_auto(SwsDigestChallenge) ca = { 0 };
  g_auto(SwsDigestChallenge) cb = { 0 };

  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_SHA256,
                      &ca);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ca, "alice",
                                   "alice-secret", 1, NULL), ==, 200);
  challenge_register (f, f->b, "bob@example.com", BOB_CONTACT, SWS_DIGEST_ALGORITHM_MD5, &cb);
  g_assert_cmpuint (register_with (f, f->b, "bob@example.com", BOB_CONTACT, &cb, "bob",
                                   "bob-secret", 1, NULL), ==, 200);
}

static void
send (Fixture *f, SwsConnection *conn, const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  sws_server_handle_message (f->server, conn, bytes);
}

static SwsSipMessage *
next (SwsConnection *conn)
{
  g_autofree char *text = sws_fake_connection_pop (SWS_FAKE_CONNECTION (conn));
  g_autoptr(GError) error = NULL;
  SwsSipMessage *msg = NULL;

  g_assert_nonnull (text);
  if (!sws_sip_message_parse_data (text, -1, &msg, &error))
    g_error ("unparsable: %s\n%s", error->message, text);
  return msg;
}

static void
nothing (SwsConnection *conn)
{
  g_autofree char *text = sws_fake_connection_pop (SWS_FAKE_CONNECTION (conn));

  if (text != NULL)
    g_error ("unexpected message:\n%s", text);
}

static char *
request (const char *method, const char *ruri, const char *from, const char *to,
         const char *call_id, guint cseq, const char *extra)
{
  return g_strdup_printf ("%s %s SIP/2.0\r\n"
                          "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK%s%u%u\r\n"
                          "Max-Forwards: 70\r\n"
                          "From: %s\r\nTo: %s\r\n"
                          "Call-ID: %s\r\nCSeq: %u %s\r\n"
                          "Contact: <" ALICE_CONTACT ">\r\n"
                          "%s"
                          "Content-Length: 0\r\n\r\n",
                          method, ruri, method, cseq, g_random_int (), from, to, call_id, cseq,
                          method, extra ? extra : "");
}

static char *
respond (SwsSipMessage *req, guint status, const char *reason, const char *tag,
         const char *contact)
{
  GString *s = sws_sip_response_begin (req, status, reason, tag);
  g_autoptr(GBytes) bytes = NULL;
  const SwsHeader *rr = sws_sip_message_find (req, SWS_HDR_RECORD_ROUTE);

  if (contact != NULL)
    g_string_append_printf (s, "Contact: <%s>\r\n", contact);
  if (rr != NULL && status > 100 && status < 300)
    g_string_append_printf (s, "Record-Route: %.*s\r\n", (int) rr->value.len, rr->value.p);
  bytes = sws_sip_message_end (s, NULL, NULL, 0);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* An out-of-dialog request from alice: 407 first, then with credentials. */
static SwsSipMessage *
proxy_challenge (Fixture *f, const char *method, const char *from, SwsDigestChallenge *ch)
{
  g_autofree char *text = request (method, "sip:bob@example.com", from,
                                   "<sip:bob@example.com>", "c-1", 1, NULL);
  g_autoptr(SwsSipMessage) r = NULL;

  send (f, f->a, text);
  r = next (f->a);
  g_assert_cmpuint (r->status, ==, 407);
  g_assert_cmpmem (r->reason.p, r->reason.len, "Proxy Authentication Required", 29);
  g_assert_null (sws_sip_message_find (r, SWS_HDR_WWW_AUTHENTICATE));
  get_challenge (r, SWS_HDR_PROXY_AUTHENTICATE, SWS_DIGEST_ALGORITHM_SHA256, ch);
  nothing (f->b);
  return g_steal_pointer (&r);
}

static void
test_proxy_call (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) challenge = NULL;
  g_autoptr(SwsSipMessage) wrong_header = NULL;
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autoptr(SwsSipMessage) fack = NULL;
  g_autoptr(SwsSipMessage) fbye = NULL;
  g_autoptr(SwsSipMessage) no_route = NULL;
  g_autofree char *www = NULL, *www_text = NULL, *auth = NULL, *inv = NULL;
  g_autofree char *r200 = NULL, *rr = NULL, *route = NULL, *ack = NULL, *bye = NULL;
  g_autofree char *info = NULL, *forwarded_auth = NULL, *both = NULL;
  const char *from = "<sip:alice@example.com>;tag=atag";

  register_both (f);
  challenge = proxy_challenge (f, "INVITE", from, &ch);

  /* Authorization is for the registrar, not the proxy (§22.3) */
  www = credentials (&ch, "Authorization", "alice", "alice-secret", "INVITE",
                     "sip:bob@example.com", 1);
  www_text = request ("INVITE", "sip:bob@example.com", from, "<sip:bob@example.com>", "c-1", 2,
                      www);
  send (f, f->a, www_text);
  wrong_header = next (f->a);
  g_assert_cmpuint (wrong_header->status, ==, 407);

  auth = credentials (&ch, "Proxy-Authorization", "alice", "alice-secret", "INVITE",
                      "sip:bob@example.com", 1);
  /* with credentials for a proxy further on, which must go on */
  both = g_strconcat (auth, "Proxy-Authorization: Digest username=\"a\", realm=\"far.example\", "
                      "nonce=\"n\", uri=\"sip:bob@example.com\", "
                      "response=\"0123456789abcdef0123456789abcdef\"\r\n", NULL);
  inv = request ("INVITE", "sip:bob@example.com", from, "<sip:bob@example.com>", "c-1", 3, both);
  send (f, f->a, inv);
  trying = next (f->a);
  g_assert_cmpuint (trying->status, ==, 100);
  fwd = next (f->b);
  g_assert_cmpuint (fwd->method, ==, SWS_METHOD_INVITE);
  rr = sws_test_header (fwd, "Record-Route");
  g_assert_nonnull (rr);
  /* §22.3: our own credentials are consumed, nobody else's */
  forwarded_auth = sws_test_header (fwd, "Proxy-Authorization");
  g_assert_nonnull (forwarded_auth);
  g_assert_nonnull (strstr (forwarded_auth, "far.example"));
  g_assert_null (g_strstr_len (fwd->data, (gssize) fwd->len, "realm=\"example.com\""));

  r200 = respond (fwd, 200, "OK", "btag", BOB_CONTACT);
  send (f, f->b, r200);
  ok = next (f->a);
  g_assert_cmpuint (ok->status, ==, 200);

  /* In the dialog, along the signed route: no credentials needed */
  route = g_strdup_printf ("Route: %s\r\n", rr);
  ack = request ("ACK", BOB_CONTACT, from, "<sip:bob@example.com>;tag=btag", "c-1", 3, route);
  send (f, f->a, ack);
  fack = next (f->b);
  g_assert_cmpuint (fack->method, ==, SWS_METHOD_ACK);
  nothing (f->a);

  /* An in-dialog request without our route is challenged */
  info = request ("INFO", BOB_CONTACT, from, "<sip:bob@example.com>;tag=btag", "c-1", 4, NULL);
  send (f, f->a, info);
  no_route = next (f->a);
  g_assert_cmpuint (no_route->status, ==, 407);
  nothing (f->b);

  bye = request ("BYE", BOB_CONTACT, from, "<sip:bob@example.com>;tag=btag", "c-1", 5, route);
  send (f, f->a, bye);
  fbye = next (f->b);
  g_assert_cmpuint (fbye->method, ==, SWS_METHOD_BYE);
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 0);
}

static void
test_proxy_from_spoofing (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) challenge = NULL;
  g_autoptr(SwsSipMessage) r = NULL;
  g_autofree char *auth = NULL, *text = NULL;
  const char *from = "<sip:bob@example.com>;tag=spoof";

  register_both (f);
  challenge = proxy_challenge (f, "MESSAGE", from, &ch);
  /* alice's credentials for a request that claims to come from bob */
  auth = credentials (&ch, "Proxy-Authorization", "alice", "alice-secret", "MESSAGE",
                      "sip:bob@example.com", 1);
  text = request ("MESSAGE", "sip:bob@example.com", from, "<sip:bob@example.com>", "c-1", 2, auth);
  send (f, f->a, text);
  r = next (f->a);
  g_assert_cmpuint (r->status, ==, 403);
  nothing (f->b);
}

static void
test_proxy_wrong_password (Fixture *f, gconstpointer data)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_autoptr(SwsSipMessage) challenge = NULL;
  g_autoptr(SwsSipMessage) r = NULL;
  g_autofree char *auth = NULL, *text = NULL;
  const char *from = "<sip:alice@example.com>;tag=a";

  register_both (f);
  challenge = proxy_challenge (f, "OPTIONS", from, &ch);
  auth = credentials (&ch, "Proxy-Authorization", "alice", "bob-secret", "OPTIONS",
                      "sip:bob@example.com", 1);
  text = request ("OPTIONS", "sip:bob@example.com", from, "<sip:bob@example.com>", "c-1", 2, auth);
  send (f, f->a, text);
  r = next (f->a);
  g_assert_cmpuint (r->status, ==, 407);
  g_assert_cmpuint (sws_server_get_auth_failures (f->server), ==, 1);
  nothing (f->b);
}

static void
test_ack_cancel_not_challenged (Fixture *f, gconstpointer data)
{
  const char *from = "<sip:alice@example.com>;tag=a";
  g_autofree char *cancel = request ("CANCEL", "sip:bob@example.com", from,
                                     "<sip:bob@example.com>", "c-9", 1, NULL);
  g_autofree char *ack = request ("ACK", "sip:bob@example.com", from,
                                  "<sip:bob@example.com>;tag=x", "c-9", 1, NULL);
  g_autoptr(SwsSipMessage) r = NULL;

  register_both (f);
  /* §22.1: no challenge; the CANCEL matches nothing (481), the ACK
   * goes nowhere and is never answered. */
  send (f, f->a, cancel);
  r = next (f->a);
  g_assert_cmpuint (r->status, ==, 481);
  send (f, f->a, ack);
  nothing (f->a);
  nothing (f->b);
}

static void
test_options_to_server (Fixture *f, gconstpointer data)
{
  /* The server is the UAS of OPTIONS addressed to it: 401 (§22.2) */
  g_autofree char *text = request ("OPTIONS", "sip:example.com", "<sip:alice@example.com>;tag=o",
                                   "<sip:example.com>", "c-o", 1, NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, f->a, text);

  g_assert_cmpuint (r->status, ==, 401);
  g_assert_nonnull (sws_sip_message_find (r, SWS_HDR_WWW_AUTHENTICATE));
}

static void
test_reload (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsConfig) config = sws_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *conf_path = g_build_filename (f->dir, "sipwsd.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("[server]\ndomains=example.com\n"
                                           "[auth]\nusers-file=users\n");
  g_auto(SwsDigestChallenge) ch = { 0 };

  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);
  g_assert_true (sws_config_load (config, conf_path, &error));
  /* Relative to the configuration file */
  g_assert_cmpstr (sws_config_get_users_file (config), ==, f->users_path);

  /* A broken users file keeps the users in use, and says where it broke */
  write_users (f, "carol:example.com:MD5:nothex\n");
  g_assert_false (sws_server_configure_auth (f->server, config, &error));
  g_assert_nonnull (strstr (error->message, "users:6: "));
  g_clear_error (&error);
  challenge_register (f, f->a, "alice@example.com", ALICE_CONTACT, SWS_DIGEST_ALGORITHM_MD5, &ch);
  g_assert_cmpuint (register_with (f, f->a, "alice@example.com", ALICE_CONTACT, &ch, "alice",
                                   "alice-secret", 1, NULL), ==, 200);

  /* A good one replaces them */
  {
    g_autofree char *ha1 = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_MD5, "carol", "example.com", "c");
    g_autofree char *line = g_strdup_printf ("carol:example.com:MD5:%s\n", ha1);

    write_users (f, line);
  }
  g_assert_true (sws_server_configure_auth (f->server, config, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (register_with (f, f->a, "carol@example.com", ALICE_CONTACT, &ch, "carol",
                                   "c", 2, NULL), ==, 200);
  g_unlink (conf_path);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/sws/auth/" path, Fixture, data, setup, func, teardown)
  ADD ("register/challenge", test_register_challenge, NULL);
  ADD ("register/sha-256", test_register_sha256, NULL);
  ADD ("register/md5", test_register_md5, NULL);
  ADD ("register/wrong-password", test_wrong_password, NULL);
  ADD ("register/replayed-nc", test_replayed_nc, NULL);
  ADD ("register/stale-nonce", test_stale_nonce, NULL);
  ADD ("register/forged-nonce", test_forged_nonce, NULL);
  ADD ("register/other-aor", test_other_aor, NULL);
  ADD ("register/malformed", test_malformed, NULL);
  ADD ("register/md5-only", test_md5_only, "algorithms=MD5\n");
  ADD ("register/nonce-table-full", test_nonce_table_full, NULL);
  ADD ("proxy/call", test_proxy_call, NULL);
  ADD ("proxy/from-spoofing", test_proxy_from_spoofing, NULL);
  ADD ("proxy/wrong-password", test_proxy_wrong_password, NULL);
  ADD ("proxy/ack-cancel", test_ack_cancel_not_challenged, NULL);
  ADD ("server/options", test_options_to_server, NULL);
  ADD ("reload", test_reload, NULL);
#undef ADD

  return g_test_run ();
}
