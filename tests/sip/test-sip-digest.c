/* test-sip-digest.c: Digest credentials, hashes, nonces and challenges
 *
 * Known answers come from the RFCs' own examples: RFC 7616 §3.9.1 (MD5
 * and SHA-256, qop=auth) and RFC 2617 §3.5 (MD5, qop=auth).
 */

#include "sws-sip-digest.h"

#include <string.h>

/* RFC 7616 §3.9.1, folded over lines as the RFC prints it */
#define RFC7616_CREDENTIALS(alg, response)                       \
  "Digest username=\"Mufasa\",\r\n"                              \
  "    realm=\"http-auth@example.org\",\r\n"                     \
  "    uri=\"/dir/index.html\",\r\n"                             \
  "    algorithm=" alg ",\r\n"                                   \
  "    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n" \
  "    nc=00000001,\r\n"                                         \
  "    cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n" \
  "    qop=auth,\r\n"                                            \
  "    response=\"" response "\",\r\n"                           \
  "    opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""

static const guint8 secret[SWS_DIGEST_SECRET_LEN] = "0123456789abcdef0123456789abcde";
static const guint8 other_secret[SWS_DIGEST_SECRET_LEN] = "fedcba9876543210fedcba987654321";

static void
parse_ok (const char *text, SwsDigestCredentials *creds)
{
  g_autoptr(GError) error = NULL;

  if (!sws_digest_credentials_parse (sws_str_c (text), creds, &error))
    g_error ("credentials refused (%s): %s", error->message, text);
}

static void
check_rfc7616 (SwsDigestAlgorithm algorithm, const char *text, const char *expected_ha1)
{
  g_auto(SwsDigestCredentials) creds = { 0 };
  g_autofree char *ha1 = NULL;
  g_autofree char *wrong = NULL;

  parse_ok (text, &creds);
  g_assert_cmpstr (creds.username, ==, "Mufasa");
  g_assert_cmpstr (creds.realm, ==, "http-auth@example.org");
  g_assert_cmpstr (creds.uri, ==, "/dir/index.html");
  g_assert_cmpstr (creds.opaque, ==, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  g_assert_cmpint (creds.algorithm, ==, algorithm);
  g_assert_cmpint (creds.qop, ==, SWS_DIGEST_QOP_AUTH);
  g_assert_cmpuint (creds.nc, ==, 1);
  g_assert_true (sws_digest_credentials_supported (&creds));

  ha1 = sws_digest_ha1 (algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
  g_assert_cmpstr (ha1, ==, expected_ha1);
  g_assert_true (sws_digest_verify (&creds, ha1, "GET"));
  /* Another method or password gives another response. */
  g_assert_false (sws_digest_verify (&creds, ha1, "POST"));
  wrong = sws_digest_ha1 (algorithm, "Mufasa", "http-auth@example.org", "Circle of life");
  g_assert_false (sws_digest_verify (&creds, wrong, "GET"));
}

static void
test_rfc7616_md5 (void)
{
  check_rfc7616 (SWS_DIGEST_ALGORITHM_MD5,
                 RFC7616_CREDENTIALS ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
                 "3d78807defe7de2157e2b0b6573a855f");
}

static void
test_rfc7616_sha256 (void)
{
  check_rfc7616 (SWS_DIGEST_ALGORITHM_SHA256,
                 RFC7616_CREDENTIALS ("SHA-256",
                                      "753927fa0e85d155564e2e272a28d180"
                                      "2ca10daf4496794697cf8db5856cb6c1"),
                 "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232");
}

static void
test_rfc2617 (void)
{
  /* RFC 2617 §3.5: no algorithm (MD5), qop=auth, upper-case response too */
  g_auto(SwsDigestCredentials) creds = { 0 };
  g_autofree char *ha1 = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_MD5, "Mufasa",
                                         "testrealm@host.com", "Circle Of Life");
  g_autofree char *response = NULL;

  parse_ok ("Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
            "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
            "qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
            "response=\"6629FAE49393A05397450978507C4EF1\", "
            "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", &creds);
  g_assert_null (creds.algorithm_name);
  g_assert_cmpint (creds.algorithm, ==, SWS_DIGEST_ALGORITHM_MD5);
  g_assert_cmpstr (ha1, ==, "939e7578ed9e3c518a452acee763bce9");
  g_assert_true (sws_digest_verify (&creds, ha1, "GET"));

  response = sws_digest_response (SWS_DIGEST_ALGORITHM_MD5, ha1,
                                  "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001",
                                  "0a4f113b", "auth", "GET", "/dir/index.html");
  g_assert_cmpstr (response, ==, "6629fae49393a05397450978507c4ef1");
}

static void
test_legacy (void)
{
  /* RFC 2069 form (RFC 2617 §3.2.2.1 without qop): MD5 only. */
  g_auto(SwsDigestCredentials) md5 = { 0 };
  g_auto(SwsDigestCredentials) sha = { 0 };
  g_autofree char *ha1 = sws_digest_ha1 (SWS_DIGEST_ALGORITHM_MD5, "Mufasa",
                                         "testrealm@host.com", "CircleOfLife");
  g_autofree char *response = sws_digest_response (SWS_DIGEST_ALGORITHM_MD5, ha1,
                                                   "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                                                   NULL, NULL, NULL, "GET",
                                                   "/dir/index.html");
  g_autofree char *text = NULL;

  g_assert_cmpstr (response, ==, "1949323746fe6a43ef61f9606e7febea");
  text = g_strdup_printf ("Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                          "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                          "uri=\"/dir/index.html\", response=\"%s\"", response);
  parse_ok (text, &md5);
  g_assert_cmpint (md5.qop, ==, SWS_DIGEST_QOP_NONE);
  g_assert_true (sws_digest_credentials_supported (&md5));
  g_assert_true (sws_digest_verify (&md5, ha1, "GET"));

  parse_ok ("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", algorithm=SHA-256, "
            "response=\"0000000000000000000000000000000000000000000000000000000000000000\"",
            &sha);
  g_assert_false (sws_digest_credentials_supported (&sha));
}

static void
test_parse_order_and_unknown (void)
{
  g_auto(SwsDigestCredentials) creds = { 0 };

  /* any order, unknown parameters (quoted or not), LWS around '=' and ',',
   * empty list elements, scheme in any case, quoted qop and nc */
  parse_ok ("digest   response = \"0123456789abcdef0123456789ABCDEF\" ,, "
            "future=\"x, y\",nc=\"0000000a\", uri=\"sip:example.com\",\tcnonce=abc,"
            "username=alice, qop=\"auth\", realm=\"example.com\", other=tok,"
            "nonce=\"n1\", algorithm=md5,", &creds);
  g_assert_cmpstr (creds.username, ==, "alice");
  g_assert_cmpstr (creds.realm, ==, "example.com");
  g_assert_cmpstr (creds.nonce, ==, "n1");
  g_assert_cmpstr (creds.uri, ==, "sip:example.com");
  g_assert_cmpstr (creds.cnonce, ==, "abc");
  g_assert_cmpuint (creds.nc, ==, 10);
  g_assert_cmpint (creds.algorithm, ==, SWS_DIGEST_ALGORITHM_MD5);
  g_assert_cmpint (creds.qop, ==, SWS_DIGEST_QOP_AUTH);
  g_assert_null (creds.opaque);
}

static void
test_parse_escapes (void)
{
  g_auto(SwsDigestCredentials) creds = { 0 };

  parse_ok ("Digest username=\"a\\\"b\\\\c\", realm=\"Real \\m, \\\"x\\\"\", nonce=\"\", "
            "uri=\"sip:x\", response=\"0123456789abcdef0123456789abcdef\"", &creds);
  g_assert_cmpstr (creds.username, ==, "a\"b\\c");
  g_assert_cmpstr (creds.realm, ==, "Real m, \"x\"");
  g_assert_cmpstr (creds.nonce, ==, "");
}

static void
test_parse_unsupported (void)
{
  const char *cases[] = {
    "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", algorithm=MD5-sess, "
    "qop=auth, nc=00000001, cnonce=\"c\", response=\"anything\"",
    "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", algorithm=SHA-512-256, "
    "qop=auth, nc=00000001, cnonce=\"c\", response=\"00\"",
    "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", "
    "qop=auth-int, nc=00000001, cnonce=\"c\", response=\"0123456789abcdef0123456789abcdef\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(SwsDigestCredentials) creds = { 0 };

      parse_ok (cases[i], &creds);
      g_assert_false (sws_digest_credentials_supported (&creds));
      g_assert_false (sws_digest_verify (&creds, "0123456789abcdef0123456789abcdef", "INVITE"));
    }
}

static void
test_parse_malformed (void)
{
  const char *base = "username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\"";
  const char *md5 = "response=\"0123456789abcdef0123456789abcdef\"";
  struct {
    const char *text;
    const char *reason;
  } cases[] = {
    { "", "not the Digest scheme" },
    { "Basic dXNlcjpwYXNz", "not the Digest scheme" },
    { "Digestive username=\"u\"", "not the Digest scheme" },
    { "Digest", "no parameters" },
    { "Digest username", "parameter without value" },
    { "Digest username=", "bad parameter value" },
    { "Digest username=\"u", "bad parameter value" },
    { "Digest username=\"u\\", "bad parameter value" },
    { "Digest =\"u\"", "bad parameter name" },
    { "Digest username=\"u\" realm=\"r\"", "missing comma" },
    { "Digest username=u v", "missing comma" },
    { "Digest username=\"u\", username=\"v\"", "given twice" },
    { "Digest USERNAME=\"u\", username=\"v\"", "given twice" },
    { "Digest realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"00\"", "no username" },
    { "Digest username=\"u\", nonce=\"n\", uri=\"sip:r\", response=\"00\"", "no realm" },
    { "Digest username=\"u\", realm=\"r\", uri=\"sip:r\", response=\"00\"", "no nonce" },
    { "Digest username=\"u\", realm=\"r\", nonce=\"n\", response=\"00\"", "no uri" },
    { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\"", "no response" },
    { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"00\"",
      "response is not a hash" },
    { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", algorithm=SHA-256, "
      "response=\"0123456789abcdef0123456789abcdef\"", "response is not a hash" },
    { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", "
      "response=\"0123456789abcdef0123456789abcdeg\"", "response is not a hash" },
  };
  struct {
    const char *params;
    const char *reason;
  } qop_cases[] = {
    { "qop=auth, nc=00000001", "qop without cnonce or nc" },
    { "qop=auth, cnonce=\"c\"", "qop without cnonce or nc" },
    { "cnonce=\"c\"", "cnonce or nc without qop" },
    { "nc=00000001", "cnonce or nc without qop" },
    { "qop=auth, cnonce=\"c\", nc=1", "nc is not 8 hex digits" },
    { "qop=auth, cnonce=\"c\", nc=0000000g", "nc is not 8 hex digits" },
    { "qop=auth, cnonce=\"c\", nc=000000001", "nc is not 8 hex digits" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases) + G_N_ELEMENTS (qop_cases); i++)
    {
      g_auto(SwsDigestCredentials) creds = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      const char *reason;

      if (i < G_N_ELEMENTS (cases))
        {
          text = g_strdup (cases[i].text);
          reason = cases[i].reason;
        }
      else
        {
          text = g_strdup_printf ("Digest %s, %s, %s", base, md5,
                                  qop_cases[i - G_N_ELEMENTS (cases)].params);
          reason = qop_cases[i - G_N_ELEMENTS (cases)].reason;
        }
      if (sws_digest_credentials_parse (sws_str_c (text), &creds, &error))
        g_error ("accepted: %s", text);
      g_assert_error (error, SWS_SIP_ERROR, 400);
      if (strstr (error->message, reason) == NULL)
        g_error ("“%s”: got “%s”, wanted “%s”", text, error->message, reason);
      /* A reason phrase: one line, and the struct left empty. */
      g_assert_null (strpbrk (error->message, "\r\n"));
      g_assert_null (creds.username);
    }
}

static void
test_scheme (void)
{
  g_assert_true (sws_digest_is_digest_scheme (sws_str_c ("Digest username=\"a\"")));
  g_assert_true (sws_digest_is_digest_scheme (sws_str_c ("  DIGEST\tx=y")));
  g_assert_false (sws_digest_is_digest_scheme (sws_str_c ("Basic abc")));
  g_assert_false (sws_digest_is_digest_scheme (sws_str_c ("Digestx a=b")));
  g_assert_false (sws_digest_is_digest_scheme (sws_str_c ("")));
}

static void
test_hex_equal (void)
{
  g_assert_true (sws_digest_hex_equal ("0a1B", "0A1b", 4));
  g_assert_false (sws_digest_hex_equal ("0a1b", "0a1c", 4));
  g_assert_false (sws_digest_hex_equal ("1a1b", "0a1b", 4));
  g_assert_true (sws_digest_is_hex ("00ff", 4));
  g_assert_false (sws_digest_is_hex ("00ff0", 4));
  g_assert_false (sws_digest_is_hex ("00f", 4));
  g_assert_cmpuint (sws_digest_hex_len (SWS_DIGEST_ALGORITHM_SHA256), ==, 64);
  g_assert_cmpuint (sws_digest_hex_len (SWS_DIGEST_ALGORITHM_UNKNOWN), ==, 0);
  g_assert_cmpint (sws_digest_algorithm_from_string (sws_str_c ("sha-256")), ==,
                   SWS_DIGEST_ALGORITHM_SHA256);
  g_assert_cmpint (sws_digest_algorithm_from_string (sws_str_c ("SHA-256-sess")), ==,
                   SWS_DIGEST_ALGORITHM_UNKNOWN);
}

static void
test_nonce (void)
{
  char a[SWS_DIGEST_NONCE_LEN + 1], b[SWS_DIGEST_NONCE_LEN + 1];
  char tampered[SWS_DIGEST_NONCE_LEN + 1];
  gint64 expires = 0;

  sws_digest_nonce_make (secret, "example.com", 1000, 1, a);
  sws_digest_nonce_make (secret, "example.com", 1000, 2, b);
  g_assert_cmpuint (strlen (a), ==, SWS_DIGEST_NONCE_LEN);
  g_assert_cmpstr (a, !=, b);

  g_assert_cmpint (sws_digest_nonce_check (secret, "example.com", a, 999, &expires), ==,
                   SWS_DIGEST_NONCE_VALID);
  g_assert_cmpint (expires, ==, 1000);
  /* Past its lifetime: still ours, but stale (RFC 7616 §3.3). */
  g_assert_cmpint (sws_digest_nonce_check (secret, "example.com", a, 1000, NULL), ==,
                   SWS_DIGEST_NONCE_STALE);
  /* Another secret (a restart) or realm, a changed expiry, garbage: not ours. */
  g_assert_cmpint (sws_digest_nonce_check (other_secret, "example.com", a, 999, NULL), ==,
                   SWS_DIGEST_NONCE_INVALID);
  g_assert_cmpint (sws_digest_nonce_check (secret, "example.org", a, 999, NULL), ==,
                   SWS_DIGEST_NONCE_INVALID);
  memcpy (tampered, a, sizeof tampered);
  tampered[15] = tampered[15] == 'f' ? 'e' : 'f';
  g_assert_cmpint (sws_digest_nonce_check (secret, "example.com", tampered, 0, NULL), ==,
                   SWS_DIGEST_NONCE_INVALID);
  tampered[SWS_DIGEST_NONCE_LEN - 1] = '\0';
  g_assert_cmpint (sws_digest_nonce_check (secret, "example.com", tampered, 0, NULL), ==,
                   SWS_DIGEST_NONCE_INVALID);
  g_assert_cmpint (sws_digest_nonce_check (secret, "example.com", "", 0, NULL), ==,
                   SWS_DIGEST_NONCE_INVALID);
  g_assert_cmpint (sws_digest_nonce_check (secret, "example.com",
                                           "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", 0, NULL),
                   ==, SWS_DIGEST_NONCE_INVALID);
}

/* "Name: value\r\n" to the value */
static SwsStr
header_value (const GString *line, const char *name)
{
  gsize skip = strlen (name) + 2;

  g_assert_true (g_str_has_prefix (line->str, name));
  g_assert_true (g_str_has_suffix (line->str, "\r\n"));
  return sws_str (line->str + skip, line->len - skip - 2);
}

static void
test_challenge (void)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_auto(SwsDigestChallenge) stale = { 0 };
  g_auto(SwsDigestChallenge) bad = { 0 };
  g_autoptr(GError) error = NULL;

  sws_digest_append_challenge (line, "WWW-Authenticate", SWS_DIGEST_ALGORITHM_SHA256,
                               "the \"realm\"", "abc", NULL, FALSE);
  g_assert_cmpstr (line->str, ==,
                   "WWW-Authenticate: Digest realm=\"the \\\"realm\\\"\", nonce=\"abc\", "
                   "algorithm=SHA-256, qop=\"auth\"\r\n");
  g_assert_true (sws_digest_challenge_parse (header_value (line, "WWW-Authenticate"), &ch, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ch.realm, ==, "the \"realm\"");
  g_assert_cmpstr (ch.nonce, ==, "abc");
  g_assert_cmpint (ch.algorithm, ==, SWS_DIGEST_ALGORITHM_SHA256);
  g_assert_true (ch.offers_auth);
  g_assert_false (ch.stale);

  g_string_truncate (line, 0);
  sws_digest_append_challenge (line, "Proxy-Authenticate", SWS_DIGEST_ALGORITHM_MD5,
                               "r", "n", "op", TRUE);
  g_assert_cmpstr (line->str, ==,
                   "Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\", algorithm=MD5, "
                   "qop=\"auth\", opaque=\"op\", stale=true\r\n");
  g_assert_true (sws_digest_challenge_parse (header_value (line, "Proxy-Authenticate"), &stale,
                                             &error));
  g_assert_true (stale.stale);
  g_assert_cmpstr (stale.opaque, ==, "op");
  g_assert_cmpint (stale.algorithm, ==, SWS_DIGEST_ALGORITHM_MD5);

  g_assert_false (sws_digest_challenge_parse (sws_str_c ("Digest nonce=\"n\""), &bad, &error));
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_assert_nonnull (strstr (error->message, "no realm"));
}

static void
check_roundtrip (const char *challenge_text, SwsDigestQop qop)
{
  g_auto(SwsDigestChallenge) ch = { 0 };
  g_auto(SwsDigestCredentials) creds = { 0 };
  g_autofree char *authorization = NULL;
  g_autofree char *ha1 = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sws_digest_challenge_parse (sws_str_c (challenge_text), &ch, &error));
  authorization = sws_digest_authorization_new (&ch, "al\"ice", "secret", "INVITE",
                                                "sip:bob@example.com", "c0ffee", 7);
  parse_ok (authorization, &creds);
  g_assert_cmpstr (creds.username, ==, "al\"ice");
  g_assert_cmpint (creds.qop, ==, qop);
  ha1 = sws_digest_ha1 (ch.algorithm, "al\"ice", ch.realm, "secret");
  g_assert_true (sws_digest_verify (&creds, ha1, "INVITE"));
  g_assert_false (sws_digest_verify (&creds, ha1, "MESSAGE"));
  if (qop == SWS_DIGEST_QOP_AUTH)
    g_assert_cmpuint (creds.nc, ==, 7);
}

static void
test_authorization_roundtrip (void)
{
  check_roundtrip ("Digest realm=\"example.com\", nonce=\"xyz\", algorithm=SHA-256, "
                   "qop=\"auth-int, auth\", opaque=\"o\"", SWS_DIGEST_QOP_AUTH);
  check_roundtrip ("Digest realm=\"example.com\", nonce=\"xyz\", qop=\"auth\"",
                   SWS_DIGEST_QOP_AUTH);
  check_roundtrip ("Digest realm=\"example.com\", nonce=\"xyz\"", SWS_DIGEST_QOP_NONE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/digest/rfc7616/md5", test_rfc7616_md5);
  g_test_add_func ("/sws/digest/rfc7616/sha-256", test_rfc7616_sha256);
  g_test_add_func ("/sws/digest/rfc2617", test_rfc2617);
  g_test_add_func ("/sws/digest/legacy-no-qop", test_legacy);
  g_test_add_func ("/sws/digest/parse/order-and-unknown", test_parse_order_and_unknown);
  g_test_add_func ("/sws/digest/parse/escapes", test_parse_escapes);
  g_test_add_func ("/sws/digest/parse/unsupported", test_parse_unsupported);
  g_test_add_func ("/sws/digest/parse/malformed", test_parse_malformed);
  g_test_add_func ("/sws/digest/scheme", test_scheme);
  g_test_add_func ("/sws/digest/hex", test_hex_equal);
  g_test_add_func ("/sws/digest/nonce", test_nonce);
  g_test_add_func ("/sws/digest/challenge", test_challenge);
  g_test_add_func ("/sws/digest/authorization-roundtrip", test_authorization_roundtrip);

  return g_test_run ();
}
